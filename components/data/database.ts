// Database bootstrap: one Job, run as the server's administrative user, that gives Open WebUI
// a dedicated non-superuser role owning its database, and creates the pgvector extension
// with the privileges it needs (on RDS/Aurora `vector` is not a trusted extension; on
// Azure it must be allow-listed first; on Cloud SQL only cloudsqlsuperuser may create it).
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../kubernetes/security";
import { ResolvedKnobs, withPodKnobs } from "../kubernetes/podKnobs";
import * as random from "@pulumi/random";
import type { ManagedDatabase } from "../platform/port";
import type { AppSecretData, Backend, WiringContext } from "../wiring";
import { inClusterCommon, serviceCredentials } from "./serviceCredentials";
import type { SecretRef } from "../env/env";
import { inClusterPostgres } from "./inCluster";
import { ServiceMode } from "../args/types";
import { hostPortOf } from "../spec/addresses";
import { DB_CA_DIR, DB_CA_FILE } from "../spec/trust";

/** Name of the application role the bootstrap creates. */
export const APP_DB_USER = "openwebui_app";
/** psql client image for the bootstrap Job (psql >= 15 for \getenv). */
export { PSQL_IMAGE } from "../spec/images";

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
    /** libpq connect_timeout of psql (PGCONNECT_TIMEOUT). */
    connectTimeoutSeconds: number;
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
                template: withPodKnobs(
                    {
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
                                        { name: "PGCONNECT_TIMEOUT", value: String(args.connectTimeoutSeconds) },
                                        ...(args.caConfigMapName !== undefined ? [{ name: "PGSSLROOTCERT", value: DB_CA_FILE }] : []),
                                    ],
                                    volumeMounts: [
                                        { name: "sql", mountPath: "/sql", readOnly: true },
                                        ...(args.caConfigMapName !== undefined ? [{ name: "db-ca", mountPath: DB_CA_DIR, readOnly: true }] : []),
                                    ],
                                    securityContext: restrictedContainerSecurity(),
                                    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
                                },
                            ],
                            volumes: [
                                { name: "sql", configMap: { name: sql.metadata.name } },
                                ...(args.caConfigMapName !== undefined
                                    ? [{ name: "db-ca", configMap: { name: args.caConfigMapName, items: [{ key: "ca.crt", path: "ca.crt" }] } }]
                                    : []),
                            ],
                        },
                    },
                    args.knobs,
                    {
                        main: ["psql"],
                        selector: { "app.kubernetes.io/instance": args.labels["app.kubernetes.io/instance"], "app.kubernetes.io/component": "db-bootstrap" },
                    },
                ),
            },
        },
        // Jobs are immutable: any change replaces it (same name, so delete first) and re-runs the idempotent SQL.
        {
            ...opts,
            dependsOn: args.dependsOn,
            deleteBeforeReplace: true,
            replaceOnChanges: ["spec"],
            customTimeouts: { create: `${args.timeoutMinutes}m`, update: `${args.timeoutMinutes}m` },
        },
    );
}

/** Dead-network bounds of every libpq connection the component configures (`database.*Seconds`). */
export interface NetworkTimeouts {
    connectTimeoutSeconds: number;
    tcpUserTimeoutSeconds: number;
}

/**
 * libpq parameters that make a connection fail on a dead network instead of waiting for the
 * kernel's retransmission limit (~15 min): connect_timeout, keepalives on an idle connection
 * (first probe after the user timeout, 3 probes a third of it apart) and tcp_user_timeout (ms:
 * unacknowledged data for that long drops the connection). Both engines and pgvector get them
 * (sync psycopg2, async psycopg 3: both libpq, Open WebUI passes non-SSL query params through).
 */
export function networkTimeoutParams(t: NetworkTimeouts): [string, string][] {
    const u = t.tcpUserTimeoutSeconds;
    return [
        ["connect_timeout", String(t.connectTimeoutSeconds)],
        ["keepalives", "1"],
        ["keepalives_idle", String(u)],
        ["keepalives_interval", String(Math.max(1, Math.round(u / 3)))],
        ["keepalives_count", "3"],
        ["tcp_user_timeout", String(u * 1000)],
    ];
}

/** A user's URL with the timeout parameters it lacks appended (its own values win; the rest untouched). */
export function withNetworkTimeouts(url: string, t: NetworkTimeouts): string {
    let have: Set<string>;
    try {
        have = new Set(new URL(url).searchParams.keys());
    } catch {
        return url; // refused by the spec checks; nothing to add to
    }
    const extra = networkTimeoutParams(t)
        .filter(([k]) => !have.has(k))
        .map(([k, v]) => `${k}=${v}`);
    if (extra.length === 0) return url;
    const hash = url.indexOf("#");
    const [base, fragment] = hash < 0 ? [url, ""] : [url.slice(0, hash), url.slice(hash)];
    const sep = base.includes("?") ? (base.endsWith("?") || base.endsWith("&") ? "" : "&") : "?";
    return `${base}${sep}${extra.join("&")}${fragment}`;
}

/**
 * `postgresql://user:pass@host:port/db?sslmode=...[&sslrootcert=...]&connect_timeout=...&keepalives=1...`
 * with the user and password URL-encoded.
 */
export function postgresUrl(u: {
    user: pulumi.Input<string>;
    password?: pulumi.Input<string>;
    host: pulumi.Input<string>;
    port: pulumi.Input<number>;
    database: pulumi.Input<string>;
    sslMode?: string;
    sslRootCert?: string;
    timeouts?: NetworkTimeouts;
}): pulumi.Output<string> {
    return pulumi.secret(
        pulumi.all([u.user, u.password, u.host, u.port, u.database]).apply(([user, pw, host, port, db]) => {
            const auth = pw ? `${encodeURIComponent(user)}:${encodeURIComponent(pw)}` : encodeURIComponent(user);
            const params: [string, string][] = [
                ...(u.sslMode ? [["sslmode", u.sslMode] as [string, string]] : []),
                ...(u.sslRootCert ? [["sslrootcert", u.sslRootCert] as [string, string]] : []),
                ...(u.timeouts ? networkTimeoutParams(u.timeouts) : []),
            ];
            const query = params.map(([k, v]) => `${k}=${v}`).join("&");
            return `postgresql://${auth}@${host}:${port}/${db}${query ? `?${query}` : ""}`;
        }),
    );
}

/** What the component shares with the code that wires its backing services. */
/** The database as the rest of the component uses it. */
export interface DatabaseWiring {
    /** A user-provided Secret holding the URL; otherwise the URL goes into the app Secret. */
    userDbUrlRef?: SecretRef;
    endpoint: pulumi.Output<string>;
    url: pulumi.Output<string>;
    /** ConfigMap with the managed server's CA, when clients verify it. */
    caConfigMapName?: pulumi.Input<string>;
    /** What must finish before migrations (the bootstrap Job). */
    ready: pulumi.Resource[];
    createVectorExtension: boolean;
    /** The managed server (`database.mode: managed`), for the cloud's alarms. */
    managed?: ManagedDatabase;
}

/** The server's administrative access, which the bootstrap Job uses. */
interface AdminAccess {
    host: pulumi.Input<string>;
    port: number;
    user: pulumi.Input<string>;
    password: pulumi.Input<string>;
    sslMode?: string;
    caCertificate?: pulumi.Input<string>;
    iamAuth: boolean;
    dependsOn: pulumi.Input<pulumi.Resource>[];
}

/** The user's database: its URL (with the network timeouts) in the app Secret, or their Secret by reference. */
function externalDatabase(w: WiringContext, appSecretData: AppSecretData): DatabaseWiring {
    const db = w.spec.database;
    let userDbUrlRef: SecretRef | undefined;
    let url: pulumi.Output<string>;
    if (db.urlSecret) {
        userDbUrlRef = db.urlSecret;
        url = pulumi.secret(pulumi.output("(in an existing Kubernetes Secret)"));
    } else {
        url = pulumi.secret(pulumi.output(db.url!).apply((u) => withNetworkTimeouts(u, db)));
        appSecretData.DATABASE_URL = url;
    }
    return { userDbUrlRef, endpoint: url.apply((u) => hostPortOf(u, 5432)), url, ready: [], createVectorExtension: db.createVectorExtension ?? true };
}

/** One in-cluster Postgres with a generated superuser password (evaluation; not highly available). */
function inClusterDatabase(w: WiringContext, backends: Backend[]): AdminAccess {
    const { name, spec } = w;
    const creds = serviceCredentials(w, "postgres", { superuser: { resource: "postgres-password" } }, (v) => ({ PGPASSWORD: v.superuser }));
    const common = inClusterCommon(w, spec.images.postgres, spec.knobs.postgres, creds.secretName, spec.database.storageGb);
    const pg = inClusterPostgres(name, { ...common, version: spec.database.version, database: spec.database.name }, creds.afterSecret);
    backends.push({ role: "postgres", ports: [5432] });
    return { host: pg.host, port: 5432, user: "postgres", password: creds.values.superuser, iamAuth: false, dependsOn: [pg.statefulSet, pg.service] };
}

/** The Secret the bootstrap Job connects with: the admin's libpq env and the app role's password. */
function adminSecret(w: WiringContext, admin: AdminAccess, appPassword: pulumi.Output<string>): k8s.core.v1.Secret {
    const { name, spec, namespace, labels } = w;
    const stringData = {
        PGHOST: admin.host,
        PGPORT: String(admin.port),
        PGDATABASE: spec.database.name,
        PGUSER: admin.user,
        PGPASSWORD: pulumi.secret(admin.password),
        PGSSLMODE: admin.sslMode ?? "prefer",
        APP_DB_PASSWORD: appPassword,
    };
    const metadata = { name: `${name}-db-admin`, namespace, labels: { ...labels, "app.kubernetes.io/component": "db-bootstrap" } };
    return new k8s.core.v1.Secret(`${name}-db-admin`, { metadata, type: "Opaque", stringData }, w.k8sOpts());
}

/**
 * A server the component administers (managed or in-cluster): the app role's password, the
 * server's CA for every client that verifies it, the bootstrap Job (app role, pgvector), and the
 * app's URL as the app role.
 */
function administeredDatabase(w: WiringContext, appSecretData: AppSecretData, backends: Backend[]): DatabaseWiring {
    const { name, spec, platform, ctx, namespace, labels, k8sOpts } = w;
    const appPassword = new random.RandomPassword(`${name}-db-app-password`, { length: 40, special: false }, w.child());
    const managed = spec.database.mode === ServiceMode.Managed ? platform.createDatabase(ctx) : undefined;
    const admin: AdminAccess = managed
        ? {
              host: managed.host,
              port: managed.port,
              user: managed.adminUsername,
              password: managed.adminPassword,
              sslMode: managed.sslMode,
              caCertificate: managed.caCertificate,
              iamAuth: managed.iamAuth,
              dependsOn: managed.dependsOn,
          }
        : inClusterDatabase(w, backends);
    let caConfigMapName: pulumi.Input<string> | undefined;
    if (admin.caCertificate !== undefined) {
        const dbCa = new k8s.core.v1.ConfigMap(
            `${name}-db-ca`,
            { metadata: { name: `${name}-db-ca`, namespace, labels }, data: { "ca.crt": admin.caCertificate } },
            k8sOpts(),
        );
        caConfigMapName = dbCa.metadata.name;
    }
    const secret = adminSecret(w, admin, appPassword.result);
    const bootstrap = createBootstrapJob(
        name,
        {
            namespace,
            labels,
            adminSecretName: secret.metadata.name,
            caConfigMapName,
            iamAuth: admin.iamAuth,
            timeoutMinutes: spec.migrations.timeoutMinutes,
            connectTimeoutSeconds: spec.database.connectTimeoutSeconds,
            dependsOn: admin.dependsOn,
            image: spec.images.dbBootstrap,
            knobs: spec.knobs.dbBootstrap,
        },
        k8sOpts(),
    );
    const url = postgresUrl({
        user: APP_DB_USER,
        password: admin.iamAuth ? undefined : appPassword.result,
        host: admin.host,
        port: admin.port,
        database: spec.database.name,
        sslMode: admin.sslMode,
        sslRootCert: caConfigMapName !== undefined ? DB_CA_FILE : undefined,
        timeouts: spec.database,
    });
    appSecretData.DATABASE_URL = url;
    // The bootstrap created the extension with admin rights; the app role need not.
    const createVectorExtension = spec.database.createVectorExtension ?? false;
    return { endpoint: pulumi.interpolate`${admin.host}:${admin.port}`, url, caConfigMapName, ready: [bootstrap], createVectorExtension, managed };
}

/**
 * The database of every mode but `inClusterHa` (cnpg.ts): external (URL or existing Secret),
 * managed (the cloud module) or in-cluster, then the bootstrap Job and the app's URL. Adds
 * DATABASE_URL to `appSecretData` and the in-cluster server to `backends` (NetworkPolicy egress).
 */
export function provisionDatabase(w: WiringContext, appSecretData: AppSecretData, backends: Backend[]): DatabaseWiring {
    return w.spec.database.mode === ServiceMode.External ? externalDatabase(w, appSecretData) : administeredDatabase(w, appSecretData, backends);
}
