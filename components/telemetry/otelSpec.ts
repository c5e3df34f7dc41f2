// How `otel` resolves: on aws/gcp/azure telemetry is on by default and lands in the cloud's own
// backends (`cloudBackend`); an explicit destination (exporterEndpoint / collectorEndpoint /
// debugOnly) keeps the earlier behaviour; `enabled: false` turns every part off.
import { CloudTarget, OtelSampler } from "../args/enums";
import { enumValues, problem } from "../spec/errors";
import type { Otel } from "../args/types";
import type { ResolvedOtel } from "../spec/specTypes";
import { DEFAULTS } from "../spec/defaults";

/** Default trace sampler: keeps whole traces (parent decides), one new trace in ten. */
export const DEFAULT_OTEL_SAMPLER: OtelSampler = DEFAULTS["otel.sampler"].value;
export const DEFAULT_OTEL_SAMPLER_RATIO: number = DEFAULTS["otel.samplerRatio"].value;
export const DEFAULT_OTEL_LOG_RETENTION_DAYS: number = DEFAULTS["otel.logRetentionDays"].value;
/** The collector's Prometheus exporter port (`otel.prometheusScrape`). */
export const OTEL_PROMETHEUS_PORT = 8889;

/** Whether `o` names a destination of its own (the earlier, explicit modes). */
function explicitDestination(o: Otel | undefined): boolean {
    return o?.exporterEndpoint !== undefined || o?.collectorEndpoint !== undefined || o?.debugOnly === true;
}

export function resolveOtel(target: CloudTarget, o: Otel | undefined, collectorImage: string): ResolvedOtel {
    const cloud = target === CloudTarget.Aws || target === CloudTarget.Gcp || target === CloudTarget.Azure;
    const cloudDefault = cloud && !explicitDestination(o);
    const enabled = o?.enabled ?? (cloudDefault || explicitDestination(o));
    const cloudBackend = enabled && (o?.cloudBackend ?? cloudDefault);
    return {
        enabled,
        deployCollector: enabled && o?.collectorEndpoint === undefined,
        debugOnly: o?.debugOnly ?? DEFAULTS["otel.debugOnly"].value,
        cloudBackend,
        collectorEndpoint: o?.collectorEndpoint,
        exporterEndpoint: o?.exporterEndpoint,
        exporterProtocol: o?.exporterProtocol ?? DEFAULTS["otel.exporterProtocol"].value,
        exporterHeaders: o?.exporterHeaders,
        traces: o?.traces ?? DEFAULTS["otel.traces"].value,
        metrics: o?.metrics ?? !cloudBackend,
        logs: o?.logs ?? cloudBackend,
        sampler: o?.sampler ?? DEFAULT_OTEL_SAMPLER,
        samplerRatio: o?.samplerRatio ?? DEFAULT_OTEL_SAMPLER_RATIO,
        logRetentionDays: o?.logRetentionDays ?? DEFAULT_OTEL_LOG_RETENTION_DAYS,
        prometheusScrape: o?.prometheusScrape ?? DEFAULTS["otel.prometheusScrape"].value,
        serviceMonitor: o?.serviceMonitor ?? DEFAULTS["otel.serviceMonitor"].value,
        prometheusRule: o?.prometheusRule ?? DEFAULTS["otel.prometheusRule"].value,
        grafanaDashboard: o?.grafanaDashboard ?? DEFAULTS["otel.grafanaDashboard"].value,
        collectorImage,
        collectorReplicas: o?.collectorReplicas ?? DEFAULTS["otel.collectorReplicas"].value,
    };
}

/** Retention values the backends accept: CloudWatch Logs (aws), Application Insights (azure). GCP: Cloud Logging's bucket retention, not set here. */
const RETENTION_DAYS: { [t: string]: number[] } = {
    [CloudTarget.Aws]: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653],
    [CloudTarget.Azure]: [30, 60, 90, 120, 180, 270, 365, 550, 730],
};

/** The args this file adds; each message names the field, the value and the fix. */
export function otelBackendProblems(target: CloudTarget, o: Otel | undefined, r: ResolvedOtel): string[] {
    const out: string[] = [];
    if (o?.cloudBackend === true && target === CloudTarget.Kubernetes) {
        out.push(
            problem(
                "otel.cloudBackend",
                true,
                "the kubernetes target has no cloud backend: set otel.exporterEndpoint (your OTLP backend) or otel.collectorEndpoint",
            ),
        );
    }
    if (o?.cloudBackend === true && (o.exporterEndpoint !== undefined || o.collectorEndpoint !== undefined || o.debugOnly)) {
        out.push(
            problem("otel.cloudBackend", true, "with exporterEndpoint/collectorEndpoint/debugOnly: choose one destination (drop cloudBackend, or the others)"),
        );
    }
    if (!enumValues(OtelSampler).includes(r.sampler)) out.push(problem("otel.sampler", r.sampler, `use one of ${enumValues(OtelSampler).join(", ")}`));
    if (typeof r.samplerRatio !== "number" || !(r.samplerRatio >= 0 && r.samplerRatio <= 1))
        out.push(problem("otel.samplerRatio", r.samplerRatio, "use a number from 0 to 1 (0.1 keeps one trace in ten)"));
    const allowed = RETENTION_DAYS[target];
    if (allowed && !allowed.includes(r.logRetentionDays))
        out.push(
            problem(
                "otel.logRetentionDays",
                r.logRetentionDays,
                `use one of ${allowed.join(", ")} (the values ${target === CloudTarget.Aws ? "CloudWatch Logs" : "Application Insights"} accepts)`,
            ),
        );
    if (r.serviceMonitor && !r.prometheusScrape)
        out.push(problem("otel.serviceMonitor", true, "it scrapes the collector's Prometheus endpoint: set otel.prometheusScrape: true too"));
    if (r.prometheusScrape && (!r.deployCollector || !r.metrics))
        out.push(
            problem(
                "otel.prometheusScrape",
                true,
                "needs the collector the component deploys with metrics on: set otel.metrics: true and no collectorEndpoint",
            ),
        );
    return out;
}
