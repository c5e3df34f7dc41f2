// `size`: the preset's pod resources and thread pool (sizing.ts), `threadPoolSize`, and the
// database pools planned once the server's max_connections is known.
import { DEFAULTS } from "./defaults";
import { enumValues, problem } from "./errors";
import { POD_SIZING, PodSizing, computePools } from "./sizing";
import type { ResolvedSpec } from "./specTypes";
import { OpenWebUiClusterArgs, ServiceMode, SizePreset, VectorStore } from "../args/types";

/** `size`, checked; an unknown preset sizes as the default one (the problem is reported). */
export function resolveSize(a: OpenWebUiClusterArgs, problems: string[]): { size: SizePreset; sizing: PodSizing } {
    const size = a.size ?? DEFAULTS.size.value;
    if (!enumValues(SizePreset).includes(size)) {
        problems.push(problem("size", size, `use one of ${enumValues(SizePreset).join(", ")}`));
    }
    return { size, sizing: POD_SIZING[size] ?? POD_SIZING[DEFAULTS.size.value] };
}

/** `threadPoolSize`: the preset's unless set. */
export function resolveThreadPoolSize(a: OpenWebUiClusterArgs, sizing: PodSizing, problems: string[]): number {
    const threadPoolSize = a.threadPoolSize ?? sizing.threadPoolSize;
    if (!Number.isInteger(threadPoolSize) || threadPoolSize < 1) {
        problems.push(problem("threadPoolSize", threadPoolSize, "use a positive whole number"));
    }
    return threadPoolSize;
}

/** Fills `spec.pools` from the server's max_connections; returns a problem if it cannot fit. */
export function planPools(spec: ResolvedSpec, managedMaxConnections: number | undefined): string | undefined {
    const maxConnections =
        spec.database.mode === ServiceMode.Managed && spec.database.maxConnections === 0 ? (managedMaxConnections ?? 0) : spec.database.maxConnections;
    if (!maxConnections) return undefined; // reported by checkDatabase
    spec.database.maxConnections = maxConnections;
    const sizing = POD_SIZING[spec.size] ?? POD_SIZING[DEFAULTS.size.value];
    const plan = computePools({
        maxConnections,
        budgetFraction: spec.database.budgetFraction,
        maxReplicas: spec.replicas.max,
        pgvector: spec.vectorStore.type === VectorStore.Pgvector,
        preferredPool: sizing.preferredPool,
        preferredOverflow: sizing.preferredOverflow,
        poolSize: spec.database.poolSize,
        maxOverflow: spec.database.poolMaxOverflow,
    });
    if (typeof plan === "string") return plan;
    spec.pools = plan;
    return undefined;
}
