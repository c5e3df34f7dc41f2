// Real PostgreSQL (with pgvector) and Redis servers on 127.0.0.1, private to one test run.
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { IS_ROOT, freePort, onCleanup, pgBin, run, startProcess, stopProcess, tail, Tracked, tempDir, userIds, waitFor } from "./procs";

/**
 * Where a server listens when it is not on 127.0.0.1: inside the network namespace `netns` (made
 * by the test, lib/netns.ts), on `addr`, reachable from the clients' addresses `clientCidr`.
 */
export interface NetPlacement {
    netns: string;
    addr: string;
    clientCidr: string;
}

export interface PgConnection {
    user: string;
    password?: string;
    database?: string;
}

/**
 * One PostgreSQL cluster: `initdb` in a temp dir, listening on 127.0.0.1:<port> only,
 * the superuser `postgres` reachable through the Unix socket (trust), every TCP login
 * with a password (scram-sha-256), as on a managed server.
 */
export class LocalPostgres {
    /** Server binaries (initdb, pg_ctl, postgres). */
    readonly bin: string;
    /** Client binaries (psql): Debian's, also against newer servers. */
    readonly clientBin = pgBin();
    readonly dataDir: string;
    readonly socketDir: string;
    port = 0;
    /** With `tls`: the test CA that signs the server certificate (SAN IP:127.0.0.1), for `sslrootcert`. */
    ca?: { caCert: string; cert: string; key: string };
    private owner?: { uid: number; gid: number };

    /**
     * With `tls`, the server is like a managed one that enforces TLS: a certificate for 127.0.0.1
     * signed by a test CA (`ca`, so clients can verify-full as on the clouds), and pg_hba accepts
     * TCP logins only over TLS (`hostssl`); plain TCP is rejected.
     */
    constructor(
        readonly name: string,
        readonly maxConnections = 300,
        serverBin?: string,
        readonly tls = false,
        readonly net?: NetPlacement,
    ) {
        this.bin = serverBin ?? pgBin();
        // initdb/postgres refuse to run as root: use Debian's postgres user then.
        this.owner = IS_ROOT ? userIds("postgres") : undefined;
        const base = tempDir(`pg-${name}`, this.owner);
        this.dataDir = path.join(base, "data");
        this.socketDir = base;
    }

    /** The address clients connect to: 127.0.0.1, or the namespace address with `net`. */
    get host(): string {
        return this.net?.addr ?? "127.0.0.1";
    }

    /** `SHOW server_version_num`. */
    versionNum(): number {
        return Number(this.superSql("SHOW server_version_num")[0]);
    }

    /**
     * `populate`: fills the data dir instead of `initdb` (a standby's `pg_basebackup`, a restored
     * backup), run as the server's owner; the server then starts on it as usual.
     */
    async start(populate?: (asOwner: { uid?: number; gid?: number; env: NodeJS.ProcessEnv }) => void): Promise<void> {
        this.port = await freePort();
        const asOwner = { uid: this.owner?.uid, gid: this.owner?.gid, env: { PATH: process.env.PATH, LANG: "C.UTF-8" } };
        if (populate) populate(asOwner);
        else
            run(
                path.join(this.bin, "initdb"),
                ["-D", this.dataDir, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"],
                asOwner,
            );
        let tlsOpts = "";
        if (this.tls) {
            const crt = path.join(this.dataDir, "server.crt");
            const key = path.join(this.dataDir, "server.key");
            const caDir = tempDir(`pg-${this.name}-ca`);
            fs.chmodSync(caDir, 0o755); // clients running as the unprivileged test user read the CA
            this.ca = makeCa(caDir, `pg-${this.name}`, this.host);
            fs.copyFileSync(this.ca.cert, crt);
            fs.copyFileSync(this.ca.key, key);
            fs.chmodSync(key, 0o600);
            if (this.owner) for (const f of [crt, key]) fs.chownSync(f, this.owner.uid, this.owner.gid);
            fs.writeFileSync(
                path.join(this.dataDir, "pg_hba.conf"),
                `local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n${this.net ? `hostssl all all ${this.net.clientCidr} scram-sha-256\n` : ""}`,
            );
            tlsOpts = " -c ssl=on";
        } else if (this.net) {
            fs.appendFileSync(path.join(this.dataDir, "pg_hba.conf"), `host all all ${this.net.clientCidr} scram-sha-256\n`);
        }
        this.serverOpts = `-c listen_addresses=${this.host} -p ${this.port} -k ${this.socketDir} -c max_connections=${this.maxConnections} -c fsync=off -c password_encryption=scram-sha-256${tlsOpts}`;
        this.startAgain();
        onCleanup(`postgres ${this.name}`, () => this.stopSync());
    }

    private serverOpts = "";
    /** (Re)starts the server on the same data dir and port (after `stopSync`). */
    startAgain(): void {
        const args = ["-D", this.dataDir, "-l", path.join(this.socketDir, "postgres.log"), "-w", "-t", "60", "-o", this.serverOpts, "start"];
        const env = { PATH: process.env.PATH, LANG: "C.UTF-8" };
        if (this.net) {
            // Entering the namespace needs root; the server itself then runs as its owner.
            const who = this.owner ? [`--reuid=${this.owner.uid}`, `--regid=${this.owner.gid}`, "--clear-groups"] : [];
            run("ip", ["netns", "exec", this.net.netns, "setpriv", ...who, path.join(this.bin, "pg_ctl"), ...args], { env });
        } else run(path.join(this.bin, "pg_ctl"), args, { uid: this.owner?.uid, gid: this.owner?.gid, env });
    }

    stopSync(): void {
        if (!fs.existsSync(path.join(this.dataDir, "postmaster.pid"))) return;
        run(path.join(this.bin, "pg_ctl"), ["-D", this.dataDir, "-m", "fast", "-w", "-t", "30", "stop"], {
            uid: this.owner?.uid,
            gid: this.owner?.gid,
            env: { PATH: process.env.PATH },
            check: false,
        });
    }

    log(): string {
        return tail(path.join(this.socketDir, "postgres.log"));
    }

    /** What clients use: `require` against a TLS-only server, as the component emits for managed servers. */
    get sslMode(): string {
        return this.tls ? "require" : "disable";
    }

    /** libpq environment for a TCP login as `c` (like the bootstrap Job's Secret). */
    tcpEnv(c: PgConnection, database = "postgres"): NodeJS.ProcessEnv {
        return {
            PATH: process.env.PATH,
            PGHOST: this.host,
            PGPORT: String(this.port),
            PGDATABASE: c.database ?? database,
            PGUSER: c.user,
            ...(c.password !== undefined ? { PGPASSWORD: c.password } : {}),
            PGSSLMODE: this.sslMode,
            PGCONNECT_TIMEOUT: "10",
        };
    }

    /** Runs SQL as the superuser over the Unix socket; returns unaligned rows (`|`-separated). */
    superSql(sql: string, database = "postgres"): string[] {
        const r = run(
            path.join(this.clientBin, "psql"),
            [
                "--no-psqlrc",
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-At",
                "-h",
                this.socketDir,
                "-p",
                String(this.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-c",
                sql,
            ],
            { env: { PATH: process.env.PATH } },
        );
        return r.stdout.split("\n").filter((l) => l.length > 0);
    }

    /** `superSql` without blocking the event loop (for sampling while Node generates load). */
    superSqlAsync(sql: string, database = "postgres", timeoutMs = 30_000): Promise<string[]> {
        return new Promise((resolve, reject) => {
            execFile(
                path.join(this.clientBin, "psql"),
                [
                    "--no-psqlrc",
                    "-X",
                    "-q",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-At",
                    "-h",
                    this.socketDir,
                    "-p",
                    String(this.port),
                    "-U",
                    "postgres",
                    "-d",
                    database,
                    "-c",
                    sql,
                ],
                { env: { PATH: process.env.PATH }, timeout: timeoutMs },
                (err, stdout) => {
                    if (err) reject(err);
                    else resolve(stdout.split("\n").filter((l) => l.length > 0));
                },
            );
        });
    }

    /** Runs SQL over TCP as `c`; returns status, stdout, stderr (does not throw). */
    sqlAs(c: PgConnection, sql: string, database?: string): { status: number | null; stdout: string; stderr: string } {
        const r = run(path.join(this.clientBin, "psql"), ["--no-psqlrc", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-c", sql], {
            env: this.tcpEnv(c, database),
            check: false,
        });
        return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    }

    url(c: PgConnection, database: string): string {
        const auth = c.password !== undefined ? `${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}` : encodeURIComponent(c.user);
        return `postgresql://${auth}@${this.host}:${this.port}/${database}?sslmode=${this.sslMode}`;
    }
}

/** A throwaway CA and a server certificate for 127.0.0.1 (and `ip`, when another) signed by it. */
export function makeCa(dir: string, name: string, ip = "127.0.0.1"): { caCert: string; cert: string; key: string } {
    const env = { PATH: process.env.PATH };
    const p = (f: string) => path.join(dir, `${name}-${f}`);
    run(
        "openssl",
        ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", `/CN=${name} test CA`, "-keyout", p("ca.key"), "-out", p("ca.crt")],
        { env },
    );
    run("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-subj", `/CN=${ip}`, "-keyout", p("server.key"), "-out", p("server.csr")], { env });
    fs.writeFileSync(p("ext.cnf"), `subjectAltName=IP:127.0.0.1${ip !== "127.0.0.1" ? `,IP:${ip}` : ""}\n`);
    run(
        "openssl",
        [
            "x509",
            "-req",
            "-in",
            p("server.csr"),
            "-CA",
            p("ca.crt"),
            "-CAkey",
            p("ca.key"),
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            p("ext.cnf"),
            "-out",
            p("server.crt"),
        ],
        { env },
    );
    return { caCert: p("ca.crt"), cert: p("server.crt"), key: p("server.key") };
}

/**
 * redis-server on 127.0.0.1 with a password, no persistence; with `tls`, TLS only (no plain port);
 * with `net`, inside that network namespace on its address.
 */
export class LocalRedis {
    port = 0;
    proc?: Tracked;
    ca?: { caCert: string; cert: string; key: string };
    constructor(
        readonly password: string,
        readonly tls = false,
        readonly net?: Omit<NetPlacement, "clientCidr">,
    ) {}

    get host(): string {
        return this.net?.addr ?? "127.0.0.1";
    }

    /** Starts the server; again after `kill()`: same port, password and certificate, empty data. */
    async start(): Promise<void> {
        this.port = this.port || (await freePort());
        const dir = tempDir("redis");
        let portArgs = ["--port", String(this.port)];
        if (this.tls) {
            this.ca = this.ca ?? makeCa(dir, "redis", this.host);
            portArgs = [
                "--port",
                "0",
                "--tls-port",
                String(this.port),
                "--tls-cert-file",
                this.ca.cert,
                "--tls-key-file",
                this.ca.key,
                "--tls-ca-cert-file",
                this.ca.caCert,
                "--tls-auth-clients",
                "no",
            ];
        }
        const serverArgs = [
            "--bind",
            this.host,
            ...portArgs,
            "--requirepass",
            this.password,
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            dir,
            "--daemonize",
            "no",
            "--protected-mode",
            "yes",
        ];
        // `ip netns exec` enters the namespace and execs the server (same pid: freeze/kill reach it).
        const [cmd, args] = this.net ? ["ip", ["netns", "exec", this.net.netns, "redis-server", ...serverArgs]] : ["redis-server", serverArgs];
        this.proc = startProcess(this.tls ? "redis-tls" : "redis", cmd, args, { env: { PATH: process.env.PATH } });
        await waitFor(
            "redis PING",
            async () => this.cli(["PING"]).trim() === "PONG",
            20_000,
            200,
            () => (this.proc!.exited ? `redis exited: ${tail(this.proc!.logFile)}` : undefined),
        );
    }

    cli(args: string[]): string {
        const tlsArgs = this.ca ? ["--tls", "--cacert", this.ca.caCert] : [];
        const r = run("redis-cli", ["-h", this.host, "-p", String(this.port), ...tlsArgs, "--no-auth-warning", "-a", this.password, ...args], { check: false });
        return r.stdout;
    }

    url(db = 0): string {
        return `redis://:${encodeURIComponent(this.password)}@${this.host}:${this.port}/${db}`;
    }

    async stop(): Promise<void> {
        if (this.proc) await stopProcess(this.proc);
    }

    /** SIGSTOP: the server keeps its sockets open and answers nothing (a hung node). */
    freeze(): void {
        process.kill(this.proc!.child.pid!, "SIGSTOP");
    }

    thaw(): void {
        process.kill(this.proc!.child.pid!, "SIGCONT");
    }

    /** SIGKILL: the server is gone with everything it held (no persistence here). */
    async kill(): Promise<void> {
        const p = this.proc!;
        process.kill(p.child.pid!, "SIGKILL");
        const end = Date.now() + 10_000;
        while (!p.exited && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    }
}
