// The args' string enums (schema-inferable for every language). A leaf module: every args file imports it.

/** Where the cluster runs and which cloud creates its managed services. */
export enum CloudTarget {
    /** EKS + Aurora/RDS + ElastiCache + S3 + ALB. */
    Aws = "aws",
    /** GKE + Cloud SQL + Memorystore + GCS + GKE Ingress. */
    Gcp = "gcp",
    /** AKS + PostgreSQL Flexible Server + Azure Managed Redis + Blob + AKS ingress. */
    Azure = "azure",
    /** Any Kubernetes cluster; backing services external or in-cluster. */
    Kubernetes = "kubernetes",
}

/**
 * Size preset; each cloud maps it to instance classes, and the core to pod resources and pools.
 * Planning capacity, measured (`npm run bench -- capacity`, README "Sizing: users per replica"):
 * about 75 chat users per replica core within p95 2 s and first token p95 3 s; a replica uses at
 * most one core (one uvicorn worker). `openwebui plan` prints users at replicas.min and max.
 */
export enum SizePreset {
    /** 500m CPU per replica: ~37 users per replica (~110 at 3 replicas); small database and cache classes. */
    Small = "small",
    /** 1 CPU per replica: ~75 users per replica (~225 at 3, ~750 at 10 replicas). */
    Medium = "medium",
    /** 2 CPU per replica (the second core for sync work: extraction, tools): ~75 users per replica; the largest database and cache classes. Scale users with replicas.max. */
    Large = "large",
}

/** Where a backing service comes from. */
export enum ServiceMode {
    /** Created by the target cloud's managed service (default for aws/gcp/azure). */
    Managed = "managed",
    /** Brought by the user (URL or existing Kubernetes Secret). */
    External = "external",
    /** Single-instance pod with a persistent volume, for evaluation and on-prem. Not HA. */
    InCluster = "inCluster",
    /**
     * Highly available in the cluster: database a CloudNativePG `Cluster` (3 instances; the
     * operator must be installed), redis Valkey with Sentinel (3 Valkey + 3 Sentinels, the
     * component's own StatefulSets). Not offered for `storage` (use `sharedVolume` or `external`).
     */
    InClusterHa = "inClusterHa",
    /**
     * `storage` only: one ReadWriteMany volume mounted at Open WebUI's uploads directory on every
     * replica (`STORAGE_PROVIDER` unset); needs a StorageClass that does ReadWriteMany (NFS, CephFS,
     * EFS, Azure Files, Filestore, Longhorn RWX).
     */
    SharedVolume = "sharedVolume",
}

/** Preset of the kubernetes target's in-cluster data tier: the default mode of `database`, `redis` and `storage`. */
export enum DataTier {
    /** Single-instance StatefulSets (`inCluster`): evaluation and small on-prem. Not HA. */
    Single = "single",
    /** `inClusterHa` database and redis, `sharedVolume` storage. */
    HighlyAvailable = "highlyAvailable",
}

/** Vector store Open WebUI uses for RAG. The embedded Chroma is refused: it crashes with >1 process. */
export enum VectorStore {
    /** pgvector in the same Postgres (default; maintained by the Open WebUI team). */
    Pgvector = "pgvector",
    Qdrant = "qdrant",
    Milvus = "milvus",
    Opensearch = "opensearch",
    Elasticsearch = "elasticsearch",
    Pinecone = "pinecone",
    /** Chroma in HTTP (client/server) mode only; `url` must be set. */
    ChromaHttp = "chromaHttp",
}

/** Index method for pgvector. */
export enum PgvectorIndexMethod {
    Hnsw = "hnsw",
    Ivfflat = "ivfflat",
}

/** OTLP protocol used from Open WebUI to the collector and from the collector to the backend. */
export enum OtlpProtocol {
    Grpc = "grpc",
    Http = "http",
}

/** Trace sampler of the Open WebUI SDK (`OTEL_TRACES_SAMPLER`); the ratio ones read `otel.samplerRatio`. */
export enum OtelSampler {
    ParentBasedTraceIdRatio = "parentbased_traceidratio",
    ParentBasedAlwaysOn = "parentbased_always_on",
    TraceIdRatio = "traceidratio",
    AlwaysOn = "always_on",
    AlwaysOff = "always_off",
}

/** How strictly the Open WebUI pods are spread over zones (`topology.kubernetes.io/zone`). */
export enum ZoneSpread {
    /**
     * `whenUnsatisfiable: DoNotSchedule`: a pod that would unbalance the zones stays Pending.
     * Only safe where every node carries a zone label (EKS, GKE, AKS do); on a cluster without
     * zone labels every pod stays Pending ("missing required label").
     */
    Required = "required",
    /** `whenUnsatisfiable: ScheduleAnyway`: spread when the nodes have zones, schedule anyway when not. */
    Preferred = "preferred",
}

/** Engine for RAG embeddings. In-pod SentenceTransformers is refused at scale. */
export enum EmbeddingEngine {
    Openai = "openai",
    Ollama = "ollama",
}

/** Role of an account created by sign-up (`DEFAULT_USER_ROLE`). `admin` is not offered: every new account would administer the release. */
export enum DefaultUserRole {
    /** Waits for an administrator to approve it (Open WebUI's default). */
    Pending = "pending",
    /** A regular user at once. */
    User = "user",
}
