// Inputs of the aws target (type-only: no cloud SDK import here, so the neutral core can
// reference it without loading the SDK).
//
// Plain values decide what is created (counts, engines, modes) and are validated at
// construction; `pulumi.Input`s only flow into resources (ids, ARNs).
import * as pulumi from "@pulumi/pulumi";

/** How the Open WebUI ServiceAccount gets its AWS role. */
export enum AwsIdentityMode {
    /** EKS Pod Identity (`aws.eks.PodIdentityAssociation`); needs the `eks-pod-identity-agent` add-on. */
    PodIdentity = "podIdentity",
    /** IAM Roles for Service Accounts: the ServiceAccount is annotated with `eks.amazonaws.com/role-arn`. */
    Irsa = "irsa",
}

/** Managed Postgres flavour. */
export enum AwsDatabaseEngine {
    /** Aurora PostgreSQL: a writer plus (with `database.highAvailability`) a reader in another AZ. */
    Aurora = "aurora",
    /** RDS for PostgreSQL, Multi-AZ DB instance (synchronous standby in another AZ). */
    RdsMultiAz = "rdsMultiAz",
}

/** ElastiCache engine. */
export enum AwsCacheEngine {
    /** Valkey (default): encrypted at rest by default, cheaper than Redis OSS on ElastiCache. */
    Valkey = "valkey",
    /** Redis OSS. */
    Redis = "redis",
}

/** ALB scheme. */
export enum AwsLoadBalancerScheme {
    /** Public ALB in the public subnets (tagged `kubernetes.io/role/elb=1`). */
    InternetFacing = "internet-facing",
    /** Private ALB in the private subnets (tagged `kubernetes.io/role/internal-elb=1`). */
    Internal = "internal",
}

/** The EKS cluster Open WebUI runs on. */
export interface AwsEks {
    /** EKS cluster name. Required. */
    clusterName: pulumi.Input<string>;
    /** How the Open WebUI pods get their AWS role. Default: `podIdentity`. */
    identityMode?: AwsIdentityMode;
    /** IRSA only: ARN of the cluster's IAM OIDC provider (`arn:aws:iam::<account>:oidc-provider/oidc.eks...`). Required with `irsa`; default: none. */
    oidcProviderArn?: pulumi.Input<string>;
    /** IRSA only: the cluster's OIDC issuer URL (`https://oidc.eks.<region>.amazonaws.com/id/<ID>`). Required with `irsa`; default: none. */
    oidcIssuerUrl?: pulumi.Input<string>;
    /**
     * Security group(s) of the nodes/pods that run Open WebUI (the EKS cluster security group for
     * managed node groups, or the pod security group with security groups for pods). The database
     * and the cache admit 5432/6379 from these groups only. Required, at least one.
     */
    securityGroupIds: pulumi.Input<string>[];
}

/** AWS settings of the managed Postgres. */
export interface AwsDatabase {
    /** Aurora PostgreSQL or RDS Multi-AZ. Default: `aurora`. */
    engine?: AwsDatabaseEngine;
    /**
     * Exact engine version. Default: `16.13` for `database.version` 16, `17.9` for 17 (other majors
     * must set it). Automatic minor upgrades are off so this program stays the source of truth: bump it to upgrade.
     */
    engineVersion?: string;
    /**
     * Instance class override. Default from `size`: small `db.r6g.large` (max_connections 1722),
     * medium `db.r6g.xlarge` (3479), large `db.r6g.2xlarge` (5000). Other classes need `database.maxConnections`
     * unless they are in the built-in table (db.t4g.medium, db.r6g/r7g large..4xlarge).
     */
    instanceClass?: string;
    /** Performance Insights retention in days (7 = free tier, or a multiple of 31 up to 731). Default: 7. */
    performanceInsightsRetentionDays?: number;
    /** RDS Multi-AZ only: autoscaling ceiling for storage in GiB. Default: 10 x `database.storageGb`. */
    maxAllocatedStorageGb?: number;
}

/** AWS settings of the managed Redis. Cluster mode follows the neutral `redis.cluster`. */
export interface AwsCache {
    /** Valkey or Redis OSS. Default: `valkey`. */
    engine?: AwsCacheEngine;
    /** Engine version. Default: `8.1` for valkey (family `valkey8`), `7.1` for redis (family `redis7`). */
    engineVersion?: string;
    /** Node type override. Default from `size`: small `cache.t4g.medium`, medium `cache.m7g.large`, large `cache.r7g.large`. */
    nodeType?: string;
    /** Cluster mode (`redis.cluster=true`) only: number of shards. Default: 2. */
    shards?: number;
    /** Replicas per shard (cluster mode) or read replicas of the primary (non-cluster). Default: 1 (with `redis.highAvailability`), 0 otherwise. */
    replicas?: number;
    /** Days of daily snapshots to keep. Default: 7. */
    snapshotRetentionDays?: number;
}

/** AWS Load Balancer Controller settings. */
export interface AwsLoadBalancer {
    /** ALB scheme. Default: `internet-facing`. */
    scheme?: AwsLoadBalancerScheme;
    /** IngressClass of the AWS Load Balancer Controller. Default: `alb`. */
    ingressClassName?: string;
    /** ALB TLS policy. Default: `ELBSecurityPolicy-TLS13-1-2-2021-06` (TLS 1.3 and 1.2 only). */
    sslPolicy?: string;
    /** ALB idle timeout in seconds; must exceed the websocket ping interval. Default: 3600. */
    idleTimeoutSeconds?: number;
    /** Target deregistration delay in seconds; at most `pod.terminationGracePeriodSeconds`. Default: min(30, grace period). */
    deregistrationDelaySeconds?: number;
    /**
     * `alb.ingress.kubernetes.io/group.name`: share one ALB with other Ingresses. The group's other
     * Ingresses must then set `ssl-redirect` and `load-balancer-attributes` identically (idle timeout
     * 3600 s). Default: none (a dedicated ALB).
     */
    groupName?: string;
    /** Extra Ingress annotations, merged over the computed ones (escape hatch, e.g. `wafv2-acl-arn`). Default: none. */
    extraAnnotations?: { [key: string]: string };
}

/** Settings of the `aws` target. */
export interface Aws {
    /** Region of every AWS resource. Default: the AWS provider's region. */
    region?: string;
    /** VPC of the EKS cluster. Required. */
    vpcId: pulumi.Input<string>;
    /**
     * Private subnets (at least two, in at least two AZs) for the database and the cache. Required.
     * A plain list is checked at construction; an Output list (e.g. `vpc.privateSubnetIds` of awsx) is checked by AWS.
     */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The EKS cluster. Required. */
    eks: AwsEks;
    /** ACM certificate ARN for the ALB HTTPS listener (same region). Required when `tls.enabled` (the default); default: none. */
    certificateArn?: pulumi.Input<string>;
    /** Route 53 hosted zone id: when set, an alias A record `hostname` -> ALB is created. Default: none (manage DNS yourself). */
    route53ZoneId?: pulumi.Input<string>;
    /** Customer managed KMS key ARN for RDS, ElastiCache, S3 and Performance Insights. Default: a new key with yearly rotation. */
    kmsKeyArn?: pulumi.Input<string>;
    /** Managed Postgres settings (`database.mode` managed only). Default: every default of AwsDatabase. */
    database?: AwsDatabase;
    /** Managed Redis settings (`redis.mode` managed only). Default: every default of AwsCache. */
    cache?: AwsCache;
    /** Load balancer settings. Default: every default of AwsLoadBalancer. */
    loadBalancer?: AwsLoadBalancer;
}
