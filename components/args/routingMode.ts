// A leaf module: the kubernetes target's args and the core both import it (no cycle).

/** How the public endpoint is exposed on the `kubernetes` target. */
export enum RoutingMode {
    /** Gateway API HTTPRoute attached to an existing Gateway (default when `kubernetes.gateway` is set). */
    GatewayApi = "gatewayApi",
    /** networking.k8s.io/v1 Ingress with the given class. */
    Ingress = "ingress",
    /** No route; only a ClusterIP Service (bring your own). */
    None = "none",
}
