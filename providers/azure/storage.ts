// Blob storage for uploads: StorageV2, HTTPS/TLS 1.2 only, no shared keys (Entra only), no public
// blobs, versioning + soft delete, private container, private endpoint by default; diagnostic
// settings and a CanNotDelete lock (hardening.accessLogs, hardening.storageDeletionProtection).
import * as pulumi from "@pulumi/pulumi";
import * as storage from "@pulumi/azure-native/storage";
import * as authorization from "@pulumi/azure-native/authorization";
import type { ManagedObjectStore, ProviderContext } from "../../components/platform/port";
import { SUBNET_ID, compact, parseKeyId, privateEndpoint, shared, stableSuffix } from "./shared";
import type { AzureCustomerManagedKey } from "../../components/platform/azureArgs";
import { diagnosticSetting, present } from "./accessLogs";
import type { ResolvedSpec } from "../../components/spec/spec";
import { isKnown, problem } from "../../components/spec/errors";
import type { Azure } from "../../components/platform/azureArgs";

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

    const account = storageAccount(ctx, usePrivateEndpoint);

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

/** The StorageV2 account: HTTPS/TLS 1.2, Entra only, no public blobs, firewall denying by default. */
function storageAccount(ctx: ProviderContext, usePrivateEndpoint: boolean): storage.StorageAccount {
    const s = shared(ctx);
    const a = s.args;
    return new storage.StorageAccount(
        `${ctx.name}-storage`,
        {
            resourceGroupName: s.resourceGroupName,
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
        ctx.opts({ retainOnDelete: ctx.spec.storage.retainOnDelete }),
    );
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

const STORAGE_SKUS = ["Standard_LRS", "Standard_ZRS", "Standard_GRS", "Standard_GZRS", "Standard_RAGRS", "Standard_RAGZRS"];

/** The Blob storage account and container (storage.mode=managed), and its network rules without a private endpoint. */
export function storageProblems(spec: ResolvedSpec, a: Azure): string[] {
    const p: string[] = [];
    if (a.skus?.storageSkuName !== undefined && !STORAGE_SKUS.includes(a.skus.storageSkuName)) {
        p.push(problem("azure.skus.storageSkuName", a.skus.storageSkuName, `use one of ${STORAGE_SKUS.join(", ")}`));
    }
    const c = spec.storage.bucketName;
    if (isKnown(c) && !/^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(c)) {
        p.push(problem("storage.bucketName", c, "an Azure container name has 3-63 lowercase letters, digits and single hyphens"));
    }
    return [...p, ...storageFirewallProblems(a)];
}

/** Without the private endpoint the account must not be open to every network; with it, no firewall rules. */
function storageFirewallProblems(a: Azure): string[] {
    const p: string[] = [];
    const subnets = a.storageAllowedSubnetIds,
        ranges = a.storageAllowedIpRanges;
    if (a.storagePrivateEndpoint === false) {
        if (!subnets?.length && !ranges?.length) {
            p.push(
                problem(
                    "azure.storagePrivateEndpoint",
                    false,
                    "the storage account would accept every network: also give azure.storageAllowedSubnetIds (the AKS node subnets, with the Microsoft.Storage service endpoint) and/or azure.storageAllowedIpRanges (your NAT egress), or keep the private endpoint",
                ),
            );
        }
        (subnets ?? []).forEach((id, i) => {
            if (isKnown(id) && !SUBNET_ID.test(id))
                p.push(problem(`azure.storageAllowedSubnetIds[${i}]`, id, "use a subnet ARM id .../virtualNetworks/<vnet>/subnets/<subnet>"));
        });
        (ranges ?? []).forEach((r, i) => {
            const m = /^(\d{1,3}(?:\.\d{1,3}){3})(?:\/(\d{1,2}))?$/.exec(String(r));
            if (!m || m[1].split(".").some((o) => Number(o) > 255) || (m[2] !== undefined && (Number(m[2]) < 8 || Number(m[2]) > 30))) {
                p.push(
                    problem(
                        `azure.storageAllowedIpRanges[${i}]`,
                        r,
                        "use a public IPv4 address or a CIDR range from /8 to /30 (Azure storage firewall rules; 0.0.0.0/0 would open the account to everyone)",
                    ),
                );
            }
        });
    } else if (subnets !== undefined || ranges !== undefined) {
        p.push(
            problem(
                subnets !== undefined ? "azure.storageAllowedSubnetIds" : "azure.storageAllowedIpRanges",
                "set",
                "applies only with azure.storagePrivateEndpoint=false (the private endpoint already keeps every public network out): remove it",
            ),
        );
    }
    return p;
}
