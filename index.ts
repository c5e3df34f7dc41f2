// Package entry point (npm `main` and the multi-language plugin entry): the component and
// its argument types. Cloud SDKs are loaded lazily, only for the chosen target.
import { setPlatformLoader } from "./components/platform/loader";
import { loadPlatform } from "./providers";

// The core (components/) never imports providers/: the entry hands it the loader, which
// requires only the chosen target's cloud module (and so its SDK).
setPlatformLoader(loadPlatform);

export * from "./components/args/types";
export { OpenWebUiCluster } from "./components/openWebUiCluster";
export { ValidationError } from "./components/spec/errors";
// `OpenWebUiCluster.resources`: the underlying resources, for TypeScript programs.
export type { OpenWebUiClusterResources } from "./components/resources";
// Cloud-specific arg types and enums (type-only modules: no cloud SDK is loaded by these).
export * from "./components/platform/awsArgs";
export * from "./components/platform/gcpArgs";
export * from "./components/platform/azureArgs";
export * from "./components/platform/kubernetesArgs";
// The pre-0.2 type names (`DatabaseArgs`, ...), deprecated aliases for TypeScript users.
export * from "./components/args/legacyNames";
