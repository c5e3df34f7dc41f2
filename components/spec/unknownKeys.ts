// Unknown keys in the args are refused, naming the key and the nearest valid one: a typo such as
// `replica:` or `tls.enable` would otherwise fall back to a default silently (from TypeScript with
// `as any`, and from Python/YAML/JSON through `construct`, where no compiler checks names). The
// valid keys are those of schema.json, the multi-language API the args are inferred into (a unit
// test keeps it in step with the TypeScript types).
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

export interface SchemaProperty {
    $ref?: string;
    type?: string;
    items?: SchemaProperty;
    additionalProperties?: SchemaProperty;
    plain?: boolean;
    description?: string;
}
export interface Schema {
    name: string;
    resources: Record<string, { inputProperties: Record<string, SchemaProperty>; requiredInputs?: string[] }>;
    types: Record<string, { type?: string; properties?: Record<string, SchemaProperty>; required?: string[]; enum?: { value: unknown }[] }>;
}

let schema: Schema | undefined;
/** schema.json of the package (read once). */
export function loadSchema(): Schema {
    if (schema) return schema;
    // components/ from source (ts-node), bin/components/ when compiled: schema.json is at the package root.
    for (const dir of [path.join(__dirname, ".."), path.join(__dirname, "..", "..")]) {
        const f = path.join(dir, "schema.json");
        if (fs.existsSync(f)) {
            const s = JSON.parse(fs.readFileSync(f, "utf8")) as Schema;
            if (s.name === "openwebui") return (schema = s);
        }
    }
    throw new Error(`schema.json not found next to ${__dirname}: the package is incomplete`);
}

/** Levenshtein distance, case-insensitive. */
function distance(a: string, b: string): number {
    a = a.toLowerCase();
    b = b.toLowerCase();
    const d = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let prev = d[0];
        d[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const cur = d[j];
            d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
            prev = cur;
        }
    }
    return d[b.length];
}

/** The valid key closest to `key` (prefix matches first: `enable` -> `enabled`). */
export function nearest(key: string, valid: string[]): string | undefined {
    const k = key.toLowerCase();
    const prefixed = valid.filter((v) => v.toLowerCase().startsWith(k) || k.startsWith(v.toLowerCase()));
    const pool = prefixed.length ? prefixed : valid;
    let best: string | undefined;
    let bestD = Infinity;
    for (const v of pool) {
        const dd = distance(key, v);
        if (dd < bestD) {
            best = v;
            bestD = dd;
        }
    }
    return prefixed.length || bestD <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function walk(value: unknown, props: Record<string, SchemaProperty>, at: string, out: string[]): void {
    if (value === null || typeof value !== "object" || Array.isArray(value) || pulumi.Output.isInstance(value) || value instanceof Promise) return;
    const valid = Object.keys(props);
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        const field = at ? `${at}.${key}` : key;
        const p = props[key];
        if (!p) {
            const n = nearest(key, valid);
            out.push(`${field}: got an unknown key; ${n ? `did you mean \`${at ? `${at}.` : ""}${n}\`? ` : ""}valid keys here: ${valid.join(", ")}`);
            continue;
        }
        check(v, p, field, out);
    }
}

function check(v: unknown, p: SchemaProperty, field: string, out: string[]): void {
    if (v === undefined || v === null) return;
    if (p.$ref?.startsWith("#/types/")) {
        const t = loadSchema().types[p.$ref.slice("#/types/".length)];
        if (t?.properties) walk(v, t.properties, field, out);
    } else if (p.type === "array" && p.items && Array.isArray(v)) {
        v.forEach((x, i) => check(x, p.items!, `${field}[${i}]`, out));
    } else if (p.type === "object" && p.additionalProperties && v && typeof v === "object" && !pulumi.Output.isInstance(v)) {
        // Maps (extraEnv, labels, tags): any key; their values are checked when they are objects.
        for (const [k, x] of Object.entries(v as Record<string, unknown>)) check(x, p.additionalProperties, `${field}.${k}`, out);
    }
}

/** One problem per unknown key in `args` of the resource `token`, each naming the nearest valid key. */
export function unknownKeyProblems(token: string, args: unknown): string[] {
    const r = loadSchema().resources[token];
    if (!r) return [];
    const out: string[] = [];
    walk(args, r.inputProperties, "", out);
    return out;
}
