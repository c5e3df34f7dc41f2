// One measured program (a fresh process per measurement, so peak RSS is its own).
// Usage: node bench/program.js <component|baseline> <target> <count>
const [mode, target, countArg] = process.argv.slice(2);
const count = Number(countArg);
const t0 = process.hrtime.bigint();
const pulumi = require("@pulumi/pulumi");
const registered = [];
pulumi.runtime.setMocks(
    {
        newResource: (a) => { registered.push(a.type); return { id: `${a.name}-id`, state: { ...a.inputs, result: "x".repeat(a.inputs.length || 16) } }; },
        call: (a) => ({ name: "eu-west-1", region: "eu-west-1", accountId: "123456789012", partition: "aws", dnsSuffix: "amazonaws.com", projectId: "proj", number: "1", subscriptionId: "00000000-0000-0000-0000-000000000000", tenantId: "t", clientId: "c", objectId: "o", primaryKey: "k", secondaryKey: "k2" }),
    },
    "bench", "bench", false,
);
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
