// npm run bench: the component's cost against Pulumi's own floor.
//
// For each target and cluster count, one component run records what it registers (types, names,
// parents, resolved inputs, the @pulumi modules it loaded); then component and floor runs
// alternate in separate processes (the floor: the same imports, then exactly those resources
// through pulumi.CustomResource/ComponentResource). Reported per row: the median of each measure
// over BENCH_RUNS pairs (default 3) and component/floor for CPU time, wall time and peak RSS.
// `sdkFloor*`: the same resources through the SDKs' classes, for reference (each class makes an
// Output per output property; the component pays that too).
//
// Two floors, each row measured both ways (BENCH_LOADERS, default both):
//   tsnode    component and floor under ts-node, as a TypeScript program runs
//   compiled  no ts-node anywhere: the compiled package (bin/) and the harness compiled into
//             bench/.build/, as a JavaScript program or the published package runs
// Target (issues 14 and 28): component CPU <= 1.2x the floor's at 50 clusters on every target,
// under both loaders. The run exits 1 when a 50-cluster row is over it.
//
//   BENCH_TARGETS=aws,gcp BENCH_COUNTS=1,10,50 BENCH_RUNS=3 BENCH_LOADERS=compiled npm run bench
if (process.argv[2] === "migrate") {
    require("./migrate.js")
        .main()
        .catch((e) => {
            console.error(e);
            process.exit(1);
        });
    return;
}
if (process.argv[2] === "capacity") {
    require("./capacity.js");
    return;
}
if (process.argv[2] === "plan") {
    require("./plan.js");
    return;
}
const { execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const targets = (process.env.BENCH_TARGETS || "kubernetes,aws,gcp,azure").split(",");
const loaders = (process.env.BENCH_LOADERS || "tsnode,compiled").split(",");
const counts = (process.env.BENCH_COUNTS || "1,10,50").split(",").map(Number);
const runs = Number(process.env.BENCH_RUNS || 3);
const CPU_TARGET = 1.2;
const program = path.join(__dirname, "program.js");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "owui-bench-"));

function run(args, loader = "tsnode") {
    const env = { ...process.env, BENCH_LOADER: loader };
    const out = execFileSync(process.execPath, ["--max-old-space-size=8192", program, ...args], { encoding: "utf8", maxBuffer: 64 << 20, env });
    return JSON.parse(out.trim().split("\n").pop());
}

// The compiled loader's harness: tests/harness.ts compiled next to the bench (its @pulumi imports
// resolve from the repository's node_modules), so that mode never loads ts-node.
if (loaders.includes("compiled")) {
    const root = path.join(__dirname, "..");
    const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
    const outDir = path.join(__dirname, ".build");
    execFileSync(
        process.execPath,
        [
            tsc,
            "--outDir",
            outDir,
            "--rootDir",
            root,
            "--module",
            "commonjs",
            "--target",
            "es2022",
            "--esModuleInterop",
            "--skipLibCheck",
            "--types",
            "node",
            path.join(root, "tests", "harness.ts"),
        ],
        { stdio: "inherit" },
    );
}
/** Alternating component/floor pairs under one loader: the medians and the ratios. */
function measure(target, count, record, loader) {
    const c = [];
    const f = [];
    const sdk = [];
    for (let i = 0; i < runs; i++) {
        // Alternate which goes first, so drift (thermal, page cache) hits both.
        if (i % 2 === 0) {
            c.push(run(["component", target, String(count)], loader));
            f.push(run(["floor", target, String(count), record], loader));
        } else {
            f.push(run(["floor", target, String(count), record], loader));
            c.push(run(["component", target, String(count)], loader));
        }
        sdk.push(run(["sdkfloor", target, String(count), record], loader));
    }
    const m = (xs, k) => median(xs.map((x) => x[k]));
    const row = {
        target,
        loader,
        clusters: count,
        resources: c[0].resources,
        cpuMs: m(c, "cpuMs"),
        floorCpuMs: m(f, "cpuMs"),
        cpuRatio: ratio(m(c, "cpuMs"), m(f, "cpuMs")),
        wallRatio: ratio(m(c, "wallMs"), m(f, "wallMs")),
        rssMb: m(c, "peakRssMb"),
        floorRssMb: m(f, "peakRssMb"),
        rssRatio: ratio(m(c, "peakRssMb"), m(f, "peakRssMb")),
        // The same resources through the SDK classes (what any program declaring them pays).
        sdkFloorCpuMs: m(sdk, "cpuMs"),
        sdkFloorRatio: ratio(m(sdk, "cpuMs"), m(f, "cpuMs")),
    };
    if (c[0].resources !== f[0].resources) row.note = `floor registered ${f[0].resources}`;
    process.stderr.write(`bench: ${target} x${count} ${loader} done (cpu ${row.cpuRatio}x, rss ${row.rssRatio}x)\n`);
    return row;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratio = (a, b) => +(a / b).toFixed(2);

const rows = [];
for (const target of targets) {
    for (const count of counts) {
        const record = path.join(dir, `${target}-${count}.json`);
        run(["component", target, String(count), record]);
        for (const loader of loaders) rows.push(measure(target, count, record, loader));
    }
}
fs.rmSync(dir, { recursive: true, force: true });
console.table(rows);
console.log(JSON.stringify(rows));
const over = rows.filter((r) => r.clusters === 50 && r.cpuRatio > CPU_TARGET);
const label = (r) => `${r.target}/${r.loader} (${r.cpuRatio}x)`;
if (counts.includes(50)) {
    if (over.length) {
        console.log(`OVER TARGET: component CPU > ${CPU_TARGET}x the floor at 50 clusters on ${over.map(label).join(", ")}`);
        process.exitCode = 1;
    } else console.log(`within target: component CPU <= ${CPU_TARGET}x the floor at 50 clusters on ${targets.join(", ")} under ${loaders.join(" and ")}`);
}
