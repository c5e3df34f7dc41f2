// The collector's configuration (YAML), rendered from the resolved `otel` spec and, with
// `otel.cloudBackend`, the cloud's backend pieces (providers/<cloud>/telemetry.ts). Pure: the
// validation test (tests/collectorConfig.test.ts) loads every mode's output into a real collector.
import { stringify } from "yaml";
import type { CollectorBackendConfig } from "../platform/port";
import { OtlpProtocol } from "../args/enums";
import { OTEL_PROMETHEUS_PORT } from "./otelSpec";
import type { ResolvedOtel } from "../spec/specTypes";

type Signal = "traces" | "metrics" | "logs";

/** Exporters and extensions of the user's OTLP backend (header values are `${env:...}` references). */
function otlpBackend(otel: ResolvedOtel, headerNames: string[]): CollectorBackendConfig {
    const name = otel.exporterProtocol === OtlpProtocol.Http ? "otlphttp" : "otlp";
    const headers = Object.fromEntries(headerNames.map((h, i) => [h, `\${env:OTEL_EXPORTER_HEADER_${i}}`]));
    const exporter = {
        endpoint: "${env:OTEL_BACKEND_ENDPOINT}",
        ...(headerNames.length ? { headers } : {}),
        sending_queue: { enabled: true, queue_size: 5000 },
        retry_on_failure: { enabled: true, max_elapsed_time: "300s" },
    };
    return { extensions: {}, exporters: { [name]: exporter }, pipelines: { traces: [name], metrics: [name], logs: [name] } };
}

const DEBUG: CollectorBackendConfig = {
    extensions: {},
    exporters: { debug: { verbosity: "basic" } },
    pipelines: { traces: ["debug"], metrics: ["debug"], logs: ["debug"] },
};

/** Collector config (YAML). Secrets are `${env:...}` references, never literals. */
export function collectorConfig(otel: ResolvedOtel, headerNames: string[], cloud?: CollectorBackendConfig): string {
    const backend = cloud ?? (otel.exporterEndpoint !== undefined ? otlpBackend(otel, headerNames) : DEBUG);
    const exporters: Record<string, unknown> = { ...backend.exporters };
    const metricsOut = [...backend.pipelines.metrics];
    if (otel.prometheusScrape) {
        // Bounded by what Open WebUI sends: stale series expire after 5 minutes.
        exporters.prometheus = { endpoint: `0.0.0.0:${OTEL_PROMETHEUS_PORT}`, metric_expiration: "5m", resource_to_telemetry_conversion: { enabled: false } };
        metricsOut.push("prometheus");
    }
    const out: Record<Signal, string[]> = { traces: backend.pipelines.traces, metrics: metricsOut, logs: backend.pipelines.logs };
    const pipelines: Record<string, unknown> = {};
    for (const signal of ["traces", "metrics", "logs"] as Signal[]) {
        if (otel[signal] && out[signal].length) pipelines[signal] = { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: out[signal] };
    }
    const extensions = { health_check: { endpoint: "0.0.0.0:13133" }, ...backend.extensions };
    return stringify({
        receivers: { otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } } },
        processors: {
            memory_limiter: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 20 },
            batch: { send_batch_size: 1024, timeout: "5s" },
        },
        exporters,
        extensions,
        service: { extensions: Object.keys(extensions), pipelines, telemetry: { logs: { level: "info" } } },
    });
}
