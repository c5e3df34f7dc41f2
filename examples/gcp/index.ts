// Open WebUI, highly available, on an existing GKE cluster with Workload Identity.
//
// Creates: Cloud SQL for PostgreSQL (regional, private IP, TLS only, PITR), Memorystore for
// Redis (STANDARD_HA, AUTH + TLS), a private versioned GCS bucket, a Google service account
// bound to the pods' Kubernetes ServiceAccount, and a GKE Ingress with a static IP, a
// Google-managed certificate and HTTPS redirect. All inputs come from stack config.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { CloudTarget, OpenWebUiCluster, SizePreset } from "openwebui";

const config = new pulumi.Config();
const gcpConfig = new pulumi.Config("gcp");
const orUndefined = (v: string | undefined) => (v === undefined || v === "" ? undefined : v);

const project = orUndefined(config.get("project")) ?? gcpConfig.require("project");
const region = orUndefined(config.get("region")) ?? gcpConfig.require("region");
const kubeContext = orUndefined(config.get("kubeContext"));

// The Kubernetes provider of the GKE cluster (`gcloud container clusters get-credentials`).
const providers = kubeContext ? [new k8s.Provider("gke", { context: kubeContext })] : [];

const chat = new OpenWebUiCluster(
    "chat",
    {
        target: CloudTarget.Gcp,
        hostname: config.require("hostname"),
        // Telemetry: with `otlpEndpoint`, a collector forwards to that OTLP backend; unset, it goes to the cloud's own backends through workload identity (README "Observability").
        otel: { exporterEndpoint: config.get("otlpEndpoint") },
        // Where the cloud alarms notify (SNS topic ARNs / notification channels / Action Group ids); none: console only.
        alarms: { notificationTargets: config.getObject<string[]>("alarmTargets") },
        namespace: config.get("namespace") ?? "open-webui",
        size: (config.get("size") ?? SizePreset.Medium) as SizePreset,
        gcp: {
            project,
            region,
            network: config.require("network"),
            privateServiceAccessRange: orUndefined(config.get("privateServiceAccessRange")),
            dnsZone: orUndefined(config.get("dnsZone")),
        },
        tags: { app: "open-webui", stack: pulumi.getStack() },
    },
    { providers },
);

export const url = chat.url;
export const namespace = chat.namespace;
export const databaseEndpoint = chat.databaseEndpoint;
export const redisEndpoint = chat.redisEndpoint;
export const bucketName = chat.bucketName;
export const serviceAccountEmail = chat.identityPrincipal;
export const databaseServerMaxConnections = chat.databaseServerMaxConnections;
export const databasePoolSize = chat.databasePoolSize;
