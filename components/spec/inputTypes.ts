// Types and ranges of every input, checked against schema.json before anything else reads the
// args. TypeScript checks them at compile time, but values also arrive untyped: `as any` casts,
// `pulumi.Config.get` (always a string), and other languages through `construct` (plain JSON).
// A string "false" for a boolean is truthy (`migrations.maintenanceMode: "false"` scaled the
// serving Deployment to 0), a string "3" for a number compares and adds as a string, NaN passes
// every `<`/`>` range check. The walker is generated from the schema (the same one the unknown-key
// check walks), so a new arg is covered the moment it is in the schema.
//
// Rules, for every property:
// - `plain` properties (the component decides resources from them at construction) refuse an
//   Output or a Promise with a message naming what they decide; other properties accept them
//   (their value flows into resources and is checked where it is known);
// - string / boolean / number / array / map / object / enum as the schema says; required
//   properties present (soft);
// - numbers are finite (hard), and (soft) >= 0, at most 2^31-1 (Kubernetes' int32), and whole unless FRACTIONAL
//   lists them (a new number arg is a whole number unless it is added there).
import * as pulumi from "@pulumi/pulumi";
import { problem } from "./errors";
import { loadSchema, SchemaProperty } from "./unknownKeys";

/** Number properties that take fractions (`<type token>.<property>`); every other number is whole. */
export const FRACTIONAL = new Set([
    "openwebui:index:Database.connectionBudgetFraction",
    "openwebui:index:Redis.socketTimeoutSeconds",
    "openwebui:index:Otel.samplerRatio",
]);
/** Plain env values, which config gives as booleans or numbers when set with --path. */
const ENV_VALUE = /^extraEnv\.[^.]+$/;
/** The largest number any property takes: Kubernetes' int32 fields (replicas, seconds, ports). */
export const MAX_NUMBER = 2147483647;
/** Keys (properties, map keys) whose values, and everything under them, may be secrets: a refused value is described, never shown. */
export const SECRET_KEY = /pass(word)?|secret|token|api_?key|_key$|^key$|header|credential|auth|dsn|url$/i;
/** Keys that name Secrets rather than hold them. */
const NAMES_A_SECRET = /(Name|Names|Secrets|Ref)$/;
const secretKey = (k: string) => SECRET_KEY.test(k) && !NAMES_A_SECRET.test(k);

/**
 * What the walker found: `hard` problems (a wrong type, an Output in a plain field) stop validation
 * before any other check reads the value; `soft` ones (a string outside an enum, a number out of
 * range) defer to a field's own, more specific check, and are reported when it has none.
 */
export interface TypeProblems {
    hard: string[];
    soft: Map<string, string>;
}

function isDeferred(v: unknown): boolean {
    return pulumi.Output.isInstance(v) || v instanceof Promise || (!!v && typeof v === "object" && typeof (v as { then?: unknown }).then === "function");
}

function kindOf(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "a list";
    if (typeof v === "number") return Number.isNaN(v) ? "NaN" : Number.isFinite(v) ? "a number" : "an infinite number";
    if (typeof v === "object") return "an object";
    return `a ${typeof v}`;
}

/** `problem()` with the value shown, or only its kind when the field may hold a secret. */
function refused(field: string, v: unknown, fix: string, secret: boolean): string {
    if (secret) {
        const shown = typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : "";
        return `${field}: got ${kindOf(v)} (value not shown: the field may hold a secret); ${shown ? fix.split(shown).join("<value>") : fix}`;
    }
    if (typeof v === "number" && !Number.isFinite(v)) return `${field}: got ${Number.isNaN(v) ? "NaN" : String(v)}; ${fix}`;
    return problem(field, v, fix);
}

/** The first clause of a property's description, for "it decides ..." messages. */
function decides(p: SchemaProperty): string {
    const d = (p.description ?? "")
        .split(/\.(\s|$)|;|\n| Default:/)[0]
        .replace(/`/g, "")
        .trim();
    return d ? d.charAt(0).toLowerCase() + d.slice(1) : "how the component builds its resources";
}

function enumOf(ref: string): string[] | undefined {
    const t = loadSchema().types[ref.slice("#/types/".length)];
    return t?.enum?.map((e) => String(e.value));
}

function check(v: unknown, p: SchemaProperty, field: string, owner: string, out: TypeProblems, secret: boolean): void {
    const bad = (fix: string) => refused(field, v, fix, secret);
    if (v === undefined || v === null) return;
    if (isDeferred(v)) {
        if (p.plain) {
            out.hard.push(
                `${field}: got an Output; it must be a plain value known at preview: it decides ${decides(p)}, before any resource exists. Pass the value itself (e.g. from pulumi.Config.get/require), not an Output or a Promise`,
            );
        }
        return;
    }
    if (p.$ref === "pulumi.json#/Any") return;
    if (p.$ref?.startsWith("#/types/")) return checkTypeRef(v, p.$ref, field, out, secret);
    switch (p.type) {
        case "string":
            // `pulumi config set --path extraEnv.X false` stores a boolean (and 3 a number): an env
            // value is text either way, so these are taken and written as "false" / "3".
            if (ENV_VALUE.test(field) && (typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v)))) return;
            if (typeof v !== "string") out.hard.push(bad(typeof v === "number" || typeof v === "boolean" ? `use a string: "${String(v)}"` : "use a string"));
            return;
        case "boolean":
            if (typeof v !== "boolean") {
                out.hard.push(
                    bad(
                        typeof v === "string" && /^(true|false)$/i.test(v.trim())
                            ? `use true or false, not the string "${v}"; pulumi.Config.getBoolean reads it`
                            : "use true or false",
                    ),
                );
            }
            return;
        case "integer":
        case "number":
            checkNumber(v, field, p.type === "number" && FRACTIONAL.has(owner), out, secret);
            return;
        case "array":
            return checkList(v, p, field, owner, out, secret);
        case "object":
            return checkMap(v, p, field, owner, out, secret);
    }
}

/** Checks a value of a schema type (`#/types/...`): an enum's values, or an object's required keys and each property. */
function checkTypeRef(v: unknown, ref: string, field: string, out: TypeProblems, secret: boolean): void {
    const bad = (fix: string) => refused(field, v, fix, secret);
    const values = enumOf(ref);
    if (values) {
        if (typeof v !== "string") out.hard.push(bad(`use one of ${values.join(", ")} (a string)`));
        else if (!values.includes(v)) out.soft.set(field, bad(`use one of ${values.join(", ")}`));
        return;
    }
    const name = ref.slice("#/types/".length);
    const t = loadSchema().types[name];
    if (typeof v !== "object" || Array.isArray(v)) {
        out.hard.push(
            bad(
                `give an object${t?.properties ? ` with keys such as ${Object.keys(t.properties).slice(0, 4).join(", ")}` : ""}${Array.isArray(v) ? ", not a list" : ""}`,
            ),
        );
        return;
    }
    for (const k of t?.required ?? []) {
        const x = (v as Record<string, unknown>)[k];
        if (x === undefined || x === null)
            out.soft.set(`${field}.${k}`, `${field}.${k}: got nothing; it is required here (${decides(t.properties![k])}): set it`);
    }
    for (const [k, sub] of Object.entries(t?.properties ?? {}))
        check((v as Record<string, unknown>)[k], sub, `${field}.${k}`, `${name}.${k}`, out, secret || secretKey(k));
}

/** Checks a list value: a list, no empty items, each item of the item type. */
function checkList(v: unknown, p: SchemaProperty, field: string, owner: string, out: TypeProblems, secret: boolean): void {
    const bad = (fix: string) => refused(field, v, fix, secret);
    if (!Array.isArray(v)) {
        out.hard.push(bad(`give a list${typeof v === "string" ? ` (e.g. ["${v}"])` : ""}; pulumi.Config.getObject reads one`));
        return;
    }
    v.forEach((x, i) =>
        x === null || x === undefined
            ? out.hard.push(`${field}[${i}]: got an empty item; remove it (a list takes no null)`)
            : p.items && check(x, { description: p.description, ...p.items }, `${field}[${i}]`, owner, out, secret),
    );
}

/** Checks a map value: an object, no null values, each value of the value type. */
function checkMap(v: unknown, p: SchemaProperty, field: string, owner: string, out: TypeProblems, secret: boolean): void {
    const bad = (fix: string) => refused(field, v, fix, secret);
    if (typeof v !== "object" || Array.isArray(v)) {
        out.hard.push(bad(`give a map of names to values${Array.isArray(v) ? ", not a list" : ""}; pulumi.Config.getObject reads one`));
        return;
    }
    if (p.additionalProperties) {
        for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
            if (x === null) out.hard.push(`${field}.${k}: got null; give a value or remove the key`);
            else check(x, { description: p.description, ...p.additionalProperties }, `${field}.${k}`, owner, out, secret || secretKey(k));
        }
    }
}

function checkNumber(v: unknown, field: string, fractional: boolean, out: TypeProblems, secret: boolean): void {
    const bad = (fix: string) => refused(field, v, fix, secret);
    if (typeof v !== "number") {
        const text = typeof v === "string" && v.trim() !== "" ? v : undefined;
        const n = text === undefined ? NaN : Number(text);
        out.hard.push(bad(Number.isFinite(n) ? `use the number ${n}, not the string "${text}"; pulumi.Config.getNumber reads it` : "use a number"));
        return;
    }
    // NaN passes every range comparison and shows as `null` in JSON: hard. A finite number out of
    // range cannot break the field's own check (which says more): soft.
    if (!Number.isFinite(v))
        return void out.hard.push(bad("use a finite number (NaN and Infinity are refused; check the config value or the arithmetic that produced it)"));
    const soft = (fix: string) => out.soft.set(field, bad(fix));
    if (!fractional && !Number.isInteger(v)) soft(`use a whole number (e.g. ${Math.round(v)})`);
    else if (v < 0) soft("use a number >= 0");
    else if (v > MAX_NUMBER) soft(`use a number at most ${MAX_NUMBER} (Kubernetes fields are 32-bit)`);
}

/** Type problems of `args` for the resource `token`, from schema.json; required inputs included. */
export function inputTypeProblems(token: string, args: unknown): TypeProblems {
    const out: TypeProblems = { hard: [], soft: new Map() };
    const r = loadSchema().resources[token];
    if (!r || args === null || typeof args !== "object") return out;
    const a = args as Record<string, unknown>;
    for (const [k, p] of Object.entries(r.inputProperties)) check(a[k], p, k, `${token}.${k}`, out, secretKey(k));
    for (const k of r.requiredInputs ?? [])
        if (a[k] === undefined || a[k] === null) out.soft.set(k, `${k}: got nothing; it is required (${decides(r.inputProperties[k])}): set it`);
    return out;
}

/** The soft problems no other check reported for the same field (a field's own message is more specific). */
export function unreportedSoft(soft: Map<string, string>, problems: string[]): string[] {
    return [...soft].filter(([field]) => !problems.some((p) => p.startsWith(`${field}:`) || p.startsWith(`${field}/`))).map(([, m]) => m);
}
