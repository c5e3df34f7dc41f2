import * as pulumi from "@pulumi/pulumi";
import { maskCredentials } from "./credentials";

/** Thrown at construction for bad input; nothing has been registered when it is thrown. */
export class ValidationError extends Error {
    constructor(public readonly problems: string[]) {
        super(
            `OpenWebUiCluster: invalid arguments (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.name = "ValidationError";
    }
}

/** Formats one problem: the field, the value received, and the fix. */
export function problem(field: string, value: unknown, fix: string): string {
    return `${field}: got ${render(value)}; ${fix}`;
}

/** `scheme://user:password@` (or `scheme://token@`) anywhere in a string. */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)[^/\s@"]+@/gi;

/** True when `v` is a string carrying credentials in a URL. */
export function hasUrlCredentials(v: unknown): boolean {
    return typeof v === "string" && new RegExp(URL_CREDENTIALS.source, "i").test(v);
}

/**
 * The value as shown in a message. Credentials inside URLs are always masked, whatever the field:
 * messages of refused input land in CI logs, so none may repeat a secret.
 */
function render(value: unknown): string {
    if (value === undefined) return "nothing";
    let text: string;
    try {
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the fallback for what JSON cannot render (a function, a symbol): its own text
        text = JSON.stringify(knownParts(value)) ?? String(value);
    } catch {
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the fallback for what JSON cannot render (a cycle, a BigInt): its own text
        text = String(value);
    }
    // Keys, tokens, JWTs, PEM blocks and connection strings are masked too (components/spec/credentials.ts).
    return maskCredentials(text.replace(URL_CREDENTIALS, "$1***@"));
}

/** `v` with every Output or Promise inside replaced by a marker (an Output's toJSON yields a long "Calling [toJSON]..." text). */
function knownParts(v: unknown, depth = 0): unknown {
    if (pulumi.Output.isInstance(v) || v instanceof Promise) return "<an Output, known only at deployment>";
    if (depth > 8 || v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map((x) => knownParts(x, depth + 1));
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, knownParts(x, depth + 1)]));
}

/** True when an Input is a plain value known now (not an Output or a Promise), so it can be validated at construction. */
export function isKnown<T>(v: pulumi.Input<T> | undefined): v is T {
    return v !== undefined && !pulumi.Output.isInstance(v) && !(v instanceof Promise);
}

/** The values of a string enum, for "use one of ..." messages. */
export function enumValues(e: object): string[] {
    return Object.values(e) as string[];
}
