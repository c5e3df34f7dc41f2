// Whether each data service is highly available, and why not: one pure summary from the spec,
// written as an annotation on the app Secret (`openwebui.io/data-tier`) so `openwebui plan`
// (cli/render.ts) can print it for every mode, and annotations on the HA objects themselves.
import { CloudTarget, ServiceMode } from "../args/enums";
import type { ResolvedSpec } from "../spec/specTypes";

/** Annotation on the app Secret holding the summary (JSON of `DataServiceAvailability[]`). */
export const DATA_TIER_ANNOTATION = "openwebui.io/data-tier";

export interface DataServiceAvailability {
    service: "database" | "redis" | "storage";
    mode: string;
    /** true: HA; false: not HA (see `detail`); null: external, as available as what you bring. */
    ha: boolean | null;
    detail: string;
}

/** Annotations of an object that makes a data service HA. */
export const HA_ANNOTATIONS = {
    database: (detail: string) => ({ "openwebui.io/data-service": "database", "openwebui.io/highly-available": "true", "openwebui.io/ha-detail": detail }),
    redis: (detail: string) => ({ "openwebui.io/data-service": "redis", "openwebui.io/highly-available": "true", "openwebui.io/ha-detail": detail }),
    storage: (detail: string) => ({ "openwebui.io/data-service": "storage", "openwebui.io/highly-available": "true", "openwebui.io/ha-detail": detail }),
};

const SINGLE = "a single-instance StatefulSet (inCluster): a node loss stops it until the pod is rescheduled and its volume re-attached; use inClusterHa";

function managed(s: ResolvedSpec, what: "database" | "redis"): DataServiceAvailability {
    const ha = s[what].highAvailability;
    const cloud = { [CloudTarget.Aws]: "AWS", [CloudTarget.Gcp]: "GCP", [CloudTarget.Azure]: "Azure", [CloudTarget.Kubernetes]: "" }[s.target];
    return {
        service: what,
        mode: ServiceMode.Managed,
        ha,
        detail: ha ? `${cloud} managed, highly available` : `${cloud} managed with ${what}.highAvailability false: set it true`,
    };
}

const external = (service: DataServiceAvailability["service"]): DataServiceAvailability => ({
    service,
    mode: ServiceMode.External,
    ha: null,
    detail: "external: as available as the service you bring",
});

/** The availability of the database, Redis and storage of a resolved spec. */
export function dataTierAvailability(s: ResolvedSpec): DataServiceAvailability[] {
    const out: DataServiceAvailability[] = [];
    const db = s.database.mode;
    if (db === ServiceMode.Managed) out.push(managed(s, "database"));
    else if (db === ServiceMode.External) out.push(external("database"));
    else if (db === ServiceMode.InClusterHa)
        out.push({
            service: "database",
            mode: db,
            ha: true,
            detail: `CloudNativePG Cluster, ${s.database.instances} instances, automatic failover${s.database.backup ? ", daily backups to S3" : "; no backups (set database.backup)"}`,
        });
    else out.push({ service: "database", mode: db, ha: false, detail: `Postgres is ${SINGLE}` });
    const r = s.redis.mode;
    if (r === ServiceMode.Managed) out.push(managed(s, "redis"));
    else if (r === ServiceMode.External) out.push(external("redis"));
    else if (r === ServiceMode.InClusterHa)
        out.push({ service: "redis", mode: r, ha: true, detail: "Valkey 1 primary + 2 replicas, 3 Sentinels, automatic failover" });
    else out.push({ service: "redis", mode: r, ha: false, detail: `Valkey is ${SINGLE}` });
    const st = s.storage.mode;
    if (st === ServiceMode.Managed) out.push({ service: "storage", mode: st, ha: true, detail: "the cloud's object storage" });
    else if (st === ServiceMode.External) out.push(external("storage"));
    else if (st === ServiceMode.SharedVolume)
        out.push({
            service: "storage",
            mode: st,
            ha: true,
            detail: `one ReadWriteMany volume on every replica (class ${s.storage.storageClassName ?? "cluster default"}): as available as that class`,
        });
    else out.push({ service: "storage", mode: st, ha: false, detail: `SeaweedFS is ${SINGLE.replace("; use inClusterHa", "; use sharedVolume or external")}` });
    return out;
}
