// Blob storage for uploads: StorageV2, HTTPS/TLS 1.2 only, no shared keys (Entra only), no public
// blobs, versioning + soft delete, private container, private endpoint by default; diagnostic
// settings and a CanNotDelete lock (hardening.accessLogs, hardening.storageDeletionProtection).
import * as pulumi from "@pulumi/pulumi";
import * as storage from "@pulumi/azure-native/storage";
import * as authorization from "@pulumi/azure-native/authorization";
import type { ManagedObjectStore, ProviderContext } from "../../components/platform/port";
import { compact, parseKeyId, privateEndpoint, shared, stableSuffix } from "./shared";
import type { AzureCustomerManagedKey } from "../../components/platform/azureArgs";
import { diagnosticSetting, present } from "./accessLogs";

export const BLOB_ZONE = "privatelink.blob.core.windows.net";
export const DEFAULT_CONTAINER = "openwebui";
export const SOFT_DELETE_DAYS = 14;

/** Internal: the container scope of a store this module returned (for the role assignment). */
export const containerScopes = new WeakMap<ManagedObjectStore, pulumi.Output<string>>();

/** Global, 3-24 lowercase alphanumerics: `<name prefix><stable hash>`. */
export function storageAccountName(name: string): string {
    return `${compact(name, 14) || "owui"}${stableSuffix(name)}`;
}

export function createObjectStore(ctx: ProviderContext): ManagedObjectStore {
    const s = shared(ctx);
    const a = s.args;
    const rg = s.resourceGroupName;
    const usePrivateEndpoint = a.storagePrivateEndpoint ?? true;
    const retain = ctx.spec.storage.retainOnDelete;

    const account = new storage.StorageAccount(
        `${ctx.name}-storage`,
        {
            resourceGroupName: rg,
            location: s.location,
            accountName: storageAccountName(ctx.name),
            kind: "StorageV2",
            sku: { name: a.skus?.storageSkuName ?? "Standard_ZRS" },
            accessTier: "Hot",
            enableHttpsTrafficOnly: true,
            minimumTlsVersion: "TLS1_2",
            allowBlobPublicAccess: false,
            // Open WebUI uses DefaultAzureCredential (Workload Identity) when AZURE_STORAGE_KEY is unset.
            allowSharedKeyAccess: false,
            defaultToOAuthAuthentication: true,
            allowCrossTenantReplication: false,
            publicNetworkAccess: usePrivateEndpoint ? "Disabled" : "Enabled",
            // Without the private endpoint the firewall still denies by default: only the given subnets
            // and IP ranges get through (validate.ts requires at least one).
            networkRuleSet: usePrivateEndpoint
                ? { defaultAction: "Deny", bypass: "None" }
                : {
                      defaultAction: "Deny",
                      bypass: "None",
                      virtualNetworkRules: (a.storageAllowedSubnetIds ?? []).map((id) => ({ virtualNetworkResourceId: id, action: "Allow" as const })),
                      ipRules: (a.storageAllowedIpRanges ?? []).map((r) => ({ iPAddressOrRange: r, action: "Allow" as const })),
                  },
            ...cmkAccountArgs(a.customerManagedKey),
            tags: ctx.tags,
        },
        ctx.opts({ retainOnDelete: retain }),
    );

    const blobService = new storage.BlobServiceProperties(
        `${ctx.name}-blob-service`,
        {
            resourceGroupName: rg,
            accountName: account.name,
            blobServicesName: "default",
            isVersioningEnabled: true,
            deleteRetentionPolicy: { enabled: true, days: SOFT_DELETE_DAYS },
            containerDeleteRetentionPolicy: { enabled: true, days: SOFT_DELETE_DAYS },
        },
        ctx.opts(),
    );

    const container = new storage.BlobContainer(
        `${ctx.name}-uploads`,
        {
            resourceGroupName: rg,
            accountName: account.name,
            containerName: ctx.spec.storage.bucketName ?? DEFAULT_CONTAINER,
            publicAccess: "None",
        },
        ctx.opts({ dependsOn: [blobService], retainOnDelete: retain }),
    );

    let endpoint = account.primaryEndpoints.apply((e) => e.blob.replace(/\/+$/, ""));
    const guarded: pulumi.Resource[] = [blobService, container];
    if (usePrivateEndpoint) {
        const pe = privateEndpoint(ctx, "blob", account.id, "blob", BLOB_ZONE, a.blobPrivateDnsZoneId, [account]);
        // The pods (which take this env) wait until the private endpoint resolves in DNS.
        endpoint = pulumi.all([endpoint, pe.zoneGroup.id]).apply(([e]) => e);
        guarded.push(pe.endpoint, pe.zoneGroup);
    }
    // hardening.accessLogs: StorageRead/Write/Delete and the transaction metrics of the blob service.
    guarded.push(
        ...present(
            diagnosticSetting(ctx, "blob", pulumi.interpolate`${account.id}/blobServices/default`, { logs: true, metrics: "Transaction" }, [blobService]),
        ),
    );
    storageLock(ctx, account, guarded);

    const store: ManagedObjectStore = {
        env: {
            STORAGE_PROVIDER: "azure",
            AZURE_STORAGE_ENDPOINT: endpoint,
            AZURE_STORAGE_CONTAINER_NAME: container.name,
        },
        bucketName: container.name,
        resource: container,
        account,
    };
    // Role scope: this container only, not the account.
    containerScopes.set(store, pulumi.interpolate`${account.id}/blobServices/default/containers/${container.name}`);
    return store;
}

/**
 * hardening.storageDeletionProtection: a CanNotDelete lock on the account, which Azure deletes with
 * every blob in one call (S3 and GCS refuse to delete a bucket holding objects). It waits for what
 * lives under the account (container, endpoint, diagnostic setting), so on destroy it goes first;
 * kept with a retained account.
 */
function storageLock(ctx: ProviderContext, account: storage.StorageAccount, guarded: pulumi.Resource[]): void {
    if (ctx.spec.hardening.storageDeletionProtection === false) return;
    new authorization.ManagementLockByScope(
        `${ctx.name}-storage-lock`,
        {
            scope: account.id,
            level: "CanNotDelete",
            notes: "Open WebUI uploads: set hardening.storageDeletionProtection=false to allow deletion.",
        },
        ctx.opts({ dependsOn: guarded, retainOnDelete: ctx.spec.storage.retainOnDelete }),
    );
}

/** Account encryption with the customer's Key Vault key, through its user-assigned identity. */
function cmkAccountArgs(cmk: AzureCustomerManagedKey | undefined): object {
    const key = cmk ? parseKeyId(cmk.keyId) : undefined;
    if (!cmk || !key) return {};
    return {
        identity: { type: "UserAssigned", userAssignedIdentities: [cmk.userAssignedIdentityId] },
        encryption: {
            keySource: "Microsoft.Keyvault",
            keyVaultProperties: { keyVaultUri: key.vaultUri, keyName: key.name, ...(key.version ? { keyVersion: key.version } : {}) },
            encryptionIdentity: { encryptionUserAssignedIdentity: cmk.userAssignedIdentityId },
            services: { blob: { enabled: true, keyType: "Account" } },
        },
    };
}
