// Size presets (pod resources, thread pools), their planning capacity, and the database pool computation.
import { parseQuantity } from "./quantity";
import { SizePreset } from "../args/types";

/** Pod resources and tuning per size preset (cloud instance classes live in each provider). */
export interface PodSizing {
    cpuRequest: string;
    memoryRequest: string;
    memoryLimit: string;
    /**
     * `THREAD_POOL_SIZE` (the thread limiter of Open WebUI's sync work). Measured with
     * `npm run bench -- capacity`: 0.12.4 ran at most 15 OS threads per replica at saturation
     * (runtime threads included), so the old 100/200/400 were never used; these keep 2-5x headroom
     * for sync-heavy work (document extraction, tools) without inviting a thread pile-up.
     */
    threadPoolSize: number;
    /**
     * Preferred per-engine pool and overflow before the connection budget caps them. The pool
     * holds the steady use at the preset's planning capacity (measured: the async engine held its
     * whole 10 + 10 at 75 users on one core and reopened overflow connections, 1.7 new Postgres
     * sessions/s), so that overflow, whose connections SQLAlchemy closes on return, covers bursts only.
     */
    preferredPool: number;
    preferredOverflow: number;
}

export const POD_SIZING: { [size in SizePreset]: PodSizing } = {
    [SizePreset.Small]: { cpuRequest: "500m", memoryRequest: "1Gi", memoryLimit: "2Gi", threadPoolSize: 20, preferredPool: 15, preferredOverflow: 5 },
    [SizePreset.Medium]: { cpuRequest: "1", memoryRequest: "2Gi", memoryLimit: "3Gi", threadPoolSize: 40, preferredPool: 25, preferredOverflow: 10 },
    [SizePreset.Large]: { cpuRequest: "2", memoryRequest: "3Gi", memoryLimit: "4Gi", threadPoolSize: 80, preferredPool: 30, preferredOverflow: 10 },
};

/**
 * Planning capacity: simulated users one Open WebUI 0.12.4 replica carries per CPU core while plain
 * requests stay under p95 2 s, the first streamed token under p95 3 s and errors under 1 %.
 * Measured with `npm run bench -- capacity` (one replica pinned to one core, the emitted env of each
 * preset, a user streaming a 200-token answer at 50 tokens/s every 4-6 s of think time; README
 * "Sizing: users per replica"): 75 users on every preset, CPU-bound (the replica at 85-87 % of its
 * core; at 100 users 95 % and the first token past 3 s). A planning figure for this chat workload,
 * not a guarantee: RAG queries, file uploads and tools cost more per user.
 */
export const PLANNING_USERS_PER_CPU: { [size in SizePreset]: number } = {
    [SizePreset.Small]: 75,
    [SizePreset.Medium]: 75,
    [SizePreset.Large]: 75,
};
/**
 * Cores one replica's event loop can use: the component runs one uvicorn worker per pod
 * (`UVICORN_WORKERS=1`), so CPU above one core serves only the thread pool (sync work such as
 * document extraction), not more users. Scale out with replicas, not bigger pods.
 */
export const EVENT_LOOP_CORES = 1;
/** Where the figures come from (printed by `plan` beside the estimate). */
export const PLANNING_CAPACITY_BASIS =
    "npm run bench -- capacity: one replica on one pinned core, 0.12.4, chat users (list, open, a streamed 200-token answer, save, 4-6 s think); 75 users per core within p95 2 s / first token p95 3 s; one uvicorn worker per pod uses at most one core";

/** Users one replica carries at the pod's CPU request (`pod.cpuRequest`, else the preset's), at most one core's worth. */
export function planningUsersPerReplica(size: SizePreset, cpuRequest: string): number {
    return Math.floor(PLANNING_USERS_PER_CPU[size] * Math.min(parseQuantity(cpuRequest) ?? 0, EVENT_LOOP_CORES));
}

/** Deployment annotation with `PoolPlan.churn` (plan prints it; the policy pack flags it). */
export const POOL_CHURN_ANNOTATION = "openwebui.io/pool-churn";
/** HPA annotations `plan` reads to print the planning capacity (cli/capacity.ts). */
export const PLANNING_USERS_ANNOTATION = "openwebui.io/planning-users-per-replica";
export const PLANNING_BASIS_ANNOTATION = "openwebui.io/planning-basis";

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
    /** Set when the pool is below the preset's steady use (reconnect churn under load): why, and the fix. */
    churn?: string;
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
        // The pool first (steady use), then what is left for bursts.
        poolSize = Math.min(input.preferredPool, perEngineCap);
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
    const churn =
        poolSize < input.preferredPool
            ? `DATABASE_POOL_SIZE ${poolSize} is below the ${input.preferredPool} the size preset needs at its planning capacity ` +
              `(${input.poolSize !== undefined ? "database.poolSize" : `the budget of ${budget} connections over ${maxConcurrentPods} pods x ${enginesPerPod} engines`}): ` +
              `under that load each replica opens and closes connections (a new Postgres login per request past the pool). ` +
              `Fix: a bigger database or database.maxConnections, fewer replicas.max, or accept it for a small rollout`
            : undefined;
    return {
        maxConnections: input.maxConnections,
        budget,
        churn,
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
