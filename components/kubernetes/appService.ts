// The Open WebUI Service (`service`: the Helm chart's `service.*`): its type, annotations merged
// with the ones the target's load balancer sets, the port's appProtocol, loadBalancerClass,
// externalTrafficPolicy and nodePort. Checked at construction:
// - a type other than ClusterIP brings traffic from outside the cluster, which the app's
//   NetworkPolicy (components/kubernetes/netpol.ts) admits only from `network.loadBalancerSourceCidrs`:
//   required then (with `network.defaultDeny` on), or nothing would reach the pods;
// - fields Kubernetes allows only with some types are refused with the others (the API server
//   would refuse the Service after everything else was created);
// - an annotation key the load balancer sets is refused: silently overriding it would detach the
//   cloud's load balancer, silently dropping the user's value would hide their intent.
import { enumValues, problem } from "../spec/errors";
import { AppServiceType, ExternalTrafficPolicy } from "../args/serviceTypes";
import { LABEL_KEY } from "./podKnobs";
import type { AppService } from "../args/serviceTypes";
import type { ResolvedSpec } from "../spec/specTypes";

const EXTERNAL = [AppServiceType.NodePort, AppServiceType.LoadBalancer] as string[];

/** Problems of `service`, given the network args (keys the target's load balancer sets: ownedAnnotationProblems in clusterFit.ts). */
export function appServiceProblems(s: AppService | undefined, network: { defaultDeny?: boolean; loadBalancerSourceCidrs?: string[] } | undefined): string[] {
    if (!s) return [];
    const out: string[] = [];
    const type = s.type ?? AppServiceType.ClusterIP;
    if (!enumValues(AppServiceType).includes(type)) out.push(problem("service.type", type, `use one of ${enumValues(AppServiceType).join(", ")}`));
    const external = EXTERNAL.includes(type);
    for (const k of Object.keys(s.annotations ?? {})) {
        if (!LABEL_KEY.test(k))
            out.push(
                problem(
                    `service.annotations.${k}`,
                    k,
                    "use a valid Kubernetes key (optional DNS prefix and '/', then at most 63 alphanumerics, '-', '_', '.')",
                ),
            );
    }
    if (s.appProtocol !== undefined && (typeof s.appProtocol !== "string" || !LABEL_KEY.test(s.appProtocol))) {
        out.push(
            problem(
                "service.appProtocol",
                s.appProtocol,
                "use an IANA service name (http, https, h2c) or a prefixed name such as kubernetes.io/h2c, kubernetes.io/ws or example.com/proto",
            ),
        );
    }
    if (s.loadBalancerClass !== undefined) {
        if (type !== AppServiceType.LoadBalancer)
            out.push(
                problem(
                    "service.loadBalancerClass",
                    s.loadBalancerClass,
                    "Kubernetes takes a loadBalancerClass only with service.type LoadBalancer: set the type or drop the class",
                ),
            );
        else if (typeof s.loadBalancerClass !== "string" || !LABEL_KEY.test(s.loadBalancerClass))
            out.push(
                problem(
                    "service.loadBalancerClass",
                    s.loadBalancerClass,
                    "use a label-style name such as io.cilium/bgp-control-plane or example.com/internal-lb",
                ),
            );
    }
    if (s.externalTrafficPolicy !== undefined) {
        if (!enumValues(ExternalTrafficPolicy).includes(s.externalTrafficPolicy))
            out.push(problem("service.externalTrafficPolicy", s.externalTrafficPolicy, `use one of ${enumValues(ExternalTrafficPolicy).join(", ")}`));
        else if (!external)
            out.push(
                problem(
                    "service.externalTrafficPolicy",
                    s.externalTrafficPolicy,
                    "Kubernetes takes an externalTrafficPolicy only with service.type NodePort or LoadBalancer: set the type or drop the policy",
                ),
            );
    }
    if (s.nodePort !== undefined) {
        if (!external)
            out.push(
                problem("service.nodePort", s.nodePort, "a node port exists only with service.type NodePort or LoadBalancer: set the type or drop the port"),
            );
        else if (!Number.isInteger(s.nodePort) || s.nodePort < 1 || s.nodePort > 65535)
            out.push(problem("service.nodePort", s.nodePort, "use a port in the cluster's node port range (default 30000-32767)"));
    }
    if (external && network?.defaultDeny !== false && network?.loadBalancerSourceCidrs === undefined) {
        out.push(
            problem(
                "service.type",
                type,
                "traffic through a node port or a Service load balancer comes from outside the cluster, and the app's NetworkPolicy admits only the route's sources: " +
                    "set network.loadBalancerSourceCidrs to the clients' ranges (with externalTrafficPolicy Local the pods see the client's address; with Cluster a node's: give the node CIDR), " +
                    "0.0.0.0/0 to admit everyone; on aws/gcp/azure the list replaces the load balancer's default ranges, so include those too",
            ),
        );
    }
    return out;
}

/** The Service's `spec` (selector and ports included) from `service`. */
export function appServiceSpec(spec: ResolvedSpec, selector: { [key: string]: string }): { [key: string]: unknown } {
    const s = spec.service ?? { type: AppServiceType.ClusterIP };
    const port = {
        name: "http",
        port: 80,
        targetPort: "http",
        protocol: "TCP",
        ...(s.appProtocol ? { appProtocol: s.appProtocol } : {}),
        ...(s.nodePort !== undefined ? { nodePort: s.nodePort } : {}),
    };
    return {
        type: s.type,
        selector,
        ports: [port],
        ...(s.loadBalancerClass ? { loadBalancerClass: s.loadBalancerClass } : {}),
        ...(s.externalTrafficPolicy ? { externalTrafficPolicy: s.externalTrafficPolicy } : {}),
    };
}

/**
 * The Service's annotations: the user's, then the load balancer's. A key in both is refused at
 * construction (the platform's `ownedAnnotations.service`); should a cloud set a key the list misses, this throws
 * rather than let either value win silently.
 */
export function appServiceAnnotations<T>(spec: ResolvedSpec, lb: { [key: string]: T } | undefined): { [key: string]: T | string } | undefined {
    const user = spec.service?.annotations ?? {};
    const clash = Object.keys(user).find((k) => lb && k in lb);
    if (clash) throw new Error(`service.annotations.${clash}: the ${spec.target} target's load balancer sets ${clash} itself: remove it`);
    const merged = { ...user, ...(lb ?? {}) };
    return Object.keys(merged).length ? merged : lb;
}
