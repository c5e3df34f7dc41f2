// Construction-time checks of the `azure` block: every problem names the field, the value and the fix.
import type { ResolvedSpec } from "../../components/spec/spec";
import { checkUrl, cidrProblem, isDnsName } from "../../components/spec/addresses";
import { enumValues, isKnown, problem } from "../../components/spec/errors";
import { ServiceMode } from "../../components/args/types";
import { Azure, AzureAgc, AzureIngress, AzureIngressController } from "../../components/platform/azureArgs";
import { POSTGRES_MAX_CONNECTIONS_RANGE, provisioningMaxConnections } from "./catalog";
import { maxConnections, postgresSku } from "./database";
import { ingressController } from "./ingress";
import { SUBNET_ID, VNET_ID, cmkProblems, missing, privateEndpointProblems } from "./shared";
import { unusedServiceSettings } from "../cloudRules";
import { logsAndAlarmsProblems } from "./alarms";
import { redisProblems } from "./cache";
import { storageProblems } from "./storage";

const POSTGRES_TIERS = ["GeneralPurpose", "MemoryOptimized", "Burstable"];
const POSTGRES_STORAGE_GB = [32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767];
const POSTGRES_VERSIONS = ["14", "15", "16", "17", "18"];
const RESERVED_LOGINS = ["azure_superuser", "azure_pg_admin", "admin", "administrator", "root", "guest", "public"];

export function validate(spec: ResolvedSpec): string[] {
    const a = spec.azure;
    if (!a) return []; // the core reports the missing block
    const dbManaged = spec.database.mode === ServiceMode.Managed;
    const redisManaged = spec.redis.mode === ServiceMode.Managed;
    const storageManaged = spec.storage.mode === ServiceMode.Managed;
    return [
        ...clusterProblems(a),
        ...cmkProblems(a.customerManagedKey),
        ...(dbManaged ? postgresProblems(spec, a) : []),
        ...(redisManaged ? redisProblems(spec, a) : []),
        ...privateEndpointProblems(a, redisManaged, storageManaged),
        ...(storageManaged ? storageProblems(spec, a) : []),
        ...unusedCloudSettings(spec, a, dbManaged, redisManaged, storageManaged),
        ...routingProblems(spec, a),
        ...logsAndAlarmsProblems(spec, a),
    ];
}

/** The cluster's place: resource group, region, VNet and the AKS OIDC issuer. */
function clusterProblems(a: Azure): string[] {
    const p: string[] = [];
    if (missing(a.resourceGroupName)) {
        p.push(
            problem(
                "azure.resourceGroupName",
                a.resourceGroupName,
                "give the resource group for the Azure resources (set azure.createResourceGroup=true to create it)",
            ),
        );
    }
    if (missing(a.location)) {
        p.push(problem("azure.location", a.location, "give the Azure region of the AKS cluster, e.g. westeurope"));
    }
    if (missing(a.vnetId)) {
        p.push(
            problem(
                "azure.vnetId",
                a.vnetId,
                "give the ARM id of the AKS virtual network (az network vnet show --query id); private DNS zones are linked to it",
            ),
        );
    } else if (isKnown(a.vnetId) && !VNET_ID.test(a.vnetId)) {
        p.push(problem("azure.vnetId", a.vnetId, "use the ARM id /subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<name>"));
    }
    if (missing(a.aksOidcIssuerUrl)) {
        p.push(
            problem(
                "azure.aksOidcIssuerUrl",
                a.aksOidcIssuerUrl,
                "give the AKS OIDC issuer (az aks show --query oidcIssuerProfile.issuerUrl) of a cluster with --enable-oidc-issuer --enable-workload-identity",
            ),
        );
    } else {
        checkUrl(p, "azure.aksOidcIssuerUrl", a.aksOidcIssuerUrl, {
            schemes: ["https"],
            fix: "use the https:// issuer URL AKS reports (oidcIssuerProfile.issuerUrl)",
        });
    }
    return p;
}

/** The managed PostgreSQL server's settings (database.mode=managed). */
function postgresProblems(spec: ResolvedSpec, a: Azure): string[] {
    return [...postgresNetworkProblems(a), ...postgresSizeProblems(spec, a), ...postgresServerProblems(spec, a)];
}

/** Where the PostgreSQL server lives: its delegated subnet (given or created) and private DNS zone. */
function postgresNetworkProblems(a: Azure): string[] {
    const p: string[] = [];
    const hasId = a.postgresSubnetId !== undefined;
    const hasCidr = a.postgresSubnetCidr !== undefined;
    if (hasId === hasCidr) {
        p.push(
            problem(
                "azure.postgresSubnetId/postgresSubnetCidr",
                hasId ? "both set" : undefined,
                "set exactly one: the id of a subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers, or a free CIDR (/28 or larger) in azure.vnetId to create one",
            ),
        );
    }
    if (isKnown(a.postgresSubnetId) && !SUBNET_ID.test(a.postgresSubnetId)) {
        p.push(problem("azure.postgresSubnetId", a.postgresSubnetId, "use a subnet ARM id .../virtualNetworks/<vnet>/subnets/<subnet>"));
    }
    if (hasCidr) {
        // Azure refuses a prefix that is not the network address (InvalidCIDRNotation) after the rest was created.
        const fix = cidrProblem(a.postgresSubnetCidr, 16, 28, "10.240.8.0/28 inside the VNet (HA needs 4 addresses)");
        if (fix) p.push(problem("azure.postgresSubnetCidr", a.postgresSubnetCidr, fix));
    }
    if (isKnown(a.postgresPrivateDnsZoneId) && !/\/privateDnsZones\/[^/]+\.postgres\.database\.azure\.com$/i.test(a.postgresPrivateDnsZoneId)) {
        p.push(
            problem(
                "azure.postgresPrivateDnsZoneId",
                a.postgresPrivateDnsZoneId,
                "use the id of a private DNS zone whose name ends in .postgres.database.azure.com",
            ),
        );
    }
    return p;
}

/** The PostgreSQL SKU tier and name, and a database.maxConnections the SKU can hold without a restart. */
function postgresSizeProblems(spec: ResolvedSpec, a: Azure): string[] {
    const p: string[] = [];
    const tier = a.skus?.postgresSkuTier ?? "GeneralPurpose";
    if (!POSTGRES_TIERS.includes(tier)) {
        p.push(problem("azure.skus.postgresSkuTier", tier, `use one of ${POSTGRES_TIERS.join(", ")}`));
    } else if (tier === "Burstable" && spec.database.highAvailability) {
        p.push(
            problem(
                "azure.skus.postgresSkuTier",
                tier,
                "Burstable servers have no high availability: use GeneralPurpose or MemoryOptimized, or set database.highAvailability=false",
            ),
        );
    }
    if (a.skus?.postgresSkuName !== undefined && maxConnections(spec) === 0 && !spec.database.maxConnections) {
        p.push(
            problem(
                "azure.skus.postgresSkuName",
                a.skus.postgresSkuName,
                "its max_connections is not known here (it is derived for the B, D and E series only); also set database.maxConnections (it is applied to the server)",
            ),
        );
    }
    const wanted = spec.database.maxConnections;
    const inForce = provisioningMaxConnections(postgresSku(spec));
    if (wanted && (wanted < POSTGRES_MAX_CONNECTIONS_RANGE.min || wanted > POSTGRES_MAX_CONNECTIONS_RANGE.max)) {
        p.push(
            problem(
                "database.maxConnections",
                wanted,
                `Azure allows max_connections from ${POSTGRES_MAX_CONNECTIONS_RANGE.min} to ${POSTGRES_MAX_CONNECTIONS_RANGE.max}`,
            ),
        );
    } else if (wanted && inForce !== undefined && wanted > inForce) {
        p.push(
            problem(
                "database.maxConnections",
                wanted,
                `max_connections is a static parameter on Flexible Server: ${postgresSku(spec)} is provisioned with ${inForce}, and a higher value is in force only after a server restart, which a deploy never performs, while the pools would be sized for it at once. Use at most ${inForce}, or a larger SKU (azure.skus.postgresSkuName)`,
            ),
        );
    }
    return p;
}

/** The PostgreSQL server's own settings: backups, HA mode, storage, version, auth, extensions, maintenance, admin. */
function postgresServerProblems(spec: ResolvedSpec, a: Azure): string[] {
    const p: string[] = [];
    // Flexible Server keeps backups 7 to 35 days (Microsoft: concepts-backup-restore); the core allows 1-35.
    const days = spec.database.backupRetentionDays;
    if (Number.isInteger(days) && (days < 7 || days > 35)) {
        p.push(
            problem(
                "database.backupRetentionDays",
                days,
                "Azure Database for PostgreSQL flexible server keeps backups 7 to 35 days: use a value in that range",
            ),
        );
    }
    const haMode = a.skus?.postgresHighAvailabilityMode;
    if (haMode !== undefined && !["ZoneRedundant", "SameZone"].includes(haMode)) {
        p.push(
            problem("azure.skus.postgresHighAvailabilityMode", haMode, "use ZoneRedundant or SameZone (set database.highAvailability=false to turn HA off)"),
        );
    }
    const gb = a.skus?.postgresStorageGb;
    if (gb !== undefined && !POSTGRES_STORAGE_GB.includes(gb)) {
        p.push(problem("azure.skus.postgresStorageGb", gb, `use one of ${POSTGRES_STORAGE_GB.join(", ")} GiB`));
    }
    if (!POSTGRES_VERSIONS.includes(spec.database.version)) {
        p.push(
            problem("database.version", spec.database.version, `Azure Database for PostgreSQL flexible server supports ${POSTGRES_VERSIONS.join(", ")} here`),
        );
    }
    if (spec.database.iamAuth) {
        p.push(problem("database.iamAuth", true, "IAM token auth is AWS only; on Azure the app role uses a password (omit database.iamAuth)"));
    }
    for (const e of a.postgresExtensions ?? []) {
        if (!/^[A-Za-z0-9_]+$/.test(e)) p.push(problem("azure.postgresExtensions", e, "use extension names such as pg_trgm (letters, digits, '_')"));
    }
    return [...p, ...postgresMaintenanceProblems(a), ...postgresAdminLoginProblems(a)];
}

/** azure.postgresMaintenanceWindow: a weekday 0-6 and a UTC hour 0-23. */
function postgresMaintenanceProblems(a: Azure): string[] {
    const p: string[] = [];
    const mw = a.postgresMaintenanceWindow;
    if (mw?.dayOfWeek !== undefined && (!Number.isInteger(mw.dayOfWeek) || mw.dayOfWeek < 0 || mw.dayOfWeek > 6)) {
        p.push(problem("azure.postgresMaintenanceWindow.dayOfWeek", mw.dayOfWeek, "use 0 (Sunday) to 6 (Saturday)"));
    }
    if (mw?.startHour !== undefined && (!Number.isInteger(mw.startHour) || mw.startHour < 0 || mw.startHour > 23)) {
        p.push(problem("azure.postgresMaintenanceWindow.startHour", mw.startHour, "use an hour from 0 to 23 (UTC)"));
    }
    return p;
}

/** azure.postgresAdminLogin: a lowercase identifier Azure does not reserve. */
function postgresAdminLoginProblems(a: Azure): string[] {
    const p: string[] = [];
    const login = a.postgresAdminLogin;
    if (login !== undefined && (!/^[a-z][a-z0-9_]{0,62}$/.test(login) || login.startsWith("pg_") || RESERVED_LOGINS.includes(login))) {
        p.push(
            problem(
                "azure.postgresAdminLogin",
                login,
                "use a lowercase identifier that is not reserved (admin, administrator, root, guest, public, azure_*, pg_*)",
            ),
        );
    }
    return p;
}

/** Cloud settings of a service this target does not create (as aws.database / aws.cache). */
function unusedCloudSettings(spec: ResolvedSpec, a: Azure, dbManaged: boolean, redisManaged: boolean, storageManaged: boolean): string[] {
    const p: string[] = [];
    if (!dbManaged)
        p.push(
            ...unusedServiceSettings(
                "azure",
                a,
                [
                    "postgresSubnetId",
                    "postgresSubnetCidr",
                    "postgresPrivateDnsZoneId",
                    "postgresExtensions",
                    "postgresGeoRedundantBackup",
                    "postgresMaintenanceWindow",
                    "postgresAdminLogin",
                    "skus.postgresSkuName",
                    "skus.postgresSkuTier",
                    "skus.postgresHighAvailabilityMode",
                    "skus.postgresStorageGb",
                ],
                spec.database.mode,
                "database.mode",
                "PostgreSQL Flexible Server",
            ),
        );
    if (!redisManaged)
        p.push(
            ...unusedServiceSettings(
                "azure",
                a,
                ["redisPrivateDnsZoneId", "redisEvictionPolicy", "skus.redisSkuName"],
                spec.redis.mode,
                "redis.mode",
                "Azure Managed Redis",
            ),
        );
    if (!storageManaged)
        p.push(
            ...unusedServiceSettings(
                "azure",
                a,
                ["blobPrivateDnsZoneId", "storagePrivateEndpoint", "storageAllowedSubnetIds", "storageAllowedIpRanges", "skus.storageSkuName"],
                spec.storage.mode,
                "storage.mode",
                "Blob storage account",
            ),
        );
    return p;
}

/** Routing: the ingress controller and its limits, the certificate source, and the DNS zone. */
function routingProblems(spec: ResolvedSpec, a: Azure): string[] {
    const controller = ingressController(spec);
    const ing = a.ingress ?? {};
    const isAgc = controller === AzureIngressController.ApplicationGatewayForContainers;
    const sharedGateway = isAgc && ing.agc?.gatewayName !== undefined;
    return [
        ...ingressLimitProblems(controller, ing),
        ...(isAgc ? agcProblems(spec, ing.agc ?? {}) : ingressTlsProblems(spec, controller, ing)),
        ...dnsZoneProblems(spec, a, sharedGateway),
    ];
}

/** azure.ingress: a known controller, a request timeout of 60 s to a day, a body size of at least 1 MiB. */
function ingressLimitProblems(controller: AzureIngressController, ing: AzureIngress): string[] {
    const p: string[] = [];
    const controllers = enumValues(AzureIngressController);
    if (!controllers.includes(controller)) {
        p.push(problem("azure.ingress.controller", controller, `use one of ${controllers.join(", ")}`));
    }
    const t = ing.requestTimeoutSeconds;
    if (t !== undefined && (!Number.isInteger(t) || t < 60 || t > 86400)) {
        p.push(
            problem("azure.ingress.requestTimeoutSeconds", t, "use 60 to 86400 seconds (websockets and streamed replies need minutes; 3600 is the default)"),
        );
    }
    const mb = ing.maxBodySizeMb;
    if (mb !== undefined && (!Number.isInteger(mb) || mb < 1)) {
        p.push(problem("azure.ingress.maxBodySizeMb", mb, "use a whole number of MiB >= 1"));
    }
    return p;
}

/** Whether the spec names a certificate source (a TLS Secret or a cert-manager ClusterIssuer). */
function tlsSourceGiven(spec: ResolvedSpec): boolean {
    return spec.tls.secretName !== undefined || spec.tls.clusterIssuer !== undefined;
}

/** Application Gateway for Containers: exactly one way to reach it; a certificate for a Gateway created here. */
function agcProblems(spec: ResolvedSpec, agc: AzureAgc): string[] {
    const p: string[] = [];
    const ways = [agc.gatewayName !== undefined, agc.resourceId !== undefined, agc.albName !== undefined].filter(Boolean).length;
    if (ways !== 1) {
        p.push(
            problem(
                "azure.ingress.agc",
                ways === 0 ? undefined : "several set",
                "Application Gateway for Containers needs exactly one of: agc.gatewayName (an existing Gateway), agc.resourceId + agc.frontendName (bring your own AGC), or agc.albName + agc.albNamespace (ALB-controller managed)",
            ),
        );
    }
    if (agc.resourceId !== undefined && agc.frontendName === undefined) {
        p.push(problem("azure.ingress.agc.frontendName", undefined, "a bring-your-own AGC (agc.resourceId) needs the name of its frontend"));
    }
    if (agc.albName !== undefined && agc.albNamespace === undefined) {
        p.push(problem("azure.ingress.agc.albNamespace", undefined, "give the namespace of the ApplicationLoadBalancer resource named by agc.albName"));
    }
    const hasTlsSource = tlsSourceGiven(spec);
    const sharedGateway = agc.gatewayName !== undefined;
    if (!sharedGateway && spec.tls.enabled && !hasTlsSource) {
        p.push(
            problem(
                "tls.secretName",
                undefined,
                "the HTTPS listener of the Gateway needs a certificate: set tls.secretName (a kubernetes.io/tls Secret) or tls.clusterIssuer (cert-manager with Gateway API support)",
            ),
        );
    }
    return p;
}

/** An Ingress controller (AGIC, NGINX) with TLS on needs a certificate source. */
function ingressTlsProblems(spec: ResolvedSpec, controller: AzureIngressController, ing: AzureIngress): string[] {
    const p: string[] = [];
    const hasTlsSource = tlsSourceGiven(spec);
    const isAgic = controller === AzureIngressController.ApplicationGatewayIngress;
    if (spec.tls.enabled && !hasTlsSource && !(isAgic && ing.appGatewaySslCertificate !== undefined)) {
        p.push(
            problem(
                "tls.secretName",
                undefined,
                `the Ingress needs a certificate: set tls.secretName or tls.clusterIssuer${controller === AzureIngressController.ApplicationGatewayIngress ? " or azure.ingress.appGatewaySslCertificate" : ""}`,
            ),
        );
    }
    return p;
}

/** azure.dnsZoneName: a DNS name that contains the hostname, and not with a shared Gateway. */
function dnsZoneProblems(spec: ResolvedSpec, a: Azure, sharedGateway: boolean): string[] {
    if (a.dnsZoneName === undefined) return [];
    const p: string[] = [];
    const zone = a.dnsZoneName;
    if (!isDnsName(zone)) {
        p.push(problem("azure.dnsZoneName", zone, "give the zone's lowercase DNS name without a trailing dot, e.g. example.com"));
    } else if (typeof spec.hostname === "string" && spec.hostname !== zone && !spec.hostname.endsWith(`.${zone}`)) {
        p.push(problem("azure.dnsZoneName", zone, `hostname ${spec.hostname} is not in this zone: use the zone that contains it, or omit azure.dnsZoneName`));
    }
    if (sharedGateway) {
        p.push(problem("azure.dnsZoneName", zone, "with an existing Gateway (agc.gatewayName) the Gateway's owner manages its DNS: omit azure.dnsZoneName"));
    }
    return p;
}
