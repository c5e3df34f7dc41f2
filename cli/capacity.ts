// `openwebui plan`'s planning capacity: users the release carries at the HPA's minimum and maximum,
// from the per-replica figure the component writes on its HorizontalPodAutoscaler (measured per
// size preset: components/spec/sizing.ts PLANNING_USERS_PER_CPU, `npm run bench -- capacity`).
import { PLANNING_BASIS_ANNOTATION, PLANNING_USERS_ANNOTATION } from "../components/spec/sizing";
import type { CapacityLine, PlannedResource } from "./planTypes";

export type { CapacityLine };

export function planningCapacity(resources: PlannedResource[]): CapacityLine[] {
    const out: CapacityLine[] = [];
    for (const r of resources) {
        if (r.type !== "kubernetes:autoscaling/v2:HorizontalPodAutoscaler") continue;
        const ann = r.props?.metadata?.annotations ?? {};
        const per = Number(ann[PLANNING_USERS_ANNOTATION]);
        const min = Number(r.props?.spec?.minReplicas);
        const max = Number(r.props?.spec?.maxReplicas);
        if (!(per > 0) || !Number.isFinite(min) || !Number.isFinite(max)) continue;
        out.push({
            resource: r.name,
            usersPerReplica: per,
            minReplicas: min,
            maxReplicas: max,
            usersAtMin: per * min,
            usersAtMax: per * max,
            basis: String(ann[PLANNING_BASIS_ANNOTATION] ?? ""),
        });
    }
    return out;
}

export function renderCapacity(lines: CapacityLine[]): string[] {
    if (!lines.length) return [];
    const out = ["Planning capacity (simulated users within p95 2 s and first token p95 3 s; a planning figure for a chat workload, not a guarantee):"];
    for (const l of lines) {
        out.push(
            `  ${l.resource}: ~${l.usersPerReplica} users per replica -> ~${l.usersAtMin} at replicas.min (${l.minReplicas}), ~${l.usersAtMax} at replicas.max (${l.maxReplicas})`,
        );
    }
    out.push(`  basis: ${lines[0].basis}`);
    return out;
}
