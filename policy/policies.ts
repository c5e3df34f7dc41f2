// The policies of the `openwebui-ha` CrossGuard pack, kept apart from `index.ts` (whose
// `new PolicyPack(...)` starts a gRPC server) so tests and the offline `plan` command can
// run them through the same validateResource/validateStack code path.
//
// Rules look at RAW resource types (Kubernetes objects, cloud resources), never at the
// OpenWebUiCluster component, so a hand-rolled Open WebUI deployment is checked too.
// Property shapes are the ones Pulumi sends to analyzers: resource inputs (camelCase for
// aws/gcp/azure-native) and Kubernetes objects as apiVersion/kind/metadata/spec.
//
// By concern, under rules/: the rule shape and unknown-value handling (shape.ts), the workload
// and env views (workloads.ts), then HA (ha.ts), data services (dataServices.ts), object
// storage (storage.ts), pods and secrets (podsSecrets.ts), durability (durability.ts), hardening
// (hardening.ts: NetworkPolicies, security headers, load balancer and bucket access logs, Azure
// diagnostic settings, cache and storage deletion protection).
// policy/README.md's rule table is checked against `policies` by tests/policy.test.ts.
import type { ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import type { PackPolicy, PackStackPolicy } from "./rules/shape";
import { haMigrations, haPdb, haPostgres, haProbes, haRedis, haSharedSecretKey, haVectorStore } from "./rules/ha";
import { noPublicDataStores, postgresEncryption, redisEncryption } from "./rules/dataServices";
import { bucketSecurity, s3PublicAccessBlockPresent } from "./rules/storage";
import { noLiteralSecrets, nonRootPods, noStaticStorageKeys } from "./rules/podsSecrets";
import { cnpgDurability, databaseDeletionProtection } from "./rules/durability";
import { importDataLoss } from "./rules/adoption";
import { telemetryOn } from "./rules/telemetry";
import { cloudAlarms } from "./rules/alarms";
import { poolChurn } from "./rules/capacity";
import {
    appServiceExposed,
    azureDiagnosticSettings,
    bucketAccessLogs,
    cacheDeletionProtection,
    loadBalancerLogs,
    networkDefaultDeny,
    securityHeaders,
    storageDeletionProtection,
} from "./rules/hardening";

export * from "./rules/shape";
export * from "./rules/workloads";
export * from "./rules/ha";
export * from "./rules/dataServices";
export * from "./rules/storage";
export * from "./rules/podsSecrets";
export * from "./rules/durability";
export * from "./rules/adoption";
export * from "./rules/hardening";
export * from "./rules/telemetry";
export * from "./rules/alarms";
export * from "./rules/capacity";

/** Every policy of the pack, in report order. */
export const policies: PackPolicy[] = [
    haPostgres,
    haRedis,
    haVectorStore,
    haSharedSecretKey,
    haMigrations,
    haProbes,
    haPdb,
    noPublicDataStores,
    postgresEncryption,
    redisEncryption,
    bucketSecurity,
    s3PublicAccessBlockPresent,
    noLiteralSecrets,
    noStaticStorageKeys,
    nonRootPods,
    databaseDeletionProtection,
    cnpgDurability,
    importDataLoss,
    cacheDeletionProtection,
    networkDefaultDeny,
    securityHeaders,
    loadBalancerLogs,
    bucketAccessLogs,
    azureDiagnosticSettings,
    storageDeletionProtection,
    appServiceExposed,
    telemetryOn,
    cloudAlarms,
    poolChurn,
];

export const POLICY_PACK_NAME = "openwebui-ha";

export function isStackPolicy(p: PackPolicy): p is PackStackPolicy {
    return typeof (p as PackStackPolicy).validateStack === "function";
}

export type { ResourceValidationArgs, StackValidationArgs };
