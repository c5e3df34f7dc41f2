// Access logs of the uploads bucket (hardening.accessLogs): Cloud Storage usage logs (hourly, one
// line per request: requester IP, method, object, status, bytes) into a log bucket the component
// creates, written by Google's `cloud-storage-analytics@google.com` group. Chosen over Data Access
// audit logs because those are switched on project-wide (an IAMAuditConfig on
// storage.googleapis.com covers every bucket of the project and is often owned by the
// organisation), while usage logs are the bucket's own setting. The load balancer's request logs
// are in Cloud Logging already (BackendConfig `logging`, ingress.ts).
import * as pulumi from "@pulumi/pulumi";
import * as storage from "@pulumi/gcp/storage";
import type { ResolvedSpec } from "../../components/spec/spec";
import type { ProviderContext } from "../../components/platform/port";
import { gcpLabels } from "./shared";

export const USAGE_LOG_WRITER = "group:cloud-storage-analytics@google.com";
export const USAGE_LOG_PREFIX = "uploads";
export const DEFAULT_LOG_RETENTION_DAYS = 90;

export function accessLogsOn(spec: ResolvedSpec): boolean {
    return spec.hardening.accessLogs !== false;
}

/**
 * The log bucket (uniform access, public access prevention, objects deleted after the retention)
 * and its writer's grant; the name it returns is known once the grant exists.
 */
export function usageLogBucket(ctx: ProviderContext): pulumi.Output<string> {
    const spec = ctx.spec;
    const g = spec.gcp!;
    const retain = spec.storage.retainOnDelete;
    const bucket = new storage.Bucket(
        `${ctx.name}-access-logs`,
        {
            project: g.project,
            location: (g.storageLocation ?? g.region).toUpperCase(),
            storageClass: "STANDARD",
            uniformBucketLevelAccess: true,
            publicAccessPrevention: "enforced",
            // Logs are evidence: no versioning to keep rewritten copies, deleted by age only.
            lifecycleRules: [{ action: { type: "Delete" }, condition: { age: spec.hardening.accessLogRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS } }],
            // Kept with the uploads on destroy (default); with storage.retainOnDelete=false it goes, logs and all.
            forceDestroy: !retain,
            labels: gcpLabels(ctx.tags),
            ...(g.kmsKeyName !== undefined ? { encryption: { defaultKmsKeyName: g.kmsKeyName } } : {}),
        },
        ctx.opts({ retainOnDelete: retain }),
    );
    const writer = new storage.BucketIAMMember(
        `${ctx.name}-access-logs-writer`,
        {
            bucket: bucket.name,
            role: "roles/storage.objectCreator",
            member: USAGE_LOG_WRITER,
        },
        ctx.opts({ retainOnDelete: retain }),
    );
    return pulumi.all([bucket.name, writer.id]).apply(([name]) => name);
}
