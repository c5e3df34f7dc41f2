// What the failover and restore drills do to an Open WebUI deployment through its own API: the
// database prepared as the component's Jobs do (bootstrap SQL, then the migration Job's command),
// the first admin, channels on, chats and files created and read back, and the measures of a
// fault window (failed requests, time until requests succeed again, events lost).
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { APP_DB_USER, BOOTSTRAP_SQL } from "../../../components/data/database";
import { Env } from "./component";
import { Sample, WsClient } from "./drills";
import { PYTHON } from "./openwebui";
import { request, run, sleep, tempDir } from "./procs";
import { LocalPostgres } from "./servers";

/**
 * Creates `db` owned by a non-superuser admin with `vector` allowed (as the cloud does), then runs
 * the bootstrap Job's SQL as that admin. `admin`: a role the caller created; without it, the role
 * `clusteradmin` is created here (once per server).
 */
export function bootstrapDatabase(pg: LocalPostgres, db: string, appPassword: string, given?: { user: string; password: string }): void {
    const admin = given ?? { user: "clusteradmin", password: "admin-Pw_0123456789" };
    if (!given) pg.superSql(`CREATE ROLE ${admin.user} LOGIN CREATEROLE CREATEDB PASSWORD '${admin.password}'`);
    pg.superSql(`CREATE DATABASE ${db} OWNER ${admin.user}`);
    pg.superSql("CREATE EXTENSION vector", db);
    const sqlFile = path.join(tempDir("bootstrap"), "bootstrap.sql");
    fs.writeFileSync(sqlFile, BOOTSTRAP_SQL);
    run(path.join(pg.clientBin, "psql"), ["--no-psqlrc", "-f", sqlFile], {
        env: { ...pg.tcpEnv({ ...admin, database: db }), APP_DB_PASSWORD: appPassword, APP_DB_USER, APP_DB_IAM_AUTH: "false" },
    });
}

/** The migration Job's command (`python -c ...`) with its env; the image's layout flag and a temp data dir aside. */
export function migrate(command: string[], env: Env): number {
    const dataDir = tempDir("migrate-data");
    const s = Date.now();
    const r = run(PYTHON, command.slice(1), {
        env: {
            PATH: "/usr/local/bin:/usr/bin:/bin",
            LANG: "C.UTF-8",
            ...env,
            DATA_DIR: dataDir,
            STATIC_DIR: path.join(dataDir, "static"),
            FROM_INIT_PY: "true",
        },
        cwd: dataDir,
        check: false,
        timeoutMs: 300_000,
    });
    assert.strictEqual(r.status, 0, `migration failed:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-3000)}`);
    return Date.now() - s;
}

export const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/** First admin through `base`, channels enabled (persistent config), one channel; returns the token and channel id. */
export async function firstAdmin(base: string): Promise<{ token: string; channelId: string }> {
    const su = await request(`${base}/api/v1/auths/signup`, {
        method: "POST",
        body: { name: "Admin", email: "admin@example.com", password: "Adm1n-Passw0rd!" },
        timeoutMs: 60_000,
    });
    assert.strictEqual(su.status, 200, su.body);
    const token = JSON.parse(su.body).token as string;
    const cfg = await request(`${base}/api/v1/auths/admin/config`, { headers: auth(token) });
    assert.strictEqual(cfg.status, 200, cfg.body);
    const set = await request(`${base}/api/v1/auths/admin/config`, {
        method: "POST",
        headers: auth(token),
        body: { ...JSON.parse(cfg.body), ENABLE_CHANNELS: true },
    });
    assert.strictEqual(set.status, 200, set.body);
    const ch = await request(`${base}/api/v1/channels/create`, { method: "POST", headers: auth(token), body: { name: "failover" } });
    assert.strictEqual(ch.status, 200, ch.body);
    return { token, channelId: JSON.parse(ch.body).id };
}

/** Uploads `bytes` as a file (no processing) on `base`; returns its id. */
export async function uploadFile(base: string, token: string, bytes: Buffer, name: string): Promise<string> {
    const boundary = `----drill${crypto.randomUUID()}`;
    const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await request(`${base}/api/v1/files/?process=false`, {
        method: "POST",
        headers: { ...auth(token), "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": String(body.length) },
        body,
        timeoutMs: 60_000,
    });
    assert.strictEqual(up.status, 200, up.body);
    return JSON.parse(up.body).id;
}

/** A chat with one message that references `fileIds` (as the UI attaches files); returns its id. */
export async function createChat(base: string, token: string, title: string, fileIds: string[] = []): Promise<string> {
    const files = fileIds.map((id) => ({ type: "file", id }));
    const chat = { title, files, messages: [{ id: crypto.randomUUID(), role: "user", content: title, files, timestamp: Math.floor(Date.now() / 1000) }] };
    const r = await request(`${base}/api/v1/chats/new`, { method: "POST", headers: auth(token), body: { chat }, timeoutMs: 30_000 });
    assert.strictEqual(r.status, 200, r.body);
    return JSON.parse(r.body).id;
}

/** Ids of `ids` that do not read back with 200 through `base`. */
export async function unreadable(base: string, token: string, ids: string[]): Promise<string[]> {
    const missing: string[] = [];
    for (let i = 0; i < ids.length; i += 20) {
        await Promise.all(
            ids.slice(i, i + 20).map(async (id) => {
                const r = await request(`${base}/api/v1/chats/${id}`, { headers: auth(token), timeoutMs: 30_000 });
                if (r.status !== 200) missing.push(id);
            }),
        );
    }
    return missing;
}

/** A logged-in user's requests: reads, and a new chat every `chatEvery`-th request. */
export function userMix(chatEvery: number) {
    const reads = ["/api/v1/auths/", "/api/v1/chats/", "/api/v1/users/user/settings", "/api/v1/models/", "/api/config"];
    return (i: number, w: number) =>
        i % chatEvery === chatEvery - 1
            ? { method: "POST", path: "/api/v1/chats/new", body: { chat: { title: `drill ${w}-${i}`, messages: [] } } }
            : { method: "GET", path: reads[(i + w) % reads.length] };
}

export const failed = (x: Sample) => !(x.status >= 200 && x.status < 400);

/** Failures in a fault window and the time from the fault until requests succeed again (end of the last failure). */
export function faultWindow(
    samples: Sample[],
    faultAt: number,
): { failed: number; total: number; failedByStatus: Record<string, number>; succeedAgainAfterMs: number; firstFailAfterMs: number | null } {
    const after = samples.filter((x) => x.at + x.ms >= faultAt);
    const bad = after.filter(failed);
    const byStatus: Record<string, number> = {};
    for (const b of bad) byStatus[`${b.method} ${b.status}`] = (byStatus[`${b.method} ${b.status}`] ?? 0) + 1;
    const lastEnd = Math.max(faultAt, ...bad.map((x) => x.at + x.ms));
    return {
        failed: bad.length,
        total: after.length,
        failedByStatus: byStatus,
        succeedAgainAfterMs: lastEnd - faultAt,
        firstFailAfterMs: bad.length ? Math.min(...bad.map((x) => x.at)) - faultAt : null,
    };
}

/**
 * Posts a channel message on `producer` (a replica other than the websocket's) every `everyMs`
 * until stopped (bounded); `result()` tells which were stored (200) and which of those never
 * reached the client as an `events:channel` event.
 */
export function eventProducer(producer: string, token: string, channelId: string, ws: WsClient, everyMs = 500) {
    const sent: { at: number; content: string; status: number }[] = [];
    let stop = false;
    const loop = (async () => {
        for (let i = 0; !stop && i < 400; i++) {
            const at = Date.now();
            const content = `ev-${i}-${crypto.randomUUID()}`;
            const status = await request(`${producer}/api/v1/channels/${channelId}/messages/post`, {
                method: "POST",
                headers: auth(token),
                body: { content },
                timeoutMs: 15_000,
            }).then(
                (r) => r.status,
                () => 0,
            );
            sent.push({ at, content, status });
            await sleep(Math.max(0, everyMs - (Date.now() - at)));
        }
    })();
    return {
        sent,
        async stop(graceMs = 3000) {
            stop = true;
            await loop;
            await sleep(graceMs);
            const delivered = (c: string) => ws.channelEvents.some((e) => e.content === c);
            const stored = sent.filter((x) => x.status === 200);
            const lost = stored.filter((x) => !delivered(x.content));
            return {
                posted: sent.length,
                postFailed: sent.length - stored.length,
                stored: stored.length,
                lost: lost.map((x) => x.at),
                delivered: stored.length - lost.length,
            };
        },
    };
}
