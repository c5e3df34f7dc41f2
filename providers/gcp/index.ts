// The gcp target: GKE + Cloud SQL for PostgreSQL + Memorystore for Redis + GCS + GKE Ingress.
//
// Loaded only when `target: "gcp"` (see providers/index.ts). Imports only the @pulumi/gcp
// submodules it uses. Every cloud child is named `${name}-<role>` and created with
// `ctx.opts()` so it is parented to the component.
import type { CloudPlatform } from "../../components/platform/port";
import { createAlarms } from "./alarms";
import { createCache } from "./cache";
import { createDatabase, databaseMaxConnections } from "./database";
import { createWorkloadIdentity } from "./identity";
import { createLoadBalancer } from "./ingress";
import { createTelemetry } from "./telemetry";
import { createObjectStore } from "./storage";
import { validate } from "./validate";

export {
    GCP_DATABASE_SIZING,
    GCP_REDIS_MEMORY_GB,
    REDIS_TIERS,
    REDIS_CONNECT_MODES,
    SQL_EDITIONS,
    BACKEND_TIMEOUT_SEC,
    INGRESS_AWAIT_SECONDS,
    ADMIN_USER,
    customTierProblem,
    transactionLogDays,
} from "./catalog";
export { gcpLabels, defaultServiceAccountId } from "./shared";

export const platform: CloudPlatform = {
    validate,
    databaseMaxConnections,
    cacheIsCluster: () => false,
    ownedAnnotations: { service: ["cloud.google.com/backend-config", "cloud.google.com/neg"], serviceAccount: ["iam.gke.io/gcp-service-account"] },
    createDatabase,
    createCache,
    createObjectStore,
    createWorkloadIdentity,
    createTelemetry,
    createLoadBalancer,
    createAlarms,
};
