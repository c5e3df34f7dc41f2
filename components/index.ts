export * from "./args/types";
export { OpenWebUiCluster, OPEN_WEBUI_CLUSTER_TYPE } from "./openWebUiCluster";
export { ValidationError } from "./spec/errors";
