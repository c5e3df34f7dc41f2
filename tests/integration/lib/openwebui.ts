// Open WebUI 0.12.4 processes from the suite's venv, started with exactly the env the component
// emits plus a short, named list of local overrides.
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { Env } from "./component";
import { VENV, freePort, request, startProcess, stopProcess, tail, Tracked, tempDir, waitFor } from "./procs";

export const OPEN_WEBUI_BIN = path.join(VENV, "bin", "open-webui");
export const PYTHON = path.join(VENV, "bin", "python");

/** Where `open_webui` is installed in the venv (the code the server runs). */
export function packageDir(): string {
    const r = require("child_process").spawnSync(PYTHON, ["-c", "import importlib.util as u; print(u.find_spec('open_webui').submodule_search_locations[0])"], {
        encoding: "utf8",
    });
    return r.stdout.trim();
}

/**
 * The only env the tests change, and why:
 * - DATA_DIR / STATIC_DIR: the pod mounts a writable volume at /app/backend/data; here a temp
 *   dir per process takes its place (same shape: STATIC_DIR = DATA_DIR/static).
 * Everything else (database, Redis, S3 settings, secret key, pools, ENABLE_DB_MIGRATIONS=false)
 * is used as emitted.
 */
export function localOverrides(dataDir: string): Env {
    return { DATA_DIR: dataDir, STATIC_DIR: path.join(dataDir, "static") };
}

export interface OpenWebUi {
    name: string;
    port: number;
    base: string;
    proc: Tracked;
    dataDir: string;
    startupMs: number;
}

/** `open-webui serve` on 127.0.0.1 (the wheel's equivalent of the image's uvicorn start). */
/**
 * `launcher`: a command the server is started through (e.g. `unshare --mount ...` to give it a
 * pod-like filesystem), the server's argv appended; `overrides`: env applied after the local
 * overrides (e.g. the DATA_DIR path the launcher mounts).
 */
export async function startOpenWebUi(
    name: string,
    env: Env,
    opts: { uid?: number; gid?: number; timeoutMs?: number; venv?: string; launcher?: string[]; overrides?: Env } = {},
): Promise<OpenWebUi> {
    const owner = opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid ?? opts.uid } : undefined;
    const dataDir = tempDir(`data-${name}`, owner);
    const port = await freePort();
    const fullEnv: NodeJS.ProcessEnv = { PATH: "/usr/local/bin:/usr/bin:/bin", LANG: "C.UTF-8", ...env, ...localOverrides(dataDir), ...opts.overrides };
    const started = Date.now();
    const bin = opts.venv ? path.join(opts.venv, "bin", "open-webui") : OPEN_WEBUI_BIN;
    const argv = [bin, "serve", "--host", "127.0.0.1", "--port", String(port)];
    const [cmd, ...args] = opts.launcher ? [...opts.launcher, ...argv] : argv;
    const proc = startProcess(`openwebui-${name}`, cmd, args, { env: fullEnv, cwd: dataDir, uid: opts.uid, gid: opts.gid });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(
        `Open WebUI ${name} /health`,
        async () => (await request(`${base}/health`, { timeoutMs: 5000 })).status === 200,
        opts.timeoutMs ?? 240_000,
        500,
        () => (proc.exited ? `process exited with ${proc.exitCode}:\n${tail(proc.logFile, 60)}` : undefined),
    );
    return { name, port, base, proc, dataDir, startupMs: Date.now() - started };
}

export async function stopOpenWebUi(o: OpenWebUi | undefined): Promise<void> {
    if (o) await stopProcess(o.proc, 15_000);
}

/**
 * Engine.IO over a raw WebSocket upgrade at /ws/socket.io (Node 20 has no WebSocket client):
 * returns the HTTP status of the upgrade and the first Engine.IO packet (the `0{...}` open packet).
 */
export function socketIoHandshake(base: string, timeoutMs = 15_000): Promise<{ status: number; openPacket?: string }> {
    const u = new URL(base);
    return new Promise((resolve, reject) => {
        const req = http.request({
            hostname: u.hostname,
            port: u.port,
            path: "/ws/socket.io/?EIO=4&transport=websocket",
            agent: false,
            headers: {
                Connection: "Upgrade",
                Upgrade: "websocket",
                "Sec-WebSocket-Version": "13",
                "Sec-WebSocket-Key": crypto.randomBytes(16).toString("base64"),
            },
        });
        const timer = setTimeout(() => {
            req.destroy();
            reject(new Error("socket.io handshake timeout"));
        }, timeoutMs);
        req.on("response", (res) => {
            clearTimeout(timer);
            res.resume();
            resolve({ status: res.statusCode ?? 0 });
        });
        req.on("upgrade", (res, socket, head: Buffer) => {
            let buf = Buffer.alloc(0);
            const onData = (d: Buffer) => {
                buf = Buffer.concat([buf, d]);
                if (buf.length < 2) return;
                let len = buf[1] & 0x7f;
                let off = 2;
                if (len === 126) {
                    if (buf.length < 4) return;
                    len = buf.readUInt16BE(2);
                    off = 4;
                }
                if (buf.length < off + len) return;
                clearTimeout(timer);
                const text = buf.subarray(off, off + len).toString("utf8");
                socket.destroy();
                resolve({ status: res.statusCode ?? 101, openPacket: text });
            };
            socket.on("data", onData);
            // Bytes that arrived with the 101 response (the open packet usually does).
            if (head && head.length) onData(head);
        });
        req.on("error", (e) => {
            clearTimeout(timer);
            reject(e);
        });
        req.end();
    });
}

/** True when `user` cannot write into `dir` (checked by the kernel, as that user). */
export function notWritableBy(dir: string, uid: number, gid: number): boolean {
    const r = require("child_process").spawnSync("/usr/bin/test", ["-w", dir], { uid, gid });
    return r.status !== 0;
}

export function writeFile(p: string, content: string): string {
    fs.writeFileSync(p, content);
    return p;
}
