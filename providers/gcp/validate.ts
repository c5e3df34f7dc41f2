// Construction-time checks of the `gcp` block: every problem names the field, the value and the fix.
import { problem } from "../../components/spec/errors";
import type { ResolvedSpec } from "../../components/spec/spec";
import { ServiceMode } from "../../components/args/types";
import type { Gcp } from "../../components/platform/gcpArgs";
import { REDIS_TIERS, REDIS_CONNECT_MODES, SQL_EDITIONS, CLOUD_SQL_PG_VERSIONS, customTierProblem } from "./catalog";
import { isPlain, maintenance } from "./shared";
import { gcsBucketProblem, unusedServiceSettings } from "../cloudRules";
import { logRetentionProblem } from "../logRetention";
import { alarmTargetProblems } from "../../components/telemetry/alarmsSpec";

/** A Cloud Monitoring notification channel (`projects/<project id>/notificationChannels/<numeric id>`). */
const NOTIFICATION_CHANNEL = /^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/notificationChannels\/\d{1,24}$/;

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const REGION = /^[a-z]+-[a-z]+[0-9]+$/;
const ZONE = /^[a-z]+-[a-z]+[0-9]+-[a-z]$/;
const NETWORK =
    /^(https:\/\/www\.googleapis\.com\/compute\/(v1|beta)\/)?projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/global\/networks\/[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const RFC1035 = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const ACCOUNT_ID = /^[a-z]([-a-z0-9]{4,28}[a-z0-9])$/;

export function validate(spec: ResolvedSpec): string[] {
    const g = spec.gcp;
    if (!g) return []; // the core reports the missing block
    return [
        ...projectProblems(g),
        ...networkProblems(g),
        ...poolAndZoneProblems(g),
        ...databaseSettingProblems(g),
        ...cacheAndKeyProblems(g),
        ...maintenanceAndRetentionProblems(g),
        ...policyAndAccountProblems(g),
        ...neutralSpecProblems(spec),
        ...unusedSettingProblems(spec, g),
        ...redisHaProblems(spec, g),
        ...logRetentionProblem(spec, 1, 3650, "the log bucket's lifecycle age"),
        ...alarmTargetProblems(
            spec,
            NOTIFICATION_CHANNEL,
            "give a Cloud Monitoring notification channel, projects/<project id>/notificationChannels/<numeric id> (gcloud beta monitoring channels list --format='value(name)')",
        ),
    ];
}

/** Problems of the project id and the region (a zone is named as such). */
function projectProblems(g: Gcp): string[] {
    const p: string[] = [];
    if (!isPlain(g.project) || !PROJECT_ID.test(g.project)) {
        p.push(problem("gcp.project", g.project, "give the project id (6-30 lowercase letters, digits, '-'; e.g. my-project), not its number or display name"));
    }
    if (!isPlain(g.region) || !REGION.test(g.region)) {
        const fix =
            isPlain(g.region) && ZONE.test(g.region)
                ? `give the region, not a zone (e.g. ${g.region.replace(/-[a-z]$/, "")}): Cloud SQL and Memorystore are regional and highly available across its zones`
                : "give the region of the GKE cluster, e.g. europe-west1";
        p.push(problem("gcp.region", g.region, fix));
    }
    return p;
}

/** Problems of the VPC network and the private services access range. */
function networkProblems(g: Gcp): string[] {
    const p: string[] = [];
    if (g.network === undefined || g.network === "") {
        p.push(
            problem(
                "gcp.network",
                g.network,
                "give the VPC network of the GKE cluster as projects/PROJECT/global/networks/NAME (Cloud SQL and Memorystore get private IPs in it)",
            ),
        );
    } else if (isPlain(g.network) && !NETWORK.test(g.network)) {
        p.push(
            problem(
                "gcp.network",
                g.network,
                "use the network id projects/PROJECT/global/networks/NAME or its https://www.googleapis.com/compute/v1/... self link, not a bare name or subnetwork",
            ),
        );
    }
    if (g.privateServiceAccessRange !== undefined && !RFC1035.test(g.privateServiceAccessRange)) {
        p.push(
            problem(
                "gcp.privateServiceAccessRange",
                g.privateServiceAccessRange,
                "give the name of the existing VPC_PEERING global address (not its CIDR), or omit it to create one",
            ),
        );
    }
    const prefix = g.privateServiceAccessPrefixLength;
    if (prefix !== undefined && (!Number.isInteger(prefix) || prefix < 8 || prefix > 24)) {
        p.push(problem("gcp.privateServiceAccessPrefixLength", prefix, "use a prefix length from 8 to 24 (Google requires /24 or larger; /16 recommended)"));
    }
    if (prefix !== undefined && g.privateServiceAccessRange !== undefined) {
        p.push(
            problem(
                "gcp.privateServiceAccessPrefixLength",
                prefix,
                "applies only to the range the component creates; remove it when gcp.privateServiceAccessRange is set",
            ),
        );
    }
    return p;
}

/** Problems of the workload identity pool and the Cloud DNS zone name. */
function poolAndZoneProblems(g: Gcp): string[] {
    const p: string[] = [];
    if (g.workloadIdentityPool !== undefined && !/^[a-z][a-z0-9-]{4,28}[a-z0-9]\.svc\.id\.goog$/.test(g.workloadIdentityPool)) {
        p.push(
            problem(
                "gcp.workloadIdentityPool",
                g.workloadIdentityPool,
                "use the cluster's workload pool PROJECT_ID.svc.id.goog (enable Workload Identity on the cluster)",
            ),
        );
    }
    if (g.dnsZone !== undefined && !RFC1035.test(g.dnsZone)) {
        p.push(problem("gcp.dnsZone", g.dnsZone, "give the Cloud DNS managed zone name (e.g. example-com), not its DNS name"));
    }
    return p;
}

/** Problems of the Cloud SQL settings: tier, edition, their combination, custom tier shape and disk size. */
function databaseSettingProblems(g: Gcp): string[] {
    const p: string[] = [];
    if (g.databaseTier !== undefined && !/^db-[A-Za-z0-9-]+$/.test(g.databaseTier)) {
        p.push(problem("gcp.databaseTier", g.databaseTier, "use a Cloud SQL tier such as db-custom-4-16384"));
    }
    if (g.databaseEdition !== undefined && !SQL_EDITIONS.includes(g.databaseEdition)) {
        p.push(problem("gcp.databaseEdition", g.databaseEdition, `use one of ${SQL_EDITIONS.join(", ")}`));
    }
    const edition = g.databaseEdition ?? "ENTERPRISE";
    const perfTier = (g.databaseTier ?? "").startsWith("db-perf-optimized-");
    if (edition === "ENTERPRISE_PLUS" && !perfTier) {
        p.push(
            problem(
                "gcp.databaseTier",
                g.databaseTier,
                "ENTERPRISE_PLUS accepts only db-perf-optimized-N-* tiers: set gcp.databaseTier (and database.maxConnections)",
            ),
        );
    } else if (edition === "ENTERPRISE" && perfTier) {
        p.push(
            problem(
                "gcp.databaseEdition",
                g.databaseEdition,
                `tier ${g.databaseTier} exists only in ENTERPRISE_PLUS: set gcp.databaseEdition=ENTERPRISE_PLUS or use a db-custom-* tier`,
            ),
        );
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
    return p;
}

/** Problems of the Memorystore settings (tier, connect mode, version, memory) and of the KMS key name. */
function cacheAndKeyProblems(g: Gcp): string[] {
    const p: string[] = [];
    if (g.redisTier !== undefined && !REDIS_TIERS.includes(g.redisTier)) {
        p.push(problem("gcp.redisTier", g.redisTier, `use one of ${REDIS_TIERS.join(", ")}`));
    }
    if (g.redisConnectMode !== undefined && !REDIS_CONNECT_MODES.includes(g.redisConnectMode)) {
        p.push(problem("gcp.redisConnectMode", g.redisConnectMode, `use one of ${REDIS_CONNECT_MODES.join(", ")}`));
    }
    if (g.kmsKeyName !== undefined && !/^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/.test(String(g.kmsKeyName))) {
        p.push(problem("gcp.kmsKeyName", g.kmsKeyName, "use a Cloud KMS key name: projects/<project>/locations/<region>/keyRings/<ring>/cryptoKeys/<key>"));
    }
    if (g.redisVersion !== undefined && !/^REDIS_(7_2|7_0|6_X)$/.test(g.redisVersion)) {
        p.push(problem("gcp.redisVersion", g.redisVersion, "use REDIS_7_2 (default), REDIS_7_0 or REDIS_6_X; older versions cap TLS connections far lower"));
    }
    const mem = g.redisMemorySizeGb;
    if (mem !== undefined && (!Number.isInteger(mem) || mem < 1 || mem > 300)) {
        p.push(problem("gcp.redisMemorySizeGb", mem, "use a whole number of GiB from 1 to 300"));
    }
    return p;
}

/** Problems of the maintenance window and the bucket's noncurrent version retention. */
function maintenanceAndRetentionProblems(g: Gcp): string[] {
    const p: string[] = [];
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
    return p;
}

/** Problems of the load balancer's SSL policy and Cloud Armor policy names, and of the service account id. */
function policyAndAccountProblems(g: Gcp): string[] {
    const p: string[] = [];
    if (g.sslPolicy !== undefined && !RFC1035.test(g.sslPolicy)) {
        p.push(problem("gcp.sslPolicy", g.sslPolicy, "give the name of an existing Compute SSL policy"));
    }
    if (g.securityPolicy !== undefined && !RFC1035.test(g.securityPolicy)) {
        p.push(
            problem(
                "gcp.securityPolicy",
                g.securityPolicy,
                "give the name of an existing Cloud Armor security policy (lowercase letters, digits and '-', starting with a letter, at most 63)",
            ),
        );
    }
    if (g.serviceAccountId !== undefined && !ACCOUNT_ID.test(g.serviceAccountId)) {
        p.push(problem("gcp.serviceAccountId", g.serviceAccountId, "use 6-30 lowercase letters, digits and '-', starting with a letter"));
    }
    return p;
}

/** Cross-checks with the neutral spec: hostname length, Postgres version, backups, Redis cluster mode. */
function neutralSpecProblems(spec: ResolvedSpec): string[] {
    const p: string[] = [];
    if (spec.tls.enabled && spec.tls.secretName === undefined && typeof spec.hostname === "string" && spec.hostname.length > 63) {
        p.push(
            problem(
                "hostname",
                spec.hostname,
                "Google-managed certificates (ManagedCertificate) accept domains of at most 63 characters: use a shorter hostname or bring a certificate with tls.secretName",
            ),
        );
    }
    if (spec.database.mode === ServiceMode.Managed && !CLOUD_SQL_PG_VERSIONS.includes(spec.database.version)) {
        p.push(
            problem(
                "database.version",
                spec.database.version,
                `Cloud SQL offers PostgreSQL ${CLOUD_SQL_PG_VERSIONS[0]} to ${CLOUD_SQL_PG_VERSIONS[CLOUD_SQL_PG_VERSIONS.length - 1]}`,
            ),
        );
    }
    if (spec.database.mode === ServiceMode.Managed && spec.database.backupRetentionDays === 1) {
        p.push(
            problem(
                "database.backupRetentionDays",
                1,
                "Cloud SQL must keep more daily backups than days of point-in-time-recovery logs (at least 1): use 2 or more",
            ),
        );
    }
    if (spec.redis.mode === ServiceMode.Managed && spec.redis.cluster) {
        p.push(
            problem(
                "redis.cluster",
                true,
                "Memorystore for Redis (the managed Redis of target gcp) is a standalone primary/replica endpoint: remove redis.cluster or use redis.mode=external",
            ),
        );
    }
    return p;
}

/** Settings of a service this target does not create (as aws.database / aws.cache), and the bucket's name. */
function unusedSettingProblems(spec: ResolvedSpec, g: Gcp): string[] {
    const p: string[] = [];
    const dbManaged = spec.database.mode === ServiceMode.Managed,
        redisManaged = spec.redis.mode === ServiceMode.Managed;
    if (!dbManaged)
        p.push(
            ...unusedServiceSettings(
                "gcp",
                g,
                ["databaseTier", "databaseEdition", "databaseDiskSizeGb"],
                spec.database.mode,
                "database.mode",
                "Cloud SQL instance",
            ),
        );
    if (!redisManaged)
        p.push(
            ...unusedServiceSettings(
                "gcp",
                g,
                ["redisTier", "redisMemorySizeGb", "redisVersion", "redisConnectMode"],
                spec.redis.mode,
                "redis.mode",
                "Memorystore instance",
            ),
        );
    if (!dbManaged && !redisManaged)
        p.push(
            ...unusedServiceSettings(
                "gcp",
                g,
                ["privateServiceAccessRange", "privateServiceAccessPrefixLength"],
                spec.database.mode,
                "database.mode (and redis.mode)",
                "private services access of Cloud SQL and Memorystore",
            ),
        );
    if (spec.storage.mode === ServiceMode.Managed) {
        const bucket = gcsBucketProblem("storage.bucketName", spec.storage.bucketName);
        if (bucket) p.push(bucket);
    } else {
        p.push(
            ...unusedServiceSettings(
                "gcp",
                g,
                ["storageLocation", "noncurrentVersionRetentionDays"],
                spec.storage.mode,
                "storage.mode",
                "Cloud Storage bucket",
            ),
        );
    }
    return p;
}

/** Problems of an implicit BASIC Memorystore (no failover) shared by several replicas. */
function redisHaProblems(spec: ResolvedSpec, g: Gcp): string[] {
    const p: string[] = [];
    if (spec.redis.mode === ServiceMode.Managed && g.redisTier === undefined && !spec.redis.highAvailability && spec.replicas.min > 1) {
        p.push(
            problem(
                "redis.highAvailability",
                false,
                "BASIC Memorystore has no failover and several replicas share sessions through it: keep STANDARD_HA, or set gcp.redisTier=BASIC explicitly",
            ),
        );
    }
    return p;
}
