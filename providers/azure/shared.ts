// Pieces every Azure resource of one component shares: the resource group, the subscription
// (for role definition ids), private DNS zones linked to the VNet. Built once per component.
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as resources from "@pulumi/azure-native/resources";
import * as authorization from "@pulumi/azure-native/authorization";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as network from "@pulumi/azure-native/network";
import type { ProviderContext } from "../../components/platform/port";
import type { Azure } from "../../components/platform/azureArgs";
import { isKnown, problem } from "../../components/spec/errors";

export interface AzureShared {
    args: Azure;
    resourceGroupName: pulumi.Output<string>;
    location: pulumi.Input<string>;
    subscriptionId: pulumi.Output<string>;
    /** Zone id for a private DNS zone, created and linked to the VNet once per zone name unless `existingId` is given. */
    privateZone(role: string, zoneName: string, existingId: pulumi.Input<string> | undefined): { id: pulumi.Input<string>; dependsOn: pulumi.Resource[] };
}

const cache = new WeakMap<pulumi.ComponentResource, AzureShared>();

/** Lowercase alphanumerics of the component name (for globally unique Azure names). */
export function compact(name: string, max: number): string {
    return name
        .toLowerCase()
        .replace(/[^a-z0-9]/g, "")
        .slice(0, max);
}

/** Lowercase DNS label of the component name. */
export function dnsLabel(name: string): string {
    return (
        name
            .toLowerCase()
            .replace(/[^a-z0-9-]/g, "-")
            .replace(/^-+|-+$/g, "")
            .replace(/-+/g, "-")
            .slice(0, 40) || "openwebui"
    );
}

/** Stable 10-hex-digit hash of project/stack/component: unique enough for global names, stable across runs. */
export function stableSuffix(name: string): string {
    return crypto.createHash("sha256").update(`${pulumi.getProject()}/${pulumi.getStack()}/${name}`).digest("hex").slice(0, 10);
}

export function shared(ctx: ProviderContext): AzureShared {
    const existing = cache.get(ctx.parent);
    if (existing) return existing;
    const args = ctx.spec.azure as Azure;
    let resourceGroupName: pulumi.Output<string>;
    if (args.createResourceGroup) {
        const rg = new resources.ResourceGroup(
            `${ctx.name}-rg`,
            {
                resourceGroupName: args.resourceGroupName,
                location: args.location,
                tags: ctx.tags,
            },
            ctx.opts(),
        );
        resourceGroupName = rg.name;
    } else {
        resourceGroupName = pulumi.output(args.resourceGroupName);
    }
    const subscriptionId = authorization.getClientConfigOutput({ parent: ctx.parent }).subscriptionId;
    const zones = new Map<string, { id: pulumi.Input<string>; dependsOn: pulumi.Resource[] }>();
    const s: AzureShared = {
        args,
        resourceGroupName,
        location: args.location,
        subscriptionId,
        privateZone(role, zoneName, existingId) {
            if (existingId !== undefined) return { id: existingId, dependsOn: [] };
            const known = zones.get(zoneName);
            if (known) return known;
            const zone = new privatedns.PrivateZone(
                `${ctx.name}-${role}-dns`,
                {
                    resourceGroupName,
                    privateZoneName: zoneName,
                    location: "global",
                    tags: ctx.tags,
                },
                ctx.opts(),
            );
            const link = new privatedns.VirtualNetworkLink(
                `${ctx.name}-${role}-dns-link`,
                {
                    resourceGroupName,
                    privateZoneName: zoneName,
                    location: "global",
                    registrationEnabled: false,
                    virtualNetwork: { id: args.vnetId },
                    tags: ctx.tags,
                },
                ctx.opts({ dependsOn: [zone] }),
            );
            const out = { id: zone.id, dependsOn: [zone, link] as pulumi.Resource[] };
            zones.set(zoneName, out);
            return out;
        },
    };
    cache.set(ctx.parent, s);
    return s;
}

/**
 * A private endpoint in `azure.privateEndpointSubnetId` to `targetId` (group `groupId`), registered
 * in `zoneName` (created and linked unless `existingZoneId`).
 */
export function privateEndpoint(
    ctx: ProviderContext,
    role: string,
    targetId: pulumi.Input<string>,
    groupId: string,
    zoneName: string,
    existingZoneId: pulumi.Input<string> | undefined,
    dependsOn: pulumi.Resource[],
): { endpoint: network.PrivateEndpoint; zoneGroup: network.PrivateDnsZoneGroup } {
    const s = shared(ctx);
    const zone = s.privateZone(role, zoneName, existingZoneId);
    const endpoint = new network.PrivateEndpoint(
        `${ctx.name}-${role}-pe`,
        {
            resourceGroupName: s.resourceGroupName,
            location: s.location,
            subnet: { id: s.args.privateEndpointSubnetId },
            privateLinkServiceConnections: [
                {
                    name: `${dnsLabel(ctx.name)}-${role}`,
                    privateLinkServiceId: targetId,
                    groupIds: [groupId],
                },
            ],
            tags: ctx.tags,
        },
        ctx.opts({ dependsOn }),
    );
    const zoneGroup = new network.PrivateDnsZoneGroup(
        `${ctx.name}-${role}-pe-dns`,
        {
            resourceGroupName: s.resourceGroupName,
            privateEndpointName: endpoint.name,
            privateDnsZoneGroupName: "default",
            privateDnsZoneConfigs: [{ name: zoneName.replace(/\./g, "-"), privateDnsZoneId: zone.id }],
        },
        ctx.opts({ dependsOn: zone.dependsOn }),
    );
    return { endpoint, zoneGroup };
}

/** Parses `/subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>`. */
export const VNET_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+)$/i;
export const SUBNET_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;

/** The parts of a Key Vault key URI (`https://<vault>.vault.azure.net/keys/<name>[/<version>]`), or undefined. */
export function parseKeyId(keyId: unknown): { vaultUri: string; name: string; version?: string } | undefined {
    const m =
        typeof keyId === "string" ? /^(https:\/\/[a-z0-9-]+\.vault\.azure\.(?:net|cn|us))\/keys\/([A-Za-z0-9-]+)(?:\/([A-Za-z0-9]+))?\/?$/.exec(keyId) : null;
    return m ? { vaultUri: `${m[1]}/`, name: m[2], version: m[3] } : undefined;
}

/** An unset required field: undefined, null or "". */
export function missing(v: unknown): boolean {
    return v === undefined || v === null || v === "";
}

/** azure.privateEndpointSubnetId: present when Redis or Blob needs a private endpoint, and a subnet ARM id. */
export function privateEndpointProblems(a: Azure, redisManaged: boolean, storageManaged: boolean): string[] {
    const p: string[] = [];
    const needsPe = redisManaged || (storageManaged && (a.storagePrivateEndpoint ?? true));
    if (needsPe && missing(a.privateEndpointSubnetId)) {
        p.push(
            problem("azure.privateEndpointSubnetId", a.privateEndpointSubnetId, "give the ARM id of a subnet in the VNet for private endpoints (Redis, Blob)"),
        );
    } else if (isKnown(a.privateEndpointSubnetId) && !SUBNET_ID.test(a.privateEndpointSubnetId)) {
        p.push(problem("azure.privateEndpointSubnetId", a.privateEndpointSubnetId, "use a subnet ARM id .../virtualNetworks/<vnet>/subnets/<subnet>"));
    }
    return p;
}

/** azure.customerManagedKey: a Key Vault key URI and a user-assigned identity's ARM id. */
export function cmkProblems(cmk: Azure["customerManagedKey"]): string[] {
    if (cmk === undefined) return [];
    const out: string[] = [];
    if (!parseKeyId(cmk?.keyId))
        out.push(problem("azure.customerManagedKey.keyId", cmk?.keyId, "use a Key Vault key URI: https://<vault>.vault.azure.net/keys/<name>[/<version>]"));
    if (
        !/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+$/i.test(
            String(cmk?.userAssignedIdentityId),
        )
    ) {
        out.push(
            problem(
                "azure.customerManagedKey.userAssignedIdentityId",
                cmk?.userAssignedIdentityId,
                "use the ARM id of a user-assigned managed identity (/subscriptions/<s>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>)",
            ),
        );
    }
    return out;
}
