// npm run bench: evaluation time and peak memory of OpenWebUiCluster under mocks against a
// baseline program that only imports the same SDKs, for 1 and 50 clusters in one program.
const { execFileSync } = require("child_process");
const path = require("path");
const targets = (process.env.BENCH_TARGETS || "kubernetes,aws,gcp,azure").split(",");
const counts = [1, 50];
const runs = Number(process.env.BENCH_RUNS || 3);
const rows = [];
function measure(mode, target, count) {
    const samples = [];
    for (let r = 0; r < runs; r++) {
        const out = execFileSync(process.execPath, [path.join(__dirname, "program.js"), mode, target, String(count)], { encoding: "utf8" });
        samples.push(JSON.parse(out.trim().split("\n").pop()));
    }
    samples.sort((a, b) => a.ms - b.ms);
    return samples[Math.floor(samples.length / 2)]; // median by time
}
for (const target of targets) {
    const baseline = measure("baseline", target, 1);
    for (const count of counts) {
        const c = measure("component", target, count);
        rows.push({
            target, clusters: count, resources: c.resources,
            baselineMs: baseline.ms, componentMs: c.ms, timeRatio: +(c.ms / baseline.ms).toFixed(2),
            baselineMb: baseline.peakRssMb, componentMb: c.peakRssMb, memRatio: +(c.peakRssMb / baseline.peakRssMb).toFixed(2),
            msPerCluster: Math.round((c.ms - baseline.ms) / count),
        });
    }
}
console.table(rows);
console.log(JSON.stringify(rows));
