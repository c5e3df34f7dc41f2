// Inputs of the release's NetworkPolicies (a leaf module: types.ts and the builder import it).

/** A destination the Open WebUI pods may reach besides the ones the spec names. */
export interface EgressRule {
    /** Destination CIDR (e.g. `10.20.0.0/16`, `203.0.113.7/32`). Required. */
    cidr: string;
    /** TCP ports. Default: [443]. */
    ports?: number[];
}

/**
 * Default-deny NetworkPolicies (ingress and egress) for every pod of the release, then one
 * allow-policy per workload with exactly the flows it needs (README "Network policies and
 * hardening defaults"). They need a CNI that enforces NetworkPolicy (Calico, Cilium, GKE
 * Dataplane V2, Azure NPM/Cilium, the EKS VPC CNI with network policies on).
 */
export interface Network {
    /**
     * Create the default-deny policies and the per-workload allow-policies. With false only the
     * former ingress-only policies are created (the app admits 8080 from any pod, the data
     * services any pod of the release, egress is open); the policy pack then reports
     * `owui-network-default-deny`. Default: true.
     */
    defaultDeny?: boolean;
    /**
     * Open TCP 443 and 80 from the Open WebUI pods to any address (`0.0.0.0/0`). Off, the app
     * reaches only the services the spec names: the database, Redis, the object store, the
     * collector, DNS, the cloud's identity endpoints and the ports of `rag.*BaseUrl(s)` (to any
     * address: a NetworkPolicy cannot match a host name). What that breaks: tools' pip
     * requirements, web search and web-page fetching for RAG, model downloads, OAuth providers
     * on other ports, and (kubernetes target) the default `api.openai.com` embeddings unless
     * `rag.embeddingApiBaseUrl`/`openaiApiBaseUrls` name it. On aws/gcp/azure TCP 443 is open
     * anyway (the object store, STS/Entra ID are HTTPS APIs with no fixed address). Default: false.
     */
    egressToInternet?: boolean;
    /** Further destinations of the Open WebUI pods (e.g. an in-house model server by CIDR). Default: none. */
    allowedEgress?: EgressRule[];
    /**
     * Sources admitted to the app's port 8080 (the load balancer's data path and health checks).
     * Default per target: aws (ALB IP targets) and azure AGC/AGIC the private ranges
     * `10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16`, `100.64.0.0/10` (set your VPC/AGC subnet
     * CIDR to narrow it); gcp Google's load balancer ranges `35.191.0.0/16`, `130.211.0.0/22`
     * (add the proxy-only subnet for a regional load balancer); kubernetes and azure NGINX: none
     * (the ingress controller's namespace is admitted instead, `kubernetes.ingressControllerNamespace`).
     */
    loadBalancerSourceCidrs?: string[];
}

/** Security defaults besides the NetworkPolicies, each switchable off (the policy pack then reports it). */
export interface Hardening {
    /**
     * Security response headers: `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`,
     * `Referrer-Policy: strict-origin-when-cross-origin` and, with TLS, HSTS
     * (`max-age=31536000;includeSubDomains`). Set by Open WebUI itself on every target
     * (`XCONTENT_TYPE`, `XFRAME_OPTIONS`, `REFERRER_POLICY`, `HSTS`), and also at the load
     * balancer where the cloud supports it: GKE BackendConfig `customResponseHeaders`, the AWS
     * ALB's HTTPS listener attributes (HSTS, nosniff, X-Frame-Options). Default: true.
     */
    securityHeaders?: boolean;
    /**
     * Access logs and diagnostic settings on every cloud (README "Access logs and diagnostics"):
     * aws the ALB's access logs and the uploads bucket's S3 server access logs, into a log bucket
     * the component creates (SSE-S3, private, expiring); gcp the load balancer's request logs
     * (BackendConfig `logging`, Cloud Logging) and the uploads bucket's usage logs, into a log
     * bucket the component creates; azure diagnostic settings (all logs and metrics) on
     * PostgreSQL, Redis, the blob service and a bring-your-own Application Gateway for Containers
     * (`azure.ingress.agc.resourceId`), into a Log Analytics workspace (created, or
     * `azure.logAnalyticsWorkspaceId`). The kubernetes target has none. Default: true.
     */
    accessLogs?: boolean;
    /**
     * Days the logs of `accessLogs` are kept: the log bucket's expiry (aws, gcp; 1 to 3650) or the
     * retention of the Log Analytics workspace the component creates (azure; 30 to 730, the first
     * 31 days at no retention charge). Default: 90 on aws and gcp, 30 on azure.
     */
    accessLogRetentionDays?: number;
    /**
     * Keep the uploads store from being deleted outside Pulumi: on azure a `CanNotDelete` lock on
     * the storage account (an account is deleted with all its blobs in one call). S3 and GCS need
     * none: they refuse to delete a bucket that still holds objects, and the component never sets
     * `forceDestroy` on the uploads bucket; `storage.retainOnDelete` keeps it on `pulumi destroy`
     * on every cloud. Default: true.
     */
    storageDeletionProtection?: boolean;
    /**
     * Keep the managed Redis from being deleted: Memorystore `deletionProtection`; ElastiCache (no
     * such flag) a final snapshot on delete. Default: true.
     */
    cacheDeletionProtection?: boolean;
}
