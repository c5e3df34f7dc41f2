// What reaches the pods from outside, checked at construction once the target is known:
// - trusted-header sign-in only behind the user's own authenticating proxy: refused while the
//   component's own route (an internet-facing ALB, GKE Ingress, Azure frontends, or an
//   Ingress/HTTPRoute on plain Kubernetes) passes client-sent headers straight to the pods;
// - with TLS on, no annotation given by the user may serve plain HTTP, drop the HTTPS redirect,
//   lower the TLS policy below 1.2, or move the ALB to another scheme behind the typed argument;
// - OTLP headers (API keys) never over plain http:// (secretHygiene.ts).
import { problem } from "./errors";
import { otelTransportProblems } from "./secretHygiene";
import type { ResolvedSpec } from "./specTypes";
import { CloudTarget } from "../args/enums";
import { RoutingMode } from "../args/routingMode";
import { networkProblems } from "../kubernetes/netpol";

/** ALB security policies that negotiate TLS 1.2 or 1.3 only (ELBSecurityPolicy-TLS13-1-2-*, -TLS13-1-3-*, -TLS-1-2-*, -FS-1-2-*). */
export const ALB_TLS12_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)[A-Za-z0-9-]+$/;

const ALB = "alb.ingress.kubernetes.io";

function isFalse(v: string): boolean {
    return /^(false|0|no|off)$/i.test(v.trim());
}

/** HTTPS ports of an ALB `listen-ports` value, or undefined when it does not parse. */
function albHttpsPorts(v: string): number[] | undefined {
    try {
        const list = JSON.parse(v) as Record<string, number>[];
        if (!Array.isArray(list)) return undefined;
        return list.flatMap((e) => (e && typeof e === "object" && typeof e.HTTPS === "number" ? [e.HTTPS] : []));
    } catch {
        return undefined;
    }
}

/**
 * Annotations that weaken TLS while `tls.enabled`: each problem names the annotation, its value
 * and the fix. `field` is the map's path (kubernetes.ingressAnnotations, aws.loadBalancer.extraAnnotations).
 */
export function tlsAnnotationProblems(field: string, annotations: { [key: string]: string } | undefined, tlsEnabled: boolean): string[] {
    if (!tlsEnabled || !annotations || typeof annotations !== "object") return [];
    const out: string[] = [];
    const bad = (k: string, v: unknown, why: string) =>
        out.push(
            problem(
                `${field}["${k}"]`,
                v,
                `${why} while tls.enabled is true: remove the annotation (the component sets the secure value), or set tls.enabled=false with tls.allowInsecureHttp=true for an evaluation`,
            ),
        );
    const listen = annotations[`${ALB}/listen-ports`];
    const httpsPorts = typeof listen === "string" ? albHttpsPorts(listen) : [443];
    for (const [k, raw] of Object.entries(annotations)) {
        const v = String(raw ?? "");
        if (/(^|\/)ssl-redirect$/.test(k) && k !== `${ALB}/ssl-redirect` && isFalse(v))
            bad(k, v, "turns the HTTP-to-HTTPS redirect off (session cookies then travel in clear text)");
        else if (k === "kubernetes.io/ingress.allow-http" && !isFalse(v)) bad(k, v, "serves plain HTTP next to HTTPS");
        else if (k === "traefik.ingress.kubernetes.io/router.tls" && isFalse(v)) bad(k, v, "serves the route without TLS");
        else if (k === "traefik.ingress.kubernetes.io/router.entrypoints" && v.split(",").every((e) => e.trim() === "web"))
            bad(k, v, "routes the plain-HTTP entrypoint only");
        else if (k === `${ALB}/listen-ports`) {
            if (httpsPorts === undefined) bad(k, v, 'is not a JSON list such as [{"HTTP":80},{"HTTPS":443}]');
            else if (httpsPorts.length === 0) bad(k, v, "listens on plain HTTP only");
        } else if (k === `${ALB}/ssl-redirect` && !(httpsPorts ?? []).includes(Number(v)))
            bad(k, v, `drops the HTTPS redirect (it must name an HTTPS listener port: ${(httpsPorts ?? [443]).join(", ") || "none"})`);
        else if (k === `${ALB}/ssl-policy` && !ALB_TLS12_POLICY.test(v))
            bad(k, v, "allows TLS below 1.2 or is not an ALB policy (use ELBSecurityPolicy-TLS13-1-2-2021-06 or another TLS13-1-2/TLS13-1-3 policy)");
        else if (k === `${ALB}/certificate-arn` && v.trim() === "") bad(k, v, "removes the certificate of the HTTPS listener");
    }
    return out;
}

/** The route's exposure of trusted-header sign-in: undefined when only the user's proxy can reach the pods. */
function publicRoute(spec: ResolvedSpec): { value: string; fix: string } | undefined {
    switch (spec.target) {
        case CloudTarget.Aws: {
            const scheme = String(spec.aws?.loadBalancer?.scheme ?? "internet-facing");
            return scheme === "internal"
                ? undefined
                : {
                      value: `with aws.loadBalancer.scheme=${scheme}`,
                      fix: "set aws.loadBalancer.scheme=internal and put your authenticating proxy in front of the ALB",
                  };
        }
        case CloudTarget.Gcp:
            return {
                value: "with the GKE Ingress (an external load balancer)",
                fix: "the gcp target always exposes an external load balancer: use oidc or sso.google/microsoft/github, or Identity-Aware Proxy in front with OIDC in the app",
            };
        case CloudTarget.Azure:
            return {
                value: `with azure.ingress.controller=${spec.azure?.ingress?.controller ?? "applicationGatewayForContainers"} (a public frontend)`,
                fix: "the azure target exposes a public frontend: use oidc or sso.microsoft instead",
            };
        default: {
            const k = spec.kubernetes ?? {};
            const routing = k.routing ?? (k.gateway ? RoutingMode.GatewayApi : RoutingMode.Ingress);
            return routing === RoutingMode.None
                ? undefined
                : {
                      value: `with kubernetes.routing=${routing} (the component's own route reaches the pods)`,
                      fix: "set kubernetes.routing=none and route only through your authenticating proxy to the Service",
                  };
        }
    }
}

/** Every exposure problem of a resolved spec (target known). */
export function exposureProblems(spec: ResolvedSpec): string[] {
    const out: string[] = [];
    const th = spec.sso?.trustedHeader;
    if (th) {
        const route = publicRoute(spec);
        if (route)
            out.push(
                problem(
                    "sso.trustedHeader",
                    route.value,
                    `Open WebUI signs in whoever sends ${th.emailHeader ?? "the header"}, and this route passes client-sent headers straight to the pods: ${route.fix}; or sign in with oidc/sso instead`,
                ),
            );
    }
    if (spec.target === CloudTarget.Kubernetes)
        out.push(...tlsAnnotationProblems("kubernetes.ingressAnnotations", spec.kubernetes?.ingressAnnotations, spec.tls.enabled));
    if (spec.target === CloudTarget.Aws) {
        const extra = spec.aws?.loadBalancer?.extraAnnotations;
        out.push(...tlsAnnotationProblems("aws.loadBalancer.extraAnnotations", extra, spec.tls.enabled));
        if (extra && `${ALB}/scheme` in extra) {
            out.push(
                problem(
                    `aws.loadBalancer.extraAnnotations["${ALB}/scheme"]`,
                    extra[`${ALB}/scheme`],
                    "the ALB scheme decides who can reach the pods: use aws.loadBalancer.scheme instead",
                ),
            );
        }
    }
    out.push(...otelTransportProblems(spec.otel));
    out.push(...networkProblems(spec));
    return out;
}
