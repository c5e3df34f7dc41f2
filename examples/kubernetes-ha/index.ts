// Open WebUI on any Kubernetes cluster with a highly available in-cluster data tier.
//
// `kubernetes.dataTier: highlyAvailable` picks, for every service whose mode is unset:
//   database  inClusterHa   a CloudNativePG `Cluster` (3 instances, pgvector, TLS, PDBs); the
//                           CloudNativePG operator (v1.30) must be installed first
//   redis     inClusterHa   Valkey 1 primary + 2 replicas with 3 Sentinels (the component's own StatefulSets)
//   storage   sharedVolume  one ReadWriteMany volume for uploads on every replica
// `openwebui plan examples/kubernetes-ha` prints which services are HA and why.
import * as pulumi from "@pulumi/pulumi";
import { CloudTarget, DataTier, OpenWebUiCluster } from "openwebui";

const config = new pulumi.Config();
const backupPath = config.get("backupDestinationPath");

const cluster = new OpenWebUiCluster("chat", {
    target: CloudTarget.Kubernetes,
    hostname: config.require("hostname"),
    namespace: config.get("namespace"),
    createNamespace: config.getBoolean("createNamespace"),
    replicas: { min: config.getNumber("replicasMin") ?? 3, max: config.getNumber("replicasMax") ?? 10 },
    image: { tag: config.get("imageTag") },
    tls: {
        enabled: config.getBoolean("tls"),
        allowInsecureHttp: config.getBoolean("allowInsecureHttp"),
        clusterIssuer: config.get("clusterIssuer"),
        secretName: config.get("tlsSecretName"),
    },
    kubernetes: {
        dataTier: DataTier.HighlyAvailable,
        ingressClassName: config.get("ingressClassName"),
        gateway: config.get("gatewayName") ? { name: config.require("gatewayName"), namespace: config.get("gatewayNamespace") } : undefined,
        // Block volumes (ReadWriteOnce) of the Postgres instances and the Valkey pods.
        storageClassName: config.get("storageClassName"),
        cnpgOperatorNamespace: config.get("cnpgOperatorNamespace"),
    },
    database: {
        storageGb: config.getNumber("databaseStorageGb"),
        // Backups to S3 (CloudNativePG's Barman object store): a Secret with ACCESS_KEY_ID / ACCESS_SECRET_KEY.
        backup: backupPath
            ? { destinationPath: backupPath, endpointUrl: config.get("backupEndpointUrl"), credentialsSecretName: config.require("backupCredentialsSecret") }
            : undefined,
    },
    storage: { storageClassName: config.get("sharedStorageClassName"), storageGb: config.getNumber("uploadsStorageGb") },
    otel: { exporterEndpoint: config.get("otlpEndpoint") },
    rag: {
        openaiApiBaseUrls: config.get("openaiBaseUrl") ? [config.require("openaiBaseUrl")] : undefined,
        openaiApiKeys: config.getSecret("openaiApiKey")?.apply((k) => [k]),
    },
});

export const url = cluster.url;
export const namespace = cluster.namespace;
export const databaseEndpoint = cluster.databaseEndpoint;
export const redisEndpoint = cluster.redisEndpoint;
export const bucketName = cluster.bucketName;
export const databasePoolSize = cluster.databasePoolSize;
export const databaseServerMaxConnections = cluster.databaseServerMaxConnections;
export const migrationJobName = cluster.migrationJobName;
