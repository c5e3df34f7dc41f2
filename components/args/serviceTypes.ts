// Args of the data services: database, Redis, object storage, vector store.
import * as pulumi from "@pulumi/pulumi";
import type { SecretKeyRef } from "./secretKeyRef";
import { ServiceMode, VectorStore, PgvectorIndexMethod } from "./enums";

/** Database (Postgres) settings. */
export interface Database {
    /** Where Postgres comes from. Default: `managed` on clouds, `inCluster` on `kubernetes` (`inClusterHa` with `kubernetes.dataTier: highlyAvailable`). */
    mode?: ServiceMode;
    /** Database name. Default: `openwebui`. */
    name?: string;
    /** Postgres major version for managed/in-cluster servers. Default: `16`. */
    version?: string;
    /** External mode: Secret key holding the full `postgresql://` URL (with `sslmode` if needed). */
    urlSecret?: SecretKeyRef;
    /** External mode: the URL itself (stored as a Pulumi secret and a Kubernetes Secret). */
    url?: pulumi.Input<string>;
    /** Server `max_connections`; required for external mode, known per size for managed mode. */
    maxConnections?: number;
    /** Per-engine SQLAlchemy pool size; default computed from `maxConnections` and `replicas.max`. */
    poolSize?: number;
    /** Per-engine pool overflow; default computed with `poolSize`. */
    poolMaxOverflow?: number;
    /** Share of `max_connections` the app may use (the rest is left for admins, backups, replicas). Default: 0.8. */
    connectionBudgetFraction?: number;
    /** Run `CREATE EXTENSION vector` from the app (needs a privileged role). Default: decided by the target. */
    createVectorExtension?: boolean;
    /**
     * Managed mode: verify the server's certificate against the cloud's CA, which the component
     * mounts into every client (AWS: the RDS root CAs, `verify-full`; Azure: DigiCert Global Root
     * G2/CA and Microsoft RSA Root CA 2017, `verify-full`; GCP: the instance's server CA,
     * `verify-ca`, since Cloud SQL's per-instance certificate names no IP address). False keeps
     * TLS without verification (`require`). Default: true.
     */
    verifyServerCertificate?: boolean;
    /** AWS only: authenticate with RDS IAM tokens instead of a password (`DATABASE_ENABLE_IAM_TOKEN_AUTH`). Default: false. */
    iamAuth?: boolean;
    /** Protect the managed database from deletion. Default: true. */
    deletionProtection?: boolean;
    /** Backup retention in days for managed databases. Default: 14. */
    backupRetentionDays?: number;
    /** Managed mode: make the server highly available (multi-AZ / regional / zone-redundant). Default: true. */
    highAvailability?: boolean;
    /** Storage in GiB: the in-cluster volume, or the allocated gp3 storage of AWS `rdsMultiAz` (20 to 65536). Default: 20. */
    storageGb?: number;
    /**
     * Seconds a new database connection may take before it fails (libpq `connect_timeout` in the
     * URLs the component builds, and `PGCONNECT_TIMEOUT` on every pod and Job, which also bounds a
     * user-provided URL without its own). 2 to 300. Default: 10.
     */
    connectTimeoutSeconds?: number;
    /**
     * Seconds sent data may stay unacknowledged before the connection is dropped (libpq
     * `tcp_user_timeout`, with TCP keepalives on: `keepalives=1`, idle/interval/count derived from
     * it), so a request on a dead network fails instead of waiting for the kernel's retransmission
     * limit (~15 min). Added to the URLs the component builds and to a `database.url` given by
     * value (parameters already in it win); a `urlSecret` URL needs them itself. 5 to 600. Default: 15.
     */
    tcpUserTimeoutSeconds?: number;
    /** `inClusterHa` mode: CloudNativePG instances (one primary, the rest streaming replicas), 2 to 9. Default: 3. */
    instances?: number;
    /**
     * `inClusterHa` mode: standbys that must confirm every commit before Open WebUI is answered
     * (CloudNativePG `postgresql.synchronous`, method `any`). 0 is CloudNativePG's default,
     * asynchronous replication: a failover can lose acknowledged writes (measured in
     * `tests/integration/failover.itest.ts` B2); with 1, none were lost (B1). Durability is
     * `required` (writes wait while too few standbys are healthy) when an instance is left to spare
     * (`instances` >= `synchronousReplicas` + 2), otherwise `preferred` (the quorum shrinks so writes
     * go on while a standby is down). 0 to `instances` - 1. Default: 1.
     */
    synchronousReplicas?: number;
    /**
     * `inClusterHa` mode: base backups and WAL archive to an S3-compatible bucket (CloudNativePG's
     * in-tree Barman object store, deprecated since 1.26 in favour of the Barman Cloud plugin,
     * which needs cert-manager) and a daily `ScheduledBackup`. Default: none: no backups (`plan`
     * says so).
     */
    backup?: DatabaseBackup;
}

/** CloudNativePG backups to S3 (`database.mode: inClusterHa`). */
export interface DatabaseBackup {
    /** Bucket and prefix, e.g. `s3://backups/openwebui`. Required. */
    destinationPath: string;
    /** S3 endpoint for S3-compatible stores (e.g. `https://s3.example.com`). Default: AWS S3. */
    endpointUrl?: string;
    /** Existing Secret of the release namespace with keys `ACCESS_KEY_ID` and `ACCESS_SECRET_KEY`. Required. */
    credentialsSecretName: string;
    /** Backups older than this are deleted (CloudNativePG `retentionPolicy`, e.g. `30d`). Default: `14d` (from `backupRetentionDays`). */
    retentionPolicy?: string;
    /** Six-field cron schedule (seconds first) of the `ScheduledBackup`. Default: `0 0 3 * * *` (daily 03:00). */
    schedule?: string;
}

/** Redis settings (required for more than one replica). */
export interface Redis {
    /** Where Redis comes from. Default: `managed` on clouds, `inCluster` on `kubernetes` (`inClusterHa` with `kubernetes.dataTier: highlyAvailable`). */
    mode?: ServiceMode;
    /** External mode: Secret key holding the full `redis://`/`rediss://` URL. */
    urlSecret?: SecretKeyRef;
    /** External mode: the URL itself (stored as a Pulumi secret and a Kubernetes Secret). */
    url?: pulumi.Input<string>;
    /** The Redis endpoint is a Redis Cluster (`REDIS_CLUSTER=true`). Default: false (the target decides for managed). */
    cluster?: boolean;
    /**
     * External mode: Sentinel hosts (`host[:port],...`, one port for all: Open WebUI takes the host
     * names in `REDIS_SENTINEL_HOSTS` and one `REDIS_SENTINEL_PORT`, default 26379); the URL host is
     * then the Sentinel master name. Sentinels with a password must use the master's (the URL's):
     * Open WebUI 0.12.1+ sends it to them (see README, Redis Sentinel). Default: none.
     */
    sentinelHosts?: string;
    /** Key prefix. Default: `open-webui`. */
    keyPrefix?: string;
    /**
     * `REDIS_SOCKET_CONNECT_TIMEOUT` seconds (TCP connect and TLS handshake), so failovers and a
     * frozen node do not hang pods: measured with 5, every request during a Redis freeze took 5 s
     * or more. Default: 2.
     */
    socketConnectTimeoutSeconds?: number;
    /**
     * `REDIS_SOCKET_TIMEOUT` seconds: how long one Redis command may wait for its answer (also the
     * websocket manager's publishes, through `WEBSOCKET_REDIS_OPTIONS`). Without it a frozen or
     * partitioned Redis hangs every request and the liveness probe. Measured by the HA drills
     * with a Redis frozen 20 s: none: /health 10 s, requests up to 11 s; 2 s: /health 3.7 s,
     * requests up to 6.7 s; 1 s (with a 2 s connect timeout): /health 1.6 s, requests up to
     * 4.5 s. Pub/sub listeners are not affected (they block without a timeout). Default: 1.
     */
    socketTimeoutSeconds?: number;
    /**
     * `REDIS_HEALTH_CHECK_INTERVAL` seconds: a pooled connection idle for longer is PINGed before
     * reuse, so a connection silently dropped by a failover or an idle timeout on the path is
     * replaced instead of failing a request. Keep it below the server's and the network's idle
     * timeouts. 0 turns it off. Default: 30.
     */
    healthCheckIntervalSeconds?: number;
    /** Managed mode: highly available (replicas + automatic failover). Default: true. */
    highAvailability?: boolean;
    /** In-cluster mode: persistent volume size in GiB. Default: 5. */
    storageGb?: number;
}

/** File storage for uploads. */
export interface Storage {
    /** Where the object store comes from. Default: `managed` on clouds, `inCluster` on `kubernetes` (`sharedVolume` with `kubernetes.dataTier: highlyAvailable`). */
    mode?: ServiceMode;
    /** Bucket/container name. Default: generated from the component name. */
    bucketName?: pulumi.Input<string>;
    /** External mode: S3-compatible endpoint URL (`S3_ENDPOINT_URL`). */
    s3EndpointUrl?: pulumi.Input<string>;
    /** External mode: S3 region. Default: `us-east-1`. */
    s3Region?: pulumi.Input<string>;
    /** External mode: Secret key holding the access key id (omit to use the pod identity). */
    s3AccessKeyIdSecret?: SecretKeyRef;
    /** External mode: Secret key holding the secret access key (omit to use the pod identity). */
    s3SecretAccessKeySecret?: SecretKeyRef;
    /** `S3_ADDRESSING_STYLE` for S3-compatible stores (`path`|`virtual`|`auto`). Default: `path` for external/in-cluster. */
    s3AddressingStyle?: string;
    /** Object key prefix (`S3_KEY_PREFIX`). Default: none. */
    keyPrefix?: string;
    /** Keep the bucket (managed mode) or the uploads claim (`sharedVolume` mode) when the stack is destroyed. Default: true. */
    retainOnDelete?: boolean;
    /** In-cluster mode: persistent volume size in GiB; `sharedVolume` mode: the ReadWriteMany volume's size. Default: 20. */
    storageGb?: number;
    /**
     * `sharedVolume` mode: a StorageClass that provisions ReadWriteMany volumes (NFS, CephFS, EFS,
     * Azure Files, Filestore, Longhorn). Classes known to be ReadWriteOnce only (`gp3`,
     * `standard-rwo`, `managed-csi`, `local-path`, ...) are refused. Default:
     * `kubernetes.storageClassName`, else the cluster's default class (which must do ReadWriteMany).
     */
    storageClassName?: string;
}

/** Vector store settings. */
export interface VectorStoreConfig {
    /** Vector database. Default: `pgvector`. */
    type?: VectorStore;
    /** URL of a non-pgvector vector database (QDRANT_URI, MILVUS_URI, ...). */
    url?: pulumi.Input<string>;
    /** Secret key holding the vector database API key (Qdrant/Pinecone/...). */
    apiKeySecret?: SecretKeyRef;
    /** pgvector index method. Default: `hnsw`. */
    pgvectorIndexMethod?: PgvectorIndexMethod;
    /**
     * `PGVECTOR_INITIALIZE_MAX_VECTOR_LENGTH`: the embedding dimensions, 1 to 4000. Above 2000
     * (e.g. 3072 for text-embedding-3-large) the vectors are stored as `halfvec`
     * (`PGVECTOR_USE_HALFVEC=true`). Default: 1536.
     */
    pgvectorMaxVectorLength?: number;
}

/** Type of the Open WebUI Service. */
export enum AppServiceType {
    /** Reachable inside the cluster only; the route (Ingress / HTTPRoute / the cloud's load balancer) carries the traffic. */
    ClusterIP = "ClusterIP",
    /** Also on a port of every node (30000-32767): for an external load balancer you run yourself. */
    NodePort = "NodePort",
    /** Also through a load balancer of the cluster (MetalLB, kube-vip, a cloud's L4 load balancer). */
    LoadBalancer = "LoadBalancer",
}

/** Service `externalTrafficPolicy` (types NodePort and LoadBalancer). */
export enum ExternalTrafficPolicy {
    /** Any node forwards to any pod; the pods see a node's address (SNAT). */
    Cluster = "Cluster",
    /** Only nodes running a pod answer; the pods see the client's address. */
    Local = "Local",
}

/**
 * The Open WebUI Service (the Helm chart's `service.*`). It serves plain HTTP on port 80: with a
 * type other than ClusterIP it is a second entry point beside the route, without the route's TLS.
 */
export interface AppService {
    /**
     * Service type. NodePort and LoadBalancer bring traffic from outside the cluster, which the
     * app's NetworkPolicy admits only from `network.loadBalancerSourceCidrs` (required with them
     * while `network.defaultDeny` is on). Default: `ClusterIP`.
     */
    type?: AppServiceType;
    /**
     * Extra Service annotations (MetalLB `metallb.universe.tf/*`, cloud L4 load balancer settings).
     * Keys the target's load balancer sets itself (GKE: `cloud.google.com/neg`,
     * `cloud.google.com/backend-config`) are refused. Default: none.
     */
    annotations?: { [key: string]: string };
    /**
     * `appProtocol` of the Service port (e.g. `http`, `kubernetes.io/h2c`, `kubernetes.io/ws`):
     * tells a service mesh or a Gateway implementation the protocol. Open WebUI speaks HTTP/1.1
     * (with websockets). Default: none.
     */
    appProtocol?: string;
    /** `loadBalancerClass` (type LoadBalancer only; immutable once set: a change replaces the Service). Default: none (the cluster's default implementation). */
    loadBalancerClass?: string;
    /** `externalTrafficPolicy` (types NodePort and LoadBalancer only). Default: Kubernetes' (`Cluster`). */
    externalTrafficPolicy?: ExternalTrafficPolicy;
    /** Node port of the `http` port (types NodePort and LoadBalancer; 30000-32767, the default node port range). Default: allocated by Kubernetes. */
    nodePort?: number;
}
