// Loads the one cloud module the target needs. `require` is deliberate: a static import
// would load every cloud SDK (tens of MB each) whatever the target. The cloud SDKs are optional
// peer dependencies (package.json): a consumer installs only its target's, and a missing one
// fails with the exact `npm install`. The package entry (index.ts) hands `loadPlatform` to the core
// (components/platform/loader.ts), which never imports this folder.
import type { CloudPlatform } from "../components/platform/port";
import { CloudTarget } from "../components/args/types";

/** Each cloud target's SDK and the range this package supports (package.json peerDependencies; a unit test keeps them equal). */
export const CLOUD_SDKS: Record<string, { name: string; range: string }> = {
    [CloudTarget.Aws]: { name: "@pulumi/aws", range: "^7.48.0" },
    [CloudTarget.Gcp]: { name: "@pulumi/gcp", range: "^9.37.0" },
    [CloudTarget.Azure]: { name: "@pulumi/azure-native", range: "^3.28.0" },
};

export class MissingSdkError extends Error {}

function requireCloud(target: CloudTarget, load: () => { platform: CloudPlatform }): CloudPlatform {
    try {
        return load().platform;
    } catch (e) {
        const sdk = CLOUD_SDKS[target];
        const err = e as NodeJS.ErrnoException;
        if (sdk && err.code === "MODULE_NOT_FOUND" && err.message.includes(`'${sdk.name}`)) {
            throw new MissingSdkError(
                `OpenWebUiCluster: target "${target}" needs ${sdk.name}, which is not installed. Install it next to openwebui: npm install ${sdk.name}@"${sdk.range}"`,
            );
        }
        throw e;
    }
}

export function loadPlatform(target: CloudTarget): CloudPlatform {
    switch (target) {
        case CloudTarget.Aws:
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: only the targeted cloud's SDK is required
            return requireCloud(target, () => require("./aws"));
        case CloudTarget.Gcp:
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: only the targeted cloud's SDK is required
            return requireCloud(target, () => require("./gcp"));
        case CloudTarget.Azure:
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: only the targeted cloud's SDK is required
            return requireCloud(target, () => require("./azure"));
        default:
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, as the clouds are
            return (require("./kubernetes") as { platform: CloudPlatform }).platform;
    }
}
