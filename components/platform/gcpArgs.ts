// Inputs of the gcp target (type-only: no cloud SDK import here, so the neutral core can
// reference it without loading the SDK).
//
// Schema rules (multi-language): interfaces, string enums, arrays, maps; no unions other
// than `T | undefined`. Values that decide what is created are plain; values that only
// flow into resources are `pulumi.Input`s.
import * as pulumi from "@pulumi/pulumi";

/** Weekly maintenance window (UTC) shared by Cloud SQL and Memorystore. */
export interface GcpMaintenanceWindow {
    /** Day of the week, 1 (Monday) to 7 (Sunday). Default: 7 (Sunday). */
    day?: number;
    /** Hour of the day in UTC, 0 to 23. Default: 3. */
    hour?: number;
}

/**
 * Settings of the `gcp` target: an existing GKE cluster (with Workload Identity) in an
 * existing VPC. The component creates Cloud SQL for PostgreSQL, Memorystore for Redis,
 * a GCS bucket, a Google service account bound through Workload Identity, and the GKE
 * Ingress load balancer (static IP, managed certificate, BackendConfig, FrontendConfig).
 */
export interface Gcp {
    /** Project id that holds the cluster and receives every cloud resource (e.g. `my-project`). Required. */
    project: string;
    /** Region of the cluster and of the regional services (e.g. `europe-west1`; not a zone). Required. */
    region: string;
    /**
     * VPC network of the GKE cluster, as an id (`projects/PROJECT/global/networks/NAME`) or a
     * self link (`https://www.googleapis.com/compute/v1/projects/PROJECT/global/networks/NAME`).
     * Cloud SQL and Memorystore get private IPs in it. Required.
     */
    network: pulumi.Input<string>;
    /**
     * Name of an existing private services access range (a `VPC_PEERING` global address)
     * already connected to `servicenetworking.googleapis.com` on `network`. Set it when the
     * VPC already has a private services access connection (creating a second one fails).
     * Default: none; the component reserves a range and creates the connection.
     */
    privateServiceAccessRange?: string;
    /** Prefix length of the private services access range the component reserves (8 to 24). Default: 16 (Google's recommendation). */
    privateServiceAccessPrefixLength?: number;
    /**
     * Workload Identity pool of the GKE cluster. The Kubernetes ServiceAccount is trusted as
     * `serviceAccount:<pool>[<namespace>/<ksa>]`. Default: `${project}.svc.id.goog`.
     */
    workloadIdentityPool?: string;
    /**
     * Cloud DNS managed zone (its name, in `project`) in which to create an `A` record for
     * `hostname` pointing at the load balancer's static IP. Default: none (manage DNS yourself).
     */
    dnsZone?: string;
    /**
     * Cloud SQL machine tier. Default: from `size`: small `db-custom-2-7680`,
     * medium `db-custom-4-16384`, large `db-custom-8-32768`. When you change it, also set
     * `database.maxConnections` to a value the tier's memory can hold.
     */
    databaseTier?: string;
    /** Cloud SQL edition: `ENTERPRISE` or `ENTERPRISE_PLUS` (which needs `db-perf-optimized-*` tiers). Default: `ENTERPRISE`. */
    databaseEdition?: string;
    /** Initial Cloud SQL disk size in GB (auto-resize stays on; later growth is not reverted). Default: 20. */
    databaseDiskSizeGb?: number;
    /**
     * Memorystore tier: `STANDARD_HA` (primary + replica in two zones, automatic failover) or
     * `BASIC` (single node, no failover). Default: `STANDARD_HA`, or `BASIC` when
     * `redis.highAvailability` is false. Setting `BASIC` here is the explicit opt-out of HA.
     */
    redisTier?: string;
    /** Memorystore capacity in GiB (1 to 300). Default: from `size`: 1 / 2 / 5. */
    redisMemorySizeGb?: number;
    /** Memorystore Redis version. Default: `REDIS_7_2`. */
    redisVersion?: string;
    /**
     * How Memorystore joins the VPC: `PRIVATE_SERVICE_ACCESS` (the same private services
     * access range as Cloud SQL) or `DIRECT_PEERING` (a dedicated peering). Default: `PRIVATE_SERVICE_ACCESS`.
     */
    redisConnectMode?: string;
    /** Weekly maintenance window for Cloud SQL and Memorystore. Default: Sunday 03:00 UTC. */
    maintenanceWindow?: GcpMaintenanceWindow;
    /** Location of the bucket. Default: `region`. */
    storageLocation?: string;
    /** Days to keep noncurrent (overwritten or deleted) object versions before deleting them; 0 keeps them forever. Default: 30. */
    noncurrentVersionRetentionDays?: number;
    /**
     * Name of an existing Compute SSL policy for the HTTPS frontend. Default: the component
     * creates one with profile `MODERN` and minimum TLS 1.2.
     */
    sslPolicy?: string;
    /** Name of an existing Cloud Armor security policy to attach to the backend. Default: none. */
    securityPolicy?: string;
    /**
     * Account id of the Google service account the pods run as (6 to 30 characters).
     * Default: `owui-<name>-<hash>`, unique per project/stack/component.
     */
    serviceAccountId?: string;
    /**
     * Customer-managed encryption key (CMEK) for Cloud SQL (`encryptionKeyName`, at creation only),
     * Memorystore (`customerManagedKey`) and the uploads bucket (`encryption.defaultKmsKeyName`):
     * `projects/<p>/locations/<region>/keyRings/<r>/cryptoKeys/<k>`, in the services' region. Grant
     * `roles/cloudkms.cryptoKeyEncrypterDecrypter` on it to the Cloud SQL, Memorystore and Cloud
     * Storage service agents first. Default: none (Google-managed keys).
     */
    kmsKeyName?: string;
}
