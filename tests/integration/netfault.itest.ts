// Network-fault drills (issue 26, item 4): two real Open WebUI 0.12.4 replicas with the env the
// component emits for AWS, behind nginx WITHOUT upstream retries (as an ALB), and PostgreSQL +
// pgvector and Redis (both TLS) inside a network namespace the test creates (lib/netns.ts:
// veth pair 10.213.7.1 <-> 10.213.7.2, nothing else addressed). Faults:
//   N1 partition (iptables DROP) and delay (NFQUEUE delayer) between the app and Redis, then
//      PostgreSQL: requests bounded (PostgreSQL: by the emitted URL's connect_timeout and
//      tcp_user_timeout), probes as designed, recovery without restart, no chat lost;
//   N2 new Socket.IO connections during and after a Redis restart, with the emitted
//      WEBSOCKET_REDIS_OPTIONS and with `retry_on_timeout: true` added;
//   N3 a load balancer that does not retry: SIGKILL, SIGTERM without preStop, and the drain the
//      component emits (endpoint out, preStop, SIGTERM): failed requests counted.
// Every process is started and stopped by PID, every loop bounded; figures are printed and
// written to $IT_HOME/last-netfault-report.json.
import "../harness"; // setMocks first
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { io } from "socket.io-client";
import { NodeWebSocket } from "engine.io-client";
import { APP_DB_USER, BOOTSTRAP_SQL } from "../../components/data/database";
import { EmittedManaged, Env, emitManagedAws } from "./lib/component";
import { Load, poller, Prober, Sample, summary } from "./lib/drills";
import { LocalNginx } from "./lib/lb";
import { NetNs } from "./lib/netns";
import { OPEN_WEBUI_BIN, OpenWebUi, PYTHON, startOpenWebUi, stopOpenWebUi } from "./lib/openwebui";
import { IS_ROOT, IT_HOME, cleanupAll, request, run, sleep, tempDir, waitFor } from "./lib/procs";
import { LocalPostgres, LocalRedis } from "./lib/servers";

const ORIGIN = "https://chat.example.com";
const ADMIN = { user: "cloudadmin", password: "admin-Pw_0123456789" };
const report: Record<string, any> = {};

function relocate(url: string, host: string, port: number, query: Record<string, string> = {}): string {
    const u = new URL(url);
    u.hostname = host;
    u.port = String(port);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
    return u.toString();
}

/**
 * The emitted env with only what cannot exist here replaced: database and Redis host/port (the
 * servers' namespace address; user, password, database, sslmode=verify-full and rediss:// as
 * emitted), the CA files (the test CAs), S3 (never touched in these drills: an unreachable
 * loopback endpoint and static keys, so no credential chain is consulted), no OTEL collector.
 */
function localize(env: Env, pg: LocalPostgres, redis: LocalRedis): Env {
    return {
        ...env,
        DATABASE_URL: relocate(env.DATABASE_URL, pg.host, pg.port, { sslrootcert: pg.ca!.caCert }),
        PGVECTOR_DB_URL: relocate(env.PGVECTOR_DB_URL, pg.host, pg.port, { sslrootcert: pg.ca!.caCert }),
        REDIS_URL: relocate(env.REDIS_URL, redis.host, redis.port, { ssl_ca_certs: redis.ca!.caCert }),
        WEBSOCKET_REDIS_URL: relocate(env.WEBSOCKET_REDIS_URL, redis.host, redis.port, { ssl_ca_certs: redis.ca!.caCert }),
        S3_ENDPOINT_URL: "http://127.0.0.1:1",
        AWS_ACCESS_KEY_ID: "AKIAITTESTKEY0000000",
        AWS_SECRET_ACCESS_KEY: "it-secret-access-key-0123456789abcdefghij",
        ENABLE_OTEL: "false",
    };
}

const passwordOf = (url: string) => decodeURIComponent(new URL(url).password);

/**
 * Longest a request may take on a dead database network, from the emitted URL's libpq bounds: a
 * pooled connection's pre-ping dropped after tcp_user_timeout, a reconnect after connect_timeout,
 * twice over (a request may touch the database again after a failure), plus 15 s for load.
 */
function pgRequestBound(url: string): { connectTimeoutS: number; tcpUserTimeoutMs: number; keepalives: string | null; ms: number } {
    const q = new URL(url).searchParams;
    const connectTimeoutS = Number(q.get("connect_timeout"));
    const tcpUserTimeoutMs = Number(q.get("tcp_user_timeout"));
    assert.ok(
        connectTimeoutS > 0 && tcpUserTimeoutMs > 0,
        `the emitted DATABASE_URL has no connect_timeout/tcp_user_timeout: ${url.replace(/\/\/[^@]*@/, "//***@")}`,
    );
    return { connectTimeoutS, tcpUserTimeoutMs, keepalives: q.get("keepalives"), ms: 2 * (tcpUserTimeoutMs + connectTimeoutS * 1000) + 15_000 };
}

interface Replica {
    name: string;
    o: OpenWebUi;
    prober: Prober;
    terminating: boolean;
    pid: number;
}

let em: EmittedManaged;
let ns: NetNs;
let pg: LocalPostgres;
let redis: LocalRedis;
let env: Env;
let fleet: Fleet;
let token = "";
const auth = () => ({ authorization: `Bearer ${token}` });

/** The Deployment's pods behind the Service; the LB's upstreams are the ready, non-terminating ones. */
class Fleet {
    readonly replicas: Replica[] = [];
    readonly lb: LocalNginx;
    constructor() {
        // An ALB does not retry a request on another target: no proxy_next_upstream, no passive checks.
        this.lb = new LocalNginx({ idleTimeoutSeconds: em.lbIdleTimeoutSeconds, healthPath: em.lbHealthPath, retry: false });
    }

    private syncing: Promise<void> = Promise.resolve();
    sync(): Promise<void> {
        this.syncing = this.syncing.then(() =>
            this.lb.setBackends(this.replicas.filter((r) => r.prober.ready && !r.terminating && !r.o.proc.exited).map((r) => r.o.port)),
        );
        return this.syncing;
    }

    async add(name: string, e = env): Promise<Replica> {
        const o = await startOpenWebUi(name, e);
        const r: Replica = { name, o, terminating: false, pid: o.proc.child.pid!, prober: undefined as any };
        r.prober = new Prober(
            name,
            () => r.o.base,
            { liveness: em.probes.liveness, readiness: em.probes.readiness },
            () => this.sync(),
        );
        this.replicas.push(r);
        r.prober.start();
        await waitFor(`${name} ready and behind the LB`, async () => r.prober.ready && this.lb.backendsNow.includes(o.port), 60_000, 50);
        return r;
    }

    live(): Replica[] {
        return this.replicas.filter((r) => !r.o.proc.exited);
    }

    /** Out of the LB, then stopped (a scale-down outside the drills' measurements). */
    async remove(r: Replica): Promise<void> {
        r.terminating = true;
        await this.sync();
        await r.prober.stop();
        await stopOpenWebUi(r.o);
    }

    async stopAll(): Promise<void> {
        for (const r of this.replicas) {
            await r.prober.stop();
            await stopOpenWebUi(r.o);
        }
        await this.lb.stop();
    }
}

/** The request mix of a logged-in user: reads, and a new chat every 4th request. */
function userMix() {
    const reads = ["/api/v1/auths/", "/api/v1/chats/", "/api/v1/users/user/settings", "/api/v1/models/", "/api/config"];
    return (i: number, w: number) =>
        i % 4 === 3
            ? { method: "POST", path: "/api/v1/chats/new", body: { chat: { title: `netfault ${w}-${i}`, messages: [] } } }
            : { method: "GET", path: reads[(i + w) % reads.length] };
}

const failed = (x: Sample) => !(x.status >= 200 && x.status < 400);
const createdChats = (samples: Sample[]) => samples.filter((s) => s.method === "POST" && s.status === 200 && s.id).map((s) => s.id!);

/** Ids of acknowledged chats that do not read back through the LB. */
async function lostChats(ids: string[]): Promise<string[]> {
    const missing: string[] = [];
    for (let i = 0; i < ids.length; i += 20) {
        await Promise.all(
            ids.slice(i, i + 20).map(async (id) => {
                const r = await request(`${fleet.lb.base}/api/v1/chats/${id}`, { headers: auth(), timeoutMs: 30_000 }).catch(() => ({ status: 0 }));
                if (r.status !== 200) missing.push(id);
            }),
        );
    }
    return missing;
}

type Polled = { at: number; path: string; status: number | string; ms: number }[];
const probeStats = (polled: Polled, p: string, from: number, to: number) => {
    const xs = polled.filter((x) => x.path === p && x.at >= from && x.at < to);
    const statuses: Record<string, number> = {};
    for (const x of xs) statuses[x.status] = (statuses[x.status] ?? 0) + 1;
    return { statuses, maxMs: Math.max(0, ...xs.map((x) => x.ms)) };
};

/** Requests in a window: counts, statuses, slowest, and the ones that had not ended by `to`. */
function phase(samples: Sample[], from: number, to: number) {
    const xs = samples.filter((x) => x.at >= from && x.at < to);
    return {
        ...summary(xs),
        slowest: [...xs]
            .sort((a, b) => b.ms - a.ms)
            .slice(0, 3)
            .map((x) => `${x.method} ${x.path} ${x.status} ${x.ms} ms`),
    };
}

/** End of the last failed request after `from` (recovery point), `from` when none failed. */
function recoveredAt(samples: Sample[], from: number): number {
    let last = from;
    for (const x of samples) if (x.at >= from && failed(x)) last = Math.max(last, x.at + x.ms);
    return last;
}

/** One fresh Socket.IO connection as the browser opens it; `hang` when no connect ack and no error within `hangMs`. */
function oneConnect(base: string, hangMs: number): Promise<{ outcome: "connected" | "error" | "hang"; ms: number; error?: string }> {
    const t0 = Date.now();
    const s = io(base, {
        path: "/ws/socket.io",
        transportImplementations: [NodeWebSocket],
        auth: { token },
        extraHeaders: { Origin: ORIGIN },
        reconnection: false,
        forceNew: true,
        timeout: hangMs,
    } as any);
    return new Promise((resolve) => {
        let done = false;
        const finish = (outcome: "connected" | "error" | "hang", error?: string) => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            s.close();
            resolve({ outcome, ms: Date.now() - t0, ...(error ? { error } : {}) });
        };
        const timer = setTimeout(() => finish("hang"), hangMs);
        s.on("connect", () => finish("connected"));
        s.on("connect_error", (e: Error) => finish(/timeout/i.test(e.message) ? "hang" : "error", e.message));
    });
}

describe("Network-fault drills (2 replicas of Open WebUI 0.12.4, nginx without retries; PostgreSQL and Redis in a network namespace)", function () {
    this.timeout(600_000);

    before(async function () {
        if (!IS_ROOT) this.skip(); // network namespaces and iptables need root
        for (const f of [OPEN_WEBUI_BIN, PYTHON, "/usr/sbin/iptables", "/usr/bin/python3"])
            if (!fs.existsSync(f)) throw new Error(`${f} missing: run tests/integration/setup.sh first`);
        em = await emitManagedAws({ min: 2, max: 3 });
        report.emitted = {
            probes: em.probes,
            preStopSeconds: em.preStopSeconds,
            terminationGracePeriodSeconds: em.terminationGracePeriodSeconds,
            websocketRedisOptions: em.serveEnv.WEBSOCKET_REDIS_OPTIONS,
            redisSocketTimeout: em.serveEnv.REDIS_SOCKET_TIMEOUT,
            redisConnectTimeout: em.serveEnv.REDIS_SOCKET_CONNECT_TIMEOUT,
            dbPoolTimeout: em.serveEnv.DATABASE_POOL_TIMEOUT,
        };
        ns = new NetNs(7);
        ns.create();
        const net = { netns: ns.name, addr: ns.nsAddr, clientCidr: ns.clientCidr };
        pg = new LocalPostgres("netfault", 300, undefined, true, net);
        await pg.start();
        pg.superSql(`CREATE ROLE ${ADMIN.user} LOGIN CREATEROLE CREATEDB PASSWORD '${ADMIN.password}'`);
        pg.superSql(`CREATE DATABASE openwebui OWNER ${ADMIN.user}`);
        pg.superSql("CREATE EXTENSION vector", "openwebui");
        const sqlFile = path.join(tempDir("bootstrap"), "bootstrap.sql");
        fs.writeFileSync(sqlFile, BOOTSTRAP_SQL);
        run(path.join(pg.clientBin, "psql"), ["--no-psqlrc", "-f", sqlFile], {
            env: {
                ...pg.tcpEnv({ user: ADMIN.user, password: ADMIN.password, database: "openwebui" }),
                APP_DB_PASSWORD: passwordOf(em.serveEnv.DATABASE_URL),
                APP_DB_USER,
                APP_DB_IAM_AUTH: "false",
            },
        });
        redis = new LocalRedis(passwordOf(em.serveEnv.REDIS_URL), true, { netns: ns.name, addr: ns.nsAddr });
        await redis.start();
        env = localize(em.serveEnv, pg, redis);
        // The migration Job, then both pods at once.
        const dataDir = tempDir("migrate-data");
        const [, ...args] = em.migrateCommand;
        const m = run(PYTHON, args, {
            env: {
                PATH: "/usr/local/bin:/usr/bin:/bin",
                LANG: "C.UTF-8",
                ...localize(em.migrateEnv, pg, redis),
                DATA_DIR: dataDir,
                STATIC_DIR: path.join(dataDir, "static"),
                FROM_INIT_PY: "true",
            },
            cwd: dataDir,
            check: false,
            timeoutMs: 300_000,
        });
        assert.strictEqual(m.status, 0, `migration failed:\n${m.stderr.slice(-3000)}`);
        fleet = new Fleet();
        await fleet.lb.start([]);
        await Promise.all([fleet.add("a"), fleet.add("b")]);
        const su = await request(`${fleet.lb.base}/api/v1/auths/signup`, {
            method: "POST",
            body: { name: "Admin", email: "admin@example.com", password: "Adm1n-Passw0rd!" },
            timeoutMs: 60_000,
        });
        assert.strictEqual(su.status, 200, su.body);
        token = JSON.parse(su.body).token;
        // The app really goes through the namespace: its connections come from the host side of the veth.
        const peers = pg.superSql(`SELECT DISTINCT client_addr FROM pg_stat_activity WHERE usename = '${APP_DB_USER}' AND client_addr IS NOT NULL`, "postgres");
        assert.deepStrictEqual(peers, [ns.hostAddr], `app connections to PostgreSQL come from ${peers}`);
        report.path = { database: `${pg.host}:${pg.port}`, redis: `${redis.host}:${redis.port}`, namespace: ns.name, appConnectionsFrom: peers };
    });

    after(async function () {
        this.timeout(120_000);
        await fleet?.stopAll();
        await cleanupAll();
        ns?.destroy();
        fs.mkdirSync(IT_HOME, { recursive: true });
        fs.writeFileSync(path.join(IT_HOME, "last-netfault-report.json"), JSON.stringify(report, null, 2));
        console.log(`\nNetwork-fault drill report (${path.join(IT_HOME, "last-netfault-report.json")}):\n${JSON.stringify(report, null, 2)}`);
    });

    it("N1. partition and delay between the app and Redis, then PostgreSQL: requests bounded, probes as designed, recovery without restart, 0 acknowledged chats lost", async function () {
        const pods = fleet.live();
        const pids = pods.map((r) => r.pid);
        const watch = poller(() => pods[0].o.base, ["/health", "/health/db"], 1000, em.probes.readiness.timeoutSeconds * 1000);
        const load = new Load(fleet.lb.base, auth(), userMix(), { workers: 4, pauseMs: 50, timeoutMs: 90_000, maxPerWorker: 5000 }).start();
        await sleep(2000);
        const marks: Record<string, number> = {};
        const mark = (k: string) => (marks[k] = Date.now());
        const PART_S = 24;
        // The PostgreSQL partition outlasts the emitted bound on a request (pgBound) by 15 s, so
        // "fails within the bound" and "waits for the heal" are told apart.
        const pgBound = pgRequestBound(em.serveEnv.DATABASE_URL);
        const PG_PART_S = Math.ceil(pgBound.ms / 1000) + 15;
        const DELAY_S = 5;
        // Redis: partition, recovery, 500 ms and 2 s delay.
        mark("redisDrop");
        ns.partition(redis.port);
        await sleep(PART_S * 1000);
        ns.heal(redis.port);
        mark("redisHeal");
        await sleep(6000);
        for (const d of [500, 2000]) {
            mark(`redisDelay${d}`);
            await ns.delay(redis.port, d);
            await sleep(DELAY_S * 1000);
            await ns.undelay(redis.port);
            mark(`redisDelay${d}End`);
            await sleep(3000);
        }
        // PostgreSQL: partition, recovery, 500 ms and 2 s delay.
        mark("pgDrop");
        ns.partition(pg.port);
        await sleep(PG_PART_S * 1000);
        ns.heal(pg.port);
        mark("pgHeal");
        await waitFor(
            "requests succeed again after the PostgreSQL partition",
            async () => load.samples.some((x) => x.at > marks.pgHeal && !failed(x)),
            90_000,
            200,
        );
        await sleep(3000);
        for (const d of [500, 2000]) {
            mark(`pgDelay${d}`);
            await ns.delay(pg.port, d);
            await sleep(DELAY_S * 1000);
            await ns.undelay(pg.port);
            mark(`pgDelay${d}End`);
            await sleep(3000);
        }
        await sleep(2000);
        mark("end");
        const samples = await load.stop();
        const polled = await watch.stop();
        const lost = await lostChats(createdChats(samples));
        const win = (from: string, to: string) => ({
            requests: phase(samples, marks[from], marks[to]),
            "/health": probeStats(polled, "/health", marks[from], marks[to]),
            "/health/db": probeStats(polled, "/health/db", marks[from], marks[to]),
            kubeletReadinessFailures: pods.map((r) => r.prober.between("readiness", marks[from], marks[to]).filter((e) => !e.ok).length),
            kubeletLivenessFailures: pods.map((r) => r.prober.between("liveness", marks[from], marks[to]).filter((e) => !e.ok).length),
        });
        const redisRecovered = recoveredAt(
            samples.filter((x) => x.at < marks.redisDelay500),
            marks.redisHeal,
        );
        const pgRecovered = recoveredAt(
            samples.filter((x) => x.at < marks.pgDelay500),
            marks.pgHeal,
        );
        report.partition = {
            redisPartitionSeconds: PART_S,
            pgPartitionSeconds: PG_PART_S,
            delayPhaseSeconds: DELAY_S,
            redisPartition: win("redisDrop", "redisHeal"),
            redisRecoveredAfterHealMs: redisRecovered - marks.redisHeal,
            redisDelay500ms: win("redisDelay500", "redisDelay500End"),
            redisDelay2s: win("redisDelay2000", "redisDelay2000End"),
            pgPartition: win("pgDrop", "pgHeal"),
            pgRecoveredAfterHealMs: pgRecovered - marks.pgHeal,
            pgBound,
            pgRequestsStartedInPartitionEndedAfterHealMs: Math.max(
                0,
                ...samples.filter((x) => x.at >= marks.pgDrop && x.at < marks.pgHeal).map((x) => x.at + x.ms - marks.pgHeal),
            ),
            pgDelay500ms: win("pgDelay500", "pgDelay500End"),
            pgDelay2s: win("pgDelay2000", "pgDelay2000End"),
            afterAll: phase(samples, marks.pgDelay2000End + 1000, marks.end),
            unreadyTransitions: pods.map((r) =>
                r.prober.transitions
                    .filter((t) => t.at >= marks.redisDrop)
                    .map((t) => `${t.ready ? "ready" : "unready"} +${((t.at - marks.redisDrop) / 1000).toFixed(1)} s`),
            ),
            pgReadinessFromDrop: pods.map((r) =>
                r.prober.transitions
                    .filter((t) => t.at >= marks.pgDrop && t.at < marks.pgDelay500)
                    .map((t) => `${t.ready ? "ready" : "unready"} +${((t.at - marks.pgDrop) / 1000).toFixed(1)} s (heal +${PG_PART_S} s)`),
            ),
            wouldRestart: pods.map((r) => r.prober.wouldRestart),
            chatsAcknowledged: createdChats(samples).length,
            chatsLost: lost.length,
        };
        const partMs = PART_S * 1000;
        // Redis partition: every request started during it ends (answers or fails) within half of
        // it: bounded by the socket/connect timeouts, not by the partition.
        const inRedisPart = samples.filter((x) => x.at >= marks.redisDrop && x.at < marks.redisHeal);
        assert.ok(inRedisPart.length >= 8, `only ${inRedisPart.length} requests started in the ${PART_S} s Redis partition (requests hang on Redis)`);
        assert.ok(
            inRedisPart.every((x) => x.ms < partMs / 2),
            `a request took ${Math.max(...inRedisPart.map((x) => x.ms))} ms in a ${PART_S} s Redis partition`,
        );
        // No process restarted, kubelet would not have restarted one.
        assert.deepStrictEqual(
            pods.map((r) => r.o.proc.child.pid),
            pids,
            "a process restarted",
        );
        assert.ok(
            pods.every((r) => !r.o.proc.exited),
            "a process exited",
        );
        assert.deepStrictEqual(
            pods.map((r) => r.prober.wouldRestart),
            pods.map(() => 0),
            "liveness would have restarted a pod",
        );
        // Readiness as designed: no DB check started during the PostgreSQL partition succeeds before
        // it is healed (it times out or waits for the network), and at least one is seen failing;
        // liveness (/health) does not depend on the database and stays fast.
        const dbChecks = polled.filter((x) => x.path === "/health/db" && x.at >= marks.pgDrop && x.at < marks.pgHeal);
        assert.ok(
            dbChecks.every((x) => x.status !== 200 || x.at + x.ms >= marks.pgHeal),
            `/health/db answered 200 during the PostgreSQL partition: ${JSON.stringify(dbChecks)}`,
        );
        assert.ok(
            dbChecks.some((x) => x.status !== 200),
            "/health/db never failed during the PostgreSQL partition",
        );
        const liveDuringPg = polled.filter((x) => x.path === "/health" && x.at >= marks.pgDrop && x.at < marks.pgHeal);
        assert.ok(
            liveDuringPg.length > 0 && liveDuringPg.every((x) => x.status === 200),
            `/health during the PostgreSQL partition: ${JSON.stringify(liveDuringPg)}`,
        );
        // Requests started in the PostgreSQL partition end (fail) within the bound derived from the
        // emitted connect_timeout/tcp_user_timeout, instead of waiting for the network: each one
        // ends before the heal unless it started within the bound of it, and none outlives the bound.
        const inPgPart = samples.filter((x) => x.at >= marks.pgDrop && x.at < marks.pgHeal);
        const overBound = inPgPart.filter((x) => x.ms > pgBound.ms || (x.at < marks.pgHeal - pgBound.ms && x.at + x.ms >= marks.pgHeal));
        assert.deepStrictEqual(
            overBound.map((x) => `${x.method} ${x.path} ${x.status} ${x.ms} ms at +${x.at - marks.pgDrop} ms`),
            [],
            `requests outlived the ${pgBound.ms} ms bound in the ${PG_PART_S} s PostgreSQL partition`,
        );
        assert.ok(inPgPart.length >= 8, `only ${inPgPart.length} requests started in the ${PG_PART_S} s PostgreSQL partition (requests wait for the network)`);
        assert.ok(inPgPart.some(failed), "no request failed during the PostgreSQL partition");
        // Recovery without restart: both faults healed by themselves, and everything succeeds at the end.
        assert.ok(redisRecovered < marks.redisDelay500, "requests still failing when the Redis delay phase began");
        assert.strictEqual(phase(samples, marks.pgDelay2000End + 1000, marks.end).failed, 0, "requests still failing at the end");
        assert.ok(phase(samples, marks.pgDelay2000End + 1000, marks.end).total > 0);
        assert.deepStrictEqual(lost, [], "acknowledged chats lost");
    });

    /**
     * Fresh connections every 500 ms to each of `targets` (one per tick each, straight to the
     * replica), from the fault until `afterMs` after Redis is back (8 s without Redis): `restart`
     * kills Redis and starts it empty (the app's clients see refused connections), `partition`
     * drops its packets (the app's clients see timeouts: what `retry_on_timeout` is about).
     */
    async function connectStorm(targets: Record<string, string>, fault: "restart" | "partition", afterMs: number): Promise<Record<string, any>> {
        const HANG_MS = 10_000;
        const results: Record<string, { at: number; outcome: string; ms: number; error?: string }[]> = Object.fromEntries(
            Object.keys(targets).map((k) => [k, []]),
        );
        const pending: Promise<void>[] = [];
        const downAt = Date.now();
        if (fault === "restart") await redis.kill();
        else ns.partition(redis.port);
        let upAt = 0;
        const restart = (async () => {
            await sleep(Math.max(0, 8000 - (Date.now() - downAt)));
            if (fault === "restart") await redis.start();
            else ns.heal(redis.port);
            upAt = Date.now();
        })();
        for (let i = 0; i < 140; i++) {
            const at = Date.now();
            if (upAt && at > upAt + afterMs) break;
            for (const [k, base] of Object.entries(targets)) pending.push(oneConnect(base, HANG_MS).then((r) => void results[k].push({ at, ...r })));
            await sleep(Math.max(0, 500 - (Date.now() - at)));
        }
        await restart;
        await Promise.all(pending);
        const count = (xs: { outcome: string }[]) => {
            const c: Record<string, number> = { connected: 0, error: 0, hang: 0 };
            for (const x of xs) c[x.outcome]++;
            return c;
        };
        const out: Record<string, any> = {};
        for (const [k, rs] of Object.entries(results)) {
            const sorted = [...rs].sort((a, b) => a.at - b.at);
            const during = sorted.filter((x) => x.at < upAt);
            const after = sorted.filter((x) => x.at >= upAt);
            const ok = after
                .filter((x) => x.outcome === "connected")
                .map((x) => x.ms)
                .sort((a, b) => a - b);
            out[k] = {
                redisDownSeconds: (upAt - downAt) / 1000,
                openedDuringOutage: count(during),
                openedAfterRedisBack: count(after),
                firstConnectAfterBackMs: after.find((x) => x.outcome === "connected") ? after.find((x) => x.outcome === "connected")!.at - upAt : null,
                lastFailedOrHungOpenedAfterBackMs:
                    after
                        .filter((x) => x.outcome !== "connected")
                        .map((x) => x.at - upAt)
                        .pop() ?? null,
                connectMsP50AfterBack: ok[Math.floor(ok.length / 2)] ?? null,
                connectMsMaxAfterBack: ok[ok.length - 1] ?? null,
                errors: [...new Set(rs.filter((x) => x.error).map((x) => x.error))].slice(0, 4),
                // Not reported: the raw results, for the assertions.
                _lateBad: after
                    .filter((x) => x.at >= upAt + 5000 && x.outcome !== "connected")
                    .map((x) => `${x.outcome} opened ${x.at - upAt} ms after Redis was back`),
                _after: after.length,
            };
        }
        return out;
    }

    it("N2. new Socket.IO connections during and after a Redis restart and a Redis partition: the emitted WEBSOCKET_REDIS_OPTIONS vs retry_on_timeout added", async function () {
        // One replica keeps the emitted options; the other is replaced by one with
        // retry_on_timeout added to the Socket.IO manager's options. Both see the same outage.
        const [plain, old] = fleet.live();
        const opts = { ...JSON.parse(env.WEBSOCKET_REDIS_OPTIONS), retry_on_timeout: true };
        const envRetry = { ...env, WEBSOCKET_REDIS_OPTIONS: JSON.stringify(opts) };
        const rot = await fleet.add("b-rot", envRetry);
        await fleet.remove(old);
        await sleep(1000);
        const targets = { emitted: plain.o.base, retryOnTimeout: rot.o.base };
        const r = await connectStorm(targets, "restart", 30_000);
        await sleep(2000);
        const p = await connectStorm(targets, "partition", 20_000);
        const strip = (x: any) => Object.fromEntries(Object.entries(x).filter(([k]) => !k.startsWith("_")));
        report.newConnections = {
            options: { emitted: env.WEBSOCKET_REDIS_OPTIONS, retryOnTimeout: envRetry.WEBSOCKET_REDIS_OPTIONS },
            redisRestart: { emitted: strip(r.emitted), retryOnTimeout: strip(r.retryOnTimeout) },
            redisPartition: { emitted: strip(p.emitted), retryOnTimeout: strip(p.retryOnTimeout) },
        };
        // Both, after both faults: once Redis has been back 5 s, every fresh connection gets its
        // connect ack (none hangs or fails); connections opened while Redis is away are only counted.
        for (const [fault, res, min] of [
            ["restart", r, 40],
            ["partition", p, 25],
        ] as const) {
            for (const k of ["emitted", "retryOnTimeout"]) {
                assert.ok(res[k]._after >= min, `${fault}, ${k}: only ${res[k]._after} connections opened after Redis was back`);
                assert.deepStrictEqual(res[k]._lateBad, [], `${fault}, ${k}: new connections hung or failed after Redis was back`);
            }
        }
    });

    it("N3. a load balancer that does not retry: SIGKILL, SIGTERM without preStop, then the emitted drain (endpoint out, preStop, SIGTERM)", async function () {
        const load = new Load(fleet.lb.base, auth(), userMix(), { workers: 4, pauseMs: 20, timeoutMs: 60_000, maxPerWorker: 20_000 }).start();
        await sleep(3000);
        const fails = (from: number, to: number) => load.samples.filter((x) => x.at + x.ms >= from && x.at < to && failed(x));
        const describeFails = (xs: Sample[], t0: number) => xs.map((x) => `${x.method} ${x.path} ${x.status || x.error} at ${x.at - t0} ms`);
        // (a) SIGKILL (node failure, OOM): kubelet notices within ~1 s, then the endpoint is removed.
        let [victim] = fleet.live();
        const killAt = Date.now();
        process.kill(-victim.pid, "SIGKILL");
        await sleep(1000);
        victim.terminating = true;
        await fleet.sync();
        const killRemovedAt = Date.now();
        await victim.prober.stop();
        // kubelet restarts the container meanwhile (a new process; it joins the LB when ready).
        const kRepl = fleet.add("k-repl");
        await sleep(3000);
        const killFails = fails(killAt - 1000, Date.now());
        await kRepl;
        // (b) SIGTERM as Kubernetes sends it WITHOUT preStop: at the same moment the endpoint
        // removal starts, and the load balancer still routes to the pod until it has propagated
        // (emulated: 2 s; on an ALB it is the controller's reconcile + target deregistration).
        [victim] = fleet.live();
        const termAt = Date.now();
        process.kill(-victim.pid, "SIGTERM");
        await sleep(2000);
        victim.terminating = true;
        await fleet.sync();
        const termRemovedAt = Date.now();
        const tRepl = fleet.add("t-repl");
        await waitFor("SIGTERMed pod exit", async () => victim.o.proc.exited, 60_000, 50);
        await victim.prober.stop();
        await sleep(3000);
        const termFails = fails(termAt - 1000, Date.now());
        await tRepl;
        // (c) The component's drain: the endpoint is removed first (readiness gate / endpoint
        // removal, and the ALB stops new requests while its deregistration delay lets in-flight
        // ones finish: nginx's graceful reload), preStop `sleep 15`, then SIGTERM, grace 60 s.
        [victim] = fleet.live();
        const drainAt = Date.now();
        victim.terminating = true;
        await fleet.sync();
        await sleep(em.preStopSeconds * 1000);
        const drainTermAt = Date.now();
        process.kill(-victim.pid, "SIGTERM");
        await waitFor("drained pod exit", async () => victim.o.proc.exited, em.terminationGracePeriodSeconds * 1000, 50);
        const drainExitAt = Date.now();
        await victim.prober.stop();
        await sleep(3000);
        const drainFails = fails(drainAt - 1000, Date.now());
        const samples = await load.stop();
        const lost = await lostChats(createdChats(samples));
        report.lbWithoutRetry = {
            sigkill: { failed: killFails.length, endpointRemovedAfterMs: killRemovedAt - killAt, failures: describeFails(killFails, killAt).slice(0, 8) },
            sigtermWithoutPreStop: {
                failed: termFails.length,
                endpointRemovedAfterMs: termRemovedAt - termAt,
                failures: describeFails(termFails, termAt).slice(0, 8),
            },
            drainAsEmitted: {
                failed: drainFails.length,
                preStopSeconds: em.preStopSeconds,
                sigtermToExitMs: drainExitAt - drainTermAt,
                failures: describeFails(drainFails, drainAt).slice(0, 8),
            },
            requests: summary(samples),
            chatsAcknowledged: createdChats(samples).length,
            chatsLost: lost.length,
        };
        // Without retries a request routed to a killed pod fails: only those routed before its
        // endpoint was removed may fail (none after), and no acknowledged chat is lost.
        assert.ok(
            killFails.every((x) => x.at < killRemovedAt + 1000),
            `requests failed after the killed pod's endpoint was removed: ${describeFails(killFails, killAt)}`,
        );
        assert.ok(
            termFails.every((x) => x.at < termRemovedAt + 1000),
            `requests failed after the terminated pod's endpoint was removed: ${describeFails(termFails, termAt)}`,
        );
        // The emitted drain: 0 failed requests even without LB retries.
        assert.deepStrictEqual(describeFails(drainFails, drainAt), [], "requests failed during the emitted drain");
        assert.deepStrictEqual(lost, [], "acknowledged chats lost");
    });
});
