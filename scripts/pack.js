#!/usr/bin/env node
// Builds the release artifact: `npm run pack` -> dist/openwebui-<version>.tgz.
//
// The tarball is what every user installs: npm users (`npm install ./openwebui-<v>.tgz`, or the
// registry once published from it), and other languages, which extract it and
// `pulumi package add ./package`. That second road is why the package is staged instead of packed
// from the checkout: Pulumi's Node.js host runs `npm install` inside a plugin package, and with the
// checkout's package.json it would install the devDependencies (the aws, gcp and azure-native SDKs
// the tests use) and then download those providers' plugins (hundreds of MB) for a program that
// deploys to Kubernetes only; and its `prepare` script (tsc) would need TypeScript. The staged
// package.json keeps dependencies, peers, bin and exports, and drops devDependencies and scripts.
//
// Files: exactly what `npm pack` takes by package.json `files` (the consumer suite proves nothing the
// runtime needs is missing and no test or dev file ships), from a fresh build of bin/.
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const out = path.resolve(process.argv[2] || path.join(root, "dist"));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function sh(cmd, args, opts = {}) {
    return execFileSync(cmd, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", ...opts });
}

const stage = path.join(out, "stage", "package");
fs.rmSync(path.join(out, "stage"), { recursive: true, force: true });
// A fresh bin/, compiled straight into the stage (the checkout's bin/ is left alone): a module
// deleted from the sources cannot linger in the package.
sh(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [root] }), "-p", "tsconfig.json", "--outDir", path.join(stage, "bin")]);

// Everything else exactly as `npm pack` takes it by package.json `files`.
const listing = JSON.parse(sh(npm, ["pack", "--dry-run", "--json", "--ignore-scripts"]))[0];
for (const f of listing.files.filter((x) => !x.path.startsWith("bin/"))) {
    const to = path.join(stage, f.path);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(root, f.path), to);
    fs.chmodSync(to, f.mode & 0o777);
}

const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
delete pkg.devDependencies;
delete pkg.scripts;
fs.writeFileSync(path.join(stage, "package.json"), JSON.stringify(pkg, null, 2) + "\n");

fs.mkdirSync(out, { recursive: true });
const packed = JSON.parse(sh(npm, ["pack", stage, "--json", "--pack-destination", out]))[0];
fs.rmSync(path.join(out, "stage"), { recursive: true, force: true });
const tarball = path.join(out, packed.filename);
process.stdout.write(`${tarball}\n`);
process.stderr.write(
    `pack: ${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked\n`,
);
