// The resolved (validated, defaulted) spec the core and the providers build from, and the env
// names the component owns.
import * as pulumi from "@pulumi/pulumi";
import { ResolvedImages } from "./images";
import { SSO_ENV } from "./sso";
import { TRUST_ENV } from "./trust";
import type { TrustedCa } from "./trustTypes";
import { ResolvedKnobs } from "./podKnobs";
import { PoolPlan } from "./sizing";
import {
    CloudTarget,
    EmbeddingEngine,
    Image,
    Migrations,
    Oidc,
    OtlpProtocol,
    PgvectorIndexMethod,
    Pod,
    Rag,
    ServiceMode,
    SizePreset,
    Storage,
    Tls,
    VectorStore,
    VectorStoreConfig,
    Sso,
    Workloads,
    ZoneSpread,
} from "./types";
import type { Aws } from "../providers/aws/args";
import type { Gcp } from "../providers/gcp/args";
import type { Azure } from "../providers/azure/args";
import type { KubernetesTarget } from "../providers/kubernetes/args";

/** pgvector's index limits: `vector` up to 2000 dimensions, `halfvec` up to 4000. */
export const PGVECTOR_MAX_VECTOR_DIMENSIONS = 2000;
export const PGVECTOR_MAX_INDEXED_DIMENSIONS = 4000;

/** The fix for setting a managed env name by hand. */
export function managedFix(k: string): string {
    return TRUST_ENV.includes(k) ? `${k} is managed by the component; set trustedCa (a ConfigMap/Secret with your CA: the component adds it to the public roots and sets ${k})` : `${k} is managed by the component; use the matching typed argument instead`;
}

/** Env names the component owns; `extraEnv`/`extraSecretEnv` may not set them. */
export const MANAGED_ENV = [
    "WEBUI_SECRET_KEY", "WEBUI_URL", "DATABASE_URL", "DATABASE_POOL_SIZE", "DATABASE_POOL_MAX_OVERFLOW",
    "DATABASE_POOL_TIMEOUT", "DATABASE_POOL_RECYCLE", "DATABASE_ENABLE_IAM_TOKEN_AUTH", "ENABLE_DB_MIGRATIONS",
    "REDIS_URL", "REDIS_CLUSTER", "REDIS_KEY_PREFIX", "REDIS_SENTINEL_HOSTS", "REDIS_SENTINEL_PORT", "WEBSOCKET_SENTINEL_PORT", "REDIS_SOCKET_CONNECT_TIMEOUT", "REDIS_SOCKET_TIMEOUT",
    "REDIS_HEALTH_CHECK_INTERVAL", "WEBSOCKET_REDIS_OPTIONS", "WEBSOCKET_MANAGER", "WEBSOCKET_REDIS_URL",
    "WEBSOCKET_REDIS_CLUSTER", "WEBSOCKET_SENTINEL_HOSTS", "ENABLE_WEBSOCKET_SUPPORT", "UVICORN_WORKERS", "VECTOR_DB",
    "PYTHONUSERBASE", "PIP_USER", "DATA_DIR",
    ...TRUST_ENV,
    "RAG_OPENAI_API_BASE_URL", "RAG_OPENAI_API_KEY", "RAG_OLLAMA_BASE_URL", "RAG_OLLAMA_API_KEY",
    "PGVECTOR_DB_URL", "PGVECTOR_CREATE_EXTENSION", "PGVECTOR_USE_HALFVEC", "PGVECTOR_INITIALIZE_MAX_VECTOR_LENGTH", "PGVECTOR_POOL_SIZE", "PGVECTOR_POOL_MAX_OVERFLOW",
    "STORAGE_PROVIDER", "S3_BUCKET_NAME", "S3_REGION_NAME", "S3_ENDPOINT_URL", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY",
    "GCS_BUCKET_NAME", "GOOGLE_APPLICATION_CREDENTIALS_JSON", "AZURE_STORAGE_ENDPOINT", "AZURE_STORAGE_CONTAINER_NAME",
    "AZURE_STORAGE_KEY", "ENABLE_OTEL", "OTEL_EXPORTER_OTLP_ENDPOINT", "DATA_DIR", "STATIC_DIR", "PORT", "CORS_ALLOW_ORIGIN",
    "OPENAI_API_KEYS", "ENABLE_PERSISTENT_CONFIG",
    ...SSO_ENV,
];

export interface ResolvedDatabase {
    mode: ServiceMode;
    name: string;
    version: string;
    url?: pulumi.Input<string>;
    urlSecret?: { name: pulumi.Input<string>; key: pulumi.Input<string> };
    maxConnections: number;
    budgetFraction: number;
    poolSize?: number;
    poolMaxOverflow?: number;
    createVectorExtension?: boolean;
    iamAuth: boolean;
    /** Managed mode: verify the server certificate with the cloud's CA. */
    verifyServerCertificate: boolean;
    deletionProtection: boolean;
    backupRetentionDays: number;
    highAvailability: boolean;
    storageGb: number;
}

export interface ResolvedRedis {
    mode: ServiceMode;
    url?: pulumi.Input<string>;
    urlSecret?: { name: pulumi.Input<string>; key: pulumi.Input<string> };
    cluster: boolean;
    /** Sentinel host names only (`REDIS_SENTINEL_HOSTS`), the port apart. */
    sentinelHosts?: string;
    /** The one port of every Sentinel (`REDIS_SENTINEL_PORT`). */
    sentinelPort?: number;
    keyPrefix: string;
    socketConnectTimeoutSeconds: number;
    socketTimeoutSeconds: number;
    healthCheckIntervalSeconds: number;
    highAvailability: boolean;
    storageGb: number;
}

export interface ResolvedStorage extends Storage {
    mode: ServiceMode;
    retainOnDelete: boolean;
    storageGb: number;
}

export interface ResolvedOtel {
    enabled: boolean;
    /** Deploy the in-cluster collector (enabled, and no existing collector given). */
    deployCollector: boolean;
    debugOnly: boolean;
    collectorEndpoint?: pulumi.Input<string>;
    exporterEndpoint?: pulumi.Input<string>;
    exporterProtocol: OtlpProtocol;
    exporterHeaders?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    traces: boolean;
    metrics: boolean;
    logs: boolean;
    collectorImage: string;
    collectorReplicas: number;
}

export interface ResolvedSpec {
    target: CloudTarget;
    hostname: string;
    /** `https://hostname` (or `http://` with tls.allowInsecureHttp). */
    url: string;
    namespace: string;
    createNamespace: boolean;
    size: SizePreset;
    replicas: { min: number; max: number; targetCpuUtilization: number };
    image: Required<Pick<Image, "repository" | "tag" | "pullPolicy">> & { digest?: string; ref: string };
    tls: Tls & { enabled: boolean };
    database: ResolvedDatabase;
    redis: ResolvedRedis;
    storage: ResolvedStorage;
    vectorStore: VectorStoreConfig & { type: VectorStore; pgvectorIndexMethod: PgvectorIndexMethod; pgvectorMaxVectorLength: number };
    oidc?: Oidc;
    sso?: Sso;
    otel: ResolvedOtel;
    rag: Rag & { embeddingEngine: EmbeddingEngine; embeddingModel: string; hybridSearch: boolean };
    migrations: Required<Migrations>;
    /** Images of the workloads besides Open WebUI (overrides, or the pinned defaults under `imageRegistry`). */
    images: ResolvedImages;
    /** Pod knobs per workload: `app` (Open WebUI's Deployment and migration Job) and each of `workloads`. */
    knobs: { [K in "app" | keyof Workloads]: ResolvedKnobs };
    pod: Pod & { zoneSpread: ZoneSpread; cpuRequest: string; memoryRequest: string; memoryLimit: string; terminationGracePeriodSeconds: number; readOnlyRootFilesystem: boolean };
    threadPoolSize: number;
    enableSignup: boolean;
    persistentConfig: boolean;
    extraEnv: { [key: string]: string };
    extraSecretEnv?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    extraSecretEnvRefs?: { [key: string]: { name: pulumi.Input<string>; key: pulumi.Input<string> } };
    extraEnvFromSecrets?: string[];
    trustedCa?: TrustedCa;
    labels: { [key: string]: string };
    tags: { [key: string]: string };
    aws?: Aws;
    gcp?: Gcp;
    azure?: Azure;
    kubernetes: KubernetesTarget;
    /** Filled by `planPools` once the database size is known. */
    pools: PoolPlan;
}
