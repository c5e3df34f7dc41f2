// The defaults table (components/spec/defaults.ts) against the TSDoc and against the code:
// (a) every `Default:` of schema.json (generated from the TSDoc) has the table's entry for its path,
//     with the same text, and every entry is a documented arg: both directions, reported by path;
// (b) every literal with a resolved location is what `resolveSpec` resolves for a minimal spec of
//     each target, and what it stays when the section's other args change (else the TSDoc must
//     name what it depends on): this is what catches prose and code disagreeing;
// (c) each literal appears in its documented text; each has a place where it takes effect.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { DEFAULTS } from "../components/spec/defaults";
import type { DefaultEntry, Literal, PerTarget } from "../components/spec/defaults";
import { resolveSpec } from "../components/spec/spec";
import { POD_SIZING } from "../components/spec/sizing";
import { SizePreset } from "../components/args/enums";
import { TARGET_ARGS } from "./cloudFixtures";

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "schema.json"), "utf8"));
const TOKEN = "openwebui:index:OpenWebUiCluster";
const TARGETS = ["kubernetes", "aws", "gcp", "azure"];
const TABLE: Record<string, DefaultEntry> = DEFAULTS;

/** The TSDoc's default: after `Default:` up to the end of that sentence, whitespace collapsed. */
export function documentedDefault(description: string | undefined): string | undefined {
    const i = (description ?? "").indexOf("Default:");
    if (i < 0) return undefined;
    const rest = description!
        .slice(i + "Default:".length)
        .replace(/\s+/g, " ")
        .trim();
    return (rest.match(/^([\s\S]*?)\.(?:\s|$)/)?.[1] ?? rest).trim();
}

/** path -> documented default, for every input property of schema.json that states one. */
function schemaDefaults(): Map<string, string> {
    const refOf = (p: any): string | undefined => p.$ref ?? (p.items ? refOf(p.items) : p.additionalProperties ? refOf(p.additionalProperties) : undefined);
    const segment = (k: string, p: any) => k + (p.type === "array" ? "[]" : p.type === "object" && p.additionalProperties ? "{}" : "");
    const paths = new Map<string, { at: string[]; siblings: string[] }[]>();
    const walk = (at: string[], props: Record<string, any>, seen: string[]) => {
        for (const [k, p] of Object.entries(props ?? {})) {
            const t = refOf(p);
            if (!t?.startsWith("#/types/") || seen.includes(t)) continue;
            const here = [...at, segment(k, p)];
            paths.set(t, [...(paths.get(t) ?? []), { at: here, siblings: Object.keys(props) }]);
            walk(here, schema.types[t.slice(8)].properties, [...seen, t]);
        }
    };
    const root = schema.resources[TOKEN].inputProperties;
    walk([], root, []);
    const out = new Map<string, string>();
    const add = (prefix: string, props: Record<string, any>) => {
        for (const [k, p] of Object.entries(props ?? {})) {
            const d = documentedDefault(p.description);
            if (d !== undefined) out.set(prefix ? `${prefix}.${k}` : k, d);
        }
    };
    add("", root);
    for (const [t, uses] of paths) {
        // A type reached from several args: `*` when it is every property of the parent, else `{a,b}`.
        const prefix = uses[0].at
            .map((s, i) => {
                const alts = [...new Set(uses.map((u) => u.at[i]))];
                if (alts.length === 1) return s;
                return alts.length === uses[0].siblings.length ? "*" : `{${alts.join(",")}}`;
            })
            .join(".");
        add(prefix, schema.types[t.slice(8)].properties);
    }
    return out;
}

function get(o: any, dotted: string): unknown {
    return dotted.split(".").reduce((v, k) => (v === undefined || v === null ? undefined : v[k]), o);
}

function set(o: any, dotted: string, value: unknown): any {
    const keys = dotted.split(".");
    const out = structuredClone(o);
    let v = out;
    for (const k of keys.slice(0, -1)) v = v[k] = { ...(v[k] ?? {}) };
    v[keys[keys.length - 1]] = value;
    return out;
}

/** A minimal valid spec of `target`, with what a section needs to be resolved at all. */
function minimal(target: string, key: string): any {
    const args = { ...TARGET_ARGS[target], hostname: "chat.example.com" };
    return key.startsWith("importFrom.") ? { ...args, importFrom: { dataDirClaim: "open-webui" } } : args;
}

const literals = () => Object.entries(TABLE).filter((e): e is [string, Literal<unknown>] => "value" in e[1]);
const perTargets = () => Object.entries(TABLE).filter((e): e is [string, PerTarget<unknown>] => "byTarget" in e[1]);
const render = (v: unknown) => (typeof v === "string" ? `\`${v}\`` : Array.isArray(v) ? JSON.stringify(v) : String(v));
const mentions = (doc: string, v: unknown) => new RegExp(`(^|[^\\w.])${render(v).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^\\w])`).test(doc);

describe("defaults table (components/spec/defaults.ts)", () => {
    it("(a) holds every documented default of schema.json, with its text, and nothing else", () => {
        const documented = schemaDefaults();
        const missing = [...documented.keys()].filter((k) => !(k in TABLE)).map((k) => `${k}: documented "${documented.get(k)}", not in the table`);
        const extra = Object.keys(TABLE)
            .filter((k) => !documented.has(k))
            .map((k) => `${k}: in the table, no documented Default: in schema.json`);
        const differ = [...documented]
            .filter(([k, d]) => k in TABLE && TABLE[k].doc !== d)
            .map(([k, d]) => `${k}: TSDoc says "${d}", the table "${TABLE[k].doc}"`);
        assert.deepStrictEqual([...missing, ...extra, ...differ], []);
        assert.ok(documented.size >= 300, `${documented.size} documented defaults`);
    });

    it("(b) each literal is what resolveSpec resolves for a minimal spec of every target", () => {
        const wrong: string[] = [];
        const checked: string[] = [];
        for (const target of TARGETS) {
            for (const [key, e] of [...literals(), ...perTargets()]) {
                if (!e.at) continue;
                const expected = "value" in e ? e.value : (e.byTarget as Record<string, unknown>)[target];
                if (!("value" in e) && !(target in e.byTarget)) continue;
                const { spec, problems } = resolveSpec(minimal(target, key));
                assert.deepStrictEqual(problems, [], `the minimal ${target} spec is valid`);
                const actual = get(spec, e.at);
                checked.push(`${target}:${key}`);
                if (JSON.stringify(actual) !== JSON.stringify(expected))
                    wrong.push(`${key} on ${target}: the table says ${render(expected)}, resolveSpec gives ${render(actual)} at ${e.at}`);
            }
        }
        assert.deepStrictEqual(wrong, []);
        assert.ok(checked.length > 4 * 60, `${checked.length} checks`);
    });

    it("(b) a literal stays when the section's other args change, unless the TSDoc names what it depends on", () => {
        const wrong: string[] = [];
        const located = literals().filter(([, e]) => e.at);
        for (const [key, e] of located) {
            const parent = key.includes(".") ? key.slice(0, key.lastIndexOf(".") + 1) : "";
            for (const [other, o] of located) {
                if (other === key || !other.startsWith(parent) || other.slice(parent.length).includes(".")) continue;
                const changed = typeof o.value === "number" ? o.value + 100 : typeof o.value === "boolean" ? !o.value : undefined;
                if (changed === undefined) continue;
                for (const target of TARGETS) {
                    const actual = get(resolveSpec(set(minimal(target, key), other, changed)).spec, e.at!);
                    const name = other.slice(parent.length);
                    if (JSON.stringify(actual) !== JSON.stringify(e.value) && !e.doc.includes(`\`${name}\``)) {
                        wrong.push(
                            `${key} on ${target}: with ${other}=${String(changed)} it resolves to ${render(actual)}, while the TSDoc says "${e.doc}" without naming \`${name}\``,
                        );
                    }
                }
            }
        }
        assert.deepStrictEqual(wrong, []);
    });

    it("(c) each literal appears in its documented text and has a place where it takes effect", () => {
        const wrong: string[] = [];
        for (const [key, e] of literals()) {
            if (!mentions(e.doc, e.value)) wrong.push(`${key}: the TSDoc "${e.doc}" does not state ${render(e.value)}`);
            if (!e.at && !e.usedBy) wrong.push(`${key}: neither a resolved location (at) nor a module (usedBy)`);
        }
        for (const [key, e] of perTargets()) {
            for (const v of new Set(Object.values(e.byTarget))) if (!mentions(e.doc, v)) wrong.push(`${key}: the TSDoc "${e.doc}" does not state ${render(v)}`);
            if (!e.at && !e.usedBy) wrong.push(`${key}: neither a resolved location (at) nor a module (usedBy)`);
        }
        assert.deepStrictEqual(wrong, []);
    });

    it("(c) threadPoolSize's documented figures are the size presets' (small/medium/large)", () => {
        const figures = TABLE.threadPoolSize.doc
            .match(/\((\d+)\/(\d+)\/(\d+)\)/)
            ?.slice(1)
            .map(Number);
        const presets = [SizePreset.Small, SizePreset.Medium, SizePreset.Large].map((s) => POD_SIZING[s].threadPoolSize);
        assert.deepStrictEqual(figures, presets, `TSDoc: "${TABLE.threadPoolSize.doc}"`);
        for (const target of TARGETS)
            assert.strictEqual(resolveSpec(minimal(target, "threadPoolSize")).spec.threadPoolSize, POD_SIZING[DEFAULTS.size.value].threadPoolSize);
    });

    it("extracts the documented default as the sentence after Default: (control cases)", () => {
        assert.strictEqual(documentedDefault("Minimum. Default: 3. Must be >= 2 for HA."), "3");
        assert.strictEqual(documentedDefault("Ratio. Default: 0.1 (one trace in ten)."), "0.1 (one trace in ten)");
        assert.strictEqual(documentedDefault("Image. Default: `ghcr.io/x/y:v0.12.4`."), "`ghcr.io/x/y:v0.12.4`");
        assert.strictEqual(documentedDefault("No default here."), undefined);
        assert.ok(!mentions("the larger of 10 and `min`", 1), "1 is not 10");
        assert.ok(mentions("the larger of 10 and `min`", 10));
    });
});
