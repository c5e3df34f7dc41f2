// The @pulumi/pulumi that `openwebui plan` drives. Plan runs a program under Pulumi's own mock
// runtime (`pulumi.runtime.setMocks`, public) but also needs three things Pulumi does not export
// publicly: a private async store per run (`runtime/state` withLocalStorage/getStore, so a plan
// inside a test process does not clobber its mocks), the monitor of that store (to record parents
// and dependencies, which the mock API hides) and `runtime/rpc` deserializeProperties. Those are
// proven by the consumer suite (tests/consumer/) on the lowest and the newest @pulumi/pulumi of the
// declared range; any other major is refused here with the supported range.
import * as fs from "fs";
import * as path from "path";
import { UsageError } from "./config";

/** The peer range of package.json, and the versions the consumer suite runs plan with. */
export const SUPPORTED_PULUMI = { range: ">=3.270.0 <4", lowest: "3.270.0", major: 3 };

export interface PulumiInternals {
    version: string;
    root: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the program's own @pulumi/pulumi, loaded by path (its version is checked, its typings are not ours)
    pulumi: any;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- that copy's runtime/state internals (no public typings)
    state: any;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- that copy's runtime/rpc internals (no public typings)
    rpc: any;
}

/** The program's own @pulumi/pulumi (else the one beside this package): the instance its resources register with. */
export function pulumiRoot(programDir: string): string {
    for (const dir of [path.resolve(programDir), __dirname]) {
        try {
            return path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [dir] }));
        } catch {
            /* next */
        }
    }
    throw new UsageError(`no @pulumi/pulumi found for ${programDir}: npm install @pulumi/pulumi@"${SUPPORTED_PULUMI.range}" in the project`);
}

function versionTuple(v: string): number[] {
    return v
        .split(/[.-]/)
        .slice(0, 3)
        .map((x) => Number.parseInt(x, 10) || 0);
}

/** Refuses a version outside the supported range, naming it and the fix. */
export function checkPulumiVersion(version: string, where: string): void {
    const [major, minor] = versionTuple(version);
    const [, lowMinor] = versionTuple(SUPPORTED_PULUMI.lowest);
    if (major !== SUPPORTED_PULUMI.major || minor < lowMinor) {
        throw new UsageError(
            `@pulumi/pulumi ${version} (${where}) is not supported by openwebui plan, which runs Pulumi's mock runtime and is tested with @pulumi/pulumi ${SUPPORTED_PULUMI.range}; ` +
                `install one (npm install @pulumi/pulumi@^${SUPPORTED_PULUMI.lowest}) or use pulumi preview`,
        );
    }
}

export function pulumiInternals(programDir: string): PulumiInternals {
    const root = pulumiRoot(programDir);
    const version = String(JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version);
    checkPulumiVersion(version, root);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's own @pulumi/pulumi copy, a path known only at run time
    const pulumi = require(root);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- that copy's runtime internals (no public typings)
    const state = require(path.join(root, "runtime", "state"));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- that copy's runtime internals (no public typings)
    const rpc = require(path.join(root, "runtime", "rpc"));
    const missing = [
        typeof pulumi.runtime?.setMocks !== "function" && "runtime.setMocks",
        typeof pulumi.runtime?.runInPulumiStack !== "function" && "runtime.runInPulumiStack",
        typeof state.withLocalStorage !== "function" && "runtime/state.withLocalStorage",
        typeof state.getStore !== "function" && "runtime/state.getStore",
        typeof rpc.deserializeProperties !== "function" && "runtime/rpc.deserializeProperties",
    ].filter(Boolean);
    if (missing.length) {
        throw new UsageError(
            `@pulumi/pulumi ${version} (${root}) lacks ${missing.join(", ")}, which openwebui plan needs (tested with ${SUPPORTED_PULUMI.range}); use pulumi preview`,
        );
    }
    return { version, root, pulumi, state, rpc };
}
