// One measured program (a fresh process per measurement, so peak RSS is its own).
// Usage: node bench/program.js <component|baseline> <target> <count>
const [mode, target, countArg] = process.argv.slice(2);
const count = Number(countArg);
const t0 = process.hrtime.bigint();
// Both modes load the test harness's mocks (same cost), which answer with plausible cloud outputs.
require("ts-node").register({ transpileOnly: true });
const harness = require("../tests/harness");
const registered = harness.registered;
const { specFor, sdkModules } = require("./specs");
// Both modes import the same SDK modules the component uses for this target.
for (const m of sdkModules(target)) require(m);
(async () => {
    if (mode === "component") {
        const { OpenWebUiCluster } = require("../bin/index.js");
        for (let i = 0; i < count; i++) new OpenWebUiCluster(`c${i}`, specFor(target, i));
    }
    const state = require("@pulumi/pulumi/runtime/state");
    for (let i = 0, before = -1; i < 200 && before !== registered.length; i++) {
        before = registered.length;
        await state.getStore().settings.rpcDone;
        await new Promise((r) => setTimeout(r, 5));
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const rssMb = process.resourceUsage().maxRSS / 1024;
    console.log(JSON.stringify({ mode, target, count, ms: Math.round(ms), peakRssMb: Math.round(rssMb), resources: registered.length }));
    process.exit(0);
})();
