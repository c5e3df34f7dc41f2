// Integration: what the release's TLS clients trust, run for real.
// 1. The managed database's CA: the DATABASE_URL the component emits for AWS
//    (`sslmode=verify-full&sslrootcert=<mounted CA>`) used by Open WebUI's own database stack
//    (SQLAlchemy + psycopg from the pinned release's venv) against a real TLS-only PostgreSQL
//    whose certificate a test CA signed. Controls: another CA, and a host name the certificate
//    does not name, are both refused (so the verification is really on). The HA drills
//    (ha.itest.ts) run the whole release with the same verify-full URL.
// 2. `trustedCa`: the `trusted-ca` init script the component emits runs for real (paths mapped
//    to a temp dir, Debian's public roots as the image's), then the Python clients Open WebUI
//    uses (requests, httpx, aiohttp, urllib, redis-py) call an HTTPS server and a TLS Redis
//    behind private CAs with the emitted env. Controls: without the env every client refuses,
//    and the combined bundle still holds every public root (a public endpoint keeps working).
import "../harness"; // setMocks first
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import { ofType, reset, settle } from "../harness";
import { OpenWebUiCluster } from "../../index";
import { CloudTarget } from "../../components/args/types";
import { CA_BUNDLE_DIR, CA_BUNDLE_FILE, DB_CA_FILE, TRUSTED_CA_DIR } from "../../components/spec/trust";
import { emitManagedAws, resolveEnv } from "./lib/component";
import { PYTHON } from "./lib/openwebui";
import { cleanupAll, run, tempDir } from "./lib/procs";
import { LocalPostgres, LocalRedis, makeCa } from "./lib/servers";

const SYSTEM_ROOTS = "/etc/ssl/certs/ca-certificates.crt";
const certCount = (file: string) => fs.readFileSync(file, "utf8").split("BEGIN CERTIFICATE").length - 1;

/** Runs Python from the release's venv; returns exit status and output. */
function py(code: string, env: NodeJS.ProcessEnv, args: string[] = []): { status: number | null; out: string } {
    const r = run(PYTHON, ["-c", code, ...args], { env: { PATH: "/usr/bin:/bin", LANG: "C.UTF-8", ...env }, check: false, timeoutMs: 120_000 });
    return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

/** `py` without blocking the event loop (the HTTPS server under test runs in this process). */
function pyAsync(code: string, env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
    return new Promise((resolve) => {
        execFile(PYTHON, ["-c", code, ...args], { env: { PATH: "/usr/bin:/bin", LANG: "C.UTF-8", ...env }, timeout: 120_000 }, (_e, stdout, stderr) =>
            resolve(`${stdout}\n${stderr}`),
        );
    });
}

/** Open WebUI's engine: SQLAlchemy create_engine on DATABASE_URL (psycopg), then whether the session is TLS. */
const SQLALCHEMY_CONNECT = [
    "import sys, sqlalchemy",
    "e = sqlalchemy.create_engine(sys.argv[1])",
    "with e.connect() as c: print('ssl', c.exec_driver_sql('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()').scalar())",
].join("\n");

describe("trusted CAs, run for real (database CA, trustedCa bundle)", function () {
    this.timeout(300_000);
    after(cleanupAll);

    describe("the managed database's CA: verify-full with the emitted URL", () => {
        let pg: LocalPostgres;
        let emittedUrl: string;
        before(async () => {
            if (!fs.existsSync(PYTHON)) throw new Error(`${PYTHON} missing: run tests/integration/setup.sh first`);
            emittedUrl = (await emitManagedAws({ min: 2, max: 3 })).serveEnv.DATABASE_URL;
            pg = new LocalPostgres("trust", 50, undefined, true);
            await pg.start();
            const u = new URL(emittedUrl);
            pg.superSql(`CREATE ROLE ${u.username} LOGIN PASSWORD '${decodeURIComponent(u.password)}'`);
            pg.superSql(`CREATE DATABASE ${u.pathname.slice(1)} OWNER ${u.username}`);
        });

        /** The emitted URL on the local server, with `sslrootcert` at `ca` (the pod's mounted file), host `host`. */
        const local = (ca: string, host = "127.0.0.1") => {
            const u = new URL(emittedUrl);
            u.hostname = host;
            u.port = String(pg.port);
            u.searchParams.set("sslrootcert", ca);
            return u.toString();
        };

        it("the component emits sslmode=verify-full with the mounted RDS CA file", () => {
            const q = new URL(emittedUrl).searchParams;
            assert.deepStrictEqual([q.get("sslmode"), q.get("sslrootcert")], ["verify-full", DB_CA_FILE]);
        });

        it("Open WebUI's engine connects over verified TLS; another CA and a host the certificate does not name are refused", () => {
            const ok = py(SQLALCHEMY_CONNECT, {}, [local(pg.ca!.caCert)]);
            assert.strictEqual(ok.status, 0, ok.out);
            assert.match(ok.out, /ssl True/);
            const other = makeCa(tempDir("other-db-ca"), "other-db");
            const wrongCa = py(SQLALCHEMY_CONNECT, {}, [local(other.caCert)]);
            assert.notStrictEqual(wrongCa.status, 0);
            assert.match(wrongCa.out, /certificate verify failed/);
            // The certificate names IP:127.0.0.1 only: verify-full checks the host name too.
            const wrongHost = py(SQLALCHEMY_CONNECT, {}, [local(pg.ca!.caCert, "localhost")]);
            assert.notStrictEqual(wrongHost.status, 0);
            assert.match(wrongHost.out, /does not match host name|server certificate for .* does not match/);
        });
    });

    describe("trustedCa: the emitted init script and env with Open WebUI's Python clients", () => {
        let server: https.Server;
        let port = 0;
        let redis: LocalRedis;
        let bundle: string;
        let emittedEnv: Record<string, string>;
        let mapped: { trusted: string; out: string };

        before(async () => {
            const corp = makeCa(tempDir("corp-ca"), "corp");
            server = https.createServer({ cert: fs.readFileSync(corp.cert), key: fs.readFileSync(corp.key) }, (_req, res) => res.end("corp-ok"));
            await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
            port = (server.address() as { port: number }).port;
            redis = new LocalRedis("trust-redis-pw", true);
            await redis.start();

            reset();
            new OpenWebUiCluster("it", { target: CloudTarget.Kubernetes, hostname: "chat.example.com", trustedCa: { configMapName: "corp-ca" } });
            await settle();
            const p = ofType("kubernetes:apps/v1:Deployment").find((d) => d.name === "it")!.plain.spec.template.spec;
            const init = p.initContainers.find((c: any) => c.name === "trusted-ca");
            emittedEnv = resolveEnv(p.containers[0]);
            // The user's bundle: two private CAs (the HTTPS server's and Redis's), as trust-manager would write it.
            const root = tempDir("trusted-ca");
            mapped = { trusted: path.join(root, "trusted-ca"), out: path.join(root, "ca-bundle") };
            fs.mkdirSync(mapped.trusted);
            fs.mkdirSync(mapped.out);
            fs.writeFileSync(path.join(mapped.trusted, "ca.crt"), fs.readFileSync(corp.caCert, "utf8") + fs.readFileSync(redis.ca!.caCert, "utf8"));
            const script = (init.command[2] as string).split(TRUSTED_CA_DIR).join(mapped.trusted).split(CA_BUNDLE_DIR).join(mapped.out);
            const r = run("sh", ["-c", script], { env: { PATH: `${path.dirname(PYTHON)}:/usr/bin:/bin` }, check: false });
            assert.strictEqual(r.status, 0, r.stderr);
            bundle = CA_BUNDLE_FILE.split(CA_BUNDLE_DIR).join(mapped.out);
        });
        after(async () => {
            await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
        });

        const CLIENTS = [
            "import sys, asyncio, ssl, urllib.request, requests, httpx, aiohttp, redis",
            "url, rurl = sys.argv[1], sys.argv[2]",
            "def attempt(name, f):",
            "    try: print(name, 'ok', f())",
            "    except Exception as e: print(name, 'FAILED', type(e).__name__, str(e)[:160])",
            "attempt('requests', lambda: requests.get(url, timeout=10).text)",
            "attempt('httpx', lambda: httpx.get(url, timeout=10).text)",
            "attempt('urllib', lambda: urllib.request.urlopen(url, timeout=10).read().decode())",
            "async def aio():",
            "    async with aiohttp.ClientSession() as s:",
            "        async with s.get(url) as r: return await r.text()",
            "attempt('aiohttp', lambda: asyncio.run(aio()))",
            "attempt('redis', lambda: redis.Redis.from_url(rurl, socket_timeout=5).ping())",
        ].join("\n");
        const clients = (env: NodeJS.ProcessEnv) => pyAsync(CLIENTS, env, [`https://127.0.0.1:${port}/`, `rediss://:trust-redis-pw@127.0.0.1:${redis.port}/0`]);

        it("the init script writes the public roots followed by the private bundle", () => {
            assert.strictEqual(certCount(bundle), certCount(SYSTEM_ROOTS) + 2);
            assert.ok(fs.readFileSync(bundle, "utf8").startsWith(fs.readFileSync(SYSTEM_ROOTS, "utf8")), "public roots kept, in front");
        });

        it("with the emitted env (SSL_CERT_FILE, REQUESTS_CA_BUNDLE) every client reaches both private endpoints", async () => {
            assert.strictEqual(emittedEnv.SSL_CERT_FILE, CA_BUNDLE_FILE);
            assert.strictEqual(emittedEnv.REQUESTS_CA_BUNDLE, CA_BUNDLE_FILE);
            const out = await clients({ SSL_CERT_FILE: bundle, REQUESTS_CA_BUNDLE: bundle });
            for (const c of ["requests", "httpx", "urllib", "aiohttp"]) assert.match(out, new RegExp(`^${c} ok corp-ok$`, "m"), out);
            assert.match(out, /^redis ok True$/m, out);
        });

        it("control: without the env every client refuses the private CAs", async () => {
            const out = await clients({});
            for (const c of ["requests", "httpx", "urllib", "aiohttp", "redis"]) assert.match(out, new RegExp(`^${c} FAILED`, "m"), out);
            assert.match(out, /CERTIFICATE_VERIFY_FAILED|certificate verify failed/);
        });
    });
});
