// Loading the package must not load cloud SDKs the chosen target does not use.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as path from "path";

const root = path.resolve(__dirname, "..");

function loadedSdks(script: string): string[] {
    const out = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, TS_NODE_PROJECT: path.join(root, "tsconfig.json") },
    });
    return JSON.parse(out.trim().split("\n").pop()!);
}

const probe = (body: string) => `
const pulumi = require("@pulumi/pulumi");
if (!${body.includes("tests/harness")}) pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => { if (a.token.includes("getClientConfig")) return { subscriptionId: "s", tenantId: "t", clientId: "c", objectId: "o" }; if (a.token.includes("getProject")) return { projectId: "p", number: "1" }; return { name: "eu-west-1", region: "eu-west-1", accountId: "1", partition: "aws" }; } }, "p", "s", false);
${body}
const sdks = Object.keys(require.cache).map((k) => (k.match(/node_modules\\/@pulumi\\/(aws|gcp|azure-native)\\//) || [])[1]).filter(Boolean);
console.log(JSON.stringify([...new Set(sdks)].sort()));`;

describe("loading: only the chosen cloud's SDK is loaded", function () {
    this.timeout(120000);
    it("importing the package loads no cloud SDK", () => {
        assert.deepStrictEqual(loadedSdks(probe(`require("./index");`)), []);
    });
    it("a kubernetes-target cluster loads no cloud SDK", () => {
        assert.deepStrictEqual(
            loadedSdks(probe(`const m = require("./index"); new m.OpenWebUiCluster("c", { target: "kubernetes", hostname: "chat.example.com" });`)),
            [],
        );
    });
    for (const target of ["aws", "gcp", "azure"]) {
        it(`a ${target} cluster loads only its own SDK`, () => {
            const expected = target === "azure" ? "azure-native" : target;
            const sdks = loadedSdks(
                probe(
                    `require("./tests/harness"); const m = require("./index"); const specs = require("./bench/cloudSpecs"); new m.OpenWebUiCluster("c", { target: "${target}", hostname: "chat.example.com", ...specs["${target}"] });`,
                ),
            );
            assert.deepStrictEqual(sdks, [expected]);
        });
    }
    it("a missing cloud SDK (an optional peer dependency) fails at construction with the exact npm install, creating nothing", () => {
        // Resolution of @pulumi/aws fails as in a consumer's project that installed only the kubernetes side.
        const out = loadedSdks(`
const Module = require("module");
const orig = Module._resolveFilename;
Module._resolveFilename = function (req, ...rest) {
    if (req === "@pulumi/aws" || req.startsWith("@pulumi/aws/")) { const e = new Error("Cannot find module '" + req + "'"); e.code = "MODULE_NOT_FOUND"; throw e; }
    return orig.call(this, req, ...rest);
};
const h = require("./tests/harness");
const m = require("./index");
const specs = require("./bench/cloudSpecs");
let msg = "";
try { new m.OpenWebUiCluster("c", { target: "aws", hostname: "chat.example.com", ...specs.aws }); } catch (e) { msg = e.message; }
console.log(JSON.stringify([msg, String(h.registered.filter((r) => r.type !== "openwebui:index:OpenWebUiCluster").length)]));`);
        assert.strictEqual(
            out[0],
            'OpenWebUiCluster: target "aws" needs @pulumi/aws, which is not installed. Install it next to openwebui: npm install @pulumi/aws@"^7.48.0"',
        );
        assert.strictEqual(out[1], "0", "nothing created");
    });

    it("the SDK ranges in the error are package.json's peerDependencies; the cloud SDKs are optional peers, none a dependency", () => {
        const pkg = require(path.join(root, "package.json"));
        const { CLOUD_SDKS } = require(path.join(root, "providers"));
        for (const { name, range } of Object.values(CLOUD_SDKS) as { name: string; range: string }[]) {
            assert.strictEqual(pkg.peerDependencies[name], range, name);
            assert.strictEqual(pkg.peerDependenciesMeta[name]?.optional, true, name);
            assert.strictEqual(pkg.dependencies[name], undefined, name);
        }
        for (const p of ["@pulumi/pulumi", "@pulumi/kubernetes", "@pulumi/random", "typescript"])
            assert.strictEqual(pkg.dependencies[p], undefined, `${p} is a peer, not a dependency`);
        // engines: what the strictest dependency declares (@pulumi/pulumi).
        assert.strictEqual(pkg.engines.node, require(path.join(root, "node_modules/@pulumi/pulumi/package.json")).engines.node);
    });

    it("an invalid cloud spec loads only its own SDK", () => {
        const sdks = loadedSdks(
            probe(`const m = require("./index"); try { new m.OpenWebUiCluster("c", { target: "gcp", hostname: "chat.example.com" }); } catch (e) {}`),
        );
        assert.ok(!sdks.includes("aws") && !sdks.includes("azure-native"), JSON.stringify(sdks));
    });
});
