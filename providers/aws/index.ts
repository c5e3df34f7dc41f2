// The aws target: EKS + Aurora/RDS PostgreSQL + ElastiCache (Valkey) + S3 + ALB, wired into
// the Kubernetes layer by the neutral core. Loaded only when `target: "aws"` is chosen.
import type { CloudPlatform } from "../../components/platform/port";
import { createAlarms } from "./alarms";
import { createCache } from "./cache";
import { classMaxConnections } from "./catalog";
import { createDatabase } from "./database";
import { createWorkloadIdentity } from "./identity";
import { createLoadBalancer } from "./ingress";
import { createTelemetry } from "./telemetry";
import { createObjectStore } from "./storage";
import { validateAws } from "./validate";

export const platform: CloudPlatform = {
    validate: validateAws,
    // Unknown classes are refused by validate unless database.maxConnections is set (the core then uses it).
    // Both identity keys whichever mode is on: an IRSA role-arn next to Pod Identity would switch the pods to another role.
    ownedAnnotations: { service: [], serviceAccount: ["eks.amazonaws.com/role-arn", "openwebui/pod-identity-association"] },
    databaseMaxConnections: (spec) => classMaxConnections(spec) ?? spec.database.maxConnections,
    cacheIsCluster: (spec) => spec.redis.cluster,
    // ALB target-group readiness gates: a rollout only proceeds once new pods are healthy in the ALB.
    namespaceLabels: () => ({ "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" }),
    createDatabase,
    createCache,
    createObjectStore,
    createWorkloadIdentity,
    createTelemetry,
    createLoadBalancer,
    createAlarms,
};
