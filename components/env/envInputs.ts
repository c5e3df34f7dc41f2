// Where each value of the Open WebUI env comes from (buildEnv's inputs), once the backing services
// and the pods' Secrets exist: the app Secret, the user's Secrets, the storage env, the collector.
import * as pulumi from "@pulumi/pulumi";
import type { WiringContext } from "../wiring";
import type { DatabaseWiring } from "../data/database";
import type { CacheWiring } from "../data/cache";
import type { ObjectStoreWiring } from "../data/objectStore";
import type { AppSecrets } from "./appSecrets";
import type { EnvInputs, SecretRef } from "./env";

/** buildEnv's inputs: URLs from the user's Secret when given, else from the app Secret `<name>-app`. */
export function appEnvInputs(
    w: WiringContext,
    p: { db: DatabaseWiring; cache: CacheWiring; store: ObjectStoreWiring; secrets: AppSecrets; secretKey?: SecretRef; otelEndpoint?: pulumi.Output<string> },
): EnvInputs {
    const { name, spec } = w;
    const appSecretName = `${name}-app`;
    const redis = spec.redis;
    return {
        appSecretName,
        secretKey: p.secretKey,
        database: {
            url: p.db.userDbUrlRef ?? { name: appSecretName, key: "DATABASE_URL" },
            iamAuth: spec.database.iamAuth,
            createVectorExtension: p.db.createVectorExtension,
        },
        redis: {
            url: p.cache.userUrlRef ?? { name: appSecretName, key: "REDIS_URL" },
            cluster: redis.cluster,
            sentinelHosts: p.cache.sentinel?.hosts ?? redis.sentinelHosts,
            sentinelPort: p.cache.sentinel?.port ?? redis.sentinelPort,
        },
        storageEnv: p.store.env,
        storageSecretEnv: p.store.secretEnv,
        otelCollectorEndpoint: p.otelEndpoint ?? (spec.otel.enabled ? spec.otel.collectorEndpoint : undefined),
        secretKeys: p.secrets.secretKeys,
    };
}
