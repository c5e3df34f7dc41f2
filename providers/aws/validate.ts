// Checks spec.aws before any resource exists. Values that are Outputs cannot be checked here
// (they are checked by AWS at deploy time); plain values are checked for shape and consistency.
import * as pulumi from "@pulumi/pulumi";
import { enumValues, isKnown, problem } from "../../components/spec/errors";
import type { ResolvedSpec } from "../../components/spec/spec";
import { s3BucketProblem } from "../cloudRules";
import { ServiceMode } from "../../components/args/types";
import { AwsDatabaseEngine, AwsIdentityMode } from "../../components/platform/awsArgs";
import type { Aws, AwsEks } from "../../components/platform/awsArgs";

/** RDS for PostgreSQL gp3 allocated storage ceiling (64 TiB). */
const RDS_GP3_MAX_GB = 65536;
import { PG_ENGINE_VERSION, classMaxConnections, dbInstanceClass } from "./catalog";
import { cacheProblems } from "./cache";
import { loadBalancerProblems } from "./ingress";
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

/** Problems of the managed S3 bucket's name. */
function storageProblems(spec: ResolvedSpec): string[] {
    const p: string[] = [];
    if (spec.storage.mode === ServiceMode.Managed) {
        const bucket = s3BucketProblem("storage.bucketName", spec.storage.bucketName);
        if (bucket) p.push(bucket);
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
