import * as pulumi from "@pulumi/pulumi";

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

function render(value: unknown): string {
    if (value === undefined) return "nothing";
    if (typeof value === "string") return JSON.stringify(value);
    try {
        return JSON.stringify(value);
    } catch {
        return String(value);
    }
}

/** True when an Input is a plain value known now (not an Output or a Promise), so it can be validated at construction. */
export function isKnown<T>(v: pulumi.Input<T> | undefined): v is T {
    return v !== undefined && !pulumi.Output.isInstance(v) && !(v instanceof Promise);
}

/** The values of a string enum, for "use one of ..." messages. */
export function enumValues(e: object): string[] {
    return Object.values(e) as string[];
}
