// The underlying resources of an OpenWebUiCluster, for TypeScript programs that attach their own
// (an alarm on the database, an IAM policy on the pod role, a DNS record on the route, ...).
//
// Not part of the multi-language schema: the cloud resources are typed `pulumi.CustomResource`
// (the neutral core never imports a cloud SDK, not even its types), which Pulumi's schema inference
// cannot reference, and a `resources` output would make every language's SDK depend on every
// cloud's. So the component exposes them through a getter (the schema analyzer reads property
// declarations only) backed by this module's map.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";

/**
 * The resources an OpenWebUiCluster registered, by role. A field is `undefined` where the target
 * or the spec does not create it (e.g. `database` unless `database.mode` is `managed` on
 * aws/gcp/azure). Cloud resources are typed `pulumi.CustomResource`: cast to the class named on the
 * field (e.g. `cluster.resources.database as aws.rds.Cluster`) to reach its properties.
 */
export interface OpenWebUiClusterResources {
    /** The Namespace, when the component created it (`createNamespace`). */
    readonly namespace?: k8s.core.v1.Namespace;
    /** The ServiceAccount the Open WebUI pods run as. */
    readonly serviceAccount: k8s.core.v1.ServiceAccount;
    /** The serving Deployment. */
    readonly deployment: k8s.apps.v1.Deployment;
    /** The migration Job of the current version. */
    readonly migrationJob: k8s.batch.v1.Job;
    /** The Service in front of the pods. */
    readonly service: k8s.core.v1.Service;
    /** The PodDisruptionBudget of the serving pods. */
    readonly podDisruptionBudget: k8s.policy.v1.PodDisruptionBudget;
    /** The HorizontalPodAutoscaler (none in maintenance mode, `migrations.maintenanceMode`). */
    readonly horizontalPodAutoscaler?: k8s.autoscaling.v2.HorizontalPodAutoscaler;
    /** The OpenTelemetry collector Deployment (`otel.deployCollector`). */
    readonly collector?: k8s.apps.v1.Deployment;
    /** The route: a networking.k8s.io/v1 `Ingress`, or a Gateway API `HTTPRoute` (a `k8s.apiextensions.CustomResource`); none with `kubernetes.routing: none`. */
    readonly route?: k8s.networking.v1.Ingress | k8s.apiextensions.CustomResource;
    /** The managed Postgres server: aws `rds.Cluster` (aurora) or `rds.Instance` (rdsMultiAz), gcp `sql.DatabaseInstance`, azure `dbforpostgresql.Server`. */
    readonly database?: pulumi.CustomResource;
    /** The managed Redis: aws `elasticache.ReplicationGroup`, gcp `redis.Instance`, azure `redisenterprise.RedisEnterprise`. */
    readonly cache?: pulumi.CustomResource;
    /** The uploads bucket: aws `s3.Bucket`, gcp `storage.Bucket`, azure `storage.BlobContainer`. */
    readonly bucket?: pulumi.CustomResource;
    /** The account holding the bucket: azure `storage.StorageAccount`. */
    readonly storageAccount?: pulumi.CustomResource;
    /** The cloud identity the ServiceAccount is bound to: aws `iam.Role`, gcp `serviceaccount.Account`, azure `managedidentity.UserAssignedIdentity`. */
    readonly identity?: pulumi.CustomResource;
}

const recorded = new WeakMap<pulumi.ComponentResource, OpenWebUiClusterResources>();

/** Records the resources of `component` (once, at the end of its construction). */
export function recordResources(component: pulumi.ComponentResource, resources: OpenWebUiClusterResources): void {
    recorded.set(component, Object.freeze({ ...resources }));
}

/** The resources recorded for `component`. */
export function resourcesOf(component: pulumi.ComponentResource): OpenWebUiClusterResources {
    const r = recorded.get(component);
    if (!r) throw new Error("OpenWebUiCluster: resources are reachable once the component is constructed");
    return r;
}
