// A step's figures from the users' samples and the sampler's snapshots, the thresholds, and what
// saturated first (with the evidence).
import { BenchConfig, pct } from "./config";
import { HZ, Sampler, Snapshot } from "./sampling";
import { Sample, SimUser } from "./users";

export interface ReplicaFigures {
    name: string;
    cpuPct: number;
    rssMb: number;
    /** Most OS threads the replica's process tree had (the thread pool in use + the runtime's own). */
    threadsMax: number;
    /** Most connections this replica held at once, and by state (at that sample). */
    pgConnsMax: number;
    pgConnsByState: Record<string, number>;
    healthP95Ms: number;
}

export interface StepFigures {
    users: number;
    seconds: number;
    requests: number;
    rps: number;
    plain: { p50Ms: number; p95Ms: number; p99Ms: number };
    ttft: { p50Ms: number; p95Ms: number };
    completionP95Ms: number;
    errors: { status: number; timeout: number; network: number; wsDisconnect: number; wsConnectFailed: number; rate: number };
    replicas: ReplicaFigures[];
    pg: { cpuPct: number; newSessionsPerS: number | null; byState: Record<string, number> };
    redisClients: number | null;
    withinThresholds: boolean;
    overThresholds: string[];
    /** Saturation signals raised in this step, each with its evidence. */
    signals: string[];
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function cpuPct(snaps: Snapshot[], ticks: (s: Snapshot) => number | undefined): number {
    const xs = snaps.filter((s) => ticks(s) !== undefined);
    if (xs.length < 2) return 0;
    const a = xs[0];
    const b = xs[xs.length - 1];
    return round(((ticks(b)! - ticks(a)!) / HZ / ((b.at - a.at) / 1000)) * 100);
}

function replicaFigures(name: string, snaps: Snapshot[], sampler: Sampler, from: number, to: number): ReplicaFigures {
    let max = 0;
    let byState: Record<string, number> = {};
    for (const s of snaps) {
        const st = s.conns?.[name] ?? {};
        const n = Object.values(st).reduce((a, b) => a + b, 0);
        if (n >= max) [max, byState] = [n, st];
    }
    return {
        name,
        cpuPct: cpuPct(snaps, (s) => s.replicas[name]?.ticks),
        rssMb: Math.round(Math.max(0, ...snaps.map((s) => s.replicas[name]?.rss ?? 0)) / 2 ** 20),
        threadsMax: Math.max(0, ...snaps.map((s) => s.replicas[name]?.threads ?? 0)),
        pgConnsMax: max,
        pgConnsByState: byState,
        healthP95Ms: pct(sampler.healthMs(name, from, to), 0.95),
    };
}

/** Figures of the window [from, to) (`users` running). */
export function stepFigures(users: SimUser[], sampler: Sampler, from: number, to: number, replicaNames: string[], cfg: BenchConfig): StepFigures {
    const inWin = (s: Sample) => s.at >= from && s.at < to;
    const samples = users.flatMap((u) => u.samples.filter(inWin));
    const plain = samples.filter((s) => s.kind !== "completion" && !s.error).map((s) => s.ms);
    const comps = samples.filter((s) => s.kind === "completion" && !s.error);
    const count = (k: string) => samples.filter((s) => s.error === k).length;
    const seconds = (to - from) / 1000;
    const snaps = sampler.snaps.filter((s) => s.at >= from && s.at <= to);
    const sess = snaps.filter((s) => s.sessions !== undefined);
    const byState: Record<string, number> = {};
    const last = snaps[snaps.length - 1];
    for (const st of Object.values(last?.conns ?? {})) for (const [k, v] of Object.entries(st)) byState[k] = (byState[k] ?? 0) + v;
    const errors = {
        status: count("status"),
        timeout: count("timeout"),
        network: count("network"),
        wsDisconnect: users.reduce((a, u) => a + u.disconnects(from, to), 0),
        wsConnectFailed: users.filter((u) => u.wsError).length,
        rate: 0,
    };
    errors.rate = round((errors.status + errors.timeout + errors.network) / Math.max(1, samples.length), 4);
    const redis = snaps.map((s) => s.redisClients).filter((x): x is number => x !== undefined);
    const f: StepFigures = {
        users: users.length,
        seconds: round(seconds),
        requests: samples.length,
        rps: round(samples.length / seconds),
        plain: { p50Ms: pct(plain, 0.5), p95Ms: pct(plain, 0.95), p99Ms: pct(plain, 0.99) },
        ttft: {
            p50Ms: pct(
                comps.map((c) => c.ttftMs!),
                0.5,
            ),
            p95Ms: pct(
                comps.map((c) => c.ttftMs!),
                0.95,
            ),
        },
        completionP95Ms: pct(
            comps.map((c) => c.ms),
            0.95,
        ),
        errors,
        replicas: replicaNames.map((n) => replicaFigures(n, snaps, sampler, from, to)),
        pg: {
            cpuPct: cpuPct(snaps, (s) => s.pgTicks),
            newSessionsPerS:
                sess.length >= 2 ? round((sess[sess.length - 1].sessions! - sess[0].sessions!) / ((sess[sess.length - 1].at - sess[0].at) / 1000), 2) : null,
            byState,
        },
        redisClients: redis.length ? Math.max(...redis) : null,
        withinThresholds: true,
        overThresholds: [],
        signals: [],
    };
    const t = cfg.thresholds;
    if (f.plain.p95Ms >= t.plainP95Ms) f.overThresholds.push(`plain p95 ${f.plain.p95Ms} ms >= ${t.plainP95Ms}`);
    if (f.ttft.p95Ms >= t.ttftP95Ms) f.overThresholds.push(`TTFT p95 ${f.ttft.p95Ms} ms >= ${t.ttftP95Ms}`);
    if (errors.rate >= t.errorRate) f.overThresholds.push(`errors ${round(errors.rate * 100, 2)} % >= ${round(t.errorRate * 100, 2)} %`);
    if (!comps.length) f.overThresholds.push("no completion succeeded");
    f.withinThresholds = f.overThresholds.length === 0;
    return f;
}

/**
 * Saturation signals of a step, against the first step (the baseline): a replica's CPU at its core
 * (pinned to one), /health p95 grown 5x and over 10 ms (event loop starved), a replica's Postgres
 * connections at pool + overflow (pool ceiling), new Postgres sessions at steady load (reconnect
 * churn: overflow connections closed and reopened), Postgres CPU over 80 % of a core.
 */
export function signals(f: StepFigures, base: StepFigures, pool: { size: number; overflow: number }): string[] {
    const out: string[] = [];
    for (const r of f.replicas) {
        if (r.cpuPct >= 90) out.push(`cpu: ${r.name} at ${r.cpuPct} % of its core`);
        const b = base.replicas.find((x) => x.name === r.name)?.healthP95Ms ?? 0;
        if (r.healthP95Ms > 10 && r.healthP95Ms >= 5 * Math.max(1, b)) out.push(`event loop: ${r.name} /health p95 ${b} -> ${r.healthP95Ms} ms`);
        if (pool.size && r.pgConnsMax >= pool.size + pool.overflow)
            out.push(
                `db pool: ${r.name} held ${r.pgConnsMax} connections = pool ${pool.size} + overflow ${pool.overflow} (${JSON.stringify(r.pgConnsByState)})`,
            );
    }
    if ((f.pg.newSessionsPerS ?? 0) > 0.05) out.push(`reconnect churn: ${f.pg.newSessionsPerS} new Postgres sessions/s at steady load`);
    if (f.pg.cpuPct >= 80) out.push(`postgres cpu: ${f.pg.cpuPct} % of a core`);
    return out;
}

export interface Verdict {
    highestUsersWithinThresholds: number | null;
    usersPerReplicaPerCpu: number | null;
    /** No step went over the thresholds: the capacity is at least the highest step. */
    lowerBound: boolean;
    firstOverThresholds: { users: number; why: string[] } | null;
    saturatedFirst: { users: number; signals: string[] } | null;
}

export function verdict(steps: StepFigures[], replicas: number, cpusPerReplica = 1): Verdict {
    let highest: number | null = null;
    for (const s of steps) {
        if (!s.withinThresholds) break;
        highest = s.users;
    }
    const over = steps.find((s) => !s.withinThresholds);
    const sat = steps.find((s) => s.signals.length);
    return {
        highestUsersWithinThresholds: highest,
        usersPerReplicaPerCpu: highest === null ? null : round(highest / replicas / cpusPerReplica),
        lowerBound: !over,
        firstOverThresholds: over ? { users: over.users, why: over.overThresholds } : null,
        saturatedFirst: sat ? { users: sat.users, signals: sat.signals } : null,
    };
}

/** One row per step, for console.table. */
export function tableRows(steps: StepFigures[]): Record<string, string | number>[] {
    return steps.map((s) => ({
        users: s.users,
        "req/s": s.rps,
        "p50/p95/p99 ms": `${s.plain.p50Ms}/${s.plain.p95Ms}/${s.plain.p99Ms}`,
        "TTFT p50/p95": `${s.ttft.p50Ms}/${s.ttft.p95Ms}`,
        "err st/to/net/ws": `${s.errors.status}/${s.errors.timeout}/${s.errors.network}/${s.errors.wsDisconnect}`,
        "cpu %": s.replicas.map((r) => r.cpuPct).join(","),
        "rss MB": s.replicas.map((r) => r.rssMb).join(","),
        threads: s.replicas.map((r) => r.threadsMax).join(","),
        "health p95": s.replicas.map((r) => r.healthP95Ms).join(","),
        "pg conns": s.replicas.map((r) => r.pgConnsMax).join(","),
        "pg act/idle/iit": `${s.pg.byState.active ?? 0}/${s.pg.byState.idle ?? 0}/${s.pg.byState["idle in transaction"] ?? 0}`,
        "pg sess/s": s.pg.newSessionsPerS ?? "-",
        "pg cpu %": s.pg.cpuPct,
        redis: s.redisClients ?? "-",
        ok: s.withinThresholds ? "yes" : "NO",
    }));
}
