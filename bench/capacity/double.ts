// The --double drill (BENCH_DOUBLE=1): at a steady step, one more replica is started while the
// load doubles, as the HPA would add one. Measured: the new replica's time from process start to
// /health 200 to ready behind the load balancer, and the latency before, during and after.
import { StepFigures, stepFigures } from "./analyze";
import { BenchConfig } from "./config";
import { Ramp } from "./ramp";
import { Rig, replicaCpu } from "./rig";
import { Sampler } from "./sampling";

export interface DoubleResult {
    users: { before: number; after: number };
    addedReplica: { name: string; cpu: number; startupToHealthMs: number; startupToReadyInLbMs: number };
    before: StepFigures;
    during: StepFigures;
    after: StepFigures;
    withinThresholdsDuring: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function doubleDrill(rig: Rig, ramp: Ramp, sampler: Sampler, cfg: BenchConfig, users: number): Promise<DoubleResult> {
    const names = () => rig.pods.filter((p) => !p.o.proc.exited).map((p) => p.name);
    await ramp.shrink(users);
    ramp.grow(users);
    const half = (cfg.stepSeconds * 1000) / 2;
    await sleep(cfg.warmupSeconds * 1000);
    const b0 = Date.now();
    await sleep(half);
    const t0 = Date.now();
    const before = stepFigures(ramp.users, sampler, b0, t0, names(), cfg);
    ramp.grow(users * 2);
    const i = rig.pods.length;
    const pod = await rig.add(`r${i}`, replicaCpu(i));
    const ready = Date.now();
    await sleep(half);
    const end = Date.now();
    const during = stepFigures(
        ramp.users,
        sampler,
        t0,
        ready,
        names().filter((n) => n !== pod.name),
        cfg,
    );
    const after = stepFigures(ramp.users, sampler, ready, end, names(), cfg);
    return {
        users: { before: users, after: users * 2 },
        addedReplica: { name: pod.name, cpu: pod.cpu, startupToHealthMs: pod.startupMs, startupToReadyInLbMs: pod.readyInLbMs },
        before,
        during,
        after,
        withinThresholdsDuring: during.withinThresholds,
    };
}
