// Field checks resolveSpec runs: database, Redis, OTEL, URLs, names. Each problem names the
// field, the value and the fix.
import { checkSentinelHosts, checkUrl } from "./addresses";
import { enumValues, isKnown, problem } from "./errors";
import { Database, Otel, OtlpProtocol, ServiceMode } from "../args/types";
import type { ResolvedDatabase, ResolvedOtel, ResolvedRedis } from "./specTypes";

export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const RELEASE_TAG = /^v?\d+\.\d+\.\d+([-+.][0-9A-Za-z.-]+)?$/;
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function checkDnsSubdomain(field: string, v: string, problems: string[]): void {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(v)) problems.push(problem(field, v, "use a valid Secret name (DNS subdomain)"));
}




export function checkMode(field: string, mode: ServiceMode, cloud: boolean, problems: string[]): void {
    if (!enumValues(ServiceMode).includes(mode)) {
        problems.push(problem(field, mode, `use one of ${enumValues(ServiceMode).join(", ")}`));
    } else if (mode === ServiceMode.Managed && !cloud) {
        problems.push(problem(field, mode, "target kubernetes has no managed services: use external (bring your own) or inCluster (evaluation)"));
    }
}

export function checkDatabase(args: Database | undefined, db: ResolvedDatabase, problems: string[]): void {
    if (db.mode === ServiceMode.External) {
        if ((db.url === undefined) === (db.urlSecret === undefined)) {
            problems.push(problem("database.url/urlSecret", db.url === undefined ? undefined : "both set", "external Postgres needs exactly one of database.url or database.urlSecret"));
        }
        if (!args?.maxConnections) {
            problems.push(problem("database.maxConnections", args?.maxConnections, "external Postgres needs its max_connections (SHOW max_connections) so the pools can be sized under it"));
        }
        if (isKnown(db.url) && !/^postgres(ql)?:\/\//.test(db.url)) {
            problems.push(problem("database.url", db.url.replace(/\/\/[^@]*@/, "//***@"), "use a postgresql:// URL (the app derives its async driver itself; do not use postgresql+asyncpg:// or sqlite)"));
        } else {
            checkUrl(problems, "database.url", db.url, { schemes: ["postgresql", "postgres"], fix: "use a postgresql://user:password@host:5432/database URL with a host (percent-encode @ : / in the password)" });
        }
        if (db.iamAuth) problems.push(problem("database.iamAuth", true, "IAM token auth applies to the managed AWS database only"));
    } else if (db.url !== undefined || db.urlSecret !== undefined) {
        problems.push(problem("database.url", "set", `database.url/urlSecret apply to mode external only (mode is ${db.mode})`));
    }
    if (args?.maxConnections !== undefined && (!Number.isInteger(args.maxConnections) || args.maxConnections < 20)) {
        problems.push(problem("database.maxConnections", args.maxConnections, "use the server's max_connections (a whole number >= 20)"));
    }
    if (!(db.budgetFraction > 0 && db.budgetFraction <= 0.95)) {
        problems.push(problem("database.connectionBudgetFraction", db.budgetFraction, "use a fraction above 0 and at most 0.95 (leave room for admin and replication connections)"));
    }
    if (db.poolSize !== undefined && (!Number.isInteger(db.poolSize) || db.poolSize < 1)) {
        problems.push(problem("database.poolSize", db.poolSize, "use a whole number >= 1, or omit it to compute it from max_connections"));
    }
    if (db.poolMaxOverflow !== undefined && (!Number.isInteger(db.poolMaxOverflow) || db.poolMaxOverflow < 0)) {
        problems.push(problem("database.poolMaxOverflow", db.poolMaxOverflow, "use a whole number >= 0"));
    }
    if (!/^(1[3-9])$/.test(db.version)) {
        problems.push(problem("database.version", db.version, "use a Postgres major version from 13 to 19 with pgvector support (default 16)"));
    }
    if (!Number.isInteger(db.backupRetentionDays) || db.backupRetentionDays < 1 || db.backupRetentionDays > 35) {
        problems.push(problem("database.backupRetentionDays", db.backupRetentionDays, "use 1 to 35 days (the managed services' range)"));
    }
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(db.name)) {
        problems.push(problem("database.name", db.name, "use a lowercase identifier: letters, digits, '_' (max 63)"));
    }
    if (!Number.isInteger(db.connectTimeoutSeconds) || db.connectTimeoutSeconds < 2 || db.connectTimeoutSeconds > 300) {
        problems.push(problem("database.connectTimeoutSeconds", db.connectTimeoutSeconds, "use whole seconds from 2 to 300 (libpq treats 1 as 2; 0 would wait forever)"));
    }
    if (!Number.isInteger(db.tcpUserTimeoutSeconds) || db.tcpUserTimeoutSeconds < 5 || db.tcpUserTimeoutSeconds > 600) {
        problems.push(problem("database.tcpUserTimeoutSeconds", db.tcpUserTimeoutSeconds, "use whole seconds from 5 to 600 (below 5 a busy server looks dead)"));
    }
}

export function checkRedis(r: ResolvedRedis, problems: string[]): void {
    if (r.mode === ServiceMode.External) {
        if ((r.url === undefined) === (r.urlSecret === undefined)) {
            problems.push(problem("redis.url/urlSecret", r.url === undefined ? undefined : "both set", "external Redis needs exactly one of redis.url or redis.urlSecret"));
        }
        if (isKnown(r.url) && !/^rediss?:\/\//.test(r.url)) {
            problems.push(problem("redis.url", r.url.replace(/\/\/[^@]*@/, "//***@"), "use a redis:// or rediss:// URL"));
        } else {
            checkUrl(problems, "redis.url", r.url, { schemes: ["redis", "rediss"], fix: "use a redis://[:password@]host:6379/0 or rediss:// URL with a host (percent-encode @ : / in the password)" });
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
        problems.push(problem("redis.socketConnectTimeoutSeconds", r.socketConnectTimeoutSeconds, "use 1 to 4 seconds: a frozen Redis accepts TCP but never finishes the TLS handshake, so each reconnect waits this long and above 4 /health misses the liveness probe's 5 s timeout (default 2)"));
    }
    // Below the liveness probe's 5 s timeout, or a frozen Redis fails liveness and restarts pods.
    if (typeof r.socketTimeoutSeconds !== "number" || !Number.isFinite(r.socketTimeoutSeconds) || r.socketTimeoutSeconds < 0.5 || r.socketTimeoutSeconds > 4) {
        problems.push(problem("redis.socketTimeoutSeconds", r.socketTimeoutSeconds, "use 0.5 to 4 seconds: above 4 a frozen Redis makes /health miss the liveness probe's 5 s timeout (default 1)"));
    }
    if (!Number.isInteger(r.healthCheckIntervalSeconds) || r.healthCheckIntervalSeconds < 0 || r.healthCheckIntervalSeconds > 3600) {
        problems.push(problem("redis.healthCheckIntervalSeconds", r.healthCheckIntervalSeconds, "use 0 (off) to 3600 seconds, below the Redis server's idle timeout (default 30)"));
    }
}

/**
 * An http(s) URL without credentials (a user:password in a URL would be a literal secret in the
 * pod spec); the message never repeats the credentials.
 */
export function checkHttpUrl(field: string, value: unknown, problems: string[], keyField: string): void {
    checkUrl(problems, field, value, { schemes: ["http", "https"], fix: "use an http:// or https:// URL with a host (e.g. https://gateway.example.com/v1)", credentialsIn: keyField });
}

export function checkOtel(args: Otel | undefined, otel: ResolvedOtel, problems: string[]): void {
    if (!enumValues(OtlpProtocol).includes(otel.exporterProtocol)) {
        problems.push(problem("otel.exporterProtocol", otel.exporterProtocol, "use grpc or http"));
    }
    checkUrl(problems, "otel.exporterEndpoint", otel.exporterEndpoint, { schemes: ["http", "https"], fix: "use an http:// or https:// OTLP endpoint with a host, e.g. https://otlp.example.com:4317", credentialsIn: "otel.exporterHeaders" });
    checkUrl(problems, "otel.collectorEndpoint", otel.collectorEndpoint, { schemes: ["http", "https"], fix: "use the http(s):// OTLP/gRPC address of your collector, e.g. http://otel-collector.observability.svc:4317" });
    if (args?.collectorEndpoint !== undefined && (args.exporterEndpoint !== undefined || args.exporterHeaders !== undefined || args.debugOnly)) {
        problems.push(problem("otel.collectorEndpoint", "with exporterEndpoint/exporterHeaders/debugOnly", "those configure the collector the component deploys; with your own collector set only collectorEndpoint"));
    }
    if (args?.debugOnly && args.exporterEndpoint !== undefined) {
        problems.push(problem("otel.debugOnly", true, "an exporterEndpoint is set: the collector exports there; drop debugOnly"));
    }
    if (otel.enabled && !otel.cloudBackend && args?.exporterEndpoint === undefined && args?.collectorEndpoint === undefined && !args?.debugOnly) {
        problems.push(problem("otel.enabled", true, "no destination: a collector without one drops everything. Set otel.exporterEndpoint (your backend), otel.collectorEndpoint (an existing collector), or otel.debugOnly: true to try the pipeline"));
    }
    if (otel.enabled && !otel.traces && !otel.metrics && !otel.logs) {
        problems.push(problem("otel", "enabled with no signal", "enable at least one of otel.traces, otel.metrics, otel.logs, or set otel.enabled=false"));
    }
    if (!Number.isInteger(otel.collectorReplicas) || otel.collectorReplicas < 1) {
        problems.push(problem("otel.collectorReplicas", otel.collectorReplicas, "use a whole number >= 1"));
    }
    void args;
}
