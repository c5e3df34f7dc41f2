// The port: the one small interface every cloud implements. The neutral core (components/) owns
// and calls it; a cloud module (providers/<cloud>/index.ts) implements it and is loaded only when
// its target is chosen (./loader.ts), so loading the package never loads an unused cloud SDK.
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedSpec } from "../spec/spec";

/** What the core hands to a cloud module when it creates resources. */
export interface ProviderContext {
    /** Component name; children are named `${name}-<role>`. */
    readonly name: string;
    /** The OpenWebUiCluster component: parent of every child. */
    readonly parent: pulumi.ComponentResource;
    /** The validated, defaulted spec. */
    readonly spec: ResolvedSpec;
    /** Kubernetes namespace of the release (plain: it feeds trust policies and subjects). */
    readonly namespace: string;
    /** Kubernetes ServiceAccount the Open WebUI pods run as. */
    readonly serviceAccountName: string;
    /** Cloud tags/labels to put on every cloud resource (spec.tags plus component markers). */
    readonly tags: { [key: string]: string };
    /** Options for a cloud child resource: `{ parent }` plus `extra`. */
    opts(extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions;
}

/** A managed Postgres server the cloud created. The core bootstraps the app role on it. */
export interface ManagedDatabase {
    /** Private hostname of the writer endpoint. */
    host: pulumi.Output<string>;
    /** Port (5432). */
    port: number;
    /** Database name created on the server. */
    database: pulumi.Input<string>;
    /** Administrative (master) user, used only by the bootstrap Job. */
    adminUsername: pulumi.Input<string>;
    /** Administrative password (a Pulumi secret). */
    adminPassword: pulumi.Output<string>;
    /** `sslmode` the clients must use: the server enforces TLS; `verify-*` with `caCertificate`. */
    sslMode: "require" | "verify-ca" | "verify-full";
    /** PEM CA(s) that sign the server certificate, for `verify-ca`/`verify-full`. The core mounts it (ConfigMap `<name>-db-ca`) and names it in `sslrootcert`. */
    caCertificate?: pulumi.Input<string>;
    /** Server `max_connections` for the chosen size: drives the pool computation. */
    maxConnections: number;
    /** App role authenticates with RDS IAM tokens (AWS only). */
    iamAuth: boolean;
    /** Resources the bootstrap Job must wait for (e.g. parameter groups, extension allow-lists). */
    dependsOn: pulumi.Resource[];
    /** What the cloud's alarms watch: RDS instance / Aurora cluster identifier, Cloud SQL `project:instance`, Azure server resource id. */
    alarmScope?: pulumi.Output<string>;
    /** The server resource, reachable as `OpenWebUiCluster.resources.database`: aws `rds.Cluster` (aurora) or `rds.Instance` (rdsMultiAz), gcp `sql.DatabaseInstance`, azure `dbforpostgresql.Server`. */
    resource: pulumi.CustomResource;
}

/** A managed Redis the cloud created. */
export interface ManagedCache {
    /** Full client URL (`rediss://:password@host:port/0`), a Pulumi secret. No query string: the core adds TLS parameters. */
    url: pulumi.Output<string>;
    /** Endpoint `host:port` for outputs. */
    endpoint: pulumi.Output<string>;
    /** The endpoint is a Redis Cluster (`REDIS_CLUSTER=true`). */
    cluster: boolean;
    /** PEM CA the pods must trust for TLS (e.g. Memorystore server CA). The core mounts it and points the client at it. */
    caCertificate?: pulumi.Output<string>;
    /** Skip hostname verification (e.g. TLS to an IP endpoint whose certificate has no IP SAN). */
    skipHostnameCheck?: boolean;
    dependsOn: pulumi.Resource[];
    /** What the cloud's alarms watch: ElastiCache replication group id, Memorystore instance id, Azure Managed Redis cluster resource id. */
    alarmScope?: pulumi.Output<string>;
    /** Per-node ids where the cloud's cache metrics are per node (ElastiCache member cache clusters). */
    alarmMembers?: pulumi.Output<string[]>;
    /** The cache resource (`resources.cache`): aws `elasticache.ReplicationGroup`, gcp `redis.Instance`, azure `redisenterprise.RedisEnterprise`. */
    resource: pulumi.CustomResource;
}

/** A managed object store the cloud created, wired through the pod identity (no static keys). */
export interface ManagedObjectStore {
    /** Plain env vars for Open WebUI (`STORAGE_PROVIDER`, bucket, region, endpoint...). */
    env: { [key: string]: pulumi.Input<string> };
    /** Bucket / container name. */
    bucketName: pulumi.Output<string>;
    /** The bucket resource (`resources.bucket`): aws `s3.Bucket`, gcp `storage.Bucket`, azure `storage.BlobContainer`. */
    resource: pulumi.CustomResource;
    /** The account holding the bucket where the cloud has one (`resources.storageAccount`): azure `storage.StorageAccount`. */
    account?: pulumi.CustomResource;
}

/** The cloud identity the Open WebUI ServiceAccount is bound to. */
export interface WorkloadIdentity {
    /** Annotations for the ServiceAccount (e.g. `eks.amazonaws.com/role-arn`). */
    serviceAccountAnnotations: { [key: string]: pulumi.Input<string> };
    /** Labels for the pods (e.g. `azure.workload.identity/use: "true"`). */
    podLabels: { [key: string]: string };
    /** Role ARN / service account email / managed identity client id. */
    principal: pulumi.Output<string>;
    /** Resources the ServiceAccount (and so every pod) must wait for (e.g. identity associations). */
    dependsOn?: pulumi.Resource[];
    /** The identity resource (`resources.identity`): aws `iam.Role`, gcp `serviceaccount.Account`, azure `managedidentity.UserAssignedIdentity`; none on kubernetes. */
    resource?: pulumi.CustomResource;
}

/**
 * The cloud's own telemetry backends for the collector the core deploys (`otel.cloudBackend`):
 * collector config pieces plus the collector's own identity (providers/<cloud>/telemetry.ts).
 */
export interface TelemetryBackend {
    /** Collector config pieces (may resolve later: region, log group names). Never secrets: use `secretEnv`. */
    config: pulumi.Input<CollectorBackendConfig>;
    /** Exporter names per signal (known at construction); an empty list drops that signal's pipeline. */
    pipelines: CollectorPipelines;
    /** Secret env of the collector (e.g. a connection string), referenced as `${env:NAME}`; stored in its Secret. */
    secretEnv?: { [key: string]: pulumi.Input<string> };
    /** Binding of the collector's ServiceAccount (annotations, pod labels). */
    identity: WorkloadIdentity;
}

/** Exporter names per signal. */
export interface CollectorPipelines {
    traces: string[];
    logs: string[];
    metrics: string[];
}

/** Collector `extensions` and `exporters` by name (e.g. `sigv4auth/xray`, `otlphttp/xray`). */
export interface CollectorBackendConfig {
    extensions: { [name: string]: unknown };
    exporters: { [name: string]: unknown };
    pipelines: CollectorPipelines;
}

/** How the public endpoint is exposed. */
export interface LoadBalancer {
    /** `ingress`: the core creates a networking.k8s.io/v1 Ingress; `httpRoute`: a Gateway API HTTPRoute; `none`. */
    kind: "ingress" | "httpRoute" | "none";
    /** IngressClass name (ingress kind). */
    ingressClassName?: string;
    /** Ingress annotations (ingress kind). */
    ingressAnnotations?: { [key: string]: pulumi.Input<string> };
    /** TLS Secret the Ingress references in `spec.tls` (controllers that terminate TLS with a Kubernetes Secret). */
    tlsSecretName?: pulumi.Input<string>;
    /** With no `tlsSecretName`: list the host under `spec.tls` anyway, so the controller serves it with its default certificate (never a redirect to no HTTPS). */
    tlsDefaultCertificate?: boolean;
    /** Gateway parentRefs (httpRoute kind). */
    parentRefs?: { name: string; namespace?: string; sectionName?: string }[];
    /**
     * HTTPRoute rule `timeouts` (httpRoute kind). Gateway API timeouts are an extended feature:
     * set them only where the implementation supports them (e.g. `{ request: "0s" }` disables the
     * request timeout for long-lived websockets). Default: omitted.
     */
    httpRouteTimeouts?: { request?: string; backendRequest?: string };
    /** Annotations for the Open WebUI Service (e.g. GKE BackendConfig). */
    serviceAnnotations?: { [key: string]: pulumi.Input<string> };
    /** Public URL (`https://hostname`): becomes `WEBUI_URL`. */
    url: pulumi.Output<string>;
    /** Called after the Service and route exist (e.g. to create a DNS record from the LB address). */
    afterRoute?(route: pulumi.CustomResource | undefined, service: pulumi.CustomResource): void;
}

/** What the core knows when it asks a cloud for its alarms (providers/<cloud>/alarms.ts). */
export interface AlarmInputs {
    /** The managed database (`database.mode: managed`), else none. */
    database?: ManagedDatabase;
    /** The managed cache (`redis.mode: managed`), else none. */
    cache?: ManagedCache;
    /** The server's `max_connections` the pool math used: the connections alarm fires above 80 % of it. */
    maxConnections: number;
    /** The serving Deployment. */
    deployment: { name: string; namespace: string };
    /** The Ingress / HTTPRoute the core created (its load balancer is the controller's). */
    route?: pulumi.CustomResource;
    /** Where the alarms notify (validated by the cloud's `validate`); empty: nowhere. */
    notificationTargets: string[];
}

/** One cloud. Every method but `validate` and `databaseMaxConnections` creates resources. */
export interface CloudPlatform {
    /**
     * Checks the cloud-specific args (spec.aws / spec.gcp / spec.azure) and returns one
     * message per problem, each naming the field, the bad value and the fix (use
     * `problem()` from components/spec/errors.ts). Called before any resource is registered.
     */
    validate(spec: ResolvedSpec): string[];
    /**
     * Annotation keys this target sets itself: on the Open WebUI Service (its load balancer, e.g.
     * GKE's NEG and BackendConfig) and on the ServiceAccount (its workload identity). The core
     * refuses them in `service.annotations` and `pod.serviceAccountAnnotations`;
     * tests/clusterFit.test.ts checks each list against what the target really sets.
     */
    readonly ownedAnnotations: { service: string[]; serviceAccount: string[] };
    /** `max_connections` of the managed Postgres for this spec's size (known at plan time). */
    databaseMaxConnections(spec: ResolvedSpec): number;
    /** Whether the managed Redis of this spec is cluster-mode (sets `REDIS_CLUSTER`). */
    cacheIsCluster(spec: ResolvedSpec): boolean;
    /**
     * Labels the core puts on the Namespace it creates (e.g. the AWS Load Balancer
     * Controller's pod readiness gate injection, so rollouts wait for healthy targets).
     */
    namespaceLabels?(spec: ResolvedSpec): { [key: string]: string };
    /** Transformations the core adds to every child the cloud module creates through `ctx.opts()`. */
    childTransformations?: pulumi.ResourceTransformation[];
    createDatabase(ctx: ProviderContext): ManagedDatabase;
    createCache(ctx: ProviderContext): ManagedCache;
    createObjectStore(ctx: ProviderContext): ManagedObjectStore;
    /** Binds the Open WebUI ServiceAccount to a cloud identity allowed to use `store` (and nothing else). */
    createWorkloadIdentity(ctx: ProviderContext, store: ManagedObjectStore | undefined): WorkloadIdentity;
    /**
     * Creates the telemetry backends and the collector's own least-privilege identity, bound to
     * the Kubernetes ServiceAccount `collectorServiceAccount` (called when `otel.cloudBackend`).
     */
    createTelemetry?(ctx: ProviderContext, collectorServiceAccount: string): TelemetryBackend;
    /** Returns how to expose the Service (may create cloud resources: static IPs, certificates, CRs). */
    createLoadBalancer(ctx: ProviderContext): LoadBalancer;
    /** Creates the cloud's alarms (`alarms.enabled`), after the route exists. */
    createAlarms?(ctx: ProviderContext, inputs: AlarmInputs): void;
}
