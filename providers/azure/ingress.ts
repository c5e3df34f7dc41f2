// Public routing on AKS. Default: Application Gateway for Containers through Gateway API (a
// Gateway this module creates, or an existing shared one; the core creates the HTTPRoute).
// Alternatives: AGIC (Ingress) and the app-routing add-on NGINX (Ingress, deprecated).
import * as pulumi from "@pulumi/pulumi";
import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import * as dns from "@pulumi/azure-native/dns";
import type { LoadBalancer, ProviderContext } from "../../components/platform/port";
import type { ResolvedSpec } from "../../components/spec/spec";
import { AzureAgc, AzureIngress, AzureIngressController } from "../../components/platform/azureArgs";
import { dnsLabel, shared } from "./shared";
import { diagnosticSetting } from "./accessLogs";

export const AGC_GATEWAY_CLASS = "azure-alb-external";
export const AGIC_CLASS = "azure-application-gateway";
export const NGINX_CLASS = "webapprouting.kubernetes.azure.com";
export const DEFAULT_REQUEST_TIMEOUT = 3600;
export const DEFAULT_MAX_BODY_MB = 100;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function ingressController(spec: ResolvedSpec): AzureIngressController {
    return spec.azure?.ingress?.controller ?? AzureIngressController.ApplicationGatewayForContainers;
}

/** The Secret holding the certificate: `tls.secretName`, or the one cert-manager writes for `tls.clusterIssuer`. */
function tlsSecret(ctx: ProviderContext): pulumi.Input<string> | undefined {
    if (!ctx.spec.tls.enabled) return undefined;
    if (ctx.spec.tls.secretName !== undefined) return ctx.spec.tls.secretName;
    if (ctx.spec.tls.clusterIssuer !== undefined) return `${dnsLabel(ctx.name)}-tls`;
    return undefined;
}

/** Record name relative to the zone (`@` for the apex). */
export function relativeRecordName(hostname: string, zone: string): string {
    return hostname === zone ? "@" : hostname.slice(0, hostname.length - zone.length - 1);
}

/**
 * Record for `hostname` in `azure.dnsZoneName` pointing at the load balancer: an A record for an
 * IP address, a CNAME for a hostname (the AGC frontend FQDN).
 */
function dnsRecord(ctx: ProviderContext, target: pulumi.Output<{ ip?: string; hostname?: string }>): void {
    const s = shared(ctx);
    const zone = s.args.dnsZoneName;
    if (!zone) return;
    new dns.RecordSet(
        `${ctx.name}-dns`,
        {
            resourceGroupName: s.args.dnsZoneResourceGroupName ?? s.resourceGroupName,
            zoneName: zone,
            relativeRecordSetName: relativeRecordName(ctx.spec.hostname, zone),
            recordType: target.apply((t) => (t.ip ? "A" : "CNAME")),
            ttl: 300,
            aRecords: target.apply((t) => (t.ip ? [{ ipv4Address: t.ip }] : undefined)),
            cnameRecord: target.apply((t) => (t.ip ? undefined : { cname: t.hostname })),
        },
        ctx.opts(),
    ); // `target` comes from the route's status: the record waits for it
}

/**
 * AGC enforces a 60 s request timeout by default, "irrespective if data is actively streaming"
 * (Microsoft: Application Gateway for Containers components, Request timeouts; HTTP and stream
 * idle timeouts are 5 minutes, which Socket.IO's 25 s pings and streamed tokens stay under).
 * A RoutePolicy (`alb.networking.azure.io/v1`, API specification: RoutePolicyConfig.timeouts.
 * routeTimeout, a meta/v1 Duration) on the app's HTTPRoute raises it to
 * `azure.ingress.requestTimeoutSeconds`, so streamed replies and websockets last an hour as on
 * the other load balancers.
 */
/** The status fields read back from a Gateway (`addresses`) and an Ingress (`loadBalancer`). */
type RouteStatus = { addresses?: { value?: string }[]; loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined;
/** A route or Gateway created as a CustomResource: its metadata and status are outputs the SDK does not type. */
type RouteFields = { metadata: pulumi.Output<{ name: string }>; status: pulumi.Output<RouteStatus> };

function agcRoutePolicy(ctx: ProviderContext, route: pulumi.CustomResource, timeoutSeconds: string, labels: { [k: string]: string }): void {
    new apiextensions.CustomResource(
        `${ctx.name}-route-policy`,
        {
            apiVersion: "alb.networking.azure.io/v1",
            kind: "RoutePolicy",
            metadata: { name: `${dnsLabel(ctx.name)}-route-policy`, namespace: ctx.namespace, labels },
            spec: {
                targetRef: {
                    group: "gateway.networking.k8s.io",
                    kind: "HTTPRoute",
                    name: (route as unknown as RouteFields).metadata.name,
                    namespace: ctx.namespace,
                },
                default: { timeouts: { routeTimeout: `${timeoutSeconds}s` } },
            },
        },
        ctx.opts({ dependsOn: [route] }),
    );
}

/** What every routing variant shares: the request timeout, the public URL and where the certificate comes from. */
interface RouteSettings {
    ing: AzureIngress;
    timeout: string;
    url: pulumi.Output<string>;
    secret: pulumi.Input<string> | undefined;
    certManager: { [k: string]: string };
}

export function createLoadBalancer(ctx: ProviderContext): LoadBalancer {
    const spec = ctx.spec;
    const controller = ingressController(spec);
    const ing = spec.azure?.ingress ?? {};
    const settings: RouteSettings = {
        ing,
        timeout: String(ing.requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT),
        url: pulumi.output(spec.url),
        secret: tlsSecret(ctx),
        certManager: certManagerAnnotations(spec),
    };
    if (controller === AzureIngressController.ApplicationGatewayForContainers) return agcLoadBalancer(ctx, settings);
    return ingressLoadBalancer(ctx, controller, settings);
}

/** cert-manager's annotation when it issues the certificate (tls.clusterIssuer without tls.secretName). */
function certManagerAnnotations(spec: ResolvedSpec): { [k: string]: string } {
    return spec.tls.enabled && spec.tls.clusterIssuer && spec.tls.secretName === undefined ? { "cert-manager.io/cluster-issuer": spec.tls.clusterIssuer } : {};
}

/** The labels of the Gateway API objects this module creates. */
function agcLabels(ctx: ProviderContext): { [k: string]: string } {
    return {
        "app.kubernetes.io/name": "open-webui",
        "app.kubernetes.io/instance": ctx.name,
        "app.kubernetes.io/managed-by": "pulumi",
        "app.kubernetes.io/part-of": "openwebui-cluster",
        ...ctx.spec.labels,
    };
}

/** Application Gateway for Containers: a route on a shared Gateway, or a Gateway this module creates. */
function agcLoadBalancer(ctx: ProviderContext, r: RouteSettings): LoadBalancer {
    const agc = r.ing.agc ?? {};
    const labels = agcLabels(ctx);
    if (agc.gatewayName !== undefined) {
        // A shared Gateway owned by the platform team; its listeners, TLS and DNS are theirs.
        return {
            kind: "httpRoute",
            parentRefs: [
                {
                    name: agc.gatewayName,
                    namespace: agc.gatewayNamespace ?? ctx.namespace,
                    ...(agc.gatewayListenerName ? { sectionName: agc.gatewayListenerName } : {}),
                },
            ],
            url: r.url,
            afterRoute(route) {
                if (route) agcRoutePolicy(ctx, route, r.timeout, labels);
            },
        };
    }
    return ownGatewayLoadBalancer(ctx, r, agc, labels);
}

/** The Gateway's annotations: which AGC it binds to (and that AGC's diagnostic setting when its ARM id is known). */
function gatewayAnnotations(ctx: ProviderContext, agc: AzureAgc, certManager: { [k: string]: string }): { [k: string]: pulumi.Input<string> } {
    const annotations: { [k: string]: pulumi.Input<string> } = { ...certManager };
    if (agc.resourceId !== undefined) {
        annotations["alb.networking.azure.io/alb-id"] = agc.resourceId;
        // hardening.accessLogs: the AGC access log (TrafficControllerAccessLog) and metrics. A
        // controller-managed AGC (albName) or AGIC's gateway has no ARM id the component knows.
        diagnosticSetting(ctx, "agc", agc.resourceId, { logs: true, metrics: "AllMetrics" });
    } else {
        annotations["alb.networking.azure.io/alb-name"] = agc.albName as string;
        annotations["alb.networking.azure.io/alb-namespace"] = agc.albNamespace as string;
    }
    return annotations;
}

/** The Gateway's listeners: HTTP, and HTTPS first when TLS is on. */
function gatewayListeners(spec: ResolvedSpec, secret: pulumi.Input<string> | undefined): Record<string, unknown>[] {
    const sameNamespace = { namespaces: { from: "Same" } };
    const listeners: Record<string, unknown>[] = [{ name: "http", port: 80, protocol: "HTTP", hostname: spec.hostname, allowedRoutes: sameNamespace }];
    if (spec.tls.enabled) {
        listeners.unshift({
            name: "https",
            port: 443,
            protocol: "HTTPS",
            hostname: spec.hostname,
            tls: { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: secret }] },
            allowedRoutes: sameNamespace,
        });
    }
    return listeners;
}

/** A Gateway this module creates on AGC, its HTTP-to-HTTPS redirect, and the DNS record for its frontend. */
function ownGatewayLoadBalancer(ctx: ProviderContext, r: RouteSettings, agc: AzureAgc, labels: { [k: string]: string }): LoadBalancer {
    const spec = ctx.spec;
    const gatewayName = `${dnsLabel(ctx.name)}-gateway`;
    const annotations = gatewayAnnotations(ctx, agc, r.certManager);
    const gateway = new apiextensions.CustomResource(
        `${ctx.name}-gateway`,
        {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "Gateway",
            metadata: { name: gatewayName, namespace: ctx.namespace, labels, annotations },
            spec: {
                gatewayClassName: AGC_GATEWAY_CLASS,
                listeners: gatewayListeners(spec, r.secret),
                ...(agc.resourceId !== undefined ? { addresses: [{ type: "alb.networking.azure.io/alb-frontend", value: agc.frontendName }] } : {}),
            },
            status: undefined, // read back: the frontend FQDN for the DNS record
        },
        ctx.opts(),
    );
    if (spec.tls.enabled) httpsRedirect(ctx, gatewayName, labels, gateway);
    return {
        kind: "httpRoute",
        parentRefs: [{ name: gatewayName, namespace: ctx.namespace, sectionName: spec.tls.enabled ? "https" : "http" }],
        url: r.url,
        afterRoute(route) {
            if (route) agcRoutePolicy(ctx, route, r.timeout, labels);
            // AGC reports its frontend FQDN with type "IPAddress": decide by the value, not the type.
            const target = (gateway as unknown as RouteFields).status.apply((st) => {
                const v = st?.addresses?.[0]?.value;
                return v !== undefined && IPV4.test(v) ? { ip: v } : { hostname: v };
            });
            dnsRecord(ctx, target);
        },
    };
}

/** The HTTPRoute on the Gateway's HTTP listener that only redirects to HTTPS. */
function httpsRedirect(ctx: ProviderContext, gatewayName: string, labels: { [k: string]: string }, gateway: pulumi.Resource): void {
    new apiextensions.CustomResource(
        `${ctx.name}-https-redirect`,
        {
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "HTTPRoute",
            metadata: { name: `${dnsLabel(ctx.name)}-https-redirect`, namespace: ctx.namespace, labels },
            spec: {
                parentRefs: [{ name: gatewayName, namespace: ctx.namespace, sectionName: "http" }],
                hostnames: [ctx.spec.hostname],
                rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
            },
        },
        ctx.opts({ dependsOn: [gateway] }),
    );
}

/** The Ingress class, annotations and TLS Secret of an Ingress controller (AGIC or the app-routing NGINX). */
type IngressSettings = Required<Pick<LoadBalancer, "ingressClassName" | "ingressAnnotations">> & Pick<LoadBalancer, "tlsSecretName">;

/** An Ingress the core creates for AGIC or NGINX, and the DNS record for its load balancer's address. */
function ingressLoadBalancer(ctx: ProviderContext, controller: AzureIngressController, r: RouteSettings): LoadBalancer {
    const { ingressClassName, ingressAnnotations, tlsSecretName } =
        controller === AzureIngressController.ApplicationGatewayIngress ? agicSettings(ctx.spec, r) : nginxSettings(ctx.spec, r);
    return {
        kind: "ingress",
        ingressClassName,
        ingressAnnotations,
        tlsSecretName,
        serviceAnnotations: {},
        url: r.url,
        afterRoute(route) {
            if (!route) return;
            const target = (route as unknown as RouteFields).status.apply((st) => {
                const lb = st?.loadBalancer?.ingress?.[0] ?? {};
                return { ip: lb.ip, hostname: lb.hostname };
            });
            dnsRecord(ctx, target);
        },
    };
}

/** AGIC: health probe, timeouts and draining; TLS from a Secret or a certificate already on the Application Gateway. */
function agicSettings(spec: ResolvedSpec, r: RouteSettings): IngressSettings {
    let tlsSecretName = r.secret;
    const ingressAnnotations: { [k: string]: pulumi.Input<string> } = {
        "appgw.ingress.kubernetes.io/backend-protocol": "http",
        "appgw.ingress.kubernetes.io/health-probe-path": "/health",
        "appgw.ingress.kubernetes.io/health-probe-status-codes": "200",
        "appgw.ingress.kubernetes.io/health-probe-interval": "10",
        "appgw.ingress.kubernetes.io/health-probe-timeout": "5",
        "appgw.ingress.kubernetes.io/health-probe-unhealthy-threshold": "3",
        // Streamed completions and the Socket.IO websocket outlive the 30 s default.
        "appgw.ingress.kubernetes.io/request-timeout": r.timeout,
        "appgw.ingress.kubernetes.io/connection-draining": "true",
        "appgw.ingress.kubernetes.io/connection-draining-timeout": String(spec.pod.terminationGracePeriodSeconds),
        ...r.certManager,
    };
    if (spec.tls.enabled) {
        ingressAnnotations["appgw.ingress.kubernetes.io/ssl-redirect"] = "true";
        if (r.ing.appGatewaySslCertificate !== undefined) {
            ingressAnnotations["appgw.ingress.kubernetes.io/appgw-ssl-certificate"] = r.ing.appGatewaySslCertificate;
            tlsSecretName = undefined;
        }
    }
    return { ingressClassName: AGIC_CLASS, ingressAnnotations, tlsSecretName };
}

/** The app-routing add-on NGINX: proxy timeouts, the body size limit, the HTTPS redirect. */
function nginxSettings(spec: ResolvedSpec, r: RouteSettings): IngressSettings {
    const ingressAnnotations: { [k: string]: pulumi.Input<string> } = {
        "nginx.ingress.kubernetes.io/proxy-read-timeout": r.timeout,
        "nginx.ingress.kubernetes.io/proxy-send-timeout": r.timeout,
        "nginx.ingress.kubernetes.io/proxy-body-size": `${r.ing.maxBodySizeMb ?? DEFAULT_MAX_BODY_MB}m`,
        ...r.certManager,
    };
    if (spec.tls.enabled) ingressAnnotations["nginx.ingress.kubernetes.io/ssl-redirect"] = "true";
    return { ingressClassName: NGINX_CLASS, ingressAnnotations, tlsSecretName: r.secret };
}
