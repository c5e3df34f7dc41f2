// OpenTelemetry collector: receives OTLP from Open WebUI inside the cluster, batches under a
// memory limit, and exports to the user's backend (headers from a Kubernetes Secret).
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { stringify } from "yaml";
import { ResolvedOtel } from "./spec";
import { OtlpProtocol } from "./types";
import { restrictedContainerSecurity, restrictedPodSecurity } from "./security";
import { ResolvedKnobs, withPodKnobs } from "./podKnobs";
import { serviceHost } from "./addresses";
import { goTrust } from "./trust";
import { assertOtelTransport, keyedHash } from "./secretHygiene";
import type { TrustedCa } from "./trustTypes";

/** Collector Deployment annotation: "true" when it has no backend (debug exporter only; `plan` warns). */
export const OTEL_DEBUG_ONLY_ANNOTATION = "openwebui.io/otel-debug-only";

export interface OtelCollector {
    /** OTLP/gRPC endpoint for Open WebUI (`http://<svc>.<ns>.svc.<kubernetes.clusterDomain>:4317`). */
    endpoint: pulumi.Output<string>;
    deployment: k8s.apps.v1.Deployment;
    service: k8s.core.v1.Service;
    config: pulumi.Output<string>;
}

/** Collector config (YAML). Header values are `${env:...}` references, never literals. */
export function collectorConfig(otel: ResolvedOtel, headerNames: string[]): string {
    const backend = otel.exporterEndpoint !== undefined;
    const exporterName = otel.exporterProtocol === OtlpProtocol.Http ? "otlphttp" : "otlp";
    const headers = Object.fromEntries(headerNames.map((h, i) => [h, `\${env:OTEL_EXPORTER_HEADER_${i}}`]));
    const exporters: Record<string, unknown> = { debug: { verbosity: "basic" } };
    if (backend) {
        exporters[exporterName] = {
            endpoint: "${env:OTEL_BACKEND_ENDPOINT}",
            ...(headerNames.length ? { headers } : {}),
            sending_queue: { enabled: true, queue_size: 5000 },
            retry_on_failure: { enabled: true, max_elapsed_time: "300s" },
        };
    }
    const pipeline = { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: [backend ? exporterName : "debug"] };
    const pipelines: Record<string, unknown> = {};
    if (otel.traces) pipelines.traces = pipeline;
    if (otel.metrics) pipelines.metrics = pipeline;
    if (otel.logs) pipelines.logs = pipeline;
    return stringify({
        receivers: { otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } } },
        processors: {
            memory_limiter: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 20 },
            batch: { send_batch_size: 1024, timeout: "5s" },
        },
        exporters,
        extensions: { health_check: { endpoint: "0.0.0.0:13133" } },
        service: { extensions: ["health_check"], pipelines, telemetry: { logs: { level: "info" } } },
    });
}

export function createOtelCollector(
    name: string,
    args: { otel: ResolvedOtel; namespace: pulumi.Input<string>; labels: { [key: string]: string }; knobs: ResolvedKnobs; trustedCa?: TrustedCa; hashKey: pulumi.Input<string>; clusterDomain?: string },
    opts: pulumi.CustomResourceOptions,
): OtelCollector {
    const labels = { ...args.labels, "app.kubernetes.io/component": "otel-collector" };
    const selector = { "app.kubernetes.io/instance": args.labels["app.kubernetes.io/instance"], "app.kubernetes.io/component": "otel-collector" };
    const headers = pulumi.output(args.otel.exporterHeaders ?? {});
    const headerNames = headers.apply((h) => Object.keys(h).sort());
    const config = headerNames.apply((names) => collectorConfig(args.otel, names));

    const secret = new k8s.core.v1.Secret(
        `${name}-otel`,
        {
            metadata: { name: `${name}-otel`, namespace: args.namespace, labels },
            type: "Opaque",
            stringData: pulumi.secret(
                pulumi.all([headers, args.otel.exporterEndpoint ?? ""]).apply(([h, endpoint]) => {
                    assertOtelTransport(endpoint as string, Object.keys(h).length);
                    const data: Record<string, string> = { OTEL_BACKEND_ENDPOINT: endpoint as string };
                    Object.keys(h).sort().forEach((k, i) => (data[`OTEL_EXPORTER_HEADER_${i}`] = (h as Record<string, string>)[k]));
                    return data;
                }),
            ),
        },
        opts,
    );
    const configMap = new k8s.core.v1.ConfigMap(`${name}-otel`, { metadata: { name: `${name}-otel`, namespace: args.namespace, labels }, data: { "config.yaml": config } }, opts);

    // Keyed: the header values are secrets and this annotation is plain (secretHygiene.ts).
    const configHash = keyedHash(args.hashKey, pulumi.all([config, headers, args.otel.exporterEndpoint ?? ""]));
    const trust = goTrust(args.trustedCa);
    const deployment = new k8s.apps.v1.Deployment(
        `${name}-otel-collector`,
        {
            metadata: { name: `${name}-otel-collector`, namespace: args.namespace, labels, annotations: { [OTEL_DEBUG_ONLY_ANNOTATION]: String(args.otel.exporterEndpoint === undefined) } },
            spec: {
                replicas: args.otel.collectorReplicas,
                selector: { matchLabels: selector },
                strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
                // The config and the header Secret are referenced by name: a change rolls the pods through this hash.
                template: withPodKnobs({
                    metadata: { labels, annotations: { "openwebui.io/config-hash": configHash } },
                    spec: {
                        automountServiceAccountToken: false,
                        securityContext: restrictedPodSecurity(10001),
                        topologySpreadConstraints: [
                            { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
                        ],
                        containers: [
                            {
                                name: "otel-collector",
                                image: args.otel.collectorImage,
                                args: ["--config=/conf/config.yaml"],
                                ports: [
                                    { name: "otlp-grpc", containerPort: 4317 },
                                    { name: "otlp-http", containerPort: 4318 },
                                    { name: "health", containerPort: 13133 },
                                ],
                                envFrom: [{ secretRef: { name: `${name}-otel` } }],
                                env: [{ name: "GOMEMLIMIT", value: "400MiB" }, ...trust.env],
                                livenessProbe: { httpGet: { path: "/", port: "health" }, periodSeconds: 15 },
                                readinessProbe: { httpGet: { path: "/", port: "health" }, periodSeconds: 10 },
                                volumeMounts: [{ name: "config", mountPath: "/conf", readOnly: true }, ...trust.mounts],
                                securityContext: restrictedContainerSecurity(),
                                resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
                            },
                        ],
                        volumes: [{ name: "config", configMap: { name: `${name}-otel` } }, ...trust.volumes],
                    },
                }, args.knobs, { main: ["otel-collector"], selector }),
            },
        },
        { ...opts, dependsOn: [...((opts.dependsOn as pulumi.Input<pulumi.Resource>[] | undefined) ?? []), secret, configMap] },
    );
    const service = new k8s.core.v1.Service(
        `${name}-otel-collector`,
        {
            metadata: { name: `${name}-otel-collector`, namespace: args.namespace, labels },
            spec: {
                type: "ClusterIP",
                selector,
                ports: [
                    { name: "otlp-grpc", port: 4317, targetPort: "otlp-grpc", appProtocol: "grpc" },
                    { name: "otlp-http", port: 4318, targetPort: "otlp-http" },
                ],
            },
        },
        opts,
    );
    new k8s.policy.v1.PodDisruptionBudget(
        `${name}-otel-collector`,
        { metadata: { name: `${name}-otel-collector`, namespace: args.namespace, labels }, spec: { maxUnavailable: 1, selector: { matchLabels: selector } } },
        opts,
    );
    const endpoint = pulumi.interpolate`http://${serviceHost(service.metadata.name, service.metadata.namespace, args.clusterDomain)}:4317`;
    return { endpoint, deployment, service, config };
}
