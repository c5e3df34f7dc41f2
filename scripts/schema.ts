// Infers the multi-language schema of this package exactly as the Pulumi CLI does when it runs
// the package as a source-based plugin (`pulumi package add`, `pulumi package get-schema`), and
// writes the committed snapshot `schema.json`.
//
//   npm run schema        (= node -r ts-node/register/transpile-only scripts/schema.ts)
//
// What the CLI does (node_modules/@pulumi/pulumi/cmd/run-plugin/run.js): it `require`s the
// plugin directory, collects the exported ComponentResource classes with `getPulumiComponents`,
// derives the provider name from package.json `name` (`@scope/x` -> name `x`, namespace
// `scope`), and hosts `new ComponentProvider({ name, namespace, dirname, components })`, whose
// `getSchema()` runs the TypeScript analyzer over `<dirname>/tsconfig.json` starting at the entry
// point (package.json `exports["."]` / `main` mapped from .js to .ts, else `index.ts`).
//
// The only difference here: we load the TypeScript entry (`index.ts`) rather than package.json
// `main` (`bin/index.js`, which may be stale or absent in a checkout). The analyzer does not use
// the loaded module except for the class names, so the schema is the same.
import * as fs from "fs";
import * as path from "path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { argsShapeModule } from "../components/spec/unknownKeys";

export const ROOT = path.resolve(__dirname, "..");
export const SCHEMA_PATH = path.join(ROOT, "schema.json");
/** The args' shape the input checks read at run time (components/spec/unknownKeys.ts). */
export const ARGS_SHAPE_PATH = path.join(ROOT, "components", "spec", "argsShape.generated.ts");
export const REGENERATE = "npm run schema   (node -r ts-node/register/transpile-only scripts/schema.ts)";

/** Provider name and namespace from package.json, as run-plugin/run.js derives them. */
export function providerName(root = ROOT): { name: string; namespace?: string } {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    const m = String(pkg.name).match(/(@.*?\/)?(.+)/)!;
    return { name: m[2].replace(/[^-a-zA-Z0-9_]/g, "-"), namespace: m[1] ? m[1].slice(1, -1) : undefined };
}

/** The component classes the plugin host would serve (every exported ComponentResource subclass). */
export function entryComponents(root = ROOT): ReturnType<typeof getPulumiComponents> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package entry under ts-node, a path known only at run time
    return getPulumiComponents(require(path.join(root, "index.ts")));
}

/** A ComponentProvider configured exactly like the CLI's plugin host. */
export function createProvider(root = ROOT): ComponentProvider {
    const { name, namespace } = providerName(root);
    return new ComponentProvider({ name, namespace, dirname: root, components: entryComponents(root) });
}

/** A Pulumi package schema as parsed JSON (tests read it field by field). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed package schema is untyped JSON
export type PackageSchema = any;

/** The inferred schema (parsed). Takes a few seconds: it type-checks the package. */
export async function inferSchema(root = ROOT): Promise<PackageSchema> {
    return JSON.parse(await createProvider(root).getSchema());
}

let shared: { provider: ComponentProvider; schema: Promise<PackageSchema> } | undefined;

/**
 * One provider for the whole test process, its schema inferred once (the TypeScript analyzer
 * takes seconds): test files share it when mocha runs them together. `construct()` needs the
 * schema too (it reads the output names from it), so this also warms the provider.
 */
export function sharedProvider(): { provider: ComponentProvider; schema: Promise<PackageSchema> } {
    if (!shared) {
        const provider = createProvider();
        shared = { provider, schema: provider.getSchema().then((s) => JSON.parse(s)) };
    }
    return shared;
}

/** The canonical text of a schema as committed in schema.json. */
export function formatSchema(schema: unknown): string {
    return `${JSON.stringify(schema, null, 2)}\n`;
}

if (require.main === module) {
    const t0 = Date.now();
    inferSchema().then(
        (schema) => {
            const text = formatSchema(schema);
            const before = fs.existsSync(SCHEMA_PATH) ? fs.readFileSync(SCHEMA_PATH, "utf8") : "";
            fs.writeFileSync(SCHEMA_PATH, text);
            fs.writeFileSync(ARGS_SHAPE_PATH, argsShapeModule(schema));
            const types = Object.keys(schema.types ?? {}).length;
            const res = Object.keys(schema.resources ?? {});
            console.log(
                `${before === text ? "unchanged" : "wrote"} ${path.relative(process.cwd(), SCHEMA_PATH) || SCHEMA_PATH}: ` +
                    `${res.join(", ")}; ${types} types (${Date.now() - t0} ms)`,
            );
        },
        (err) => {
            console.error(`schema inference failed: ${err?.message ?? err}`);
            process.exit(1);
        },
    );
}
