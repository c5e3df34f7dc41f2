// Helpers every gcp file uses: names, labels, maintenance window, and the private services
// access range + peering that Cloud SQL and Memorystore share (created once per component).
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/gcp/compute";
import * as servicenetworking from "@pulumi/gcp/servicenetworking";
import type { ResolvedSpec } from "../../components/spec/spec";
import type { ProviderContext } from "../../components/platform/port";
import type { Gcp } from "../../components/platform/gcpArgs";

export function isPlain(v: unknown): v is string {
    return typeof v === "string";
}

/** Lowercase RFC 1035-ish slug for names derived from the component name. */
export function slug(s: string, max: number): string {
    const out = s
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/^[^a-z]+/, "")
        .slice(0, max)
        .replace(/-+$/, "");
    return out || "owui";
}

/** GCP labels: lowercase keys/values of [a-z0-9_-], keys start with a letter, 63 characters max. */
export function gcpLabels(tags: { [key: string]: string }): { [key: string]: string } {
    const out: { [key: string]: string } = {};
    for (const [k, v] of Object.entries(tags)) {
        let key = k
            .toLowerCase()
            .replace(/[^a-z0-9_-]/g, "_")
            .slice(0, 63);
        if (!/^[a-z]/.test(key)) key = `l_${key}`.slice(0, 63);
        out[key] = String(v)
            .toLowerCase()
            .replace(/[^a-z0-9_-]/g, "_")
            .slice(0, 63);
    }
    return out;
}

/** Default Google service account id: `owui-<name>-<hash of project/stack/name>` (6..30 chars). */
export function defaultServiceAccountId(name: string): string {
    const hash = crypto.createHash("sha256").update(`${pulumi.getProject()}/${pulumi.getStack()}/${name}`).digest("hex").slice(0, 6);
    return `owui-${slug(name, 18)}-${hash}`;
}

export function workloadPool(g: Gcp): string {
    return g.workloadIdentityPool ?? `${g.project}.svc.id.goog`;
}

export function maintenance(g: Gcp): { day: number; hour: number } {
    return { day: g.maintenanceWindow?.day ?? 7, hour: g.maintenanceWindow?.hour ?? 3 };
}

export function redisTier(spec: ResolvedSpec): string {
    return spec.gcp?.redisTier ?? (spec.redis.highAvailability ? "STANDARD_HA" : "BASIC");
}

export function k8sLabels(ctx: ProviderContext): { [key: string]: string } {
    return {
        "app.kubernetes.io/name": "open-webui",
        "app.kubernetes.io/instance": ctx.name,
        "app.kubernetes.io/managed-by": "pulumi",
        ...ctx.spec.labels,
    };
}

/** Private services access (range + servicenetworking connection), shared by Cloud SQL and Memorystore. */
export interface Psa {
    /** Name of the allocated range. */
    rangeName: pulumi.Input<string>;
    /** Resources that must exist before a private-IP service is created. */
    dependsOn: pulumi.Resource[];
}

const psaByComponent = new WeakMap<pulumi.ComponentResource, Psa>();

export function privateServiceAccess(ctx: ProviderContext): Psa {
    const existing = psaByComponent.get(ctx.parent);
    if (existing) return existing;
    const g = ctx.spec.gcp!;
    let psa: Psa;
    if (g.privateServiceAccessRange !== undefined) {
        psa = { rangeName: g.privateServiceAccessRange, dependsOn: [] };
    } else {
        const range = new compute.GlobalAddress(
            `${ctx.name}-psa-range`,
            {
                project: g.project,
                purpose: "VPC_PEERING",
                addressType: "INTERNAL",
                prefixLength: g.privateServiceAccessPrefixLength ?? 16,
                network: g.network,
                description: `Private services access range for Open WebUI ${ctx.name} (Cloud SQL, Memorystore)`,
                labels: gcpLabels(ctx.tags),
            },
            ctx.opts(),
        );
        // ABANDON: deleting the peering fails while producer services (Cloud SQL keeps a
        // deleted instance's name for days) still use it; the range itself is deleted.
        const connection = new servicenetworking.Connection(
            `${ctx.name}-psa`,
            {
                network: g.network,
                service: "servicenetworking.googleapis.com",
                reservedPeeringRanges: [range.name],
                deletionPolicy: "ABANDON",
            },
            ctx.opts(),
        );
        psa = { rangeName: range.name, dependsOn: [connection] };
    }
    psaByComponent.set(ctx.parent, psa);
    return psa;
}
