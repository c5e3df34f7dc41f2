// Bring your data (issue 24): real single-instance Open WebUI 0.12.4 and 0.11.4 on SQLite, filled
// through their own API, stopped with SIGTERM (recent rows in webui.db-wal); the importer
// (migrate/openwebui_import.py) moves each into PostgreSQL + pgvector and the S3 server with the env
// the component emits for the HA pair (AWS target); then two 0.12.4 replicas behind nginx serve it.
// Bad sources and a non-empty target are refused (exit 2) and change nothing. A copy of the imported
// database then serves as a read-only Postgres source (older revision refused, a corrupted value
// caught by the verification, the final delta merged).
import "../harness"; // setMocks first
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Env, EmittedManaged, emitManagedAws } from "./lib/component";
import { EmbedServer } from "./lib/embedServer";
import { copyDataDir, localizeFor, runImporter, runMigrationJob, sqlite3Exec, treeHashes } from "./lib/importer";
import { bootstrapDatabase } from "./lib/appData";
import { LocalNginx, LocalS3 } from "./lib/lb";
import { OpenWebUi, PYTHON, startOpenWebUi, stopOpenWebUi } from "./lib/openwebui";
import { IT_HOME, cleanupAll, request } from "./lib/procs";
import { querySources, Seeded, seedInstance } from "./lib/seedInstance";
import { LocalPostgres, LocalRedis } from "./lib/servers";

const ADMIN = { user: "cloudadmin", password: "admin-Pw_0123456789" };
const PREV_VENV = path.join(IT_HOME, `venv-prev-${process.env.OWUI_PREV_VERSION ?? "0.11.4"}`);
const report: Record<string, any> = {};
let em: EmittedManaged;
let pg: LocalPostgres;
let redis: LocalRedis;
let s3: LocalS3;
let embed: EmbedServer;
const seeded: Record<string, Seeded> = {};
const hashesBefore: Record<string, Record<string, string>> = {};
const DB: Record<string, string> = { "0.12.4": "owui_new", "0.11.4": "owui_prev" };

const appPassword = () => decodeURIComponent(new URL(em.serveEnv.DATABASE_URL).password);
const envFor = (db: string, base: Env = em.migrateEnv): Env => localizeFor(base, pg, redis, s3, db, embed.baseUrl);
const sourceKey = (s: Seeded) => fs.readFileSync(path.join(s.dataDir, ".webui_secret_key"), "utf8").trim();
/** The importer's env: the migration Job's (the app's) env, with the adopted old secret key. */
const importEnv = (s: Seeded, db: string): Env => ({ ...envFor(db), WEBUI_SECRET_KEY: sourceKey(s) });
const tablesIn = (db: string) => Number(pg.superSql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", db)[0]);

function sourceEnv(): Env {
    return {
        WEBUI_AUTH: "true",
        RAG_EMBEDDING_ENGINE: "openai",
        RAG_EMBEDDING_MODEL: "text-embedding-3-small",
        RAG_OPENAI_API_BASE_URL: embed.baseUrl,
        RAG_OPENAI_API_KEY: "sk-loopback",
        ENABLE_OTEL: "false",
        OFFLINE_MODE: "true",
    };
}

async function get(base: string, token: string, p: string) {
    return request(`${base}${p}`, { headers: { authorization: `Bearer ${token}` }, timeoutMs: 30_000 });
}

describe("Import a single-instance Open WebUI (SQLite, uploads, Chroma) into the HA cluster", function () {
    this.timeout(900_000);

    before(async function () {
        em = await emitManagedAws({ min: 2, max: 3 });
        pg = new LocalPostgres("mig", 200, undefined, true);
        await pg.start();
        pg.superSql(`CREATE ROLE ${ADMIN.user} LOGIN CREATEROLE CREATEDB PASSWORD '${ADMIN.password}'`);
        for (const db of Object.values(DB)) bootstrapDatabase(pg, db, appPassword(), ADMIN);
        redis = new LocalRedis(decodeURIComponent(new URL(em.serveEnv.REDIS_URL).password), true);
        await redis.start();
        s3 = new LocalS3();
        await s3.start();
        s3.boto3(PYTHON, `s3.create_bucket(Bucket="${em.serveEnv.S3_BUCKET_NAME}", CreateBucketConfiguration={"LocationConstraint": sys.argv[1]})`);
        embed = new EmbedServer(Number(em.serveEnv.PGVECTOR_INITIALIZE_MAX_VECTOR_LENGTH));
        await embed.start();
        const t = Date.now();
        seeded["0.12.4"] = await seedInstance("0.12.4", sourceEnv());
        seeded["0.11.4"] = await seedInstance("0.11.4", sourceEnv(), PREV_VENV);
        report.seedMs = Date.now() - t;
        for (const [v, s] of Object.entries(seeded)) {
            const wal = path.join(s.dataDir, "webui.db-wal");
            report[`walBytes_${v}`] = fs.existsSync(wal) ? fs.statSync(wal).size : 0;
            hashesBefore[v] = treeHashes(s.dataDir);
        }
    });

    after(async function () {
        await embed?.stop();
        await cleanupAll();
        console.log(`migrate report: ${JSON.stringify(report, null, 1)}`);
    });

    it("the stopped 0.12.4 instance left rows in webui.db-wal (the trap the importer must read through)", function () {
        assert.ok(report["walBytes_0.12.4"] > 0, "webui.db-wal is empty: the WAL trap is not exercised");
    });

    it("refuses bad sources (exit 2, one clear message) and writes nothing anywhere", function () {
        const s = seeded["0.12.4"];
        const db = DB["0.12.4"];
        const cases: { name: string; dir: string; env?: Env; args?: string[]; expect: RegExp }[] = [];
        const corrupt = copyDataDir(s.dataDir, "corrupt");
        for (const f of ["webui.db-wal", "webui.db-shm"]) fs.rmSync(path.join(corrupt, f), { force: true });
        const fd = fs.openSync(path.join(corrupt, "webui.db"), "r+");
        fs.writeSync(fd, crypto.randomBytes(4096), 0, 4096, 0);
        fs.closeSync(fd);
        cases.push({ name: "corrupt SQLite", dir: corrupt, expect: /not a readable SQLite database|integrity/ });
        const future = copyDataDir(s.dataDir, "future");
        sqlite3Exec(path.join(future, "webui.db"), "UPDATE alembic_version SET version_num = 'f0f0f0f0f0f0'");
        cases.push({ name: "newer schema", dir: future, expect: /f0f0f0f0f0f0.*NEWER Open WebUI than the pinned release/s });
        const missing = copyDataDir(s.dataDir, "missing");
        const victim = fs.readdirSync(path.join(missing, "uploads")).find((f) => f.startsWith(s.files[0].id))!;
        fs.rmSync(path.join(missing, "uploads", victim));
        cases.push({ name: "missing upload", dir: missing, expect: new RegExp(`1 file rows have no upload.*${s.files[0].id}.*--skip-missing-files`, "s") });
        cases.push({ name: "secret key differs", dir: s.dataDir, env: envFor(db), expect: /secret key differs.*--allow-new-secret-key/s });
        cases.push({
            name: "vectors of another dimension",
            dir: s.dataDir,
            env: { ...importEnv(s, db), PGVECTOR_INITIALIZE_MAX_VECTOR_LENGTH: "768" },
            expect: /1536-dimension vectors but the target stores 768.*--vectors reembed/s,
        });
        report.refusals = {};
        for (const c of cases) {
            const r = runImporter(c.env ?? importEnv(s, db), ["--source-data-dir", c.dir, "--json"]);
            report.refusals[c.name] = { status: r.status, ms: r.ms, message: (/refused: (.*)/.exec(r.stderr)?.[1] ?? "").slice(0, 160) };
            assert.strictEqual(r.status, 2, `${c.name}: exit ${r.status}\n${r.stderr.slice(-1500)}`);
            assert.match(r.stderr, c.expect, c.name);
            assert.ok(!/WEBUI_SECRET_KEY=|sk-loopback/.test(r.stderr + r.stdout), `${c.name}: a secret in the output`);
            assert.strictEqual(tablesIn(db), 0, `${c.name}: the target got tables`);
        }
        assert.deepStrictEqual(treeHashes(s.dataDir), hashesBefore["0.12.4"], "the source DATA_DIR changed");
    });

    it("dry run reports what it would copy and writes nothing", function () {
        const s = seeded["0.12.4"];
        const r = runImporter(importEnv(s, DB["0.12.4"]), ["--source-data-dir", s.dataDir, "--dry-run"]);
        assert.strictEqual(r.status, 0, r.stderr.slice(-2000));
        report.dryRun = { tables: r.summary.tables, rows: r.summary.rows, files: r.summary.files, bytes: r.summary.bytes, vectors: r.summary.vectors };
        assert.strictEqual(r.summary.files, s.files.length);
        assert.ok(r.summary.vectors >= 3 && r.summary.rows > 20, JSON.stringify(report.dryRun));
        assert.strictEqual(tablesIn(DB["0.12.4"]), 0);
    });

    for (const v of ["0.12.4", "0.11.4"]) {
        it(`imports ${v}: every table verified, files in the bucket, vectors in pgvector; a rerun is a no-op`, function () {
            const s = seeded[v];
            const r = runImporter(importEnv(s, DB[v]), ["--source-data-dir", s.dataDir, "--json"]);
            assert.strictEqual(r.status, 0, `exit ${r.status}\n${r.stderr.slice(-3000)}`);
            const sum = r.summary;
            report[`import_${v}`] = {
                ms: r.ms,
                tables: sum.tables,
                rows: sum.rows,
                files: sum.files,
                bytes: sum.bytes,
                vectors: sum.vectors,
                orphans: sum.orphans,
                sourceRevision: sum.source.revision,
            };
            assert.ok(
                Object.values(sum.verification).every((x: any) => x.verified),
                "a table failed verification",
            );
            assert.strictEqual(sum.files, s.files.length);
            assert.ok(sum.vectors >= 3, `vectors ${sum.vectors}`);
            const paths = pg.superSql(`SELECT path FROM file ORDER BY id`, DB[v]);
            assert.ok(
                paths.every((p) => p.startsWith(`s3://${em.serveEnv.S3_BUCKET_NAME}/`)),
                paths.join(", "),
            );
            assert.strictEqual(
                pg.superSql("SELECT version_num FROM alembic_version", DB[v])[0],
                pg.superSql("SELECT version_num FROM alembic_version", DB["0.12.4"])[0],
            );
            const again = runImporter(importEnv(s, DB[v]), ["--source-data-dir", s.dataDir]);
            assert.strictEqual(again.status, 0, again.stderr.slice(-2000));
            assert.strictEqual(again.summary.resumed, true);
            assert.strictEqual(again.summary.rows, sum.rows);
            assert.strictEqual(Number(pg.superSql('SELECT count(*) FROM "user"', DB[v])[0]), 3);
            assert.deepStrictEqual(treeHashes(s.dataDir), hashesBefore[v], "the source DATA_DIR changed");
        });
    }

    it("refuses a non-empty target (another instance's data) and changes nothing", function () {
        const s = seeded["0.11.4"];
        const before = pg.superSql('SELECT count(*), max(id) FROM "user"', DB["0.12.4"]);
        const r = runImporter(importEnv(s, DB["0.12.4"]), ["--source-data-dir", s.dataDir]);
        assert.strictEqual(r.status, 2, r.stderr.slice(-1500));
        assert.match(r.stderr, /already holds 3 users.*--on-nonempty replace/s);
        assert.deepStrictEqual(pg.superSql('SELECT count(*), max(id) FROM "user"', DB["0.12.4"]), before);
    });

    it("imports from a read-only Postgres source; a corrupted value fails verification (exit 1, table rolled back); merge takes a final delta without duplicates", function () {
        const s = seeded["0.12.4"];
        const [src, old, dst] = ["owui_pgsrc", "owui_pgold", "owui_frompg"];
        // The source: a copy of the database the SQLite seed was imported into (a Postgres instance at the pinned release).
        for (const d of [src, old]) pg.superSql(`CREATE DATABASE ${d} TEMPLATE ${DB["0.12.4"]} OWNER ${ADMIN.user}`);
        bootstrapDatabase(pg, dst, appPassword(), ADMIN);
        const env = (d: string): Env => ({ ...importEnv(s, dst), OPENWEBUI_IMPORT_SOURCE_DATABASE_URL: envFor(d).DATABASE_URL });
        const args = ["--source-database-url-env", "OPENWEBUI_IMPORT_SOURCE_DATABASE_URL", "--source-data-dir", s.dataDir, "--json"];
        const content = (d: string) =>
            ["chat", "user", "file", "config", "alembic_version"].map(
                (t) => pg.superSql(`SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM "${t}" t`, d)[0],
            );
        const count = (sql: string, d = dst) => Number(pg.superSql(sql, d)[0]);
        const before = content(src);
        const r: Record<string, any> = (report.postgresSource = {});

        // An older source revision is refused before any write (the importer never migrates a source in place).
        const older = report["import_0.11.4"]?.sourceRevision;
        assert.ok(older && older !== pg.superSql("SELECT version_num FROM alembic_version", src)[0], `no older revision to test with (${older})`);
        pg.superSql(`UPDATE alembic_version SET version_num = '${older}'`, old);
        const refused = runImporter(env(old), args);
        r.olderRevision = { status: refused.status, message: (/refused: (.*)/.exec(refused.stderr)?.[1] ?? "").slice(0, 160) };
        assert.strictEqual(refused.status, 2, refused.stderr.slice(-1500));
        assert.match(refused.stderr, new RegExp(`${older}, older than open-webui.*never migrates a source in place.*pg_dump`, "s"));
        assert.strictEqual(tablesIn(dst), 0, "the target got tables");

        // A value corrupted in flight (after its checksum was taken): exit 1, the chat table not committed.
        const bad = runImporter({ ...env(src), OPENWEBUI_IMPORT_TEST_CORRUPT: "chat" }, args);
        r.corrupted = { status: bad.status, ms: bad.ms };
        assert.strictEqual(bad.status, 1, bad.stderr.slice(-1500));
        assert.match(bad.stderr, /table chat: verification failed \(source \d+ rows, checksum [0-9a-f]+; target \d+ rows, checksum [0-9a-f]+\)/);
        assert.strictEqual(count("SELECT count(*) FROM chat"), 0, "the corrupted chat table was committed");
        assert.strictEqual(count("SELECT count(*) FROM auth"), 3, "tables copied before chat (auth) were not kept for the resume");

        // The rerun resumes and verifies everything; the source is unchanged.
        const ok = runImporter(env(src), args);
        assert.strictEqual(ok.status, 0, ok.stderr.slice(-3000));
        r.import = {
            ms: ok.ms,
            rows: ok.summary.rows,
            files: ok.summary.files,
            vectors: ok.summary.vectors,
            resumed: ok.summary.resumed,
            kind: ok.summary.source.kind,
        };
        assert.strictEqual(ok.summary.resumed, true);
        assert.ok(Object.values(ok.summary.verification).every((x: any) => x.verified));
        assert.strictEqual(count("SELECT count(*) FROM chat"), count("SELECT count(*) FROM chat", src));
        assert.ok(pg.superSql("SELECT path FROM file", dst).every((x) => x.startsWith(`s3://${em.serveEnv.S3_BUCKET_NAME}/`)));
        assert.ok(ok.summary.vectors >= 3, `vectors ${ok.summary.vectors}`);
        assert.deepStrictEqual(content(src), before, "the importer wrote to the Postgres source");

        // Final delta: one chat added and one renamed (later updated_at) in the source; a plain rerun is refused, merge takes both.
        const [cid, cupd] = pg.superSql("SELECT id, updated_at FROM chat ORDER BY id LIMIT 1", src)[0].split("|");
        pg.superSql(
            `INSERT INTO chat (id, user_id, title, chat, created_at, updated_at, archived, pinned, meta) SELECT 'delta-chat', user_id, 'final delta', chat, created_at, updated_at + 1, archived, pinned, meta FROM chat WHERE id = '${cid}'`,
            src,
        );
        pg.superSql(`UPDATE chat SET title = 'renamed before cutover', updated_at = ${Number(cupd) + 10} WHERE id = '${cid}'`, src);
        const afterDelta = content(src);
        const plain = runImporter(env(src), args);
        assert.strictEqual(plain.status, 2, plain.stderr.slice(-1500));
        assert.match(plain.stderr, /earlier import.*--on-nonempty merge/s);
        const merged = runImporter(env(src), [...args, "--on-nonempty", "merge"]);
        assert.strictEqual(merged.status, 0, merged.stderr.slice(-3000));
        r.merge = { ms: merged.ms, chat: merged.summary.verification.chat, filesCopiedNow: merged.summary.files_result.copied_now };
        assert.ok(Object.values(merged.summary.verification).every((x: any) => x.verified));
        assert.strictEqual(merged.summary.verification.chat.inserted, 2, JSON.stringify(merged.summary.verification.chat));
        assert.strictEqual(pg.superSql("SELECT title FROM chat WHERE id = 'delta-chat'", dst)[0], "final delta");
        assert.strictEqual(pg.superSql(`SELECT title FROM chat WHERE id = '${cid}'`, dst)[0], "renamed before cutover");
        for (const t of ["chat", "user", "file", "chat_message"]) {
            assert.strictEqual(count(`SELECT count(*) FROM "${t}"`), count(`SELECT count(*) FROM "${t}"`, src), `${t}: rows duplicated or lost`);
        }
        assert.strictEqual(merged.summary.files_result.copied_now, 0, "merge copied the files again");
        assert.deepStrictEqual(content(src), afterDelta, "the importer wrote to the Postgres source");
    });

    for (const v of ["0.12.4", "0.11.4"]) {
        it(`two 0.12.4 replicas behind nginx serve the imported ${v} data`, async function () {
            const s = seeded[v];
            const env = { ...envFor(DB[v], em.serveEnv), WEBUI_SECRET_KEY: sourceKey(s) };
            const t = Date.now();
            // The component's order: import Job, then the migration Job (seeds the config keys the
            // source's release lacked, so the two pods do not race to insert them), then the pods.
            runMigrationJob(em.migrateCommand, { ...envFor(DB[v]), WEBUI_SECRET_KEY: sourceKey(s) });
            const [a, b]: OpenWebUi[] = await Promise.all([startOpenWebUi(`ha-${v}-a`, env), startOpenWebUi(`ha-${v}-b`, env)]);
            const lb = new LocalNginx({ idleTimeoutSeconds: em.lbIdleTimeoutSeconds, healthPath: em.lbHealthPath });
            await lb.start([a.port, b.port]);
            report[`haStartMs_${v}`] = Date.now() - t;
            try {
                // The old session token (signed with the adopted key) is still valid; the old password logs in.
                const me = await get(lb.base, s.admin.token, "/api/v1/auths/");
                assert.strictEqual(me.status, 200, me.body);
                assert.strictEqual(JSON.parse(me.body).id, s.admin.id);
                for (const u of [s.admin, ...s.users]) {
                    const li = await request(`${lb.base}/api/v1/auths/signin`, { method: "POST", body: { email: u.email, password: u.password } });
                    assert.strictEqual(li.status, 200, `${u.email}: ${li.body}`);
                    const tok = JSON.parse(li.body).token;
                    for (const c of u.chats) {
                        const r = await get(lb.base, tok, `/api/v1/chats/${c.id}`);
                        assert.strictEqual(r.status, 200, r.body);
                        const chat = JSON.parse(r.body).chat;
                        assert.strictEqual(chat.title, c.title);
                        const got = Object.values(chat.history.messages)
                            .map((m: any) => m.content)
                            .sort();
                        assert.deepStrictEqual(got, [...c.contents].sort());
                    }
                    const st = await get(lb.base, tok, "/api/v1/users/user/settings");
                    assert.strictEqual(JSON.parse(st.body)?.ui?.migrated, u.email);
                }
                for (const f of s.files) {
                    for (const o of [a, b]) {
                        const r = await get(o.base, f.owner, `/api/v1/files/${f.id}/content`);
                        assert.strictEqual(r.status, 200, `${f.name} via ${o.name}: ${r.status}`);
                        assert.strictEqual(crypto.createHash("sha256").update(r.raw).digest("hex"), f.sha256, `${f.name} via ${o.name}`);
                    }
                }
                assert.deepStrictEqual(await querySources(lb.base, s.admin.token, s.kbId, s.query), s.sources);
                const cfg = JSON.parse((await get(lb.base, s.admin.token, "/api/v1/auths/admin/config")).body);
                for (const k of ["ENABLE_CHANNELS", "ENABLE_NOTES", "DEFAULT_USER_ROLE", "ENABLE_COMMUNITY_SHARING", "JWT_EXPIRES_IN"])
                    assert.deepStrictEqual(cfg[k], s.settings[k], k);
                const msgs = JSON.parse((await get(lb.base, s.admin.token, `/api/v1/channels/${s.channelId}/messages`)).body).map((m: any) => m.content);
                assert.deepStrictEqual([...msgs].sort(), [...s.channelMessages].sort());
                for (const [p, want] of [
                    ["/api/v1/models/model?id=mig-model", "Migrated model"],
                    ["/api/v1/tools/id/mig_tool", "Migrated tool"],
                    ["/api/v1/functions/id/mig_filter", "Migrated filter"],
                ]) {
                    const r = await get(lb.base, s.admin.token, p);
                    assert.strictEqual(r.status, 200, `${p}: ${r.body.slice(0, 200)}`);
                    assert.strictEqual(JSON.parse(r.body).name, want, p);
                }
                const groups = JSON.parse((await get(lb.base, s.admin.token, "/api/v1/groups/")).body);
                assert.ok(
                    groups.some((g: any) => g.id === s.ids.group),
                    "group lost",
                );
                const fb = await get(lb.base, s.admin.token, "/api/v1/evaluations/feedbacks/all/ids");
                assert.strictEqual(JSON.parse(fb.body).length, 1, fb.body);
                const notes = JSON.parse((await get(lb.base, s.users[1].token, "/api/v1/notes/")).body).map((n: any) => n.title);
                assert.deepStrictEqual(notes, s.noteTitles);
                // New rows after the import get fresh ids (sequences reset) and land in the same database.
                const nc = await request(`${lb.base}/api/v1/chats/new`, {
                    method: "POST",
                    headers: { authorization: `Bearer ${s.admin.token}` },
                    body: { chat: { title: "after import", messages: [] } },
                });
                assert.strictEqual(nc.status, 200, nc.body);
            } finally {
                await lb.stop();
                await Promise.all([stopOpenWebUi(a), stopOpenWebUi(b)]);
            }
        });
    }
});
