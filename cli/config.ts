// Program discovery and stack config for `openwebui plan`: finds the entry point and stack file
// of a Pulumi program and builds the runtime config map the way the Pulumi CLI does, including
// path keys (`pulumi config set --path 'spec.replicas.max' 12`, `pulumi preview --config-path`).
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

export class UsageError extends Error {}
export class ProgramError extends Error {}

export interface ProgramInfo {
    project: string;
    /** `config:` block of Pulumi.yaml (declared keys with defaults / provider values). */
    projectConfig: Record<string, unknown>;
    entry: string;
    stack: string;
    stackFile?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a YAML document (Pulumi.yaml, a stack file): untyped, read field by field
function readYaml(file: string): any {
    return YAML.parse(fs.readFileSync(file, "utf8")) ?? {};
}

export function discoverProgram(programDir: string, stack?: string): ProgramInfo {
    const dir = path.resolve(programDir);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`program directory ${JSON.stringify(programDir)} does not exist`);
    const pulumiYaml = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    const proj = pulumiYaml ? readYaml(pulumiYaml) : {};
    const project: string = proj.name ?? path.basename(dir);
    if (proj.runtime && (typeof proj.runtime === "string" ? proj.runtime : proj.runtime.name) !== "nodejs") {
        const runtime = typeof proj.runtime === "string" ? proj.runtime : proj.runtime.name;
        throw new UsageError(
            `${pulumiYaml}: a ${runtime} program cannot be planned offline (plan runs nodejs programs: TypeScript or JavaScript); ` +
                `use \`pulumi preview\` for it (add --policy-pack <this package's policy/ folder> for the same checks)`,
        );
    }
    const mainDir = proj.main ? path.resolve(dir, proj.main) : dir;
    let entry: string | undefined;
    if (fs.existsSync(mainDir) && fs.statSync(mainDir).isFile()) entry = mainDir;
    else {
        const pkgFile = path.join(mainDir, "package.json");
        const pkgMain = fs.existsSync(pkgFile) ? JSON.parse(fs.readFileSync(pkgFile, "utf8")).main : undefined;
        const candidates = [
            ...(pkgMain ? [path.resolve(mainDir, pkgMain), path.resolve(mainDir, pkgMain.replace(/\.js$/, ".ts"))] : []),
            path.join(mainDir, "index.ts"),
            path.join(mainDir, "index.js"),
        ];
        entry = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
    }
    if (!entry) throw new UsageError(`no program entry point in ${dir} (looked for Pulumi.yaml main, package.json main, index.ts, index.js)`);
    const stackFiles = fs
        .readdirSync(dir)
        .filter((f) => /^Pulumi\.[^.]+\.ya?ml$/.test(f))
        .sort();
    let stackName = stack;
    let stackFile: string | undefined;
    if (stackName) {
        stackFile = [`Pulumi.${stackName}.yaml`, `Pulumi.${stackName}.yml`].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    } else if (stackFiles.length > 0) {
        stackFile = path.join(dir, stackFiles[0]);
        stackName = stackFiles[0].replace(/^Pulumi\./, "").replace(/\.ya?ml$/, "");
    }
    return { project, projectConfig: proj.config ?? {}, entry, stack: stackName ?? "plan", stackFile };
}

// ---------------------------------------------------------------------------------------------
// Path keys, as the Pulumi CLI parses and places them
// ---------------------------------------------------------------------------------------------

/**
 * Splits a path key (`spec.replicas.max`, `privateSubnetIds[0]`, `tags["a.b"]`) into segments,
 * with the syntax of the Pulumi CLI's property paths: `.name`, `[index]`, `["name"]`.
 */
export function parsePropertyPath(key: string): (string | number)[] {
    const segments: (string | number)[] = [];
    let i = 0;
    const bad = (why: string) => new UsageError(`--config ${JSON.stringify(key)}: ${why} (path syntax: name.name, name[0], name["key.with.dots"])`);
    while (i < key.length) {
        if (key[i] === "[") {
            const close = key.indexOf("]", i);
            if (close < 0) throw bad("missing ]");
            const inner = key.slice(i + 1, close);
            if (/^"([^"]*)"$/.test(inner)) {
                if (inner.length === 2) throw bad('empty key in [""]');
                segments.push(inner.slice(1, -1));
            } else if (/^\d+$/.test(inner)) segments.push(Number(inner));
            else throw bad(`[${inner}] is neither an index nor a quoted key`);
            i = close + 1;
            if (i < key.length && key[i] !== "." && key[i] !== "[") throw bad(`unexpected ${JSON.stringify(key[i])} after ]`);
            if (key[i] === ".") i++;
            continue;
        }
        let j = i;
        while (j < key.length && key[j] !== "." && key[j] !== "[") j++;
        const name = key.slice(i, j);
        if (!name) throw bad("empty name");
        segments.push(name);
        i = key[j] === "." ? j + 1 : j;
        if (key[j] === "." && i >= key.length) throw bad("ends with .");
    }
    if (segments.length === 0 || typeof segments[0] !== "string") throw bad("a path starts with a config key name");
    return segments;
}

/** A value set through a path: `true`/`false` become booleans, integers numbers (not `0123`), the rest strings (the CLI's rule). */
export function pathValue(raw: string): string | number | boolean {
    if (raw === "true") return true;
    if (raw === "false") return false;
    if (raw.length > 1 && raw[0] === "0") return raw;
    if (/^[+-]?\d+$/.test(raw) && Number.isSafeInteger(Number(raw))) return Number(raw);
    return raw;
}

/**
 * Places `value` at `segments` (after the key itself) inside `current` (the key's parsed value,
 * undefined when unset), creating objects for names and arrays for indices. Refuses what the
 * CLI cannot place: an index past the end of a list (only the next index appends), a name inside
 * a list, an index inside an object, or a path through a plain value.
 */
export function placeAtPath(current: unknown, segments: (string | number)[], value: unknown, key: string): unknown {
    if (segments.length === 0) return value;
    const [seg, ...rest] = segments;
    const where = (s: (string | number)[]) => s.map((x) => (typeof x === "number" ? `[${x}]` : `.${x}`)).join("");
    if (typeof seg === "number") {
        if (current === undefined) current = [];
        if (!Array.isArray(current))
            throw new UsageError(
                `--config ${key}: [${seg}] indexes a list, but the value there is ${JSON.stringify(current)}; fix the path or the stack config`,
            );
        if (seg > current.length)
            throw new UsageError(`--config ${key}: index ${seg} is past the end of the list (length ${current.length}); set [${current.length}] first`);
        const out = [...current];
        out[seg] = placeAtPath(current[seg], rest, value, key);
        return out;
    }
    if (current === undefined) current = {};
    if (current === null || typeof current !== "object" || Array.isArray(current)) {
        throw new UsageError(
            `--config ${key}: .${seg}${where(rest)} needs an object, but the value there is ${JSON.stringify(current)}; fix the path or the stack config`,
        );
    }
    return { ...current, [seg]: placeAtPath((current as Record<string, unknown>)[seg], rest, value, key) };
}

// ---------------------------------------------------------------------------------------------
// The runtime config map
// ---------------------------------------------------------------------------------------------

/**
 * Builds the runtime config map (`ns:key` -> string, objects as JSON) and the secret keys:
 * Pulumi.yaml defaults, then the stack file, then the overrides. With `path` every override key
 * is a path (`--path`, as `pulumi config set --path` / `pulumi preview --config-path`); without
 * it a key that looks like a path is refused, since the program would never read it.
 */
export function buildConfig(
    info: ProgramInfo,
    overrides: string[],
    notes: string[],
    opts: { path?: boolean } = {},
): { config: Record<string, string>; secretKeys: string[] } {
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const fullKey = (k: string) => (k.includes(":") ? k : `${info.project}:${k}`);
    const str = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
    // Pulumi.yaml defaults first: `key: { default }` (project keys), `ns:key: { value }` or a bare value.
    for (const [k, v] of Object.entries(info.projectConfig ?? {})) {
        if (v && typeof v === "object" && !Array.isArray(v)) {
            if ("value" in v) config[fullKey(k)] = str(v.value);
            else if ("default" in v) config[fullKey(k)] = str(v.default);
        } else if (v !== null && v !== undefined) {
            config[fullKey(k)] = str(v);
        }
    }
    if (info.stackFile) {
        const doc = readYaml(info.stackFile);
        for (const [k, v] of Object.entries<unknown>(doc.config ?? {})) {
            const key = fullKey(k);
            if (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && "secure" in v) {
                config[key] = "plan-placeholder-secret";
                secretKeys.push(key);
                notes.push(`config ${key} is encrypted (secure:); plan uses a placeholder value (override with --config ${key}=...)`);
            } else {
                config[key] = str(v);
            }
        }
    }
    for (const o of overrides) {
        const i = o.indexOf("=");
        if (i <= 0) throw new UsageError(`--config expects key=value, got ${JSON.stringify(o)}`);
        const rawKey = o.slice(0, i);
        const raw = o.slice(i + 1);
        // The namespace (`aws:`) belongs to the first segment; the path starts after it.
        const colon = rawKey.search(/[.[]/) < 0 ? rawKey.lastIndexOf(":") : rawKey.slice(0, rawKey.search(/[.[]/)).lastIndexOf(":");
        const ns = colon >= 0 ? rawKey.slice(0, colon + 1) : "";
        const rest = rawKey.slice(colon + 1);
        if (!opts.path) {
            if (/[.[]/.test(rest)) {
                throw new UsageError(
                    `--config ${rawKey}=...: the key is a path, which the program never reads as a plain key; ` +
                        `pass --path (as in \`pulumi config set --path '${rawKey}' ${raw}\`) to set it inside ${fullKey(ns + rest.split(/[.[]/)[0])}`,
                );
            }
            config[fullKey(rawKey)] = raw;
            continue;
        }
        const [first, ...segments] = parsePropertyPath(rest);
        const key = fullKey(ns + String(first));
        if (segments.length === 0) {
            // A plain key under --path keeps the CLI's typing of the value (JSON-encoded when not a string).
            const v = pathValue(raw);
            config[key] = str(v);
            continue;
        }
        let current: unknown;
        if (key in config) {
            try {
                current = JSON.parse(config[key]);
            } catch {
                current = config[key];
            }
            if (secretKeys.includes(key))
                throw new UsageError(`--config ${rawKey}: ${key} is encrypted in the stack file; a path cannot be set inside it offline`);
        }
        config[key] = JSON.stringify(placeAtPath(current, segments, pathValue(raw), rawKey));
    }
    return { config, secretKeys };
}
