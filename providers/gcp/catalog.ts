// GCP facts the gcp target relies on: Cloud SQL tiers and max_connections per size, Memorystore
// sizes, accepted enums, timeouts. Plain data, no SDK import.
import { SizePreset } from "../../components/args/types";

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
export const CLOUD_SQL_PG_VERSIONS = ["13", "14", "15", "16", "17", "18"];
export const REDIS_DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];

/** Open WebUI's container port and health endpoint (runtime contract). */
export const CONTAINER_PORT = 8080;
export const HEALTH_PATH = "/health";
/** Backend service timeout: GKE uses it as the maximum lifetime of a websocket (default 30 s). */
export const BACKEND_TIMEOUT_SEC = 3600;
/** How long Pulumi waits for the GKE Ingress to get its load balancer address. */
export const INGRESS_AWAIT_SECONDS = 1200;
/** Admin (cloudsqlsuperuser) user the core's bootstrap Job connects as. */
export const ADMIN_USER = "owui_admin";

/** Why a Cloud SQL custom tier (vCPUs, memory MiB) is refused by the API, or undefined when valid. */
export function customTierProblem(cpus: number, mib: number): string | undefined {
    if (!(cpus === 1 || (cpus % 2 === 0 && cpus >= 2 && cpus <= 96)))
        return `a custom tier has 1 or an even number of vCPUs up to 96 (got ${cpus}): e.g. db-custom-4-16384`;
    const min = Math.max(3840, Math.ceil((cpus * 0.9 * 1024) / 256) * 256);
    const max = Math.floor((cpus * 6.5 * 1024) / 256) * 256;
    if (mib % 256 !== 0 || mib < min || mib > max) {
        return `with ${cpus} vCPU${cpus === 1 ? "" : "s"} the memory must be a multiple of 256 MiB from ${min} to ${max} (0.9 to 6.5 GiB per vCPU, at least 3840): e.g. db-custom-${cpus}-${Math.min(max, Math.max(min, cpus * 4096))}`;
    }
    return undefined;
}

/** PITR log retention: below the backup count (Cloud SQL rule), at most 7 days (35 on ENTERPRISE_PLUS). */
export function transactionLogDays(backupRetentionDays: number, edition: string): number {
    return Math.max(1, Math.min(backupRetentionDays - 1, edition === "ENTERPRISE_PLUS" ? 35 : 7));
}
