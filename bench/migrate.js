// npm run bench -- migrate: the importer (migrate/openwebui_import.py) on a synthetic single instance
// (BENCH_CHATS chats with BENCH_MESSAGES messages each, BENCH_FILES uploads; generated at the pinned
// schema: Open WebUI's own migrations, then bulk inserts) into a local PostgreSQL and moto's S3 server,
// side by side with the community tool (PyPI open-webui-postgres-migration 1.1.0, driven through its
// prompts on stdin) on the same data. Prints a table. Not a timed test: it records figures.
// Needs what tests/integration/setup.sh installs (the Open WebUI venv, moto, PostgreSQL 15 + pgvector).
"use strict";
const { execFileSync, spawnSync, spawn } = require("child_process");
const fs = require("fs");
const net = require("net");
const path = require("path");

const IT_HOME = process.env.IT_HOME || "/var/tmp/openwebui-it";
const PY = path.join(IT_HOME, "venv", "bin", "python");
const MOTO = path.join(IT_HOME, "moto-venv", "bin", "moto_server");
const DIR = process.env.BENCH_MIGRATE_DIR || "/var/tmp/owui-bench-migrate";
const CHATS = Number(process.env.BENCH_CHATS || 50000);
const MESSAGES = Number(process.env.BENCH_MESSAGES || 4);
const FILES = Number(process.env.BENCH_FILES || 5000);
const FILE_BYTES = Number(process.env.BENCH_FILE_BYTES || 8192);
const COMMUNITY = "open-webui-postgres-migration==1.1.0";
const PG_BIN = fs
    .readdirSync("/usr/lib/postgresql")
    .sort((a, b) => a - b)
    .map((v) => `/usr/lib/postgresql/${v}/bin`)
    .pop();
const IMPORTER = path.join(__dirname, "..", "migrate", "openwebui_import.py");
const children = [];

const GEN = `
import json, os, random, sqlite3, subprocess, sys, uuid
src, chats, msgs, files, fbytes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
sys.path.insert(0, sys.argv[6])
from importer_common import _ALEMBIC
os.makedirs(os.path.join(src, 'uploads'), exist_ok=True)
db = os.path.join(src, 'webui.db')
env = dict(os.environ, DATABASE_URL='sqlite:///' + db, DATA_DIR=os.path.join(src, 'scratch'), WEBUI_SECRET_KEY='bench-key')
os.makedirs(env['DATA_DIR'], exist_ok=True)
subprocess.run([sys.executable, '-c', _ALEMBIC], env=env, check=True, capture_output=True)
c = sqlite3.connect(db)
rnd = random.Random(7)
users = [str(uuid.UUID(int=rnd.getrandbits(128))) for _ in range(200)]
t0 = 1_760_000_000
c.executemany('INSERT INTO "user" (id, name, email, role, profile_image_url, last_active_at, updated_at, created_at, settings, info) VALUES (?,?,?,?,?,?,?,?,?,?)',
    [(u, f'User {i}', f'u{i}@bench.example.com', 'admin' if i == 0 else 'user', '/user.png', t0, t0, t0, '{"ui": {}}', None) for i, u in enumerate(users)])
c.executemany('INSERT INTO auth (id, email, password, active) VALUES (?,?,?,?)', [(u, f'u{i}@bench.example.com', '$2b$12$' + 'x' * 53, 1) for i, u in enumerate(users)])
for b in range(0, chats, 5000):
    crow, mrow = [], []
    for i in range(b, min(chats, b + 5000)):
        cid, uid = str(uuid.UUID(int=rnd.getrandbits(128))), users[i % len(users)]
        hist, parent = {}, None
        for k in range(msgs):
            mid = f'{cid[:8]}-{k}'
            content = f'message {k} of chat {i}: ' + 'lorem ipsum dolor sit amet ' * 8
            hist[mid] = {'id': mid, 'parentId': parent, 'childrenIds': [], 'role': 'assistant' if k % 2 else 'user', 'content': content, 'timestamp': t0 + k}
            mrow.append((mid, cid, uid, 'assistant' if k % 2 else 'user', parent, json.dumps(content), 'bench-model' if k % 2 else None, 1, t0 + k, t0 + k))
            parent = mid
        crow.append((cid, uid, f'chat {i}', t0 + i, t0 + i, 0, json.dumps({'title': f'chat {i}', 'history': {'currentId': parent, 'messages': hist}}), 0, '{}'))
    c.executemany('INSERT INTO chat (id, user_id, title, created_at, updated_at, archived, chat, pinned, meta) VALUES (?,?,?,?,?,?,?,?,?)', crow)
    c.executemany('INSERT INTO chat_message (id, chat_id, user_id, role, parent_id, content, model_id, done, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)', mrow)
frow = []
for i in range(files):
    fid = str(uuid.UUID(int=rnd.getrandbits(128)))
    name = f'{fid}_doc {i}.bin'
    p = os.path.join(src, 'uploads', name)
    with open(p, 'wb') as f:
        f.write(rnd.randbytes(fbytes))
    frow.append((fid, users[i % len(users)], f'doc {i}.bin', json.dumps({'name': f'doc {i}.bin', 'content_type': 'application/octet-stream', 'size': fbytes}), t0, None, '{}', t0, '/app/backend/data/uploads/' + name))
c.executemany('INSERT INTO file (id, user_id, filename, meta, created_at, hash, data, updated_at, path) VALUES (?,?,?,?,?,?,?,?,?)', frow)
c.commit()
print(json.dumps({'rows': sum(c.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for (t,) in c.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT IN ('alembic_version','migratehistory')").fetchall())}))
`;

function freePort() {
    return new Promise((resolve) => {
        const s = net.createServer();
        s.listen(0, "127.0.0.1", () => {
            const p = s.address().port;
            s.close(() => resolve(p));
        });
    });
}

function asPostgres(cmd, args) {
    const root = process.getuid && process.getuid() === 0;
    return execFileSync(root ? "setpriv" : cmd, root ? ["--reuid=postgres", "--regid=postgres", "--clear-groups", cmd, ...args] : args, { encoding: "utf8" });
}

async function startPostgres() {
    const port = await freePort();
    const d = path.join(DIR, "pg");
    fs.mkdirSync(d, { recursive: true });
    if (process.getuid() === 0) execFileSync("chown", ["-R", "postgres", d]);
    asPostgres(`${PG_BIN}/initdb`, ["-D", `${d}/data`, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
    asPostgres(`${PG_BIN}/pg_ctl`, ["-D", `${d}/data`, "-l", `${d}/log`, "-w", "-o", `-c listen_addresses=127.0.0.1 -p ${port} -k ${d} -c fsync=off`, "start"]);
    const psql = (sql, db = "postgres") =>
        execFileSync(`${PG_BIN}/psql`, ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-d", db, "-Atqc", sql], { encoding: "utf8" });
    return {
        port,
        psql,
        stop: () => asPostgres(`${PG_BIN}/pg_ctl`, ["-D", `${d}/data`, "-m", "fast", "-w", "stop"]),
        url: (db) => `postgresql://postgres@127.0.0.1:${port}/${db}`,
    };
}

/** Runs `cmd` under /usr/bin/time -v: wall seconds and peak RSS (MiB) of the process tree's largest member. */
function timed(cmd, args, opts) {
    const s = Date.now();
    const r = spawnSync("/usr/bin/time", ["-v", cmd, ...args], { encoding: "utf8", maxBuffer: 256 << 20, ...opts });
    const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (Date.now() - s) / 1000, peakMiB: rss ? Math.round(Number(rss[1]) / 1024) : null };
}

async function main() {
    fs.rmSync(DIR, { recursive: true, force: true });
    fs.mkdirSync(DIR, { recursive: true });
    const src = path.join(DIR, "source");
    let t = Date.now();
    const gen = JSON.parse(
        execFileSync(PY, ["-c", GEN, src, String(CHATS), String(MESSAGES), String(FILES), String(FILE_BYTES), path.dirname(IMPORTER)], {
            encoding: "utf8",
            maxBuffer: 64 << 20,
        })
            .trim()
            .split("\n")
            .pop(),
    );
    process.stderr.write(`bench migrate: generated ${gen.rows} rows, ${FILES} files in ${((Date.now() - t) / 1000).toFixed(1)}s\n`);
    const pg = await startPostgres();
    const s3port = await freePort();
    const moto = spawn(MOTO, ["-H", "127.0.0.1", "-p", String(s3port)], { stdio: "ignore", detached: true });
    children.push(moto);
    try {
        for (const db of ["ours", "community"]) pg.psql(`CREATE DATABASE ${db}`);
        pg.psql("CREATE EXTENSION vector", "ours");
        await new Promise((r) => setTimeout(r, 3000));
        const s3env = {
            STORAGE_PROVIDER: "s3",
            S3_BUCKET_NAME: "bench",
            S3_REGION_NAME: "eu-west-1",
            S3_ENDPOINT_URL: `http://127.0.0.1:${s3port}`,
            AWS_ACCESS_KEY_ID: "AKIABENCH0000000000",
            AWS_SECRET_ACCESS_KEY: "bench-secret",
        };
        execFileSync(PY, [
            "-c",
            `import boto3; boto3.client("s3", endpoint_url="${s3env.S3_ENDPOINT_URL}", aws_access_key_id="x", aws_secret_access_key="y", region_name="eu-west-1").create_bucket(Bucket="bench", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})`,
        ]);
        const scratch = path.join(DIR, "scratch");
        fs.mkdirSync(scratch, { recursive: true });
        const env = {
            PATH: process.env.PATH,
            LANG: "C.UTF-8",
            DATABASE_URL: pg.url("ours"),
            VECTOR_DB: "pgvector",
            WEBUI_SECRET_KEY: "bench-key",
            DATA_DIR: scratch,
            ...s3env,
        };
        const ours = timed(PY, [IMPORTER, "--source-data-dir", src, "--work-dir", scratch, "--vectors", "skip"], { env });
        if (ours.status !== 0) throw new Error(`importer exit ${ours.status}: ${ours.stderr.slice(-3000)}`);
        const sum = JSON.parse(ours.stdout.trim().split("\n").pop());
        // The community tool needs a Postgres initialised by the same Open WebUI version, and a copy (it rewrites its source).
        execFileSync(PY, ["-c", `import sys; sys.path.insert(0, "${path.dirname(IMPORTER)}"); from importer_common import _ALEMBIC; exec(_ALEMBIC)`], {
            env: { ...env, DATABASE_URL: pg.url("community") },
            stdio: "ignore",
        });
        const venv = path.join(DIR, "..", "owui-bench-community-venv");
        if (!fs.existsSync(path.join(venv, "bin", "open-webui-migrate"))) {
            execFileSync("python3", ["-m", "venv", venv]);
            execFileSync(path.join(venv, "bin", "pip"), ["install", "-q", COMMUNITY]);
        }
        const copy = path.join(DIR, "community-source.db");
        fs.copyFileSync(path.join(src, "webui.db"), copy);
        const answers = [copy, "127.0.0.1", String(pg.port), "community", "postgres", "", "y", "500", "y", "y", "y"].join("\n") + "\n";
        const theirs = timed(path.join(venv, "bin", "open-webui-migrate"), [], {
            input: answers,
            env: { PATH: process.env.PATH, LANG: "C.UTF-8", COLUMNS: "200", TERM: "dumb" },
        });
        const theirRows = Number(
            pg.psql(
                "SELECT sum((xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', schemaname, tablename), false, true, '')))[1]::text::int) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'",
                "community",
            ),
        );
        const ourTableRows = sum.rows;
        const rows = [
            {
                tool: "openwebui_import.py (this)",
                seconds: ours.seconds,
                tableSeconds: sum.table_seconds,
                rows: ourTableRows,
                rowsPerSec: sum.rows_per_second,
                endToEndRowsPerSec: Math.round(ourTableRows / ours.seconds),
                files: `${sum.files}/${FILES}`,
                MBps: +(sum.bytes / 1e6 / ours.seconds).toFixed(1),
                filePhaseMBps: +(sum.bytes / 1e6 / sum.files_result.seconds).toFixed(1),
                verifiedBy: JSON.stringify(sum.files_result.verified_by),
                peakMiB: ours.peakMiB,
                moves: "rows + files (S3, path rewritten, each verified by the store's checksum/ETag or read back); vectors: none in the synthetic source (--vectors skip)",
            },
            {
                tool: COMMUNITY,
                seconds: theirs.seconds,
                tableSeconds: null,
                rows: theirRows,
                rowsPerSec: Math.round(gen.rows / theirs.seconds),
                endToEndRowsPerSec: Math.round(gen.rows / theirs.seconds),
                files: `0/${FILES}`,
                MBps: 0,
                peakMiB: theirs.peakMiB,
                moves: `rows only (exit ${theirs.status}); file.path left pointing at the old volume; no vectors`,
            },
        ];
        console.table(rows);
        console.log(
            `load average at the end: ${require("os")
                .loadavg()
                .map((x) => x.toFixed(2))
                .join(", ")}`,
        );
        console.log(JSON.stringify({ generatedRows: gen.rows, chats: CHATS, messagesPerChat: MESSAGES, files: FILES, fileBytes: FILE_BYTES, rows }, null, 1));
        if (theirs.status !== 0) process.stderr.write(`community tool output (tail):\n${(theirs.stdout + theirs.stderr).slice(-1500)}\n`);
    } finally {
        for (const c of children)
            try {
                process.kill(-c.pid, "SIGTERM");
            } catch {
                /* gone */
            }
        pg.stop();
    }
}

module.exports = { main };
if (require.main === module)
    main().catch((e) => {
        console.error(e);
        process.exit(1);
    });
