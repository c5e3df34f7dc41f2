// Checks spec.aws before any resource exists. Values that are Outputs cannot be checked here
// (they are checked by AWS at deploy time); plain values are checked for shape and consistency.
import * as pulumi from "@pulumi/pulumi";
import { enumValues, isKnown, problem } from "../../components/spec/errors";
import type { ResolvedSpec } from "../../components/spec/spec";
import { ALB_TLS12_POLICY } from "../../components/spec/exposure";
import { s3BucketProblem } from "../cloudRules";
import { ServiceMode } from "../../components/args/types";
import { AwsCacheEngine, AwsDatabaseEngine, AwsIdentityMode, AwsLoadBalancerScheme } from "../../components/platform/awsArgs";
import type { Aws, AwsEks } from "../../components/platform/awsArgs";

/** RDS for PostgreSQL gp3 allocated storage ceiling (64 TiB). */
const RDS_GP3_MAX_GB = 65536;
import { PG_ENGINE_VERSION, cacheEngine, cacheEngineVersion, cacheFamily, cacheReplicas, classMaxConnections, dbInstanceClass } from "./catalog";
import { logRetentionProblem } from "../logRetention";
import { alarmTargetProblems } from "../../components/telemetry/alarmsSpec";

/** An SNS topic ARN (standard or FIFO name). */
const SNS_TOPIC_ARN = /^arn:aws(-cn|-us-gov|-iso|-iso-[a-z]|-eusc)?:sns:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export function validateAws(spec: ResolvedSpec): string[] {
    const a = spec.aws;
    if (!a) return []; // the core reports the missing block
    return [
        ...networkProblems(a),
        ...eksProblems(a),
        ...certificateProblems(spec, a),
        ...zoneAndKeyProblems(a),
        ...databaseProblems(spec, a),
        ...cacheProblems(spec, a),
        ...storageProblems(spec),
        ...loadBalancerProblems(spec, a),
        ...logRetentionProblem(spec, 1, 3650, "the log bucket's expiry"),
        ...alarmTargetProblems(spec, SNS_TOPIC_ARN, "give an SNS topic ARN, arn:aws:sns:<region>:<12-digit account>:<topic name>"),
        ...alarmRegionProblems(spec, a),
    ];
}

/** Problems of the network: the region, the VPC id and the private subnets. */
function networkProblems(a: Aws): string[] {
    const p: string[] = [];
    if (a.region !== undefined && !REGION.test(a.region)) {
        p.push(problem("aws.region", a.region, "use an AWS region code such as eu-west-1, or omit it to use the provider's region"));
    }
    if (a.vpcId === undefined || a.vpcId === "") {
        p.push(problem("aws.vpcId", a.vpcId, "give the id of the EKS cluster's VPC (vpc-...)"));
    } else if (isKnown(a.vpcId) && !/^vpc-[0-9a-f]+$/.test(a.vpcId)) {
        p.push(problem("aws.vpcId", a.vpcId, "use a VPC id of the form vpc-0123456789abcdef0"));
    }

    const subnets = a.privateSubnetIds;
    if (subnets !== undefined && !Array.isArray(subnets) && (pulumi.Output.isInstance(subnets) || subnets instanceof Promise)) {
        // An Output list: its length is known only at deploy time (the DB subnet group then requires 2 AZs).
    } else if (!Array.isArray(subnets) || subnets.length < 2) {
        p.push(
            problem(
                "aws.privateSubnetIds",
                subnets,
                "give at least two private subnet ids in different availability zones (the database and the cache fail over across AZs)",
            ),
        );
    } else {
        const plain = subnets.filter<string>((s) => isKnown(s));
        for (const s of plain) {
            if (!/^subnet-[0-9a-f]+$/.test(s)) p.push(problem("aws.privateSubnetIds", s, "use subnet ids of the form subnet-0123456789abcdef0"));
        }
        if (new Set(plain).size !== plain.length)
            p.push(problem("aws.privateSubnetIds", subnets, "list each subnet once (two distinct subnets in two AZs at least)"));
    }
    return p;
}

/** Problems of aws.eks: the cluster name, the identity mode and the node security groups. */
function eksProblems(a: Aws): string[] {
    const p: string[] = [];
    const eks = a.eks;
    if (!eks) {
        p.push(problem("aws.eks", undefined, "give the EKS cluster: { clusterName, securityGroupIds } (and the OIDC provider for irsa)"));
    } else {
        if (eks.clusterName === undefined || eks.clusterName === "") {
            p.push(problem("aws.eks.clusterName", eks.clusterName, "give the EKS cluster name"));
        }
        const mode = eks.identityMode ?? AwsIdentityMode.PodIdentity;
        if (!enumValues(AwsIdentityMode).includes(mode)) {
            p.push(problem("aws.eks.identityMode", mode, `use one of ${enumValues(AwsIdentityMode).join(", ")}`));
        } else if (mode === AwsIdentityMode.Irsa) {
            p.push(...irsaProblems(eks));
        } else if (eks.oidcProviderArn !== undefined || eks.oidcIssuerUrl !== undefined) {
            p.push(
                problem(
                    "aws.eks.identityMode",
                    mode,
                    "oidcProviderArn/oidcIssuerUrl are used only with identityMode irsa: set identityMode irsa or remove them",
                ),
            );
        }
        const sgs = eks.securityGroupIds;
        if (!Array.isArray(sgs) || sgs.length === 0) {
            p.push(
                problem(
                    "aws.eks.securityGroupIds",
                    sgs,
                    "give the security group(s) of the nodes/pods running Open WebUI (e.g. the EKS cluster security group): the database and cache admit only them",
                ),
            );
        } else {
            for (const g of sgs.filter<string>((x) => isKnown(x))) {
                if (!/^sg-[0-9a-f]+$/.test(g)) p.push(problem("aws.eks.securityGroupIds", g, "use security group ids of the form sg-0123456789abcdef0"));
            }
        }
    }
    return p;
}

/** Problems of identityMode irsa: the OIDC provider ARN and issuer URL, and whether they match. */
function irsaProblems(eks: AwsEks): string[] {
    const p: string[] = [];
    if (eks.oidcProviderArn === undefined) {
        p.push(problem("aws.eks.oidcProviderArn", undefined, "identityMode irsa needs the ARN of the cluster's IAM OIDC provider"));
    } else if (isKnown(eks.oidcProviderArn) && !/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/.+/.test(eks.oidcProviderArn)) {
        p.push(
            problem(
                "aws.eks.oidcProviderArn",
                eks.oidcProviderArn,
                "use the IAM OIDC provider ARN: arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<ID>",
            ),
        );
    }
    if (eks.oidcIssuerUrl === undefined) {
        p.push(
            problem(
                "aws.eks.oidcIssuerUrl",
                undefined,
                "identityMode irsa needs the cluster's OIDC issuer URL (aws eks describe-cluster --query cluster.identity.oidc.issuer)",
            ),
        );
    } else if (isKnown(eks.oidcIssuerUrl) && !/^https:\/\/[^/\s]+\/\S+$/.test(eks.oidcIssuerUrl)) {
        p.push(problem("aws.eks.oidcIssuerUrl", eks.oidcIssuerUrl, "use the https:// issuer URL, e.g. https://oidc.eks.eu-west-1.amazonaws.com/id/ABC123"));
    }
    if (
        isKnown(eks.oidcProviderArn) &&
        isKnown(eks.oidcIssuerUrl) &&
        /^https:\/\//.test(eks.oidcIssuerUrl) &&
        !eks.oidcProviderArn.endsWith(`:oidc-provider/${eks.oidcIssuerUrl.replace(/^https:\/\//, "").replace(/\/+$/, "")}`)
    ) {
        p.push(
            problem(
                "aws.eks.oidcProviderArn",
                eks.oidcProviderArn,
                `it does not match aws.eks.oidcIssuerUrl (${eks.oidcIssuerUrl}): use the provider of this cluster's issuer, or the trust policy will never match`,
            ),
        );
    }
    return p;
}

/** Problems of TLS on the ALB: the ACM certificate, and TLS settings the ALB does not use. */
function certificateProblems(spec: ResolvedSpec, a: Aws): string[] {
    const p: string[] = [];
    if (spec.tls.enabled && (a.certificateArn === undefined || a.certificateArn === "")) {
        p.push(
            problem(
                "aws.certificateArn",
                a.certificateArn,
                `tls is enabled: give an ACM certificate ARN covering ${spec.hostname} in the ALB's region (the ALB terminates TLS), or set tls.enabled=false with tls.allowInsecureHttp=true for an evaluation`,
            ),
        );
    } else if (isKnown(a.certificateArn)) {
        const m = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]+$/.exec(a.certificateArn);
        if (!m) {
            p.push(problem("aws.certificateArn", a.certificateArn, "use an ACM certificate ARN: arn:aws:acm:<region>:<account>:certificate/<id>"));
        } else if (a.region !== undefined && m[1] !== a.region) {
            p.push(
                problem(
                    "aws.certificateArn",
                    a.certificateArn,
                    `the certificate is in ${m[1]} but aws.region is ${a.region}: an ALB can only use an ACM certificate of its own region`,
                ),
            );
        }
        if (!spec.tls.enabled) p.push(problem("aws.certificateArn", "set", "tls.enabled is false: remove the certificate or enable TLS"));
    }
    if (spec.tls.secretName !== undefined || spec.tls.clusterIssuer !== undefined) {
        p.push(
            problem(
                spec.tls.secretName !== undefined ? "tls.secretName" : "tls.clusterIssuer",
                "set",
                "on aws the ALB terminates TLS with the ACM certificate in aws.certificateArn; a Kubernetes TLS Secret or cert-manager issuer is not used: remove it",
            ),
        );
    }
    return p;
}

/** Problems of the Route 53 zone id and the KMS key ARN. */
function zoneAndKeyProblems(a: Aws): string[] {
    const p: string[] = [];
    if (isKnown(a.route53ZoneId) && !/^Z[A-Z0-9]{1,32}$/.test(a.route53ZoneId)) {
        p.push(problem("aws.route53ZoneId", a.route53ZoneId, "use a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (no /hostedzone/ prefix)"));
    }
    if (isKnown(a.kmsKeyArn) && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+$/.test(a.kmsKeyArn)) {
        p.push(problem("aws.kmsKeyArn", a.kmsKeyArn, "use a KMS key ARN: arn:aws:kms:<region>:<account>:key/<id> (a key ARN, not an alias)"));
    }
    return p;
}

/** Problems of aws.database against the managed database (or its presence when the database is not managed). */
function databaseProblems(spec: ResolvedSpec, a: Aws): string[] {
    const p: string[] = [];
    const d = a.database ?? {};
    if (spec.database.mode === ServiceMode.Managed) {
        const engine = d.engine ?? AwsDatabaseEngine.Aurora;
        if (!enumValues(AwsDatabaseEngine).includes(engine)) {
            p.push(problem("aws.database.engine", engine, `use one of ${enumValues(AwsDatabaseEngine).join(", ")}`));
        }
        const major = spec.database.version;
        if (d.engineVersion === undefined) {
            if (PG_ENGINE_VERSION[major] === undefined && /^\d+$/.test(major)) {
                p.push(
                    problem(
                        "aws.database.engineVersion",
                        undefined,
                        `database.version ${major} has no pinned default: set the exact version (e.g. ${major}.x from aws rds describe-db-engine-versions) or use database.version 16 or 17`,
                    ),
                );
            }
        } else if (!new RegExp(`^${major}\\.\\d+$`).test(d.engineVersion)) {
            p.push(problem("aws.database.engineVersion", d.engineVersion, `it must be a ${major}.<minor> version to match database.version ${major}`));
        }
        const cls = dbInstanceClass(spec);
        if (!/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(cls)) {
            p.push(problem("aws.database.instanceClass", cls, "use an RDS instance class such as db.r6g.large"));
        } else if (classMaxConnections(spec) === undefined && !spec.database.maxConnections) {
            p.push(
                problem(
                    "aws.database.instanceClass",
                    cls,
                    "its max_connections is not in the built-in table: also set database.maxConnections (it is then written to the parameter group) so the pools can be sized",
                ),
            );
        }
        const pi = d.performanceInsightsRetentionDays ?? 7;
        if (!Number.isInteger(pi) || !(pi === 7 || (pi % 31 === 0 && pi >= 31 && pi <= 731))) {
            p.push(problem("aws.database.performanceInsightsRetentionDays", pi, "use 7 (free tier) or a multiple of 31 from 31 to 731"));
        }
        if (d.maxAllocatedStorageGb !== undefined) {
            if (engine !== AwsDatabaseEngine.RdsMultiAz) {
                p.push(
                    problem(
                        "aws.database.maxAllocatedStorageGb",
                        d.maxAllocatedStorageGb,
                        "applies to engine rdsMultiAz only (Aurora storage grows by itself): remove it",
                    ),
                );
            } else if (
                !Number.isInteger(d.maxAllocatedStorageGb) ||
                d.maxAllocatedStorageGb < spec.database.storageGb ||
                d.maxAllocatedStorageGb > RDS_GP3_MAX_GB
            ) {
                p.push(
                    problem(
                        "aws.database.maxAllocatedStorageGb",
                        d.maxAllocatedStorageGb,
                        `use a whole number of GiB from database.storageGb (${spec.database.storageGb}) to ${RDS_GP3_MAX_GB} (gp3's 64 TiB)`,
                    ),
                );
            }
        }
        if (
            engine === AwsDatabaseEngine.RdsMultiAz &&
            (!Number.isInteger(spec.database.storageGb) || spec.database.storageGb < 20 || spec.database.storageGb > RDS_GP3_MAX_GB)
        ) {
            p.push(
                problem(
                    "database.storageGb",
                    spec.database.storageGb,
                    `RDS for PostgreSQL gp3 storage is 20 to ${RDS_GP3_MAX_GB} GiB: use a whole number in that range`,
                ),
            );
        }
    } else if (a.database !== undefined) {
        p.push(problem("aws.database", "set", `database.mode is ${spec.database.mode}: aws.database applies to the managed database only; remove it`));
    }
    return p;
}

/** Problems of aws.cache against the managed cache (or its presence when the cache is not managed). */
function cacheProblems(spec: ResolvedSpec, a: Aws): string[] {
    const p: string[] = [];
    const c = a.cache ?? {};
    if (spec.redis.mode === ServiceMode.Managed) {
        const engine = cacheEngine(spec);
        if (!enumValues(AwsCacheEngine).includes(engine)) {
            p.push(problem("aws.cache.engine", engine, `use one of ${enumValues(AwsCacheEngine).join(", ")}`));
        } else if (cacheFamily(engine, cacheEngineVersion(spec)) === undefined) {
            p.push(
                problem(
                    "aws.cache.engineVersion",
                    c.engineVersion,
                    engine === AwsCacheEngine.Valkey
                        ? "use a Valkey 7.x or 8.x version (default 8.1)"
                        : "use a Redis OSS 7.x version (default 7.1); older versions lack the AUTH/TLS behaviour this target relies on",
                ),
            );
        }
        if (c.nodeType !== undefined && !/^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(c.nodeType)) {
            p.push(problem("aws.cache.nodeType", c.nodeType, "use an ElastiCache node type such as cache.m7g.large"));
        }
        const replicas = cacheReplicas(spec);
        if (!Number.isInteger(replicas) || replicas < 0 || replicas > 5) {
            p.push(problem("aws.cache.replicas", replicas, "use 0 to 5 replicas"));
        } else if (spec.redis.highAvailability && replicas < 1) {
            p.push(
                problem(
                    "aws.cache.replicas",
                    replicas,
                    "redis.highAvailability needs at least 1 replica for Multi-AZ automatic failover (or set redis.highAvailability=false)",
                ),
            );
        }
        if (c.shards !== undefined) {
            if (!spec.redis.cluster) {
                p.push(problem("aws.cache.shards", c.shards, "shards apply to cluster mode only: set redis.cluster=true or remove aws.cache.shards"));
            } else if (!Number.isInteger(c.shards) || c.shards < 1 || c.shards > 500) {
                p.push(problem("aws.cache.shards", c.shards, "use 1 to 500 shards"));
            }
        }
        const snap = c.snapshotRetentionDays ?? 7;
        if (!Number.isInteger(snap) || snap < 0 || snap > 35) {
            p.push(problem("aws.cache.snapshotRetentionDays", snap, "use 0 to 35 days"));
        }
    } else if (a.cache !== undefined) {
        p.push(problem("aws.cache", "set", `redis.mode is ${spec.redis.mode}: aws.cache applies to the managed cache only; remove it`));
    }
    return p;
}

/** Problems of the managed S3 bucket's name. */
function storageProblems(spec: ResolvedSpec): string[] {
    const p: string[] = [];
    if (spec.storage.mode === ServiceMode.Managed) {
        const bucket = s3BucketProblem("storage.bucketName", spec.storage.bucketName);
        if (bucket) p.push(bucket);
    }
    return p;
}

/** Problems of aws.loadBalancer: scheme, timeouts, group, TLS policy, class and annotation keys. */
function loadBalancerProblems(spec: ResolvedSpec, a: Aws): string[] {
    const p: string[] = [];
    const lb = a.loadBalancer ?? {};
    const scheme = lb.scheme ?? AwsLoadBalancerScheme.InternetFacing;
    if (!enumValues(AwsLoadBalancerScheme).includes(scheme)) {
        p.push(problem("aws.loadBalancer.scheme", scheme, `use one of ${enumValues(AwsLoadBalancerScheme).join(", ")}`));
    }
    if (lb.idleTimeoutSeconds !== undefined && (!Number.isInteger(lb.idleTimeoutSeconds) || lb.idleTimeoutSeconds < 65 || lb.idleTimeoutSeconds > 4000)) {
        p.push(
            problem(
                "aws.loadBalancer.idleTimeoutSeconds",
                lb.idleTimeoutSeconds,
                "use 65 to 4000 seconds: below 65 the ALB cuts idle websockets (default 3600)",
            ),
        );
    }
    const grace = spec.pod.terminationGracePeriodSeconds;
    if (lb.deregistrationDelaySeconds !== undefined) {
        if (!Number.isInteger(lb.deregistrationDelaySeconds) || lb.deregistrationDelaySeconds < 0 || lb.deregistrationDelaySeconds > 3600) {
            p.push(problem("aws.loadBalancer.deregistrationDelaySeconds", lb.deregistrationDelaySeconds, "use 0 to 3600 seconds"));
        } else if (lb.deregistrationDelaySeconds > grace) {
            p.push(
                problem(
                    "aws.loadBalancer.deregistrationDelaySeconds",
                    lb.deregistrationDelaySeconds,
                    `it exceeds pod.terminationGracePeriodSeconds (${grace}): the ALB would keep sending requests to killed pods; lower it or raise the grace period`,
                ),
            );
        }
    }
    if (lb.groupName !== undefined && !/^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/.test(lb.groupName)) {
        p.push(problem("aws.loadBalancer.groupName", lb.groupName, "use at most 63 lowercase letters, digits, '-' and '.'"));
    }
    if (lb.sslPolicy !== undefined && !ALB_TLS12_POLICY.test(lb.sslPolicy)) {
        p.push(
            problem(
                "aws.loadBalancer.sslPolicy",
                lb.sslPolicy,
                "use an ALB security policy that allows TLS 1.2 or 1.3 only, such as ELBSecurityPolicy-TLS13-1-2-2021-06 (TLS13-1-2-*, TLS13-1-3-*, TLS-1-2-*, FS-1-2-*); older policies accept TLS 1.0/1.1",
            ),
        );
    }
    if (lb.ingressClassName !== undefined && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(lb.ingressClassName)) {
        p.push(
            problem("aws.loadBalancer.ingressClassName", lb.ingressClassName, "use the IngressClass name of the AWS Load Balancer Controller (default alb)"),
        );
    }
    for (const k of Object.keys(lb.extraAnnotations ?? {})) {
        if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(k)) {
            p.push(problem(`aws.loadBalancer.extraAnnotations.${k}`, k, "use a valid annotation key, e.g. alb.ingress.kubernetes.io/wafv2-acl-arn"));
        }
    }
    return p;
}

/** Problems of alarm targets in another region than aws.region (CloudWatch notifies same-region topics only). */
function alarmRegionProblems(spec: ResolvedSpec, a: Aws): string[] {
    const p: string[] = [];
    if (a.region !== undefined) {
        spec.alarms.notificationTargets.forEach((t, i) => {
            const region = SNS_TOPIC_ARN.test(t) ? t.split(":")[3] : undefined;
            if (region !== undefined && region !== a.region)
                p.push(problem(`alarms.notificationTargets[${i}]`, t, `CloudWatch alarms notify SNS topics of their own region: use a topic in ${a.region}`));
        });
    }
    return p;
}
