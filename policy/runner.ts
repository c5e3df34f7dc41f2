// Runs the pack's policies without the Pulumi CLI, the way the analyzer server does
// (@pulumi/policy server.js) and the way official packs test themselves: fake
// ResourceValidationArgs / StackValidationArgs, props wrapped in the SDK's unknown-checking
// proxy, UnknownValueError -> an advisory "can't run during preview" diagnostic.
// Used by tests/policy.test.ts and by `openwebui plan` (one code path).
import { unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import type { EnforcementLevel, PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import type { Json } from "./rules/shape";
import { isStackPolicy, PackPolicy, policies as defaultPolicies, POLICY_PACK_NAME } from "./policies";

/** A resource as the analyzer sees it: props are plain JSON, unknowns as engine sentinels, secrets unwrapped. */
export interface AnalyzedResource {
    type: string;
    name: string;
    urn: string;
    props: Record<string, Json>;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    protect?: boolean;
}

/** Pack configuration in the `--policy-pack-config` shape: `{ "<policy>": "advisory" | { enforcementLevel, ...props } }`. */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, Json>)>;

export interface Violation {
    policyName: string;
    enforcementLevel: EnforcementLevel;
    message: string;
    description: string;
    remediation: string;
    /** URN of the resource in violation (undefined: the stack as a whole). */
    urn?: string;
    resourceName?: string;
    resourceType?: string;
}

class NotApplicable extends Error {}

export function urnFor(type: string, name: string, stack = "plan", project = "project"): string {
    return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

function levelOf(p: PackPolicy, config: PackConfig, packDefault: EnforcementLevel): EnforcementLevel {
    const c = config[p.name];
    if (typeof c === "string") return c;
    return c?.enforcementLevel ?? p.enforcementLevel ?? packDefault;
}

function configOf(p: PackPolicy, config: PackConfig): Json {
    const out: Record<string, Json> = {};
    for (const [k, s] of Object.entries(p.configSchema?.properties ?? {}))
        if ((s as { default?: unknown }).default !== undefined) out[k] = (s as { default?: unknown }).default;
    const c = config[p.name];
    if (c && typeof c === "object") {
        const { enforcementLevel, ...rest } = c;
        Object.assign(out, rest);
    }
    return out;
}

const emptyOpts = (r: AnalyzedResource) => ({
    protect: r.protect ?? false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    parent: r.parent,
});

const isTypeOf = (type: string) => (cls: Json) => cls && cls.__pulumiType === type;

/** Fake ResourceValidationArgs, as pulumi-policy-aws's tests build them. */
export function resourceArgs(r: AnalyzedResource, getConfig: () => Json = () => ({})): ResourceValidationArgs {
    const props = unknownCheckingProxy(r.props);
    return {
        type: r.type,
        props,
        urn: r.urn,
        name: r.name,
        opts: emptyOpts(r),
        stackTags: new Map(),
        isType: isTypeOf(r.type),
        asType: ((cls: Json) => (isTypeOf(r.type)(cls) ? props : undefined)) as Json,
        getConfig,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
}

/** Fake StackValidationArgs with parent/dependency links resolved from URNs. */
export function stackArgs(resources: AnalyzedResource[], getConfig: () => Json = () => ({})): StackValidationArgs {
    const byUrn = new Map<string, PolicyResource>();
    const out: PolicyResource[] = resources.map((r) => {
        const props = unknownCheckingProxy(r.props);
        const pr: PolicyResource = {
            type: r.type,
            props,
            urn: r.urn,
            name: r.name,
            opts: emptyOpts(r),
            dependencies: [],
            propertyDependencies: {},
            isType: isTypeOf(r.type),
            asType: ((cls: Json) => (isTypeOf(r.type)(cls) ? props : undefined)) as Json,
        };
        byUrn.set(r.urn, pr);
        return pr;
    });
    resources.forEach((r, i) => {
        const pr = out[i];
        if (r.parent && byUrn.has(r.parent)) pr.parent = byUrn.get(r.parent);
        pr.dependencies = (r.dependencies ?? []).map((u) => byUrn.get(u)).filter((x): x is PolicyResource => !!x);
        for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
            pr.propertyDependencies[k] = urns.map((u) => byUrn.get(u)).filter((x): x is PolicyResource => !!x);
        }
    });
    return {
        resources: out,
        stackTags: new Map(),
        getConfig,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
}

export interface RunOptions {
    config?: PackConfig;
    policies?: PackPolicy[];
    /** Pack-level default enforcement level (index.ts uses advisory). */
    packEnforcementLevel?: EnforcementLevel;
}

/** Runs every enabled policy over the resources; returns the violations (and preview diagnostics). */
export async function runPolicies(resources: AnalyzedResource[], opts: RunOptions = {}): Promise<Violation[]> {
    const config = opts.config ?? {};
    const out: Violation[] = [];
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    for (const p of opts.policies ?? defaultPolicies) {
        let level = levelOf(p, config, opts.packEnforcementLevel ?? "advisory");
        if (level === "disabled") continue;
        if (level === "remediate") level = "mandatory";
        const getConfig = () => configOf(p, config);
        const push = (message: string, urn?: string, lvl: EnforcementLevel = level) => {
            const r = urn ? byUrn.get(urn) : undefined;
            out.push({
                policyName: p.name,
                enforcementLevel: lvl,
                message,
                description: p.description,
                remediation: p.remediation,
                urn,
                resourceName: r?.name,
                resourceType: r?.type,
            });
        };
        const onError = (e: unknown, urn?: string) => {
            if (e instanceof UnknownValueError)
                push(`can't run policy '${p.name}' from policy pack '${POLICY_PACK_NAME}' during preview: ${(e as Error).message}`, urn, "advisory");
            // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- a thrown non-Error is shown as it is
            else if (!(e instanceof NotApplicable)) throw new Error(`Error validating ${urn ?? "stack"} with policy '${p.name}': ${(e as Error).stack ?? e}`);
        };
        if (isStackPolicy(p)) {
            try {
                await p.validateStack(stackArgs(resources, getConfig), (message, urn) => push(message, urn));
            } catch (e) {
                onError(e);
            }
        } else {
            const validations = Array.isArray(p.validateResource) ? p.validateResource : p.validateResource ? [p.validateResource] : [];
            for (const r of resources) {
                for (const v of validations) {
                    try {
                        await v(resourceArgs(r, getConfig), (message) => push(message, r.urn));
                    } catch (e) {
                        onError(e, r.urn);
                    }
                }
            }
        }
    }
    return out;
}
