// Open WebUI on any Kubernetes cluster.
//
// Default: evaluation mode, with single-instance in-cluster Postgres (pgvector), Valkey and a
// SeaweedFS S3 store. NOT highly available. For production set `database`/`redis`/`storage`
// to `external` (config `mode: external` below) and point them at your HA services.
import * as pulumi from "@pulumi/pulumi";
import { CloudTarget, OpenWebUiCluster, ServiceMode } from "openwebui";

const config = new pulumi.Config();
const external = config.getBoolean("external") ?? false;

const cluster = new OpenWebUiCluster("chat", {
    target: CloudTarget.Kubernetes,
    hostname: config.require("hostname"),
    namespace: config.get("namespace"),
    createNamespace: config.getBoolean("createNamespace"),
    replicas: { min: config.getNumber("replicasMin") ?? 3, max: config.getNumber("replicasMax") ?? 10 },
    // Upgrades: a new tag runs a new migration Job before the pods roll. For schema-breaking
    // releases set maintenanceMode true for one `up` (serving replicas 0, migrations alone).
    image: { tag: config.get("imageTag") },
    migrations: { maintenanceMode: config.getBoolean("maintenanceMode") },
    extraEnv: config.getObject<Record<string, string>>("extraEnv"),
    extraSecretEnv: config.getSecretObject<Record<string, string>>("extraSecretEnv"),
    tls: { clusterIssuer: config.get("clusterIssuer"), secretName: config.get("tlsSecretName") },
    kubernetes: {
        ingressClassName: config.get("ingressClassName"),
        // Gateway API (recommended now that ingress-nginx is retired): set `gatewayName`.
        gateway: config.get("gatewayName") ? { name: config.require("gatewayName"), namespace: config.get("gatewayNamespace") } : undefined,
        storageClassName: config.get("storageClassName"),
    },
    ...(external
        ? {
              // Existing Secrets in the release namespace, created by your secret manager.
              database: {
                  mode: ServiceMode.External,
                  urlSecret: { name: "openwebui-postgres", key: "url" },
                  maxConnections: config.requireNumber("databaseMaxConnections"),
              },
              redis: { mode: ServiceMode.External, urlSecret: { name: "openwebui-redis", key: "url" } },
              storage: {
                  mode: ServiceMode.External,
                  bucketName: config.require("bucketName"),
                  s3EndpointUrl: config.get("s3EndpointUrl"),
                  s3AccessKeyIdSecret: { name: "openwebui-s3", key: "accessKeyId" },
                  s3SecretAccessKeySecret: { name: "openwebui-s3", key: "secretAccessKey" },
              },
          }
        : {}),
    otel: { exporterEndpoint: config.get("otlpEndpoint") },
    rag: {
        openaiApiBaseUrls: config.get("openaiBaseUrl") ? [config.require("openaiBaseUrl")] : undefined,
        openaiApiKeys: config.getSecret("openaiApiKey")?.apply((k) => [k]),
    },
});

export const url = cluster.url;
export const namespace = cluster.namespace;
export const databaseEndpoint = cluster.databaseEndpoint;
export const databasePoolSize = cluster.databasePoolSize;
export const databaseMaxClientConnections = cluster.databaseMaxClientConnections;
export const migrationJobName = cluster.migrationJobName;
