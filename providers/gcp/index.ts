// The gcp target: GKE + Cloud SQL for PostgreSQL + Memorystore for Redis + GCS + GKE Ingress.
//
// Loaded only when `target: "gcp"` (see providers/index.ts). Imports only the @pulumi/gcp
// submodules it uses. Every cloud child is named `${name}-<role>` and created with
// `ctx.opts()` so it is parented to the component.
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import * as dns from "@pulumi/gcp/dns";
import * as redis from "@pulumi/gcp/redis";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as servicenetworking from "@pulumi/gcp/servicenetworking";
import * as sql from "@pulumi/gcp/sql";
import * as storage from "@pulumi/gcp/storage";
import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import { RandomPassword } from "@pulumi/random/randomPassword";
import { problem } from "../../components/errors";
import type { ResolvedSpec } from "../../components/spec";
import { ServiceMode, SizePreset } from "../../components/types";
import type {
    CloudPlatform,
    LoadBalancer,
    ManagedCache,
    ManagedDatabase,
    ManagedObjectStore,
    ProviderContext,
    WorkloadIdentity,
} from "../interface";
import type { Gcp } from "./args";

/**
 * Cloud SQL tier and explicit `max_connections` per size preset.
 *
 * Custom machine types (ENTERPRISE edition) keep the vCPU:memory ratio of the general
 * purpose shapes (3.75 GiB per vCPU for small; 4 GiB per vCPU above): 2 vCPU / 7.5 GiB,
 * 4 vCPU / 16 GiB, 8 vCPU / 32 GiB. `max_connections` is set as a database flag to the
 * value Cloud SQL itself uses by default for these memory bands (7.5 to <15 GiB: 400,
 * 15 to <30 GiB: 500, 30 to <60 GiB: 600), so the flag changes nothing on the server but
 * makes the number the core sizes the pools from exact instead of inferred.
 */
export const GCP_DATABASE_SIZING: { [size in SizePreset]: { tier: string; maxConnections: number } } = {
    [SizePreset.Small]: { tier: "db-custom-2-7680", maxConnections: 400 },
    [SizePreset.Medium]: { tier: "db-custom-4-16384", maxConnections: 500 },
    [SizePreset.Large]: { tier: "db-custom-8-32768", maxConnections: 600 },
};

/** Memorystore capacity (GiB) per size preset: sessions, websocket state and config cache only. */
export const GCP_REDIS_MEMORY_GB: { [size in SizePreset]: number } = {
    [SizePreset.Small]: 1,
    [SizePreset.Medium]: 2,
    [SizePreset.Large]: 5,
};

export const REDIS_TIERS = ["STANDARD_HA", "BASIC"];
export const REDIS_CONNECT_MODES = ["PRIVATE_SERVICE_ACCESS", "DIRECT_PEERING"];
export const SQL_EDITIONS = ["ENTERPRISE", "ENTERPRISE_PLUS"];
/** Cloud SQL major versions offered (POSTGRES_13..POSTGRES_18). */
const CLOUD_SQL_PG_VERSIONS = ["13", "14", "15", "16", "17", "18"];
const REDIS_DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];

/** Open WebUI's container port and health endpoint (runtime contract). */
const CONTAINER_PORT = 8080;
const HEALTH_PATH = "/health";
/** Backend service timeout: GKE uses it as the maximum lifetime of a websocket (default 30 s). */
export const BACKEND_TIMEOUT_SEC = 3600;
/** How long Pulumi waits for the GKE Ingress to get its load balancer address. */
export const INGRESS_AWAIT_SECONDS = 1200;
/** Admin (cloudsqlsuperuser) user the core's bootstrap Job connects as. */
export const ADMIN_USER = "owui_admin";

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const REGION = /^[a-z]+-[a-z]+[0-9]+$/;
const ZONE = /^[a-z]+-[a-z]+[0-9]+-[a-z]$/;
const NETWORK = /^(https:\/\/www\.googleapis\.com\/compute\/(v1|beta)\/)?projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/global\/networks\/[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const RFC1035 = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const ACCOUNT_ID = /^[a-z]([-a-z0-9]{4,28}[a-z0-9])$/;

function isPlain(v: unknown): v is string {
    return typeof v === "string";
}

/** Lowercase RFC 1035-ish slug for names derived from the component name. */
function slug(s: string, max: number): string {
    const out = s.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^[^a-z]+/, "").slice(0, max).replace(/-+$/, "");
    return out || "owui";
}

/** GCP labels: lowercase keys/values of [a-z0-9_-], keys start with a letter, 63 characters max. */
export function gcpLabels(tags: { [key: string]: string }): { [key: string]: string } {
    const out: { [key: string]: string } = {};
    for (const [k, v] of Object.entries(tags)) {
        let key = k.toLowerCase().replace(/[^a-z0-9_-]/g, "_").slice(0, 63);
        if (!/^[a-z]/.test(key)) key = `l_${key}`.slice(0, 63);
        out[key] = String(v).toLowerCase().replace(/[^a-z0-9_-]/g, "_").slice(0, 63);
    }
    return out;
}

/** Default Google service account id: `owui-<name>-<hash of project/stack/name>` (6..30 chars). */
export function defaultServiceAccountId(name: string): string {
    const hash = crypto.createHash("sha256").update(`${pulumi.getProject()}/${pulumi.getStack()}/${name}`).digest("hex").slice(0, 6);
    return `owui-${slug(name, 18)}-${hash}`;
}

function workloadPool(g: Gcp): string {
    return g.workloadIdentityPool ?? `${g.project}.svc.id.goog`;
}

function maintenance(g: Gcp): { day: number; hour: number } {
    return { day: g.maintenanceWindow?.day ?? 7, hour: g.maintenanceWindow?.hour ?? 3 };
}

function redisTier(spec: ResolvedSpec): string {
    return spec.gcp?.redisTier ?? (spec.redis.highAvailability ? "STANDARD_HA" : "BASIC");
}

function k8sLabels(ctx: ProviderContext): { [key: string]: string } {
    return {
        "app.kubernetes.io/name": "open-webui",
        "app.kubernetes.io/instance": ctx.name,
        "app.kubernetes.io/managed-by": "pulumi",
        ...ctx.spec.labels,
    };
}

/** Private services access (range + servicenetworking connection), shared by Cloud SQL and Memorystore. */
interface Psa {
    /** Name of the allocated range. */
    rangeName: pulumi.Input<string>;
    /** Resources that must exist before a private-IP service is created. */
    dependsOn: pulumi.Resource[];
}

const psaByComponent = new WeakMap<pulumi.ComponentResource, Psa>();

function privateServiceAccess(ctx: ProviderContext): Psa {
    const existing = psaByComponent.get(ctx.parent);
    if (existing) return existing;
    const g = ctx.spec.gcp!;
    let psa: Psa;
    if (g.privateServiceAccessRange !== undefined) {
        psa = { rangeName: g.privateServiceAccessRange, dependsOn: [] };
    } else {
        const range = new compute.GlobalAddress(`${ctx.name}-psa-range`, {
            project: g.project,
            purpose: "VPC_PEERING",
            addressType: "INTERNAL",
            prefixLength: g.privateServiceAccessPrefixLength ?? 16,
            network: g.network,
            description: `Private services access range for Open WebUI ${ctx.name} (Cloud SQL, Memorystore)`,
            labels: gcpLabels(ctx.tags),
        }, ctx.opts());
        // ABANDON: deleting the peering fails while producer services (Cloud SQL keeps a
        // deleted instance's name for days) still use it; the range itself is deleted.
        const connection = new servicenetworking.Connection(`${ctx.name}-psa`, {
            network: g.network,
            service: "servicenetworking.googleapis.com",
            reservedPeeringRanges: [range.name],
            deletionPolicy: "ABANDON",
        }, ctx.opts());
        psa = { rangeName: range.name, dependsOn: [connection] };
    }
    psaByComponent.set(ctx.parent, psa);
    return psa;
}

function validate(spec: ResolvedSpec): string[] {
    const g = spec.gcp;
    if (!g) return []; // the core reports the missing block
    const p: string[] = [];
    if (!isPlain(g.project) || !PROJECT_ID.test(g.project)) {
        p.push(problem("gcp.project", g.project, "give the project id (6-30 lowercase letters, digits, '-'; e.g. my-project), not its number or display name"));
    }
    if (!isPlain(g.region) || !REGION.test(g.region)) {
        const fix = isPlain(g.region) && ZONE.test(g.region)
            ? `give the region, not a zone (e.g. ${g.region.replace(/-[a-z]$/, "")}): Cloud SQL and Memorystore are regional and highly available across its zones`
            : "give the region of the GKE cluster, e.g. europe-west1";
        p.push(problem("gcp.region", g.region, fix));
    }
    if (g.network === undefined || g.network === "") {
        p.push(problem("gcp.network", g.network, "give the VPC network of the GKE cluster as projects/PROJECT/global/networks/NAME (Cloud SQL and Memorystore get private IPs in it)"));
    } else if (isPlain(g.network) && !NETWORK.test(g.network)) {
        p.push(problem("gcp.network", g.network, "use the network id projects/PROJECT/global/networks/NAME or its https://www.googleapis.com/compute/v1/... self link, not a bare name or subnetwork"));
    }
    if (g.privateServiceAccessRange !== undefined && !RFC1035.test(g.privateServiceAccessRange)) {
        p.push(problem("gcp.privateServiceAccessRange", g.privateServiceAccessRange, "give the name of the existing VPC_PEERING global address (not its CIDR), or omit it to create one"));
    }
    const prefix = g.privateServiceAccessPrefixLength;
    if (prefix !== undefined && (!Number.isInteger(prefix) || prefix < 8 || prefix > 24)) {
        p.push(problem("gcp.privateServiceAccessPrefixLength", prefix, "use a prefix length from 8 to 24 (Google requires /24 or larger; /16 recommended)"));
    }
    if (prefix !== undefined && g.privateServiceAccessRange !== undefined) {
        p.push(problem("gcp.privateServiceAccessPrefixLength", prefix, "applies only to the range the component creates; remove it when gcp.privateServiceAccessRange is set"));
    }
    if (g.workloadIdentityPool !== undefined && !/^[a-z][a-z0-9-]{4,28}[a-z0-9]\.svc\.id\.goog$/.test(g.workloadIdentityPool)) {
        p.push(problem("gcp.workloadIdentityPool", g.workloadIdentityPool, "use the cluster's workload pool PROJECT_ID.svc.id.goog (enable Workload Identity on the cluster)"));
    }
    if (g.dnsZone !== undefined && !RFC1035.test(g.dnsZone)) {
        p.push(problem("gcp.dnsZone", g.dnsZone, "give the Cloud DNS managed zone name (e.g. example-com), not its DNS name"));
    }
    if (g.databaseTier !== undefined && !/^db-[A-Za-z0-9-]+$/.test(g.databaseTier)) {
        p.push(problem("gcp.databaseTier", g.databaseTier, "use a Cloud SQL tier such as db-custom-4-16384"));
    }
    if (g.databaseEdition !== undefined && !SQL_EDITIONS.includes(g.databaseEdition)) {
        p.push(problem("gcp.databaseEdition", g.databaseEdition, `use one of ${SQL_EDITIONS.join(", ")}`));
    }
    const edition = g.databaseEdition ?? "ENTERPRISE";
    const perfTier = (g.databaseTier ?? "").startsWith("db-perf-optimized-");
    if (edition === "ENTERPRISE_PLUS" && !perfTier) {
        p.push(problem("gcp.databaseTier", g.databaseTier, "ENTERPRISE_PLUS accepts only db-perf-optimized-N-* tiers: set gcp.databaseTier (and database.maxConnections)"));
    } else if (edition === "ENTERPRISE" && perfTier) {
        p.push(problem("gcp.databaseEdition", g.databaseEdition, `tier ${g.databaseTier} exists only in ENTERPRISE_PLUS: set gcp.databaseEdition=ENTERPRISE_PLUS or use a db-custom-* tier`));
    }
    // db-custom-<vCPUs>-<MiB>: 1 or an even number of vCPUs up to 96, 0.9 to 6.5 GiB per vCPU, a
    // multiple of 256 MiB and at least 3840 MiB (Cloud SQL custom machine types).
    const custom = /^db-custom-(\d+)-(\d+)$/.exec(g.databaseTier ?? "");
    if (custom) {
        const cpus = Number(custom[1]);
        const mib = Number(custom[2]);
        const fix = customTierProblem(cpus, mib);
        if (fix) p.push(problem("gcp.databaseTier", g.databaseTier, fix));
    }
    const disk = g.databaseDiskSizeGb;
    if (disk !== undefined && (!Number.isInteger(disk) || disk < 10 || disk > 65536)) {
        p.push(problem("gcp.databaseDiskSizeGb", disk, "use a whole number of GB from 10 to 65536"));
    }
    if (g.redisTier !== undefined && !REDIS_TIERS.includes(g.redisTier)) {
        p.push(problem("gcp.redisTier", g.redisTier, `use one of ${REDIS_TIERS.join(", ")}`));
    }
    if (g.redisConnectMode !== undefined && !REDIS_CONNECT_MODES.includes(g.redisConnectMode)) {
        p.push(problem("gcp.redisConnectMode", g.redisConnectMode, `use one of ${REDIS_CONNECT_MODES.join(", ")}`));
    }
    if (g.redisVersion !== undefined && !/^REDIS_(7_2|7_0|6_X)$/.test(g.redisVersion)) {
        p.push(problem("gcp.redisVersion", g.redisVersion, "use REDIS_7_2 (default), REDIS_7_0 or REDIS_6_X; older versions cap TLS connections far lower"));
    }
    const mem = g.redisMemorySizeGb;
    if (mem !== undefined && (!Number.isInteger(mem) || mem < 1 || mem > 300)) {
        p.push(problem("gcp.redisMemorySizeGb", mem, "use a whole number of GiB from 1 to 300"));
    }
    const mw = maintenance(g);
    if (!Number.isInteger(mw.day) || mw.day < 1 || mw.day > 7) {
        p.push(problem("gcp.maintenanceWindow.day", mw.day, "use 1 (Monday) to 7 (Sunday)"));
    }
    if (!Number.isInteger(mw.hour) || mw.hour < 0 || mw.hour > 23) {
        p.push(problem("gcp.maintenanceWindow.hour", mw.hour, "use an hour from 0 to 23 (UTC)"));
    }
    const nc = g.noncurrentVersionRetentionDays;
    if (nc !== undefined && (!Number.isInteger(nc) || nc < 0)) {
        p.push(problem("gcp.noncurrentVersionRetentionDays", nc, "use a whole number of days >= 1, or 0 to keep noncurrent versions"));
    }
    if (g.sslPolicy !== undefined && !RFC1035.test(g.sslPolicy)) {
        p.push(problem("gcp.sslPolicy", g.sslPolicy, "give the name of an existing Compute SSL policy"));
    }
    if (g.serviceAccountId !== undefined && !ACCOUNT_ID.test(g.serviceAccountId)) {
        p.push(problem("gcp.serviceAccountId", g.serviceAccountId, "use 6-30 lowercase letters, digits and '-', starting with a letter"));
    }
    // Cross-checks with the neutral spec.
    if (spec.tls.enabled && spec.tls.secretName === undefined && typeof spec.hostname === "string" && spec.hostname.length > 63) {
        p.push(problem("hostname", spec.hostname, "Google-managed certificates (ManagedCertificate) accept domains of at most 63 characters: use a shorter hostname or bring a certificate with tls.secretName"));
    }
    if (spec.database.mode === ServiceMode.Managed && !CLOUD_SQL_PG_VERSIONS.includes(spec.database.version)) {
        p.push(problem("database.version", spec.database.version, `Cloud SQL offers PostgreSQL ${CLOUD_SQL_PG_VERSIONS[0]} to ${CLOUD_SQL_PG_VERSIONS[CLOUD_SQL_PG_VERSIONS.length - 1]}`));
    }
    if (spec.database.mode === ServiceMode.Managed && spec.database.backupRetentionDays === 1) {
        p.push(problem("database.backupRetentionDays", 1, "Cloud SQL must keep more daily backups than days of point-in-time-recovery logs (at least 1): use 2 or more"));
    }
    if (spec.redis.mode === ServiceMode.Managed && spec.redis.cluster) {
        p.push(problem("redis.cluster", true, "Memorystore for Redis (the managed Redis of target gcp) is a standalone primary/replica endpoint: remove redis.cluster or use redis.mode=external"));
    }
    if (spec.redis.mode === ServiceMode.Managed && g.redisTier === undefined && !spec.redis.highAvailability && spec.replicas.min > 1) {
        p.push(problem("redis.highAvailability", false, "BASIC Memorystore has no failover and several replicas share sessions through it: keep STANDARD_HA, or set gcp.redisTier=BASIC explicitly"));
    }
    return p;
}

/** PITR log retention: below the backup count (Cloud SQL rule), at most 7 days (35 on ENTERPRISE_PLUS). */
/** Why a Cloud SQL custom tier (vCPUs, memory MiB) is refused by the API, or undefined when valid. */
export function customTierProblem(cpus: number, mib: number): string | undefined {
    if (!(cpus === 1 || (cpus % 2 === 0 && cpus >= 2 && cpus <= 96))) return `a custom tier has 1 or an even number of vCPUs up to 96 (got ${cpus}): e.g. db-custom-4-16384`;
    const min = Math.max(3840, Math.ceil((cpus * 0.9 * 1024) / 256) * 256);
    const max = Math.floor((cpus * 6.5 * 1024) / 256) * 256;
    if (mib % 256 !== 0 || mib < min || mib > max) {
        return `with ${cpus} vCPU${cpus === 1 ? "" : "s"} the memory must be a multiple of 256 MiB from ${min} to ${max} (0.9 to 6.5 GiB per vCPU, at least 3840): e.g. db-custom-${cpus}-${Math.min(max, Math.max(min, cpus * 4096))}`;
    }
    return undefined;
}

export function transactionLogDays(backupRetentionDays: number, edition: string): number {
    return Math.max(1, Math.min(backupRetentionDays - 1, edition === "ENTERPRISE_PLUS" ? 35 : 7));
}

function databaseMaxConnections(spec: ResolvedSpec): number {
    if (spec.database.maxConnections > 0) return spec.database.maxConnections; // explicit database.maxConnections
    return (GCP_DATABASE_SIZING[spec.size] ?? GCP_DATABASE_SIZING[SizePreset.Medium]).maxConnections;
}

function createDatabase(ctx: ProviderContext): ManagedDatabase {
    const spec = ctx.spec;
    const g = spec.gcp!;
    const psa = privateServiceAccess(ctx);
    const sizing = GCP_DATABASE_SIZING[spec.size] ?? GCP_DATABASE_SIZING[SizePreset.Medium];
    const maxConnections = databaseMaxConnections(spec);
    const edition = g.databaseEdition ?? "ENTERPRISE";
    const retention = spec.database.backupRetentionDays;
    const mw = maintenance(g);
    const protect = spec.database.deletionProtection;

    const instance = new sql.DatabaseInstance(`${ctx.name}-postgres`, {
        project: g.project,
        region: g.region,
        databaseVersion: `POSTGRES_${spec.database.version}`,
        deletionProtection: protect,
        settings: {
            tier: g.databaseTier ?? sizing.tier,
            // db-custom-* tiers exist only in ENTERPRISE; PostgreSQL 16+ defaults to ENTERPRISE_PLUS.
            edition,
            availabilityType: spec.database.highAvailability ? "REGIONAL" : "ZONAL",
            deletionProtectionEnabled: protect,
            diskType: "PD_SSD",
            diskSize: g.databaseDiskSizeGb ?? 20,
            diskAutoresize: true,
            ipConfiguration: {
                ipv4Enabled: false,
                privateNetwork: g.network,
                allocatedIpRange: psa.rangeName,
                sslMode: "ENCRYPTED_ONLY",
            },
            backupConfiguration: {
                enabled: true,
                pointInTimeRecoveryEnabled: true,
                startTime: `${String((mw.hour + 23) % 24).padStart(2, "0")}:00`,
                // Cloud SQL requires retained backups > log days (HTTP 400 "backup retention should
                // be > transaction log retention"); ENTERPRISE keeps at most 7 days of logs.
                transactionLogRetentionDays: transactionLogDays(retention, edition),
                backupRetentionSettings: { retainedBackups: retention, retentionUnit: "COUNT" },
            },
            databaseFlags: [{ name: "max_connections", value: String(maxConnections) }],
            maintenanceWindow: { day: mw.day, hour: mw.hour, updateTrack: "stable" },
            insightsConfig: {
                queryInsightsEnabled: true,
                queryStringLength: 1024,
                recordApplicationTags: true,
                recordClientAddress: true,
            },
            userLabels: gcpLabels(ctx.tags),
        },
    }, ctx.opts({
        dependsOn: psa.dependsOn,
        // Auto-resize grows the disk; never shrink it back to the declared size.
        ignoreChanges: ["settings.diskSize"],
    }));

    const database = new sql.Database(`${ctx.name}-db`, {
        project: g.project,
        instance: instance.name,
        name: spec.database.name,
        // With deletion protection, destroying the stack must not DROP the database first.
        deletionPolicy: protect ? "PREVENT" : "DELETE",
    }, ctx.opts());

    const password = new RandomPassword(`${ctx.name}-db-admin-password`, {
        length: 32,
        special: false,
    }, ctx.opts());

    const user = new sql.User(`${ctx.name}-db-admin`, {
        project: g.project,
        instance: instance.name,
        name: ADMIN_USER,
        type: "BUILT_IN",
        password: password.result,
        // Postgres users that own objects or hold grants cannot be deleted through the API.
        deletionPolicy: "ABANDON",
    }, ctx.opts());

    return {
        host: instance.privateIpAddress,
        port: 5432,
        database: database.name,
        adminUsername: user.name,
        adminPassword: pulumi.secret(password.result),
        // verify-ca: the per-instance server certificate (Google-managed internal CA) names the
        // instance, not the private IP the pods connect to, so the host name cannot be checked.
        ...(spec.database.verifyServerCertificate
            ? { sslMode: "verify-ca" as const, caCertificate: instance.serverCaCerts.apply((cs) => (cs ?? []).map((c) => c.cert.trim()).join("\n") + "\n") }
            : { sslMode: "require" as const }),
        maxConnections,
        iamAuth: false,
        dependsOn: [instance, database, user],
    };
}

function createCache(ctx: ProviderContext): ManagedCache {
    const spec = ctx.spec;
    const g = spec.gcp!;
    const connectMode = g.redisConnectMode ?? "PRIVATE_SERVICE_ACCESS";
    const psa = connectMode === "PRIVATE_SERVICE_ACCESS" ? privateServiceAccess(ctx) : undefined;
    const mw = maintenance(g);

    const instance = new redis.Instance(`${ctx.name}-redis`, {
        project: g.project,
        region: g.region,
        tier: redisTier(spec),
        memorySizeGb: g.redisMemorySizeGb ?? GCP_REDIS_MEMORY_GB[spec.size] ?? 2,
        redisVersion: g.redisVersion ?? "REDIS_7_2",
        authEnabled: true,
        transitEncryptionMode: "SERVER_AUTHENTICATION",
        connectMode,
        authorizedNetwork: g.network,
        reservedIpRange: psa?.rangeName,
        // Close idle client connections after 30 minutes (Open WebUI guidance); `timeout`
        // is in Memorystore's modifiable-config allow-list for Redis 3.2+.
        redisConfigs: { timeout: "1800" },
        maintenancePolicy: {
            weeklyMaintenanceWindows: [{ day: REDIS_DAYS[mw.day - 1] ?? "SUNDAY", startTime: { hours: mw.hour, minutes: 0, seconds: 0, nanos: 0 } }],
        },
        displayName: `Open WebUI ${ctx.name}`,
        labels: gcpLabels(ctx.tags),
        // The cache holds sessions and websocket state only, rebuilt on reconnect.
        deletionProtection: false,
    }, ctx.opts({ dependsOn: psa?.dependsOn ?? [] }));

    return {
        url: pulumi.secret(pulumi.interpolate`rediss://:${instance.authString}@${instance.host}:${instance.port}/0`),
        endpoint: pulumi.interpolate`${instance.host}:${instance.port}`,
        cluster: false,
        // Every server CA (two during a CA rotation), so clients keep verifying across it.
        caCertificate: instance.serverCaCerts.apply((certs) => (certs ?? []).map((c) => (c.cert ?? "").trim()).filter((c) => c !== "").join("\n") + "\n"),
        // Memorystore's server certificate is issued for an IP endpoint; redis-py >= 6
        // checks hostnames by default, which fails against it. The CA is still verified.
        skipHostnameCheck: true,
        dependsOn: [instance],
    };
}

function createObjectStore(ctx: ProviderContext): ManagedObjectStore {
    const spec = ctx.spec;
    const g = spec.gcp!;
    const noncurrentDays = g.noncurrentVersionRetentionDays ?? 30;
    const bucket = new storage.Bucket(`${ctx.name}-uploads`, {
        project: g.project,
        name: spec.storage.bucketName,
        location: (g.storageLocation ?? g.region).toUpperCase(),
        storageClass: "STANDARD",
        uniformBucketLevelAccess: true,
        publicAccessPrevention: "enforced",
        versioning: { enabled: true },
        forceDestroy: false,
        lifecycleRules: noncurrentDays > 0
            ? [{ action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: noncurrentDays, withState: "ARCHIVED" } }]
            : [],
        labels: gcpLabels(ctx.tags),
    }, ctx.opts({ retainOnDelete: spec.storage.retainOnDelete }));

    return {
        // No GOOGLE_APPLICATION_CREDENTIALS_JSON: the client uses Workload Identity.
        env: { STORAGE_PROVIDER: "gcs", GCS_BUCKET_NAME: bucket.name },
        bucketName: bucket.name,
    };
}

function createWorkloadIdentity(ctx: ProviderContext, store: ManagedObjectStore | undefined): WorkloadIdentity {
    const g = ctx.spec.gcp!;
    const gsa = new serviceaccount.Account(`${ctx.name}-gsa`, {
        project: g.project,
        accountId: g.serviceAccountId ?? defaultServiceAccountId(ctx.name),
        displayName: `Open WebUI ${ctx.name}`,
        description: `Workload Identity of ${ctx.namespace}/${ctx.serviceAccountName} (Open WebUI ${ctx.name})`,
    }, ctx.opts());

    // Only this one Kubernetes ServiceAccount may act as the GSA.
    new serviceaccount.IAMMember(`${ctx.name}-gsa-wi`, {
        serviceAccountId: gsa.name,
        role: "roles/iam.workloadIdentityUser",
        member: `serviceAccount:${workloadPool(g)}[${ctx.namespace}/${ctx.serviceAccountName}]`,
    }, ctx.opts());

    // Object access on this bucket only; no project-level role.
    if (store) {
        new storage.BucketIAMMember(`${ctx.name}-gsa-bucket`, {
            bucket: store.bucketName,
            role: "roles/storage.objectAdmin",
            member: pulumi.interpolate`serviceAccount:${gsa.email}`,
        }, ctx.opts());
    }

    return {
        serviceAccountAnnotations: { "iam.gke.io/gcp-service-account": gsa.email },
        podLabels: {},
        principal: gsa.email,
    };
}

function createLoadBalancer(ctx: ProviderContext): LoadBalancer {
    const spec = ctx.spec;
    const g = spec.gcp!;
    const base = slug(ctx.name, 40);
    const labels = k8sLabels(ctx);
    const tlsOn = spec.tls.enabled;

    const ip = new compute.GlobalAddress(`${ctx.name}-ip`, {
        project: g.project,
        addressType: "EXTERNAL",
        ipVersion: "IPV4",
        description: `Open WebUI ${ctx.name} (${spec.hostname})`,
        labels: gcpLabels(ctx.tags),
    }, ctx.opts());

    const backendConfigName = `${base}-backend`;
    const grace = spec.pod.terminationGracePeriodSeconds;
    new apiextensions.CustomResource(`${ctx.name}-backendconfig`, {
        apiVersion: "cloud.google.com/v1",
        kind: "BackendConfig",
        metadata: { name: backendConfigName, namespace: ctx.namespace, labels },
        spec: {
            // Maximum lifetime of a websocket through the GKE load balancer (default 30 s).
            timeoutSec: BACKEND_TIMEOUT_SEC,
            // Finish draining before the kubelet kills the pod at the end of its grace period.
            connectionDraining: { drainingTimeoutSec: Math.max(0, grace - 5) },
            healthCheck: {
                type: "HTTP",
                requestPath: HEALTH_PATH,
                port: CONTAINER_PORT,
                checkIntervalSec: 10,
                timeoutSec: 5,
                healthyThreshold: 1,
                unhealthyThreshold: 3,
            },
            ...(g.securityPolicy !== undefined ? { securityPolicy: { name: g.securityPolicy } } : {}),
        },
    }, ctx.opts());

    const ingressAnnotations: { [key: string]: pulumi.Input<string> } = {
        // ingress-gce serves an Ingress whose class annotation is "gce", or which has neither
        // the annotation nor spec.ingressClassName; it never matches spec.ingressClassName.
        "kubernetes.io/ingress.class": "gce",
        "kubernetes.io/ingress.global-static-ip-name": ip.name,
        // Pulumi awaits status.loadBalancer on the Ingress (10 min by default); a new global
        // external Application Load Balancer can take longer to be programmed.
        "pulumi.com/timeoutSeconds": String(INGRESS_AWAIT_SECONDS),
    };

    let tlsSecretName: pulumi.Input<string> | undefined;
    if (tlsOn) {
        let sslPolicyName: pulumi.Input<string> | undefined = g.sslPolicy;
        if (sslPolicyName === undefined) {
            const policy = new compute.SSLPolicy(`${ctx.name}-ssl-policy`, {
                project: g.project,
                profile: "MODERN",
                minTlsVersion: "TLS_1_2",
                description: `TLS 1.2+ for Open WebUI ${ctx.name}`,
            }, ctx.opts());
            sslPolicyName = policy.name;
        }
        const frontendConfigName = `${base}-frontend`;
        new apiextensions.CustomResource(`${ctx.name}-frontendconfig`, {
            apiVersion: "networking.gke.io/v1beta1",
            kind: "FrontendConfig",
            metadata: { name: frontendConfigName, namespace: ctx.namespace, labels },
            spec: {
                redirectToHttps: { enabled: true, responseCodeName: "MOVED_PERMANENTLY_DEFAULT" },
                sslPolicy: sslPolicyName,
            },
        }, ctx.opts());
        ingressAnnotations["networking.gke.io/v1beta1.FrontendConfig"] = frontendConfigName;

        if (spec.tls.secretName !== undefined) {
            // Bring-your-own certificate: the Ingress references the Secret in spec.tls.
            tlsSecretName = spec.tls.secretName;
        } else {
            const certName = `${base}-cert`;
            new apiextensions.CustomResource(`${ctx.name}-managedcert`, {
                apiVersion: "networking.gke.io/v1",
                kind: "ManagedCertificate",
                metadata: { name: certName, namespace: ctx.namespace, labels },
                spec: { domains: [spec.hostname] },
            }, ctx.opts());
            ingressAnnotations["networking.gke.io/managed-certificates"] = certName;
        }
    }

    if (g.dnsZone !== undefined) {
        new dns.RecordSet(`${ctx.name}-dns`, {
            project: g.project,
            managedZone: g.dnsZone,
            name: `${spec.hostname}.`,
            type: "A",
            ttl: 300,
            rrdatas: [ip.address],
        }, ctx.opts());
    }

    return {
        kind: "ingress",
        // Deliberately no ingressClassName (see the class annotation above).
        ingressClassName: undefined,
        ingressAnnotations,
        serviceAnnotations: {
            "cloud.google.com/backend-config": JSON.stringify({ default: backendConfigName }),
            // Container-native load balancing: the LB targets pod IPs (port 8080) directly.
            "cloud.google.com/neg": JSON.stringify({ ingress: true }),
        },
        tlsSecretName,
        url: pulumi.output(spec.url),
    };
}

export const platform: CloudPlatform = {
    validate,
    databaseMaxConnections,
    cacheIsCluster: () => false,
    createDatabase,
    createCache,
    createObjectStore,
    createWorkloadIdentity,
    createLoadBalancer,
};
