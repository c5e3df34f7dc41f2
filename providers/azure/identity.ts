// AKS Workload Identity: a user-assigned managed identity trusted for exactly one Kubernetes
// ServiceAccount, allowed to read/write blobs in the Open WebUI container only.
import * as pulumi from "@pulumi/pulumi";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as authorization from "@pulumi/azure-native/authorization";
import type { ManagedObjectStore, ProviderContext, WorkloadIdentity } from "../../components/platform/port";
import { shared } from "./shared";
import { containerScopes } from "./storage";

/** Built-in role "Storage Blob Data Contributor". */
export const STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
export const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

export function createWorkloadIdentity(ctx: ProviderContext, store: ManagedObjectStore | undefined): WorkloadIdentity {
    const s = shared(ctx);
    const rg = s.resourceGroupName;

    const identity = new managedidentity.UserAssignedIdentity(
        `${ctx.name}-identity`,
        {
            resourceGroupName: rg,
            location: s.location,
            tags: ctx.tags,
        },
        ctx.opts(),
    );

    const federation = new managedidentity.FederatedIdentityCredential(
        `${ctx.name}-federated-credential`,
        {
            resourceGroupName: rg,
            resourceName: identity.name,
            issuer: s.args.aksOidcIssuerUrl,
            subject: `system:serviceaccount:${ctx.namespace}:${ctx.serviceAccountName}`,
            audiences: [TOKEN_EXCHANGE_AUDIENCE],
        },
        ctx.opts(),
    );

    const scope = store ? containerScopes.get(store) : undefined;
    const grants: pulumi.Output<string>[] = [federation.id];
    if (scope) {
        const role = new authorization.RoleAssignment(
            `${ctx.name}-blob-data-contributor`,
            {
                principalId: identity.principalId,
                principalType: "ServicePrincipal",
                roleDefinitionId: pulumi.interpolate`/subscriptions/${s.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${STORAGE_BLOB_DATA_CONTRIBUTOR}`,
                scope,
                description: "Open WebUI uploads (Workload Identity)",
            },
            ctx.opts(),
        );
        grants.push(role.id);
    }
    // The ServiceAccount (and so the pods) waits for the federation and the role assignment.
    const clientId = pulumi.all([identity.clientId, ...grants]).apply(([id]) => id);

    return {
        serviceAccountAnnotations: { "azure.workload.identity/client-id": clientId },
        podLabels: { "azure.workload.identity/use": "true" },
        principal: identity.clientId,
        resource: identity,
    };
}
