// OpenTelemetry collector: receives OTLP from Open WebUI inside the cluster, batches under a
// memory limit, and exports to the user's backend (headers from a Kubernetes Secret).
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { ResolvedOtel } from "../spec/spec";
import type { TelemetryBackend } from "../platform/port";
import { collectorConfig } from "./otelConfig";
import { OTEL_PROMETHEUS_PORT } from "./otelSpec";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../kubernetes/security";
import { ResolvedKnobs, withPodKnobs } from "../kubernetes/podKnobs";
import { serviceHost } from "../spec/addresses";
import { goTrust } from "../spec/trust";
import { assertOtelTransport, keyedHash } from "../spec/secretHygiene";
import type { TrustedCa } from "../args/trustTypes";

/** Collector Deployment annotation: "true" when it has no backend (debug exporter only; `plan` warns). */
export const OTEL_DEBUG_ONLY_ANNOTATION = "openwebui.io/otel-debug-only";

export { collectorConfig } from "./otelConfig";

export interface OtelCollector {
    /** OTLP/gRPC endpoint for Open WebUI (`http://<svc>.<ns>.svc.<kubernetes.clusterDomain>:4317`). */
    endpoint: pulumi.Output<string>;
    deployment: k8s.apps.v1.Deployment;
    service: k8s.core.v1.Service;
    config: pulumi.Output<string>;
}

export function createOtelCollector(
    name: string,
    args: { otel: ResolvedOtel; namespace: pulumi.Input<string>; labels: { [key: string]: string }; knobs: ResolvedKnobs; trustedCa?: TrustedCa; hashKey: pulumi.Input<string>; clusterDomain?: string; backend?: TelemetryBackend },
    opts: pulumi.CustomResourceOptions,
): OtelCollector {
    const backend = args.backend;
    const labels = { ...args.labels, "app.kubernetes.io/component": "otel-collector" };
    const selector = { "app.kubernetes.io/instance": args.labels["app.kubernetes.io/instance"], "app.kubernetes.io/component": "otel-collector" };
    const headers = pulumi.output(args.otel.exporterHeaders ?? {});
    const headerNames = headers.apply((h) => Object.keys(h).sort());
    const config = pulumi.all([headerNames, backend?.config]).apply(([names, cloud]) => collectorConfig(args.otel, names, cloud));
    // Its own ServiceAccount: on the clouds bound to the collector's identity (telemetry.ts), never the app's.
    const serviceAccount = new k8s.core.v1.ServiceAccount(
        `${name}-otel-collector`,
        { metadata: { name: collectorServiceAccountName(name), namespace: args.namespace, labels, annotations: backend?.identity.serviceAccountAnnotations ?? {} }, automountServiceAccountToken: false },
        { ...opts, dependsOn: [...((opts.dependsOn as pulumi.Input<pulumi.Resource>[] | undefined) ?? []), ...(backend?.identity.dependsOn ?? [])] },
    );

    const secret = new k8s.core.v1.Secret(
        `${name}-otel`,
        {
            metadata: { name: `${name}-otel`, namespace: args.namespace, labels },
            type: "Opaque",
            stringData: pulumi.secret(
                pulumi.all([headers, args.otel.exporterEndpoint ?? "", backend?.secretEnv ?? {}]).apply(([h, endpoint, cloudSecrets]) => {
                    assertOtelTransport(endpoint, Object.keys(h).length);
                    const data: Record<string, string> = { OTEL_BACKEND_ENDPOINT: endpoint, ...(cloudSecrets as Record<string, string>) };
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
            metadata: { name: `${name}-otel-collector`, namespace: args.namespace, labels, annotations: { [OTEL_DEBUG_ONLY_ANNOTATION]: String(backend === undefined && args.otel.exporterEndpoint === undefined) } },
            spec: {
                replicas: args.otel.collectorReplicas,
                selector: { matchLabels: selector },
                strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
                // The config and the header Secret are referenced by name: a change rolls the pods through this hash.
                template: withPodKnobs({
                    metadata: { labels: { ...labels, ...(backend?.identity.podLabels ?? {}) }, annotations: { "openwebui.io/config-hash": configHash } },
                    spec: {
                        serviceAccountName: collectorServiceAccountName(name),
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
                                    ...(args.otel.prometheusScrape ? [{ name: "prometheus", containerPort: OTEL_PROMETHEUS_PORT }] : []),
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
        { ...opts, dependsOn: [...((opts.dependsOn as pulumi.Input<pulumi.Resource>[] | undefined) ?? []), secret, configMap, serviceAccount] },
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
                    ...(args.otel.prometheusScrape ? [{ name: "prometheus", port: OTEL_PROMETHEUS_PORT, targetPort: "prometheus" }] : []),
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
    if (args.otel.serviceMonitor) {
        // Opt-in: the CRD cannot be detected at construction (README "Observability").
        new k8s.apiextensions.CustomResource(`${name}-otel-collector`, {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "ServiceMonitor",
            metadata: { name: `${name}-otel-collector`, namespace: args.namespace, labels },
            spec: { selector: { matchLabels: { ...selector } }, endpoints: [{ port: "prometheus", path: "/metrics", interval: "60s" }] },
        }, { ...opts, dependsOn: [service] });
    }
    const endpoint = pulumi.interpolate`http://${serviceHost(service.metadata.name, service.metadata.namespace, args.clusterDomain)}:4317`;
    return { endpoint, deployment, service, config };
}

/** The collector's own Kubernetes ServiceAccount. */
export function collectorServiceAccountName(name: string): string {
    return `${name}-otel-collector`;
}
