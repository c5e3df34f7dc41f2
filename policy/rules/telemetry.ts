// Telemetry on a cloud target: Open WebUI sends traces (and logs) to a collector by default on
// aws/gcp/azure (`otel.enabled`, `otel.samplerRatio`). Advisory: reports the default turned off,
// or a sampler that keeps nothing. On the kubernetes target telemetry is off by default: a stack
// with no aws/gcp/azure-native resource is not checked.
import type { PolicyResource } from "@pulumi/policy";
import { TYPES, stackRule } from "./shape";
import { EnvView, findOwuiWorkloads, has, patternOf, plainValue } from "./workloads";

/** The cloud a stack deploys to, from its own resources (the component's managed services). */
export function stackCloud(resources: PolicyResource[]): string | undefined {
    for (const r of resources) {
        const m = /^(aws|gcp|azure-native):/.exec(r.type);
        if (m) return m[1] === "azure-native" ? "azure" : m[1];
    }
    return undefined;
}

/** Why a container keeps no telemetry / no traces; undefined when it does (or cannot be known). */
export function telemetryGap(env: EnvView): string | undefined {
    const value = (name: string) => plainValue(env.vars.get(name));
    const on = value("ENABLE_OTEL");
    if (!on.known) return undefined;
    if (!has(env, "ENABLE_OTEL")) return "telemetry is off (no ENABLE_OTEL)";
    if (on.value === undefined) return undefined; // from an opaque envFrom source
    if (String(on.value).toLowerCase() !== "true") return `telemetry is off (ENABLE_OTEL=${on.value})`;
    const traces = value("ENABLE_OTEL_TRACES");
    if (traces.known && traces.value !== undefined && String(traces.value).toLowerCase() !== "true")
        return `it keeps no traces (ENABLE_OTEL_TRACES=${traces.value})`;
    const sampler = value("OTEL_TRACES_SAMPLER");
    if (!sampler.known) return undefined;
    if (/always_off$/.test(String(sampler.value ?? ""))) return `it keeps no traces (OTEL_TRACES_SAMPLER=${sampler.value})`;
    const ratio = value("OTEL_TRACES_SAMPLER_ARG");
    if (/traceidratio$/.test(String(sampler.value ?? "")) && ratio.known && ratio.value !== undefined && Number(ratio.value) === 0) {
        return `it keeps no traces (OTEL_TRACES_SAMPLER=${sampler.value}, OTEL_TRACES_SAMPLER_ARG=${ratio.value})`;
    }
    return undefined;
}

export const telemetryOn = stackRule({
    name: "owui-telemetry",
    description:
        "On a cloud target (the stack creates aws/gcp/azure-native resources), Open WebUI serving containers send telemetry (ENABLE_OTEL=true) and keep traces (ENABLE_OTEL_TRACES not false, a sampler other than always_off, a ratio above 0). Off with otel.enabled=false, otel.traces=false or otel.samplerRatio=0; on kubernetes telemetry is off by default and not checked.",
    remediation:
        "Keep otel.enabled (default true on aws/gcp/azure: a collector exporting to the cloud's own backends), otel.traces and a samplerRatio above 0 (default 0.1); or send telemetry elsewhere with otel.exporterEndpoint / otel.collectorEndpoint.",
    enforcementLevel: "advisory",
    severity: "low",
    tags: ["observability"],
    validateStack: (args, report) => {
        const cloud = stackCloud(args.resources);
        if (!cloud) return;
        for (const w of findOwuiWorkloads(args.resources, patternOf(args))) {
            if (w.type !== TYPES.deployment && w.type !== TYPES.statefulSet) continue;
            for (const c of w.containers) {
                const gap = telemetryGap(c.env);
                if (gap) report(`${w.type.split(":").pop()} '${w.objectName ?? w.name}' container '${c.container?.name}' on ${cloud}: ${gap}.`, w.resource.urn);
            }
        }
    },
});
