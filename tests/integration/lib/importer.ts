// The importer (migrate/openwebui_import.py) run as the component's import Job runs it: the pinned
// release's Python, the env the component emits for the app pods (localized to the test's servers),
// DATA_DIR a scratch dir. Plus the pieces of that env this machine has to replace.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Env } from "./component";
import { LocalS3 } from "./lb";
import { PYTHON } from "./openwebui";
import { run, tempDir } from "./procs";
import { LocalPostgres, LocalRedis } from "./servers";
import { localizeAws } from "./localEnv";

export const IMPORTER = path.resolve(__dirname, "..", "..", "..", "migrate", "openwebui_import.py");

/** The shared local env (lib/localEnv.ts) on `database`, embeddings through the loopback embedding server. */
export function localizeFor(env: Env, pg: LocalPostgres, redis: LocalRedis, s3: LocalS3, database: string, embedBase: string): Env {
    return { ...localizeAws(env, pg, redis, s3, database), RAG_OPENAI_API_BASE_URL: embedBase, RAG_OPENAI_API_KEY: "sk-loopback" };
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
    run(PYTHON, args, {
        env: {
            PATH: "/usr/local/bin:/usr/bin:/bin",
            LANG: "C.UTF-8",
            ...env,
            DATA_DIR: dataDir,
            STATIC_DIR: path.join(dataDir, "static"),
            FROM_INIT_PY: "true",
        },
        cwd: dataDir,
        timeoutMs: 300_000,
    });
}
