// Memorystore for Redis: Standard tier (HA) with AUTH and in-transit encryption over private services access.
import * as pulumi from "@pulumi/pulumi";
import * as redis from "@pulumi/gcp/redis";
import type { ManagedCache, ProviderContext } from "../../components/platform/port";
import { GCP_REDIS_MEMORY_GB, REDIS_DAYS } from "./catalog";
import { gcpLabels, maintenance, redisTier, privateServiceAccess } from "./shared";

export function createCache(ctx: ProviderContext): ManagedCache {
    const spec = ctx.spec;
    const g = spec.gcp!;
    const connectMode = g.redisConnectMode ?? "PRIVATE_SERVICE_ACCESS";
    const psa = connectMode === "PRIVATE_SERVICE_ACCESS" ? privateServiceAccess(ctx) : undefined;
    const mw = maintenance(g);

    const instance = new redis.Instance(
        `${ctx.name}-redis`,
        {
            project: g.project,
            region: g.region,
            tier: redisTier(spec),
            memorySizeGb: g.redisMemorySizeGb ?? GCP_REDIS_MEMORY_GB[spec.size] ?? 2,
            redisVersion: g.redisVersion ?? "REDIS_7_2",
            authEnabled: true,
            transitEncryptionMode: "SERVER_AUTHENTICATION",
            connectMode,
            authorizedNetwork: g.network,
            reservedIpRange: psa?.rangeName,
            // Close idle client connections after 30 minutes (Open WebUI guidance); `timeout`
            // is in Memorystore's modifiable-config allow-list for Redis 3.2+.
            redisConfigs: { timeout: "1800" },
            maintenancePolicy: {
                weeklyMaintenanceWindows: [{ day: REDIS_DAYS[mw.day - 1] ?? "SUNDAY", startTime: { hours: mw.hour, minutes: 0, seconds: 0, nanos: 0 } }],
            },
            displayName: `Open WebUI ${ctx.name}`,
            labels: gcpLabels(ctx.tags),
            // hardening.cacheDeletionProtection (default true): `pulumi up`/`destroy` cannot delete it.
            deletionProtection: spec.hardening.cacheDeletionProtection ?? true,
            customerManagedKey: g.kmsKeyName,
        },
        ctx.opts({ dependsOn: psa?.dependsOn ?? [] }),
    );

    return {
        url: pulumi.secret(pulumi.interpolate`rediss://:${instance.authString}@${instance.host}:${instance.port}/0`),
        endpoint: pulumi.interpolate`${instance.host}:${instance.port}`,
        cluster: false,
        // Every server CA (two during a CA rotation), so clients keep verifying across it.
        caCertificate: instance.serverCaCerts.apply(
            (certs) =>
                (certs ?? [])
                    .map((c) => (c.cert ?? "").trim())
                    .filter((c) => c !== "")
                    .join("\n") + "\n",
        ),
        // Memorystore's server certificate is issued for an IP endpoint; redis-py >= 6
        // checks hostnames by default, which fails against it. The CA is still verified.
        skipHostnameCheck: true,
        dependsOn: [instance],
        // Cloud Monitoring's `instance_id` label: projects/<p>/locations/<region>/instances/<name>, the resource id.
        alarmScope: instance.id,
        resource: instance,
    };
}
