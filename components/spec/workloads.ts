// `pod` knobs and `workloads`: the scheduling and resource knobs of Open WebUI's pods and of every
// other workload, their images (under `imageRegistry`) and their pull secrets (podKnobs.ts).
import { problem } from "./errors";
import { secretNameProblem } from "./secretHygiene";
import type { ResolvedSpec } from "./specTypes";
import { APP_POD_NAMES, podKnobProblems, registryProblems, ResolvedKnobs, resolveKnobs, WORKLOADS } from "../kubernetes/podKnobs";
import type { OpenWebUiClusterArgs, Workloads } from "../args/types";

/** The knobs of every workload (`app`: Open WebUI's Deployment and migration Job), checked. */
export function resolveWorkloads(a: OpenWebUiClusterArgs, problems: string[]): ResolvedSpec["knobs"] {
    problems.push(...registryProblems(a.imageRegistry));
    problems.push(...podKnobProblems("pod", a.pod, APP_POD_NAMES));
    const workloads = a.workloads ?? {};
    for (const w of Object.keys(WORKLOADS) as (keyof Workloads)[]) problems.push(...podKnobProblems(`workloads.${w}`, workloads[w], WORKLOADS[w]));
    if (a.otel?.collectorImage !== undefined && workloads.otelCollector?.image !== undefined && a.otel.collectorImage !== workloads.otelCollector.image) {
        problems.push(
            problem(
                "workloads.otelCollector.image",
                workloads.otelCollector.image,
                `otel.collectorImage sets the same image (${a.otel.collectorImage}): set one of them`,
            ),
        );
    }
    const everyPod = [...new Set([...(a.pod?.imagePullSecret ? [a.pod.imagePullSecret] : []), ...(a.pod?.imagePullSecrets ?? [])])];
    const pullSecretProblem = secretNameProblem("pod.imagePullSecret", a.pod?.imagePullSecret);
    if (pullSecretProblem) problems.push(pullSecretProblem);
    // The app pod's own settings are not knobs of the shared kind.
    const {
        annotations: _a,
        labels: _l,
        zoneSpread: _z,
        terminationGracePeriodSeconds: _t,
        readOnlyRootFilesystem: _r,
        imagePullSecret: _i,
        command: _c,
        args: _g,
        serviceAccountAnnotations: _s,
        ...appKnobs
    } = a.pod ?? {};
    return {
        app: resolveKnobs(appKnobs, everyPod),
        ...(Object.fromEntries((Object.keys(WORKLOADS) as (keyof Workloads)[]).map((w) => [w, resolveKnobs(workloads[w], everyPod)])) as Record<
            keyof Workloads,
            ResolvedKnobs
        >),
    };
}
