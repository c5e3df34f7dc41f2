// Where the core gets a cloud module from. The core never imports providers/ (the arrow points one
// way: providers implement the port in ./port.ts); the package entry (index.ts) hands the loader in
// with `setPlatformLoader`, and the loader requires only the chosen target's module and SDK.
import type { CloudPlatform } from "./port";
import type { CloudTarget } from "../args/types";

/** Returns the cloud module of one target (providers/index.ts `loadPlatform`). */
export type PlatformLoader = (target: CloudTarget) => CloudPlatform;

let loader: PlatformLoader | undefined;

/** Installs the loader the component uses for every target; the package entry calls it once. */
export function setPlatformLoader(load: PlatformLoader): void {
    loader = load;
}

/** The cloud module of `target`, through the installed loader. */
export function platformFor(target: CloudTarget): CloudPlatform {
    if (!loader) {
        throw new Error(
            `OpenWebUiCluster: no cloud module loader is installed; import the component from the package entry ("openwebui", index.ts), not from components/`,
        );
    }
    return loader(target);
}
