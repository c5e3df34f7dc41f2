// Durability rules: the database protected from deletion on every cloud.
import { TYPES, isUnknown, raw, get, isTrueOrUnknown, stackRule } from "./shape";
import { dependsOn } from "./workloads";

// ---- Durability ------------------------------------------------------------------------------

function lockLevelOk(level: any): boolean {
    return level === "CanNotDelete" || level === "ReadOnly" || isUnknown(level);
}

export const databaseDeletionProtection = stackRule({
    name: "database-deletion-protection",
    description: "The Open WebUI database must be protected from deletion: RDS/Aurora deletionProtection, Cloud SQL deletionProtection/settings.deletionProtectionEnabled, a CanNotDelete management lock on the Azure PostgreSQL server.",
    remediation: "AWS: deletionProtection=true. GCP: keep deletionProtection (default true) and set settings.deletionProtectionEnabled=true. Azure: add a ManagementLockByScope (level CanNotDelete) scoped to the server.",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["durability"],
    validateStack: (args, report) => {
        const locks = args.resources.filter((r) => r.type === TYPES.lockByScope || r.type === TYPES.lockAtResourceLevel || r.type === TYPES.lockAtResourceGroupLevel);
        for (const r of args.resources) {
            const p = raw(r.props);
            switch (r.type) {
                case TYPES.rdsCluster:
                case TYPES.rdsInstance:
                    if (!isTrueOrUnknown(p.deletionProtection)) report(`${r.type === TYPES.rdsCluster ? "RDS cluster" : "RDS instance"} '${r.name}' has deletionProtection=${p.deletionProtection}.`, r.urn);
                    break;
                case TYPES.sqlInstance: {
                    const inGcp = get(p, "settings", "deletionProtectionEnabled");
                    if (p.deletionProtection === false && inGcp !== true && !isUnknown(inGcp)) report(`Cloud SQL instance '${r.name}' has deletionProtection=false and settings.deletionProtectionEnabled=${inGcp}.`, r.urn);
                    break;
                }
                case TYPES.pgFlexibleServer: {
                    const serverName = p.serverName;
                    const rg = p.resourceGroupName;
                    const locked = locks.some((l) => {
                        const lp = raw(l.props);
                        if (!lockLevelOk(lp.level)) return false;
                        if (dependsOn(l, r) && l.type !== TYPES.lockAtResourceGroupLevel) return true;
                        if (l.type === TYPES.lockByScope) return typeof lp.scope === "string" && typeof serverName === "string" && /flexibleServers\//i.test(lp.scope) && lp.scope.toLowerCase().endsWith(`/${serverName.toLowerCase()}`);
                        if (l.type === TYPES.lockAtResourceLevel) return lp.resourceName === serverName && serverName !== undefined && /flexibleServers/i.test(String(lp.resourceType));
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
