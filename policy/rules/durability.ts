// Durability rules: the database protected from deletion on every cloud.
import { TYPES, isUnknown, raw, get, isTrueOrUnknown, stackRule, type Json } from "./shape";
import { dependsOn } from "./workloads";

// ---- Durability ------------------------------------------------------------------------------

function lockLevelOk(level: unknown): boolean {
    return level === "CanNotDelete" || level === "ReadOnly" || isUnknown(level);
}

export const databaseDeletionProtection = stackRule({
    name: "database-deletion-protection",
    description:
        "The Open WebUI database must be protected from deletion: RDS/Aurora deletionProtection, Cloud SQL deletionProtection/settings.deletionProtectionEnabled, a CanNotDelete management lock on the Azure PostgreSQL server.",
    remediation:
        "AWS: deletionProtection=true. GCP: keep deletionProtection (default true) and set settings.deletionProtectionEnabled=true. Azure: add a ManagementLockByScope (level CanNotDelete) scoped to the server.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["durability"],
    validateStack: (args, report) => {
        const locks = args.resources.filter(
            (r) => r.type === TYPES.lockByScope || r.type === TYPES.lockAtResourceLevel || r.type === TYPES.lockAtResourceGroupLevel,
        );
        for (const r of args.resources) {
            const p = raw(r.props);
            switch (r.type) {
                case TYPES.rdsCluster:
                case TYPES.rdsInstance:
                    if (!isTrueOrUnknown(p.deletionProtection))
                        report(
                            `${r.type === TYPES.rdsCluster ? "RDS cluster" : "RDS instance"} '${r.name}' has deletionProtection=${p.deletionProtection}.`,
                            r.urn,
                        );
                    break;
                case TYPES.sqlInstance: {
                    const inGcp = get(p, "settings", "deletionProtectionEnabled");
                    if (p.deletionProtection === false && inGcp !== true && !isUnknown(inGcp))
                        report(`Cloud SQL instance '${r.name}' has deletionProtection=false and settings.deletionProtectionEnabled=${inGcp}.`, r.urn);
                    break;
                }
                case TYPES.pgFlexibleServer: {
                    const serverName = p.serverName;
                    const rg = p.resourceGroupName;
                    const locked = locks.some((l) => {
                        const lp = raw(l.props);
                        if (!lockLevelOk(lp.level)) return false;
                        if (dependsOn(l, r) && l.type !== TYPES.lockAtResourceGroupLevel) return true;
                        if (l.type === TYPES.lockByScope)
                            return (
                                typeof lp.scope === "string" &&
                                typeof serverName === "string" &&
                                /flexibleServers\//i.test(lp.scope) &&
                                lp.scope.toLowerCase().endsWith(`/${serverName.toLowerCase()}`)
                            );
                        if (l.type === TYPES.lockAtResourceLevel)
                            return lp.resourceName === serverName && serverName !== undefined && /flexibleServers/i.test(String(lp.resourceType));
                        return typeof rg === "string" && lp.resourceGroupName === rg;
                    });
                    if (!locked) report(`Azure PostgreSQL server '${r.name}' has no CanNotDelete management lock in the stack.`, r.urn);
                    break;
                }
            }
        }
    },
});

// ---------------------------------------------------------------------------------------------

/** The CloudNativePG `Cluster` kind (`database.mode: inClusterHa`). */
const CNPG_CLUSTER = "kubernetes:postgresql.cnpg.io/v1:Cluster";

export const cnpgDurability = stackRule({
    name: "cnpg-cluster-durability",
    description:
        "A CloudNativePG Cluster holding Open WebUI's data keeps its PodDisruptionBudgets (enablePDB), runs 2+ instances, replicates synchronously (postgresql.synchronous) and backs up to an object store (spec.backup or a Barman Cloud plugin).",
    remediation:
        "Set database.backup (s3:// destination and a credentials Secret) for backups; keep enablePDB true, database.instances >= 2 and database.synchronousReplicas >= 1 (the component's defaults).",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["durability", "ha"],
    validateStack: (args, report) => {
        for (const r of args.resources.filter((x) => x.type === CNPG_CLUSTER)) {
            const spec = raw(r.props).spec ?? {};
            if (spec.enablePDB === false) report(`CloudNativePG Cluster '${r.name}' has enablePDB=false: a node drain may take every instance at once.`, r.urn);
            if (typeof spec.instances === "number" && spec.instances < 2)
                report(`CloudNativePG Cluster '${r.name}' runs ${spec.instances} instance: no failover.`, r.urn);
            const sync = get(spec, "postgresql", "synchronous");
            if (!isUnknown(sync) && typeof spec.instances === "number" && spec.instances >= 2 && !(Number(get(sync, "number")) > 0))
                report(
                    `CloudNativePG Cluster '${r.name}' replicates asynchronously (no postgresql.synchronous): a failover can lose acknowledged writes.`,
                    r.urn,
                );
            const plugins = Array.isArray(spec.plugins) && spec.plugins.some((p: Json) => /barman/i.test(String(p?.name)));
            if (spec.backup === undefined && !plugins && !isUnknown(spec.backup))
                report(`CloudNativePG Cluster '${r.name}' has no backups (no spec.backup, no Barman Cloud plugin): losing the volumes loses the data.`, r.urn);
        }
    },
});
