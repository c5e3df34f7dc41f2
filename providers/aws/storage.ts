// Uploads bucket: private (public access block, BucketOwnerEnforced), TLS-only policy, SSE-KMS
// with a bucket key, versioning, retained on destroy by default. No static keys: the pods reach
// it through their role (see identity.ts).
import * as pulumi from "@pulumi/pulumi";
import * as s3 from "@pulumi/aws/s3";
import type { ManagedObjectStore, ProviderContext } from "../../components/platform/port";
import { denyInsecureTransport, kmsKey, regionArg, state } from "./shared";
import { accessLogsOn, uploadsAccessLogging } from "./accessLogs";

export function createObjectStore(ctx: ProviderContext): ManagedObjectStore {
    const spec = ctx.spec;
    const s = state(ctx);
    const region = regionArg(ctx);
    // The bucket's guards stay with it: deleting them while the bucket is retained would leave it unprotected.
    const opts = (extra?: pulumi.CustomResourceOptions) => ctx.opts({ retainOnDelete: spec.storage.retainOnDelete, ...extra });
    const key = kmsKey(ctx);

    const bucket = new s3.Bucket(`${ctx.name}-uploads`, { bucket: spec.storage.bucketName, forceDestroy: false, tags: ctx.tags, ...region }, opts());
    const publicAccess = new s3.BucketPublicAccessBlock(
        `${ctx.name}-uploads-public-access`,
        { bucket: bucket.bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true, ...region },
        opts(),
    );
    new s3.BucketOwnershipControls(
        `${ctx.name}-uploads-ownership`,
        { bucket: bucket.bucket, rule: { objectOwnership: "BucketOwnerEnforced" }, ...region },
        opts(),
    );
    new s3.BucketServerSideEncryptionConfiguration(
        `${ctx.name}-uploads-encryption`,
        {
            bucket: bucket.bucket,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key }, bucketKeyEnabled: true }],
            ...region,
        },
        opts(),
    );
    const versioning = new s3.BucketVersioning(
        `${ctx.name}-uploads-versioning`,
        { bucket: bucket.bucket, versioningConfiguration: { status: "Enabled" }, ...region },
        opts(),
    );
    new s3.BucketLifecycleConfiguration(
        `${ctx.name}-uploads-lifecycle`,
        {
            bucket: bucket.bucket,
            rules: [
                {
                    id: "expire-old-versions-and-abandoned-uploads",
                    status: "Enabled",
                    // The whole bucket, as an explicit empty prefix: an empty `filter {}` is deprecated
                    // in the Terraform AWS provider (a warning today, an error in a later major).
                    filter: { prefix: "" },
                    noncurrentVersionExpiration: { noncurrentDays: 90 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ],
            ...region,
        },
        // Noncurrent-version rules apply once versioning is on.
        opts({ dependsOn: [versioning] }),
    );
    new s3.BucketPolicy(
        `${ctx.name}-uploads-tls-only`,
        {
            bucket: bucket.bucket,
            policy: bucket.arn.apply((arn) =>
                JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [denyInsecureTransport(arn)],
                }),
            ),
            ...region,
        },
        opts({ dependsOn: [publicAccess] }),
    );
    // hardening.accessLogs: S3 server access logs into the component's log bucket.
    if (accessLogsOn(spec)) uploadsAccessLogging(ctx, bucket, opts());
    s.bucketArn = bucket.arn;
    return {
        env: { STORAGE_PROVIDER: "s3", S3_BUCKET_NAME: bucket.bucket, S3_REGION_NAME: s.region },
        bucketName: bucket.bucket,
        resource: bucket,
    };
}
