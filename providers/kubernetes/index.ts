// The generic `kubernetes` target: no cloud SDK. Backing services are external or in-cluster
// (handled by the core); this module only decides how the endpoint is exposed.
import * as pulumi from "@pulumi/pulumi";
import { problem } from "../../components/spec/errors";
import { DEFAULTS } from "../../components/spec/defaults";
import type { ResolvedSpec } from "../../components/spec/spec";
import { RoutingMode } from "../../components/args/types";
import type { CloudPlatform, LoadBalancer, ProviderContext } from "../../components/platform/port";

/** Websocket-safe idle timeout written to controller annotations. */
export const DEFAULT_IDLE_TIMEOUT_SECONDS: number = DEFAULTS["kubernetes.idleTimeoutSeconds"].value;

function routing(spec: ResolvedSpec): RoutingMode {
    return spec.kubernetes.routing ?? (spec.kubernetes.gateway ? RoutingMode.GatewayApi : RoutingMode.Ingress);
}

function noManaged(what: string): never {
    throw new Error(`target kubernetes has no managed ${what} (validation should have refused mode=managed)`);
}

export const platform: CloudPlatform = {
    validate(spec) {
        const problems: string[] = [];
        const k = spec.kubernetes;
        if (routing(spec) === RoutingMode.GatewayApi && !k.gateway?.name) {
            problems.push(
                problem(
                    "kubernetes.gateway.name",
                    k.gateway?.name,
                    "routing gatewayApi needs the Gateway to attach the HTTPRoute to (kubernetes.gateway.name)",
                ),
            );
        }
        const idle = k.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_SECONDS;
        if (!Number.isInteger(idle) || idle < 65) {
            problems.push(problem("kubernetes.idleTimeoutSeconds", idle, "websockets need an idle timeout of at least 65 seconds (default 3600)"));
        }
        return problems;
    },
    ownedAnnotations: { service: [], serviceAccount: [] },
    databaseMaxConnections: () => 0,
    cacheIsCluster: () => false,
    createDatabase: () => noManaged("database"),
    createCache: () => noManaged("Redis"),
    createObjectStore: () => noManaged("object store"),
    createWorkloadIdentity: () => ({ serviceAccountAnnotations: {}, podLabels: {}, principal: pulumi.output("") }),
    createLoadBalancer(ctx: ProviderContext): LoadBalancer {
        const spec = ctx.spec;
        const k = spec.kubernetes;
        const url = pulumi.output(spec.url);
        const mode = routing(spec);
        if (mode === RoutingMode.GatewayApi) {
            return {
                kind: "httpRoute",
                parentRefs: [
                    {
                        name: k.gateway!.name,
                        namespace: k.gateway!.namespace ?? ctx.namespace,
                        ...(k.gateway!.sectionName ? { sectionName: k.gateway!.sectionName } : {}),
                    },
                ],
                // Websockets (/ws/socket.io) are long-lived: no request timeout (Envoy Gateway, Istio, Cilium honour it).
                httpRouteTimeouts: { request: "0s" },
                url,
            };
        }
        if (mode === RoutingMode.None) return { kind: "none", url };
        const idle = String(k.idleTimeoutSeconds ?? DEFAULT_IDLE_TIMEOUT_SECONDS);
        const annotations: { [key: string]: string } = {
            // NGINX-based controllers (F5 NGINX Ingress, AKS app routing, legacy ingress-nginx).
            "nginx.ingress.kubernetes.io/proxy-read-timeout": idle,
            "nginx.ingress.kubernetes.io/proxy-send-timeout": idle,
            "nginx.ingress.kubernetes.io/proxy-body-size": "100m",
            "nginx.org/proxy-read-timeout": `${idle}s`,
            "nginx.org/proxy-send-timeout": `${idle}s`,
            "nginx.org/websocket-services": ctx.name,
            // HAProxy Ingress.
            "haproxy.org/timeout-tunnel": `${idle}s`,
        };
        if (spec.tls.enabled) annotations["nginx.ingress.kubernetes.io/ssl-redirect"] = "true";
        if (spec.tls.clusterIssuer) annotations["cert-manager.io/cluster-issuer"] = spec.tls.clusterIssuer;
        return {
            kind: "ingress",
            ingressClassName: k.ingressClassName,
            ingressAnnotations: { ...annotations, ...(k.ingressAnnotations ?? {}) },
            tlsSecretName: spec.tls.enabled ? (spec.tls.secretName ?? (spec.tls.clusterIssuer ? `${ctx.name}-tls` : undefined)) : undefined,
            // TLS on without a Secret or an issuer: the host is still listed under spec.tls, so the
            // controller terminates TLS with its default certificate; the HTTPS redirect above then
            // always lands on a TLS listener (without it the redirect pointed at no HTTPS at all).
            tlsDefaultCertificate: spec.tls.enabled,
            url,
        };
    },
};
