// Per-component AWS state shared by the create* methods: account facts, the KMS key and the
// pod role (created lazily by whichever method needs it first, so the order the core calls
// them in does not matter).
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import type { ProviderContext } from "../../components/platform/port";
import { Aws, AwsIdentityMode } from "../../components/platform/awsArgs";

export interface AwsState {
    region: pulumi.Output<string>;
    partition: pulumi.Output<string>;
    accountId: pulumi.Output<string>;
    kmsKeyArn?: pulumi.Output<string>;
    role?: iam.Role;
    /** Bucket ARN and whether its objects are SSE-KMS encrypted with `kmsKeyArn`. */
    bucketArn?: pulumi.Output<string>;
}

const states = new WeakMap<pulumi.Resource, AwsState>();

export function awsArgs(ctx: ProviderContext): Aws {
    return ctx.spec.aws as Aws;
}

/** `{ region }` for every resource when the user pinned one; empty to use the provider's. */
export function regionArg(ctx: ProviderContext): { region?: string } {
    const r = awsArgs(ctx).region;
    return r ? { region: r } : {};
}

export function state(ctx: ProviderContext): AwsState {
    let s = states.get(ctx.parent);
    if (!s) {
        const invokeOpts = { parent: ctx.parent };
        const region = awsArgs(ctx).region;
        s = {
            region: region ? pulumi.output(region) : getRegionOutput({}, invokeOpts).region,
            partition: getPartitionOutput({}, invokeOpts).partition,
            accountId: getCallerIdentityOutput({}, invokeOpts).accountId,
        };
        states.set(ctx.parent, s);
    }
    return s;
}

/** The KMS key encrypting RDS, ElastiCache, S3 and Performance Insights: the user's, or one created with rotation. */
export function kmsKey(ctx: ProviderContext): pulumi.Output<string> {
    const s = state(ctx);
    if (!s.kmsKeyArn) {
        const given = awsArgs(ctx).kmsKeyArn;
        if (given !== undefined) {
            s.kmsKeyArn = pulumi.output(given);
        } else {
            const key = new kms.Key(
                `${ctx.name}-kms`,
                {
                    description: `Open WebUI ${ctx.name}: database, cache and upload encryption`,
                    enableKeyRotation: true,
                    deletionWindowInDays: 30,
                    tags: ctx.tags,
                    ...regionArg(ctx),
                },
                // Kept on destroy: the final database snapshot and a retained bucket are encrypted with it.
                ctx.opts({ retainOnDelete: true }),
            );
            s.kmsKeyArn = key.arn;
        }
    }
    return s.kmsKeyArn;
}

/** The bucket policy statement refusing every request not made over TLS. */
export function denyInsecureTransport(bucketArn: string): object {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/** Strips the scheme of an OIDC issuer URL: IAM condition keys use `oidc.eks.<region>.amazonaws.com/id/<ID>`. */
export function issuerHost(url: string): string {
    return url.replace(/^https:\/\//, "").replace(/\/+$/, "");
}

/** The trust policy of the pod role: EKS Pod Identity or IRSA, scoped to the release's ServiceAccount. */
export function trustPolicy(ctx: ProviderContext): pulumi.Output<string> {
    const aws = awsArgs(ctx);
    const subject = `system:serviceaccount:${ctx.namespace}:${ctx.serviceAccountName}`;
    if ((aws.eks.identityMode ?? AwsIdentityMode.PodIdentity) === AwsIdentityMode.Irsa) {
        return pulumi.all([aws.eks.oidcProviderArn!, aws.eks.oidcIssuerUrl!]).apply(([providerArn, issuerUrl]) => {
            const host = issuerHost(issuerUrl);
            return JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "OpenWebUiServiceAccountOnly",
                        Effect: "Allow",
                        Principal: { Federated: providerArn },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: { StringEquals: { [`${host}:sub`]: subject, [`${host}:aud`]: "sts.amazonaws.com" } },
                    },
                ],
            });
        });
    }
    return pulumi.output(aws.eks.clusterName).apply((cluster) =>
        JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowEksAuthToAssumeRoleForPodIdentity",
                    Effect: "Allow",
                    Principal: { Service: "pods.eks.amazonaws.com" },
                    Action: ["sts:AssumeRole", "sts:TagSession"],
                    // Session tags Pod Identity sets: only this cluster's namespace/ServiceAccount may use the role.
                    Condition: {
                        StringEquals: {
                            "aws:RequestTag/eks-cluster-name": cluster,
                            "aws:RequestTag/kubernetes-namespace": ctx.namespace,
                            "aws:RequestTag/kubernetes-service-account": ctx.serviceAccountName,
                        },
                    },
                },
            ],
        }),
    );
}

/** The IAM role of the Open WebUI pods (created once). Permissions are attached as separate RolePolicies. */
export function podRole(ctx: ProviderContext): iam.Role {
    const s = state(ctx);
    if (!s.role) {
        s.role = new iam.Role(
            `${ctx.name}-pod-role`,
            {
                description: `Open WebUI ${ctx.name}: pods of system:serviceaccount:${ctx.namespace}:${ctx.serviceAccountName}`,
                assumeRolePolicy: trustPolicy(ctx),
                maxSessionDuration: 3600,
                tags: ctx.tags,
            },
            ctx.opts(),
        );
    }
    return s.role;
}
