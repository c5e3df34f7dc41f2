// The real collector (scripts/collector/build.sh) running the config the component emits, with the
// end-to-end overlay (tests/collectorLib.ts: the cloud exporters swapped for one file exporter).
// Localized for this machine only: listeners on 127.0.0.1 free ports (the pod listens on 0.0.0.0
// behind its Service and NetworkPolicy), and the collector's own metrics on a free port. Nothing
// else of the emitted config changes (processors, pipelines, signals).
import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { collectorBinary, fileOverlay } from "../../collectorLib";
import { Tracked, freePort, request, startProcess, stopProcess, tail, tempDir, waitFor } from "./procs";

export interface OtlpExport {
    resourceSpans?: { resource: { attributes?: Attr[] }; scopeSpans: { scope?: { name?: string }; spans: Span[] }[] }[];
    resourceLogs?: { resource: { attributes?: Attr[] }; scopeLogs: { logRecords: LogRecord[] }[] }[];
    resourceMetrics?: { resource: { attributes?: Attr[] }; scopeMetrics: { metrics: { name: string; [k: string]: unknown }[] }[] }[];
}
export interface Attr {
    key: string;
    value: { stringValue?: string; intValue?: string; boolValue?: boolean; doubleValue?: number };
}
export interface Span {
    traceId: string;
    spanId: string;
    parentSpanId?: string;
    name: string;
    kind?: number;
    startTimeUnixNano: string;
    attributes?: Attr[];
}
export interface LogRecord {
    traceId?: string;
    spanId?: string;
    body?: { stringValue?: string };
    severityText?: string;
    timeUnixNano?: string;
}

export function attrs(a: Attr[] | undefined): Record<string, string> {
    return Object.fromEntries((a ?? []).map((x) => [x.key, String(x.value.stringValue ?? x.value.intValue ?? x.value.boolValue ?? x.value.doubleValue ?? "")]));
}

export class LocalCollector {
    readonly dir = tempDir("otelcol");
    readonly out = path.join(this.dir, "telemetry.jsonl");
    grpcPort = 0;
    httpPort = 0;
    healthPort = 0;
    selfMetricsPort = 0;
    private proc?: Tracked;
    private configFile = "";

    constructor(readonly emitted: string) {}

    /** The emitted config with the overlay and the loopback listeners (ports chosen once: a restart keeps them). */
    private async render(): Promise<string> {
        if (!this.grpcPort)
            [this.grpcPort, this.httpPort, this.healthPort, this.selfMetricsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
        const cfg = parse(fileOverlay(this.emitted, this.dir));
        cfg.receivers.otlp.protocols.grpc.endpoint = `127.0.0.1:${this.grpcPort}`;
        cfg.receivers.otlp.protocols.http.endpoint = `127.0.0.1:${this.httpPort}`;
        cfg.extensions.health_check.endpoint = `127.0.0.1:${this.healthPort}`;
        cfg.service.telemetry = {
            ...cfg.service.telemetry,
            metrics: { readers: [{ pull: { exporter: { prometheus: { host: "127.0.0.1", port: this.selfMetricsPort } } } }] },
        };
        return stringify(cfg);
    }

    get otlpGrpc(): string {
        return `http://127.0.0.1:${this.grpcPort}`;
    }

    get running(): boolean {
        return !!this.proc && !this.proc.exited;
    }

    async start(): Promise<void> {
        const bin = collectorBinary();
        if (!fs.existsSync(bin)) throw new Error(`${bin} missing: run scripts/collector/build.sh (the collector distribution) first`);
        this.configFile = path.join(this.dir, "config.yaml");
        fs.writeFileSync(this.configFile, await this.render());
        // The AWS exporters are swapped out; the env the pod gets from its Secret is not needed.
        this.proc = startProcess("otelcol", bin, [`--config=file:${this.configFile}`], { env: { PATH: process.env.PATH, GOMEMLIMIT: "400MiB" } });
        await waitFor(
            "the collector healthy",
            async () => (await request(`http://127.0.0.1:${this.healthPort}/`, { timeoutMs: 2_000 }).catch(() => ({ status: 0 }))).status === 200,
            30_000,
            200,
            () => (this.proc?.exited ? `collector exited:\n${tail(this.proc.logFile)}` : undefined),
        );
    }

    /** SIGKILL: a crash or an OOM kill, no flush. */
    async kill(): Promise<void> {
        const p = this.proc;
        this.proc = undefined;
        if (!p || p.exited || p.child.pid === undefined) return;
        process.kill(-p.child.pid, "SIGKILL");
        await waitFor("the collector gone", async () => p.exited, 10_000, 50);
    }

    async stop(): Promise<void> {
        if (this.proc) await stopProcess(this.proc);
        this.proc = undefined;
    }

    /** Every export the file exporter wrote so far (one JSON object per line). */
    exports(): OtlpExport[] {
        if (!fs.existsSync(this.out)) return [];
        return fs
            .readFileSync(this.out, "utf8")
            .split("\n")
            .filter((l) => l.trim())
            .map((l) => JSON.parse(l) as OtlpExport);
    }

    spans(): (Span & { resource: Record<string, string>; scope: string })[] {
        return this.exports().flatMap((e) =>
            (e.resourceSpans ?? []).flatMap((rs) =>
                rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => ({ ...s, resource: attrs(rs.resource.attributes), scope: ss.scope?.name ?? "" }))),
            ),
        );
    }

    logs(): (LogRecord & { resource: Record<string, string> })[] {
        return this.exports().flatMap((e) =>
            (e.resourceLogs ?? []).flatMap((rl) => rl.scopeLogs.flatMap((sl) => sl.logRecords.map((r) => ({ ...r, resource: attrs(rl.resource.attributes) })))),
        );
    }

    /** Distinct metric series (name + data point attributes) received. */
    metricSeries(): Set<string> {
        const out = new Set<string>();
        for (const e of this.exports()) {
            for (const rm of e.resourceMetrics ?? []) {
                for (const sm of rm.scopeMetrics) {
                    for (const m of sm.metrics) {
                        const data = (m.sum ?? m.gauge ?? m.histogram ?? m.exponentialHistogram ?? m.summary) as
                            { dataPoints?: { attributes?: Attr[] }[] } | undefined;
                        for (const dp of data?.dataPoints ?? [{}]) out.add(`${m.name}${JSON.stringify(attrs(dp.attributes))}`);
                    }
                }
            }
        }
        return out;
    }

    /** The collector's own counters (`otelcol_receiver_accepted_spans` ...), summed over labels. */
    async selfMetrics(): Promise<Record<string, number>> {
        const r = await request(`http://127.0.0.1:${this.selfMetricsPort}/metrics`, { timeoutMs: 5_000 });
        const out: Record<string, number> = {};
        for (const line of r.body.split("\n")) {
            const m = /^([a-z_]+)(?:\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
            if (m) out[m[1]] = (out[m[1]] ?? 0) + Number(m[2]);
        }
        return out;
    }
}
