// Workload Identity: a Google service account bound to the pods' Kubernetes ServiceAccount, with access to the bucket only.
import * as pulumi from "@pulumi/pulumi";
import * as serviceaccount from "@pulumi/gcp/serviceaccount";
import * as storage from "@pulumi/gcp/storage";
import type { ManagedObjectStore, ProviderContext, WorkloadIdentity } from "../../components/platform/port";
import { defaultServiceAccountId, workloadPool } from "./shared";

export function createWorkloadIdentity(ctx: ProviderContext, store: ManagedObjectStore | undefined): WorkloadIdentity {
    const g = ctx.spec.gcp!;
    const gsa = new serviceaccount.Account(
        `${ctx.name}-gsa`,
        {
            project: g.project,
            accountId: g.serviceAccountId ?? defaultServiceAccountId(ctx.name),
            displayName: `Open WebUI ${ctx.name}`,
            description: `Workload Identity of ${ctx.namespace}/${ctx.serviceAccountName} (Open WebUI ${ctx.name})`,
        },
        ctx.opts(),
    );

    // Only this one Kubernetes ServiceAccount may act as the GSA.
    new serviceaccount.IAMMember(
        `${ctx.name}-gsa-wi`,
        {
            serviceAccountId: gsa.name,
            role: "roles/iam.workloadIdentityUser",
            member: `serviceAccount:${workloadPool(g)}[${ctx.namespace}/${ctx.serviceAccountName}]`,
        },
        ctx.opts(),
    );

    // Object access on this bucket only; no project-level role.
    if (store) {
        new storage.BucketIAMMember(
            `${ctx.name}-gsa-bucket`,
            {
                bucket: store.bucketName,
                role: "roles/storage.objectAdmin",
                member: pulumi.interpolate`serviceAccount:${gsa.email}`,
            },
            ctx.opts(),
        );
    }

    return {
        serviceAccountAnnotations: { "iam.gke.io/gcp-service-account": gsa.email },
        podLabels: {},
        principal: gsa.email,
        resource: gsa,
    };
}
