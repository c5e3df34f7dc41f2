// Cloud SQL for PostgreSQL: private IP over private services access, regional HA, PITR backups,
// deletion protection, the admin user the core's bootstrap Job connects as.
import * as pulumi from "@pulumi/pulumi";
import * as sql from "@pulumi/gcp/sql";
import { RandomPassword } from "@pulumi/random/randomPassword";
import type { ResolvedSpec } from "../../components/spec/spec";
import { SizePreset } from "../../components/args/types";
import type { ManagedDatabase, ProviderContext } from "../../components/platform/port";
import { GCP_DATABASE_SIZING, ADMIN_USER, transactionLogDays } from "./catalog";
import { gcpLabels, maintenance, privateServiceAccess } from "./shared";

export function databaseMaxConnections(spec: ResolvedSpec): number {
    if (spec.database.maxConnections > 0) return spec.database.maxConnections; // explicit database.maxConnections
    return (GCP_DATABASE_SIZING[spec.size] ?? GCP_DATABASE_SIZING[SizePreset.Medium]).maxConnections;
}

/** The Cloud SQL instance: private IP only, TLS only, regional HA, PITR backups, flags, maintenance, insights. */
function createSqlInstance(ctx: ProviderContext, maxConnections: number): sql.DatabaseInstance {
    const spec = ctx.spec;
    const g = spec.gcp!;
    const psa = privateServiceAccess(ctx);
    const sizing = GCP_DATABASE_SIZING[spec.size] ?? GCP_DATABASE_SIZING[SizePreset.Medium];
    const edition = g.databaseEdition ?? "ENTERPRISE";
    const retention = spec.database.backupRetentionDays;
    const mw = maintenance(g);
    const protect = spec.database.deletionProtection;

    return new sql.DatabaseInstance(
        `${ctx.name}-postgres`,
        {
            project: g.project,
            region: g.region,
            databaseVersion: `POSTGRES_${spec.database.version}`,
            deletionProtection: protect,
            encryptionKeyName: g.kmsKeyName,
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
        },
        ctx.opts({
            dependsOn: psa.dependsOn,
            // Auto-resize grows the disk; never shrink it back to the declared size.
            ignoreChanges: ["settings.diskSize"],
        }),
    );
}

export function createDatabase(ctx: ProviderContext): ManagedDatabase {
    const spec = ctx.spec;
    const g = spec.gcp!;
    const maxConnections = databaseMaxConnections(spec);
    const protect = spec.database.deletionProtection;
    const instance = createSqlInstance(ctx, maxConnections);

    const database = new sql.Database(
        `${ctx.name}-db`,
        {
            project: g.project,
            instance: instance.name,
            name: spec.database.name,
            // With deletion protection, destroying the stack must not DROP the database first.
            deletionPolicy: protect ? "PREVENT" : "DELETE",
        },
        ctx.opts(),
    );

    const password = new RandomPassword(
        `${ctx.name}-db-admin-password`,
        {
            length: 32,
            special: false,
        },
        ctx.opts(),
    );

    const user = new sql.User(
        `${ctx.name}-db-admin`,
        {
            project: g.project,
            instance: instance.name,
            name: ADMIN_USER,
            type: "BUILT_IN",
            password: password.result,
            // Postgres users that own objects or hold grants cannot be deleted through the API.
            deletionPolicy: "ABANDON",
        },
        ctx.opts(),
    );

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
        // Cloud Monitoring's `database_id` label: `<project>:<instance>`.
        alarmScope: pulumi.interpolate`${g.project}:${instance.name}`,
        resource: instance,
    };
}
