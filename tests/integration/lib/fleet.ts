// A Deployment's pods behind its Service, for drills that do not kill the pods themselves (data-tier
// failovers): each pod is probed like kubelet does with the emitted probes, the load balancer's
// upstreams are the ready pods, and `restarts()` tells whether kubelet would have restarted one
// (liveness at its threshold) or a process exited.
import { EmittedProbe } from "./component";
import { Prober } from "./drills";
import { LbSettings, LocalNginx } from "./lb";
import { OpenWebUi, startOpenWebUi, stopOpenWebUi } from "./openwebui";
import { waitFor } from "./procs";

export interface Pod {
    name: string;
    o: OpenWebUi;
    prober: Prober;
    pid: number;
}

type StartOpts = Parameters<typeof startOpenWebUi>[2];

export class PodFleet {
    readonly pods: Pod[] = [];
    readonly lb: LocalNginx;

    constructor(
        readonly probes: { liveness: EmittedProbe; readiness: EmittedProbe },
        lb: LbSettings,
    ) {
        this.lb = new LocalNginx(lb);
    }

    private syncing: Promise<void> = Promise.resolve();
    private sync(): Promise<void> {
        this.syncing = this.syncing.then(() => this.lb.setBackends(this.pods.filter((p) => p.prober.ready && !p.o.proc.exited).map((p) => p.o.port)));
        return this.syncing;
    }

    /** Starts the load balancer and the pods at once (a Deployment's first rollout); returns when all are ready behind it. */
    async start(names: string[], env: Record<string, string>, opts: (name: string) => StartOpts = () => ({})): Promise<void> {
        await this.lb.start([]);
        await Promise.all(
            names.map(async (name) => {
                const o = await startOpenWebUi(name, env, opts(name));
                const p: Pod = { name, o, pid: o.proc.child.pid!, prober: undefined as unknown as Prober };
                p.prober = new Prober(
                    name,
                    () => p.o.base,
                    this.probes,
                    () => this.sync(),
                );
                this.pods.push(p);
                p.prober.start();
                await waitFor(`${name} ready and behind the LB`, async () => p.prober.ready && this.lb.backendsNow.includes(o.port), 120_000, 50);
            }),
        );
    }

    get base(): string {
        return this.lb.base;
    }

    /** What kubelet would have done since the start: exits, liveness restarts, readiness flips after `from`. */
    restarts(from = 0): { exited: string[]; wouldRestart: number[]; unreadyFlips: number[]; pidsSame: boolean } {
        return {
            exited: this.pods.filter((p) => p.o.proc.exited).map((p) => `${p.name} (exit ${p.o.proc.exitCode ?? p.o.proc.signal})`),
            wouldRestart: this.pods.map((p) => p.prober.wouldRestart),
            unreadyFlips: this.pods.map((p) => p.prober.transitions.filter((t) => t.at >= from && !t.ready).length),
            pidsSame: this.pods.every((p) => p.o.proc.child.pid === p.pid && !p.o.proc.exited),
        };
    }

    async stop(): Promise<void> {
        for (const p of this.pods) {
            await p.prober.stop();
            await stopOpenWebUi(p.o);
        }
        await this.lb.stop();
    }
}
