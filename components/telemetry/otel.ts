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
import { Backend, WiringContext, withDependsOn } from "../wiring";

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

type CollectorArgs = {
    otel: ResolvedOtel;
    namespace: pulumi.Input<string>;
    labels: { [key: string]: string };
    knobs: ResolvedKnobs;
    trustedCa?: TrustedCa;
    hashKey: pulumi.Input<string>;
    clusterDomain?: string;
    backend?: TelemetryBackend;
};

/** `<name>-otel`: the backend endpoint, the cloud exporters' secrets and the header values (as numbered variables). */
function collectorSecret(
    name: string,
    args: CollectorArgs,
    labels: { [key: string]: string },
    headers: pulumi.Output<{ [key: string]: string }>,
    opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Secret {
    const data = pulumi.all([headers, args.otel.exporterEndpoint ?? "", args.backend?.secretEnv ?? {}]).apply(([h, endpoint, cloudSecrets]) => {
        assertOtelTransport(endpoint, Object.keys(h).length);
        const out: Record<string, string> = { OTEL_BACKEND_ENDPOINT: endpoint, ...(cloudSecrets as Record<string, string>) };
        Object.keys(h)
            .sort()
            .forEach((k, i) => (out[`OTEL_EXPORTER_HEADER_${i}`] = (h as Record<string, string>)[k]));
        return out;
    });
    return new k8s.core.v1.Secret(
        `${name}-otel`,
        { metadata: { name: `${name}-otel`, namespace: args.namespace, labels }, type: "Opaque", stringData: pulumi.secret(data) },
        opts,
    );
}

/** The collector container: OTLP in, health and (opt-in) Prometheus ports, config and trust mounted. */
function collectorContainer(name: string, args: CollectorArgs): k8s.types.input.core.v1.Container {
    const trust = goTrust(args.trustedCa);
    return {
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
    };
}

/** The collector's pod template; `configHash` rolls it when the config or the header Secret changes (both referenced by name). */
function collectorPodTemplate(
    name: string,
    args: CollectorArgs,
    labels: { [key: string]: string },
    selector: { [key: string]: string },
    configHash: pulumi.Output<string>,
) {
    const trust = goTrust(args.trustedCa);
    return withPodKnobs(
        {
            metadata: { labels: { ...labels, ...(args.backend?.identity.podLabels ?? {}) }, annotations: { "openwebui.io/config-hash": configHash } },
            spec: {
                serviceAccountName: collectorServiceAccountName(name),
                automountServiceAccountToken: false,
                securityContext: restrictedPodSecurity(10001),
                topologySpreadConstraints: [
                    { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
                ],
                containers: [collectorContainer(name, args)],
                volumes: [{ name: "config", configMap: { name: `${name}-otel` } }, ...trust.volumes],
            },
        },
        args.knobs,
        { main: ["otel-collector"], selector },
    );
}

/** The collector's Service (OTLP gRPC/HTTP, Prometheus when scraped), its PDB and the opt-in ServiceMonitor. */
function collectorService(
    name: string,
    args: CollectorArgs,
    labels: { [key: string]: string },
    selector: { [key: string]: string },
    opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Service {
    const metadata = { name: `${name}-otel-collector`, namespace: args.namespace, labels };
    const ports = [
        { name: "otlp-grpc", port: 4317, targetPort: "otlp-grpc", appProtocol: "grpc" },
        { name: "otlp-http", port: 4318, targetPort: "otlp-http" },
        ...(args.otel.prometheusScrape ? [{ name: "prometheus", port: OTEL_PROMETHEUS_PORT, targetPort: "prometheus" }] : []),
    ];
    const service = new k8s.core.v1.Service(`${name}-otel-collector`, { metadata, spec: { type: "ClusterIP", selector, ports } }, opts);
    new k8s.policy.v1.PodDisruptionBudget(`${name}-otel-collector`, { metadata, spec: { maxUnavailable: 1, selector: { matchLabels: selector } } }, opts);
    if (args.otel.serviceMonitor) {
        // Opt-in: the CRD cannot be detected at construction (README "Observability").
        new k8s.apiextensions.CustomResource(
            `${name}-otel-collector`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "ServiceMonitor",
                metadata,
                spec: { selector: { matchLabels: { ...selector } }, endpoints: [{ port: "prometheus", path: "/metrics", interval: "60s" }] },
            },
            withDependsOn(opts, [service]),
        );
    }
    return service;
}

/** The collector: its ServiceAccount (the collector's identity, never the app's), Secret, config, Deployment and Service. */
export function createOtelCollector(name: string, args: CollectorArgs, opts: pulumi.CustomResourceOptions): OtelCollector {
    const backend = args.backend;
    const labels = { ...args.labels, "app.kubernetes.io/component": "otel-collector" };
    const selector = { "app.kubernetes.io/instance": args.labels["app.kubernetes.io/instance"], "app.kubernetes.io/component": "otel-collector" };
    const headers = pulumi.output(args.otel.exporterHeaders ?? {});
    const headerNames = headers.apply((h) => Object.keys(h).sort());
    const config = pulumi.all([headerNames, backend?.config]).apply(([names, cloud]) => collectorConfig(args.otel, names, cloud));
    const saMetadata = {
        name: collectorServiceAccountName(name),
        namespace: args.namespace,
        labels,
        annotations: backend?.identity.serviceAccountAnnotations ?? {},
    };
    const serviceAccount = new k8s.core.v1.ServiceAccount(
        `${name}-otel-collector`,
        { metadata: saMetadata, automountServiceAccountToken: false },
        withDependsOn(opts, backend?.identity.dependsOn ?? []),
    );
    const secret = collectorSecret(name, args, labels, headers, opts);
    const configMap = new k8s.core.v1.ConfigMap(
        `${name}-otel`,
        { metadata: { name: `${name}-otel`, namespace: args.namespace, labels }, data: { "config.yaml": config } },
        opts,
    );
    // Keyed: the header values are secrets and this annotation is plain (secretHygiene.ts).
    const configHash = keyedHash(args.hashKey, pulumi.all([config, headers, args.otel.exporterEndpoint ?? ""]));
    const debugOnly = String(backend === undefined && args.otel.exporterEndpoint === undefined);
    const deployment = new k8s.apps.v1.Deployment(
        `${name}-otel-collector`,
        {
            metadata: { name: `${name}-otel-collector`, namespace: args.namespace, labels, annotations: { [OTEL_DEBUG_ONLY_ANNOTATION]: debugOnly } },
            spec: {
                replicas: args.otel.collectorReplicas,
                selector: { matchLabels: selector },
                strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
                template: collectorPodTemplate(name, args, labels, selector, configHash),
            },
        },
        withDependsOn(opts, [secret, configMap, serviceAccount]),
    );
    const service = collectorService(name, args, labels, selector, opts);
    const endpoint = pulumi.interpolate`http://${serviceHost(service.metadata.name, service.metadata.namespace, args.clusterDomain)}:4317`;
    return { endpoint, deployment, service, config };
}

/**
 * The release's telemetry (openWebUiCluster.ts step 5): the cloud's own backends and the
 * collector's identity (providers/<cloud>/telemetry.ts) when `otel.cloudBackend`, then the
 * collector, which joins `backends` (the app pods' egress). None unless `otel.deployCollector`.
 */
export function provisionTelemetry(w: WiringContext, hashKey: pulumi.Output<string>, backends: Backend[]): OtelCollector | undefined {
    const { name, spec } = w;
    if (!spec.otel.deployCollector) return undefined;
    const backend = spec.otel.cloudBackend ? w.platform.createTelemetry?.(w.ctx, collectorServiceAccountName(name)) : undefined;
    const args = {
        otel: spec.otel,
        namespace: w.namespace,
        labels: w.labels,
        clusterDomain: spec.kubernetes.clusterDomain,
        knobs: spec.knobs.otelCollector,
        trustedCa: spec.trustedCa,
        hashKey,
        backend,
    };
    const otel = createOtelCollector(name, args, w.k8sOpts());
    backends.push({ role: "otel-collector", ports: [4317, 4318] });
    return otel;
}

/** The collector's own Kubernetes ServiceAccount. */
export function collectorServiceAccountName(name: string): string {
    return `${name}-otel-collector`;
}
