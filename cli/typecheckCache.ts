// A warm `openwebui plan` skips the type check when nothing it depends on changed since the last
// clean check: the program's own files (content hashes of exactly the files the check read), the
// tsconfig, the TypeScript version and options, and what is installed (npm's
// node_modules/.package-lock.json and the project's lockfile, which every install rewrites).
// Only a clean result is remembered: errors are always recomputed. The record lives in the
// project's node_modules/.cache/openwebui-plan/ (the usual place for tool caches; deleted with
// node_modules); OPENWEBUI_PLAN_NO_CACHE=1 turns it off.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

interface Record {
    key: string;
    files: { [file: string]: string };
}

const sha = (data: string | Buffer) => crypto.createHash("sha256").update(data).digest("hex");

function fileHash(f: string): string | undefined {
    try {
        return sha(fs.readFileSync(f));
    } catch {
        return undefined;
    }
}

function cacheFile(programDir: string): string {
    return path.join(programDir, "node_modules", ".cache", "openwebui-plan", "typecheck.json");
}

/** What the check depends on besides the program's own files. */
export function environmentKey(programDir: string, entry: string, tsVersion: string, options: object): string {
    const parts = [tsVersion, JSON.stringify(options), path.resolve(entry), process.env.PULUMI_NODEJS_TSCONFIG_PATH ?? ""];
    for (const f of [
        "tsconfig.json",
        "package.json",
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        path.join("node_modules", ".package-lock.json"),
    ]) {
        parts.push(`${f}:${fileHash(path.join(programDir, f)) ?? "-"}`);
    }
    return sha(parts.join("\n"));
}

/** True when the last clean check had this key and none of the files it read changed. */
export function cleanBefore(programDir: string, key: string): boolean {
    if (process.env.OPENWEBUI_PLAN_NO_CACHE === "1") return false;
    let rec: Record;
    try {
        rec = JSON.parse(fs.readFileSync(cacheFile(programDir), "utf8"));
    } catch {
        return false;
    }
    if (rec.key !== key || !rec.files || !Object.keys(rec.files).length) return false;
    return Object.entries(rec.files).every(([f, h]) => fileHash(f) === h);
}

/** Remembers a clean check (best effort: a read-only project just stays cold). */
export function rememberClean(programDir: string, key: string, files: string[]): void {
    // Only in an installed project: a folder without node_modules (an example in a checkout, a
    // fixture) gets no node_modules/ of ours.
    if (process.env.OPENWEBUI_PLAN_NO_CACHE === "1" || !fs.existsSync(path.join(programDir, "node_modules"))) return;
    const rec: Record = { key, files: Object.fromEntries(files.map((f) => [f, fileHash(f) ?? ""])) };
    try {
        fs.mkdirSync(path.dirname(cacheFile(programDir)), { recursive: true });
        fs.writeFileSync(cacheFile(programDir), JSON.stringify(rec));
    } catch {
        /* not cached */
    }
}
