// The plugin entry (package.json "main"): what Pulumi's Node.js host runs when another language
// (Python, Go, .NET, YAML) uses this package through `pulumi package add`. The host requires the
// package folder, which resolves "main"; TypeScript and JavaScript programs import the package
// through "exports" (bin/index.js) and never load this file.
//
// It serves OpenWebUiCluster exactly as @pulumi/pulumi's componentProviderHost does (its
// ComponentProvider constructs the component), with one difference: the schema is the committed
// schema.json instead of one inferred from the TypeScript sources at run time. Inference needs the
// sources and a TypeScript compiler inside the plugin's install, which the release tarball does
// not carry (compiled bin/ only, no devDependencies); tests/schema.test.ts keeps schema.json equal
// to what inference gives, so both roads serve the same schema.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
// The package entry: it also installs the cloud module loader the component uses.
import { OpenWebUiCluster } from "./index";

/** The package root: this file is `plugin.ts` there, or `bin/plugin.js` once compiled. */
const ROOT = [__dirname, path.join(__dirname, "..")].find((d) => fs.existsSync(path.join(d, "schema.json")) && fs.existsSync(path.join(d, "package.json")));

class CommittedSchemaProvider extends ComponentProvider {
    // eslint-disable-next-line @typescript-eslint/require-await -- overrides ComponentProvider.getSchema (a Promise); async turns a read error into a rejection
    async getSchema(): Promise<string> {
        const text = fs.readFileSync(path.join(ROOT!, "schema.json"), "utf8");
        const schema = JSON.parse(text);
        // What ComponentProvider.construct reads after inference: each component's output names.
        const self = this as unknown as { cachedSchema?: string; componentDefinitions?: Record<string, { outputs: Record<string, unknown> }> };
        self.componentDefinitions = {};
        for (const [token, res] of Object.entries<{ properties?: Record<string, unknown> }>(schema.resources ?? {}))
            self.componentDefinitions[token.split(":")[2]] = { outputs: res.properties ?? {} };
        self.cachedSchema = text;
        return text;
    }
}

/** Run by the host's run-plugin (a function export is called and awaited). */
async function servePlugin(): Promise<void> {
    if (!ROOT) throw new Error(`schema.json not found next to ${__dirname}: the openwebui package is incomplete`);
    const provider = new CommittedSchemaProvider({ components: [OpenWebUiCluster], name: "openwebui", dirname: ROOT });
    await pulumi.provider.main(provider, process.argv.slice(2));
}

export = servePlugin;
