#!/usr/bin/env node
// `openwebui` command (package.json "bin"). Runs cli/plan.ts through ts-node (transpile-only)
// from a source checkout, or the compiled bin/cli/plan.js; ts-node also loads TypeScript
// programs given to `openwebui plan`.
"use strict";
const fs = require("fs");
const path = require("path");

if (!require.extensions[".ts"]) {
    try {
        require("ts-node").register({
            transpileOnly: true,
            compilerOptions: { module: "commonjs", target: "es2020", esModuleInterop: true, allowJs: false },
        });
    } catch (e) {
        // Without ts-node only JavaScript programs can be planned.
    }
}

const source = path.join(__dirname, "plan.ts");
const compiled = path.join(__dirname, "..", "bin", "cli", "plan.js");
const cli = fs.existsSync(source) && require.extensions[".ts"] ? require(source) : require(compiled);

cli.main(process.argv.slice(2)).then(cli.exitWhenFlushed, (e) => {
    process.stderr.write(`openwebui: ${(e && e.stack) || e}\n`);
    cli.exitWhenFlushed(2);
});
