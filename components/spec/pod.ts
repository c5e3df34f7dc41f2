// `pod`: Open WebUI's pods (Deployment and migration Job): zone spread, grace period, resources
// from the size preset, root filesystem, and the labels of the release and of its pods.
import { DEFAULTS } from "./defaults";
import { enumValues, problem } from "./errors";
import type { PodSizing } from "./sizing";
import type { ResolvedSpec } from "./specTypes";
import { CloudTarget, OpenWebUiClusterArgs, ZoneSpread } from "../args/types";

const LABEL_KEY = /^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** `pod.zoneSpread`, when given, is one of the values. */
export function zoneSpreadProblems(a: OpenWebUiClusterArgs, problems: string[]): void {
    if (a.pod?.zoneSpread !== undefined && !enumValues(ZoneSpread).includes(a.pod.zoneSpread)) {
        problems.push(problem("pod.zoneSpread", a.pod.zoneSpread, `use one of ${enumValues(ZoneSpread).join(", ")}`));
    }
}

/** `pod`, defaulted (resources from the size preset's `sizing`); its grace period checked. */
export function resolvePod(a: OpenWebUiClusterArgs, sizing: PodSizing, problems: string[]): ResolvedSpec["pod"] {
    const grace = a.pod?.terminationGracePeriodSeconds ?? DEFAULTS["pod.terminationGracePeriodSeconds"].value;
    if (!Number.isInteger(grace) || grace < 10 || grace > 3600) {
        problems.push(problem("pod.terminationGracePeriodSeconds", grace, "use 10 to 3600 seconds"));
    }
    const spread = DEFAULTS["pod.zoneSpread"].byTarget;
    return {
        ...a.pod,
        zoneSpread: a.pod?.zoneSpread ?? (a.target === CloudTarget.Kubernetes ? spread[CloudTarget.Kubernetes] : spread[CloudTarget.Aws]),
        cpuRequest: a.pod?.cpuRequest ?? sizing.cpuRequest,
        memoryRequest: a.pod?.memoryRequest ?? sizing.memoryRequest,
        memoryLimit: a.pod?.memoryLimit ?? sizing.memoryLimit,
        terminationGracePeriodSeconds: grace,
        readOnlyRootFilesystem: a.pod?.readOnlyRootFilesystem ?? DEFAULTS["pod.readOnlyRootFilesystem"].value,
    };
}

/** `labels` and `pod.labels`: valid Kubernetes label keys and values. */
export function labelProblems(a: OpenWebUiClusterArgs, problems: string[]): void {
    for (const [field, map] of [
        ["labels", a.labels],
        ["pod.labels", a.pod?.labels],
    ] as const) {
        for (const [k, v] of Object.entries(map ?? {})) {
            if (!LABEL_KEY.test(k) || !LABEL_VALUE.test(v)) {
                problems.push(problem(`${field}.${k}`, v, "use a valid Kubernetes label key and value (63 characters, alphanumerics, '-', '_', '.')"));
            }
        }
    }
}
