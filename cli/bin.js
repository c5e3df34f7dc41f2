#!/usr/bin/env node
// `openwebui` command (package.json "bin"). An installed package runs the compiled
// bin/cli/plan.js; a source checkout runs cli/plan.ts through its ts-node (a devDependency).
// The user's program is loaded by cli/loader.ts the way the Pulumi Node.js host loads it
// (TypeScript through the project's ts-node or the one @pulumi/pulumi vendors), not here.
"use strict";
const fs = require("fs");
const path = require("path");

if (process.argv[2] === "migrate") {
    require("./migrate.js").main(process.argv.slice(3));
    return;
}
const source = path.join(__dirname, "plan.ts");
const compiled = path.join(__dirname, "..", "bin", "cli", "plan.js");
let cli;
if (fs.existsSync(source)) {
    if (!require.extensions[".ts"]) {
        require("ts-node").register({ transpileOnly: true, compilerOptions: { module: "commonjs", target: "es2020", esModuleInterop: true } });
    }
    cli = require(source);
} else {
    cli = require(compiled);
}

cli.main(process.argv.slice(2)).then(cli.exitWhenFlushed, (e) => {
    process.stderr.write(`openwebui: ${(e && e.stack) || e}\n`);
    cli.exitWhenFlushed(2);
});
