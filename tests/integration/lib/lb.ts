// The HA suite's load balancer and S3 server, both real and on 127.0.0.1:
// - nginx from Debian, configured like the component's load balancers: round robin over the
//   ready replicas, no stickiness, websocket upgrade, the component's idle timeout;
// - moto's S3 server from PyPI (boto's own S3 fake; the S3 API Open WebUI's boto3 client speaks).
import * as fs from "fs";
import * as path from "path";
import { IS_ROOT, IT_HOME, freePort, request, run, startProcess, stopProcess, tail, Tracked, tempDir, waitFor } from "./procs";

export const NGINX_BIN = process.env.IT_NGINX ?? "/usr/sbin/nginx";
export const MOTO_SERVER = path.join(IT_HOME, "moto-venv", "bin", "moto_server");

export interface LbSettings {
    /** Idle/read timeout in seconds (the component's load balancer idle timeout). */
    idleTimeoutSeconds: number;
    /** Health-check path the cloud load balancers use (the component's: /health). */
    healthPath: string;
    /**
     * false: no retry on another upstream (`proxy_next_upstream off`), as an AWS ALB behaves: a
     * request the chosen replica refuses or drops fails. Default true (nginx's own default).
     */
    retry?: boolean;
}

/**
 * nginx in front of the replicas. What it models, and what it does not:
 * - The Kubernetes Service/Endpoints + load balancer pair: only READY replicas are upstreams
 *   (`setBackends` rewrites the upstream and reloads, as the endpoints controller removes a pod
 *   that is unready or terminating).
 * - Round robin, no stickiness: consecutive requests land on different replicas.
 * - A connection refused by a replica that just died is retried once on another replica for
 *   idempotent requests (nginx's default `proxy_next_upstream error timeout`, which Envoy
 *   Gateway and the GKE/Azure L7 proxies do as well). An AWS ALB does not retry; there the
 *   component's preStop delay and target deregistration carry the same guarantee for planned
 *   terminations only.
 * - Websockets: HTTP/1.1 upgrade, read/send timeout = the component's idle timeout.
 * Every response is logged with the upstream that served it and its status (`accessLog()`).
 */
export class LocalNginx {
    port = 0;
    proc?: Tracked;
    readonly dir = tempDir("nginx");
    private backends: number[] = [];

    constructor(readonly settings: LbSettings) {}

    private conf(): string {
        // Without retries there is no passive health check either (max_fails=0), as on an ALB: only
        // the endpoint list (`setBackends`) takes a replica out.
        const fails = this.settings.retry === false ? "max_fails=0" : "max_fails=1 fail_timeout=5s";
        const upstreams = this.backends.length
            ? this.backends.map((p) => `        server 127.0.0.1:${p} ${fails};`).join("\n")
            : "        server 127.0.0.1:1 down;";
        const t = this.settings.idleTimeoutSeconds;
        return `${IS_ROOT ? "user root;\n" : ""}worker_processes 1;
pid ${this.dir}/nginx.pid;
error_log ${this.dir}/error.log warn;
events { worker_connections 4096; }
http {
    client_body_temp_path ${this.dir}/body;
    proxy_temp_path ${this.dir}/proxy;
    fastcgi_temp_path ${this.dir}/fastcgi;
    uwsgi_temp_path ${this.dir}/uwsgi;
    scgi_temp_path ${this.dir}/scgi;
    log_format lb '$msec $request_method $uri $status $upstream_addr $upstream_status $request_time';
    access_log ${this.dir}/access.log lb;
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    upstream openwebui {
${upstreams}
        keepalive 32;
    }
    server {
        listen 127.0.0.1:${this.port};
        client_max_body_size 100m;
        location / {
            proxy_pass http://openwebui;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto https;
            proxy_read_timeout ${t}s;
            proxy_send_timeout ${t}s;
            proxy_connect_timeout 5s;
            proxy_buffering off;
            ${this.settings.retry === false ? "proxy_next_upstream off;" : "proxy_next_upstream error timeout;\n            proxy_next_upstream_tries 2;"}
            add_header X-Upstream $upstream_addr always;
        }
    }
}
`;
    }

    private write(): string {
        const f = path.join(this.dir, "nginx.conf");
        fs.writeFileSync(f, this.conf());
        run(NGINX_BIN, ["-t", "-q", "-p", this.dir, "-c", f]);
        return f;
    }

    async start(backends: number[]): Promise<void> {
        this.port = await freePort();
        this.backends = [...backends];
        const f = this.write();
        this.proc = startProcess("nginx", NGINX_BIN, ["-p", this.dir, "-c", f, "-g", "daemon off;"], { env: { PATH: process.env.PATH } });
        this.backendsNow = [...backends];
        await waitFor(
            "nginx",
            async () => (await request(`${this.base}${this.settings.healthPath}`, { timeoutMs: 3000 })).status > 0,
            20_000,
            200,
            () => (this.proc!.exited ? `nginx exited: ${tail(path.join(this.dir, "error.log"))}` : undefined),
        );
    }

    get base(): string {
        return `http://127.0.0.1:${this.port}`;
    }

    /** Upstream ports in the configuration nginx is serving with. */
    backendsNow: number[] = [];

    /** Worker processes of the nginx master that still accept connections (pid -> title). */
    private workers(master: number): Map<number, string> {
        const r = run("ps", ["--ppid", String(master), "-o", "pid=,args="], { check: false });
        const m = new Map<number, string>();
        for (const line of r.stdout.split("\n")) {
            const x = /^\s*(\d+)\s+(.*)$/.exec(line);
            if (x) m.set(Number(x[1]), x[2]);
        }
        return m;
    }

    /**
     * The ready set changed (a pod became unready / terminating / ready): new upstreams and a
     * graceful reload; returns once a worker with the new configuration runs (old workers finish
     * their requests and websockets, as in a real reload).
     */
    async setBackends(backends: number[]): Promise<void> {
        this.backends = [...backends];
        this.write();
        const master = Number(fs.readFileSync(path.join(this.dir, "nginx.pid"), "utf8").trim());
        const before = new Set(this.workers(master).keys());
        process.kill(master, "SIGHUP");
        // Done when a new worker runs and every old one has stopped accepting: it exited, or it
        // finishes its open requests and websockets titled "worker process is shutting down".
        await waitFor(
            "nginx reload",
            async () => {
                const now = this.workers(master);
                const fresh = [...now.keys()].some((w) => !before.has(w));
                const oldAccepting = [...before].some((w) => now.has(w) && !/shutting down/.test(now.get(w)!));
                return fresh && !oldAccepting;
            },
            10_000,
            20,
        );
        this.backendsNow = [...backends];
    }

    /** Parsed access log lines since the start. */
    accessLog(): { at: number; method: string; uri: string; status: number; upstream: string }[] {
        const f = path.join(this.dir, "access.log");
        if (!fs.existsSync(f)) return [];
        return fs
            .readFileSync(f, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((l) => {
                const [at, method, uri, status, upstream] = l.split(" ");
                return { at: Number(at) * 1000, method, uri, status: Number(status), upstream };
            });
    }

    async stop(): Promise<void> {
        if (this.proc) await stopProcess(this.proc);
    }
}

/** moto's S3 server: accepts any SigV4 key pair, keeps objects in memory. */
export class LocalS3 {
    port = 0;
    proc?: Tracked;
    readonly accessKeyId = "AKIAITTESTKEY0000000";
    readonly secretAccessKey = "it-secret-access-key-0123456789abcdefghij";

    async start(): Promise<void> {
        if (!fs.existsSync(MOTO_SERVER)) throw new Error(`${MOTO_SERVER} missing: run tests/integration/setup.sh`);
        this.port = await freePort();
        this.proc = startProcess("moto-s3", MOTO_SERVER, ["-H", "127.0.0.1", "-p", String(this.port)], { env: { PATH: process.env.PATH, LANG: "C.UTF-8" } });
        await waitFor(
            "moto S3 server",
            async () => (await request(`${this.endpoint}/`, { timeoutMs: 3000 })).status > 0,
            60_000,
            300,
            () => (this.proc!.exited ? `moto exited: ${tail(this.proc!.logFile)}` : undefined),
        );
    }

    get endpoint(): string {
        return `http://127.0.0.1:${this.port}`;
    }

    /** Runs a boto3 snippet (Open WebUI's own S3 client library) against this server. */
    boto3(python: string, code: string): string {
        const prelude = `import boto3, sys\ns3 = boto3.client("s3", endpoint_url="${this.endpoint}", aws_access_key_id="${this.accessKeyId}", aws_secret_access_key="${this.secretAccessKey}", region_name=sys.argv[1])\n`;
        return run(python, ["-c", prelude + code, "eu-west-1"], { env: { PATH: process.env.PATH } }).stdout;
    }

    async stop(): Promise<void> {
        if (this.proc) await stopProcess(this.proc);
    }
}
