// `otel` and `alarms` as a section of the spec: how telemetry resolves (components/telemetry/
// otelSpec.ts, alarmsSpec.ts) with the collector's image, and the checks of the OTEL settings.
import { checkUrl } from "./addresses";
import { enumValues, problem } from "./errors";
import { DEFAULT_OTEL_COLLECTOR_IMAGE } from "./images";
import type { ResolvedAlarms, ResolvedOtel } from "./specTypes";
import { mirrorImage } from "../kubernetes/podKnobs";
import { otelBackendProblems, resolveOtel } from "../telemetry/otelSpec";
import { alarmsProblems, resolveAlarms } from "../telemetry/alarmsSpec";
import { OpenWebUiClusterArgs, Otel, OtlpProtocol } from "../args/types";

/** `otel` (its collector image: `otel.collectorImage`, else `workloads.otelCollector.image`, else the pinned one) and `alarms`, checked. */
export function resolveTelemetry(a: OpenWebUiClusterArgs, problems: string[]): { otel: ResolvedOtel; alarms: ResolvedAlarms } {
    const otel: ResolvedOtel = resolveOtel(
        a.target,
        a.otel,
        a.otel?.collectorImage ?? a.workloads?.otelCollector?.image ?? mirrorImage(DEFAULT_OTEL_COLLECTOR_IMAGE, a.imageRegistry),
    );
    checkOtel(a.otel, otel, problems);
    problems.push(...otelBackendProblems(a.target, a.otel, otel));
    problems.push(...alarmsProblems(a.target, a.alarms));
    return { otel, alarms: resolveAlarms(a.target, a.alarms) };
}

export function checkOtel(args: Otel | undefined, otel: ResolvedOtel, problems: string[]): void {
    if (!enumValues(OtlpProtocol).includes(otel.exporterProtocol)) {
        problems.push(problem("otel.exporterProtocol", otel.exporterProtocol, "use grpc or http"));
    }
    checkUrl(problems, "otel.exporterEndpoint", otel.exporterEndpoint, {
        schemes: ["http", "https"],
        fix: "use an http:// or https:// OTLP endpoint with a host, e.g. https://otlp.example.com:4317",
        credentialsIn: "otel.exporterHeaders",
    });
    checkUrl(problems, "otel.collectorEndpoint", otel.collectorEndpoint, {
        schemes: ["http", "https"],
        fix: "use the http(s):// OTLP/gRPC address of your collector, e.g. http://otel-collector.observability.svc:4317",
    });
    if (args?.collectorEndpoint !== undefined && (args.exporterEndpoint !== undefined || args.exporterHeaders !== undefined || args.debugOnly)) {
        problems.push(
            problem(
                "otel.collectorEndpoint",
                "with exporterEndpoint/exporterHeaders/debugOnly",
                "those configure the collector the component deploys; with your own collector set only collectorEndpoint",
            ),
        );
    }
    if (args?.debugOnly && args.exporterEndpoint !== undefined) {
        problems.push(problem("otel.debugOnly", true, "an exporterEndpoint is set: the collector exports there; drop debugOnly"));
    }
    if (otel.enabled && !otel.cloudBackend && args?.exporterEndpoint === undefined && args?.collectorEndpoint === undefined && !args?.debugOnly) {
        problems.push(
            problem(
                "otel.enabled",
                true,
                "no destination: a collector without one drops everything. Set otel.exporterEndpoint (your backend), otel.collectorEndpoint (an existing collector), or otel.debugOnly: true to try the pipeline",
            ),
        );
    }
    if (otel.enabled && !otel.traces && !otel.metrics && !otel.logs) {
        problems.push(problem("otel", "enabled with no signal", "enable at least one of otel.traces, otel.metrics, otel.logs, or set otel.enabled=false"));
    }
    if (!Number.isInteger(otel.collectorReplicas) || otel.collectorReplicas < 1) {
        problems.push(problem("otel.collectorReplicas", otel.collectorReplicas, "use a whole number >= 1"));
    }
    void args;
}
