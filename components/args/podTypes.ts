// Pod knobs: what platform teams set on every pod they run (the Helm chart's tolerations,
// affinity, extraVolumes, extraInitContainers, ...), for the Open WebUI pods (`pod`) and for each
// other workload the component creates (`workloads`). Merged with the component's own pod spec by
// `components/kubernetes/podKnobs.ts`: the component's security context, probes and volumes stay.
import * as k8s from "@pulumi/kubernetes";

/** An `/etc/hosts` entry of the pods (Kubernetes `HostAlias`). */
export interface HostAlias {
    /** IPv4 or IPv6 address. Required. */
    ip: string;
    /** Host names resolving to `ip` in the pods. Required, at least one. */
    hostnames: string[];
}

/** Pod knobs every workload takes. */
export interface WorkloadPod {
    /** Extra pod annotations. Default: none. */
    annotations?: { [key: string]: string };
    /** Extra pod labels (never the component's selector labels). Default: none. */
    labels?: { [key: string]: string };
    /** Node selector. Default: none. */
    nodeSelector?: { [key: string]: string };
    /** Tolerations (Kubernetes `Toleration`), e.g. for a tainted dedicated node pool. Default: none. */
    tolerations?: k8s.types.input.core.v1.Toleration[];
    /** Affinity (Kubernetes `Affinity`: node, pod and anti-affinity). Default: none. */
    affinity?: k8s.types.input.core.v1.Affinity;
    /**
     * Topology spread constraints, replacing the component's (for Open WebUI: zone, required on
     * clouds, plus host, preferred). A constraint without `labelSelector` selects this workload's
     * pods. Default: the component's.
     */
    topologySpreadConstraints?: k8s.types.input.core.v1.TopologySpreadConstraint[];
    /** PriorityClass of the pods. Default: none (the cluster default). */
    priorityClassName?: string;
    /** RuntimeClass of the pods (e.g. `gvisor`, `kata`, `nvidia`). Default: none. */
    runtimeClassName?: string;
    /** Names of image pull Secrets, added to those of `pod.imagePullSecrets` (which every pod gets). Default: none. */
    imagePullSecrets?: string[];
    /** Extra volumes (Kubernetes `Volume`), e.g. a CSI secret store or a certificate. Names must not clash with the component's. Default: none. */
    extraVolumes?: k8s.types.input.core.v1.Volume[];
    /** Extra mounts (Kubernetes `VolumeMount`) into the workload's main containers; each names a volume of `extraVolumes`. Default: none. */
    extraVolumeMounts?: k8s.types.input.core.v1.VolumeMount[];
    /**
     * Extra init containers (Kubernetes `Container` objects), run after the component's own. A
     * container without `securityContext` gets the component's restricted one (the namespace
     * enforces the `restricted` Pod Security Standard). Default: none.
     */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a Kubernetes Container given as-is (the schema's Any values); checked in k8sRules.ts
    initContainers?: { [key: string]: any }[];
    /** Sidecar containers (Kubernetes `Container` objects), beside the main container; securityContext defaulted as for `initContainers`. Default: none. */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a Kubernetes Container given as-is (the schema's Any values); checked in k8sRules.ts
    sidecars?: { [key: string]: any }[];
    /** CPU request override (e.g. `500m`). Default: the workload's own (Open WebUI: from `size`). */
    cpuRequest?: string;
    /** Memory request override (e.g. `1Gi`). Default: the workload's own (Open WebUI: from `size`). */
    memoryRequest?: string;
    /** CPU limit override. Default: none (CPU is not limited, to avoid throttling). */
    cpuLimit?: string;
    /** Memory limit override. Default: the workload's own (Open WebUI: from `size`). */
    memoryLimit?: string;
    /** Extended resources for the main container, set as request and limit, e.g. `{"nvidia.com/gpu": "1"}`. Default: none. */
    extraResources?: { [key: string]: string };
    /** `/etc/hosts` entries of the pods (`hostAliases`), e.g. an internal model server without DNS. Default: none. */
    hostAliases?: HostAlias[];
}

/** Knobs only the Open WebUI pods take (the chart's `command`, `args`, `serviceAccount.annotations`). */
export interface AppPod extends WorkloadPod {
    /**
     * Entrypoint of the `open-webui` container of the serving pods (the chart's `command`, e.g. a
     * wrapper script). The migration Job keeps its own program. Default: the image's entrypoint.
     */
    command?: string[];
    /** Arguments of the `open-webui` container (the chart's `args`). Default: the image's. */
    args?: string[];
    /**
     * Extra annotations of the Open WebUI ServiceAccount. The cloud's workload identity keys
     * (`eks.amazonaws.com/role-arn` with IRSA, `iam.gke.io/gcp-service-account`,
     * `azure.workload.identity/client-id`) are set by the component and refused here. Default: none.
     */
    serviceAccountAnnotations?: { [key: string]: string };
}

/** A workload other than Open WebUI's own pods: its pod knobs and its image. */
export interface Workload extends WorkloadPod {
    /** Full image reference (`registry/repository:tag[@digest]`), used as given. Default: the component's pinned image, under `imageRegistry` when set. */
    image?: string;
}

/** Pod knobs and images of the workloads besides Open WebUI's own pods (which `pod` configures). */
export interface Workloads {
    /** The database bootstrap Job (psql; runs on every target). Default image: `postgres:17.6-alpine`. */
    dbBootstrap?: Workload;
    /** The OpenTelemetry collector. Default image: `otel.collectorImage`. */
    otelCollector?: Workload;
    /**
     * In-cluster Postgres (`database.mode: inCluster`), or the CloudNativePG instances
     * (`inClusterHa`: image, nodeSelector, tolerations, topologySpreadConstraints, priorityClassName,
     * imagePullSecrets and resources go into the `Cluster`). Default image:
     * `pgvector/pgvector:0.8.1-pg<major>`; `inClusterHa`: `ghcr.io/cloudnative-pg/postgresql:<version>-standard-trixie`.
     */
    postgres?: Workload;
    /** In-cluster Valkey (`redis.mode: inCluster`; with `inClusterHa` the Valkey and Sentinel pods). Default image: `valkey/valkey:8.1.4-alpine`. */
    redis?: Workload;
    /** In-cluster SeaweedFS and its bucket Job (`storage.mode: inCluster`). Default image: `chrislusf/seaweedfs:3.97`. */
    objectStore?: Workload;
}
