// The kubernetes target's data-tier preset (`kubernetes.dataTier`) and the checks of the HA modes
// (`inClusterHa`, `sharedVolume`): each problem names the field, the value and the fix.
import { enumValues, isKnown, problem } from "../spec/errors";
import { DataTier, ServiceMode } from "../args/enums";
import { cnpgPostgresImage, CNPG_POSTGRES_VERSIONS } from "../spec/images";
import type { OpenWebUiClusterArgs } from "../args/types";
import type { ResolvedDatabase, ResolvedRedis, ResolvedStorage } from "../spec/specTypes";

/** The default mode of each data service: managed on clouds, else from `kubernetes.dataTier`. */
export function presetModes(a: OpenWebUiClusterArgs, cloud: boolean): { database: ServiceMode; redis: ServiceMode; storage: ServiceMode } {
    if (cloud) return { database: ServiceMode.Managed, redis: ServiceMode.Managed, storage: ServiceMode.Managed };
    if (a.kubernetes?.dataTier === DataTier.HighlyAvailable) {
        return { database: ServiceMode.InClusterHa, redis: ServiceMode.InClusterHa, storage: ServiceMode.SharedVolume };
    }
    return { database: ServiceMode.InCluster, redis: ServiceMode.InCluster, storage: ServiceMode.InCluster };
}

/**
 * StorageClasses whose provisioner only does ReadWriteOnce (block disks, node-local paths): a
 * ReadWriteMany claim on them stays Pending. AWS EBS, GKE PD, Azure Disk, kind/k3s local-path,
 * Docker Desktop, OpenEBS hostpath, Rook-Ceph RBD.
 */
export const RWO_ONLY_STORAGE_CLASSES = [
    "gp2",
    "gp3",
    "io1",
    "io2",
    "st1",
    "sc1",
    "ebs-sc",
    "standard",
    "standard-rwo",
    "premium-rwo",
    "balanced-rwo",
    "hyperdisk-balanced",
    "managed",
    "managed-csi",
    "managed-csi-premium",
    "managed-premium",
    "default",
    "local-path",
    "hostpath",
    "openebs-hostpath",
    "local-storage",
    "rook-ceph-block",
    "ceph-block",
];

/** Why a `sharedVolume` needs a ReadWriteMany class, and where to get one. */
const RWX_FIX =
    "name a StorageClass that provisions ReadWriteMany volumes (NFS, CephFS, EFS: efs-sc, Azure Files: azurefile-csi, Filestore: standard-rwx, Longhorn), or use storage.mode external (an S3 bucket)";

/** Problems of the HA modes; `oauth` is true when an OAuth/OIDC sign-in is configured. */
export function dataTierProblems(
    a: OpenWebUiClusterArgs,
    r: { database: ResolvedDatabase; redis: ResolvedRedis; storage: ResolvedStorage; oauth: boolean },
): string[] {
    const out: string[] = [];
    const tier = a.kubernetes?.dataTier;
    if (tier !== undefined && !enumValues(DataTier).includes(tier))
        out.push(problem("kubernetes.dataTier", tier, `use one of ${enumValues(DataTier).join(", ")}`));
    if (r.database.mode === ServiceMode.SharedVolume)
        out.push(
            problem(
                "database.mode",
                r.database.mode,
                "sharedVolume applies to storage only (never put the database on a shared volume): use inClusterHa, inCluster, external or managed",
            ),
        );
    if (r.redis.mode === ServiceMode.SharedVolume)
        out.push(
            problem("redis.mode", r.redis.mode, "sharedVolume applies to storage only: use inClusterHa (Valkey with Sentinel), inCluster, external or managed"),
        );
    if (r.storage.mode === ServiceMode.InClusterHa)
        out.push(
            problem(
                "storage.mode",
                r.storage.mode,
                "there is no in-cluster HA object store: use sharedVolume (a ReadWriteMany volume) or external (an S3 bucket with redundancy, e.g. Rook-Ceph or a replicated SeaweedFS)",
            ),
        );
    if (r.database.mode === ServiceMode.InClusterHa) out.push(...cnpgProblems(a, r.database));
    else {
        for (const f of ["instances", "synchronousReplicas", "backup"] as const) {
            if (a.database?.[f] !== undefined)
                out.push(
                    problem(`database.${f}`, f === "backup" ? "set" : a.database[f], `applies to database.mode inClusterHa only (mode is ${r.database.mode})`),
                );
        }
    }
    if (r.redis.mode === ServiceMode.InClusterHa && r.oauth) {
        out.push(
            problem(
                "redis.mode",
                "inClusterHa with SSO",
                "Open WebUI's OAuth session store (ENABLE_STAR_SESSIONS_MIDDLEWARE) connects to REDIS_URL directly, and with Sentinel that URL's host is the master name, not a server: sign-in would fail. Use redis.mode inCluster or external (a plain Redis endpoint) with oidc/sso, or sign in with local accounts or trusted headers",
            ),
        );
    }
    if (r.storage.mode === ServiceMode.SharedVolume) {
        const cls = r.storage.storageClassName;
        if (cls !== undefined && RWO_ONLY_STORAGE_CLASSES.includes(cls)) {
            out.push(
                problem(
                    a.storage?.storageClassName !== undefined ? "storage.storageClassName" : "kubernetes.storageClassName",
                    cls,
                    `${cls} provisions ReadWriteOnce volumes only, and every replica mounts the uploads volume: ${RWX_FIX}`,
                ),
            );
        }
        if (cls !== undefined && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(cls))
            out.push(problem("storage.storageClassName", cls, "use a StorageClass name (lowercase letters, digits, '-', '.')"));
        if (!Number.isInteger(r.storage.storageGb) || r.storage.storageGb < 1)
            out.push(problem("storage.storageGb", r.storage.storageGb, "use a whole number of GiB >= 1"));
    } else if (a.storage?.storageClassName !== undefined) {
        out.push(
            problem(
                "storage.storageClassName",
                a.storage.storageClassName,
                `applies to storage.mode sharedVolume only (mode is ${r.storage.mode}); kubernetes.storageClassName sets the in-cluster services' class`,
            ),
        );
    }
    const opNs = a.kubernetes?.cnpgOperatorNamespace;
    if (opNs !== undefined && !(typeof opNs === "string" && /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(opNs)))
        out.push(problem("kubernetes.cnpgOperatorNamespace", opNs, "use a namespace name (lowercase letters, digits, '-')"));
    return out;
}

function cnpgProblems(a: OpenWebUiClusterArgs, db: ResolvedDatabase): string[] {
    const out: string[] = [];
    if (!Number.isInteger(db.instances) || db.instances < 2 || db.instances > 9) {
        out.push(
            problem(
                "database.instances",
                db.instances,
                "use 2 to 9 instances (one primary and streaming replicas; 3 survives a node loss with a replica to spare)",
            ),
        );
    }
    const sync = db.synchronousReplicas;
    if (!Number.isInteger(sync) || sync < 0 || (Number.isInteger(db.instances) && sync > db.instances - 1)) {
        out.push(
            problem(
                "database.synchronousReplicas",
                sync,
                `use 0 (asynchronous: a failover can lose acknowledged writes) to ${Math.max(0, (db.instances | 0) - 1)} (instances - 1); 1 is the default`,
            ),
        );
    }
    if (a.workloads?.postgres?.image === undefined && cnpgPostgresImage(db.version) === undefined) {
        out.push(
            problem(
                "database.version",
                db.version,
                `no CloudNativePG standard image is pinned for Postgres ${db.version}: use ${Object.keys(CNPG_POSTGRES_VERSIONS).join(", ")}, or set workloads.postgres.image to a CloudNativePG operand image with pgvector`,
            ),
        );
    }
    // Knobs the Cluster has no field for (the operator builds the pods): refused, not ignored.
    const pg = (a.workloads?.postgres ?? {}) as { [k: string]: unknown };
    for (const k of [
        "extraVolumes",
        "extraVolumeMounts",
        "initContainers",
        "sidecars",
        "runtimeClassName",
        "affinity",
        "annotations",
        "labels",
        "extraResources",
    ]) {
        if (pg[k] !== undefined)
            out.push(
                problem(
                    `workloads.postgres.${k}`,
                    "set",
                    "the CloudNativePG operator builds the instance pods (database.mode inClusterHa), which take image, nodeSelector, tolerations, topologySpreadConstraints, priorityClassName, imagePullSecrets and resources only: remove it",
                ),
            );
    }
    const b = db.backup;
    if (b !== undefined) {
        if (typeof b.destinationPath !== "string" || !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(b.destinationPath)) {
            out.push(problem("database.backup.destinationPath", b.destinationPath, "use s3://<bucket>[/<prefix>]"));
        }
        if (typeof b.credentialsSecretName !== "string" || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(b.credentialsSecretName)) {
            out.push(
                problem(
                    "database.backup.credentialsSecretName",
                    b.credentialsSecretName,
                    "name an existing Secret of the release namespace with keys ACCESS_KEY_ID and ACCESS_SECRET_KEY",
                ),
            );
        }
        if (isKnown(b.endpointUrl) && !/^https?:\/\/[^\s/@]+(\/.*)?$/.test(b.endpointUrl))
            out.push(problem("database.backup.endpointUrl", b.endpointUrl, "use the http(s):// URL of the S3 endpoint, without credentials"));
        if (b.retentionPolicy !== undefined && !/^[1-9][0-9]*[dwm]$/.test(b.retentionPolicy))
            out.push(problem("database.backup.retentionPolicy", b.retentionPolicy, "use a number and d, w or m, e.g. 30d"));
        if (b.schedule !== undefined && b.schedule.trim().split(/\s+/).length !== 6)
            out.push(problem("database.backup.schedule", b.schedule, "use a six-field cron expression, seconds first, e.g. 0 0 3 * * *"));
    }
    return out;
}
