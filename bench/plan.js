// npm run bench -- plan: `openwebui plan` of the kubernetes example as a user runs it, from the
// release tarball installed into a fresh `pulumi new typescript`-shaped project (no ts-node;
// newest registry peers), or from BENCH_PLAN_PROJECT (a project that has openwebui installed).
// Cold: no type-check record (node_modules/.cache/openwebui-plan removed) and a new process.
// Warm: the same command again with nothing changed. Medians of BENCH_RUNS (default 3) each.
// Target (issue 22): warm <= 3 s; the run exits 1 above it.
const { execFileSync, spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
const runs = Number(process.env.BENCH_RUNS || 3);
const WARM_TARGET_S = 3;

function project() {
    if (process.env.BENCH_PLAN_PROJECT) return path.resolve(process.env.BENCH_PLAN_PROJECT);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "owui-plan-bench-"));
    const tarball = execFileSync(process.execPath, [path.join(root, "scripts", "pack.js"), path.join(dir, "dist")], { encoding: "utf8" })
        .trim()
        .split("\n")
        .pop();
    const ex = path.join(root, "examples", "kubernetes");
    for (const f of ["index.ts", "Pulumi.yaml", "Pulumi.dev.yaml"]) fs.copyFileSync(path.join(ex, f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "plan-bench", main: "index.ts", devDependencies: { "@types/node": "^20" } }));
    fs.writeFileSync(
        path.join(dir, "tsconfig.json"),
        JSON.stringify({
            compilerOptions: { strict: true, outDir: "bin", target: "es2020", module: "commonjs", moduleResolution: "node", sourceMap: true },
            files: ["index.ts"],
        }),
    );
    const peers = Object.keys(require(path.join(root, "package.json")).peerDependencies).filter((p) =>
        ["@pulumi/pulumi", "@pulumi/kubernetes", "@pulumi/random"].includes(p),
    );
    execFileSync("npm", ["install", "--no-audit", "--no-fund", tarball, ...peers, "typescript@^5"], { cwd: dir, stdio: "ignore" });
    return dir;
}

/** Wall seconds of one plan; its CPU seconds (user + sys, from GNU time) go to `cpu`. */
function timed(dir, cpu) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync("/usr/bin/time", ["-f", "cpu %U %S", "npx", "--no-install", "openwebui", "plan", ".", "--no-out"], { cwd: dir, encoding: "utf8" });
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`plan exited ${r.status}: ${(r.stderr || String(r.error)).slice(-2000)}`);
    const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
    cpu.push(m ? Number(m[1]) + Number(m[2]) : NaN);
    return s;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = project();
const cold = [];
const warm = [];
const coldCpu = [];
const warmCpu = [];
for (let i = 0; i < runs; i++) {
    fs.rmSync(path.join(dir, "node_modules", ".cache", "openwebui-plan"), { recursive: true, force: true });
    cold.push(timed(dir, coldCpu));
    warm.push(timed(dir, warmCpu));
}
const r2 = (xs) => xs.map((x) => +x.toFixed(2));
// Wall time is the target (what a user waits); CPU seconds say how much of it a loaded machine added.
const row = {
    project: dir,
    runs,
    loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
    coldSeconds: +median(cold).toFixed(2),
    warmSeconds: +median(warm).toFixed(2),
    warmTargetSeconds: WARM_TARGET_S,
    coldCpuSeconds: +median(coldCpu).toFixed(2),
    warmCpuSeconds: +median(warmCpu).toFixed(2),
    cold: r2(cold),
    warm: r2(warm),
};
console.log(JSON.stringify(row, null, 2));
if (row.warmSeconds > WARM_TARGET_S) {
    console.error(`plan: warm ${row.warmSeconds} s is over the ${WARM_TARGET_S} s target`);
    process.exit(1);
}
