// Extra hostnames on the route (`additionalHostnames`): Ingress rules and TLS hosts, HTTPRoute
// `hostnames`, the GKE managed certificate's domains. Refused where the target's route cannot
// serve them: kubernetes routing `none` (no route), and Azure's default Application Gateway for
// Containers Gateway, which the component creates with one listener per protocol for `hostname`
// (a listener's hostname filters the routes: other names would get no listener and no
// certificate). A shared Gateway (`azure.ingress.agc.gatewayName`) has its own listeners.
import { DNS_NAME } from "../spec/addresses";
import { problem } from "../spec/errors";
import { CloudTarget } from "../args/enums";
import { RoutingMode } from "../args/routingMode";
import type { OpenWebUiClusterArgs } from "../args/types";
import type { ResolvedSpec } from "../spec/specTypes";

/** Most domains a GKE ManagedCertificate takes. */
export const GKE_MANAGED_CERT_MAX_DOMAINS = 100;

/** The route's hostnames: `hostname`, then `additionalHostnames`. */
export function routeHosts(spec: Pick<ResolvedSpec, "hostname" | "additionalHostnames">): string[] {
    return [spec.hostname, ...(spec.additionalHostnames ?? [])];
}

/** Why the target's route cannot serve extra names, or undefined when it can. */
function unsupported(a: OpenWebUiClusterArgs): { value: string; fix: string } | undefined {
    if (a.target === CloudTarget.Kubernetes) {
        const k = a.kubernetes ?? {};
        const routing = k.routing ?? (k.gateway ? RoutingMode.GatewayApi : RoutingMode.Ingress);
        if (routing === RoutingMode.None)
            return {
                value: "with kubernetes.routing=none",
                fix: "the component creates no route to put them on: serve them in your own proxy, or set kubernetes.routing",
            };
    }
    if (a.target === CloudTarget.Azure) {
        const ing = a.azure?.ingress;
        const controller = String(ing?.controller ?? "applicationGatewayForContainers");
        if (controller === "applicationGatewayForContainers" && ing?.agc?.gatewayName === undefined) {
            return {
                value: "with the Gateway the component creates for Application Gateway for Containers",
                fix: "its listeners (and the certificate cert-manager issues from them) carry hostname only: attach to a shared Gateway whose listeners cover the names (azure.ingress.agc.gatewayName), or use controller applicationGatewayIngress",
            };
        }
    }
    return undefined;
}

/** Problems of `additionalHostnames`. */
export function additionalHostnameProblems(a: OpenWebUiClusterArgs): string[] {
    const list = a.additionalHostnames;
    if (list === undefined || !Array.isArray(list)) return [];
    const out: string[] = [];
    const seen = new Set<string>();
    list.forEach((h, i) => {
        const f = `additionalHostnames[${i}]`;
        if (typeof h !== "string" || !DNS_NAME.test(h))
            out.push(problem(f, h, "give a lowercase DNS name such as chat.corp.example (no scheme, no path, no wildcard)"));
        else if (h === a.hostname) out.push(problem(f, h, "is hostname already: list only the other names"));
        else if (seen.has(h)) out.push(problem(f, h, "is listed twice: list each name once"));
        seen.add(h);
    });
    const why = list.length ? unsupported(a) : undefined;
    if (why) out.push(problem("additionalHostnames", why.value, why.fix));
    const managedCert = a.target === CloudTarget.Gcp && a.tls?.enabled !== false && a.tls?.secretName === undefined;
    if (managedCert && list.length + 1 > GKE_MANAGED_CERT_MAX_DOMAINS) {
        out.push(
            problem(
                "additionalHostnames",
                `${list.length} names`,
                `a GKE managed certificate covers at most ${GKE_MANAGED_CERT_MAX_DOMAINS} domains with hostname: list at most ${GKE_MANAGED_CERT_MAX_DOMAINS - 1}, or bring a certificate (tls.secretName)`,
            ),
        );
    }
    return out;
}
