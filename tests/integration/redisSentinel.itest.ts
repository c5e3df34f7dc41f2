// Integration: external Redis behind Sentinel, run for real (issue 12 #11). A real Redis master and
// a real Sentinel (Debian's redis-server) on 127.0.0.1; the env the component emits for
// `redis.sentinelHosts` is given to Open WebUI 0.12.4's own code in its venv:
// - `open_webui.utils.redis.get_redis_client()` (sessions, config sync, locks), reading
//   REDIS_URL / REDIS_SENTINEL_HOSTS / REDIS_SENTINEL_PORT exactly as the server does;
// - the Socket.IO manager the server builds for websockets: `build_sentinel_url(...)` from
//   WEBSOCKET_REDIS_URL / WEBSOCKET_SENTINEL_HOSTS / WEBSOCKET_SENTINEL_PORT, then python-socketio's
//   AsyncRedisManager connecting through the Sentinel and publishing.
// The control is the env the component emitted before (`host:port` passed through in
// REDIS_SENTINEL_HOSTS): both paths then fail to find the master.
import "../harness"; // setMocks first
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { emitFor, Env } from "./lib/component";
import { localOverrides, PYTHON } from "./lib/openwebui";
import { LocalRedis } from "./lib/servers";
import { cleanupAll, freePort, run, startProcess, stopProcess, tail, tempDir, Tracked, waitFor } from "./lib/procs";

const MASTER_NAME = "mymaster";
const PASSWORD = "it-sentinel-Pw";

/** Open WebUI's two Redis paths under the given env; prints one JSON line. */
const PROBE = [
    "import asyncio, json, os",
    "from open_webui.env import WEBSOCKET_REDIS_URL, WEBSOCKET_REDIS_OPTIONS, WEBSOCKET_SENTINEL_HOSTS, WEBSOCKET_SENTINEL_PORT",
    "from open_webui.utils.redis import build_sentinel_kwargs, build_sentinel_url, get_redis_client",
    "import socketio",
    "out = {}",
    "try:",
    "    r = get_redis_client()",
    "    out['client'] = 'none' if r is None else str(r.set('it-sentinel-key', 'via-sentinel'))",
    "except Exception as e:",
    "    out['client'] = 'error: %r' % e",
    "try:",
    "    url = build_sentinel_url(WEBSOCKET_REDIS_URL, WEBSOCKET_SENTINEL_HOSTS, WEBSOCKET_SENTINEL_PORT)",
    "    out['wsNodes'] = url.split('@')[-1]",
    // Built as 0.12.4's socket/main.py builds it: the Sentinel credentials from the URL (0.12.1, #32240).
    "    opts = {'sentinel_kwargs': build_sentinel_kwargs(WEBSOCKET_REDIS_URL, WEBSOCKET_REDIS_OPTIONS), **WEBSOCKET_REDIS_OPTIONS}",
    "    mgr = socketio.AsyncRedisManager(url, redis_options=opts)",
    "    mgr._redis_connect()",
    "    out['ws'] = 'published to %s' % asyncio.run(mgr.redis.publish('it-sentinel-channel', 'x'))",
    "except Exception as e:",
    "    out['ws'] = 'error: %r' % e",
    "print(json.dumps(out))",
].join("\n");

describe("Redis Sentinel: the emitted env reaches the master through a real Sentinel (Open WebUI's own client and Socket.IO manager)", function () {
    this.timeout(180_000);
    let master: LocalRedis;
    let sentinel: Tracked;
    let sentinelPort = 0;
    let emitted: Env;

    before(async () => {
        master = new LocalRedis(PASSWORD);
        await master.start();
        sentinelPort = await freePort();
        const dir = tempDir("sentinel");
        const conf = path.join(dir, "sentinel.conf");
        // Sentinel rewrites its config file: it must be writable. The Sentinel requires the
        // master's password, as the component's own Sentinels do (Open WebUI 0.12.1+ sends it).
        fs.writeFileSync(
            conf,
            [
                `port ${sentinelPort}`,
                "bind 127.0.0.1",
                `dir ${dir}`,
                `requirepass ${PASSWORD}`,
                `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${master.port} 1`,
                `sentinel auth-pass ${MASTER_NAME} ${PASSWORD}`,
                "",
            ].join("\n"),
        );
        sentinel = startProcess("sentinel", "redis-server", [conf, "--sentinel"], { env: { PATH: process.env.PATH } });
        await waitFor(
            "Sentinel knows the master",
            async () =>
                run(
                    "redis-cli",
                    ["-h", "127.0.0.1", "-p", String(sentinelPort), "--no-auth-warning", "-a", PASSWORD, "SENTINEL", "get-master-addr-by-name", MASTER_NAME],
                    { check: false },
                ).stdout.includes(String(master.port)),
            20_000,
            200,
            () => (sentinel.exited ? `sentinel exited: ${tail(sentinel.logFile)}` : undefined),
        );
        const e = await emitFor({
            databaseUrl: "postgresql://u:p@127.0.0.1:1/owui",
            maxConnections: 100,
            redisUrl: `redis://:${PASSWORD}@${MASTER_NAME}/0`,
            redisSentinelHosts: `127.0.0.1:${sentinelPort}`,
            replicasMin: 2,
            replicasMax: 4,
        });
        emitted = e.serveEnv;
    });

    after(async () => {
        if (sentinel) await stopProcess(sentinel);
        if (master) await master.stop();
        await cleanupAll();
    });

    function probe(env: Env): { client: string; ws: string; wsNodes?: string } {
        const dataDir = tempDir("sentinel-data");
        const r = run(PYTHON, ["-c", PROBE], { env: { PATH: process.env.PATH, ...env, ...localOverrides(dataDir) }, timeoutMs: 120_000, check: false });
        const line = r.stdout.trim().split("\n").pop() ?? "";
        try {
            return JSON.parse(line);
        } catch {
            throw new Error(`probe printed no JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
        }
    }

    it("host:port in sentinelHosts becomes host names plus one REDIS_SENTINEL_PORT, and both Redis paths reach the master", () => {
        assert.strictEqual(emitted.REDIS_SENTINEL_HOSTS, "127.0.0.1");
        assert.strictEqual(emitted.REDIS_SENTINEL_PORT, String(sentinelPort));
        assert.strictEqual(emitted.WEBSOCKET_SENTINEL_HOSTS, "127.0.0.1");
        assert.strictEqual(emitted.WEBSOCKET_SENTINEL_PORT, String(sentinelPort));
        master.cli(["DEL", "it-sentinel-key"]);
        const r = probe(emitted);
        assert.strictEqual(r.client, "True", JSON.stringify(r));
        assert.match(r.ws, /^published to \d+$/, JSON.stringify(r));
        assert.strictEqual(r.wsNodes, `127.0.0.1:${sentinelPort}/0/${MASTER_NAME}`);
        // The write went through the Sentinel to this master.
        assert.strictEqual(master.cli(["GET", "it-sentinel-key"]).trim(), "via-sentinel");
    });

    it("control: the env emitted before (host:port passed through) finds no master on either path", () => {
        const before: Env = { ...emitted, REDIS_SENTINEL_HOSTS: `127.0.0.1:${sentinelPort}`, WEBSOCKET_SENTINEL_HOSTS: `127.0.0.1:${sentinelPort}` };
        delete before.REDIS_SENTINEL_PORT;
        delete before.WEBSOCKET_SENTINEL_PORT;
        master.cli(["DEL", "it-sentinel-key"]);
        const r = probe(before);
        assert.match(r.client, /MasterNotFoundError|none/, JSON.stringify(r));
        assert.match(r.ws, /error: .*MasterNotFoundError/, JSON.stringify(r));
        assert.strictEqual(master.cli(["GET", "it-sentinel-key"]).trim(), "");
    });
});
