// Inputs of the generic `kubernetes` target (any conformant cluster).
import type { RoutingMode } from "../args/routingMode";
import type { DataTier } from "../args/enums";

/** A Gateway API Gateway the HTTPRoute attaches to. */
export interface GatewayRef {
    /** Gateway name. */
    name: string;
    /** Gateway namespace. Default: the release namespace. */
    namespace?: string;
    /** Listener name (`sectionName`). Default: all listeners. */
    sectionName?: string;
}

/** Settings of the `kubernetes` target; also used for the in-cluster services on any target. */
export interface KubernetesTarget {
    /** How the endpoint is exposed. Default: `gatewayApi` when `gateway` is set, otherwise `ingress`. */
    routing?: RoutingMode;
    /** Gateway to attach the HTTPRoute to (routing `gatewayApi`). */
    gateway?: GatewayRef;
    /** IngressClass for routing `ingress`. Default: the cluster's default IngressClass. */
    ingressClassName?: string;
    /** Extra Ingress annotations (controller-specific timeouts etc.). Default: websocket-safe timeouts for common controllers. */
    ingressAnnotations?: { [key: string]: string };
    /** Idle/read timeout in seconds written to controller annotations and the HTTPRoute. Default: 3600 (>= 65 needed for websockets). */
    idleTimeoutSeconds?: number;
    /**
     * The cluster's DNS domain (kubelet `--cluster-domain`), in every in-cluster address the
     * component hands to a client (`<service>.<namespace>.svc.<domain>`: in-cluster Postgres,
     * Valkey, SeaweedFS, the collector). Applies on every target. Default: `cluster.local`.
     */
    clusterDomain?: string;
    /** StorageClass for the in-cluster services' volumes. Default: the cluster's default. */
    storageClassName?: string;
    /**
     * Namespace of the pods that carry traffic to the app (the ingress controller, the Gateway's
     * data plane, or with routing `none` your own proxy): the only in-cluster source the app's
     * NetworkPolicy admits on 8080. Default: `ingress-nginx` (routing `ingress`), the Gateway's
     * namespace (routing `gatewayApi`), none (routing `none`: nothing reaches the app until you set it).
     */
    ingressControllerNamespace?: string;
    /** Labels of those pods within their namespace (narrows the source further). Default: any pod of the namespace. */
    ingressControllerPodLabels?: { [key: string]: string };
    /**
     * The in-cluster data tier's preset: the mode `database`, `redis` and `storage` take when
     * their `mode` is unset. `highlyAvailable`: a CloudNativePG `Cluster` (3 instances; install
     * the operator first), Valkey with Sentinel (3 + 3 pods) and a ReadWriteMany `sharedVolume`
     * for uploads. `single`: single-instance StatefulSets (not HA). Default: `single`.
     */
    dataTier?: DataTier;
    /**
     * Namespace of the CloudNativePG operator (`database.mode: inClusterHa`): the NetworkPolicy
     * admits its status checks (port 8000) from there. Default: `cnpg-system`.
     */
    cnpgOperatorNamespace?: string;
}
