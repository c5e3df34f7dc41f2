// Loads a user's Pulumi program into the plan process the way the Node.js language host loads it
// for `pulumi preview` (@pulumi/pulumi cmd/run): TypeScript through the project's own ts-node, or
// the ts-node 7.0.1 that @pulumi/pulumi vendors, compiling with the project's own TypeScript (or
// the vendored 3.8.3); an ES module program (`"type": "module"`) through `import()`, TypeScript ESM
// through ts-node/esm (the project's ts-node >= 10, as the host requires). The type check runs
// before, separately (cli/typecheck.ts), so the program is always loaded transpile-only.
import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";

const TS_ENTRY = /\.[cm]?tsx?$/;

/** Where `request` resolves from `dir`, or undefined. */
function resolveFrom(request: string, dirs: string[]): string | undefined {
    for (const dir of dirs) {
        try {
            return require.resolve(request, { paths: [dir] });
        } catch {
            /* next */
        }
    }
    return undefined;
}

/** The package.json that governs `file` (its nearest one), parsed; {} when none. */
function owningPackage(file: string): { type?: string } {
    for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
        const f = path.join(dir, "package.json");
        if (fs.existsSync(f)) {
            try {
                return JSON.parse(fs.readFileSync(f, "utf8"));
            } catch {
                return {};
            }
        }
        if (path.dirname(dir) === dir) return {};
    }
}

/** True when Node loads `entry` as an ES module. */
export function isEsmEntry(entry: string): boolean {
    if (/\.m[jt]s$/.test(entry)) return true;
    if (/\.c[jt]s$/.test(entry)) return false;
    return owningPackage(entry).type === "module";
}

export interface TypeScriptTools {
    /** ts-node's module path (the project's, else @pulumi/pulumi's vendored 7.0.1). */
    tsNode: string;
    /** TypeScript's module path (the project's, else @pulumi/pulumi's vendored 3.8.3). */
    typescript: string;
    /** ts-node/esm of the project's ts-node, when it has one (>= 10). */
    tsNodeEsm?: string;
}

/**
 * The language host's choice (tsutils.typeScriptRequireStrings): the program's own `typescript`
 * and `ts-node` when it has them, else the copies vendored inside its `@pulumi/pulumi`.
 */
export function typeScriptTools(programDir: string): TypeScriptTools {
    const dirs = [path.resolve(programDir), __dirname];
    const pulumiPkg = resolveFrom("@pulumi/pulumi/package.json", dirs);
    const vendor = pulumiPkg ? path.join(path.dirname(pulumiPkg), "vendor") : undefined;
    const typescript = resolveFrom("typescript", dirs) ?? (vendor && path.join(vendor, "typescript@3.8.3", "typescript.js"));
    const tsNode = resolveFrom("ts-node", dirs) ?? (vendor && path.join(vendor, "ts-node@7.0.1"));
    if (!typescript || !tsNode || !fs.existsSync(typescript)) {
        throw new Error(
            `cannot load TypeScript for ${programDir}: neither the project nor its @pulumi/pulumi provides typescript and ts-node (npm install --save-dev typescript)`,
        );
    }
    return { tsNode, typescript, tsNodeEsm: resolveFrom("ts-node/esm", dirs) };
}

/** Compiler options as the host sets them: its defaults under the project's tsconfig. */
function hostCompilerOptions(typescript: string, esm: boolean): Record<string, unknown> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's own TypeScript, found at run time in its node_modules
    const version = String(require(typescript).version ?? "0");
    const [major, minor] = version.split(".").map(Number);
    const nodeNext = major > 4 || (major === 4 && minor >= 7);
    return esm
        ? { target: "ES2022", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true" }
        : { target: "ES2020", module: nodeNext ? "nodenext" : "commonjs", moduleResolution: nodeNext ? "nodenext" : "node", sourceMap: "true" };
}

let registeredCjs = false;
let registeredEsm = false;

/** ts-node's options as the host passes them (transpile-only: plan type-checks first). */
function tsNodeOptions(programDir: string, tools: TypeScriptTools, esm: boolean): Record<string, unknown> {
    const configured = process.env.PULUMI_NODEJS_TSCONFIG_PATH;
    const tsconfig = path.resolve(programDir, configured ?? "tsconfig.json");
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's own TypeScript, found at run time in its node_modules
    const ts = require(tools.typescript);
    let fromFile: Record<string, unknown> = {};
    if (fs.existsSync(tsconfig)) {
        const read = ts.parseConfigFileTextToJson(tsconfig, fs.readFileSync(tsconfig, "utf8"));
        fromFile = read.config?.compilerOptions ?? {};
    }
    return {
        compiler: tools.typescript,
        transpileOnly: true,
        project: tsconfig,
        skipProject: !fs.existsSync(tsconfig),
        compilerOptions: { ...hostCompilerOptions(tools.typescript, esm), ...fromFile },
    };
}

/**
 * Makes `entry` loadable: registers TypeScript when the entry is TypeScript and nothing in this
 * process compiles `.ts` yet (a checkout's CLI runs under ts-node already).
 */
function prepare(entry: string, programDir: string): void {
    if (!TS_ENTRY.test(entry)) return;
    const esm = isEsmEntry(entry);
    if (!esm) {
        if (registeredCjs || require.extensions[".ts"]) return;
        const tools = typeScriptTools(programDir);
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's own ts-node, found at run time in its node_modules
        require(tools.tsNode).register(tsNodeOptions(programDir, tools, false));
        registeredCjs = true;
        return;
    }
    if (registeredEsm) return;
    const tools = typeScriptTools(programDir);
    if (!tools.tsNodeEsm) {
        throw new Error(
            `${entry} is a TypeScript ES module ("type": "module"): like \`pulumi preview\`, plan needs ts-node >= 10 in the project for that (npm install --save-dev ts-node)`,
        );
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- module.register is looked up when an ES module program needs it
    const { register } = require("module");
    // cli/esmHooks.js sits beside this file in a checkout, two levels up from bin/cli/ when compiled.
    const hooks = [path.join(__dirname, "esmHooks.js"), path.join(__dirname, "..", "..", "cli", "esmHooks.js")].find((f) => fs.existsSync(f));
    if (!hooks) throw new Error("cli/esmHooks.js is missing: the openwebui package is incomplete");
    register(pathToFileURL(hooks).href, { data: { tsNode: tools.tsNode, options: tsNodeOptions(programDir, tools, true) } });
    registeredEsm = true;
}

let generation = 0;

/** Loads the program's entry module and returns its exports (CommonJS or ES module). */
export async function loadProgram(entry: string, programDir: string): Promise<unknown> {
    prepare(entry, programDir);
    if (!isEsmEntry(entry)) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the user's program entry, a path known only at run time
        return require(entry);
    }
    // ES modules cannot be evicted from the loader's cache: a fresh URL per plan re-evaluates the entry.
    const url = `${pathToFileURL(entry).href}?openwebui-plan=${++generation}`;
    // A real dynamic import, which TypeScript's CommonJS output would turn into require().
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a constant body: the only way to keep import() in CommonJS output
    const importer = new Function("u", "return import(u)") as (u: string) => Promise<unknown>;
    return importer(url);
}
