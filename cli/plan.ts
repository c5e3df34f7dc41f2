// `openwebui plan <program dir>`: evaluates a Pulumi program offline under the mock runtime
// (no Pulumi CLI, no credentials), prints the resource tree, writes every Kubernetes object
// as YAML and runs the `openwebui-ha` policy pack over the planned resources.
//
// By concern: arguments cli/args.ts, program discovery and stack config cli/config.ts, the
// offline runtime cli/runtime.ts, rendering (tree, YAML, JSON) cli/render.ts, the cost estimate
// cli/cost.ts; the policy run is policy/runner.ts. This file wires them (plan, main).
import * as fs from "fs";
import * as path from "path";
import { AnalyzedResource, runPolicies } from "../policy/runner";
import { UsageError } from "./config";
import { estimateCost } from "./cost";
import { planningCapacity } from "./capacity";
import { POOL_CHURN_ANNOTATION } from "../components/spec/sizing";
import { PlanOptions, PlanResult, resourceCount } from "./planTypes";
import { evaluate } from "./runtime";
import { dataTierNotes, exitCodeOf, importNotes, mandatoryViolations, renderJson, renderText, writeYaml } from "./render";
import { Io, parseArgs, USAGE } from "./args";

export * from "./planTypes";
export * from "./runtime";
export * from "./render";
export { parseArgs, Io } from "./args";
export { UsageError, ProgramError, discoverProgram, buildConfig } from "./config";

// ---------------------------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------------------------

export async function plan(opts: PlanOptions): Promise<PlanResult> {
    const notes: string[] = [];
    const { info, resources, outputs, error, regionConfig } = await evaluate(opts, notes);
    const base: PlanResult = {
        project: info.project,
        stack: info.stack,
        programDir: path.resolve(opts.programDir),
        resources,
        outputs,
        k8sFiles: [],
        violations: [],
        notes,
        error,
    };
    if (!info.stackFile)
        notes.push(
            opts.stack
                ? `no Pulumi.${opts.stack}.yaml in ${base.programDir}; running with --config values only`
                : "no Pulumi.<stack>.yaml found; running with --config values only",
        );
    if (error) return base;
    notes.unshift(...dataTierNotes(resources));
    const debugOnly = resources.filter(
        (r) => r.type === "kubernetes:apps/v1:Deployment" && r.analyzerProps?.metadata?.annotations?.["openwebui.io/otel-debug-only"] === "true",
    );
    if (debugOnly.length) {
        notes.unshift(
            `TELEMETRY IS DROPPED: ${debugOnly.map((r) => r.name).join(", ")} has only the debug exporter (otel.debugOnly): it logs a summary and keeps nothing. Set otel.exporterEndpoint (your backend) or otel.collectorEndpoint (an existing collector).`,
        );
    }
    for (const r of resources) {
        const churn = r.type === "kubernetes:apps/v1:Deployment" ? r.analyzerProps?.metadata?.annotations?.[POOL_CHURN_ANNOTATION] : undefined;
        if (typeof churn === "string") notes.push(`DATABASE POOL BELOW STEADY USE: ${r.name}: ${churn}`);
    }
    notes.push(...importNotes(resources));
    base.cost = estimateCost(resources, regionConfig);
    base.capacity = planningCapacity(resources);
    if (opts.out !== false) base.k8sFiles = writeYaml(resources, path.resolve(opts.out ?? path.join("plan-out", info.project)));
    if (opts.noPolicy) base.policySkipped = true;
    else {
        const analyzed: AnalyzedResource[] = resources
            .filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))
            .map((r) => ({
                type: r.type,
                name: r.name,
                urn: r.urn,
                props: r.analyzerProps ?? {},
                parent: r.parent,
                dependencies: r.dependencies,
                propertyDependencies: r.propertyDependencies,
            }));
        base.violations = await runPolicies(analyzed, { config: opts.policyConfig });
    }
    return base;
}

export async function main(
    argv: string[],
    io: Io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), isTTY: !!process.stderr.isTTY },
): Promise<number> {
    let parsed: ReturnType<typeof parseArgs>;
    try {
        if (argv[0] !== undefined && argv[0] !== "plan" && !argv[0].startsWith("-") && argv.length > 0 && !fs.existsSync(argv[0])) {
            throw new UsageError(`unknown command ${JSON.stringify(argv[0])} (the only command is "plan")`);
        }
        parsed = parseArgs(argv);
    } catch (e) {
        io.stderr(`openwebui: ${(e as Error).message}\n\n${USAGE}\n`);
        return 64;
    }
    if (parsed.help) {
        io.stdout(USAGE + "\n");
        return 0;
    }
    const started = Date.now();
    let lastLine = 0;
    const progress = (n: number) => {
        if (io.isTTY) io.stderr(`\rplanning: ${n} resources registered`);
        else if (Date.now() - lastLine > 2000) {
            lastLine = Date.now();
            io.stderr(`planning: ${n} resources registered (${((Date.now() - started) / 1000).toFixed(1)}s)\n`);
        }
    };
    let result: PlanResult;
    try {
        result = await plan({ ...parsed.opts, onProgress: progress, onTypeCheck: () => io.stderr(`planning: type-checking ${parsed.opts.programDir}\n`) });
    } catch (e) {
        if (io.isTTY) io.stderr("\n");
        io.stderr(`openwebui plan: ${(e as Error).message}\n`);
        return e instanceof UsageError ? 64 : 2;
    }
    if (io.isTTY) io.stderr("\n");
    io.stderr(`planning: done, ${resourceCount(result)} resources in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
    if (parsed.json) io.stdout(renderJson(result) + "\n");
    else io.stdout(renderText(result) + "\n");
    const code = exitCodeOf(result);
    if (code === 2) io.stderr(`openwebui plan: program ${result.programDir} failed: ${result.error}\n`);
    if (code === 1) {
        const m = mandatoryViolations(result);
        io.stderr(
            `openwebui plan: ${m.length} mandatory policy violation(s): ${[...new Set(m.map((v) => `${v.policyName} (${v.resourceName ?? "stack"})`))].join(", ")}\n`,
        );
    }
    return code;
}

/**
 * Exits once stdout and stderr are flushed. A pipe takes 64 KiB before Node queues the rest, and
 * `process.exit` drops the queue: `plan --json | jq` lost everything after the first 64 KiB.
 */
export function exitWhenFlushed(code: number): void {
    process.exitCode = code;
    process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

if (require.main === module) {
    main(process.argv.slice(2)).then(exitWhenFlushed, (e) => {
        process.stderr.write(`openwebui plan: ${e?.stack ?? e}\n`);
        exitWhenFlushed(2);
    });
}
