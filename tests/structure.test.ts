// Source layout rules a reader relies on: no import cycles, the neutral core owns its port and
// imports nothing from providers/ (not even types: the arrow points one way), every cloud has the
// same files for the same concerns, components/ in rooms by concern, and files and functions stay
// small (a function over 80 lines decides more than one thing).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.join(__dirname, "..");
const DIRS = ["components", "providers", "cli", "policy"];

function sources(): string[] {
    const out: string[] = [];
    const walk = (d: string) => {
        for (const e of fs.readdirSync(path.join(ROOT, d), { withFileTypes: true })) {
            const rel = path.join(d, e.name);
            if (e.isDirectory() && e.name !== "node_modules") walk(rel);
            else if (e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(rel);
        }
    };
    for (const d of DIRS) walk(d);
    return ["index.ts", ...out];
}

interface Import {
    to: string;
    typeOnly: boolean;
}

/** Relative imports and re-exports of a file, resolved to repository paths. */
function importsOf(file: string): Import[] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    const out: Import[] = [];
    const re = /^\s*(import|export)\s+(type\s+)?[^;]*?from\s+"(\.[^"]+)"/gms;
    for (const m of text.matchAll(re)) {
        const base = path.normalize(path.join(path.dirname(file), m[3]));
        const to = [`${base}.ts`, path.join(base, "index.ts")].find((c) => fs.existsSync(path.join(ROOT, c)));
        if (to) out.push({ to, typeOnly: !!m[2] });
    }
    return out;
}

describe("source structure", function () {
    const files = sources();
    const graph = new Map(files.map((f) => [f, importsOf(f)]));

    it("the import scanner sees the imports (control: index.ts imports the component)", () => {
        assert.ok(
            graph.get("index.ts")!.some((i) => i.to === path.join("components", "index.ts") || i.to.startsWith("components")),
            JSON.stringify(graph.get("index.ts")),
        );
        assert.ok(
            graph.get(path.join("providers", "aws", "index.ts"))!.some((i) => i.typeOnly && i.to === path.join("components", "platform", "port.ts")),
            "type-only imports detected",
        );
        assert.ok(
            graph.get("index.ts")!.some((i) => !i.typeOnly && i.to === path.join("providers", "index.ts")),
            "the entry hands the loader in",
        );
    });

    it("no import cycles (type-only imports included)", () => {
        const cycles: string[] = [];
        const state = new Map<string, 1 | 2>();
        const stack: string[] = [];
        const visit = (f: string) => {
            state.set(f, 1);
            stack.push(f);
            for (const { to } of graph.get(f) ?? []) {
                if (state.get(to) === 1) cycles.push([...stack.slice(stack.indexOf(to)), to].join(" > "));
                else if (!state.has(to)) visit(to);
            }
            stack.pop();
            state.set(f, 2);
        };
        for (const f of files) if (!state.has(f)) visit(f);
        assert.deepStrictEqual(cycles, []);
    });

    it("the neutral core (components/) imports nothing from providers/, values or types: the port lives in the core", () => {
        const bad: string[] = [];
        for (const [f, imps] of graph) {
            if (!f.startsWith("components" + path.sep)) continue;
            for (const i of imps) if (i.to.startsWith("providers" + path.sep)) bad.push(`${f} -> ${i.to}${i.typeOnly ? " (type)" : ""}`);
            // `require("../providers")` or a dynamic `import("../providers/...")` is an arrow up as well.
            const text = fs.readFileSync(path.join(ROOT, f), "utf8");
            for (const m of text.matchAll(/(?:require|import)\(\s*"(\.[^"]+)"\s*\)/g)) {
                if (path.normalize(path.join(path.dirname(f), m[1])).startsWith("providers")) bad.push(`${f} -> ${m[1]} (dynamic)`);
            }
        }
        assert.deepStrictEqual(bad, []);
    });

    it("the cloud SDKs are imported only under providers/<cloud>/", () => {
        const bad: string[] = [];
        for (const f of files) {
            const text = fs.readFileSync(path.join(ROOT, f), "utf8");
            for (const m of text.matchAll(/from\s+"@pulumi\/(aws|gcp|azure-native)(?:\/[^"]*)?"/g)) {
                const cloud = m[1] === "azure-native" ? "azure" : m[1];
                if (!f.startsWith(path.join("providers", cloud) + path.sep)) bad.push(`${f} imports @pulumi/${m[1]}`);
            }
        }
        assert.deepStrictEqual(bad, []);
    });

    it("every cloud has the same files for the same concerns, each defining its concern", () => {
        const concern: Record<string, RegExp> = {
            "validate.ts": /export function validate\w*\(/,
            "catalog.ts": /export const \w+/,
            "database.ts": /export function createDatabase\(/,
            "cache.ts": /export function createCache\(/,
            "storage.ts": /export function createObjectStore\(/,
            "identity.ts": /export function createWorkloadIdentity\(/,
            "ingress.ts": /export function createLoadBalancer\(/,
            "index.ts": /export const platform: CloudPlatform/,
            "shared.ts": /export /,
            "accessLogs.ts": /export function accessLogsOn\(/,
            "telemetry.ts": /export function createTelemetry\(/,
            "alarms.ts": /export function createAlarms\(/,
        };
        for (const cloud of ["aws", "gcp", "azure"]) {
            const dir = path.join(ROOT, "providers", cloud);
            assert.deepStrictEqual(
                fs
                    .readdirSync(dir)
                    .filter((f) => f.endsWith(".ts"))
                    .sort(),
                Object.keys(concern).sort(),
                cloud,
            );
            for (const [file, re] of Object.entries(concern)) assert.match(fs.readFileSync(path.join(dir, file), "utf8"), re, `providers/${cloud}/${file}`);
        }
    });

    it("no source file over 400 lines", () => {
        const over = files.map((f) => ({ f, lines: fs.readFileSync(path.join(ROOT, f), "utf8").split("\n").length })).filter((x) => x.lines > 400);
        assert.deepStrictEqual(over, []);
    });
});

/** Functions (declarations, methods, arrows, function expressions) with their body's length in lines, nested ones included. */
function functionLengths(file: string): { name: string; line: number; lines: number }[] {
    const sf = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, true);
    const out: { name: string; line: number; lines: number }[] = [];
    const nameOf = (n: ts.Node): string => {
        const named = n as ts.Node & { name?: ts.Node };
        if (named.name) return named.name.getText(sf);
        if (ts.isVariableDeclaration(n.parent) || ts.isPropertyAssignment(n.parent)) return n.parent.name.getText(sf);
        return "<anonymous>";
    };
    const visit = (n: ts.Node) => {
        if (ts.isFunctionLike(n) && "body" in n && n.body) {
            const body = n.body as ts.Node;
            const first = sf.getLineAndCharacterOfPosition(body.getStart(sf)).line;
            const last = sf.getLineAndCharacterOfPosition(body.end).line;
            out.push({ name: nameOf(n), line: first + 1, lines: last - first + 1 });
        }
        ts.forEachChild(n, visit);
    };
    visit(sf);
    return out;
}

describe("source structure: rooms and function size", function () {
    const files = sources();
    const FUNCTION_LIMIT = 80;

    it(`no function over ${FUNCTION_LIMIT} lines`, () => {
        const long = files.flatMap((f) =>
            functionLengths(f)
                .filter((x) => x.lines > FUNCTION_LIMIT)
                .map((x) => `${f}:${x.line} ${x.name} (${x.lines} lines)`),
        );
        assert.deepStrictEqual(long, []);
    });

    it("control: the measure sees a long function (one of 81 lines is over the limit)", () => {
        const tmp = path.join("tests", ".structure-probe.ts");
        fs.writeFileSync(path.join(ROOT, tmp), `export function probe(): number {\n${"    let x = 1;\n".repeat(78)}    return 1;\n}\n`);
        try {
            assert.deepStrictEqual(
                functionLengths(tmp).map((x) => [x.name, x.lines]),
                [["probe", 81]],
            );
        } finally {
            fs.rmSync(path.join(ROOT, tmp));
        }
    });

    it("components/ is in rooms by concern: no loose files but the component, its context and its resources", () => {
        const loose = fs
            .readdirSync(path.join(ROOT, "components"), { withFileTypes: true })
            .filter((e) => e.isFile())
            .map((e) => e.name)
            .sort();
        assert.deepStrictEqual(loose, ["index.ts", "openWebUiCluster.ts", "resources.ts", "wiring.ts"]);
        const rooms = fs
            .readdirSync(path.join(ROOT, "components"), { withFileTypes: true })
            .filter((e) => e.isDirectory())
            .map((e) => e.name)
            .sort();
        assert.deepStrictEqual(rooms, ["args", "data", "env", "kubernetes", "platform", "spec", "telemetry"]);
    });

    it("the arg types (components/args/) are types only: no resource, no Output, no function", () => {
        const bad: string[] = [];
        for (const f of files.filter((x) => x.startsWith(path.join("components", "args") + path.sep))) {
            const code = fs
                .readFileSync(path.join(ROOT, f), "utf8")
                .split("\n")
                .filter((l) => !/^\s*(\/\/|\/?\*)/.test(l))
                .join("\n");
            if (/\bnew\s+[A-Za-z_.]+\(|pulumi\.(output|all|interpolate|secret)\(|^export (async )?function/m.test(code)) bad.push(f);
        }
        assert.deepStrictEqual(bad, []);
    });
});
