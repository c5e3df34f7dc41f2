// The pods' AWS identity: an IAM role trusted only by the release's ServiceAccount (EKS Pod
// Identity by default, IRSA on request), allowed to use the uploads bucket and its key, nothing else.
import * as pulumi from "@pulumi/pulumi";
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import type { ManagedObjectStore, ProviderContext, WorkloadIdentity } from "../../components/platform/port";
import { AwsIdentityMode } from "../../components/platform/awsArgs";
import { awsArgs, kmsKey, podRole, regionArg, state } from "./shared";

/** Annotation carrying the Pod Identity association id: the ServiceAccount (and so the pods) wait for the association. */
export const POD_IDENTITY_ANNOTATION = "openwebui/pod-identity-association";

export function bucketPolicyDocument(bucketArn: string, kmsKeyArn: string | undefined): string {
    const statements: object[] = [
        { Sid: "ListUploadsBucket", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: bucketArn },
        { Sid: "ReadWriteUploads", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${bucketArn}/*` },
    ];
    if (kmsKeyArn) {
        statements.push({ Sid: "UseUploadsKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: kmsKeyArn });
    }
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

export function createWorkloadIdentity(ctx: ProviderContext, store: ManagedObjectStore | undefined): WorkloadIdentity {
    const aws = awsArgs(ctx);
    const s = state(ctx);
    const role = podRole(ctx);
    if (store) {
        const bucketArn = s.bucketArn ?? pulumi.interpolate`arn:${s.partition}:s3:::${store.bucketName}`;
        new iam.RolePolicy(
            `${ctx.name}-uploads-access`,
            {
                role: role.id,
                policy: pulumi.all([bucketArn, kmsKey(ctx)]).apply(([b, k]) => bucketPolicyDocument(b, k)),
            },
            ctx.opts(),
        );
    }
    const annotations: { [key: string]: pulumi.Input<string> } = {};
    if ((aws.eks.identityMode ?? AwsIdentityMode.PodIdentity) === AwsIdentityMode.Irsa) {
        annotations["eks.amazonaws.com/role-arn"] = role.arn;
    } else {
        const association = new eks.PodIdentityAssociation(
            `${ctx.name}-pod-identity`,
            {
                clusterName: aws.eks.clusterName,
                namespace: ctx.namespace,
                serviceAccount: ctx.serviceAccountName,
                roleArn: role.arn,
                // The trust policy's conditions match these session tags: keep them on.
                disableSessionTags: false,
                tags: ctx.tags,
                ...regionArg(ctx),
            },
            ctx.opts(),
        );
        // Pod Identity credentials are injected at pod creation: the pods must not start before the association.
        annotations[POD_IDENTITY_ANNOTATION] = association.associationId;
    }
    return { serviceAccountAnnotations: annotations, podLabels: {}, principal: role.arn, resource: role };
}
