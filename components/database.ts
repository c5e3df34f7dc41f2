// Database bootstrap: one Job, run as the server's administrative user, that gives Open WebUI
// a dedicated non-superuser role owning its database, and creates the pgvector extension
// with the privileges it needs (on RDS/Aurora `vector` is not a trusted extension; on
// Azure it must be allow-listed first; on Cloud SQL only cloudsqlsuperuser may create it).
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { restrictedContainerSecurity, restrictedPodSecurity } from "./security";
import { ResolvedKnobs, withPodKnobs } from "./podKnobs";
import { DB_CA_DIR, DB_CA_FILE } from "./trust";

/** Name of the application role the bootstrap creates. */
export const APP_DB_USER = "openwebui_app";
/** psql client image for the bootstrap Job (psql >= 15 for \getenv). */
export { PSQL_IMAGE } from "./images";

/**
 * Idempotent: safe to re-run on every change. Variables come from the environment
 * (\getenv), never from the command line. ON_ERROR_STOP makes any failure fail the Job.
 */
export const BOOTSTRAP_SQL = `\\set ON_ERROR_STOP on
\\getenv app_user APP_DB_USER
\\getenv app_password APP_DB_PASSWORD
\\getenv iam_auth APP_DB_IAM_AUTH
SELECT format('CREATE ROLE %I LOGIN', :'app_user')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user') \\gexec
-- Only a superuser may even mention the SUPERUSER attribute (managed admins are not superusers):
-- demote only when we can; a role a non-superuser created is never a superuser.
SELECT format('ALTER ROLE %I WITH NOSUPERUSER', :'app_user')
  WHERE (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) \\gexec
SELECT format('ALTER ROLE %I WITH LOGIN NOCREATEDB NOCREATEROLE PASSWORD %L', :'app_user', :'app_password')
  WHERE :'iam_auth' <> 'true' \\gexec
SELECT format('ALTER ROLE %I WITH LOGIN NOCREATEDB NOCREATEROLE PASSWORD NULL', :'app_user')
  WHERE :'iam_auth' = 'true' \\gexec
SELECT format('GRANT rds_iam TO %I', :'app_user') WHERE :'iam_auth' = 'true' \\gexec
-- Managed admins are not superusers: become a member so ownership can be handed over.
-- PostgreSQL >= 16 needs the SET option for that (ALTER ... OWNER: "must be able to SET ROLE"),
-- which the implicit grant to a CREATEROLE creator lacks (ADMIN only); a plain GRANT adds it.
SELECT format('GRANT %I TO %I', :'app_user', current_user)
  WHERE NOT pg_has_role(current_user, :'app_user',
    CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'SET' ELSE 'MEMBER' END) \\gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', current_database(), :'app_user') \\gexec
SELECT format('ALTER SCHEMA public OWNER TO %I', :'app_user')
  WHERE (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'public') <> 'pg_database_owner' \\gexec
CREATE EXTENSION IF NOT EXISTS vector;
SELECT extversion AS pgvector_version FROM pg_extension WHERE extname = 'vector';
`;

export interface BootstrapArgs {
    namespace: pulumi.Input<string>;
    labels: { [key: string]: string };
    /** Secret holding PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE, APP_DB_PASSWORD. */
    adminSecretName: pulumi.Input<string>;
    iamAuth: boolean;
    timeoutMinutes: number;
    dependsOn: pulumi.Input<pulumi.Resource>[];
    /** psql image (override or pinned default). */
    image: string;
    /** Pod knobs of `workloads.dbBootstrap`. */
    knobs: ResolvedKnobs;
    /** ConfigMap with the server's CA (`ca.crt`): psql verifies the server with it (PGSSLROOTCERT). */
    caConfigMapName?: pulumi.Input<string>;
}

/** Creates the ConfigMap with the SQL and the bootstrap Job (awaited by Pulumi until Complete). */
export function createBootstrapJob(name: string, args: BootstrapArgs, opts: pulumi.CustomResourceOptions): k8s.batch.v1.Job {
    const labels = { ...args.labels, "app.kubernetes.io/component": "db-bootstrap" };
    const sql = new k8s.core.v1.ConfigMap(
        `${name}-db-bootstrap`,
        { metadata: { name: `${name}-db-bootstrap`, namespace: args.namespace, labels }, data: { "bootstrap.sql": BOOTSTRAP_SQL } },
        opts,
    );
    return new k8s.batch.v1.Job(
        `${name}-db-bootstrap`,
        {
            metadata: { name: `${name}-db-bootstrap`, namespace: args.namespace, labels },
            spec: {
                backoffLimit: 6,
                activeDeadlineSeconds: args.timeoutMinutes * 60,
                template: withPodKnobs({
                    metadata: { labels },
                    spec: {
                        restartPolicy: "OnFailure",
                        automountServiceAccountToken: false,
                        securityContext: restrictedPodSecurity(70),
                        containers: [
                            {
                                name: "psql",
                                image: args.image,
                                command: ["psql", "--no-psqlrc", "-f", "/sql/bootstrap.sql"],
                                envFrom: [{ secretRef: { name: args.adminSecretName } }],
                                env: [
                                    { name: "APP_DB_USER", value: APP_DB_USER },
                                    { name: "APP_DB_IAM_AUTH", value: String(args.iamAuth) },
                                    { name: "PGCONNECT_TIMEOUT", value: "10" },
                                    ...(args.caConfigMapName !== undefined ? [{ name: "PGSSLROOTCERT", value: DB_CA_FILE }] : []),
                                ],
                                volumeMounts: [{ name: "sql", mountPath: "/sql", readOnly: true }, ...(args.caConfigMapName !== undefined ? [{ name: "db-ca", mountPath: DB_CA_DIR, readOnly: true }] : [])],
                                securityContext: restrictedContainerSecurity(),
                                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
                            },
                        ],
                        volumes: [
                            { name: "sql", configMap: { name: sql.metadata.name } },
                            ...(args.caConfigMapName !== undefined ? [{ name: "db-ca", configMap: { name: args.caConfigMapName, items: [{ key: "ca.crt", path: "ca.crt" }] } }] : []),
                        ],
                    },
                }, args.knobs, { main: ["psql"], selector: { "app.kubernetes.io/instance": args.labels["app.kubernetes.io/instance"], "app.kubernetes.io/component": "db-bootstrap" } }),
            },
        },
        // Jobs are immutable: any change replaces it (same name, so delete first) and re-runs the idempotent SQL.
        { ...opts, dependsOn: args.dependsOn, deleteBeforeReplace: true, replaceOnChanges: ["spec"], customTimeouts: { create: `${args.timeoutMinutes}m`, update: `${args.timeoutMinutes}m` } },
    );
}

/** `postgresql://user:pass@host:port/db?sslmode=...[&sslrootcert=...]` with the user and password URL-encoded. */
export function postgresUrl(u: { user: pulumi.Input<string>; password?: pulumi.Input<string>; host: pulumi.Input<string>; port: pulumi.Input<number>; database: pulumi.Input<string>; sslMode?: string; sslRootCert?: string }): pulumi.Output<string> {
    return pulumi.secret(
        pulumi.all([u.user, u.password, u.host, u.port, u.database]).apply(([user, pw, host, port, db]) => {
            const auth = pw ? `${encodeURIComponent(user)}:${encodeURIComponent(pw)}` : encodeURIComponent(user);
            const query = [...(u.sslMode ? [`sslmode=${u.sslMode}`] : []), ...(u.sslRootCert ? [`sslrootcert=${u.sslRootCert}`] : [])].join("&");
            return `postgresql://${auth}@${host}:${port}/${db}${query ? `?${query}` : ""}`;
        }),
    );
}
