// `openwebui plan`'s telemetry lines: the OpenTelemetry collector the component deploys (its
// pods' requests) and what its exporters send to the cloud's backends (spans after sampling,
// logs), at the list prices of cli/prices.ts and the stated volume of TELEMETRY_ASSUMPTIONS.
// Read from the planned Kubernetes objects: the collector Deployment and ConfigMap (its
// pipelines say which backend gets which signal), the app Deployment's OTEL env (sampler) and
// its HPA (replicas). Telemetry off, or sent to the user's own backend: no lines.
import { parse } from "yaml";
import { CostInput, PriceTable, TELEMETRY_ASSUMPTIONS } from "./prices";

export type Cloud = "aws" | "gcp" | "azure";

/** How estimateCost records what this file finds. */
export interface TelemetrySink {
    line(c: Cloud, r: CostInput, item: string, quantity: number, unit: string, basePrice: number, source: string, note: string): void;
    notPriced(r: CostInput, reason: string): void;
}

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const COMPONENT = "app.kubernetes.io/component";
const INSTANCE = "app.kubernetes.io/instance";
const labelsOf = (r: CostInput): Record<string, unknown> => r.props?.metadata?.labels ?? {};
const sameRelease = (a: CostInput, b: CostInput): boolean =>
    labelsOf(a)[INSTANCE] === labelsOf(b)[INSTANCE] && a.props?.metadata?.namespace === b.props?.metadata?.namespace;
const fmt = (n: number): string => n.toLocaleString("en-US", { maximumFractionDigits: 2 });
const DAYS_PER_MONTH = (h: number): number => h / 24;

/** Kubernetes quantity -> cores / GiB ("100m", "1", "256Mi", "1Gi"); undefined when not plain. */
export function cpuCores(q: string | number | undefined): number | undefined {
    const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(String(q ?? ""));
    return m ? Number(m[1]) / (m[2] ? 1000 : 1) : undefined;
}
export function memoryGib(q: string | number | undefined): number | undefined {
    const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(String(q ?? ""));
    if (!m) return undefined;
    const f: Record<string, number> = {
        "": 2 ** -30,
        Ki: 2 ** -20,
        Mi: 2 ** -10,
        Gi: 1,
        Ti: 1024,
        k: 1e3 / 2 ** 30,
        M: 1e6 / 2 ** 30,
        G: 1e9 / 2 ** 30,
        T: 1e12 / 2 ** 30,
    };
    return Number(m[1]) * f[m[2] ?? ""];
}

/** Fraction of new traces kept by an OTEL_TRACES_SAMPLER / _ARG pair; undefined when not known. */
export function sampledFraction(sampler: string | undefined, arg: string | undefined): number | undefined {
    const s = String(sampler ?? "parentbased_always_on");
    if (/always_on$/.test(s)) return 1;
    if (/always_off$/.test(s)) return 0;
    if (!/traceidratio$/.test(s)) return undefined;
    const n = arg === undefined ? 1 : Number(arg);
    return Number.isFinite(n) && n >= 0 && n <= 1 ? n : undefined;
}

/** Which backend the collector's pipeline sends a signal to. */
function backendOf(exporters: string[]): Cloud | "own" | "none" {
    if (exporters.some((e) => e.startsWith("otlphttp/xray") || e.startsWith("otlphttp/logs"))) return "aws";
    if (exporters.includes("googlecloud")) return "gcp";
    if (exporters.includes("azuremonitor")) return "azure";
    if (exporters.some((e) => /^otlp(http)?$/.test(e))) return "own";
    return "none";
}

interface Release {
    collector: CostInput;
    pipelines: Record<string, string[]>;
    app?: CostInput;
    replicas: number;
    env: Record<string, string | undefined>;
}

function releaseOf(collector: CostInput, created: CostInput[]): Release | undefined {
    const cm = created.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && labelsOf(r)[COMPONENT] === "otel-collector" && sameRelease(r, collector));
    const yaml = cm?.props?.data?.["config.yaml"];
    if (typeof yaml !== "string" || yaml === "(computed)") return undefined;
    const pipes = parse(yaml)?.service?.pipelines ?? {};
    const pipelines = Object.fromEntries(Object.entries(pipes as Record<string, { exporters?: string[] } | null>).map(([k, v]) => [k, v?.exporters ?? []]));
    const app = created.find((r) => r.type === DEPLOYMENT && labelsOf(r)[COMPONENT] === "app" && sameRelease(r, collector));
    const hpa =
        app &&
        created.find(
            (r) => r.type.endsWith(":HorizontalPodAutoscaler") && r.props?.spec?.scaleTargetRef?.name === app.props?.metadata?.name && sameRelease(r, app),
        );
    const replicas = Number(hpa?.props?.spec?.minReplicas ?? app?.props?.spec?.replicas ?? 1);
    const env = Object.fromEntries(
        (app?.props?.spec?.template?.spec?.containers?.[0]?.env ?? []).map((e: { name: string; value?: string }) => [e.name, e.value]),
    );
    return { collector, pipelines, app, replicas: Number.isFinite(replicas) && replicas > 0 ? replicas : 1, env };
}

/** Adds the telemetry lines of every collector among `created` (the component's, by its labels). */
export function telemetryCost(created: CostInput[], table: PriceTable, sink: TelemetrySink): void {
    for (const collector of created.filter((r) => r.type === DEPLOYMENT && labelsOf(r)[COMPONENT] === "otel-collector")) {
        const rel = releaseOf(collector, created);
        if (!rel) {
            sink.notPriced(collector, "the collector's config is not known at plan time; telemetry not estimated");
            continue;
        }
        const signals = Object.keys(rel.pipelines);
        const dests = new Set(signals.map((s) => backendOf(rel.pipelines[s])));
        const cloud = (["aws", "gcp", "azure"] as Cloud[]).find((c) => dests.has(c));
        if (!cloud) {
            if (dests.has("own"))
                sink.notPriced(
                    collector,
                    "telemetry goes to your backend (otel.exporterEndpoint): your backend, not priced; the collector pods run on your nodes like the app's",
                );
            continue;
        }
        const P = table[cloud];
        const src = cloud === "aws" ? P.sources.cloudwatch : cloud === "gcp" ? P.sources.observability : P.sources.monitor;
        const podSrc = cloud === "aws" ? P.sources.fargate : cloud === "gcp" ? P.sources.autopilot : P.sources.containerInstances;
        // The backend resource the component creates for it (holds the retention), else the collector.
        const store =
            cloud === "aws"
                ? created.find((r) => r.type === "aws:cloudwatch/logGroup:LogGroup" && sameTags(r, collector))
                : cloud === "azure"
                  ? created.find((r) => r.type === "azure-native:applicationinsights:Component" && sameTags(r, collector))
                  : undefined;

        podLines(cloud, collector, table, sink, podSrc);
        if (signals.includes("traces") && backendOf(rel.pipelines.traces) === cloud) traceLines(cloud, rel, store, table, sink, src);
        if (signals.includes("logs") && backendOf(rel.pipelines.logs) === cloud) logLines(cloud, rel, store, table, sink, src);
        if (signals.includes("metrics") && backendOf(rel.pipelines.metrics) === cloud) {
            sink.notPriced(
                collector,
                "metrics to the cloud backend (otel.metrics) are billed per series and sample, which depends on Open WebUI's attributes; not estimated",
            );
        }
    }
}

/** The collector pods' lines: their requests x replicas, at the per-pod list price. */
function podLines(cloud: Cloud, collector: CostInput, table: PriceTable, sink: TelemetrySink, podSrc: string): void {
    const H = table.hoursPerMonth;
    const P = table[cloud];
    const c = collector.props?.spec?.template?.spec?.containers?.[0];
    const pods = Number(collector.props?.spec?.replicas ?? 1);
    const cpu = cpuCores(c?.resources?.requests?.cpu);
    const mem = memoryGib(c?.resources?.requests?.memory);
    const podNote = `${pods} collector replicas (otel.collectorReplicas) x their requests, priced at ${P.pods.offering} list prices as a proxy for the node capacity they reserve`;
    const parts = [
        { quantity: cpu, what: `${c?.resources?.requests?.cpu} vCPU`, unit: "vCPU-hours", price: P.pods.vcpuHour },
        { quantity: mem, what: `${c?.resources?.requests?.memory} memory`, unit: "GiB-hours", price: P.pods.memoryGibHour },
    ];
    for (const x of parts) {
        if (x.quantity === undefined) continue;
        const item = `OpenTelemetry collector pods: ${x.what} requested x ${pods}`;
        sink.line(cloud, collector, item, round4(x.quantity * pods * H), x.unit, x.price, podSrc, podNote);
    }
}

/** The sampled spans' line (per million spans, or per GiB ingested), or why traces are not priced. */
function traceLines(cloud: Cloud, rel: Release, store: CostInput | undefined, table: PriceTable, sink: TelemetrySink, src: string): void {
    const A = TELEMETRY_ASSUMPTIONS;
    const T = table[cloud].telemetry;
    const days = DAYS_PER_MONTH(table.hoursPerMonth);
    const collector = rel.collector;
    const requests = A.requestsPerReplicaDay * rel.replicas * days;
    const base = `${fmt(A.requestsPerReplicaDay)} requests/day per app replica x ${rel.replicas} replicas (HPA min) x ${fmt(days)} days`;
    const ratio = sampledFraction(rel.env.OTEL_TRACES_SAMPLER, rel.env.OTEL_TRACES_SAMPLER_ARG);
    if (ratio === undefined) {
        sink.notPriced(
            collector,
            `trace sampler ${rel.env.OTEL_TRACES_SAMPLER}=${rel.env.OTEL_TRACES_SAMPLER_ARG} is not known at plan time; traces not estimated`,
        );
        return;
    }
    const traces = requests * ratio;
    const spans = traces * A.spansPerTrace;
    const note = `assumes ${base} = ${fmt(requests)} requests x sampler ${rel.env.OTEL_TRACES_SAMPLER} ${ratio} (otel.samplerRatio) = ${fmt(traces)} traces x ${A.spansPerTrace} spans`;
    if (T.spansPerMillion !== undefined) {
        sink.line(
            cloud,
            collector,
            "Cloud Trace spans ingested",
            round4(spans / 1e6),
            "million spans",
            T.spansPerMillion,
            src,
            `${note}; free tier (${T.freeSpans}) not subtracted`,
        );
        return;
    }
    const gib = (spans * A.spanKib) / 2 ** 20;
    const what =
        cloud === "aws"
            ? "X-Ray spans (Transaction Search: ingested as CloudWatch Logs, 1 % indexed free)"
            : "Application Insights traces ingested (Log Analytics)";
    sink.line(
        cloud,
        cloud === "azure" ? (store ?? collector) : collector,
        what,
        round4(gib),
        "GiB",
        T.spansIngestGib!,
        src,
        `${note} x ${A.spanKib} KiB; free tier (${T.freeSpans}) not subtracted`,
    );
}

function logLines(cloud: Cloud, rel: Release, store: CostInput | undefined, table: PriceTable, sink: TelemetrySink, src: string): void {
    const A = TELEMETRY_ASSUMPTIONS;
    const T = table[cloud].telemetry;
    const days = DAYS_PER_MONTH(table.hoursPerMonth);
    const gibDay = A.logGibPerReplicaDay * rel.replicas;
    const gib = gibDay * days;
    // GCP: Cloud Logging's default bucket (30 days, included); the component sets no retention there.
    const retention = Number(store?.props?.retentionInDays ?? 30);
    const owner = store ?? rel.collector;
    const what =
        cloud === "aws" ? "CloudWatch Logs ingested" : cloud === "gcp" ? "Cloud Logging ingested" : "Application Insights logs ingested (Log Analytics)";
    const note = `assumes ${A.logGibPerReplicaDay} GiB/day per app replica x ${rel.replicas} replicas (HPA min) x ${fmt(days)} days; free tier (${T.freeLogs}) not subtracted`;
    sink.line(cloud, owner, what, round4(gib), "GiB", T.logsIngestGib, src, note);
    const billedDays = Math.max(0, retention - T.freeRetentionDays);
    if (billedDays > 0) {
        const stored = gibDay * billedDays;
        sink.line(
            cloud,
            owner,
            `${cloud === "aws" ? "CloudWatch Logs" : "Log Analytics"} retention (${retention} days, otel.logRetentionDays)`,
            round4(stored),
            "GiB-months",
            T.logsStorageGibMonth,
            src,
            `${fmt(gibDay)} GiB/day x ${billedDays} billed days kept, uncompressed (an upper bound)${T.freeRetentionDays ? `; the first ${T.freeRetentionDays} days are included` : ""}`,
        );
    }
}

/** The component tags its cloud resources with `openwebui-cluster: <name>` (its instance label). */
function sameTags(r: CostInput, collector: CostInput): boolean {
    const tag = r.props?.tags?.["openwebui-cluster"];
    return tag === undefined || tag === labelsOf(collector)[INSTANCE];
}

const round4 = (n: number): number => Math.round(n * 1e4) / 1e4;
