// A Sentinel-managed Redis as the kubernetes target's HA mode runs it: a primary and a replica
// (Debian's redis-server, AUTH on both, `masterauth` so either can follow the other) and three
// Sentinels on 127.0.0.1, 127.0.0.2 and 127.0.0.3, all on ONE port (Open WebUI takes one
// REDIS_SENTINEL_PORT for every Sentinel host). The Sentinels require the same password, as the
// component's own Sentinels do (Open WebUI 0.12.1+ authenticates to them with REDIS_URL's password). Started and stopped by PID.
import * as fs from "fs";
import * as path from "path";
import { SENTINEL_SETTINGS } from "../../../components/data/valkeySentinel";
import { freePort, run, sleep, startProcess, stopProcess, tail, tempDir, Tracked, waitFor } from "./procs";

/** Sentinel timing of a drill. */
export interface SentinelTiming {
    quorum: number;
    downAfterMs: number;
    failoverTimeoutMs: number;
    parallelSyncs: number;
}

/** What the component's own Sentinel StatefulSets run (`SENTINEL_SETTINGS`). */
export const COMPONENT_SENTINEL_TIMING: SentinelTiming = {
    quorum: SENTINEL_SETTINGS.quorum,
    downAfterMs: SENTINEL_SETTINGS.downAfterMilliseconds,
    failoverTimeoutMs: SENTINEL_SETTINGS.failoverTimeoutMilliseconds,
    parallelSyncs: SENTINEL_SETTINGS.parallelSyncs,
};

export const SENTINEL_HOSTS = ["127.0.0.1", "127.0.0.2", "127.0.0.3"];

interface DataNode {
    port: number;
    proc?: Tracked;
    dir: string;
}

export class SentinelRedis {
    readonly nodes: DataNode[] = [];
    readonly sentinels: { host: string; proc?: Tracked; conf: string; dir: string }[] = [];
    sentinelPort = 0;

    constructor(
        readonly password: string,
        readonly timing: SentinelTiming = COMPONENT_SENTINEL_TIMING,
        readonly masterName: string = SENTINEL_SETTINGS.masterName,
    ) {}

    private async startNode(n: DataNode, replicaOf?: number): Promise<void> {
        const args = [
            "--bind",
            "127.0.0.1",
            "--port",
            String(n.port),
            "--requirepass",
            this.password,
            "--masterauth",
            this.password,
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            n.dir,
            "--daemonize",
            "no",
        ];
        if (replicaOf) args.push("--replicaof", "127.0.0.1", String(replicaOf));
        n.proc = startProcess(`redis-${n.port}`, "redis-server", args, { env: { PATH: process.env.PATH } });
        await waitFor(
            `redis ${n.port} PING`,
            async () => this.cli(n.port, ["PING"]).trim() === "PONG",
            20_000,
            100,
            () => (n.proc!.exited ? `redis exited: ${tail(n.proc!.logFile)}` : undefined),
        );
    }

    private startSentinel(i: number): void {
        const s = this.sentinels[i];
        s.proc = startProcess(`sentinel-${i}`, "redis-server", [s.conf, "--sentinel"], { env: { PATH: process.env.PATH } });
    }

    /** Primary, replica in sync, three Sentinels that agree on the primary and see each other. */
    async start(): Promise<void> {
        for (let i = 0; i < 2; i++) this.nodes.push({ port: await freePort(), dir: tempDir(`redis-node${i}`) });
        await this.startNode(this.nodes[0]);
        await this.startNode(this.nodes[1], this.nodes[0].port);
        await waitFor("replica in sync", async () => /master_link_status:up/.test(this.cli(this.nodes[1].port, ["INFO", "replication"])), 30_000, 100);
        this.sentinelPort = await freePort();
        const t = this.timing;
        for (const [i, host] of SENTINEL_HOSTS.entries()) {
            const dir = tempDir(`sentinel${i}`);
            const conf = path.join(dir, "sentinel.conf");
            // Sentinel rewrites its config (state, peers): a writable file per Sentinel. Each
            // announces its own loopback address, so the three are told apart on one port.
            fs.writeFileSync(
                conf,
                [
                    `port ${this.sentinelPort}`,
                    `bind ${host}`,
                    `dir ${dir}`,
                    `sentinel announce-ip ${host}`,
                    `bind-source-addr ${host}`,
                    `sentinel monitor ${this.masterName} 127.0.0.1 ${this.nodes[0].port} ${t.quorum}`,
                    `requirepass ${this.password}`,
                    `sentinel auth-pass ${this.masterName} ${this.password}`,
                    `sentinel down-after-milliseconds ${this.masterName} ${t.downAfterMs}`,
                    `sentinel failover-timeout ${this.masterName} ${t.failoverTimeoutMs}`,
                    `sentinel parallel-syncs ${this.masterName} ${t.parallelSyncs}`,
                    "",
                ].join("\n"),
            );
            this.sentinels.push({ host, conf, dir });
            this.startSentinel(i);
        }
        await waitFor(
            "3 Sentinels see the primary, its replica and each other",
            async () =>
                this.sentinels.every((s) => {
                    const m = this.sentinelCli(s.host, ["SENTINEL", "master", this.masterName]).split("\n");
                    const field = (k: string) => m[m.indexOf(k) + 1];
                    return field("port") === String(this.nodes[0].port) && field("num-slaves") === "1" && field("num-other-sentinels") === "2";
                }),
            60_000,
            250,
            () =>
                this.sentinels.find((s) => s.proc?.exited)
                    ? `a Sentinel exited: ${tail(this.sentinels.find((s) => s.proc?.exited)!.proc!.logFile)}`
                    : undefined,
        );
    }

    cli(port: number, args: string[]): string {
        return run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), "--no-auth-warning", "-a", this.password, ...args], { check: false, timeoutMs: 5000 })
            .stdout;
    }

    sentinelCli(host: string, args: string[]): string {
        return run("redis-cli", ["-h", host, "-p", String(this.sentinelPort), "--no-auth-warning", "-a", this.password, ...args], {
            check: false,
            timeoutMs: 5000,
        }).stdout;
    }

    /** The primary's port as the first Sentinel that answers reports it. */
    masterPort(): number | undefined {
        for (const s of this.sentinels) {
            const out = this.sentinelCli(s.host, ["SENTINEL", "get-master-addr-by-name", this.masterName]).trim().split("\n");
            if (out.length === 2) return Number(out[1]);
        }
        return undefined;
    }

    /** Every Sentinel's view of the primary's port (undefined: not answering). */
    views(): (number | undefined)[] {
        return this.sentinels.map((s) => {
            const out = this.sentinelCli(s.host, ["SENTINEL", "get-master-addr-by-name", this.masterName]).trim().split("\n");
            return out.length === 2 ? Number(out[1]) : undefined;
        });
    }

    node(port: number): DataNode {
        const n = this.nodes.find((x) => x.port === port);
        if (!n) throw new Error(`no data node on ${port}`);
        return n;
    }

    /** SIGKILL of a data node (a node loss: no persistence, nothing flushed). Returns when it is gone. */
    async kill(port: number): Promise<number> {
        const p = this.node(port).proc!;
        const at = Date.now();
        process.kill(p.child.pid!, "SIGKILL");
        await waitFor(`redis ${port} gone`, async () => p.exited, 10_000, 20);
        return at;
    }

    /** Stops Sentinel `i` (SIGTERM, as a pod deletion does), waits `downMs`, starts it again on its rewritten config. */
    async restartSentinel(i: number, downMs: number): Promise<{ stoppedAt: number; startedAt: number; seesPrimaryAfterMs: number }> {
        const s = this.sentinels[i];
        const stoppedAt = Date.now();
        await stopProcess(s.proc!);
        await sleep(downMs);
        const startedAt = Date.now();
        this.startSentinel(i);
        const seesPrimaryAfterMs = await waitFor(`Sentinel ${i} back`, async () => this.views()[i] !== undefined, 30_000, 100);
        return { stoppedAt, startedAt, seesPrimaryAfterMs };
    }

    async stop(): Promise<void> {
        for (const s of this.sentinels) if (s.proc) await stopProcess(s.proc);
        for (const n of this.nodes) if (n.proc) await stopProcess(n.proc);
    }
}
