// Evaluates an example program (examples/<name>/index.ts) under the mocks of tests/harness.ts,
// exactly as `pulumi up` would run it, but in-process:
//   - stack config: keys without a namespace go under the current project (what `pulumi config set
//     key value` does for the example's own project); `ns:key` keys (e.g. `aws:region`) are kept as is.
//     Values are strings, objects as JSON (like `pulumi config set --path` / requireObject).
//   - module resolution: examples import the package by its published name (`openwebui`), declared in
//     their package.json as `"openwebui": "file:../.."`. Every `file:` dependency of the example's
//     package.json is mapped to that directory's TypeScript entry (index.ts), so no `npm install`,
//     symlink or build is needed; everything else resolves from the repository's node_modules (one
//     copy of @pulumi/pulumi, so the mocks apply).
// Import "./harness" before calling it (it installs the mocks).
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
const Module = require("module");

const aliases = new Map<string, string>();
let hooked = false;

function hookResolution(): void {
    if (hooked) return;
    hooked = true;
    const original = Module._resolveFilename;
    Module._resolveFilename = function (request: string, parent: unknown, ...rest: unknown[]) {
        const target = aliases.get(request);
        return original.call(this, target ?? request, parent, ...rest);
    };
}

/** Maps the `file:` dependencies of `<dir>/package.json` to their TypeScript entry points. */
function mapFileDependencies(dir: string): void {
    const pkgPath = path.join(dir, "package.json");
    if (!fs.existsSync(pkgPath)) return;
    const pkg = JSON.parse(fs.readFileSync(pkgPath, "utf8"));
    for (const [name, spec] of Object.entries<string>({ ...pkg.dependencies, ...pkg.devDependencies })) {
        if (typeof spec !== "string" || !spec.startsWith("file:")) continue;
        const target = path.resolve(dir, spec.slice("file:".length));
        const entry = fs.existsSync(path.join(target, "index.ts")) ? path.join(target, "index.ts") : target;
        aliases.set(name, entry);
    }
}

/**
 * Sets the stack config and requires `<dir>/index.ts` afresh; returns its exports (the stack outputs).
 * Call `settle()` afterwards to wait for the registrations.
 */
export function loadExample(dir: string, config: Record<string, string>): any {
    const project = pulumi.getProject();
    const full: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) full[k.includes(":") ? k : `${project}:${k}`] = v;
    pulumi.runtime.setAllConfig(full);
    hookResolution();
    mapFileDependencies(dir);
    const entry = require.resolve(path.join(dir, "index.ts"));
    delete require.cache[entry];
    return require(entry);
}

/** Clears the config loadExample set (call in `after` if later tests read config). */
export function clearExampleConfig(): void {
    pulumi.runtime.setAllConfig({});
}
