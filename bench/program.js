// One measured program (a fresh process per measurement, so CPU time and peak RSS are its own).
//
//   node bench/program.js component <target> <count> [record.json]
//       N OpenWebUiClusters under the test mocks; with record.json, also writes what was
//       registered (type, name, custom, parent, resolved inputs) and the @pulumi modules loaded.
//   node bench/program.js floor <target> <count> <record.json>
//       Pulumi's own floor for the same program: the same module imports, then exactly the
//       recorded resources (same types, names, parents, inputs) registered straight through
//       pulumi.CustomResource / ComponentResource / ProviderResource, no component code.
//   node bench/program.js sdkfloor <target> <count> <record.json>
//       The same resources through the SDKs' own classes (aws.rds.Cluster, k8s.apps.v1.Deployment,
//       ...), found by type token: what any program declaring them pays, component or not.
//
// Prints one JSON line: wall ms, CPU ms (user + system, whole process), peak RSS MB, resources.
const fs = require("fs");
const path = require("path");
const [mode, target, countArg, recordFile] = process.argv.slice(2);
const count = Number(countArg);
const t0 = process.hrtime.bigint();
// Every mode loads the test harness's mocks (same cost), which answer with plausible cloud outputs.
// BENCH_LOADER=tsnode (default): under ts-node, as a TypeScript program runs (source-map-support
// formats every stack Pulumi captures). BENCH_LOADER=compiled: no ts-node at all, the harness
// compiled by run.js into bench/.build/ (what a JavaScript program and the published package run).
const harness =
    process.env.BENCH_LOADER === "compiled"
        ? require("./.build/tests/harness.js")
        : (require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "..", "tsconfig.json") }), require("../tests/harness"));
const registered = harness.registered;
const { specFor } = require("./specs");
const pulumi = require("@pulumi/pulumi");

const PULUMI_MODULE = /node_modules[\\/]@pulumi[\\/](kubernetes|aws|gcp|azure-native|random)[\\/]/;

async function settle() {
    const state = require("@pulumi/pulumi/runtime/state");
    for (let i = 0, before = -1; i < 400 && before !== registered.length; i++) {
        before = registered.length;
        await state.getStore().settings.rpcDone;
        await new Promise((r) => setTimeout(r, 5));
    }
}

function recordRegistrations() {
    const rt = require("@pulumi/pulumi/runtime/resource");
    const records = [];
    const index = new Map();
    const original = rt.registerResource;
    rt.registerResource = function (res, parent, t, name, custom, ...rest) {
        index.set(res, records.length);
        records.push({
            type: t,
            name,
            custom,
            parent: parent && index.has(parent) ? index.get(parent) : undefined,
            provider: t.startsWith("pulumi:providers:"),
        });
        return original.call(this, res, parent, t, name, custom, ...rest);
    };
    return records;
}

/** The SDK class of every resource type token among the loaded @pulumi modules. */
function sdkClasses(modules) {
    const byType = new Map();
    for (const m of modules) {
        const exp = require(m);
        // Plain values only: a getter is a lazy re-export that would load more modules.
        for (const k of Object.keys(exp)) {
            const v = Object.getOwnPropertyDescriptor(exp, k)?.value;
            if (typeof v === "function" && typeof v.__pulumiType === "string" && !byType.has(v.__pulumiType)) byType.set(v.__pulumiType, v);
        }
    }
    return byType;
}

function replay(record, viaSdk) {
    for (const m of record.modules) require(m);
    const classes = viaSdk ? sdkClasses(record.modules) : new Map();
    const objs = [];
    for (const r of record.resources) {
        const opts = r.parent !== undefined ? { parent: objs[r.parent] } : {};
        let obj;
        const Cls = classes.get(r.type);
        if (r.provider) obj = new pulumi.ProviderResource(r.type.slice("pulumi:providers:".length), r.name, r.inputs ?? {}, opts);
        else if (r.custom && Cls) obj = new Cls(r.name, r.inputs ?? {}, opts);
        else if (r.custom) obj = new pulumi.CustomResource(r.type, r.name, r.inputs ?? {}, opts);
        else {
            obj = new pulumi.ComponentResource(r.type, r.name, {}, opts);
            obj.registerOutputs({});
        }
        objs.push(obj);
    }
}

(async () => {
    let records;
    if (mode === "component") {
        if (recordFile) records = recordRegistrations();
        const { OpenWebUiCluster } = require("../bin/index.js");
        for (let i = 0; i < count; i++) new OpenWebUiCluster(`c${i}`, specFor(target, i));
    } else if (mode === "floor" || mode === "sdkfloor") {
        replay(JSON.parse(fs.readFileSync(recordFile, "utf8")), mode === "sdkfloor");
    } else throw new Error(`mode ${mode}: component, floor or sdkfloor`);
    await settle();
    if (records) {
        // Inputs as the engine received them (resolved, secrets unwrapped), matched in order.
        const byKey = new Map();
        for (const x of registered) byKey.set(`${x.type}::${x.name}`, x.plain);
        for (const r of records) r.inputs = r.custom ? (byKey.get(`${r.type}::${r.name}`) ?? {}) : undefined;
        const modules = Object.keys(require.cache).filter((m) => PULUMI_MODULE.test(m));
        fs.writeFileSync(recordFile, JSON.stringify({ target, count, modules, resources: records }));
    }
    const cpu = process.cpuUsage();
    const out = {
        mode,
        target,
        count,
        wallMs: Math.round(Number(process.hrtime.bigint() - t0) / 1e6),
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        resources: registered.length,
    };
    console.log(JSON.stringify(out));
    process.exit(0);
})().catch((e) => {
    console.error(e);
    process.exit(1);
});
