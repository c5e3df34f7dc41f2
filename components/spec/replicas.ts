// `replicas`: how many Open WebUI pods the HPA keeps, and its CPU target.
import { DEFAULTS } from "./defaults";
import { problem } from "./errors";
import type { ResolvedSpec } from "./specTypes";
import type { OpenWebUiClusterArgs } from "../args/types";

/** `replicas`: at least 2 for HA (1 only in maintenance mode); `max` defaults to the larger of 10 and `min`. */
export function resolveReplicas(a: OpenWebUiClusterArgs, problems: string[]): ResolvedSpec["replicas"] {
    const rMin = a.replicas?.min ?? DEFAULTS["replicas.min"].value;
    const rMax = a.replicas?.max ?? Math.max(DEFAULTS["replicas.max"].value, rMin);
    const cpuTarget = a.replicas?.targetCpuUtilization ?? DEFAULTS["replicas.targetCpuUtilization"].value;
    if (!Number.isInteger(rMin) || rMin < 1) {
        problems.push(problem("replicas.min", rMin, "use a whole number >= 2 (2 or more replicas are needed for high availability)"));
    } else if (rMin < 2 && !a.migrations?.maintenanceMode) {
        problems.push(problem("replicas.min", rMin, "a single replica is not highly available: use 2 or more (3 spreads over three zones)"));
    }
    if (!Number.isInteger(rMax) || rMax < rMin) {
        problems.push(problem("replicas.max", rMax, `use a whole number >= replicas.min (${rMin})`));
    }
    if (!Number.isInteger(cpuTarget) || cpuTarget < 10 || cpuTarget > 95) {
        problems.push(problem("replicas.targetCpuUtilization", cpuTarget, "use a percentage between 10 and 95"));
    }
    return { min: rMin, max: rMax, targetCpuUtilization: cpuTarget };
}
