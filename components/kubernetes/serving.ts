// How the Open WebUI pods are reached and kept available: the Service, the PDB and HPA, the
// NetworkPolicies and the route (Ingress / HTTPRoute).
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { LoadBalancer } from "../platform/port";
import { APP_PORT, PodInputs } from "./workloads";
import { networkPolicySpecs } from "./netpol";
import { appServiceAnnotations, appServiceSpec } from "./appService";
import { routeHosts } from "./routeHosts";
import { createAlerting } from "../telemetry/otelAlerts";
import type { Backend, WiringContext } from "../wiring";
import { DEFAULTS } from "../spec/defaults";
import { PLANNING_BASIS_ANNOTATION, PLANNING_CAPACITY_BASIS, PLANNING_USERS_ANNOTATION, planningUsersPerReplica } from "../spec/sizing";

/** The app Service: `service` (type, appProtocol, ...), its annotations merged with the load balancer's (`lbAnnotations`, e.g. GKE BackendConfig). */
export function createService(
    name: string,
    p: PodInputs,
    lbAnnotations: { [key: string]: pulumi.Input<string> } | undefined,
    opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Service {
    return new k8s.core.v1.Service(
        name,
        {
            metadata: {
                name,
                namespace: p.namespace,
                labels: { ...p.labels, "app.kubernetes.io/component": "app" },
                annotations: appServiceAnnotations(p.spec, lbAnnotations),
            },
            spec: appServiceSpec(p.spec, p.selector),
        },
        opts,
    );
}

export function createAvailability(
    name: string,
    p: PodInputs,
    deployment: k8s.apps.v1.Deployment,
    opts: pulumi.CustomResourceOptions,
): { pdb: k8s.policy.v1.PodDisruptionBudget; hpa?: k8s.autoscaling.v2.HorizontalPodAutoscaler } {
    const spec = p.spec;
    const pdb = new k8s.policy.v1.PodDisruptionBudget(
        name,
        {
            metadata: { name, namespace: p.namespace, labels: p.labels },
            spec: { maxUnavailable: 1, selector: { matchLabels: p.selector }, unhealthyPodEvictionPolicy: "AlwaysAllow" },
        },
        opts,
    );
    if (spec.migrations.maintenanceMode) return { pdb };
    const hpa = new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        name,
        {
            metadata: {
                name,
                namespace: p.namespace,
                labels: p.labels,
                // What `openwebui plan` prints as the planning capacity (sizing.ts).
                annotations: {
                    [PLANNING_USERS_ANNOTATION]: String(planningUsersPerReplica(spec.size, spec.pod.cpuRequest)),
                    [PLANNING_BASIS_ANNOTATION]: PLANNING_CAPACITY_BASIS,
                },
            },
            spec: {
                scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
                minReplicas: spec.replicas.min,
                maxReplicas: spec.replicas.max,
                metrics: [
                    { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: spec.replicas.targetCpuUtilization } } },
                ],
                behavior: {
                    scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Pods", value: 2, periodSeconds: 60 }] },
                    scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Pods", value: 1, periodSeconds: 120 }] },
                },
            },
        },
        opts,
    );
    return { pdb, hpa };
}

/**
 * NetworkPolicies: default-deny ingress and egress for the release's pods, then each workload's
 * flows (netpol.ts). With `network.defaultDeny=false`, the former ingress-only policies.
 */
export function createNetworkPolicies(name: string, p: PodInputs, backends: Backend[], opts: pulumi.CustomResourceOptions): k8s.networking.v1.NetworkPolicy[] {
    const instance = p.labels["app.kubernetes.io/instance"];
    if (p.spec.network.defaultDeny ?? DEFAULTS["network.defaultDeny"].value) {
        const ctx = { instance, appSelector: p.selector, roles: backends.map((b) => b.role) };
        return networkPolicySpecs(p.spec, ctx).map(
            ({ suffix, spec }) =>
                new k8s.networking.v1.NetworkPolicy(
                    `${name}-${suffix}`,
                    { metadata: { name: `${name}-${suffix}`, namespace: p.namespace, labels: p.labels }, spec },
                    opts,
                ),
        );
    }
    const policies = [
        new k8s.networking.v1.NetworkPolicy(
            `${name}-app`,
            {
                metadata: { name: `${name}-app`, namespace: p.namespace, labels: p.labels },
                spec: {
                    podSelector: { matchLabels: p.selector },
                    policyTypes: ["Ingress"],
                    ingress: [{ ports: [{ protocol: "TCP", port: APP_PORT }] }],
                },
            },
            opts,
        ),
    ];
    for (const b of backends) {
        policies.push(
            new k8s.networking.v1.NetworkPolicy(
                `${name}-${b.role}`,
                {
                    metadata: { name: `${name}-${b.role}`, namespace: p.namespace, labels: p.labels },
                    spec: {
                        podSelector: { matchLabels: { "app.kubernetes.io/instance": instance, "app.kubernetes.io/component": b.role } },
                        policyTypes: ["Ingress"],
                        ingress: [
                            {
                                from: [{ podSelector: { matchLabels: { "app.kubernetes.io/instance": instance } } }],
                                ports: b.ports.map((port) => ({ protocol: "TCP", port })),
                            },
                        ],
                    },
                },
                opts,
            ),
        );
    }
    return policies;
}

/** Ingress or HTTPRoute for the public hostname, as the target's load balancer asks. */
export function createRoute(
    name: string,
    p: PodInputs,
    lb: LoadBalancer,
    service: k8s.core.v1.Service,
    opts: pulumi.CustomResourceOptions,
): k8s.networking.v1.Ingress | k8s.apiextensions.CustomResource | undefined {
    const hosts = routeHosts(p.spec);
    if (lb.kind === "ingress") {
        return new k8s.networking.v1.Ingress(
            name,
            {
                metadata: { name, namespace: p.namespace, labels: p.labels, annotations: lb.ingressAnnotations },
                spec: {
                    ingressClassName: lb.ingressClassName,
                    tls: lb.tlsSecretName !== undefined ? [{ hosts, secretName: lb.tlsSecretName }] : lb.tlsDefaultCertificate ? [{ hosts }] : undefined,
                    rules: hosts.map((host) => ({
                        host,
                        http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: service.metadata.name, port: { name: "http" } } } }] },
                    })),
                },
            },
            opts,
        );
    }
    if (lb.kind === "httpRoute") {
        return new k8s.apiextensions.CustomResource(
            name,
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "HTTPRoute",
                metadata: { name, namespace: p.namespace, labels: p.labels },
                spec: {
                    parentRefs: lb.parentRefs,
                    hostnames: hosts,
                    rules: [
                        {
                            matches: [{ path: { type: "PathPrefix", value: "/" } }],
                            backendRefs: [{ name: service.metadata.name, port: 80 }],
                            ...(lb.httpRouteTimeouts ? { timeouts: lb.httpRouteTimeouts } : {}),
                        },
                    ],
                },
            },
            opts,
        );
    }
    return undefined;
}

/** The serving side of the release, as the component's outputs and `resources` use it. */
export interface Serving {
    lb: LoadBalancer;
    service: k8s.core.v1.Service;
    pdb: k8s.policy.v1.PodDisruptionBudget;
    hpa?: k8s.autoscaling.v2.HorizontalPodAutoscaler;
    route?: k8s.networking.v1.Ingress | k8s.apiextensions.CustomResource;
}

/**
 * openWebUiCluster.ts step 6: the target's load balancer, the Service, PDB and HPA, the
 * Kubernetes-level alerting, the NetworkPolicies (egress to `backends`), then the route, which the
 * load balancer may complete (`afterRoute`).
 */
export function createServing(w: WiringContext, pod: PodInputs, deployment: k8s.apps.v1.Deployment, backends: Backend[]): Serving {
    const { name, spec, k8sOpts } = w;
    const lb = w.platform.createLoadBalancer(w.ctx);
    const service = createService(name, pod, lb.serviceAnnotations, k8sOpts());
    const { pdb, hpa } = createAvailability(name, pod, deployment, k8sOpts());
    createAlerting(name, spec, w.namespace, w.labels, k8sOpts());
    createNetworkPolicies(name, pod, backends, k8sOpts());
    const route = createRoute(name, pod, lb, service, k8sOpts());
    lb.afterRoute?.(route, service);
    return { lb, service, pdb, hpa, route };
}
