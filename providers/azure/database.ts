// PostgreSQL Flexible Server: private access (delegated subnet + private DNS zone), zone-redundant
// HA, TLS required, backups, auto-grow, the `vector` allow-list, a CanNotDelete lock.
import * as pulumi from "@pulumi/pulumi";
import * as dbforpostgresql from "@pulumi/azure-native/dbforpostgresql";
import * as network from "@pulumi/azure-native/network";
import * as authorization from "@pulumi/azure-native/authorization";
import { RandomPassword } from "@pulumi/random/randomPassword";
import type { ManagedDatabase, ProviderContext } from "../../components/platform/port";
import { azurePostgresCaBundle } from "../databaseCa";
import type { ResolvedSpec } from "../../components/spec/spec";
import { SizePreset } from "../../components/args/types";
import { POSTGRES_SKUS, POSTGRES_MAX_CONNECTIONS, provisioningMaxConnections } from "./catalog";
import { VNET_ID, dnsLabel, shared } from "./shared";
import type { Azure, AzureCustomerManagedKey } from "../../components/platform/azureArgs";
import { diagnosticSetting, present } from "./accessLogs";

export const DEFAULT_ADMIN_LOGIN = "openwebuiadmin";
export const DEFAULT_STORAGE_GB = 128;
/** Always allow-listed. Microsoft's docs spell the extension lowercase (`vector`). */
export const REQUIRED_EXTENSIONS = ["vector"];

export function postgresSku(spec: ResolvedSpec): string {
    return spec.azure?.skus?.postgresSkuName ?? POSTGRES_SKUS[spec.size] ?? POSTGRES_SKUS[SizePreset.Medium];
}

export function maxConnections(spec: ResolvedSpec): number {
    const sku = postgresSku(spec);
    return POSTGRES_MAX_CONNECTIONS[sku] ?? provisioningMaxConnections(sku) ?? 0;
}

/** `azure.extensions` value: `vector` plus the user's extras, lowercase, de-duplicated. */
export function extensionsValue(spec: ResolvedSpec): string {
    const all = [...REQUIRED_EXTENSIONS, ...(spec.azure?.postgresExtensions ?? []).map((e) => e.trim().toLowerCase())];
    return [...new Set(all.filter((e) => e !== ""))].join(",");
}

/**
 * A `max_connections` change on an existing server (a size change, or a new
 * `database.maxConnections`) stays pending until the server restarts: until then the previous
 * value is in force. Safe when it was higher (a new server, a smaller size); after a size
 * increase the pools are sized above it. Say so on every deploy where Azure reports it pending.
 */
export function warnIfRestartPending(
    config: dbforpostgresql.Configuration,
    planned: number,
    serverName: pulumi.Input<string>,
    resourceGroup: pulumi.Input<string>,
): void {
    pulumi.all([config.isConfigPendingRestart, serverName, resourceGroup]).apply(([pending, name, group]) => {
        if (pending !== true) return;
        void pulumi.log.warn(
            `max_connections=${planned} on PostgreSQL server ${name} is pending a restart (a static parameter): until then the server keeps its previous value, ` +
                `and the Open WebUI pools are already sized for ${planned}. After a size increase, restart it now: az postgres flexible-server restart -g ${group} -n ${name}`,
            config,
        );
    });
}

export function createDatabase(ctx: ProviderContext): ManagedDatabase {
    const s = shared(ctx);
    const a = s.args;
    const spec = ctx.spec;
    const rg = s.resourceGroupName;

    const { subnetId, serverDeps } = delegatedSubnet(ctx, a);
    // Private DNS zone: must end in .postgres.database.azure.com and differ from the server name.
    const zone = s.privateZone("postgres", `${dnsLabel(ctx.name)}.private.postgres.database.azure.com`, a.postgresPrivateDnsZoneId);
    serverDeps.push(...zone.dependsOn);

    const password = adminPassword(ctx);
    const adminLogin = a.postgresAdminLogin ?? DEFAULT_ADMIN_LOGIN;
    const server = createServer(ctx, { subnetId, zoneId: zone.id, serverDeps, password: password.result, adminLogin });

    const planned = spec.database.maxConnections || maxConnections(spec);
    const configurations = serverParameters(ctx, server, spec, planned);
    warnIfRestartPending(configurations[configurations.length - 1], planned, server.name, rg);

    const database = new dbforpostgresql.Database(
        `${ctx.name}-postgres-db`,
        {
            resourceGroupName: rg,
            serverName: server.name,
            databaseName: spec.database.name,
            charset: "UTF8",
            collation: "en_US.utf8",
        },
        ctx.opts({ protect: spec.database.deletionProtection }),
    );

    // Azure has no deletion-protection flag on the server: a CanNotDelete lock stops deletion from
    // the portal/CLI/other tools; `protect` stops `pulumi destroy` (which would remove the lock first).
    const diagnostics = diagnosticSetting(ctx, "postgres", server.id, { logs: true, metrics: "AllMetrics" }, [server]);
    if (spec.database.deletionProtection) {
        new authorization.ManagementLockByScope(
            `${ctx.name}-postgres-lock`,
            {
                scope: server.id,
                level: "CanNotDelete",
                notes: "Open WebUI database: set database.deletionProtection=false to allow deletion.",
            },
            ctx.opts({ dependsOn: [database, ...configurations, ...present(diagnostics)] }),
        );
    }

    return {
        host: server.fullyQualifiedDomainName,
        port: 5432,
        database: spec.database.name,
        adminUsername: adminLogin,
        adminPassword: pulumi.secret(password.result),
        // The server certificate names the FQDN the pods connect to (private DNS zone).
        ...(spec.database.verifyServerCertificate
            ? { sslMode: "verify-full" as const, caCertificate: azurePostgresCaBundle() }
            : { sslMode: "require" as const }),
        maxConnections: planned,
        iamAuth: false,
        dependsOn: [database, ...configurations],
        alarmScope: server.id,
        resource: server,
    };
}

/** The delegated subnet: the user's, or one created in the VNet (then the server depends on it). */
function delegatedSubnet(ctx: ProviderContext, a: Azure): { subnetId: pulumi.Input<string>; serverDeps: pulumi.Resource[] } {
    if (a.postgresSubnetId !== undefined) return { subnetId: a.postgresSubnetId, serverDeps: [] };
    const parsed = pulumi.output(a.vnetId).apply((id) => {
        const m = VNET_ID.exec(id);
        if (!m)
            throw new Error(
                `azure.vnetId: got ${JSON.stringify(id)}; use the ARM id /subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>`,
            );
        return { resourceGroupName: m[1], vnetName: m[2] };
    });
    const subnet = new network.Subnet(
        `${ctx.name}-postgres-subnet`,
        {
            resourceGroupName: parsed.resourceGroupName,
            virtualNetworkName: parsed.vnetName,
            subnetName: `${dnsLabel(ctx.name)}-postgres`,
            addressPrefix: a.postgresSubnetCidr,
            delegations: [{ name: "postgres-flexible-server", serviceName: "Microsoft.DBforPostgreSQL/flexibleServers" }],
            defaultOutboundAccess: false,
        },
        ctx.opts(),
    );
    return { subnetId: subnet.id, serverDeps: [subnet] };
}

/** The server administrator's generated password (URL-safe: it goes into a postgresql:// URL). */
function adminPassword(ctx: ProviderContext): RandomPassword {
    return new RandomPassword(
        `${ctx.name}-postgres-admin-password`,
        {
            length: 40,
            special: false, // goes into a postgresql:// URL: keep it URL-safe
            minUpper: 2,
            minLower: 2,
            minNumeric: 2,
        },
        ctx.opts(),
    );
}

/** Where the server is reached and who administers it (decided before it is created). */
interface ServerPlacement {
    subnetId: pulumi.Input<string>;
    zoneId: pulumi.Input<string>;
    serverDeps: pulumi.Resource[];
    password: pulumi.Output<string>;
    adminLogin: string;
}

/** The Flexible Server: private access only, HA, storage auto-grow, backups, maintenance window, optional CMK. */
function createServer(ctx: ProviderContext, at: ServerPlacement): dbforpostgresql.Server {
    const s = shared(ctx);
    const a = s.args;
    const spec = ctx.spec;
    const tier = a.skus?.postgresSkuTier ?? "GeneralPurpose";
    return new dbforpostgresql.Server(
        `${ctx.name}-postgres`,
        {
            resourceGroupName: s.resourceGroupName,
            location: s.location,
            version: spec.database.version,
            sku: { name: postgresSku(spec), tier },
            administratorLogin: at.adminLogin,
            administratorLoginPassword: at.password,
            authConfig: { passwordAuth: "Enabled", activeDirectoryAuth: "Disabled" },
            highAvailability: { mode: spec.database.highAvailability ? (a.skus?.postgresHighAvailabilityMode ?? "ZoneRedundant") : "Disabled" },
            network: {
                delegatedSubnetResourceId: at.subnetId,
                privateDnsZoneArmResourceId: at.zoneId,
                publicNetworkAccess: "Disabled",
            },
            storage: {
                storageSizeGB: a.skus?.postgresStorageGb ?? DEFAULT_STORAGE_GB,
                autoGrow: "Enabled",
                type: "Premium_LRS",
            },
            backup: {
                backupRetentionDays: spec.database.backupRetentionDays,
                geoRedundantBackup: a.postgresGeoRedundantBackup ? "Enabled" : "Disabled",
            },
            maintenanceWindow: {
                customWindow: "Enabled",
                dayOfWeek: a.postgresMaintenanceWindow?.dayOfWeek ?? 0,
                startHour: a.postgresMaintenanceWindow?.startHour ?? 3,
                startMinute: 0,
            },
            createMode: "Create",
            ...cmkServerArgs(a.customerManagedKey),
            tags: ctx.tags,
        },
        ctx.opts({
            dependsOn: at.serverDeps,
            protect: spec.database.deletionProtection,
            additionalSecretOutputs: ["administratorLoginPassword"],
        }),
    );
}

/** Server parameters (extensions, TLS, max_connections), chained: Flexible Server applies one change at a time. */
function serverParameters(ctx: ProviderContext, server: dbforpostgresql.Server, spec: ResolvedSpec, planned: number): dbforpostgresql.Configuration[] {
    const parameters: [string, string, string][] = [
        ["extensions", "azure.extensions", extensionsValue(spec)],
        ["tls", "require_secure_transport", "on"],
        ["tls-min", "ssl_min_protocol_version", "TLSv1.2"],
        ["max-connections", "max_connections", String(planned)],
    ];
    const configurations: dbforpostgresql.Configuration[] = [];
    for (const [role, configurationName, value] of parameters) {
        const previous = configurations[configurations.length - 1];
        configurations.push(
            new dbforpostgresql.Configuration(
                `${ctx.name}-postgres-${role}`,
                {
                    resourceGroupName: shared(ctx).resourceGroupName,
                    serverName: server.name,
                    configurationName,
                    value,
                    source: "user-override",
                },
                ctx.opts({ dependsOn: previous ? [previous] : [] }),
            ),
        );
    }
    return configurations;
}

/** Data encryption with the customer's Key Vault key, through its user-assigned identity. */
function cmkServerArgs(cmk: AzureCustomerManagedKey | undefined): object {
    if (!cmk) return {};
    return {
        identity: { type: "UserAssigned", userAssignedIdentities: { [cmk.userAssignedIdentityId]: {} } },
        dataEncryption: { type: "AzureKeyVault", primaryKeyURI: cmk.keyId, primaryUserAssignedIdentityId: cmk.userAssignedIdentityId },
    };
}
