// `openwebui plan <program dir>`: evaluates a Pulumi program offline under the mock runtime
// (no Pulumi CLI, no credentials), prints the resource tree, writes every Kubernetes object
// as YAML and runs the `openwebui-ha` policy pack over the planned resources.
//
// Preview semantics: the mocks return a resource's inputs and nothing else, so every value
// only the cloud knows after apply (endpoints, ARNs, generated passwords, ids) stays unknown
// and is shown as "(computed)"; an `apply` on such a value never runs, exactly as in
// `pulumi preview`. Secrets are shown as "[secret]" (the policies see the plaintext, as the
// real analyzer does).
import * as fs from "fs";
import * as path from "path";
import * as util from "util";
import * as YAML from "yaml";
import type { EnforcementLevel } from "@pulumi/policy";
import { AnalyzedResource, PackConfig, runPolicies, Violation } from "../policy/runner";
import { buildConfig, discoverProgram, ProgramInfo, UsageError } from "./config";
import { CostEstimate, estimateCost, renderCost } from "./cost";
import { shouldTypeCheck, typeCheck } from "./typecheck";
import { transformRunner } from "./transforms";

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
    invokeAnswers?: Record<string, any>;
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
    props: any;
    /** Inputs as the policy analyzer sees them (unknown sentinels, secrets unwrapped). */
    analyzerProps: any;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    /** Registered with `.get()` (read, not created). */
    read?: boolean;
}

export interface PlanResult {
    project: string;
    stack: string;
    programDir: string;
    resources: PlannedResource[];
    outputs: any;
    k8sFiles: string[];
    violations: Violation[];
    notes: string[];
    /** Program error (message), when the program failed. */
    error?: string;
    /** Estimated monthly list price of the managed services (undefined: none, or the program failed). */
    cost?: CostEstimate;
}

export const SECRET_MASK = "[secret]";
export const COMPUTED = "(computed)";
const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** The stack's config value, or unknown (shown `(computed)`): a plan never invents a region. */
function fromConfig(config: Record<string, string>, key: string): string {
    return config[key] ?? UNKNOWN_SENTINEL;
}
/** The AWS region an invoke runs in: its own `region` input, else the stack's `aws:region`. */
const awsRegion = (i: any, c: Record<string, string>): string => i?.region ?? fromConfig(c, "aws:region");
const known = (v: string): boolean => v !== UNKNOWN_SENTINEL;

/**
 * Placeholder answers for the invokes programs commonly make; clearly not real accounts. Regions,
 * projects and locations follow the stack config (`aws:region`, `gcp:project`, `gcp:region`,
 * `azure-native:location`) and are unknown when it has none.
 */
export const DEFAULT_INVOKE_ANSWERS: Record<string, any | ((inputs: any, config: Record<string, string>) => any)> = {
    "aws:index/getRegion:getRegion": (i: any, c: Record<string, string>) => {
        const r = awsRegion(i, c);
        return { name: r, region: r, id: r, description: "plan: from the stack config", endpoint: known(r) ? `ec2.${r}.amazonaws.com` : UNKNOWN_SENTINEL };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": { accountId: "000000000000", arn: "arn:aws:iam::000000000000:user/plan-placeholder", userId: "PLANPLACEHOLDER", id: "000000000000" },
    "aws:index/getPartition:getPartition": { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" },
    "aws:index/getAvailabilityZones:getAvailabilityZones": (i: any, c: Record<string, string>) => {
        const r = awsRegion(i, c);
        // Zone names are the region plus a letter; their ids differ per account: unknown.
        return { names: known(r) ? [`${r}a`, `${r}b`, `${r}c`] : [UNKNOWN_SENTINEL, UNKNOWN_SENTINEL, UNKNOWN_SENTINEL], zoneIds: [UNKNOWN_SENTINEL, UNKNOWN_SENTINEL, UNKNOWN_SENTINEL], id: r };
    },
    "gcp:organizations/getProject:getProject": (i: any, c: Record<string, string>) => {
        const p = i?.projectId ?? fromConfig(c, "gcp:project");
        return { projectId: p, number: UNKNOWN_SENTINEL, name: p, id: known(p) ? `projects/${p}` : UNKNOWN_SENTINEL };
    },
    "gcp:organizations/getClientConfig:getClientConfig": (_i: any, c: Record<string, string>) => ({ project: fromConfig(c, "gcp:project"), region: fromConfig(c, "gcp:region"), zone: fromConfig(c, "gcp:zone"), accessToken: "plan-placeholder-token", id: "plan" }),
    "aws:ec2/getSubnet:getSubnet": (i: any, c: Record<string, string>) => ({
        id: i.id ?? "subnet-planplaceholder",
        // Which zone a subnet is in is known only to AWS.
        availabilityZone: known(awsRegion(i, c)) ? `${awsRegion(i, c)}${"abc"[[...String(i.id ?? "")].reduce((a, ch) => a + ch.charCodeAt(0), 0) % 3]}` : UNKNOWN_SENTINEL,
        vpcId: i.vpcId ?? "vpc-planplaceholder",
        cidrBlock: "10.0.0.0/24",
    }),
    "aws:lb/getHostedZoneId:getHostedZoneId": () => ({ id: "ZPLANPLACEHOLDER" }),
    "aws:eks/getCluster:getCluster": (i: any, c: Record<string, string>) => ({
        id: i.name,
        name: i.name,
        arn: known(awsRegion(i, c)) ? `arn:aws:eks:${awsRegion(i, c)}:000000000000:cluster/${i.name}` : UNKNOWN_SENTINEL,
        endpoint: "https://plan-placeholder.eks.invalid",
        certificateAuthorities: [{ data: "cGxhbi1wbGFjZWhvbGRlcgo=" }],
        identities: [{ oidcs: [{ issuer: known(awsRegion(i, c)) ? `https://oidc.eks.${awsRegion(i, c)}.amazonaws.com/id/PLANPLACEHOLDER` : UNKNOWN_SENTINEL }] }],
        vpcConfig: { vpcId: "vpc-planplaceholder", subnetIds: [], securityGroupIds: [], clusterSecurityGroupId: "sg-planplaceholder" },
        version: "1.33",
        status: "ACTIVE",
    }),
    "azure-native:containerservice:getManagedCluster": (i: any, c: Record<string, string>) => {
        const rg = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${i.resourceGroupName ?? "plan-placeholder-rg"}`;
        const loc = fromConfig(c, "azure-native:location");
        return {
            id: `${rg}/providers/Microsoft.ContainerService/managedClusters/${i.resourceName}`,
            name: i.resourceName,
            location: loc,
            nodeResourceGroup: known(loc) ? `MC_${i.resourceGroupName}_${i.resourceName}_${loc}` : UNKNOWN_SENTINEL,
            oidcIssuerProfile: { enabled: true, issuerURL: known(loc) ? `https://${loc}.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/plan-placeholder/` : UNKNOWN_SENTINEL },
            securityProfile: { workloadIdentity: { enabled: true } },
            agentPoolProfiles: [{ name: "system", count: 3, vnetSubnetID: `${rg}/providers/Microsoft.Network/virtualNetworks/plan-placeholder-vnet/subnets/aks` }],
            kubernetesVersion: "1.33",
        };
    },
    "azure-native:containerservice:listManagedClusterUserCredentials": () => ({
        kubeconfigs: [{ name: "clusterUser", value: Buffer.from("apiVersion: v1\nkind: Config\n# openwebui plan placeholder: no cluster is contacted\n").toString("base64") }],
    }),
    "azure-native:authorization:getClientConfig": { clientId: "00000000-0000-0000-0000-000000000000", objectId: "00000000-0000-0000-0000-000000000000", subscriptionId: "00000000-0000-0000-0000-000000000000", tenantId: "00000000-0000-0000-0000-000000000000" },
};

// ---------------------------------------------------------------------------------------------
// Program discovery and config
// ---------------------------------------------------------------------------------------------

export { UsageError, ProgramError, discoverProgram, buildConfig } from "./config";

// ---------------------------------------------------------------------------------------------
// Value conversion
// ---------------------------------------------------------------------------------------------

function isUnknownValue(v: any): boolean {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const output = require("@pulumi/pulumi/output");
    return output.isUnknown(v) || v === UNKNOWN_SENTINEL;
}

function convert(v: any, mode: "display" | "analyzer", seen = new Set<any>(), inSecret = false): any {
    if (isUnknownValue(v)) return mode === "display" ? (inSecret ? SECRET_MASK : COMPUTED) : UNKNOWN_SENTINEL;
    if (v === null || typeof v !== "object") return mode === "display" && inSecret && v !== null ? SECRET_MASK : v;
    // A secret's structure stays visible (keys of a Secret's stringData), its leaves are masked.
    if (v[SIG] === SECRET_SIG) return convert(v.value, mode, seen, mode === "display");
    if (seen.has(v)) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const pulumi = require("@pulumi/pulumi");
    if (pulumi.Resource.isInstance(v)) return mode === "display" ? "<resource reference>" : UNKNOWN_SENTINEL;
    if (pulumi.asset.Asset.isInstance(v) || pulumi.asset.Archive.isInstance(v)) return "<asset>";
    seen.add(v);
    try {
        if (Array.isArray(v)) return v.map((x) => convert(x, mode, seen, inSecret));
        const out: any = {};
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
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const Module = require("module");
    const root = packageRoot();
    const original = Module._resolveFilename;
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
            if ((e as any)?.code !== "MODULE_NOT_FOUND" || request.startsWith(".") || path.isAbsolute(request)) throw e;
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

/** Evaluates the program under preview mocks and returns the planned resources (no policies, no files). */
export async function evaluate(opts: PlanOptions, notes: string[] = []): Promise<{ info: ProgramInfo; resources: PlannedResource[]; outputs: any; error?: string; regionConfig: Record<string, string> }> {
    const info = discoverProgram(opts.programDir, opts.stack);
    const { config, secretKeys } = buildConfig(info, opts.config ?? [], notes, { path: opts.configPath });
    const regionConfig: Record<string, string> = {};
    for (const k of ["aws:region", "gcp:region", "azure-native:location"]) if (typeof config[k] === "string" && !secretKeys.includes(k)) regionConfig[k] = config[k];
    const answers = { ...DEFAULT_INVOKE_ANSWERS, ...(opts.invokeAnswers ?? {}) };

    // `pulumi preview` type-checks a TypeScript program before it runs: so does plan.
    if (shouldTypeCheck(info.entry, opts.programDir, opts.transpileOnly)) {
        opts.onTypeCheck?.();
        const { errors } = typeCheck(info.entry, opts.programDir, cliResolution);
        if (errors.length) {
            return { info, regionConfig, resources: [], outputs: undefined, error: `TypeScript: ${errors.length} error(s) (as \`pulumi preview\` reports them; --transpile-only or PULUMI_NODEJS_TRANSPILE_ONLY=true skips the check)\n${errors.join("\n")}` };
        }
    }

    // One plan at a time per process: the module hook and process listeners are global.
    const previous = runLock;
    let release!: () => void;
    runLock = new Promise((r) => (release = r));
    await previous;

    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const state = require("@pulumi/pulumi/runtime/state");
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const pulumi = require("@pulumi/pulumi");
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const rpc = require("@pulumi/pulumi/runtime/rpc");

    const resources: PlannedResource[] = [];
    const errors: string[] = [];
    const invokeErrors: string[] = [];
    const onRejection = (e: any) => errors.push(errorText(e));
    const onException = (e: any) => errors.push(errorText(e));
    process.on("unhandledRejection", onRejection);
    process.on("uncaughtException", onException);
    const restoreHook = installResolveHook();
    let outputs: any;
    try {
        // A private async store: the mocks, config and stack of this run do not leak into the
        // caller's (e.g. a test process whose harness has its own mocks).
        await state.withLocalStorage(async () => {
            const mocks = {
                newResource(_args: any): { id: string | undefined; state: any } {
                    throw new Error("replaced below");
                },
                call(args: any): any {
                    const answer = answers[args.token];
                    if (answer === undefined) {
                        invokeErrors.push(args.token);
                        throw new Error(
                            `plan: the program calls invoke ${args.token}, which has no offline answer. ` +
                                `Provide one with --invoke-answers answers.json, e.g. {"${args.token}": { ...result fields... }}`,
                        );
                    }
                    return typeof answer === "function" ? answer(args.inputs, config) : answer;
                },
            };
            pulumi.runtime.setMocks(mocks as any, info.project, info.stack, true);
            pulumi.runtime.setAllConfig(config, secretKeys);
            const monitor = state.getStore().settings.monitor;
            // Record every registration with its parent and dependencies (the mock API hides them).
            const origRegister = monitor.registerResource.bind(monitor);
            const origRead = monitor.readResource.bind(monitor);
            const record = (req: any, read: boolean, cb: any) => (err: any, resp: any) => {
                if (!err && resp) {
                    const inputs = rpc.deserializeProperties(read ? req.getProperties() : req.getObject(), true);
                    const propDeps: Record<string, string[]> = {};
                    if (!read) {
                        for (const [k, v] of req.getPropertydependenciesMap().entries()) propDeps[k] = v.getUrnsList();
                    }
                    resources.push({
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
                    opts.onProgress?.(resources.filter((x) => isCounted(x.type)).length);
                }
                cb(err, resp);
            };
            const transforms = transformRunner(monitor, rpc);
            (mocks as any).registerTransform = (t: any) => transforms.addStackTransform(t);
            monitor.registerResource = (req: any, cb: any) => {
                transforms.apply(req).then(
                    (chain: any[]) =>
                        origRegister(req, (err: any, resp: any) => {
                            if (!err && resp) transforms.remember(resp.getUrn(), chain);
                            record(req, false, cb)(err, resp);
                        }),
                    (e: unknown) => cb(e, undefined),
                );
            };
            monitor.readResource = (req: any, cb: any) => origRead(req, record(req, true, cb));
            // State = inputs only: nothing the cloud would compute is invented. Ids are unknown.
            mocks.newResource = (args: any) => ({ id: args.id || undefined, state: args.inputs });

            clearProgramModules(path.resolve(opts.programDir));
            if (!path.resolve(info.entry).startsWith(path.resolve(opts.programDir) + path.sep)) clearProgramModules(path.dirname(info.entry));
            let exported: any;
            try {
                await pulumi.runtime.runInPulumiStack(async () => {
                    // eslint-disable-next-line @typescript-eslint/no-var-requires
                    let mod = require(info.entry);
                    if (mod && mod.__esModule && typeof mod.default === "function" && Object.keys(mod).length <= 2) mod = mod.default;
                    if (typeof mod === "function") mod = await mod();
                    exported = mod;
                    return mod;
                });
            } catch (e) {
                errors.push(errorText(e));
            }
            try {
                await settle(state, resources);
            } catch (e) {
                errors.push(errorText(e));
            }
            // Stack outputs one by one (one unknown output must not hide the known ones).
            if (exported && typeof exported === "object") {
                outputs = {};
                for (const [k, v] of Object.entries(exported)) {
                    if (k === "__esModule" || typeof v === "function") continue;
                    try {
                        const o = pulumi.output(v);
                        const [known, secret] = await Promise.all([o.isKnown, o.isSecret]);
                        outputs[k] = secret ? SECRET_MASK : !known ? COMPUTED : convert(await o.promise(), "display");
                    } catch (e) {
                        errors.push(errorText(e));
                        outputs[k] = "(error)";
                    }
                }
            }
        });
    } finally {
        restoreHook();
        process.off("unhandledRejection", onRejection);
        process.off("uncaughtException", onException);
        release();
    }
    // An unanswered invoke fails every resource that depends on it with serialization noise: report the cause.
    const causes = invokeErrors.length
        ? [...new Set(invokeErrors)].map((t) => `the program calls invoke ${t}, which has no offline answer. Provide one with --invoke-answers answers.json, e.g. {"${t}": { ...result fields... }}`)
        : errors;
    const unique = [...new Set(causes)].map((e) => {
        const m = /Missing required configuration variable '([^']+)'/.exec(e);
        return m ? `${e}\n\tplan: pass it with --config ${m[1].startsWith(info.project + ":") ? m[1].slice(info.project.length + 1) : m[1]}=<value> or add it to Pulumi.${info.stack}.yaml` : e;
    });
    return { info, regionConfig, resources, outputs, error: unique.length ? unique.join("\n") : undefined };
}

function errorText(e: any): string {
    if (e instanceof Error) {
        // Resource registration errors carry the useful part in the message; keep the stack short.
        return e.message || String(e);
    }
    return String(e);
}

async function settle(state: any, resources: PlannedResource[]): Promise<void> {
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

// ---------------------------------------------------------------------------------------------
// Kubernetes YAML
// ---------------------------------------------------------------------------------------------

/** Kubernetes objects among the planned resources (display form: secrets masked). */
export function kubernetesObjects(resources: PlannedResource[]): { resource: PlannedResource; object: any }[] {
    return resources
        .filter((r) => r.type.startsWith("kubernetes:") && r.custom && r.props && typeof r.props.kind === "string" && typeof r.props.apiVersion === "string")
        .map((r) => {
            const object = JSON.parse(JSON.stringify(r.props));
            object.metadata = object.metadata ?? {};
            // Pulumi auto-names objects without metadata.name (`<name>-<random suffix>`): say so, invent nothing.
            if (!object.metadata.name) object.metadata.generateName = `${r.name}-`;
            // A Secret/ConfigMap payload computed as a whole (e.g. built in an apply) has no
            // shape yet: leave it out rather than emit a string where a map belongs, and say so.
            if (object.kind === "Secret" || object.kind === "ConfigMap") {
                const computed = ["data", "stringData", "binaryData"].filter((k) => k in object && (object[k] === null || typeof object[k] !== "object"));
                for (const k of computed) delete object[k];
                if (computed.length) object.metadata.annotations = { ...(object.metadata.annotations ?? {}), "plan.openwebui.io/computed": computed.join(",") };
            }
            return { resource: r, object };
        });
}

function writeYaml(resources: PlannedResource[], outDir: string): string[] {
    fs.mkdirSync(outDir, { recursive: true });
    for (const f of fs.readdirSync(outDir)) if (f.endsWith(".yaml")) fs.unlinkSync(path.join(outDir, f));
    const used = new Set<string>();
    const files: string[] = [];
    for (const { resource, object } of kubernetesObjects(resources)) {
        const base = [object.kind, object.metadata.namespace, object.metadata.name ?? resource.name]
            .filter((x) => typeof x === "string" && x !== "")
            .join("-")
            .toLowerCase()
            .replace(/[^a-z0-9.-]+/g, "_");
        let file = `${base}.yaml`;
        for (let i = 2; used.has(file); i++) file = `${base}-${i}.yaml`;
        used.add(file);
        const header = `# ${resource.type} ${resource.name}, planned offline by \`openwebui plan\` (${SECRET_MASK}: secret, ${COMPUTED}: known after apply)\n`;
        fs.writeFileSync(path.join(outDir, file), header + YAML.stringify(object, { lineWidth: 0 }));
        files.push(path.join(outDir, file));
    }
    return files;
}

// ---------------------------------------------------------------------------------------------
// The plan
// ---------------------------------------------------------------------------------------------

export async function plan(opts: PlanOptions): Promise<PlanResult> {
    const notes: string[] = [];
    const { info, resources, outputs, error, regionConfig } = await evaluate(opts, notes);
    const base: PlanResult = { project: info.project, stack: info.stack, programDir: path.resolve(opts.programDir), resources, outputs, k8sFiles: [], violations: [], notes, error };
    if (!info.stackFile) notes.push(opts.stack ? `no Pulumi.${opts.stack}.yaml in ${base.programDir}; running with --config values only` : "no Pulumi.<stack>.yaml found; running with --config values only");
    if (error) return base;
    const single = notHighlyAvailable(resources);
    if (single.length) {
        notes.unshift(`NOT HIGHLY AVAILABLE: ${single.join(", ")} run as single-instance in-cluster StatefulSets (evaluation and on-prem defaults of the kubernetes target). The Open WebUI pods are HA; these are not. For production set database/redis/storage mode external (managed or HA services), or use target aws/gcp/azure.`);
    }
    const debugOnly = resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment" && r.analyzerProps?.metadata?.annotations?.["openwebui.io/otel-debug-only"] === "true");
    if (debugOnly.length) {
        notes.unshift(`TELEMETRY IS DROPPED: ${debugOnly.map((r) => r.name).join(", ")} has only the debug exporter (otel.debugOnly): it logs a summary and keeps nothing. Set otel.exporterEndpoint (your backend) or otel.collectorEndpoint (an existing collector).`);
    }
    base.cost = estimateCost(resources, regionConfig);
    if (opts.out !== false) base.k8sFiles = writeYaml(resources, path.resolve(opts.out ?? path.join("plan-out", info.project)));
    if (!opts.noPolicy) {
        const analyzed: AnalyzedResource[] = resources
            .filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))
            .map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.analyzerProps ?? {}, parent: r.parent, dependencies: r.dependencies, propertyDependencies: r.propertyDependencies }));
        base.violations = await runPolicies(analyzed, { config: opts.policyConfig });
    }
    return base;
}

/** Names of the StatefulSets the component marks as not highly available (in-cluster services). */
export function notHighlyAvailable(resources: PlannedResource[]): string[] {
    return resources
        .filter((r) => r.type === "kubernetes:apps/v1:StatefulSet" && r.analyzerProps?.metadata?.annotations?.["openwebui.io/not-highly-available"] === "true")
        .map((r) => `${r.name} (${r.analyzerProps?.metadata?.labels?.["app.kubernetes.io/component"] ?? "service"})`);
}

export function mandatoryViolations(r: PlanResult): Violation[] {
    return r.violations.filter((v) => v.enforcementLevel === "mandatory");
}

/** Exit code: 0 ok, 1 mandatory policy violations, 2 program error, 64 usage error. */
export function exitCodeOf(r: PlanResult): number {
    if (r.error) return 2;
    return mandatoryViolations(r).length > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

function scalar(v: any): string {
    if (typeof v === "string") return v.length > 80 ? JSON.stringify(v.slice(0, 77) + "...") : JSON.stringify(v);
    return JSON.stringify(v);
}

/** The few properties worth a line in the tree. */
export function keyProperties(r: PlannedResource): [string, string][] {
    const p = r.props ?? {};
    const out: [string, string][] = [];
    if (r.type.startsWith("kubernetes:") && p.kind) {
        const md = p.metadata ?? {};
        out.push(["name", md.name ? `${md.namespace ? md.namespace + "/" : ""}${md.name}` : `(auto-named ${r.name}-*)`]);
        const spec = p.spec ?? {};
        if (spec.replicas !== undefined) out.push(["replicas", scalar(spec.replicas)]);
        const pod = p.kind === "Pod" ? spec : p.kind === "CronJob" ? spec.jobTemplate?.spec?.template?.spec : spec.template?.spec;
        const images = [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])].map((c: any) => c?.image).filter(Boolean);
        if (images.length) out.push(["images", images.join(", ")]);
        if (p.kind === "Service") out.push(["service", `${spec.type ?? "ClusterIP"} ${(spec.ports ?? []).map((x: any) => `${x.port}->${x.targetPort ?? x.port}`).join(",")}`]);
        if (p.kind === "HorizontalPodAutoscaler") out.push(["scale", `${spec.minReplicas ?? 1}..${spec.maxReplicas} -> ${spec.scaleTargetRef?.kind}/${spec.scaleTargetRef?.name}`]);
        if (p.kind === "Secret") out.push(["keys", Object.keys({ ...(typeof p.stringData === "object" ? p.stringData : {}), ...(typeof p.data === "object" ? p.data : {}) }).join(", ") || scalar(p.stringData ?? p.data)]);
        if (p.kind === "ConfigMap" && p.data && typeof p.data === "object") out.push(["keys", Object.keys(p.data).join(", ")]);
        return out;
    }
    // Security/durability-relevant scalars first, then the rest, at most 12 lines.
    const important = /encrypt|public|deletion|protect|tls|ssl|engine|version|class|tier|size|region|location|sku|mode|family/i;
    const scalars = Object.entries(p).filter(([k, v]) => k !== "tags" && k !== "labels" && k !== "__defaults" && (v === null || typeof v !== "object"));
    for (const [k, v] of [...scalars.filter(([k]) => important.test(k)), ...scalars.filter(([k]) => !important.test(k))].slice(0, 12)) out.push([k, scalar(v)]);
    return out;
}

/** Counted resources: what the program declares (custom resources and components), not the Stack nor default providers; one count for progress, the summary and stdout. */
export function isCounted(type: string): boolean {
    return type !== "pulumi:pulumi:Stack" && !type.startsWith("pulumi:providers:");
}

export function resourceCount(r: Pick<PlanResult, "resources">): number {
    return r.resources.filter((x) => isCounted(x.type)).length;
}

export function renderText(r: PlanResult): string {
    const lines: string[] = [];
    const custom = r.resources.filter((x) => !x.type.startsWith("pulumi:providers:"));
    lines.push(`Plan for project ${r.project}, stack ${r.stack} (offline, preview semantics: ${COMPUTED} = known after apply, ${SECRET_MASK} = secret)`);
    for (const n of r.notes) lines.push(`note: ${n}`);
    const byParent = new Map<string | undefined, PlannedResource[]>();
    const urns = new Set(r.resources.map((x) => x.urn));
    for (const x of custom) {
        const parent = x.parent && urns.has(x.parent) ? x.parent : undefined;
        if (!byParent.has(parent)) byParent.set(parent, []);
        byParent.get(parent)!.push(x);
    }
    const walk = (parent: string | undefined, depth: number) => {
        for (const x of byParent.get(parent) ?? []) {
            const pad = "  ".repeat(depth);
            const parentName = x.parent ? r.resources.find((y) => y.urn === x.parent)?.name : undefined;
            lines.push(`${pad}${x.read ? "=" : "+"} ${x.type}  ${x.name}${parentName && depth === 0 ? `  (parent ${parentName})` : ""}`);
            for (const [k, v] of keyProperties(x)) lines.push(`${pad}    ${k}: ${v}`);
            walk(x.urn, depth + 1);
        }
    };
    walk(undefined, 0);
    lines.push("");
    lines.push(`${resourceCount(r)} resources (${custom.filter((x) => x.custom).length} custom, ${custom.filter((x) => !x.custom && x.type !== "pulumi:pulumi:Stack").length} components)`);
    if (r.outputs && typeof r.outputs === "object" && Object.keys(r.outputs).length) {
        lines.push("Outputs:");
        for (const [k, v] of Object.entries(r.outputs)) lines.push(`  ${k}: ${typeof v === "object" ? JSON.stringify(v) : scalar(v)}`);
    }
    if (r.k8sFiles.length) lines.push(`Wrote ${r.k8sFiles.length} Kubernetes objects to ${path.dirname(r.k8sFiles[0])}`);
    // The error itself goes to stderr once (main); stdout only says the plan is incomplete.
    if (r.error) return [...lines, "", "plan incomplete: the program failed (error on stderr)"].join("\n");
    lines.push("", ...renderCost(r.cost), "");
    if (r.violations.length === 0) lines.push("Policy pack openwebui-ha: no violations.");
    else {
        const order: EnforcementLevel[] = ["mandatory", "advisory"];
        lines.push(`Policy pack openwebui-ha: ${mandatoryViolations(r).length} mandatory, ${r.violations.length - mandatoryViolations(r).length} advisory violation(s)`);
        for (const lvl of order) {
            for (const v of r.violations.filter((x) => x.enforcementLevel === lvl)) {
                lines.push(`  [${lvl}] ${v.policyName}: ${v.resourceType ? `${v.resourceType} ${v.resourceName}: ` : ""}${v.message}`);
                lines.push(`      fix: ${v.remediation}`);
            }
        }
    }
    return lines.join("\n");
}

export function renderJson(r: PlanResult): string {
    return JSON.stringify(
        {
            ok: exitCodeOf(r) === 0,
            project: r.project,
            stack: r.stack,
            error: r.error,
            notes: r.notes,
            resources: r.resources.map((x) => ({ urn: x.urn, type: x.type, name: x.name, parent: x.parent, custom: x.custom, read: x.read || undefined, inputs: x.props })),
            outputs: r.outputs,
            kubernetesFiles: r.k8sFiles,
            violations: r.violations,
            cost: r.cost ?? null,
        },
        null,
        2,
    );
}

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

const USAGE = `usage: openwebui plan <program dir> [options]

Evaluates a Pulumi program offline (mock runtime, preview semantics; no Pulumi CLI, no credentials),
prints the resource tree, writes every Kubernetes object as YAML and runs the openwebui-ha policy pack.

options:
  --stack <name>            stack config Pulumi.<name>.yaml (default: first Pulumi.*.yaml of the dir)
  --config <key=value>      config override (repeatable; key without namespace = project namespace)
  --path, --config-path     --config keys are property paths: --path --config spec.replicas.max=12
                            (as pulumi config set --path / pulumi preview --config-path)
  --transpile-only          do not type-check a TypeScript program (as PULUMI_NODEJS_TRANSPILE_ONLY=true)
  --out <dir>               Kubernetes YAML output directory (default: ./plan-out/<project>)
  --no-out                  do not write YAML
  --invoke-answers <file>   JSON {"<invoke token>": {result}} for invokes the program makes
  --policy-config <file>    policy pack config JSON, e.g. {"owui-pods-non-root": "advisory"}
  --no-policy               skip the policy pack
  --json                    machine-readable output on stdout
  -h, --help                this help

exit codes: 0 ok, 1 mandatory policy violations, 2 program error, 64 usage error`;

export interface Io {
    stdout: (s: string) => void;
    stderr: (s: string) => void;
    isTTY: boolean;
}

/** util.parseArgs options: the flags of USAGE (Node 20 has no `allowNegative`, so the --no-* flags are their own booleans). */
const FLAGS = {
    help: { type: "boolean", short: "h" },
    stack: { type: "string", short: "s" },
    config: { type: "string", short: "c", multiple: true },
    path: { type: "boolean" },
    "config-path": { type: "boolean" },
    "transpile-only": { type: "boolean" },
    out: { type: "string" },
    "no-out": { type: "boolean" },
    "invoke-answers": { type: "string" },
    "policy-config": { type: "string" },
    "no-policy": { type: "boolean" },
    json: { type: "boolean" },
} as const;

export function parseArgs(argv: string[]): { opts: PlanOptions; json: boolean; help: boolean } {
    let parsed: ReturnType<typeof util.parseArgs<{ options: typeof FLAGS; allowPositionals: true }>>;
    try {
        parsed = util.parseArgs({ args: argv[0] === "plan" ? argv.slice(1) : argv, options: FLAGS, allowPositionals: true, strict: true });
    } catch (e) {
        // ERR_PARSE_ARGS_UNKNOWN_OPTION / _INVALID_OPTION_VALUE: Node's message names the flag.
        const m = /^Unknown option '([^']+)'/.exec((e as Error).message);
        throw new UsageError(m ? `unknown option ${m[1]} (see --help)` : (e as Error).message);
    }
    const v = parsed.values;
    const readJson = (flag: string, file: string) => {
        try {
            return JSON.parse(fs.readFileSync(file, "utf8"));
        } catch (e) {
            throw new UsageError(`${flag} ${file}: ${(e as Error).message}`);
        }
    };
    if (v.out !== undefined && v["no-out"]) throw new UsageError("--out and --no-out exclude each other");
    if (parsed.positionals.length > 1) throw new UsageError(`one program directory expected, got ${parsed.positionals.map((x) => JSON.stringify(x)).join(" and ")}`);
    const opts: PlanOptions = {
        programDir: parsed.positionals[0] ?? "",
        config: v.config ?? [],
        stack: v.stack,
        configPath: v.path || v["config-path"] || undefined,
        transpileOnly: v["transpile-only"] || undefined,
        out: v["no-out"] ? false : v.out,
        invokeAnswers: v["invoke-answers"] !== undefined ? readJson("--invoke-answers", v["invoke-answers"]) : undefined,
        policyConfig: v["policy-config"] !== undefined ? readJson("--policy-config", v["policy-config"]) : undefined,
        noPolicy: v["no-policy"] || undefined,
    };
    for (const k of Object.keys(opts) as (keyof PlanOptions)[]) if (opts[k] === undefined) delete opts[k];
    const help = !!v.help;
    if (!opts.programDir && !help) throw new UsageError("missing <program dir>");
    return { opts, json: !!v.json, help };
}

export async function main(argv: string[], io: Io = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), isTTY: !!process.stderr.isTTY }): Promise<number> {
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
        io.stderr(`openwebui plan: ${m.length} mandatory policy violation(s): ${[...new Set(m.map((v) => `${v.policyName} (${v.resourceName ?? "stack"})`))].join(", ")}\n`);
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
