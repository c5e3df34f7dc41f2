// Package entry point (npm `main` and the multi-language plugin entry): the component and
// its argument types. Cloud SDKs are loaded lazily, only for the chosen target.
export * from "./components/types";
export { OpenWebUiCluster } from "./components/openWebUiCluster";
