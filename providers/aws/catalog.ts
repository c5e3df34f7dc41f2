// AWS facts the aws target relies on: instance classes per size, max_connections per class,
// pinned engine versions. Plain data, no SDK import (validate() uses it before any resource).
import { SizePreset } from "../../components/args/types";
import type { ResolvedSpec } from "../../components/spec/spec";
import { AwsCacheEngine, AwsDatabaseEngine } from "../../components/platform/awsArgs";

/**
 * Database instance class per size. Memory-optimised Graviton (r6g) rather than burstable t4g:
 * Aurora db.t4g.medium caps max_connections at 405 and runs on CPU credits, which a chat
 * workload with bursts of websocket traffic exhausts; db.r6g.large is the smallest class AWS
 * recommends for production Aurora and gives 1722 connections (Aurora doc table).
 */
export const DB_INSTANCE_CLASS: { [size in SizePreset]: string } = {
    [SizePreset.Small]: "db.r6g.large",
    [SizePreset.Medium]: "db.r6g.xlarge",
    [SizePreset.Large]: "db.r6g.2xlarge",
};

/**
 * Aurora PostgreSQL default `max_connections` = LEAST(DBInstanceClassMemory/9531392, 5000).
 * t4g.medium 405, r6g.large 1722, r6g.xlarge 3479 are the values of the Aurora doc table;
 * r7g has the same memory as r6g (same value expected); 2xlarge and up reach the 5000 cap
 * (64 GiB / 9531392 is about 7200).
 */
export const AURORA_MAX_CONNECTIONS: { [cls: string]: number } = {
    "db.t4g.medium": 405,
    "db.r6g.large": 1722,
    "db.r7g.large": 1722,
    "db.r6g.xlarge": 3479,
    "db.r7g.xlarge": 3479,
    "db.r6g.2xlarge": 5000,
    "db.r7g.2xlarge": 5000,
    "db.r6g.4xlarge": 5000,
    "db.r7g.4xlarge": 5000,
};

/**
 * RDS for PostgreSQL uses the same formula, but its DBInstanceClassMemory table did not render
 * in the docs checked: the nominal ceilings are t4g.medium 450, r6g.large 1802, r6g.xlarge 3604,
 * and the real values are lower. We take 90% of the ceiling (rounded down), so the pools are
 * sized under the real value; the core keeps a further 20% out of the budget.
 */
export const RDS_MAX_CONNECTIONS: { [cls: string]: number } = {
    "db.t4g.medium": 405,
    "db.r6g.large": 1621,
    "db.r7g.large": 1621,
    "db.r6g.xlarge": 3243,
    "db.r7g.xlarge": 3243,
    "db.r6g.2xlarge": 5000,
    "db.r7g.2xlarge": 5000,
    "db.r6g.4xlarge": 5000,
    "db.r7g.4xlarge": 5000,
};

/** Exact engine versions per Postgres major (both exist for Aurora PostgreSQL and RDS for PostgreSQL in 2026). */
export const PG_ENGINE_VERSION: { [major: string]: string } = {
    "16": "16.13",
    "17": "17.9",
};

/** ElastiCache node type per size. */
export const CACHE_NODE_TYPE: { [size in SizePreset]: string } = {
    [SizePreset.Small]: "cache.t4g.medium",
    [SizePreset.Medium]: "cache.m7g.large",
    [SizePreset.Large]: "cache.r7g.large",
};

/** Default engine version per cache engine. */
export const CACHE_ENGINE_VERSION: { [engine in AwsCacheEngine]: string } = {
    [AwsCacheEngine.Valkey]: "8.1",
    [AwsCacheEngine.Redis]: "7.1",
};

/** ElastiCache parameter-group family for an engine and version (`valkey8`, `valkey7`, `redis7`), or undefined when unsupported. */
export function cacheFamily(engine: AwsCacheEngine, version: string): string | undefined {
    const major = version.split(".")[0];
    if (engine === AwsCacheEngine.Valkey && (major === "7" || major === "8")) return `valkey${major}`;
    if (engine === AwsCacheEngine.Redis && major === "7") return "redis7";
    return undefined;
}

export function dbEngine(spec: ResolvedSpec): AwsDatabaseEngine {
    return spec.aws?.database?.engine ?? AwsDatabaseEngine.Aurora;
}

export function dbInstanceClass(spec: ResolvedSpec): string {
    return spec.aws?.database?.instanceClass ?? DB_INSTANCE_CLASS[spec.size] ?? DB_INSTANCE_CLASS[SizePreset.Medium];
}

/** Default max_connections of the class for the engine, or undefined when the class is not in the table. */
export function classMaxConnections(spec: ResolvedSpec): number | undefined {
    const table = dbEngine(spec) === AwsDatabaseEngine.Aurora ? AURORA_MAX_CONNECTIONS : RDS_MAX_CONNECTIONS;
    return table[dbInstanceClass(spec)];
}

export function dbEngineVersion(spec: ResolvedSpec): string | undefined {
    return spec.aws?.database?.engineVersion ?? PG_ENGINE_VERSION[spec.database.version];
}

export function cacheEngine(spec: ResolvedSpec): AwsCacheEngine {
    return spec.aws?.cache?.engine ?? AwsCacheEngine.Valkey;
}

export function cacheEngineVersion(spec: ResolvedSpec): string {
    const engine = cacheEngine(spec);
    return spec.aws?.cache?.engineVersion ?? CACHE_ENGINE_VERSION[engine] ?? CACHE_ENGINE_VERSION[AwsCacheEngine.Valkey];
}

export function cacheNodeType(spec: ResolvedSpec): string {
    return spec.aws?.cache?.nodeType ?? CACHE_NODE_TYPE[spec.size] ?? CACHE_NODE_TYPE[SizePreset.Medium];
}

/** Replicas per shard / of the primary. */
export function cacheReplicas(spec: ResolvedSpec): number {
    return spec.aws?.cache?.replicas ?? (spec.redis.highAvailability ? 1 : 0);
}

export function cacheShards(spec: ResolvedSpec): number {
    return spec.aws?.cache?.shards ?? 2;
}

/** ALB deregistration delay: the pod must outlive it, so at most the grace period. */
export function deregistrationDelay(spec: ResolvedSpec): number {
    return spec.aws?.loadBalancer?.deregistrationDelaySeconds ?? Math.min(30, spec.pod.terminationGracePeriodSeconds);
}

export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
export const DEFAULT_IDLE_TIMEOUT = 3600;
/** Name of the app role the core creates; the IAM auth policy names it. */
export const APP_DB_USER = "openwebui_app";
export const ADMIN_DB_USER = "openwebui_admin";
