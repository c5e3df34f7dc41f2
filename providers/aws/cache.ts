// Managed Redis: an ElastiCache replication group (Valkey by default) with Multi-AZ automatic
// failover, TLS with an AUTH token, KMS encryption at rest, `timeout 1800`, private subnets and
// 6379 only from the cluster's security groups. Optional cluster mode (configuration endpoint).
import * as pulumi from "@pulumi/pulumi";
import * as elasticache from "@pulumi/aws/elasticache";
import { RandomPassword } from "@pulumi/random/randomPassword";
import type { ManagedCache, ProviderContext } from "../../components/platform/port";
import { cacheEngine, cacheEngineVersion, cacheFamily, cacheNodeType, cacheReplicas, cacheShards } from "./catalog";
import { AwsCacheEngine } from "../../components/platform/awsArgs";
import type { Aws } from "../../components/platform/awsArgs";
import { privateSecurityGroup } from "./database";
import { awsArgs, kmsKey, regionArg } from "./shared";
import type { ResolvedSpec } from "../../components/spec/spec";
import { ServiceMode } from "../../components/args/types";
import { enumValues, problem } from "../../components/spec/errors";

export const REDIS_PORT = 6379;
/** The only special characters ElastiCache accepts in an AUTH token. */
export const AUTH_TOKEN_SPECIALS = "!&#$^<>-";

/** `rediss://:<token>@host:6379/0`. The token may hold URL-reserved characters (#, &, $...): it is percent-encoded; redis-py unquotes it. */
export function redisUrl(token: string, host: string): string {
    return `rediss://:${encodeURIComponent(token)}@${host}:${REDIS_PORT}/0`;
}

export function createCache(ctx: ProviderContext): ManagedCache {
    const spec = ctx.spec;
    const aws = awsArgs(ctx);
    const engine = cacheEngine(spec);
    const version = cacheEngineVersion(spec);
    const cluster = spec.redis.cluster;
    const ha = spec.redis.highAvailability;
    const replicas = cacheReplicas(spec);
    const tags = ctx.tags;
    const region = regionArg(ctx);

    const subnetGroup = new elasticache.SubnetGroup(
        `${ctx.name}-cache-subnets`,
        { subnetIds: aws.privateSubnetIds, description: `Open WebUI ${ctx.name}: private cache subnets`, tags, ...region },
        ctx.opts(),
    );
    const sg = privateSecurityGroup(ctx, "cache", REDIS_PORT, "Redis");
    const params = createCacheParams(ctx, engine, version);
    const token = createAuthToken(ctx);
    const topology = cluster
        ? { clusterMode: "enabled", numNodeGroups: cacheShards(spec), replicasPerNodeGroup: replicas }
        : { clusterMode: "disabled", numCacheClusters: 1 + replicas };
    const group = new elasticache.ReplicationGroup(
        `${ctx.name}-cache`,
        {
            description: `Open WebUI ${ctx.name}: sessions, websockets and config sync`,
            engine,
            engineVersion: version,
            nodeType: cacheNodeType(spec),
            port: REDIS_PORT,
            ...topology,
            // Cluster mode requires automatic failover; Multi-AZ requires it too.
            automaticFailoverEnabled: ha || cluster,
            multiAzEnabled: ha,
            parameterGroupName: params.id,
            subnetGroupName: subnetGroup.id,
            securityGroupIds: [sg.id],
            atRestEncryptionEnabled: true,
            kmsKeyId: kmsKey(ctx),
            transitEncryptionEnabled: true,
            transitEncryptionMode: "required",
            authToken: pulumi.secret(token.result),
            autoMinorVersionUpgrade: true,
            snapshotRetentionLimit: aws.cache?.snapshotRetentionDays ?? 7,
            // ElastiCache has no deletion protection: hardening.cacheDeletionProtection keeps a final snapshot.
            ...(spec.hardening.cacheDeletionProtection !== false ? { finalSnapshotIdentifier: cacheFinalSnapshotId(ctx.name) } : {}),
            tags,
            ...region,
        },
        ctx.opts(),
    );
    const host = cluster ? group.configurationEndpointAddress : group.primaryEndpointAddress;
    return {
        url: pulumi.secret(pulumi.all([token.result, host]).apply(([t, h]) => redisUrl(t, h))),
        endpoint: pulumi.interpolate`${host}:${REDIS_PORT}`,
        cluster,
        dependsOn: [group],
        alarmScope: group.id,
        alarmMembers: group.memberClusters,
        resource: group,
    };
}

/** The parameter group: idle clients closed after 30 min, and cluster mode when redis.cluster. */
function createCacheParams(ctx: ProviderContext, engine: AwsCacheEngine, version: string): elasticache.ParameterGroup {
    const cluster = ctx.spec.redis.cluster;
    const tags = ctx.tags;
    const region = regionArg(ctx);
    return new elasticache.ParameterGroup(
        `${ctx.name}-cache-params`,
        {
            family: cacheFamily(engine, version)!,
            description: `Open WebUI ${ctx.name}: close idle clients after 30 min`,
            parameters: [
                // Open WebUI docs: reap idle connections so they do not pile up (maxclients is fixed at 65000 on ElastiCache).
                { name: "timeout", value: "1800" },
                ...(cluster ? [{ name: "cluster-enabled", value: "yes" }] : []),
            ],
            tags,
            ...region,
        },
        ctx.opts(),
    );
}

/** The AUTH token: 16-128 printable characters; specials limited to the ones ElastiCache accepts. */
function createAuthToken(ctx: ProviderContext): RandomPassword {
    return new RandomPassword(
        `${ctx.name}-cache-auth-token`,
        { length: 64, special: true, overrideSpecial: AUTH_TOKEN_SPECIALS, minSpecial: 2, minUpper: 2, minLower: 2, minNumeric: 2 },
        ctx.opts(),
    );
}

/** Name of the replication group's final snapshot (letters, digits, hyphens; starts with a letter). */
export function cacheFinalSnapshotId(name: string): string {
    const base = `${name}-${pulumi.getStack()}-cache-final`
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .replace(/-+/g, "-");
    return (/^[a-z]/.test(base) ? base : `owui-${base}`).slice(0, 200).replace(/-$/, "");
}

/** Problems of aws.cache against the managed cache (or its presence when the cache is not managed). */
export function cacheProblems(spec: ResolvedSpec, a: Aws): string[] {
    const p: string[] = [];
    const c = a.cache ?? {};
    if (spec.redis.mode === ServiceMode.Managed) {
        const engine = cacheEngine(spec);
        if (!enumValues(AwsCacheEngine).includes(engine)) {
            p.push(problem("aws.cache.engine", engine, `use one of ${enumValues(AwsCacheEngine).join(", ")}`));
        } else if (cacheFamily(engine, cacheEngineVersion(spec)) === undefined) {
            p.push(
                problem(
                    "aws.cache.engineVersion",
                    c.engineVersion,
                    engine === AwsCacheEngine.Valkey
                        ? "use a Valkey 7.x or 8.x version (default 8.1)"
                        : "use a Redis OSS 7.x version (default 7.1); older versions lack the AUTH/TLS behaviour this target relies on",
                ),
            );
        }
        if (c.nodeType !== undefined && !/^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(c.nodeType)) {
            p.push(problem("aws.cache.nodeType", c.nodeType, "use an ElastiCache node type such as cache.m7g.large"));
        }
        const replicas = cacheReplicas(spec);
        if (!Number.isInteger(replicas) || replicas < 0 || replicas > 5) {
            p.push(problem("aws.cache.replicas", replicas, "use 0 to 5 replicas"));
        } else if (spec.redis.highAvailability && replicas < 1) {
            p.push(
                problem(
                    "aws.cache.replicas",
                    replicas,
                    "redis.highAvailability needs at least 1 replica for Multi-AZ automatic failover (or set redis.highAvailability=false)",
                ),
            );
        }
        if (c.shards !== undefined) {
            if (!spec.redis.cluster) {
                p.push(problem("aws.cache.shards", c.shards, "shards apply to cluster mode only: set redis.cluster=true or remove aws.cache.shards"));
            } else if (!Number.isInteger(c.shards) || c.shards < 1 || c.shards > 500) {
                p.push(problem("aws.cache.shards", c.shards, "use 1 to 500 shards"));
            }
        }
        const snap = c.snapshotRetentionDays ?? 7;
        if (!Number.isInteger(snap) || snap < 0 || snap > 35) {
            p.push(problem("aws.cache.snapshotRetentionDays", snap, "use 0 to 35 days"));
        }
    } else if (a.cache !== undefined) {
        p.push(problem("aws.cache", "set", `redis.mode is ${spec.redis.mode}: aws.cache applies to the managed cache only; remove it`));
    }
    return p;
}
