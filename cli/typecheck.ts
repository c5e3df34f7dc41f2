// Type-checks a TypeScript program before `openwebui plan` runs it, as `pulumi preview/up` do:
// the nodejs language host registers ts-node with type checking unless
// `PULUMI_NODEJS_TRANSPILE_ONLY=true` or the tsconfig sets `noCheck`, reads `tsconfig.json`
// of the program directory (or `PULUMI_NODEJS_TSCONFIG_PATH`) and otherwise defaults to
// ES2020 / nodenext. ts-node reports errors in the files it compiles, i.e. the program's own
// files (node_modules are not compiled); this reports the same set.
import * as fs from "fs";
import * as path from "path";
import type * as TS from "typescript";
import { cleanBefore, environmentKey, rememberClean } from "./typecheckCache";
import { typeScriptTools } from "./loader";

export interface TypeCheckResult {
    /** One line per error, `file:line:col - error TSnnnn: message`, paths relative to the program. */
    errors: string[];
    /** Files type-checked (the program's own). */
    files: number;
    /** True when nothing changed since the last clean check, which was not repeated (cli/typecheckCache.ts). */
    cached?: boolean;
}

/** Parsed declaration files and package sources do not change within a process: parse them once. */
const sourceCache = new Map<string, TS.SourceFile>();

function loadTypeScript(programDir: string): typeof TS {
    // The program's own compiler first, else the one @pulumi/pulumi vendors (the language host's choice).
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's own TypeScript, found at run time in its node_modules
    return require(typeScriptTools(programDir).typescript);
}

/** Whether plan should type-check this program (the language host's rule). */
export function shouldTypeCheck(entry: string, programDir: string, transpileOnly: boolean | undefined): boolean {
    if (!/\.[cm]?tsx?$/.test(entry) || transpileOnly) return false;
    const env = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    if (env) return env !== "true";
    const ts = loadTypeScript(programDir);
    // Without TypeScript in the project only @pulumi/pulumi's vendored 3.8.3 is left, which predates
    // the module-resolution API this check uses (and cannot read today's declaration files anyway).
    if (typeof ts.getModeForUsageLocation !== "function") return false;
    return !compilerOptions(ts, programDir).noCheck;
}

function compilerOptions(ts: typeof TS, programDir: string): TS.CompilerOptions {
    const configured = process.env.PULUMI_NODEJS_TSCONFIG_PATH;
    const configFile = configured ? path.resolve(programDir, configured) : path.join(programDir, "tsconfig.json");
    const defaults: TS.CompilerOptions = {
        target: ts.ScriptTarget.ES2020,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        sourceMap: true,
    };
    if (!fs.existsSync(configFile)) {
        if (configured) throw new Error(`tsconfig path was set to ${configured} but the file was not found`);
        return defaults;
    }
    const read = ts.readConfigFile(configFile, (f: string) => ts.sys.readFile(f));
    if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configFile), undefined, configFile);
    return { ...defaults, ...parsed.options };
}

/**
 * Type-checks the program rooted at `entry`. `fallback(name)` says how to resolve a module
 * the program cannot resolve itself (the CLI resolves its own package and `@pulumi/*` from its
 * installation, so programs outside this repository run without their own node_modules); the
 * type check follows the same resolution.
 */
export function typeCheck(entry: string, programDir: string, fallback: (name: string) => { name: string; from: string }): TypeCheckResult {
    const dir = path.resolve(programDir);
    const ts = loadTypeScript(dir);
    const options = compilerOptions(ts, dir);
    const key = environmentKey(dir, entry, ts.version, options);
    if (cleanBefore(dir, key)) return { errors: [], files: 0, cached: true };
    const result = check(ts, options, entry, dir, fallback);
    if (!result.errors.length) rememberClean(dir, key, result.ownFiles);
    return { errors: result.errors, files: result.ownFiles.length };
}

function check(
    ts: typeof TS,
    options: TS.CompilerOptions,
    entry: string,
    dir: string,
    fallback: (name: string) => { name: string; from: string },
): { errors: string[]; ownFiles: string[] } {
    const checked: TS.CompilerOptions = {
        ...options,
        noEmit: true,
        declaration: false,
        declarationMap: false,
        composite: false,
        incremental: false,
        tsBuildInfoFile: undefined,
    };
    const host = ts.createCompilerHost(checked, true);
    const own = (f: string) => path.resolve(f).startsWith(dir + path.sep) && !f.includes(`${path.sep}node_modules${path.sep}`);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
        if (own(fileName)) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
        const v = typeof languageVersion === "object" ? languageVersion.languageVersion : languageVersion;
        const key = `${v}|${typeof languageVersion === "object" ? (languageVersion.impliedNodeFormat ?? "") : ""}|${fileName}`;
        let sf = sourceCache.get(key);
        if (!sf) {
            sf = getSourceFile(fileName, languageVersion, onError, shouldCreate);
            if (sf) sourceCache.set(key, sf);
        }
        return sf;
    };
    const cache = ts.createModuleResolutionCache(dir, (f) => f, checked);
    host.resolveModuleNameLiterals = (literals, containingFile, redirected, opts, containingSourceFile) =>
        literals.map((lit) => {
            const mode = ts.getModeForUsageLocation(containingSourceFile, lit, opts);
            const r = ts.resolveModuleName(lit.text, containingFile, opts, host, cache, redirected, mode);
            if (r.resolvedModule || lit.text.startsWith(".") || path.isAbsolute(lit.text)) return r;
            const alt = fallback(lit.text);
            // Resolve as if imported from the CLI's package: its own sources and its node_modules.
            const again = ts.resolveModuleName(
                alt.name,
                alt.from,
                { ...opts, moduleResolution: ts.ModuleResolutionKind.Node10, module: ts.ModuleKind.CommonJS },
                host,
            );
            return again.resolvedModule ? again : r;
        });
    const program = ts.createProgram({ rootNames: [path.resolve(entry)], options: checked, host });
    const files = program.getSourceFiles().filter((f) => own(f.fileName));
    const diagnostics = [
        ...program.getOptionsDiagnostics(),
        ...program.getGlobalDiagnostics(),
        ...files.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
    ].filter((d) => d.category === ts.DiagnosticCategory.Error);
    const errors = diagnostics.map((d) => {
        const text = ts.flattenDiagnosticMessageText(d.messageText, "\n  ");
        if (!d.file || d.start === undefined) return `error TS${d.code}: ${text}`;
        const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
        return `${path.relative(dir, d.file.fileName)}:${line + 1}:${character + 1} - error TS${d.code}: ${text}`;
    });
    return { errors, ownFiles: files.map((f) => path.resolve(f.fileName)) };
}
