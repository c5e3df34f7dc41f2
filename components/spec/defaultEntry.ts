// The shape of one entry of the defaults table (defaults.ts): the default an arg's TSDoc states,
// and, when the default is a plain literal, the value the code reads from the table.
import { CloudTarget } from "../args/enums";

/** Where a default takes effect: a dotted path of ResolvedSpec (`at`), or the file that reads it (`usedBy`). */
export interface DefaultWhere {
    /** Dotted path in the ResolvedSpec that `resolveSpec` fills with the value (tests/defaults.test.ts checks it). */
    at?: string;
    /** The module that applies the value, when `resolveSpec` does not (left as given in the spec). */
    usedBy?: string;
}

/**
 * A documented default: `doc` is the arg's TSDoc after `Default:` up to the end of that sentence
 * (whitespace collapsed), exactly as schema.json carries it.
 */
export interface Documented {
    readonly doc: string;
}

/** A default that is one literal on every target. */
export interface Literal<T> extends Documented, DefaultWhere {
    readonly value: T;
}

/** A default that differs by target (only the targets `K` listed are stated). */
export interface PerTarget<T, K extends CloudTarget = CloudTarget> extends Documented, DefaultWhere {
    readonly byTarget: { readonly [P in K]: T };
}

export type DefaultEntry = Documented | Literal<unknown> | PerTarget<unknown, CloudTarget>;

/** A default stated in prose only (none, computed, or the platform's own). */
export function documented(doc: string): Documented {
    return { doc };
}

export function literal<T>(doc: string, value: T, where: DefaultWhere): Literal<T> {
    return { doc, value, ...where };
}

export function perTarget<T, K extends CloudTarget>(doc: string, byTarget: { [P in K]: T }, where: DefaultWhere): PerTarget<T, K> {
    return { doc, byTarget, ...where };
}
