// The offline runtime of `openwebui plan`: runs a Pulumi program under the mock runtime with
// preview semantics. The mocks return a resource's inputs and nothing else, so every value only
// the cloud knows after apply (endpoints, ARNs, generated passwords, ids) stays unknown and is
// shown as "(computed)"; an `apply` on such a value never runs, exactly as in `pulumi preview`.
// Secrets are shown as "[secret]" (the policies see the plaintext, as the real analyzer does).
import * as fs from "fs";
import type { runtime as pulumiRuntime } from "@pulumi/pulumi";
import * as path from "path";
import { buildConfig, discoverProgram, ProgramInfo } from "./config";
import { shouldTypeCheck, typeCheck } from "./typecheck";
import { transformRunner, TransformRunner } from "./transforms";
import { loadProgram } from "./loader";
import { pulumiInternals, PulumiInternals } from "./pulumiVersion";
import { COMPUTED, InvokeAnswer, isCounted, PlanOptions, PlannedResource, SECRET_MASK } from "./planTypes";
import { DEFAULT_INVOKE_ANSWERS, UNKNOWN_SENTINEL } from "./invokeAnswers";

export { DEFAULT_INVOKE_ANSWERS };

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

// ---------------------------------------------------------------------------------------------
// Value conversion
// ---------------------------------------------------------------------------------------------

/** The @pulumi/pulumi the program under evaluation registers with (set by evaluate). */
let activePulumiRoot = path.dirname(require.resolve("@pulumi/pulumi/package.json"));

function isUnknownValue(v: unknown): boolean {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the active @pulumi/pulumi copy's internals, a path known only at run time
    const output = require(path.join(activePulumiRoot, "output"));
    return output.isUnknown(v) || v === UNKNOWN_SENTINEL;
}

function convert(v: unknown, mode: "display" | "analyzer", seen = new Set<unknown>(), inSecret = false): unknown {
    if (isUnknownValue(v)) return mode === "display" ? (inSecret ? SECRET_MASK : COMPUTED) : UNKNOWN_SENTINEL;
    if (v === null || typeof v !== "object") return mode === "display" && inSecret && v !== null ? SECRET_MASK : v;
    // A secret's structure stays visible (keys of a Secret's stringData), its leaves are masked.
    const secret = v as { [SIG]?: unknown; value?: unknown };
    if (secret[SIG] === SECRET_SIG) return convert(secret.value, mode, seen, mode === "display");
    if (seen.has(v)) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the active @pulumi/pulumi copy, a path known only at run time
    const pulumi = require(activePulumiRoot);
    if (pulumi.Resource.isInstance(v)) return mode === "display" ? "<resource reference>" : UNKNOWN_SENTINEL;
    if (pulumi.asset.Asset.isInstance(v) || pulumi.asset.Archive.isInstance(v)) return "<asset>";
    seen.add(v);
    try {
        if (Array.isArray(v)) return v.map((x) => convert(x, mode, seen, inSecret));
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = convert(x, mode, seen, inSecret);
        return out;
    } finally {
        seen.delete(v);
    }
}

// ---------------------------------------------------------------------------------------------
// Running the program
// ---------------------------------------------------------------------------------------------

let runLock: Promise<void> = Promise.resolve();

/** Where this package's own name (`openwebui`, `openwebui/<sub>`) points in this checkout, or undefined for any other module. */
let ownPackage: { root: string; name: string } | undefined;
function ownPackagePath(request: string): string | undefined {
    if (!ownPackage) {
        const r = packageRoot();
        ownPackage = { root: r, name: JSON.parse(fs.readFileSync(path.join(r, "package.json"), "utf8")).name };
    }
    const { root, name: pkgName } = ownPackage;
    if (request !== pkgName && !request.startsWith(pkgName + "/")) return undefined;
    const sub = request.slice(pkgName.length).replace(/^\//, "");
    return sub ? path.join(root, sub) : fs.existsSync(path.join(root, "index.ts")) ? path.join(root, "index") : root;
}

/**
 * How the type check resolves what the program cannot resolve itself, as installResolveHook does
 * at run time: this package's name to its sources, anything else from this package's node_modules.
 */
function cliResolution(name: string): { name: string; from: string } {
    return { name: ownPackagePath(name) ?? name, from: path.join(packageRoot(), "__plan_resolution__.ts") };
}

/** Resolves the CLI's own package name to the repo root so examples run without `npm link`. */
function installResolveHook(): () => void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- Module._resolveFilename is a Node internal absent from the typings
    const Module = require("module");
    const root = packageRoot();
    const original = Module._resolveFilename;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Node's internal resolver: its parent module and extra arguments are passed through untouched
    Module._resolveFilename = function (request: string, parent: any, ...rest: any[]) {
        const target = ownPackagePath(request);
        if (target !== undefined) {
            try {
                return original.call(this, request, parent, ...rest);
            } catch {
                return original.call(this, target, parent, ...rest);
            }
        }
        try {
            return original.call(this, request, parent, ...rest);
        } catch (e) {
            // A program outside this repo without its own node_modules (a newcomer's first try):
            // fall back to the packages installed next to the CLI (@pulumi/*, ...).
            if ((e as NodeJS.ErrnoException | undefined)?.code !== "MODULE_NOT_FOUND" || request.startsWith(".") || path.isAbsolute(request)) throw e;
            try {
                return original.call(this, request, { ...parent, paths: Module._nodeModulePaths(root) }, ...rest);
            } catch {
                throw e;
            }
        }
    };
    return () => {
        Module._resolveFilename = original;
    };
}

export function packageRoot(): string {
    let dir = __dirname;
    for (;;) {
        if (fs.existsSync(path.join(dir, "package.json")) && path.basename(dir) !== "policy") return dir;
        const up = path.dirname(dir);
        if (up === dir) throw new Error("package.json of the openwebui package not found");
        dir = up;
    }
}

function clearProgramModules(dir: string): void {
    const prefix = path.resolve(dir) + path.sep;
    for (const k of Object.keys(require.cache)) {
        if (k.startsWith(prefix) && !k.includes(`${path.sep}node_modules${path.sep}`)) delete require.cache[k];
    }
}

/** What evaluate returns: the program, its planned resources and stack outputs, the error text, the stack regions. */
type Evaluation = {
    info: ProgramInfo;
    resources: PlannedResource[];
    outputs: Record<string, unknown> | undefined;
    error?: string;
    regionConfig: Record<string, string>;
};

/** One evaluation's inputs, and what the monitor and process callbacks collect while the program runs. */
interface Run {
    opts: PlanOptions;
    info: ProgramInfo;
    config: Record<string, string>;
    secretKeys: string[];
    answers: Record<string, InvokeAnswer>;
    resources: PlannedResource[];
    errors: string[];
    invokeErrors: string[];
}

/** Evaluates the program under preview mocks and returns the planned resources (no policies, no files). */
export async function evaluate(opts: PlanOptions, notes: string[] = []): Promise<Evaluation> {
    const info = discoverProgram(opts.programDir, opts.stack);
    const { config, secretKeys } = buildConfig(info, opts.config ?? [], notes, { path: opts.configPath });
    const regionConfig = regionConfigOf(config, secretKeys);
    const answers = { ...DEFAULT_INVOKE_ANSWERS, ...(opts.invokeAnswers ?? {}) };

    // Refuses a @pulumi/pulumi whose internals plan was not tested with, before anything runs.
    const internals = pulumiInternals(opts.programDir);

    // `pulumi preview` type-checks a TypeScript program before it runs: so does plan.
    const typeErrors = typeCheckError(info, opts);
    if (typeErrors !== undefined) return { info, regionConfig, resources: [], outputs: undefined, error: typeErrors };

    // One plan at a time per process: the module hook and process listeners are global.
    const previous = runLock;
    let release!: () => void;
    runLock = new Promise((r) => (release = r));
    await previous;
    activePulumiRoot = internals.root;

    const run: Run = { opts, info, config, secretKeys, answers, resources: [], errors: [], invokeErrors: [] };
    const onRejection = (e: unknown) => run.errors.push(errorText(e));
    const onException = (e: unknown) => run.errors.push(errorText(e));
    process.on("unhandledRejection", onRejection);
    process.on("uncaughtException", onException);
    const restoreHook = installResolveHook();
    let outputs: Record<string, unknown> | undefined;
    try {
        // A private async store: the mocks, config and stack of this run do not leak into the
        // caller's (e.g. a test process whose harness has its own mocks).
        await internals.state.withLocalStorage(async () => {
            outputs = await runUnderMocks(internals, run);
        });
    } finally {
        restoreHook();
        process.off("unhandledRejection", onRejection);
        process.off("uncaughtException", onException);
        release();
    }
    const error = reportedError(info, run.errors, run.invokeErrors);
    return { info, regionConfig, resources: run.resources, outputs, error };
}

/** The stack config's regions (`aws:region`, `gcp:region`, `azure-native:location`) that are not secret. */
function regionConfigOf(config: Record<string, string>, secretKeys: string[]): Record<string, string> {
    const regionConfig: Record<string, string> = {};
    for (const k of ["aws:region", "gcp:region", "azure-native:location"])
        if (typeof config[k] === "string" && !secretKeys.includes(k)) regionConfig[k] = config[k];
    return regionConfig;
}

/** The TypeScript errors that stop the plan (as `pulumi preview`'s check); undefined when it passes or is skipped. */
function typeCheckError(info: ProgramInfo, opts: PlanOptions): string | undefined {
    if (!shouldTypeCheck(info.entry, opts.programDir, opts.transpileOnly)) return undefined;
    opts.onTypeCheck?.();
    const { errors } = typeCheck(info.entry, opts.programDir, cliResolution);
    if (!errors.length) return undefined;
    return (
        `TypeScript: ${errors.length} error(s) (as \`pulumi preview\` reports them; ` +
        `--transpile-only or PULUMI_NODEJS_TRANSPILE_ONLY=true skips the check)\n${errors.join("\n")}`
    );
}

/** The plan's mocks: `registerTransform` is set once the monitor is hooked, `newResource` is replaced there too. */
type PlanMocks = pulumiRuntime.Mocks & {
    registerTransform?: (t: Parameters<TransformRunner["addStackTransform"]>[0]) => void;
};

/** Runs the program under the plan's mocks (inside the private async store); returns its stack outputs. */
async function runUnderMocks(internals: PulumiInternals, run: Run): Promise<Record<string, unknown> | undefined> {
    const { pulumi, state } = internals;
    const { info, opts } = run;
    const mocks = planMocks(run);
    pulumi.runtime.setMocks(mocks, info.project, info.stack, true);
    pulumi.runtime.setAllConfig(run.config, run.secretKeys);
    hookMonitor(internals, mocks, run);

    clearProgramModules(path.resolve(opts.programDir));
    if (!path.resolve(info.entry).startsWith(path.resolve(opts.programDir) + path.sep)) clearProgramModules(path.dirname(info.entry));
    const exported = await runProgram(pulumi, run);
    try {
        await settle(state, run.resources);
    } catch (e) {
        run.errors.push(errorText(e));
    }
    return stackOutputs(pulumi, exported, run.errors);
}

/** Invokes are answered from `run.answers`; one without an answer fails, and is remembered as the cause. */
function planMocks(run: Run): PlanMocks {
    return {
        newResource(): { id: string | undefined; state: Record<string, unknown> } {
            throw new Error("replaced below");
        },
        call(args: pulumiRuntime.MockCallArgs): Record<string, unknown> {
            const answer = run.answers[args.token];
            if (answer === undefined) {
                run.invokeErrors.push(args.token);
                throw new Error(
                    `plan: the program calls invoke ${args.token}, which has no offline answer. ` +
                        `Provide one with --invoke-answers answers.json, e.g. {"${args.token}": { ...result fields... }}`,
                );
            }
            return typeof answer === "function" ? answer(args.inputs, run.config) : answer;
        },
    };
}

/** Hooks the mock monitor: transforms run before each registration, and every registration and read is recorded. */
function hookMonitor(internals: PulumiInternals, mocks: PlanMocks, run: Run): void {
    const { state, rpc } = internals;
    const monitor = state.getStore().settings.monitor;
    // Record every registration with its parent and dependencies (the mock API hides them).
    const origRegister = monitor.registerResource.bind(monitor);
    const origRead = monitor.readResource.bind(monitor);
    const record = recorder(rpc, run);
    const transforms = transformRunner(monitor, rpc);
    mocks.registerTransform = (t) => transforms.addStackTransform(t);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mock monitor's gRPC request and callback (the program's own @pulumi/pulumi copy)
    monitor.registerResource = (req: any, cb: any) => {
        transforms.apply(req).then(
            (chain) =>
                // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the monitor's gRPC error and response
                origRegister(req, (err: any, resp: any) => {
                    if (!err && resp) transforms.remember(resp.getUrn(), chain);
                    record(req, false, cb)(err, resp);
                }),
            (e: unknown) => cb(e, undefined),
        );
    };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mock monitor's gRPC request and callback (the program's own @pulumi/pulumi copy)
    monitor.readResource = (req: any, cb: any) => origRead(req, record(req, true, cb));
    // State = inputs only: nothing the cloud would compute is invented. Ids are unknown.
    mocks.newResource = (args) => ({ id: args.id || undefined, state: args.inputs });
}

/** Wraps a monitor callback so that a successful registration or read is recorded as a PlannedResource. */
function recorder(rpc: PulumiInternals["rpc"], run: Run) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mock monitor's gRPC request, response and callback (the program's own @pulumi/pulumi copy)
    return (req: any, read: boolean, cb: any) => (err: any, resp: any) => {
        if (!err && resp) {
            const inputs = rpc.deserializeProperties(read ? req.getProperties() : req.getObject(), true);
            const propDeps: Record<string, string[]> = {};
            if (!read) {
                for (const [k, v] of req.getPropertydependenciesMap().entries()) propDeps[k] = v.getUrnsList();
            }
            run.resources.push({
                urn: resp.getUrn(),
                type: req.getType(),
                name: req.getName(),
                parent: req.getParent() || undefined,
                custom: read ? true : req.getCustom(),
                props: convert(inputs, "display"),
                analyzerProps: convert(inputs, "analyzer"),
                dependencies: read ? [] : req.getDependenciesList(),
                propertyDependencies: propDeps,
                read,
            });
            run.opts.onProgress?.(run.resources.filter((x) => isCounted(x.type)).length);
        }
        cb(err, resp);
    };
}

/** Loads and runs the program in a Pulumi stack; returns what it exports (a default-exported function is called). */
async function runProgram(pulumi: PulumiInternals["pulumi"], run: Run): Promise<unknown> {
    let exported: unknown;
    try {
        await pulumi.runtime.runInPulumiStack(async () => {
            let mod = await loadProgram(run.info.entry, run.opts.programDir);
            const esm = mod as { __esModule?: boolean; default?: unknown } | undefined;
            if (esm && esm.__esModule && typeof esm.default === "function" && Object.keys(esm).length <= 2) mod = esm.default;
            if (typeof mod === "function") mod = await (mod as () => unknown)();
            exported = mod;
            return mod;
        });
    } catch (e) {
        run.errors.push(errorText(e));
    }
    return exported;
}

/** Stack outputs one by one (one unknown output must not hide the known ones); undefined when nothing is exported. */
async function stackOutputs(pulumi: PulumiInternals["pulumi"], exported: unknown, errors: string[]): Promise<Record<string, unknown> | undefined> {
    if (!exported || typeof exported !== "object") return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(exported)) {
        if (k === "__esModule" || typeof v === "function") continue;
        try {
            const o = pulumi.output(v);
            const [known, secret] = await Promise.all([o.isKnown, o.isSecret]);
            out[k] = secret ? SECRET_MASK : !known ? COMPUTED : convert(await o.promise(), "display");
        } catch (e) {
            errors.push(errorText(e));
            out[k] = "(error)";
        }
    }
    return out;
}

/** The plan's error text: an unanswered invoke's cause (not the noise it leaves), with a hint for missing config. */
function reportedError(info: ProgramInfo, errors: string[], invokeErrors: string[]): string | undefined {
    // An unanswered invoke fails every resource that depends on it with serialization noise: report the cause.
    const causes = invokeErrors.length
        ? [...new Set(invokeErrors)].map(
              (t) =>
                  `the program calls invoke ${t}, which has no offline answer. Provide one with --invoke-answers answers.json, e.g. {"${t}": { ...result fields... }}`,
          )
        : errors;
    const unique = [...new Set(causes)].map((e) => {
        const m = /Missing required configuration variable '([^']+)'/.exec(e);
        return m
            ? `${e}\n\tplan: pass it with --config ${m[1].startsWith(info.project + ":") ? m[1].slice(info.project.length + 1) : m[1]}=<value> or add it to Pulumi.${info.stack}.yaml`
            : e;
    });
    return unique.length ? unique.join("\n") : undefined;
}

function errorText(e: unknown): string {
    if (e instanceof Error) {
        // Resource registration errors carry the useful part in the message; keep the stack short.
        return e.message || String(e);
    }
    return String(e);
}

async function settle(state: { getStore(): { settings: { rpcDone: Promise<unknown> } } }, resources: PlannedResource[]): Promise<void> {
    let stableRounds = 0;
    for (let i = 0; i < 2000 && stableRounds < 3; i++) {
        const before = resources.length;
        try {
            await state.getStore().settings.rpcDone;
        } catch {
            /* surfaced through unhandledRejection / registration errors */
        }
        await new Promise((r) => setImmediate(r));
        await new Promise((r) => setTimeout(r, 1));
        stableRounds = resources.length === before ? stableRounds + 1 : 0;
    }
}
