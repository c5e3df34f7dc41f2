// The importer (migrate/openwebui_import.py) run as the component's import Job runs it: the pinned
// release's Python, the env the component emits for the app pods (localized to the test's servers),
// DATA_DIR a scratch dir. Plus the pieces of that env this machine has to replace.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { APP_DB_USER, BOOTSTRAP_SQL } from "../../../components/database";
import { Env } from "./component";
import { LocalS3 } from "./lb";
import { PYTHON } from "./openwebui";
import { run, tempDir } from "./procs";
import { LocalPostgres, LocalRedis } from "./servers";

export const IMPORTER = path.resolve(__dirname, "..", "..", "..", "migrate", "openwebui_import.py");

export function relocate(url: string, port: number, query: Record<string, string> = {}, database?: string): string {
    const u = new URL(url);
    u.hostname = "127.0.0.1";
    u.port = String(port);
    if (database) u.pathname = `/${database}`;
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
    return u.toString();
}

/**
 * The emitted env with what cannot exist here replaced (as ha.itest.ts does, same reasons): the
 * database/Redis host, port and CA; the S3 endpoint + static keys (the pod uses Pod Identity); no
 * OTEL collector; `database` selects one of the test's databases. The embedding API base URL/key
 * point at the loopback embedding server (the pod calls the provider's API).
 */
export function localizeFor(env: Env, pg: LocalPostgres, redis: LocalRedis, s3: LocalS3, database: string, embedBase: string): Env {
    const ca = { sslrootcert: pg.ca!.caCert };
    return {
        ...env,
        DATABASE_URL: relocate(env.DATABASE_URL, pg.port, ca, database),
        PGVECTOR_DB_URL: relocate(env.PGVECTOR_DB_URL, pg.port, ca, database),
        REDIS_URL: relocate(env.REDIS_URL, redis.port, { ssl_ca_certs: redis.ca!.caCert }),
        WEBSOCKET_REDIS_URL: relocate(env.WEBSOCKET_REDIS_URL, redis.port, { ssl_ca_certs: redis.ca!.caCert }),
        S3_ENDPOINT_URL: s3.endpoint,
        AWS_ACCESS_KEY_ID: s3.accessKeyId,
        AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
        ENABLE_OTEL: "false",
        RAG_OPENAI_API_BASE_URL: embedBase,
        RAG_OPENAI_API_KEY: "sk-loopback",
    };
}

/** Creates `db` like the cloud does (admin-owned, vector allowed), then the bootstrap Job's SQL. */
export function bootstrapDb(pg: LocalPostgres, admin: { user: string; password: string }, db: string, appPassword: string): void {
    pg.superSql(`CREATE DATABASE ${db} OWNER ${admin.user}`);
    pg.superSql("CREATE EXTENSION vector", db);
    const sqlFile = path.join(tempDir("bootstrap"), "bootstrap.sql");
    fs.writeFileSync(sqlFile, BOOTSTRAP_SQL);
    const env = { ...pg.tcpEnv({ user: admin.user, password: admin.password, database: db }), APP_DB_PASSWORD: appPassword, APP_DB_USER, APP_DB_IAM_AUTH: "false" };
    run(path.join(pg.clientBin, "psql"), ["--no-psqlrc", "-f", sqlFile], { env });
}

export interface ImportRun {
    status: number | null;
    stdout: string;
    stderr: string;
    summary: any;
    ms: number;
}

export function runImporter(env: Env, args: string[], python = PYTHON): ImportRun {
    const scratch = tempDir("import-scratch");
    const s = Date.now();
    const r = run(python, [IMPORTER, ...args], {
        env: { PATH: "/usr/local/bin:/usr/bin:/bin", LANG: "C.UTF-8", ...env, DATA_DIR: scratch, TMPDIR: scratch },
        check: false,
        timeoutMs: 600_000,
    });
    const last = r.stdout.trim().split("\n").pop() ?? "";
    let summary: any;
    try {
        summary = JSON.parse(last);
    } catch {
        summary = undefined;
    }
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, summary, ms: Date.now() - s };
}

/** sha256 of every file under `dir` (relative path -> hash): proves the source is untouched. */
export function treeHashes(dir: string): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.isFile()) out[path.relative(dir, p)] = crypto.createHash("sha256").update(fs.readFileSync(p)).digest("hex");
        }
    };
    walk(dir);
    return out;
}

/** A copy of a DATA_DIR to break on purpose (the original stays as Open WebUI left it). */
export function copyDataDir(src: string, name: string): string {
    const d = path.join(tempDir(name), "data");
    fs.cpSync(src, d, { recursive: true });
    return d;
}

/** Runs one SQL statement on a SQLite file (a COPY of a DATA_DIR) with Python's sqlite3. */
export function sqlite3Exec(file: string, sql: string): void {
    run(PYTHON, ["-c", "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute(sys.argv[2])\nc.commit()\nc.close()", file, sql]);
}

/** The component's migration Job (its command and env), run after the import as the component orders them. */
export function runMigrationJob(command: string[], env: Env): void {
    const dataDir = tempDir("migrate-data");
    const [, ...args] = command;
    run(PYTHON, args, { env: { PATH: "/usr/local/bin:/usr/bin:/bin", LANG: "C.UTF-8", ...env, DATA_DIR: dataDir, STATIC_DIR: path.join(dataDir, "static"), FROM_INIT_PY: "true" }, cwd: dataDir, timeoutMs: 300_000 });
}
