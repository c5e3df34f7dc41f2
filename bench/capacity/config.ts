// The capacity benchmark's settings, from the environment (every one overridable), validated up front.

export const PRESETS = ["small", "medium", "large"];

export interface Thresholds {
    /** p95 of plain requests (list, open, save), ms. */
    plainP95Ms: number;
    /** p95 of the time to first token of streamed completions, ms. */
    ttftP95Ms: number;
    /** Failed requests (any kind) / all requests. */
    errorRate: number;
}

export interface BenchConfig {
    presets: string[];
    steps: number[];
    stepSeconds: number;
    /** Excluded from each step's figures (users added at the step's start settle in). */
    warmupSeconds: number;
    replicas: number;
    llm: { tokens: number; tokensPerSecond: number };
    thinkMs: [number, number];
    seed: number;
    thresholds: Thresholds;
    double: boolean;
    requestTimeoutMs: number;
    completionTimeoutMs: number;
    /** The ramp stops after this many consecutive steps over the thresholds. */
    stopAfterFailing: number;
}

function num(env: NodeJS.ProcessEnv, key: string, dflt: number, min = 0): number {
    const raw = env[key];
    const v = raw === undefined || raw === "" ? dflt : Number(raw);
    if (!Number.isFinite(v) || v < min) throw new Error(`${key}=${raw}: expected a number >= ${min}`);
    return v;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
    const presets = (env.BENCH_PRESETS || "small,medium,large")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    const bad = presets.filter((p) => !PRESETS.includes(p));
    if (bad.length) throw new Error(`BENCH_PRESETS=${env.BENCH_PRESETS}: unknown ${bad.join(", ")}; use any of ${PRESETS.join(",")}`);
    const steps = (env.BENCH_STEPS || "10,25,50,100,150,200").split(",").map((s) => Number(s.trim()));
    if (!steps.length || steps.some((s, i) => !Number.isInteger(s) || s < 1 || (i > 0 && s <= steps[i - 1]))) {
        throw new Error(`BENCH_STEPS=${env.BENCH_STEPS}: expected ascending positive integers, e.g. 10,25,50`);
    }
    const stepSeconds = num(env, "BENCH_STEP_SECONDS", 60, 5);
    const thinkMin = num(env, "BENCH_THINK_MIN_MS", 4000);
    const thinkMax = num(env, "BENCH_THINK_MAX_MS", 6000, thinkMin);
    return {
        presets,
        steps,
        stepSeconds,
        warmupSeconds: num(env, "BENCH_WARMUP_SECONDS", Math.min(10, Math.floor(stepSeconds / 4))),
        replicas: num(env, "BENCH_REPLICAS", 1, 1),
        llm: { tokens: num(env, "BENCH_LLM_TOKENS", 200, 1), tokensPerSecond: num(env, "BENCH_LLM_TOKENS_PER_SECOND", 50, 1) },
        thinkMs: [thinkMin, thinkMax],
        seed: num(env, "BENCH_SEED", 29),
        thresholds: {
            plainP95Ms: num(env, "BENCH_PLAIN_P95_MS", 2000, 1),
            ttftP95Ms: num(env, "BENCH_TTFT_P95_MS", 3000, 1),
            errorRate: num(env, "BENCH_MAX_ERROR_RATE", 0.01),
        },
        double: env.BENCH_DOUBLE === "1" || process.argv.includes("--double"),
        requestTimeoutMs: num(env, "BENCH_REQUEST_TIMEOUT_MS", 30_000, 100),
        completionTimeoutMs: num(env, "BENCH_COMPLETION_TIMEOUT_MS", 60_000, 100),
        stopAfterFailing: num(env, "BENCH_STOP_AFTER_FAILING", 2, 1),
    };
}

/** Seeded PRNG (mulberry32): the same seed gives every run the same think times. */
export function seeded(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Nearest-rank percentile (0 for no values). */
export function pct(xs: number[], q: number): number {
    if (!xs.length) return 0;
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * q) - 1))];
}
