// Inputs of the azure target (type-only: no cloud SDK import here, so the neutral core can
// reference it without loading the SDK).
import * as pulumi from "@pulumi/pulumi";

/**
 * How the public endpoint is exposed on AKS.
 *
 * The default is Application Gateway for Containers (Gateway API): it is Microsoft's
 * maintained successor of AGIC, proxies WebSockets natively, and follows the community
 * direction (Gateway API). The AKS application routing add-on's NGINX is patched only
 * through November 2026 (upstream ingress-nginx retired in March 2026), so it is offered
 * for existing clusters only.
 */
export enum AzureIngressController {
    /** Application Gateway for Containers via Gateway API: a Gateway (class `azure-alb-external`) + HTTPRoute. Default. */
    ApplicationGatewayForContainers = "applicationGatewayForContainers",
    /** Application Gateway Ingress Controller (AGIC add-on): Ingress class `azure-application-gateway`. */
    ApplicationGatewayIngress = "applicationGatewayIngress",
    /** AKS application routing add-on NGINX (class `webapprouting.kubernetes.azure.com`). Deprecated: patched only through November 2026. */
    AppRoutingNginx = "appRoutingNginx",
}

/** Where the Application Gateway for Containers Gateway comes from (set exactly one way). */
export interface AzureAgc {
    /** Attach to an existing Gateway with this name (the platform team's shared Gateway). No Gateway is created. Default: none. */
    gatewayName?: string;
    /** Namespace of the existing Gateway. Default: the release namespace. */
    gatewayNamespace?: string;
    /** Listener (sectionName) of the existing Gateway to attach to. Default: none (all listeners that allow the route). */
    gatewayListenerName?: string;
    /** Bring-your-own deployment: ARM id of the `Microsoft.ServiceNetworking/trafficControllers` resource (`alb.networking.azure.io/alb-id`). Default: none. */
    resourceId?: pulumi.Input<string>;
    /** Bring-your-own deployment: name of the AGC frontend to use (required with `resourceId`). Default: none. */
    frontendName?: pulumi.Input<string>;
    /** ALB-controller-managed deployment: name of the `ApplicationLoadBalancer` resource (`alb.networking.azure.io/alb-name`). Default: none. */
    albName?: string;
    /** ALB-controller-managed deployment: namespace of the `ApplicationLoadBalancer` resource. Required with `albName`. */
    albNamespace?: string;
}

/** Public routing settings of the azure target. */
export interface AzureIngress {
    /** Controller that carries the traffic. Default: `applicationGatewayForContainers`. */
    controller?: AzureIngressController;
    /** Application Gateway for Containers settings (required when `controller` is `applicationGatewayForContainers`). */
    agc?: AzureAgc;
    /** AGIC: name of an SSL certificate already installed on the Application Gateway (`appgw-ssl-certificate`), instead of `tls.secretName`/`tls.clusterIssuer`. Default: none. */
    appGatewaySslCertificate?: string;
    /**
     * Request / proxy read-send timeout in seconds for AGIC (`request-timeout`), NGINX
     * (`proxy-read-timeout`, `proxy-send-timeout`) and AGC (a RoutePolicy `routeTimeout` on the
     * app's HTTPRoute; AGC's own default is 60 s even while a reply streams), so streamed chat
     * completions and the Socket.IO websocket are not cut. Default: 3600.
     */
    requestTimeoutSeconds?: number;
    /** Maximum upload size in MiB (NGINX `proxy-body-size`; AGIC/AGC accept large bodies by default). Default: 100. */
    maxBodySizeMb?: number;
}

/** SKU escape hatches. Each defaults from `size`. */
export interface AzureSku {
    /** PostgreSQL Flexible Server compute SKU (e.g. `Standard_D4ds_v5`). Default: small `Standard_D2ds_v5`, medium `Standard_D4ds_v5`, large `Standard_D8ds_v5`. An unknown SKU needs `database.maxConnections`. */
    postgresSkuName?: string;
    /** PostgreSQL tier: `GeneralPurpose` or `MemoryOptimized` (`Burstable` has no high availability). Default: `GeneralPurpose`. */
    postgresSkuTier?: string;
    /** PostgreSQL high-availability mode when `database.highAvailability` is on: `ZoneRedundant` (~99.99%) or `SameZone` (~99.95%, for regions without availability zones). Default: `ZoneRedundant`. */
    postgresHighAvailabilityMode?: string;
    /** PostgreSQL storage in GiB (32, 64, 128, 256, 512, ...); auto-grow is on. Default: 128. */
    postgresStorageGb?: number;
    /** Azure Managed Redis SKU (e.g. `Balanced_B3`). Default: small `Balanced_B1`, medium `Balanced_B3`, large `Balanced_B5`. */
    redisSkuName?: string;
    /** Storage account replication SKU. Default: `Standard_ZRS` (zone-redundant). */
    storageSkuName?: string;
}

/** Weekly maintenance window (UTC) of the PostgreSQL server. */
export interface AzureMaintenanceWindow {
    /** Day of the week, 0 = Sunday ... 6 = Saturday. Default: 0. */
    dayOfWeek?: number;
    /** Start hour (UTC), 0-23. Default: 3. */
    startHour?: number;
}

/** Settings of the `azure` target. */
export interface Azure {
    /** Resource group for every Azure resource. Required. */
    resourceGroupName: pulumi.Input<string>;
    /** Create the resource group (`resourceGroupName`) instead of using an existing one. Default: false. */
    createResourceGroup?: boolean;
    /** Azure region, e.g. `westeurope` (the AKS cluster's region). Required. */
    location: pulumi.Input<string>;
    /** ARM id of the AKS cluster's virtual network (`/subscriptions/.../virtualNetworks/<name>`); private DNS zones are linked to it. Required. */
    vnetId: pulumi.Input<string>;
    /** ARM id of an existing subnet delegated to `Microsoft.DBforPostgreSQL/flexibleServers` (min /28). Set this or `postgresSubnetCidr`. */
    postgresSubnetId?: pulumi.Input<string>;
    /** CIDR of a subnet to create in `vnetId`, delegated to PostgreSQL Flexible Server (e.g. `10.240.8.0/28`). Set this or `postgresSubnetId`. */
    postgresSubnetCidr?: string;
    /** ARM id of the subnet for private endpoints (Azure Managed Redis, Blob). Required when Redis is managed or Blob uses a private endpoint (the defaults). */
    privateEndpointSubnetId?: pulumi.Input<string>;
    /** OIDC issuer URL of the AKS cluster (Workload Identity enabled): `az aks show --query oidcIssuerProfile.issuerUrl`. Required. */
    aksOidcIssuerUrl: pulumi.Input<string>;
    /** Existing private DNS zone id for PostgreSQL (`*.postgres.database.azure.com`, already linked to the VNet). Default: a zone `<name>.private.postgres.database.azure.com` is created and linked. */
    postgresPrivateDnsZoneId?: pulumi.Input<string>;
    /** Existing `privatelink.redis.azure.net` zone id (already linked to the VNet, e.g. in a hub). Default: created and linked. */
    redisPrivateDnsZoneId?: pulumi.Input<string>;
    /** Existing `privatelink.blob.core.windows.net` zone id (already linked to the VNet). Default: created and linked. */
    blobPrivateDnsZoneId?: pulumi.Input<string>;
    /**
     * Reach Blob storage through a private endpoint and disable its public network access. Default: true.
     * With false, the account's firewall denies every network except `storageAllowedSubnetIds` and
     * `storageAllowedIpRanges` (at least one is required): it is never open to all networks.
     */
    storagePrivateEndpoint?: boolean;
    /** With `storagePrivateEndpoint` false: ARM ids of the subnets allowed to reach Blob storage (the AKS node subnets, with the `Microsoft.Storage` service endpoint). Default: none. */
    storageAllowedSubnetIds?: pulumi.Input<string>[];
    /** With `storagePrivateEndpoint` false: public IPv4 addresses or CIDR ranges allowed to reach Blob storage (e.g. the cluster's NAT egress `20.50.1.7` or `20.50.1.0/28`). Default: none. */
    storageAllowedIpRanges?: string[];
    /** Extra PostgreSQL extensions to allow-list in `azure.extensions` (`vector` is always included). Default: none. */
    postgresExtensions?: string[];
    /** Geo-redundant PostgreSQL backups (not available in every region; can only be set at creation). Default: false. */
    postgresGeoRedundantBackup?: boolean;
    /** PostgreSQL maintenance window (patching, minor upgrades). Default: Sunday 03:00 UTC. */
    postgresMaintenanceWindow?: AzureMaintenanceWindow;
    /** PostgreSQL administrator login (used only by the bootstrap Job). Default: `openwebuiadmin`. */
    postgresAdminLogin?: string;
    /**
     * Azure Managed Redis eviction policy (`NoEviction`, `VolatileLRU`, ...). Default: `NoEviction`:
     * Open WebUI keeps websocket session pools, locks and shared sessions in Redis (state, not a
     * cache), so a full Redis must fail writes loudly rather than silently drop live state.
     */
    redisEvictionPolicy?: string;
    /** Public Azure DNS zone name (e.g. `example.com`) in which to create the record for `hostname`. Default: none (manage DNS yourself). */
    dnsZoneName?: string;
    /** Resource group of `dnsZoneName`. Default: `resourceGroupName`. */
    dnsZoneResourceGroupName?: pulumi.Input<string>;
    /** Public routing. Default: Application Gateway for Containers. */
    ingress?: AzureIngress;
    /** SKU overrides. */
    skus?: AzureSku;
    /**
     * Customer-managed key (Key Vault) for PostgreSQL Flexible Server (`dataEncryption`, at server
     * creation only) and the storage account (`encryption`), used through a user-assigned
     * identity. Default: none (Microsoft-managed keys).
     */
    customerManagedKey?: AzureCustomerManagedKey;
    /**
     * ARM id of an existing Log Analytics workspace
     * (`/subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name>`)
     * that receives the diagnostic settings of `hardening.accessLogs`. Default: none; the component
     * creates a workspace `<name>-logs` (PerGB2018, retention `hardening.accessLogRetentionDays`).
     */
    logAnalyticsWorkspaceId?: pulumi.Input<string>;
}

/** A Key Vault key and the identity the services read it with. */
export interface AzureCustomerManagedKey {
    /** Key URI `https://<vault>.vault.azure.net/keys/<name>[/<version>]` (versionless: the services follow rotations). Required. */
    keyId: string;
    /** ARM id of a user-assigned managed identity holding Key Vault Crypto Service Encryption User (get, wrapKey, unwrapKey) on the key. Required. */
    userAssignedIdentityId: string;
}
