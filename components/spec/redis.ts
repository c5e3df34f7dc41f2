// `redis`: the Redis (or Valkey) that carries sessions, websockets and locks between replicas:
// the mode, its settings with their defaults, and their checks.
import { checkSentinelHosts, checkUrl } from "./addresses";
import { DEFAULTS, defaulted } from "./defaults";
import { isKnown, problem } from "./errors";
import { checkMode } from "./specChecks";
import type { ResolvedRedis } from "./specTypes";
import { OpenWebUiClusterArgs, ServiceMode } from "../args/types";

/** `redis`, defaulted (`defaultMode`: the target's data tier) and checked; `minReplicas` decides whether HA is required. */
export function resolveRedis(a: OpenWebUiClusterArgs, defaultMode: ServiceMode, cloud: boolean, minReplicas: number, problems: string[]): ResolvedRedis {
    const r = a.redis;
    const redisMode = r?.mode ?? defaultMode;
    checkMode("redis.mode", redisMode, cloud, problems);
    const redis: ResolvedRedis = {
        mode: redisMode,
        url: r?.url,
        urlSecret: r?.urlSecret,
        cluster: r?.cluster ?? DEFAULTS["redis.cluster"].value,
        sentinelHosts: r?.sentinelHosts,
        ...defaulted(r, "redis", [
            "keyPrefix",
            "socketConnectTimeoutSeconds",
            "socketTimeoutSeconds",
            "healthCheckIntervalSeconds",
            "highAvailability",
            "storageGb",
        ]),
    };
    checkRedis(redis, problems);
    if (redisMode === ServiceMode.Managed && !redis.highAvailability && minReplicas > 1) {
        problems.push(
            problem(
                "redis.highAvailability",
                false,
                "with several replicas Redis carries sessions and websockets: keep it highly available (replica + automatic failover)",
            ),
        );
    }
    return redis;
}

export function checkRedis(r: ResolvedRedis, problems: string[]): void {
    if (r.mode === ServiceMode.External) {
        if ((r.url === undefined) === (r.urlSecret === undefined)) {
            problems.push(
                problem(
                    "redis.url/urlSecret",
                    r.url === undefined ? undefined : "both set",
                    "external Redis needs exactly one of redis.url or redis.urlSecret",
                ),
            );
        }
        if (isKnown(r.url) && !/^rediss?:\/\//.test(r.url)) {
            problems.push(problem("redis.url", r.url.replace(/\/\/[^@]*@/, "//***@"), "use a redis:// or rediss:// URL"));
        } else {
            checkUrl(problems, "redis.url", r.url, {
                schemes: ["redis", "rediss"],
                fix: "use a redis://[:password@]host:6379/0 or rediss:// URL with a host (percent-encode @ : / in the password)",
            });
        }
        const sentinels = checkSentinelHosts(problems, "redis.sentinelHosts", r.sentinelHosts, 26379);
        if (sentinels) {
            r.sentinelHosts = sentinels.hosts.join(",");
            r.sentinelPort = sentinels.port;
        }
    } else if (r.url !== undefined || r.urlSecret !== undefined || r.sentinelHosts !== undefined) {
        problems.push(problem("redis.url", "set", `redis.url/urlSecret/sentinelHosts apply to mode external only (mode is ${r.mode})`));
    }
    if (r.cluster && r.sentinelHosts) {
        problems.push(problem("redis.cluster", true, "Sentinel and Cluster are exclusive: set one of redis.cluster or redis.sentinelHosts"));
    }
    if (!Number.isInteger(r.socketConnectTimeoutSeconds) || r.socketConnectTimeoutSeconds < 1 || r.socketConnectTimeoutSeconds > 4) {
        problems.push(
            problem(
                "redis.socketConnectTimeoutSeconds",
                r.socketConnectTimeoutSeconds,
                "use 1 to 4 seconds: a frozen Redis accepts TCP but never finishes the TLS handshake, so each reconnect waits this long and above 4 /health misses the liveness probe's 5 s timeout (default 2)",
            ),
        );
    }
    // Below the liveness probe's 5 s timeout, or a frozen Redis fails liveness and restarts pods.
    if (typeof r.socketTimeoutSeconds !== "number" || !Number.isFinite(r.socketTimeoutSeconds) || r.socketTimeoutSeconds < 0.5 || r.socketTimeoutSeconds > 4) {
        problems.push(
            problem(
                "redis.socketTimeoutSeconds",
                r.socketTimeoutSeconds,
                "use 0.5 to 4 seconds: above 4 a frozen Redis makes /health miss the liveness probe's 5 s timeout (default 1)",
            ),
        );
    }
    if (!Number.isInteger(r.healthCheckIntervalSeconds) || r.healthCheckIntervalSeconds < 0 || r.healthCheckIntervalSeconds > 3600) {
        problems.push(
            problem(
                "redis.healthCheckIntervalSeconds",
                r.healthCheckIntervalSeconds,
                "use 0 (off) to 3600 seconds, below the Redis server's idle timeout (default 30)",
            ),
        );
    }
}
