// `openwebui plan` against the real Pulumi CLI on the two things it imitates (issue 12 #15, #16):
// - path config: the same keys set with `pulumi config set --path` give the same stack config
//   (`pulumi config --json`) as `plan --path --config` builds, including typed leaves, list
//   indices, quoted keys and namespaces; a key the CLI cannot place is refused by both;
// - type-checking: a program with a type error fails `pulumi preview` (the nodejs host's ts-node)
//   and `openwebui plan` alike, and both pass with PULUMI_NODEJS_TRANSPILE_ONLY=true.
import * as assert from "assert";
import * as path from "path";
import { Project, ROOT, run } from "./lib";
import { buildConfig } from "../../cli/config";

const PATH_KEYS: [string, string][] = [
    ["spec.replicas.max", "12"],
    ["spec.replicas.min", "3"],
    ["spec.migrations.maintenanceMode", "true"],
    ["spec.image.tag", "0123"],
    ["spec.note", "1.5"],
    ["spec.plus", "+4"],
    ["ids[0]", "subnet-a"],
    ["ids[1]", "subnet-b"],
    ['tags["team.name"]', "chat"],
    ["aws:defaultTags.tags.Env", "prod"],
    ["plain", "7"],
];

describe("e2e: `openwebui plan` and the real Pulumi CLI agree", function () {
    this.timeout(10 * 60 * 1000);

    it("--path config: `pulumi config set --path` and `plan --path --config` give the same stack config", () => {
        const p = new Project("plan-path", { "Pulumi.yaml": "name: planpath\nruntime: nodejs\n", "index.ts": "export const x = 1;\n" });
        for (const [k, v] of PATH_KEYS) p.pulumi(["config", "set", "--path", k, v]);
        const cli = JSON.parse(p.pulumi(["config", "--json"]).stdout) as Record<string, { value?: string; objectValue?: unknown }>;
        const { config } = buildConfig(
            { project: "planpath", projectConfig: {}, entry: "index.ts", stack: "e2e" },
            PATH_KEYS.map(([k, v]) => `${k}=${v}`),
            [],
            { path: true },
        );
        const asCli = (v: { value?: string; objectValue?: unknown }) => (v.objectValue !== undefined ? v.objectValue : v.value);
        const ours = (s: string) => {
            try {
                const o = JSON.parse(s);
                return typeof o === "object" && o !== null ? o : s;
            } catch {
                return s;
            }
        };
        assert.deepStrictEqual(Object.keys(config).sort(), Object.keys(cli).sort());
        for (const k of Object.keys(cli)) assert.deepStrictEqual(ours(config[k]), asCli(cli[k]), k);
        // An index past the end: the CLI refuses it, and so does plan.
        const gap = p.pulumiRaw(["config", "set", "--path", "ids[5]", "x"]);
        assert.notStrictEqual(gap.code, 0, "the CLI placed ids[5]");
        assert.throws(
            () => buildConfig({ project: "planpath", projectConfig: {}, entry: "index.ts", stack: "e2e" }, ["ids[0]=a", "ids[5]=x"], [], { path: true }),
            /index 5 is past the end of the list \(length 1\)/,
        );
    });

    it("type errors: `pulumi preview` and `openwebui plan` both fail on the same program, and both run it transpile-only", () => {
        const program = ['import * as pulumi from "@pulumi/pulumi";', 'const replicas: number = "3";', "export const n = replicas;", ""].join("\n");
        const p = new Project("plan-typecheck", { "Pulumi.yaml": "name: plantypecheck\nruntime: nodejs\n", "index.ts": program });
        // (.e2e/ is inside the repo: @pulumi/pulumi and ts-node resolve from its node_modules, as for the other e2e projects.)
        const preview = p.pulumiRaw(["preview"]);
        assert.notStrictEqual(preview.code, 0, "pulumi preview ran a program with a type error");
        assert.match(preview.stdout + preview.stderr, /TS2322/);
        const plan = run(process.execPath, [path.join(ROOT, "cli", "bin.js"), "plan", p.dir, "--no-out", "--no-policy"], { cwd: ROOT });
        assert.strictEqual(plan.code, 2, plan.stderr);
        assert.match(plan.stderr, /index\.ts:2:7 - error TS2322/);
        const env = { ...p.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
        const preview2 = run("pulumi", ["preview", "--non-interactive", "--stack", "e2e"], { cwd: p.dir, env });
        assert.strictEqual(preview2.code, 0, preview2.stdout + preview2.stderr);
        const plan2 = run(process.execPath, [path.join(ROOT, "cli", "bin.js"), "plan", p.dir, "--no-out", "--no-policy"], {
            cwd: ROOT,
            env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
        });
        assert.strictEqual(plan2.code, 0, plan2.stderr);
    });
});
