// The package as users get it: the staged release tarball (scripts/pack.js), built once per run,
// and that tarball extracted as the plugin package other languages `pulumi package add`.
import * as fs from "fs";
import * as path from "path";
import { must, ROOT, run, times, WORK } from "./lib";

export interface StagedPackage {
    /** dist/openwebui-<version>.tgz */
    tarball: string;
    /** The tarball extracted: what `pulumi package add <dir>` is given. */
    dir: string;
    /** Files in the tarball, relative to its package/ folder. */
    files: string[];
}

let staged: StagedPackage | undefined;

export function stagedPackage(): StagedPackage {
    if (staged) return staged;
    const dist = path.join(WORK, "dist");
    fs.rmSync(dist, { recursive: true, force: true });
    const r = must(run(process.execPath, [path.join(ROOT, "scripts", "pack.js"), dist], { timeoutSec: 600 }), "npm run pack");
    times["package: npm run pack"] = r.seconds;
    const tarball = r.stdout.trim().split("\n").pop()!;
    const unpacked = path.join(WORK, "pkg");
    fs.rmSync(unpacked, { recursive: true, force: true });
    fs.mkdirSync(unpacked, { recursive: true });
    must(run("tar", ["-xzf", tarball, "-C", unpacked]), "tar -x");
    const files = must(run("tar", ["-tzf", tarball]), "tar -t")
        .stdout.split("\n")
        .filter(Boolean)
        .map((f) => f.replace(/^package\//, ""));
    staged = { tarball, dir: path.join(unpacked, "package"), files };
    return staged;
}

/** Cloud provider plugins installed in the engine's plugin cache (aws, gcp, azure-native). */
export function cloudPlugins(): string[] {
    const ls = must(run("pulumi", ["plugin", "ls", "--json"]), "pulumi plugin ls").stdout;
    return (JSON.parse(ls || "[]") as { name: string; kind: string; version: string }[])
        .filter((p) => p.kind === "resource" && ["aws", "gcp", "azure-native"].includes(p.name))
        .map((p) => `${p.name} ${p.version}`);
}
