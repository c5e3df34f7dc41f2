// Azure Managed Redis (Microsoft.Cache/redisEnterprise). Azure Cache for Redis is closed to new
// customers since 2026-04-01 and retires 2028-09-30; AMR is what Microsoft supports for new caches.
import * as pulumi from "@pulumi/pulumi";
import * as redisenterprise from "@pulumi/azure-native/redisenterprise";
import * as authorization from "@pulumi/azure-native/authorization";
import type { ManagedCache, ProviderContext } from "../../components/platform/port";
import type { ResolvedSpec } from "../../components/spec/spec";
import { SizePreset } from "../../components/args/types";
import { REDIS_SKUS } from "./catalog";
import { privateEndpoint, shared } from "./shared";
import { diagnosticSetting, present } from "./accessLogs";
import { problem } from "../../components/spec/errors";
import type { Azure } from "../../components/platform/azureArgs";

/** AMR serves every database on port 10000 (TLS). */
export const REDIS_PORT = 10000;
export const REDIS_ZONE = "privatelink.redis.azure.net";
export const DEFAULT_EVICTION_POLICY = "NoEviction";

export function redisSku(spec: ResolvedSpec): string {
    return spec.azure?.skus?.redisSkuName ?? REDIS_SKUS[spec.size] ?? REDIS_SKUS[SizePreset.Medium];
}

export function createCache(ctx: ProviderContext): ManagedCache {
    const s = shared(ctx);
    const a = s.args;
    const rg = s.resourceGroupName;

    // Zone redundancy is automatic for AMR in regions with availability zones (HA on); `zones`
    // applies to the retiring Enterprise tiers only, so it is not set.
    const cluster = new redisenterprise.RedisEnterprise(
        `${ctx.name}-redis`,
        {
            resourceGroupName: rg,
            location: s.location,
            sku: { name: redisSku(ctx.spec) },
            highAvailability: ctx.spec.redis.highAvailability ? "Enabled" : "Disabled",
            minimumTlsVersion: "1.2",
            publicNetworkAccess: "Disabled",
            tags: ctx.tags,
        },
        ctx.opts(),
    );

    // EnterpriseCluster: one proxy endpoint that behaves like a non-clustered Redis, so
    // REDIS_CLUSTER=false and Open WebUI's shared sessions work. Access keys are enabled because
    // Open WebUI authenticates with a password in REDIS_URL (no Entra token provider).
    const database = new redisenterprise.Database(
        `${ctx.name}-redis-db`,
        {
            resourceGroupName: rg,
            clusterName: cluster.name,
            databaseName: "default", // AMR supports one database, named "default"
            clientProtocol: "Encrypted",
            port: REDIS_PORT,
            clusteringPolicy: "EnterpriseCluster",
            evictionPolicy: a.redisEvictionPolicy ?? DEFAULT_EVICTION_POLICY,
            accessKeysAuthentication: "Enabled",
        },
        ctx.opts(),
    );

    const pe = privateEndpoint(ctx, "redis", cluster.id, "redisEnterprise", REDIS_ZONE, a.redisPrivateDnsZoneId, [cluster]);
    // hardening.accessLogs: the cluster's metrics; the database's connection events (its only log category).
    const diagnostics = present(
        diagnosticSetting(ctx, "redis", cluster.id, { logs: false, metrics: "AllMetrics" }, [cluster]),
        diagnosticSetting(ctx, "redis-db", database.id, { logs: true }, [database]),
    );
    // Azure has no deletion flag on the cache: a CanNotDelete lock (hardening.cacheDeletionProtection).
    if (ctx.spec.hardening.cacheDeletionProtection !== false) {
        new authorization.ManagementLockByScope(
            `${ctx.name}-redis-lock`,
            {
                scope: cluster.id,
                level: "CanNotDelete",
                notes: "Open WebUI cache: set hardening.cacheDeletionProtection=false to allow deletion.",
            },
            ctx.opts({ dependsOn: [database, ...diagnostics] }),
        );
    }

    const keys = redisenterprise.listDatabaseKeysOutput(
        {
            resourceGroupName: rg,
            clusterName: cluster.name,
            databaseName: database.id.apply(() => "default"),
        },
        { parent: ctx.parent },
    );
    const key = pulumi.secret(keys.primaryKey);
    const host = cluster.hostName;

    return {
        // Keys are base64 (may hold '/', '+', '='): encode them for the URL userinfo.
        url: pulumi.secret(pulumi.all([key, host]).apply(([k, h]) => `rediss://:${encodeURIComponent(k)}@${h}:${REDIS_PORT}/0`)),
        endpoint: pulumi.interpolate`${host}:${REDIS_PORT}`,
        cluster: false,
        dependsOn: [database, pe.endpoint, pe.zoneGroup],
        alarmScope: cluster.id,
        resource: cluster,
    };
}

const REDIS_SKU = /^(Balanced_B|MemoryOptimized_M|ComputeOptimized_X|FlashOptimized_A)\d+$/;
const EVICTION_POLICIES = ["NoEviction", "VolatileLRU", "VolatileLFU", "VolatileTTL", "VolatileRandom", "AllKeysLRU", "AllKeysLFU", "AllKeysRandom"];

/** Azure Managed Redis settings (redis.mode=managed). */
export function redisProblems(spec: ResolvedSpec, a: Azure): string[] {
    const p: string[] = [];
    const sku = a.skus?.redisSkuName;
    if (sku !== undefined && !REDIS_SKU.test(sku)) {
        p.push(
            problem(
                "azure.skus.redisSkuName",
                sku,
                "use an Azure Managed Redis SKU such as Balanced_B1, Balanced_B3, MemoryOptimized_M10 (Enterprise_* tiers retire; Azure Cache for Redis is closed to new customers)",
            ),
        );
    }
    if (a.redisEvictionPolicy !== undefined && !EVICTION_POLICIES.includes(a.redisEvictionPolicy)) {
        p.push(problem("azure.redisEvictionPolicy", a.redisEvictionPolicy, `use one of ${EVICTION_POLICIES.join(", ")}`));
    }
    if (spec.redis.cluster) {
        p.push(
            problem(
                "redis.cluster",
                true,
                "Azure Managed Redis is created with the EnterpriseCluster policy (one non-cluster endpoint); leave redis.cluster unset",
            ),
        );
    }
    return p;
}
