// The package as other languages consume it, through the real CLI: the schema the CLI infers
// from the source-based plugin package, a generated Python SDK, and examples/yaml deployed
// through `packages:` against the loopback cluster (the engine hosts the TypeScript component).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { get, inventory, must, Project, ROOT, run, times, WORK } from "./lib";
import { cloudPlugins, stagedPackage } from "./package";

/** The CLI's serialization drops the analyzer's `optional` flags and empty `required`/`config`/
 *  `dependencies`: the same schema. Everything else must be identical. */
function normalize(x: any): any {
    if (Array.isArray(x)) return x.map(normalize);
    if (x && typeof x === "object") {
        const out: any = {};
        for (const [k, v] of Object.entries(x)) {
            if (k === "optional") continue;
            if ((k === "required" || k === "dependencies") && Array.isArray(v) && v.length === 0) continue;
            if (k === "config" && v && typeof v === "object" && Object.keys(v).length === 0) continue;
            out[k] = normalize(v);
        }
        return out;
    }
    return x;
}

/**
 * After another language's `up`: minReplicas Available in open-webui, and the same objects as the
 * TypeScript example's run (kubernetes.e2e.ts records them; under CI that run is required). The
 * TypeScript run starts at an older image tag, so the migration Job's version suffix is ignored.
 */
/** The OTLP destination the TypeScript scenario sets (kubernetes.e2e.ts), so every language deploys the collector. */
const OTLP_ENDPOINT = "http://otlp.observability.svc.cluster.local:4318";

function assertServesLikeTypeScriptExample(): void {
    const d = get(["deployment", "chat", "-n", "open-webui"]);
    assert.ok((d.status.availableReplicas ?? 0) >= 3, "minReplicas Available");
    const ts = path.join(WORK, "ts-inventory.json");
    if (!fs.existsSync(ts)) {
        assert.ok(process.env.CI !== "true", "the TypeScript example's inventory is missing: its scenario did not run");
        console.log("      (not compared with the TypeScript example: its scenario did not run)");
        return;
    }
    const unversioned = (xs: string[]) => xs.map((x) => x.replace(/^Job\/chat-migrate-v[0-9-]+$/, "Job/chat-migrate-<version>"));
    assert.deepStrictEqual(unversioned(inventory("open-webui")), unversioned(JSON.parse(fs.readFileSync(ts, "utf8"))));
}

describe("e2e: multi-language, through the real CLI", function () {
    this.timeout(15 * 60 * 1000);
    // The package as a Python, Go or YAML user gets it: the release tarball extracted (its
    // package.json has no devDependencies), so the engine installs only the providers of its
    // dependencies (kubernetes, random): plugin acquisition is off here (env.sh), so a program that
    // needed the aws, gcp or azure-native plugin would fail instead of downloading it.
    let PKGDIR: string;
    before(() => {
        PKGDIR = stagedPackage().dir;
        // Placeholders an older run of this suite installed (tests/e2e/stub-plugins.sh, now gone).
        for (const p of cloudPlugins()) run("pulumi", ["plugin", "rm", "resource", ...p.split(" "), "--yes"]);
        assert.deepStrictEqual(cloudPlugins(), []);
    });
    after(() => {
        assert.deepStrictEqual(cloudPlugins(), [], "no cloud provider plugin was installed for a kubernetes program");
    });

    it("`pulumi package get-schema .` equals the committed schema.json", () => {
        const r = must(run("pulumi", ["package", "get-schema", PKGDIR], { timeoutSec: 600 }), "pulumi package get-schema");
        times["multilang: package get-schema"] = r.seconds;
        const real = JSON.parse(r.stdout);
        const committed = JSON.parse(fs.readFileSync(path.join(ROOT, "schema.json"), "utf8"));
        assert.strictEqual(real.name, "openwebui");
        assert.ok(real.resources["openwebui:index:OpenWebUiCluster"]);
        assert.deepStrictEqual(normalize(real), normalize(committed));
    });

    it("`pulumi package gen-sdk . --language python` generates the SDK the Python example imports", () => {
        const out = path.join(WORK, "sdk");
        fs.rmSync(out, { recursive: true, force: true });
        const r = must(run("pulumi", ["package", "gen-sdk", PKGDIR, "--language", "python", "--out", out], { timeoutSec: 600 }), "pulumi package gen-sdk");
        times["multilang: package gen-sdk python"] = r.seconds;
        const pkg = path.join(out, "python", "pulumi_openwebui");
        const cls = fs.readFileSync(path.join(pkg, "open_web_ui_cluster.py"), "utf8");
        assert.match(cls, /class OpenWebUiCluster\(pulumi\.ComponentResource\)/);
        // The names examples/python uses exist in the generated SDK.
        const inputs = fs
            .readdirSync(pkg)
            .filter((f) => f.endsWith(".py"))
            .map((f) => fs.readFileSync(path.join(pkg, f), "utf8"))
            .join("\n");
        const example = fs.readFileSync(path.join(ROOT, "examples", "python", "__main__.py"), "utf8");
        for (const m of new Set([...example.matchAll(/openwebui\.([A-Z][A-Za-z]+)\(/g)].map((x) => x[1])))
            assert.match(inputs, new RegExp(`class ${m}\\b`), `${m} used by examples/python`);
        assert.match(fs.readFileSync(path.join(pkg, "_enums.py"), "utf8"), /class ZoneSpread/);
    });

    it("examples/yaml: preview and up through `packages:` create the same objects as the TypeScript example", function () {
        const src = fs.readFileSync(path.join(ROOT, "examples", "yaml", "Pulumi.yaml"), "utf8");
        assert.match(src, /^\s+openwebui: \.\.\/\.\.$/m);
        // The TypeScript scenario's telemetry destination (kubernetes.e2e.ts: otlpEndpoint), so both deploy the collector.
        const withOtel = src.replace(/^(\s+)labels:\n/m, `$1otel:\n$1  exporterEndpoint: ${OTLP_ENDPOINT}\n$1labels:\n`);
        assert.notStrictEqual(withOtel, src);
        const p = new Project("yaml", { "Pulumi.yaml": withOtel.replace(/^(\s+openwebui:) \.\.\/\.\.$/m, `$1 ${PKGDIR}`) });
        p.config({ hostname: "chat.e2e.test" });
        p.config({ openaiApiKey: "sk-e2e" }, ["openaiApiKey"]);
        p.pulumi(["preview"], "yaml: preview");
        try {
            p.up("yaml: up");
            assertServesLikeTypeScriptExample();
            const out = must(p.pulumiRaw(["stack", "output", "--json"]), "stack output");
            const o = JSON.parse(out.stdout);
            assert.strictEqual(o.url, "https://chat.e2e.test");
            assert.strictEqual(o.webuiSecretKey, "[secret]");
        } finally {
            p.pulumiRaw(["destroy", "--yes", "--skip-preview"], 300);
        }
        assert.notStrictEqual(run("kubectl", ["get", "deployment", "chat", "-n", "open-webui"]).code, 0);
    });

    it("examples/python: `pulumi install` generates the SDK from the checkout and builds the venv; preview and up create the same objects", function () {
        const dir = path.join(ROOT, "examples", "python");
        const src = fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8");
        assert.match(src, /^\s+openwebui: \.\.\/\.\.$/m);
        const p = new Project("python", {
            "Pulumi.yaml": src.replace(/^(\s+openwebui:) \.\.\/\.\.$/m, `$1 ${PKGDIR}`),
            "__main__.py": fs.readFileSync(path.join(dir, "__main__.py"), "utf8"),
            "requirements.txt": fs.readFileSync(path.join(dir, "requirements.txt"), "utf8"),
        });
        p.pulumi(["install"], "python: pulumi install (venv from PyPI + SDK)", 900);
        p.config({ hostname: "chat.e2e.test", otlpEndpoint: OTLP_ENDPOINT });
        p.pulumi(["preview"], "python: preview");
        try {
            p.up("python: up");
            assertServesLikeTypeScriptExample();
        } finally {
            p.pulumiRaw(["destroy", "--yes", "--skip-preview"], 300);
        }
    });
});
