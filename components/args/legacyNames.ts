// The names the argument types had before 0.2 (`DatabaseArgs`, `AwsArgs`, ...). The nested types
// lost their `Args` suffix because Pulumi's SDK generators append one: a schema type `DatabaseArgs`
// became `DatabaseArgsArgs` in Python, Go and C#. TypeScript code written against the old names
// keeps compiling through these aliases; they are not part of the multi-language schema.
import type * as t from "./types";
import type * as aws from "../platform/awsArgs";
import type * as gcp from "../platform/gcpArgs";
import type * as azure from "../platform/azureArgs";
import type * as kubernetes from "../platform/kubernetesArgs";

/** @deprecated Renamed to `SecretKeyRef`. */ export type SecretKeyRefArgs = t.SecretKeyRef;
/** @deprecated Renamed to `Replicas`. */ export type ReplicasArgs = t.Replicas;
/** @deprecated Renamed to `Image`. */ export type ImageArgs = t.Image;
/** @deprecated Renamed to `Tls`. */ export type TlsArgs = t.Tls;
/** @deprecated Renamed to `Database`. */ export type DatabaseArgs = t.Database;
/** @deprecated Renamed to `Redis`. */ export type RedisArgs = t.Redis;
/** @deprecated Renamed to `Storage`. */ export type StorageArgs = t.Storage;
/** @deprecated Renamed to `VectorStoreConfig` (`VectorStore` is the engine enum). */ export type VectorStoreArgs = t.VectorStoreConfig;
/** @deprecated Renamed to `Oidc`. */ export type OidcArgs = t.Oidc;
/** @deprecated Renamed to `Otel`. */ export type OtelArgs = t.Otel;
/** @deprecated Renamed to `Rag`. */ export type RagArgs = t.Rag;
/** @deprecated Renamed to `Migrations`. */ export type MigrationsArgs = t.Migrations;
/** @deprecated Renamed to `Pod`. */ export type PodArgs = t.Pod;
/** @deprecated Renamed to `Aws`. */ export type AwsArgs = aws.Aws;
/** @deprecated Renamed to `AwsEks`. */ export type AwsEksArgs = aws.AwsEks;
/** @deprecated Renamed to `AwsDatabase`. */ export type AwsDatabaseArgs = aws.AwsDatabase;
/** @deprecated Renamed to `AwsCache`. */ export type AwsCacheArgs = aws.AwsCache;
/** @deprecated Renamed to `AwsLoadBalancer`. */ export type AwsLoadBalancerArgs = aws.AwsLoadBalancer;
/** @deprecated Renamed to `Gcp`. */ export type GcpArgs = gcp.Gcp;
/** @deprecated Renamed to `GcpMaintenanceWindow`. */ export type GcpMaintenanceWindowArgs = gcp.GcpMaintenanceWindow;
/** @deprecated Renamed to `Azure`. */ export type AzureArgs = azure.Azure;
/** @deprecated Renamed to `AzureAgc`. */ export type AzureAgcArgs = azure.AzureAgc;
/** @deprecated Renamed to `AzureIngress`. */ export type AzureIngressArgs = azure.AzureIngress;
/** @deprecated Renamed to `AzureSku`. */ export type AzureSkuArgs = azure.AzureSku;
/** @deprecated Renamed to `AzureMaintenanceWindow`. */ export type AzureMaintenanceWindowArgs = azure.AzureMaintenanceWindow;
/** @deprecated Renamed to `KubernetesTarget`. */ export type KubernetesTargetArgs = kubernetes.KubernetesTarget;
/** @deprecated Renamed to `GatewayRef`. */ export type GatewayRefArgs = kubernetes.GatewayRef;
