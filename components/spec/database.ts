// `database`: the Postgres Open WebUI keeps its data (and, with pgvector, its vectors) in: the
// mode (managed, in-cluster, external), its settings with their defaults, and their checks. The
// pools are sized later, once the server's max_connections is known (size.ts `planPools`).
import { checkUrl } from "./addresses";
import { DEFAULTS, defaulted } from "./defaults";
import { isKnown, problem } from "./errors";
import { CNPG_MAX_CONNECTIONS, IN_CLUSTER_MAX_CONNECTIONS } from "./sizing";
import { checkMode } from "./specChecks";
import type { ResolvedDatabase } from "./specTypes";
import { Database, OpenWebUiClusterArgs, ServiceMode } from "../args/types";

/** `max_connections` the component knows for a mode (0: the managed server's, looked up later; external: given). */
function knownMaxConnections(mode: ServiceMode): number {
    return mode === ServiceMode.InCluster ? IN_CLUSTER_MAX_CONNECTIONS : mode === ServiceMode.InClusterHa ? CNPG_MAX_CONNECTIONS : 0;
}

/** `database`, defaulted (`defaultMode`: the target's data tier) and checked. */
export function resolveDatabase(a: OpenWebUiClusterArgs, defaultMode: ServiceMode, cloud: boolean, problems: string[]): ResolvedDatabase {
    const d = a.database;
    const dbMode = d?.mode ?? defaultMode;
    checkMode("database.mode", dbMode, cloud, problems);
    const db: ResolvedDatabase = {
        mode: dbMode,
        name: d?.name ?? DEFAULTS["database.name"].value,
        version: d?.version ?? DEFAULTS["database.version"].value,
        url: d?.url,
        urlSecret: d?.urlSecret,
        maxConnections: d?.maxConnections ?? knownMaxConnections(dbMode),
        budgetFraction: d?.connectionBudgetFraction ?? DEFAULTS["database.connectionBudgetFraction"].value,
        poolSize: d?.poolSize,
        poolMaxOverflow: d?.poolMaxOverflow,
        createVectorExtension: d?.createVectorExtension,
        ...defaulted(d, "database", [
            "iamAuth",
            "verifyServerCertificate",
            "deletionProtection",
            "backupRetentionDays",
            "highAvailability",
            "storageGb",
            "instances",
            "synchronousReplicas",
        ]),
        backup: d?.backup,
        ...defaulted(d, "database", ["connectTimeoutSeconds", "tcpUserTimeoutSeconds"]),
    };
    checkDatabase(d, db, problems);
    return db;
}

export function checkDatabase(args: Database | undefined, db: ResolvedDatabase, problems: string[]): void {
    if (db.mode === ServiceMode.External) {
        if ((db.url === undefined) === (db.urlSecret === undefined)) {
            problems.push(
                problem(
                    "database.url/urlSecret",
                    db.url === undefined ? undefined : "both set",
                    "external Postgres needs exactly one of database.url or database.urlSecret",
                ),
            );
        }
        if (!args?.maxConnections) {
            problems.push(
                problem(
                    "database.maxConnections",
                    args?.maxConnections,
                    "external Postgres needs its max_connections (SHOW max_connections) so the pools can be sized under it",
                ),
            );
        }
        if (isKnown(db.url) && !/^postgres(ql)?:\/\//.test(db.url)) {
            problems.push(
                problem(
                    "database.url",
                    db.url.replace(/\/\/[^@]*@/, "//***@"),
                    "use a postgresql:// URL (the app derives its async driver itself; do not use postgresql+asyncpg:// or sqlite)",
                ),
            );
        } else {
            checkUrl(problems, "database.url", db.url, {
                schemes: ["postgresql", "postgres"],
                fix: "use a postgresql://user:password@host:5432/database URL with a host (percent-encode @ : / in the password)",
            });
        }
        if (db.iamAuth) problems.push(problem("database.iamAuth", true, "IAM token auth applies to the managed AWS database only"));
    } else if (db.url !== undefined || db.urlSecret !== undefined) {
        problems.push(problem("database.url", "set", `database.url/urlSecret apply to mode external only (mode is ${db.mode})`));
    }
    if (args?.maxConnections !== undefined && (!Number.isInteger(args.maxConnections) || args.maxConnections < 20)) {
        problems.push(problem("database.maxConnections", args.maxConnections, "use the server's max_connections (a whole number >= 20)"));
    }
    if (!(db.budgetFraction > 0 && db.budgetFraction <= 0.95)) {
        problems.push(
            problem(
                "database.connectionBudgetFraction",
                db.budgetFraction,
                "use a fraction above 0 and at most 0.95 (leave room for admin and replication connections)",
            ),
        );
    }
    if (db.poolSize !== undefined && (!Number.isInteger(db.poolSize) || db.poolSize < 1)) {
        problems.push(problem("database.poolSize", db.poolSize, "use a whole number >= 1, or omit it to compute it from max_connections"));
    }
    if (db.poolMaxOverflow !== undefined && (!Number.isInteger(db.poolMaxOverflow) || db.poolMaxOverflow < 0)) {
        problems.push(problem("database.poolMaxOverflow", db.poolMaxOverflow, "use a whole number >= 0"));
    }
    if (!/^(1[3-9])$/.test(db.version)) {
        problems.push(problem("database.version", db.version, "use a Postgres major version from 13 to 19 with pgvector support (default 16)"));
    }
    if (!Number.isInteger(db.backupRetentionDays) || db.backupRetentionDays < 1 || db.backupRetentionDays > 35) {
        problems.push(problem("database.backupRetentionDays", db.backupRetentionDays, "use 1 to 35 days (the managed services' range)"));
    }
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(db.name)) {
        problems.push(problem("database.name", db.name, "use a lowercase identifier: letters, digits, '_' (max 63)"));
    }
    if (!Number.isInteger(db.connectTimeoutSeconds) || db.connectTimeoutSeconds < 2 || db.connectTimeoutSeconds > 300) {
        problems.push(
            problem("database.connectTimeoutSeconds", db.connectTimeoutSeconds, "use whole seconds from 2 to 300 (libpq treats 1 as 2; 0 would wait forever)"),
        );
    }
    if (!Number.isInteger(db.tcpUserTimeoutSeconds) || db.tcpUserTimeoutSeconds < 5 || db.tcpUserTimeoutSeconds > 600) {
        problems.push(
            problem("database.tcpUserTimeoutSeconds", db.tcpUserTimeoutSeconds, "use whole seconds from 5 to 600 (below 5 a busy server looks dead)"),
        );
    }
}
