// The public endpoint: GKE Ingress (external Application Load Balancer) with a global static IP,
// a managed certificate, websocket-length backend timeouts and an HTTPS redirect.
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import * as dns from "@pulumi/gcp/dns";
import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import type { LoadBalancer, ProviderContext } from "../../components/platform/port";
import { CONTAINER_PORT, HEALTH_PATH, BACKEND_TIMEOUT_SEC, INGRESS_AWAIT_SECONDS } from "./catalog";
import { slug, gcpLabels, k8sLabels } from "./shared";
import { routeHosts } from "../../components/kubernetes/routeHosts";

/** Annotations of the Ingress (values may be Outputs). */
type Annotations = { [key: string]: pulumi.Input<string> };

/** What the HTTPS frontend adds to the Ingress: annotations, and the user's TLS Secret when there is one. */
interface HttpsFrontend {
    annotations: Annotations;
    tlsSecretName: pulumi.Input<string> | undefined;
}

export function createLoadBalancer(ctx: ProviderContext): LoadBalancer {
    const spec = ctx.spec;
    const g = spec.gcp!;
    const base = slug(ctx.name, 40);
    const tlsOn = spec.tls.enabled;

    const ip = new compute.GlobalAddress(
        `${ctx.name}-ip`,
        {
            project: g.project,
            addressType: "EXTERNAL",
            ipVersion: "IPV4",
            description: `Open WebUI ${ctx.name} (${spec.hostname})`,
            labels: gcpLabels(ctx.tags),
        },
        ctx.opts(),
    );

    const backendConfigName = `${base}-backend`;
    createBackendConfig(ctx, backendConfigName);

    const https = tlsOn ? createHttpsFrontend(ctx, base) : { annotations: {}, tlsSecretName: undefined };
    const ingressAnnotations: Annotations = {
        // ingress-gce serves an Ingress whose class annotation is "gce", or which has neither
        // the annotation nor spec.ingressClassName; it never matches spec.ingressClassName.
        "kubernetes.io/ingress.class": "gce",
        "kubernetes.io/ingress.global-static-ip-name": ip.name,
        // Pulumi awaits status.loadBalancer on the Ingress (10 min by default); a new global
        // external Application Load Balancer can take longer to be programmed.
        "pulumi.com/timeoutSeconds": String(INGRESS_AWAIT_SECONDS),
        ...https.annotations,
    };

    if (g.dnsZone !== undefined) {
        new dns.RecordSet(
            `${ctx.name}-dns`,
            {
                project: g.project,
                managedZone: g.dnsZone,
                name: `${spec.hostname}.`,
                type: "A",
                ttl: 300,
                rrdatas: [ip.address],
            },
            ctx.opts(),
        );
    }

    return {
        kind: "ingress",
        // Deliberately no ingressClassName (see the class annotation above).
        ingressClassName: undefined,
        ingressAnnotations,
        serviceAnnotations: {
            "cloud.google.com/backend-config": JSON.stringify({ default: backendConfigName }),
            // Container-native load balancing: the LB targets pod IPs (port 8080) directly.
            "cloud.google.com/neg": JSON.stringify({ ingress: true }),
        },
        tlsSecretName: https.tlsSecretName,
        url: pulumi.output(spec.url),
    };
}

/** The BackendConfig of the Service: websocket-length timeout, draining, health check, Armor, logs, headers. */
function createBackendConfig(ctx: ProviderContext, backendConfigName: string): void {
    const spec = ctx.spec;
    const g = spec.gcp!;
    const labels = k8sLabels(ctx);
    const grace = spec.pod.terminationGracePeriodSeconds;
    new apiextensions.CustomResource(
        `${ctx.name}-backendconfig`,
        {
            apiVersion: "cloud.google.com/v1",
            kind: "BackendConfig",
            metadata: { name: backendConfigName, namespace: ctx.namespace, labels },
            spec: {
                // Maximum lifetime of a websocket through the GKE load balancer (default 30 s).
                timeoutSec: BACKEND_TIMEOUT_SEC,
                // Finish draining before the kubelet kills the pod at the end of its grace period.
                connectionDraining: { drainingTimeoutSec: Math.max(0, grace - 5) },
                healthCheck: {
                    type: "HTTP",
                    requestPath: HEALTH_PATH,
                    port: CONTAINER_PORT,
                    checkIntervalSec: 10,
                    timeoutSec: 5,
                    healthyThreshold: 1,
                    unhealthyThreshold: 3,
                },
                ...(g.securityPolicy !== undefined ? { securityPolicy: { name: g.securityPolicy } } : {}),
                // hardening.accessLogs / securityHeaders: request logs to Cloud Logging, headers at the load balancer.
                ...(spec.hardening.accessLogs !== false ? { logging: { enable: true, sampleRate: 1 } } : {}),
                ...(spec.hardening.securityHeaders !== false ? { customResponseHeaders: { headers: securityHeaderLines(spec.tls.enabled) } } : {}),
            },
        },
        ctx.opts(),
    );
}

/**
 * The HTTPS side of the Ingress (tls.enabled): the FrontendConfig (SSL policy, HTTP -> HTTPS redirect) and the
 * certificate, the user's Secret (tls.secretName) or a Google-managed one; returns the Ingress annotations it needs.
 */
function createHttpsFrontend(ctx: ProviderContext, base: string): HttpsFrontend {
    const spec = ctx.spec;
    const labels = k8sLabels(ctx);
    const annotations: Annotations = {};
    const sslPolicyName = frontendSslPolicy(ctx);
    const frontendConfigName = `${base}-frontend`;
    new apiextensions.CustomResource(
        `${ctx.name}-frontendconfig`,
        {
            apiVersion: "networking.gke.io/v1beta1",
            kind: "FrontendConfig",
            metadata: { name: frontendConfigName, namespace: ctx.namespace, labels },
            spec: {
                redirectToHttps: { enabled: true, responseCodeName: "MOVED_PERMANENTLY_DEFAULT" },
                sslPolicy: sslPolicyName,
            },
        },
        ctx.opts(),
    );
    annotations["networking.gke.io/v1beta1.FrontendConfig"] = frontendConfigName;

    if (spec.tls.secretName !== undefined) {
        // Bring-your-own certificate: the Ingress references the Secret in spec.tls.
        return { annotations, tlsSecretName: spec.tls.secretName };
    }
    const certName = `${base}-cert`;
    new apiextensions.CustomResource(
        `${ctx.name}-managedcert`,
        {
            apiVersion: "networking.gke.io/v1",
            kind: "ManagedCertificate",
            metadata: { name: certName, namespace: ctx.namespace, labels },
            spec: { domains: routeHosts(spec) },
        },
        ctx.opts(),
    );
    annotations["networking.gke.io/managed-certificates"] = certName;
    return { annotations, tlsSecretName: undefined };
}

/** The SSL policy of the HTTPS frontend: gcp.sslPolicy, or a created MODERN policy with TLS 1.2 at least. */
function frontendSslPolicy(ctx: ProviderContext): pulumi.Input<string> {
    const g = ctx.spec.gcp!;
    if (g.sslPolicy !== undefined) return g.sslPolicy;
    const policy = new compute.SSLPolicy(
        `${ctx.name}-ssl-policy`,
        {
            project: g.project,
            profile: "MODERN",
            minTlsVersion: "TLS_1_2",
            description: `TLS 1.2+ for Open WebUI ${ctx.name}`,
        },
        ctx.opts(),
    );
    return policy.name;
}

/** `Name: value` lines of the security response headers (BackendConfig customResponseHeaders). */
export function securityHeaderLines(tls: boolean): string[] {
    return [
        ...(tls ? ["Strict-Transport-Security: max-age=31536000; includeSubDomains"] : []),
        "X-Content-Type-Options: nosniff",
        "X-Frame-Options: DENY",
        "Referrer-Policy: strict-origin-when-cross-origin",
    ];
}
