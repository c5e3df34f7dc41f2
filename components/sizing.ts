// Size presets (pod resources, thread pools) and the database pool computation.
import { SizePreset } from "./types";

/** Pod resources and tuning per size preset (cloud instance classes live in each provider). */
export interface PodSizing {
    cpuRequest: string;
    memoryRequest: string;
    memoryLimit: string;
    threadPoolSize: number;
    /** Preferred per-engine pool and overflow before the connection budget caps them. */
    preferredPool: number;
    preferredOverflow: number;
}

export const POD_SIZING: { [size in SizePreset]: PodSizing } = {
    [SizePreset.Small]: { cpuRequest: "500m", memoryRequest: "1Gi", memoryLimit: "2Gi", threadPoolSize: 100, preferredPool: 5, preferredOverflow: 5 },
    [SizePreset.Medium]: { cpuRequest: "1", memoryRequest: "2Gi", memoryLimit: "3Gi", threadPoolSize: 200, preferredPool: 10, preferredOverflow: 10 },
    [SizePreset.Large]: { cpuRequest: "2", memoryRequest: "3Gi", memoryLimit: "4Gi", threadPoolSize: 400, preferredPool: 15, preferredOverflow: 15 },
};

/** `max_connections` the in-cluster Postgres is started with. */
export const IN_CLUSTER_MAX_CONNECTIONS = 500;
/**
 * `max_connections` of the CloudNativePG `Cluster` (`postgresql.parameters`, the same on every
 * instance, as streaming replicas require); `database.maxConnections` overrides it. The pools are
 * sized against it like any server's (80 % budget by default).
 */
export const CNPG_MAX_CONNECTIONS = 500;

/** The result of the pool computation; all of it is emitted as env or asserted in tests. */
export interface PoolPlan {
    /** Server `max_connections`. */
    maxConnections: number;
    /** Connections the app may use: floor(maxConnections x budgetFraction). */
    budget: number;
    /** Pods that can hold connections at once: HPA max + rolling-update surge + the migration Job. */
    maxConcurrentPods: number;
    /** SQLAlchemy engines per pod that each own a pool: sync + async (+ pgvector's own). */
    enginesPerPod: number;
    /** `DATABASE_POOL_SIZE` (applies to the sync and the async engine). */
    poolSize: number;
    /** `DATABASE_POOL_MAX_OVERFLOW`. */
    maxOverflow: number;
    /** `PGVECTOR_POOL_SIZE` / `PGVECTOR_POOL_MAX_OVERFLOW` (pgvector only). */
    pgvectorPoolSize: number;
    pgvectorMaxOverflow: number;
    /** Worst case per pod: every engine at pool + overflow. */
    perPodMax: number;
    /** Worst case for the release: perPodMax x maxConcurrentPods. Always <= budget. */
    worstCaseTotal: number;
}

/** Surge pods during a rolling update (maxSurge 25%, rounded up, as the Deployment sets it). */
export function surgePods(maxReplicas: number): number {
    return Math.max(1, Math.ceil(maxReplicas * 0.25));
}

/**
 * Sizes the pools so that the worst case, every engine of every pod (HPA max, plus surge,
 * plus the migration Job) at pool + overflow, stays within `budgetFraction` of
 * `max_connections`.
 *
 * Open WebUI >= 0.9 opens a sync engine (startup/config) and an async engine (all
 * requests), both sized by DATABASE_POOL_SIZE/MAX_OVERFLOW; with pgvector it opens a
 * third engine sized by PGVECTOR_POOL_SIZE (PGVECTOR_DB_URL defaults to DATABASE_URL,
 * so the pgvector client builds its own engine). Counting one pool per pod, as the
 * seeds do, under-counts by 2-3x.
 *
 * Returns an error message instead of a plan when the budget cannot fit.
 */
export function computePools(input: {
    maxConnections: number;
    budgetFraction: number;
    maxReplicas: number;
    pgvector: boolean;
    preferredPool: number;
    preferredOverflow: number;
    poolSize?: number;
    maxOverflow?: number;
}): PoolPlan | string {
    const budget = Math.floor(input.maxConnections * input.budgetFraction);
    const maxConcurrentPods = input.maxReplicas + surgePods(input.maxReplicas) + 1;
    const enginesPerPod = input.pgvector ? 3 : 2;
    const perEngineCap = Math.floor(budget / maxConcurrentPods / enginesPerPod);

    let poolSize: number;
    let maxOverflow: number;
    if (input.poolSize !== undefined) {
        poolSize = input.poolSize;
        maxOverflow = input.maxOverflow ?? 0;
    } else {
        if (perEngineCap < 2) {
            return (
                `database: max_connections=${input.maxConnections} x ${input.budgetFraction} leaves ${budget} connections for ` +
                `${maxConcurrentPods} pods x ${enginesPerPod} engines (${perEngineCap} per engine, 2 needed); ` +
                `raise the database size / database.maxConnections or lower replicas.max`
            );
        }
        poolSize = Math.min(input.preferredPool, Math.ceil(perEngineCap / 2));
        maxOverflow = Math.min(input.maxOverflow ?? input.preferredOverflow, perEngineCap - poolSize);
    }
    const perPodMax = enginesPerPod * (poolSize + maxOverflow);
    const worstCaseTotal = perPodMax * maxConcurrentPods;
    if (worstCaseTotal > budget) {
        return (
            `database.poolSize/poolMaxOverflow: ${poolSize}+${maxOverflow} per engine x ${enginesPerPod} engines x ` +
            `${maxConcurrentPods} pods = ${worstCaseTotal} connections, over the budget of ${budget} ` +
            `(max_connections=${input.maxConnections} x ${input.budgetFraction}); lower them (at most ${perEngineCap} per engine) or omit them to compute`
        );
    }
    return {
        maxConnections: input.maxConnections,
        budget,
        maxConcurrentPods,
        enginesPerPod,
        poolSize,
        maxOverflow,
        pgvectorPoolSize: input.pgvector ? poolSize : 0,
        pgvectorMaxOverflow: input.pgvector ? maxOverflow : 0,
        perPodMax,
        worstCaseTotal,
    };
}
