// Failover and restore drills for the kubernetes target's HA data tier (issues 25 and 24), with
// real processes: two Open WebUI 0.12.4 replicas with the env the component emits (rendered by
// lib/component.ts: external PostgreSQL behind one stable address, Redis through three Sentinels,
// S3 on moto), behind nginx with kubelet-like probes driving its upstreams.
//   A. Sentinel failover: the Redis primary SIGKILLed under load (requests + cross-replica
//      websocket events), then one Sentinel restarted under load.
//   B. PostgreSQL failover: primary + synchronous streaming standby (pg_basebackup -R) behind a
//      TCP proxy (what CloudNativePG's `-rw` Service gives); primary SIGKILLed under a
//      chat-writing load, standby promoted, the address moved.
//   C. Point-in-time restore: base backup + archived WAL into a NEW data directory at a time T,
//      the bucket (versioned) rolled back to T, a fresh pair serves what existed at T.
//   D. Shared volume: STORAGE_PROVIDER unset, one uploads directory mounted into both pods.
// Every server is on 127.0.0.1 (Sentinels also on 127.0.0.2/.3), started and stopped by PID;
// every loop is bounded. Figures: $IT_HOME/last-failover-report.json, printed at the end.
import "../harness"; // setMocks first
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { APP_DB_USER } from "../../components/data/database";
import { auth, createChat, eventProducer, failed, faultWindow, firstAdmin, migrate, unreadable, uploadFile, userMix, bootstrapDatabase } from "./lib/appData";
import { Emitted, emitFor, Env } from "./lib/component";
import { ServiceMode } from "../../components/args/types";
import { Load, summary, WsClient } from "./lib/drills";
import { PodFleet } from "./lib/fleet";
import { LocalS3 } from "./lib/lb";
import { OPEN_WEBUI_BIN, PYTHON } from "./lib/openwebui";
import { PgReplicated } from "./lib/pgHa";
import { IS_ROOT, IT_HOME, cleanupAll, request, sleep, tempDir, waitFor } from "./lib/procs";
import { COMPONENT_SENTINEL_TIMING, SENTINEL_HOSTS, SentinelRedis } from "./lib/sentinel";
import { TcpProxy } from "./lib/tcpProxy";
import { sharedVolumeLauncher } from "./lib/sharedVolume";

const ORIGIN = "https://chat.example.com";
const APP_PASSWORD = "app-Pw_failover_0123456789";
const REDIS_PASSWORD = "redis-Pw_failover_0123";
const LB = { idleTimeoutSeconds: 3600, healthPath: "/health" };
const report: Record<string, any> = {};

function tcpOpen(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const s = net.connect({ host: "127.0.0.1", port });
        s.once("connect", () => (s.destroy(), resolve(true)));
        s.once("error", () => resolve(false));
        s.setTimeout(1000, () => (s.destroy(), resolve(false)));
    });
}

/** The emitted env with what cannot exist here replaced: the S3 endpoint and static keys (the pod uses its cloud identity), no OTEL collector. */
function localize(e: Env, s3: LocalS3): Env {
    return { ...e, S3_ENDPOINT_URL: s3.endpoint, AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, ENABLE_OTEL: "false" };
}

/** `url` pointing at another port (a new `-rw` address: the restored cluster). */
function onPort(e: Env, port: number): Env {
    const move = (u: string) => Object.assign(new URL(u), { port: String(port) }).toString();
    return { ...e, DATABASE_URL: move(e.DATABASE_URL), PGVECTOR_DB_URL: move(e.PGVECTOR_DB_URL) };
}

describe("Failover drills (Sentinel-managed Redis, replicated PostgreSQL, point-in-time restore, shared volume)", function () {
    this.timeout(600_000);
    let em: Emitted;
    let emitArgs: Parameters<typeof emitFor>[0];
    let redis: SentinelRedis;
    let pgs: PgReplicated;
    let proxy: TcpProxy;
    let s3: LocalS3;
    let env: Env;
    let fleet: PodFleet;
    let token = "";
    let channelId = "";
    const started = Date.now();

    before(async function () {
        for (const f of [OPEN_WEBUI_BIN, PYTHON]) if (!fs.existsSync(f)) throw new Error(`${f} missing: run tests/integration/setup.sh first`);
        redis = new SentinelRedis(REDIS_PASSWORD);
        pgs = new PgReplicated(true);
        s3 = new LocalS3();
        await Promise.all([redis.start(), pgs.start(), s3.start()]);
        proxy = new TcpProxy(pgs.primary.port);
        await proxy.start();
        bootstrapDatabase(pgs.primary, "openwebui", APP_PASSWORD);
        emitArgs = {
            databaseUrl: `postgresql://${APP_DB_USER}:${APP_PASSWORD}@127.0.0.1:${proxy.port}/openwebui?sslmode=disable`,
            maxConnections: 100,
            redisUrl: `redis://:${REDIS_PASSWORD}@${redis.masterName}/0`,
            redisSentinelHosts: SENTINEL_HOSTS.map((h) => `${h}:${redis.sentinelPort}`).join(","),
            replicasMin: 2,
            replicasMax: 3,
        };
        em = await emitFor(emitArgs);
        assert.strictEqual(em.serveEnv.REDIS_SENTINEL_HOSTS, SENTINEL_HOSTS.join(","));
        assert.strictEqual(em.serveEnv.WEBSOCKET_SENTINEL_PORT, String(redis.sentinelPort));
        const bucket = em.serveEnv.S3_BUCKET_NAME;
        s3.boto3(
            PYTHON,
            `s3.create_bucket(Bucket="${bucket}", CreateBucketConfiguration={"LocationConstraint": sys.argv[1]})\ns3.put_bucket_versioning(Bucket="${bucket}", VersioningConfiguration={"Status": "Enabled"})`,
        );
        env = localize(em.serveEnv, s3);
        report.setup = {
            sentinel: {
                ...COMPONENT_SENTINEL_TIMING,
                sentinels: SENTINEL_HOSTS.length,
                dataNodes: 2,
                source: "SENTINEL_SETTINGS (components/data/valkeySentinel.ts)",
            },
            postgres: { synchronous: pgs.synchronous, standby: "pg_basebackup -R, streaming", address: "TCP proxy (the -rw Service)" },
            pool: { size: env.DATABASE_POOL_SIZE, overflow: env.DATABASE_POOL_MAX_OVERFLOW },
            migrationMs: migrate(em.migrateCommand, localize(em.migrateEnv, s3)),
        };
        fleet = new PodFleet(em.probes, LB);
        const s = Date.now();
        await fleet.start(["a", "b"], env);
        report.setup.pairStartMs = Date.now() - s;
        ({ token, channelId } = await firstAdmin(fleet.base));
    });

    after(async function () {
        this.timeout(120_000);
        await fleet?.stop();
        await redis?.stop();
        await proxy?.stop();
        await cleanupAll();
        report.wallSeconds = Math.round((Date.now() - started) / 1000);
        fs.mkdirSync(IT_HOME, { recursive: true });
        fs.writeFileSync(path.join(IT_HOME, "last-failover-report.json"), JSON.stringify(report, null, 2));
        console.log(`\nFailover drill report (${path.join(IT_HOME, "last-failover-report.json")}):\n${JSON.stringify(report, null, 2)}`);
    });

    /** A Socket.IO client through the LB and a producer on the other replica posting channel messages every 500 ms. */
    async function eventsAcrossReplicas() {
        const ws = new WsClient(fleet.base, token, ORIGIN);
        await ws.connected();
        const holder = Number(ws.upstream.split(":")[1]);
        const producer = fleet.pods.find((p) => p.o.port !== holder)!;
        return { ws, producer: eventProducer(producer.o.base, token, channelId, ws) };
    }

    it("A1. Sentinel failover: the Redis primary SIGKILLed under load; requests succeed again within 15 s, no pod restarts", async function () {
        const { ws, producer } = await eventsAcrossReplicas();
        try {
            const load = new Load(fleet.base, auth(token), userMix(4), { workers: 4, pauseMs: 50, timeoutMs: 30_000, maxPerWorker: 3000 }).start();
            await sleep(3000);
            const oldPrimary = redis.masterPort()!;
            const replica = redis.nodes.find((n) => n.port !== oldPrimary)!.port;
            const killedAt = await redis.kill(oldPrimary);
            const switchMs = await waitFor("every Sentinel names the replica primary", async () => redis.views().every((v) => v === replica), 40_000, 100);
            await sleep(Math.max(0, 25_000 - (Date.now() - killedAt)));
            const samples = await load.stop();
            const ev = await producer.stop();
            const w = faultWindow(samples, killedAt);
            const r = fleet.restarts(killedAt);
            report.sentinelFailover = {
                sentinelSwitchMs: switchMs,
                requests: { ...w, before: summary(samples.filter((x) => x.at + x.ms < killedAt)).total },
                events: {
                    posted: ev.posted,
                    postFailed: ev.postFailed,
                    stored: ev.stored,
                    delivered: ev.delivered,
                    lost: ev.lost.length,
                    lostWindowMs: ev.lost.length ? [Math.min(...ev.lost) - killedAt, Math.max(...ev.lost) - killedAt] : null,
                },
                websocket: { disconnects: ws.disconnects.length, connected: ws.socket.connected },
                pods: r,
            };
            assert.match(redis.cli(replica, ["INFO", "replication"]), /role:master/, "the replica was not promoted");
            assert.ok(r.pidsSame && r.exited.length === 0, `an Open WebUI process exited or restarted: ${JSON.stringify(r)}`);
            assert.deepStrictEqual(r.wouldRestart, [0, 0], "kubelet would have restarted a pod (liveness)");
            assert.ok(w.succeedAgainAfterMs < 15_000, `requests failed until ${w.succeedAgainAfterMs} ms after the kill (aim: < 15 s)`);
            assert.ok(
                ev.delivered > 0 && ev.lost.every((at) => at - killedAt < 20_000),
                `events still lost after the failover: ${JSON.stringify(report.sentinelFailover.events)}`,
            );
        } finally {
            ws.close();
        }
    });

    it("A2. a Sentinel restarted under load (the first one clients ask): no request fails, no event is lost", async function () {
        const { ws, producer } = await eventsAcrossReplicas();
        try {
            const load = new Load(fleet.base, auth(token), userMix(4), { workers: 4, pauseMs: 50, timeoutMs: 30_000, maxPerWorker: 3000 }).start();
            await sleep(2000);
            const rs = await redis.restartSentinel(0, 5000);
            await sleep(4000);
            const samples = await load.stop();
            const ev = await producer.stop();
            const w = faultWindow(samples, rs.stoppedAt);
            report.sentinelRestart = {
                downMs: rs.startedAt - rs.stoppedAt,
                backAfterMs: rs.seesPrimaryAfterMs,
                requests: w,
                events: { stored: ev.stored, lost: ev.lost.length, postFailed: ev.postFailed },
                pods: fleet.restarts(rs.stoppedAt),
            };
            assert.strictEqual(w.failed, 0, `requests failed: ${JSON.stringify(w.failedByStatus)}`);
            assert.deepStrictEqual([ev.lost.length, ev.postFailed], [0, 0], "events lost or not stored while a Sentinel restarted");
        } finally {
            ws.close();
        }
    });

    /**
     * Chat-writing load, then the primary SIGKILLed (after its WAL sender stalled for `stallMs`,
     * if any); the operator's part at once: promote the standby when the primary refuses
     * connections, move the -rw address. Figures after 20 s.
     */
    async function postgresFailover(stallMs = 0) {
        const load = new Load(fleet.base, auth(token), userMix(2), { workers: 4, pauseMs: 20, timeoutMs: 30_000, maxPerWorker: 3000 }).start();
        await sleep(3000);
        if (stallMs) {
            pgs.stallReplication();
            await sleep(stallMs);
        }
        const dying = pgs.current;
        const killedAt = pgs.killPrimary();
        const detectMs = await waitFor("the primary refuses connections", async () => !(await tcpOpen(dying.port)), 10_000, 100);
        const promoteMs = await pgs.promote();
        await proxy.setUpstream(pgs.current.port);
        const movedAt = Date.now();
        await sleep(Math.max(0, 20_000 - (Date.now() - killedAt)));
        const samples = await load.stop();
        const ids = samples.filter((x) => x.method === "POST" && x.status === 200 && x.id).map((x) => x.id!);
        const lost = await unreadable(fleet.base, token, ids);
        const w = faultWindow(samples, killedAt);
        const figures = {
            detectMs,
            promoteMs,
            addressMovedAfterMs: movedAt - killedAt,
            requests: w,
            chatsAcknowledged: ids.length,
            chatsLost: lost.length,
            chatPostsFailed: samples.filter((x) => x.method === "POST" && failed(x)).length,
            pods: fleet.restarts(killedAt),
        };
        return { figures, lost, w, r: figures.pods, ids };
    }

    it("B1. PostgreSQL failover: primary SIGKILLed under a chat-writing load, synchronous standby promoted, address moved; 0 acknowledged chats lost", async function () {
        assert.deepStrictEqual(pgs.replicationState(), { syncState: "sync", state: "streaming" });
        const { figures, lost, w, r, ids } = await postgresFailover();
        report.postgresFailover = { ...figures, proxyRefusedConnections: proxy.refused() };
        assert.deepStrictEqual(lost, [], "acknowledged chats lost");
        assert.ok(r.pidsSame && r.exited.length === 0, `an Open WebUI process exited or restarted: ${JSON.stringify(r)}`);
        assert.deepStrictEqual(r.wouldRestart, [0, 0]);
        assert.ok(w.succeedAgainAfterMs < 30_000, `requests failed until ${w.succeedAgainAfterMs} ms after the kill (aim: < 30 s)`);
        assert.ok(ids.length > 20, `only ${ids.length} chats acknowledged`);
    });

    it("B2. control: an ASYNCHRONOUS standby (CloudNativePG's default) and replication stalled 1.5 s before the kill lose acknowledged chats", async function () {
        await pgs.addStandby("standby2", false);
        const { figures, lost, w, r } = await postgresFailover(1500);
        report.postgresFailoverAsyncStalled = { stalledMs: 1500, ...figures };
        // What B1's synchronous replication prevents: commits acknowledged but never replicated.
        assert.ok(lost.length > 0, `no acknowledged chat lost with an asynchronous standby 1.5 s behind (${JSON.stringify(figures)})`);
        assert.ok(r.pidsSame && r.exited.length === 0, `an Open WebUI process exited or restarted: ${JSON.stringify(r)}`);
        assert.ok(w.succeedAgainAfterMs < 30_000, `requests failed until ${w.succeedAgainAfterMs} ms after the kill`);
    });

    it("C. point-in-time restore: base backup + WAL to a time T in a new data directory, bucket rolled back to T; a fresh pair serves what existed at T", async function () {
        const backup = pgs.baseBackup();
        const bytes = [crypto.randomBytes(96 * 1024 + 5), crypto.randomBytes(160 * 1024 + 11), crypto.randomBytes(64 * 1024)];
        const f1 = await uploadFile(fleet.base, token, bytes[0], "before-1.bin");
        const f2 = await uploadFile(fleet.base, token, bytes[1], "before-2.bin");
        const before = [
            await createChat(fleet.base, token, "before T 1", [f1]),
            await createChat(fleet.base, token, "before T 2", [f2]),
            await createChat(fleet.base, token, "before T 3"),
        ];
        await sleep(1200);
        const T = new Date().toISOString();
        await sleep(1200);
        const f3 = await uploadFile(fleet.base, token, bytes[2], "after.bin");
        const after = [await createChat(fleet.base, token, "after T 1", [f3]), await createChat(fleet.base, token, "after T 2")];
        // After T a file of a chat from before T is deleted: the restored database references it again.
        const del = await request(`${fleet.base}/api/v1/files/${f2}`, { method: "DELETE", headers: auth(token) });
        assert.strictEqual(del.status, 200, del.body);
        const seg = await pgs.archiveNow();
        await fleet.stop();
        const rtoStart = Date.now();
        const restored = await pgs.restore(backup.dir, T);
        const bucketRolledBack = rollBackBucket(s3, em.serveEnv.S3_BUCKET_NAME, T);
        const pair = new PodFleet(em.probes, LB);
        fleet = pair; // stopped by `after` from here on
        await pair.start(["ra", "rb"], onPort(env, restored.pg.port));
        const rtoMs = Date.now() - rtoStart;
        const [ra, rb] = pair.pods;
        const lostBefore = await unreadable(pair.base, token, before);
        const afterStatus = await Promise.all(after.map((id) => request(`${pair.base}/api/v1/chats/${id}`, { headers: auth(token) }).then((r) => r.status)));
        const rowsAt = (ids: string[]) =>
            Number(restored.pg.superSql(`SELECT count(*) FROM chat WHERE id IN (${ids.map((id) => `'${id}'`).join(",")})`, "openwebui")[0]);
        const chatFiles = await filesOf(ra.o.base, token, before[1]);
        const d1 = await request(`${ra.o.base}/api/v1/files/${f1}/content`, { headers: auth(token), timeoutMs: 60_000 });
        const d2 = await request(`${rb.o.base}/api/v1/files/${chatFiles[0]}/content`, { headers: auth(token), timeoutMs: 60_000 });
        const d3 = await request(`${rb.o.base}/api/v1/files/${f3}`, { headers: auth(token) });
        report.pointInTimeRestore = {
            baseBackupMs: backup.ms,
            lastArchivedSegment: seg,
            restoreMs: restored.ms,
            bucketVersionsRolledBack: bucketRolledBack,
            pairStartMs: rtoMs - restored.ms,
            rtoMs,
            chatsBeforeT: { created: before.length, served: before.length - lostBefore.length },
            chatsAfterT: { created: after.length, statuses: afterStatus, rowsInRestoredDb: rowsAt(after) },
            files: {
                beforeT: [d1.status, d2.status],
                identical: [d1.raw.equals(bytes[0]), d2.raw.equals(bytes[1])],
                deletedAfterTServedAgain: d2.status === 200,
                afterT: d3.status,
            },
            rpo: "the last archived WAL segment (archive_timeout unset here: a segment is archived when full or switched)",
        };
        assert.deepStrictEqual(lostBefore, [], "chats from before T not served after the restore");
        assert.deepStrictEqual([rowsAt(before), rowsAt(after)], [before.length, 0], "rows before / after T in the restored database");
        assert.ok(
            afterStatus.every((s) => s !== 200),
            `chats created after T are served: ${afterStatus}`,
        );
        assert.deepStrictEqual(chatFiles, [f2], "the restored chat does not reference its file");
        assert.strictEqual(d1.status, 200, d1.body.slice(0, 300));
        assert.ok(d1.raw.equals(bytes[0]), "file 1 differs after the restore");
        assert.strictEqual(d2.status, 200, `the file deleted after T is not served from the rolled-back bucket: ${d2.body.slice(0, 300)}`);
        assert.ok(d2.raw.equals(bytes[1]), "file 2 differs after the restore");
        assert.notStrictEqual(d3.status, 200, "a file uploaded after T is served");
    });

    it("D. shared volume (STORAGE_PROVIDER unset, one RWX directory on every pod): upload on A, byte-identical on B, delete on B, gone on A", async function () {
        if (!IS_ROOT) this.skip(); // each pod's mount namespace needs root
        await fleet.stop();
        // The component's sharedVolume mode: no STORAGE_PROVIDER (Open WebUI's local provider), the claim at DATA_DIR/uploads.
        const sv = await emitFor({ ...emitArgs, storage: { mode: ServiceMode.SharedVolume, storageClassName: "nfs-rwx" } });
        const volume = sv.mounts.find((m) => m.claimName);
        assert.strictEqual(
            volume?.mountPath,
            `${sv.serveEnv.DATA_DIR}/uploads`,
            `the shared claim is not mounted at Open WebUI's upload dir: ${JSON.stringify(sv.mounts)}`,
        );
        assert.deepStrictEqual(
            Object.keys(sv.serveEnv).filter((k) => /^(STORAGE_PROVIDER|S3_)/.test(k)),
            [],
        );
        const shared = tempDir("rwx-volume");
        const podRoot = tempDir("pod-data"); // the pods' DATA_DIR path: each pod mounts its own dir there, the volume at uploads/
        const pair = new PodFleet(sv.probes, LB);
        fleet = pair;
        await pair.start(["sa", "sb"], { ...sv.serveEnv, ENABLE_OTEL: "false" }, (name) => sharedVolumeLauncher(name, shared, podRoot));
        const [a, b] = pair.pods;
        const bytes = crypto.randomBytes(200 * 1024 + 3);
        const id = await uploadFile(a.o.base, token, bytes, "shared.bin");
        const onVolume = fs.readdirSync(shared).filter((f) => f.startsWith(id));
        const down = await request(`${b.o.base}/api/v1/files/${id}/content`, { headers: auth(token), timeoutMs: 60_000 });
        const del = await request(`${b.o.base}/api/v1/files/${id}`, { method: "DELETE", headers: auth(token) });
        const onVolumeAfter = fs.readdirSync(shared).filter((f) => f.startsWith(id));
        const onA = await request(`${a.o.base}/api/v1/files/${id}/content`, { headers: auth(token) });
        report.sharedVolume = {
            uploadedOnA: onVolume,
            readOnB: down.status,
            identical: down.raw.equals(bytes),
            deleteOnB: del.status,
            leftOnVolume: onVolumeAfter.length,
            readOnAAfterDelete: onA.status,
            hostViewOfPodDataDir: fs.readdirSync(podRoot).length,
        };
        // The pods' DATA_DIR exists only inside their own mount namespaces: B can read A's upload only through the volume.
        assert.deepStrictEqual(fs.readdirSync(podRoot), [], "the pods' DATA_DIR leaked to the host");
        assert.strictEqual(onVolume.length, 1, `upload not on the shared volume: ${fs.readdirSync(shared)}`);
        assert.strictEqual(down.status, 200, down.body.slice(0, 300));
        assert.ok(down.raw.equals(bytes), "B serves different bytes");
        assert.strictEqual(del.status, 200, del.body);
        assert.strictEqual(onVolumeAfter.length, 0, "the file is still on the volume after the delete on B");
        assert.strictEqual(onA.status, 404, `A still serves the file deleted on B: ${onA.status}`);
    });
});

/** File ids a chat references (its `files`). */
async function filesOf(base: string, token: string, chatId: string): Promise<string[]> {
    const r = await request(`${base}/api/v1/chats/${chatId}`, { headers: auth(token) });
    assert.strictEqual(r.status, 200, r.body);
    return (JSON.parse(r.body).chat?.files ?? []).map((f: { id: string }) => f.id);
}

/** The bucket as of `t`: every object version and delete marker written after `t` removed (versioning on). Returns how many. */
function rollBackBucket(s3: LocalS3, bucket: string, t: string): number {
    const out = s3.boto3(
        PYTHON,
        [
            "import datetime",
            `t = datetime.datetime.fromisoformat("${t.replace("Z", "+00:00")}")`,
            `v = s3.list_object_versions(Bucket="${bucket}")`,
            "n = 0",
            "for x in v.get('Versions', []) + v.get('DeleteMarkers', []):",
            "    if x['LastModified'] > t:",
            `        s3.delete_object(Bucket="${bucket}", Key=x['Key'], VersionId=x['VersionId']); n += 1`,
            "print(n)",
        ].join("\n"),
    );
    return Number(out.trim());
}
