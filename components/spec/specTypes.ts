// The resolved (validated, defaulted) spec the core and the providers build from, and the env
// names the component owns.
import * as pulumi from "@pulumi/pulumi";
import { ResolvedImages } from "./images";
import type { TrustedCa } from "../args/trustTypes";
import type { Hardening, Network } from "../args/networkTypes";
import { ResolvedKnobs } from "../kubernetes/podKnobs";
import { PoolPlan } from "./sizing";
import type { ResolvedImport } from "./importSpec";
import type { SecretKeyRef } from "../args/secretKeyRef";
import {
    AppService,
    AppServiceType,
    CloudTarget,
    EmbeddingEngine,
    Image,
    Migrations,
    Oidc,
    OtlpProtocol,
    OtelSampler,
    PgvectorIndexMethod,
    Pod,
    Rag,
    ServiceMode,
    SizePreset,
    Storage,
    DatabaseBackup,
    Tls,
    VectorStore,
    VectorStoreConfig,
    Sso,
    Workloads,
    ZoneSpread,
} from "../args/types";
import type { Aws } from "../platform/awsArgs";
import type { Gcp } from "../platform/gcpArgs";
import type { Azure } from "../platform/azureArgs";
import type { KubernetesTarget } from "../platform/kubernetesArgs";

/** pgvector's index limits: `vector` up to 2000 dimensions, `halfvec` up to 4000. */
export const PGVECTOR_MAX_VECTOR_DIMENSIONS = 2000;
export const PGVECTOR_MAX_INDEXED_DIMENSIONS = 4000;

/** Env names the component owns and the fix for each: the env contract (envContract.ts). */
export { OWNED_ENV as MANAGED_ENV, ownedFix as managedFix } from "../env/envContract";

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
    /** `inClusterHa`: CloudNativePG instances. */
    instances: number;
    /** `inClusterHa`: standbys that confirm each commit (0: asynchronous). */
    synchronousReplicas: number;
    /** `inClusterHa`: backups to S3 (none when unset). */
    backup?: DatabaseBackup;
    connectTimeoutSeconds: number;
    tcpUserTimeoutSeconds: number;
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
    /** Export to the cloud's own backends (providers/<cloud>/telemetry.ts) through the collector's identity. */
    cloudBackend: boolean;
    collectorEndpoint?: pulumi.Input<string>;
    exporterEndpoint?: pulumi.Input<string>;
    exporterProtocol: OtlpProtocol;
    exporterHeaders?: pulumi.Input<{ [key: string]: pulumi.Input<string> }>;
    traces: boolean;
    metrics: boolean;
    logs: boolean;
    sampler: OtelSampler;
    samplerRatio: number;
    logRetentionDays: number;
    prometheusScrape: boolean;
    serviceMonitor: boolean;
    prometheusRule: boolean;
    grafanaDashboard: boolean;
    collectorImage: string;
    collectorReplicas: number;
}

/** `alarms`, defaulted: `enabled` is false on kubernetes whatever was asked. */
export interface ResolvedAlarms {
    enabled: boolean;
    notificationTargets: string[];
}

export interface ResolvedSpec {
    target: CloudTarget;
    hostname: string;
    /** `additionalHostnames`, served by the route besides `hostname`. */
    additionalHostnames: string[];
    /** The Open WebUI Service (`service`), type defaulted. */
    service: AppService & { type: AppServiceType };
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
    /** Cloud alarms (components/telemetry/alarmsSpec.ts). */
    alarms: ResolvedAlarms;
    rag: Rag & { embeddingEngine: EmbeddingEngine; embeddingModel: string; hybridSearch: boolean };
    migrations: Required<Migrations>;
    /** The existing Open WebUI to import (importJob.ts), when given. */
    importFrom?: ResolvedImport;
    /** The user's Secret holding WEBUI_SECRET_KEY (no key is generated), when given. */
    webuiSecretKeyRef?: SecretKeyRef;
    /** Images of the workloads besides Open WebUI (overrides, or the pinned defaults under `imageRegistry`). */
    images: ResolvedImages;
    /** Pod knobs per workload: `app` (Open WebUI's Deployment and migration Job) and each of `workloads`. */
    knobs: { [K in "app" | keyof Workloads]: ResolvedKnobs };
    pod: Pod & {
        zoneSpread: ZoneSpread;
        cpuRequest: string;
        memoryRequest: string;
        memoryLimit: string;
        terminationGracePeriodSeconds: number;
        readOnlyRootFilesystem: boolean;
    };
    threadPoolSize: number;
    enableSignup: boolean;
    defaultUserRole: string;
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
    network: Network;
    hardening: Hardening;
    /** Filled by `planPools` once the database size is known. */
    pools: PoolPlan;
}
