// The cache (Redis) of every `redis.mode`, as the rest of the component uses it (openWebUiCluster.ts
// step 3b): external (URL or existing Secret), managed (the cloud module), Valkey + Sentinel
// (`inClusterHa`) or one in-cluster Valkey (`inCluster`). Adds REDIS_URL to the app Secret's data.
import * as pulumi from "@pulumi/pulumi";
import type { ManagedCache } from "../platform/port";
import type { AppSecretData, Backend, WiringContext } from "../wiring";
import { REDIS_CA_DIR, SecretRef } from "../env/env";
import { ServiceMode } from "../args/types";
import { hostPortOf } from "../spec/addresses";
import { inClusterRedis } from "./inCluster";
import { inClusterCommon, serviceCredentials } from "./serviceCredentials";
import { SENTINEL_ROLE, SENTINEL_SETTINGS, valkeySentinel, VALKEY_ROLE } from "./valkeySentinel";

/** The cache as the rest of the component uses it. */
export interface CacheWiring {
    /** A user-provided Secret holding the URL; otherwise the URL goes into the app Secret. */
    userUrlRef?: SecretRef;
    endpoint: pulumi.Output<string>;
    /** The server's CA, when the client must trust a private one (mounted from `<name>-redis-ca`). */
    caCertificate?: pulumi.Output<string>;
    /** What must be ready before migrations. */
    ready: pulumi.Resource[];
    /** Sentinel hosts and port (`inClusterHa`). */
    sentinel?: { hosts: string; port: number };
    /** The managed cache (`redis.mode: managed`), for the cloud's alarms and `resources`. */
    managed?: ManagedCache;
}

/** The user's Redis: its URL in the app Secret, or their Secret read by reference. */
function externalCache(w: WiringContext, appSecretData: AppSecretData): CacheWiring {
    const redis = w.spec.redis;
    if (redis.urlSecret) return { userUrlRef: redis.urlSecret, endpoint: pulumi.output("(in an existing Kubernetes Secret)"), ready: [] };
    const url = pulumi.secret(pulumi.output(redis.url!));
    appSecretData.REDIS_URL = url;
    return { endpoint: pulumi.unsecret(url.apply((u) => hostPortOf(u, 6379))), ready: [] };
}

/** The cloud's managed Redis; with a private CA the URL tells redis-py where the mounted CA is. */
function managedCache(w: WiringContext, appSecretData: AppSecretData): CacheWiring {
    const cache = w.platform.createCache(w.ctx);
    const query = cache.caCertificate
        ? `?ssl_cert_reqs=required&ssl_ca_certs=${REDIS_CA_DIR}/ca.crt${cache.skipHostnameCheck ? "&ssl_check_hostname=false" : ""}`
        : "";
    appSecretData.REDIS_URL = pulumi.secret(cache.url.apply((u) => `${u}${query}`));
    return { endpoint: cache.endpoint, caCertificate: cache.caCertificate, ready: cache.dependsOn, managed: cache };
}

/** The generated Redis password and its Secret `<name>-redis` (one Valkey, or Valkey + Sentinel). */
function redisCredentials(w: WiringContext) {
    return serviceCredentials(w, "redis", { password: { resource: "redis-password" } }, (v) => ({ REDIS_PASSWORD: v.password }));
}

/** Valkey + Sentinel; REDIS_URL is `redis://:<password>@<master name>:6379/0` (the host is the master name). */
function haCache(w: WiringContext, appSecretData: AppSecretData, backends: Backend[]): CacheWiring {
    const { name, spec } = w;
    const creds = redisCredentials(w);
    const r = valkeySentinel(name, inClusterCommon(w, spec.images.redis, spec.knobs.redis, creds.secretName, spec.redis.storageGb), creds.afterSecret);
    backends.push({ role: VALKEY_ROLE, ports: [SENTINEL_SETTINGS.valkeyPort] }, { role: SENTINEL_ROLE, ports: [SENTINEL_SETTINGS.sentinelPort] });
    appSecretData.REDIS_URL = pulumi.secret(pulumi.interpolate`redis://:${creds.values.password}@${r.masterName}:${SENTINEL_SETTINGS.valkeyPort}/0`);
    return {
        endpoint: pulumi.output(`sentinel://${r.sentinelHosts.split(",")[0]}:${r.sentinelPort}/${r.masterName}`),
        ready: r.ready,
        sentinel: { hosts: r.sentinelHosts, port: r.sentinelPort },
    };
}

/** One in-cluster Valkey (evaluation; not highly available). */
function singleCache(w: WiringContext, appSecretData: AppSecretData, backends: Backend[]): CacheWiring {
    const { name, spec } = w;
    const creds = redisCredentials(w);
    const r = inClusterRedis(name, inClusterCommon(w, spec.images.redis, spec.knobs.redis, creds.secretName, spec.redis.storageGb), creds.afterSecret);
    appSecretData.REDIS_URL = pulumi.secret(pulumi.interpolate`redis://:${creds.values.password}@${r.host}:6379/0`);
    backends.push({ role: "redis", ports: [6379] });
    return { endpoint: pulumi.interpolate`${r.host}:6379`, ready: [r.statefulSet] };
}

/** The cache of `redis.mode`; in-cluster servers join `backends` (NetworkPolicy egress). */
export function provisionCache(w: WiringContext, appSecretData: AppSecretData, backends: Backend[]): CacheWiring {
    switch (w.spec.redis.mode) {
        case ServiceMode.External:
            return externalCache(w, appSecretData);
        case ServiceMode.Managed:
            return managedCache(w, appSecretData);
        case ServiceMode.InClusterHa:
            return haCache(w, appSecretData, backends);
        default:
            return singleCache(w, appSecretData, backends);
    }
}
