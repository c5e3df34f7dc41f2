// Types of `openwebui plan`: its options, the planned resources and the result.
import type { PackConfig, Violation } from "../policy/runner";
import type { runtime as pulumiRuntime } from "@pulumi/pulumi";
import type { CostEstimate } from "./cost";

/** An invoke's inputs as the program passes them (the SDK's `MockCallArgs.inputs`). */
export type InvokeInputs = pulumiRuntime.MockCallArgs["inputs"];
/** An invoke's offline answer: a fixed result, or one computed from the inputs and the stack config. */
export type InvokeAnswer = Record<string, unknown> | ((inputs: InvokeInputs, config: Record<string, string>) => Record<string, unknown>);

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

export interface PlanOptions {
    /** Program directory (holds Pulumi.yaml or an index.ts/index.js). */
    programDir: string;
    /** Stack name; selects Pulumi.<stack>.yaml. Default: the first Pulumi.*.yaml, else "plan". */
    stack?: string;
    /** `key=value` overrides (key without a namespace gets the project's). */
    config?: string[];
    /** The override keys are property paths (`spec.replicas.max`), as `pulumi config set --path`. */
    configPath?: boolean;
    /** Skip type-checking a TypeScript program (as `PULUMI_NODEJS_TRANSPILE_ONLY=true`). */
    transpileOnly?: boolean;
    /** Output directory for Kubernetes YAML. Default: ./plan-out/<project>. `false` writes nothing. */
    out?: string | false;
    /** Extra invoke answers: `{ "<token>": { ...result } }`. */
    invokeAnswers?: Record<string, InvokeAnswer>;
    /** Policy pack config (`{ "<policy>": "advisory" | { enforcementLevel } }`). */
    policyConfig?: PackConfig;
    /** Skip the policy pack. */
    noPolicy?: boolean;
    /** Called with the number of registered resources while the program runs. */
    onProgress?: (count: number) => void;
    /** Called when the TypeScript type check starts. */
    onTypeCheck?: () => void;
}

export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    custom: boolean;
    /** Inputs for display: secrets "[secret]", unknowns "(computed)". */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a resource's inputs: untyped JSON of every provider, read field by field (cost, render)
    props: any;
    /** Inputs as the policy analyzer sees them (unknown sentinels, secrets unwrapped). */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as props: handed to the policy pack as the engine would
    analyzerProps: any;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    /** Registered with `.get()` (read, not created). */
    read?: boolean;
}

/** One release's planning capacity (cli/capacity.ts). */
export interface CapacityLine {
    /** The HorizontalPodAutoscaler's name in the plan. */
    resource: string;
    usersPerReplica: number;
    minReplicas: number;
    maxReplicas: number;
    usersAtMin: number;
    usersAtMax: number;
    basis: string;
}

export interface PlanResult {
    project: string;
    stack: string;
    programDir: string;
    resources: PlannedResource[];
    outputs: Record<string, unknown> | undefined;
    k8sFiles: string[];
    violations: Violation[];
    notes: string[];
    /** Program error (message), when the program failed. */
    error?: string;
    /** True when the policy pack was not run (--no-policy). */
    policySkipped?: boolean;
    /** Estimated monthly list price of the managed services (undefined: none, or the program failed). */
    cost?: CostEstimate;
    /** Users the release carries at the HPA's minimum and maximum (cli/capacity.ts). */
    capacity?: CapacityLine[];
}

export const SECRET_MASK = "[secret]";
export const COMPUTED = "(computed)";

/** Counted resources: what the program declares (custom resources and components), not the Stack nor default providers; one count for progress, the summary and stdout. */
export function isCounted(type: string): boolean {
    return type !== "pulumi:pulumi:Stack" && !type.startsWith("pulumi:providers:");
}

export function resourceCount(r: Pick<PlanResult, "resources">): number {
    return r.resources.filter((x) => isCounted(x.type)).length;
}
