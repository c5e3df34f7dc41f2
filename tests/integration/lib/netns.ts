// Network faults between the app and its data services, with the kernel's own tools: the data
// servers run inside a network namespace the test creates, reached over a veth pair with the
// test's own addresses (10.213.<subnet>.1 on the host side, .2 inside). Faults are injected
// inside that namespace only:
// - partition: iptables DROP of the service port, both directions (packets vanish: no RST, no
//   ICMP; the app's TCP stack retransmits, new connections wait for a SYN-ACK that never comes);
// - delay: iptables NFQUEUE of the service's outgoing packets to lib/nfqdelay.py, which accepts
//   each after a fixed delay (tc netem's `delay`: this kernel is built without sch_netem).
// Everything is removed by `destroy` (registered for the suite's cleanup and its signal path).
import * as fs from "fs";
import * as path from "path";
import { onCleanup, run, startProcess, stopProcess, Tracked, waitFor } from "./procs";

const PREFIX = "owit-nf-";
const IF_PREFIX = "ownf";
const NFQDELAY = path.join(__dirname, "nfqdelay.py");

/** Removes namespaces and host-side links this helper made in runs whose process is gone. */
function sweepStale(): void {
    const alive = (pid: number) => {
        try {
            process.kill(pid, 0);
            return true;
        } catch {
            return false;
        }
    };
    const names = run("ip", ["netns", "list"], { check: false })
        .stdout.split("\n")
        .map((l) => l.split(" ")[0])
        .filter((n) => n.startsWith(PREFIX));
    for (const n of names) if (!alive(Number(n.slice(PREFIX.length)))) run("ip", ["netns", "del", n], { check: false });
    const links = run("ip", ["-o", "link", "show"], { check: false })
        .stdout.split("\n")
        .map((l) => /^\d+:\s+([^:@]+)/.exec(l)?.[1])
        .filter((n): n is string => !!n && n.startsWith(IF_PREFIX));
    for (const l of links) if (!alive(Number(l.slice(IF_PREFIX.length)))) run("ip", ["link", "del", l], { check: false });
}

export class NetNs {
    readonly name = `${PREFIX}${process.pid}`;
    private readonly hostIf = `${IF_PREFIX}${process.pid}`;
    readonly hostAddr: string;
    readonly nsAddr: string;
    private created = false;
    private delayers: { port: number; proc: Tracked; rule: string[] }[] = [];

    /** `subnet`: the third octet of 10.213.x.0/30. */
    constructor(subnet: number) {
        this.hostAddr = `10.213.${subnet}.1`;
        this.nsAddr = `10.213.${subnet}.2`;
    }

    /** The host side's address as a CIDR (what the servers inside admit). */
    get clientCidr(): string {
        return `${this.hostAddr}/32`;
    }

    create(): void {
        sweepStale();
        const ip = (...a: string[]) => run("ip", a);
        onCleanup(`netns ${this.name}`, () => this.destroy());
        ip("netns", "add", this.name);
        this.created = true;
        ip("link", "add", this.hostIf, "type", "veth", "peer", "name", "eth0", "netns", this.name);
        ip("addr", "add", `${this.hostAddr}/30`, "dev", this.hostIf);
        ip("link", "set", this.hostIf, "up");
        this.exec(["ip", "addr", "add", `${this.nsAddr}/30`, "dev", "eth0"]);
        this.exec(["ip", "link", "set", "eth0", "up"]);
        this.exec(["ip", "link", "set", "lo", "up"]);
    }

    exec(args: string[], check = true): string {
        return run("ip", ["netns", "exec", this.name, ...args], { check, env: { PATH: process.env.PATH } }).stdout;
    }

    private partitionRules(port: number): string[][] {
        return [
            ["INPUT", "-p", "tcp", "--dport", String(port), "-j", "DROP"],
            ["OUTPUT", "-p", "tcp", "--sport", String(port), "-j", "DROP"],
        ];
    }

    /** Every packet to and from `port` inside the namespace dropped, both directions. */
    partition(port: number): void {
        for (const r of this.partitionRules(port)) this.exec(["iptables", "-w", "5", "-I", ...r]);
    }

    heal(port: number): void {
        for (const r of this.partitionRules(port)) this.exec(["iptables", "-w", "5", "-D", ...r], false);
    }

    /**
     * Every packet the server on `port` sends is held `ms` before it leaves (one-way delay: the
     * round trip of the app's requests grows by `ms`). `--queue-bypass`: should the delayer be
     * gone, packets pass undelayed instead of being dropped.
     */
    async delay(port: number, ms: number): Promise<void> {
        const queue = 10 + this.delayers.length;
        const proc = startProcess(`nfqdelay-${port}-${ms}`, "ip", ["netns", "exec", this.name, "/usr/bin/python3", NFQDELAY, String(queue), String(ms)], {
            env: { PATH: process.env.PATH },
        });
        await waitFor(
            "nfqdelay bound",
            async () => fs.readFileSync(proc.logFile, "utf8").includes("nfqdelay queue"),
            10_000,
            50,
            () => (proc.exited ? `nfqdelay exited: ${fs.readFileSync(proc.logFile, "utf8")}` : undefined),
        );
        const rule = ["OUTPUT", "-p", "tcp", "--sport", String(port), "-j", "NFQUEUE", "--queue-num", String(queue), "--queue-bypass"];
        this.exec(["iptables", "-w", "5", "-I", ...rule]);
        this.delayers.push({ port, proc, rule });
    }

    /** Removes the delay on `port` (the rule first, then the delayer releases what it holds). */
    async undelay(port: number): Promise<void> {
        for (const d of this.delayers.filter((x) => x.port === port)) {
            this.exec(["iptables", "-w", "5", "-D", ...d.rule], false);
            await stopProcess(d.proc, 5000);
        }
        this.delayers = this.delayers.filter((x) => x.port !== port);
    }

    /** Deletes the namespace (its rules and the veth pair go with it). Idempotent. */
    destroy(): void {
        if (!this.created) return;
        for (const d of this.delayers) {
            try {
                process.kill(-d.proc.child.pid!, "SIGKILL");
            } catch {
                /* gone */
            }
        }
        run("ip", ["link", "del", this.hostIf], { check: false });
        run("ip", ["netns", "del", this.name], { check: false });
        this.created = false;
    }
}
