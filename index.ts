// Package entry point (npm `main` and the multi-language plugin entry): the component and
// its argument types. Cloud SDKs are loaded lazily, only for the chosen target.
export * from "./components/types";
export { OpenWebUiCluster } from "./components/openWebUiCluster";
export { ValidationError } from "./components/errors";
// Cloud-specific arg types and enums (type-only modules: no cloud SDK is loaded by these).
export * from "./providers/aws/args";
export * from "./providers/gcp/args";
export * from "./providers/azure/args";
export * from "./providers/kubernetes/args";
// The pre-0.2 type names (`DatabaseArgs`, ...), deprecated aliases for TypeScript users.
export * from "./components/legacyNames";
