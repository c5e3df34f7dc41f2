// npm run bench -- capacity: users per replica per CPU for each size preset (issue 29). For each
// preset: the test bed (rig.ts), users created up front, then the ramp in steps; per step the
// figures of analyze.ts, the thresholds and the saturation signals. Prints a table per preset and
// writes $IT_HOME/last-capacity-report.json. Every server is stopped by PID at the end and on
// SIGINT/SIGTERM (the harness's cleanupAll and signal handlers).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { StepFigures, signals, stepFigures, tableRows, verdict } from "./analyze";
import { BenchConfig, readConfig } from "./config";
import { DoubleResult, doubleDrill } from "./double";
import { Ramp } from "./ramp";
import { Rig, replicaCpu } from "./rig";
import { Sampler } from "./sampling";
import { IT_HOME, OPEN_WEBUI_BIN, cleanupAll } from "./harness";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (m: string) => process.stderr.write(`capacity: ${m}\n`);

async function ramp(rig: Rig, ramp: Ramp, sampler: Sampler, cfg: BenchConfig): Promise<StepFigures[]> {
    const steps: StepFigures[] = [];
    let failing = 0;
    for (const n of cfg.steps) {
        ramp.grow(n);
        const start = Date.now();
        await sleep(cfg.stepSeconds * 1000);
        const names = rig.pods.map((p) => p.name);
        const f = stepFigures(ramp.users, sampler, start + cfg.warmupSeconds * 1000, Date.now(), names, cfg);
        f.signals = signals(f, steps[0] ?? f, rig.pool());
        steps.push(f);
        log(
            `${rig.preset} ${n} users: ${f.rps} req/s, p95 ${f.plain.p95Ms} ms, TTFT p95 ${f.ttft.p95Ms} ms, errors ${f.errors.rate}${f.withinThresholds ? "" : ` OVER (${f.overThresholds.join("; ")})`}${f.signals.length ? `; signals: ${f.signals.join("; ")}` : ""}`,
        );
        failing = f.withinThresholds ? 0 : failing + 1;
        if (failing >= cfg.stopAfterFailing) break;
    }
    return steps;
}

async function runPreset(preset: string, cfg: BenchConfig): Promise<Record<string, unknown>> {
    const rig = new Rig(preset, cfg);
    let users: Ramp | undefined;
    let sampler: Sampler | undefined;
    try {
        const t0 = Date.now();
        await rig.setup();
        const tokens = await rig.createUsers(cfg.steps[cfg.steps.length - 1] * (cfg.double ? 2 : 1));
        log(`${preset}: ${cfg.replicas} replica(s) ready, ${tokens.length} users created in ${Math.round((Date.now() - t0) / 1000)} s`);
        sampler = new Sampler(
            () => rig.pods.filter((p) => !p.o.proc.exited).map((p) => ({ name: p.name, pid: p.o.proc.child.pid!, base: p.o.base })),
            rig.pg,
            rig.redis,
        ).start();
        users = new Ramp(rig.base, tokens, cfg);
        const affinity = rig.affinity();
        const steps = await ramp(rig, users, sampler, cfg);
        const v = verdict(steps, cfg.replicas);
        let double: DoubleResult | undefined;
        if (cfg.double) {
            const at = v.highestUsersWithinThresholds ?? cfg.steps[0];
            log(`${preset}: double drill at ${at} -> ${at * 2} users, one more replica`);
            double = await doubleDrill(rig, users, sampler, cfg, at);
        }
        return {
            envOfInterest: rig.envOfInterest(),
            pool: rig.pool(),
            affinity,
            replicaStartupMs: rig.pods
                .slice(0, cfg.replicas)
                .map((p) => ({ name: p.name, cpu: p.cpu, startupToHealthMs: p.startupMs, startupToReadyInLbMs: p.readyInLbMs })),
            fakeLlm: { completions: rig.llm.completions, aborted: rig.llm.aborted },
            verdict: v,
            steps,
            ...(double ? { double } : {}),
        };
    } finally {
        await users?.stop();
        await sampler?.stop();
        await rig.stop();
        await cleanupAll();
    }
}

function printPreset(preset: string, r: Record<string, any>): void {
    const v = r.verdict;
    console.log(`\n== preset ${preset}: ${JSON.stringify(r.envOfInterest)}`);
    console.table(tableRows(r.steps));
    const bound = v.lowerBound ? " (a lower bound: no step went over the thresholds)" : "";
    console.log(
        `highest step within thresholds: ${v.highestUsersWithinThresholds ?? "none"} users, ${v.usersPerReplicaPerCpu ?? "-"} users per replica per CPU${bound}; pinning ${JSON.stringify(r.affinity)}`,
    );
    if (v.firstOverThresholds) console.log(`first over thresholds: ${v.firstOverThresholds.users} users: ${v.firstOverThresholds.why.join("; ")}`);
    console.log(
        `saturated first: ${v.saturatedFirst ? `${v.saturatedFirst.users} users: ${v.saturatedFirst.signals.join("; ")}` : "no saturation signal in the steps run"}`,
    );
    if (r.double) {
        const d = r.double;
        console.log(
            `double drill: ${d.users.before} -> ${d.users.after} users; ${d.addedReplica.name} /health after ${d.addedReplica.startupToHealthMs} ms, in the LB after ${d.addedReplica.startupToReadyInLbMs} ms; plain p95 before/during/after ${d.before.plain.p95Ms}/${d.during.plain.p95Ms}/${d.after.plain.p95Ms} ms, TTFT p95 ${d.before.ttft.p95Ms}/${d.during.ttft.p95Ms}/${d.after.ttft.p95Ms} ms`,
        );
    }
}

export async function main(): Promise<number> {
    const cfg = readConfig();
    if (!fs.existsSync(OPEN_WEBUI_BIN)) throw new Error(`${OPEN_WEBUI_BIN} missing: run tests/integration/setup.sh first`);
    const conditions = {
        date: new Date().toISOString(),
        cpuModel: os.cpus()[0]?.model,
        nproc: os.cpus().length,
        loadAverageAtStart: os.loadavg(),
        pinning: `replica i: taskset -c (1+i) mod nproc (${Array.from({ length: cfg.replicas }, (_, i) => `r${i}->cpu${replicaCpu(i)}`).join(", ")}); load generator, fake LLM, Postgres, Redis, moto, nginx: cpu0`,
        ...cfg,
    };
    const report: Record<string, any> = { conditions, presets: {} };
    const out = path.join(IT_HOME, "last-capacity-report.json");
    for (const preset of cfg.presets) {
        log(`preset ${preset}: setting up`);
        report.presets[preset] = await runPreset(preset, cfg);
        printPreset(preset, report.presets[preset]);
        fs.mkdirSync(IT_HOME, { recursive: true });
        fs.writeFileSync(out, JSON.stringify(report, null, 2));
    }
    console.log(`\nreport: ${out}`);
    return 0;
}
