// Access logs (hardening.accessLogs): one log bucket per component receiving the ALB's access logs
// (prefix `alb/`) and the uploads bucket's S3 server access logs (prefix `s3/uploads/`). SSE-S3:
// neither ALB log delivery nor S3 server access logging writes to an SSE-KMS bucket. Private,
// BucketOwnerEnforced, TLS-only, objects expire after hardening.accessLogRetentionDays.
import * as pulumi from "@pulumi/pulumi";
import * as s3 from "@pulumi/aws/s3";
import type { ResolvedSpec } from "../../components/spec/spec";
import type { ProviderContext } from "../../components/platform/port";
import { denyInsecureTransport, regionArg, state } from "./shared";

export const ALB_LOG_PREFIX = "alb";
export const S3_LOG_PREFIX = "s3/uploads/";
export const DEFAULT_LOG_RETENTION_DAYS = 90;
/** The service principal ELB writes access logs with (every region opened since August 2022; accepted in the older ones too). */
export const ELB_LOG_DELIVERY = "logdelivery.elasticloadbalancing.amazonaws.com";

/**
 * Elastic Load Balancing's own account per region, for the regions opened before August 2022
 * (AWS "Enable access logs for your Application Load Balancer", step "Attach a policy to your S3
 * bucket"). The bucket policy grants it as well there: a region that predates the service
 * principal delivers with it.
 */
export const LEGACY_ELB_ACCOUNTS: { [region: string]: string } = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-south-1": "718504428378",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-southeast-3": "589379963580",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "eu-south-1": "635631232127",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-gov-west-1": "048591011584",
    "us-gov-east-1": "190560391635",
    "cn-north-1": "638102146993",
    "cn-northwest-1": "037604701340",
};

export function accessLogsOn(spec: ResolvedSpec): boolean {
    return spec.hardening.accessLogs !== false;
}

export function logRetentionDays(spec: ResolvedSpec): number {
    return spec.hardening.accessLogRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
}

/** The log bucket's policy: TLS only, ELB writes under `alb/AWSLogs/<account>/`, S3 server access logs under `s3/uploads/`. */
export function logBucketPolicy(bucketArn: string, accountId: string, partition: string, region: string): object {
    const albObjects = `${bucketArn}/${ALB_LOG_PREFIX}/AWSLogs/${accountId}/*`;
    const legacy = LEGACY_ELB_ACCOUNTS[region];
    return {
        Version: "2012-10-17",
        Statement: [
            denyInsecureTransport(bucketArn),
            { Sid: "AlbLogDelivery", Effect: "Allow", Principal: { Service: ELB_LOG_DELIVERY }, Action: "s3:PutObject", Resource: albObjects },
            ...(legacy
                ? [
                      {
                          Sid: "AlbLogDeliveryRegionalAccount",
                          Effect: "Allow",
                          Principal: { AWS: `arn:${partition}:iam::${legacy}:root` },
                          Action: "s3:PutObject",
                          Resource: albObjects,
                      },
                  ]
                : []),
            {
                Sid: "S3ServerAccessLogs",
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${bucketArn}/${S3_LOG_PREFIX}*`,
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    };
}

/** The log bucket's name, known once its policy exists (log delivery checks its write access when turned on). */
export interface LogBucket {
    name: pulumi.Output<string>;
}

const buckets = new WeakMap<pulumi.Resource, LogBucket>();

/** The component's log bucket, created on first use (the ALB and the uploads bucket share it). */
export function logBucket(ctx: ProviderContext): LogBucket {
    const known = buckets.get(ctx.parent);
    if (known) return known;
    const spec = ctx.spec;
    const s = state(ctx);
    const region = regionArg(ctx);
    const retain = spec.storage.retainOnDelete;
    // Like the uploads: kept on destroy by default; with storage.retainOnDelete=false it goes, logs and all.
    const opts = (extra?: pulumi.CustomResourceOptions) => ctx.opts({ retainOnDelete: retain, ...extra });
    const bucket = new s3.Bucket(`${ctx.name}-access-logs`, { forceDestroy: !retain, tags: ctx.tags, ...region }, opts());
    const publicAccess = new s3.BucketPublicAccessBlock(
        `${ctx.name}-access-logs-public-access`,
        { bucket: bucket.bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true, ...region },
        opts(),
    );
    new s3.BucketOwnershipControls(
        `${ctx.name}-access-logs-ownership`,
        { bucket: bucket.bucket, rule: { objectOwnership: "BucketOwnerEnforced" }, ...region },
        opts(),
    );
    new s3.BucketServerSideEncryptionConfiguration(
        `${ctx.name}-access-logs-encryption`,
        { bucket: bucket.bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }], ...region },
        opts(),
    );
    new s3.BucketLifecycleConfiguration(
        `${ctx.name}-access-logs-lifecycle`,
        {
            bucket: bucket.bucket,
            rules: [
                {
                    id: "expire-access-logs",
                    status: "Enabled",
                    filter: { prefix: "" },
                    expiration: { days: logRetentionDays(spec) },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ],
            ...region,
        },
        opts(),
    );
    const policy = new s3.BucketPolicy(
        `${ctx.name}-access-logs-policy`,
        {
            bucket: bucket.bucket,
            policy: pulumi
                .all([bucket.arn, s.accountId, s.partition, s.region])
                .apply(([arn, account, partition, r]) => JSON.stringify(logBucketPolicy(arn, account, partition, r))),
            ...region,
        },
        opts({ dependsOn: [publicAccess] }),
    );
    const out: LogBucket = { name: pulumi.all([bucket.bucket, policy.id]).apply(([name]) => name) };
    buckets.set(ctx.parent, out);
    return out;
}

/** ALB attributes turning its access logs on into the log bucket (appended to `load-balancer-attributes`). */
export function albAccessLogAttributes(ctx: ProviderContext): pulumi.Output<string> {
    return logBucket(ctx).name.apply((b) => `access_logs.s3.enabled=true,access_logs.s3.bucket=${b},access_logs.s3.prefix=${ALB_LOG_PREFIX}`);
}

/** S3 server access logging of the uploads bucket into the log bucket. */
export function uploadsAccessLogging(ctx: ProviderContext, uploads: s3.Bucket, opts: pulumi.CustomResourceOptions): void {
    new s3.BucketLogging(
        `${ctx.name}-uploads-logging`,
        { bucket: uploads.bucket, targetBucket: logBucket(ctx).name, targetPrefix: S3_LOG_PREFIX, ...regionArg(ctx) },
        opts,
    );
}
