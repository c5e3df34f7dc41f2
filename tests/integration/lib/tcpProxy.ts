// One stable TCP address in front of a database whose primary moves: what CloudNativePG's `-rw`
// Service gives (kube-proxy sends new connections to the pod labelled primary). A small Node
// relay in its OWN process (the test's synchronous psql/redis-cli calls must not stall it), on
// 127.0.0.1; `setUpstream` is the operator relabelling the new primary: the new port is written
// to a file and the relay re-reads it on SIGUSR2 (lib/procs.ts exits on SIGHUP), cutting the
// connections to the old upstream.
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { freePort, startProcess, stopProcess, tail, tempDir, Tracked, waitFor } from "./procs";

/** The relay itself (run as `node -r ts-node/register/transpile-only tcpProxy.ts <port> <upstream file>`). */
function relayMain(listenPort: number, upstreamFile: string): void {
    let upstreamPort = Number(fs.readFileSync(upstreamFile, "utf8"));
    const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
    const cut = () => {
        for (const p of pairs) {
            p.client.destroy();
            p.upstream.destroy();
        }
        pairs.clear();
    };
    net.createServer((client) => {
        const upstream = net.connect({ host: "127.0.0.1", port: upstreamPort });
        const pair = { client, upstream };
        pairs.add(pair);
        // Either side gone: the other is closed too (a dead pod's connections reset, as on a node loss).
        const close = () => {
            pairs.delete(pair);
            client.destroy();
            upstream.destroy();
        };
        upstream.once("error", (e: NodeJS.ErrnoException) => {
            if (e.code === "ECONNREFUSED") console.log(`refused ${Date.now()}`);
            close();
        });
        client.once("error", close);
        client.once("close", close);
        upstream.once("close", close);
        client.pipe(upstream);
        upstream.pipe(client);
    }).listen(listenPort, "127.0.0.1", () => console.log(`listening ${listenPort} upstream ${upstreamPort}`));
    process.on("SIGUSR2", () => {
        upstreamPort = Number(fs.readFileSync(upstreamFile, "utf8"));
        cut();
        console.log(`upstream ${upstreamPort} at ${Date.now()}`);
    });
}

if (require.main === module) relayMain(Number(process.argv[2]), process.argv[3]);

export class TcpProxy {
    port = 0;
    private proc?: Tracked;
    private readonly file = path.join(tempDir("tcp-proxy"), "upstream");

    constructor(private upstreamPort: number) {}

    async start(): Promise<void> {
        this.port = await freePort();
        fs.writeFileSync(this.file, String(this.upstreamPort));
        this.proc = startProcess("tcp-proxy", process.execPath, ["-r", "ts-node/register/transpile-only", __filename, String(this.port), this.file], {
            env: { PATH: process.env.PATH, TS_NODE_TRANSPILE_ONLY: "true" },
            cwd: path.resolve(__dirname, "../../.."),
        });
        await waitFor(
            "TCP proxy listening",
            async () => /listening/.test(tail(this.proc!.logFile)),
            30_000,
            100,
            () => (this.proc!.exited ? `proxy exited: ${tail(this.proc!.logFile)}` : undefined),
        );
    }

    /** New connections go to `port`; open ones to the old upstream are cut. Returns once the relay applied it. */
    async setUpstream(port: number): Promise<void> {
        this.upstreamPort = port;
        fs.writeFileSync(this.file, String(port));
        const applied = () => new RegExp(`^upstream ${port} at`, "m").test(tail(this.proc!.logFile, 200));
        process.kill(this.proc!.child.pid!, "SIGUSR2");
        await waitFor("proxy upstream switched", async () => applied(), 10_000, 10);
    }

    get upstream(): number {
        return this.upstreamPort;
    }

    /** Connections the relay accepted while its upstream refused them. */
    refused(): number {
        return (tail(this.proc!.logFile, 100_000).match(/^refused /gm) ?? []).length;
    }

    async stop(): Promise<void> {
        if (this.proc) await stopProcess(this.proc);
    }
}
