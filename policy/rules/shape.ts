// The rule shape of the `openwebui-ha` pack, written once: resource type tokens, unknown-value
// handling (preview sends sentinels; a rule never reports what it cannot know yet), the rule
// types and their factories, the HA-workload iterator.
import type { EnforcementLevel, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/** Resource type tokens the rules look at (asserted against each SDK's `__pulumiType` in tests). */
export const TYPES = {
    // Kubernetes
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    replicaSet: "kubernetes:apps/v1:ReplicaSet",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    job: "kubernetes:batch/v1:Job",
    cronJob: "kubernetes:batch/v1:CronJob",
    pod: "kubernetes:core/v1:Pod",
    service: "kubernetes:core/v1:Service",
    configMap: "kubernetes:core/v1:ConfigMap",
    secret: "kubernetes:core/v1:Secret",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    hpaV1: "kubernetes:autoscaling/v1:HorizontalPodAutoscaler",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    // AWS
    rdsCluster: "aws:rds/cluster:Cluster",
    rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    rdsInstance: "aws:rds/instance:Instance",
    rdsClusterParameterGroup: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    rdsParameterGroup: "aws:rds/parameterGroup:ParameterGroup",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    securityGroupIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    elasticacheReplicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    s3Bucket: "aws:s3/bucket:Bucket",
    s3BucketV2: "aws:s3/bucketV2:BucketV2",
    s3PublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    s3BucketAcl: "aws:s3/bucketAcl:BucketAcl",
    s3BucketAclV2: "aws:s3/bucketAclV2:BucketAclV2",
    iamAccessKey: "aws:iam/accessKey:AccessKey",
    cloudwatchMetricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    // GCP
    sqlInstance: "gcp:sql/databaseInstance:DatabaseInstance",
    memorystoreInstance: "gcp:redis/instance:Instance",
    memorystoreCluster: "gcp:redis/cluster:Cluster",
    gcsBucket: "gcp:storage/bucket:Bucket",
    gcsBucketIamMember: "gcp:storage/bucketIAMMember:BucketIAMMember",
    gcsBucketIamBinding: "gcp:storage/bucketIAMBinding:BucketIAMBinding",
    gcpServiceAccountKey: "gcp:serviceaccount/key:Key",
    monitoringAlertPolicy: "gcp:monitoring/alertPolicy:AlertPolicy",
    // Azure
    pgFlexibleServer: "azure-native:dbforpostgresql:Server",
    pgConfiguration: "azure-native:dbforpostgresql:Configuration",
    pgFirewallRule: "azure-native:dbforpostgresql:FirewallRule",
    redisEnterprise: "azure-native:redisenterprise:RedisEnterprise",
    redisEnterpriseDatabase: "azure-native:redisenterprise:Database",
    azureCacheRedis: "azure-native:redis:Redis",
    storageAccount: "azure-native:storage:StorageAccount",
    blobContainer: "azure-native:storage:BlobContainer",
    lockByScope: "azure-native:authorization:ManagementLockByScope",
    lockAtResourceLevel: "azure-native:authorization:ManagementLockAtResourceLevel",
    lockAtResourceGroupLevel: "azure-native:authorization:ManagementLockAtResourceGroupLevel",
    monitorMetricAlert: "azure-native:monitor:MetricAlert",
} as const;

// ---------------------------------------------------------------------------------------------
// Unknown values and raw access
// ---------------------------------------------------------------------------------------------

/** The sentinels the engine (and @pulumi/policy) use for values unknown during preview. */
export const UNKNOWN_SENTINELS = new Set<string>([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (also the plain RPC unknown)
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

export function isUnknown(v: unknown): boolean {
    return typeof v === "string" && UNKNOWN_SENTINELS.has(v);
}

/**
 * A value read from a resource's properties as the Pulumi engine hands them to a policy
 * (`ResourceValidationArgs.props` is a `Record<string, any>`): untyped JSON that may also be an
 * unknown marker or the policy SDK's proxy. Rules narrow it where they read it (`get`, `arr`,
 * `typeof`); this alias is the policy pack's one boundary with the untyped engine data.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the engine's resource props are untyped JSON (see above)
export type Json = any;

/** Strips the policy SDK's unknown-checking proxy so rules can test for unknowns themselves. */
export function raw<T = Json>(v: T): T {
    if (v && typeof v === "object" && (v as Json).__isSpecialProxy === true) return (v as Json).__getSpecialProxyTarget;
    return v;
}

export const get = (o: Json, ...path: (string | number)[]): Json => {
    let cur = raw(o);
    for (const p of path) {
        if (cur === undefined || cur === null || isUnknown(cur) || typeof cur !== "object") return isUnknown(cur) ? cur : undefined;
        cur = cur[p];
    }
    return cur;
};

export const arr = (v: Json): Json[] => (Array.isArray(v) ? v : []);
/** `true` or a value that cannot be known yet. */
export const isTrueOrUnknown = (v: unknown): boolean => v === true || isUnknown(v);

// ---------------------------------------------------------------------------------------------
// Rule definitions
// ---------------------------------------------------------------------------------------------

/** Extra metadata every rule of this pack carries. */
export interface RuleMeta {
    /** Remediation text (also in `remediationSteps`, the field the Pulumi service shows). */
    remediation: string;
}
export type PackResourcePolicy = ResourceValidationPolicy & RuleMeta & { remediationSteps: string; enforcementLevel: EnforcementLevel };
export type PackStackPolicy = StackValidationPolicy & RuleMeta & { remediationSteps: string; enforcementLevel: EnforcementLevel };
export type PackPolicy = PackResourcePolicy | PackStackPolicy;

/** A rule as written in rules/*.ts: everything but `remediationSteps`, which repeats `remediation`. */
export type StackRule = Omit<PackStackPolicy, "remediationSteps">;
export type ResourceRule = Omit<PackResourcePolicy, "remediationSteps">;

/** The one place the pack's rule shape is completed (remediationSteps is what the Pulumi service shows). */
export function stackRule(rule: StackRule): PackStackPolicy {
    return { ...rule, remediationSteps: rule.remediation };
}

export function resourceRule(rule: ResourceRule): PackResourcePolicy {
    return { ...rule, remediationSteps: rule.remediation };
}
