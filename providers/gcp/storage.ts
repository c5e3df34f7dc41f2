// The uploads bucket (GCS): uniform access, public access prevention, versioning, usage logs
// into the component's log bucket (hardening.accessLogs, accessLogs.ts).
import * as storage from "@pulumi/gcp/storage";
import type { ManagedObjectStore, ProviderContext } from "../../components/platform/port";
import { gcpLabels } from "./shared";
import { USAGE_LOG_PREFIX, accessLogsOn, usageLogBucket } from "./accessLogs";

export function createObjectStore(ctx: ProviderContext): ManagedObjectStore {
    const spec = ctx.spec;
    const g = spec.gcp!;
    const noncurrentDays = g.noncurrentVersionRetentionDays ?? 30;
    const logs = accessLogsOn(spec) ? usageLogBucket(ctx) : undefined;
    const bucket = new storage.Bucket(
        `${ctx.name}-uploads`,
        {
            project: g.project,
            name: spec.storage.bucketName,
            location: (g.storageLocation ?? g.region).toUpperCase(),
            storageClass: "STANDARD",
            uniformBucketLevelAccess: true,
            publicAccessPrevention: "enforced",
            versioning: { enabled: true },
            forceDestroy: false,
            lifecycleRules:
                noncurrentDays > 0 ? [{ action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: noncurrentDays, withState: "ARCHIVED" } }] : [],
            labels: gcpLabels(ctx.tags),
            ...(logs !== undefined ? { logging: { logBucket: logs, logObjectPrefix: USAGE_LOG_PREFIX } } : {}),
            ...(g.kmsKeyName !== undefined ? { encryption: { defaultKmsKeyName: g.kmsKeyName } } : {}),
        },
        ctx.opts({ retainOnDelete: spec.storage.retainOnDelete }),
    );

    return {
        // No GOOGLE_APPLICATION_CREDENTIALS_JSON: the client uses Workload Identity.
        env: { STORAGE_PROVIDER: "gcs", GCS_BUCKET_NAME: bucket.name },
        bucketName: bucket.name,
        resource: bucket,
    };
}
