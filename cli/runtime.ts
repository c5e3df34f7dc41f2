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
import { transformRunner } from "./transforms";
import { loadProgram } from "./loader";
import { pulumiInternals } from "./pulumiVersion";
import { COMPUTED, InvokeAnswer, InvokeInputs, isCounted, PlanOptions, PlannedResource, SECRET_MASK } from "./planTypes";

const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** The stack's config value, or unknown (shown `(computed)`): a plan never invents a region. */
function fromConfig(config: Record<string, string>, key: string): string {
    return config[key] ?? UNKNOWN_SENTINEL;
}
/** The AWS region an invoke runs in: its own `region` input, else the stack's `aws:region`. */
const awsRegion = (i: InvokeInputs, c: Record<string, string>): string => i?.region ?? fromConfig(c, "aws:region");
const known = (v: string): boolean => v !== UNKNOWN_SENTINEL;

/**
 * Placeholder answers for the invokes programs commonly make; clearly not real accounts. Regions,
 * projects and locations follow the stack config (`aws:region`, `gcp:project`, `gcp:region`,
 * `azure-native:location`) and are unknown when it has none.
 */
export const DEFAULT_INVOKE_ANSWERS: Record<string, InvokeAnswer> = {
    "aws:index/getRegion:getRegion": (i: InvokeInputs, c: Record<string, string>) => {
        const r = awsRegion(i, c);
        return { name: r, region: r, id: r, description: "plan: from the stack config", endpoint: known(r) ? `ec2.${r}.amazonaws.com` : UNKNOWN_SENTINEL };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": { accountId: "000000000000", arn: "arn:aws:iam::000000000000:user/plan-placeholder", userId: "PLANPLACEHOLDER", id: "000000000000" },
    "aws:index/getPartition:getPartition": { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" },
    "aws:index/getAvailabilityZones:getAvailabilityZones": (i: InvokeInputs, c: Record<string, string>) => {
        const r = awsRegion(i, c);
        // Zone names are the region plus a letter; their ids differ per account: unknown.
        return { names: known(r) ? [`${r}a`, `${r}b`, `${r}c`] : [UNKNOWN_SENTINEL, UNKNOWN_SENTINEL, UNKNOWN_SENTINEL], zoneIds: [UNKNOWN_SENTINEL, UNKNOWN_SENTINEL, UNKNOWN_SENTINEL], id: r };
    },
    "gcp:organizations/getProject:getProject": (i: InvokeInputs, c: Record<string, string>) => {
        const p = i?.projectId ?? fromConfig(c, "gcp:project");
        return { projectId: p, number: UNKNOWN_SENTINEL, name: p, id: known(p) ? `projects/${p}` : UNKNOWN_SENTINEL };
    },
    "gcp:organizations/getClientConfig:getClientConfig": (_i: InvokeInputs, c: Record<string, string>) => ({ project: fromConfig(c, "gcp:project"), region: fromConfig(c, "gcp:region"), zone: fromConfig(c, "gcp:zone"), accessToken: "plan-placeholder-token", id: "plan" }),
    "aws:ec2/getSubnet:getSubnet": (i: InvokeInputs, c: Record<string, string>) => ({
        id: i.id ?? "subnet-planplaceholder",
        // Which zone a subnet is in is known only to AWS.
        availabilityZone: known(awsRegion(i, c)) ? `${awsRegion(i, c)}${"abc"[[...String(i.id ?? "")].reduce((a, ch) => a + ch.charCodeAt(0), 0) % 3]}` : UNKNOWN_SENTINEL,
        vpcId: i.vpcId ?? "vpc-planplaceholder",
        cidrBlock: "10.0.0.0/24",
    }),
    "aws:lb/getHostedZoneId:getHostedZoneId": () => ({ id: "ZPLANPLACEHOLDER" }),
    // The ALB and target group the AWS Load Balancer Controller creates for the Ingress (alarms): they exist only after deploy.
    "aws:lb/getLoadBalancer:getLoadBalancer": (i: InvokeInputs) => ({ arn: UNKNOWN_SENTINEL, arnSuffix: UNKNOWN_SENTINEL, name: UNKNOWN_SENTINEL, tags: i.tags ?? {}, id: UNKNOWN_SENTINEL }),
    "aws:lb/getTargetGroup:getTargetGroup": (i: InvokeInputs) => ({ arn: UNKNOWN_SENTINEL, arnSuffix: UNKNOWN_SENTINEL, name: UNKNOWN_SENTINEL, tags: i.tags ?? {}, id: UNKNOWN_SENTINEL }),
    "aws:eks/getCluster:getCluster": (i: InvokeInputs, c: Record<string, string>) => ({
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
    "azure-native:containerservice:getManagedCluster": (i: InvokeInputs, c: Record<string, string>) => {
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

/** Evaluates the program under preview mocks and returns the planned resources (no policies, no files). */
export async function evaluate(opts: PlanOptions, notes: string[] = []): Promise<{ info: ProgramInfo; resources: PlannedResource[]; outputs: Record<string, unknown> | undefined; error?: string; regionConfig: Record<string, string> }> {
    const info = discoverProgram(opts.programDir, opts.stack);
    const { config, secretKeys } = buildConfig(info, opts.config ?? [], notes, { path: opts.configPath });
    const regionConfig: Record<string, string> = {};
    for (const k of ["aws:region", "gcp:region", "azure-native:location"]) if (typeof config[k] === "string" && !secretKeys.includes(k)) regionConfig[k] = config[k];
    const answers = { ...DEFAULT_INVOKE_ANSWERS, ...(opts.invokeAnswers ?? {}) };

    // Refuses a @pulumi/pulumi whose internals plan was not tested with, before anything runs.
    const { state, pulumi, rpc, root } = pulumiInternals(opts.programDir);

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
    activePulumiRoot = root;

    const resources: PlannedResource[] = [];
    const errors: string[] = [];
    const invokeErrors: string[] = [];
    const onRejection = (e: unknown) => errors.push(errorText(e));
    const onException = (e: unknown) => errors.push(errorText(e));
    process.on("unhandledRejection", onRejection);
    process.on("uncaughtException", onException);
    const restoreHook = installResolveHook();
    let outputs: Record<string, unknown> | undefined;
    try {
        // A private async store: the mocks, config and stack of this run do not leak into the
        // caller's (e.g. a test process whose harness has its own mocks).
        await state.withLocalStorage(async () => {
            const mocks: pulumiRuntime.Mocks & { registerTransform?: (t: Parameters<typeof transforms.addStackTransform>[0]) => void } = {
                newResource(): { id: string | undefined; state: Record<string, unknown> } {
                    throw new Error("replaced below");
                },
                call(args: pulumiRuntime.MockCallArgs): Record<string, unknown> {
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
            pulumi.runtime.setMocks(mocks, info.project, info.stack, true);
            pulumi.runtime.setAllConfig(config, secretKeys);
            const monitor = state.getStore().settings.monitor;
            // Record every registration with its parent and dependencies (the mock API hides them).
            const origRegister = monitor.registerResource.bind(monitor);
            const origRead = monitor.readResource.bind(monitor);
            // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mock monitor's gRPC request, response and callback (the program's own @pulumi/pulumi copy)
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

            clearProgramModules(path.resolve(opts.programDir));
            if (!path.resolve(info.entry).startsWith(path.resolve(opts.programDir) + path.sep)) clearProgramModules(path.dirname(info.entry));
            let exported: unknown;
            try {
                await pulumi.runtime.runInPulumiStack(async () => {
                    let mod = await loadProgram(info.entry, opts.programDir);
                    const esm = mod as { __esModule?: boolean; default?: unknown } | undefined;
                    if (esm && esm.__esModule && typeof esm.default === "function" && Object.keys(esm).length <= 2) mod = esm.default;
                    if (typeof mod === "function") mod = await (mod as () => unknown)();
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
                const out: Record<string, unknown> = (outputs = {});
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
