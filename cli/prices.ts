// The price table `openwebui plan` estimates monthly cost from. Plain data, dated, with the page
// each figure comes from. On-demand (pay-as-you-go) list prices in USD in each cloud's reference
// region, before taxes, discounts, reservations or credits.
//
// How the figures were taken: transcribed by hand from the public pricing pages listed in
// `sources` (this repository's machines cannot reach them, so nothing here is fetched or checked
// automatically). Refresh them, and `asOf`, when a page changes; tests/cost.test.ts holds the
// totals they produce for each example so a change is visible in review.
//
// What is left out on purpose: prices not transcribed (they are reported as "not priced", never
// guessed), and usage-billed items, which are listed with their unit price but not added to the total.

export interface UsagePrice {
    /** What is billed, e.g. "storage used". */
    item: string;
    /** Price per unit in USD. */
    price: number;
    /** Unit, e.g. "GB-month". */
    unit: string;
}

/**
 * Per-pod list prices the collector pods' requests are priced at: the clouds' pod-billed
 * offerings (EKS Fargate, GKE Autopilot, Azure Container Instances), a proxy for the node
 * capacity the requests reserve (the nodes themselves are not estimated).
 */
export interface PodPrices {
    /** What the figures are, for the line's note. */
    offering: string;
    vcpuHour: number;
    /** Per GiB-hour (Fargate and ACI say GB; the figure is the same unit in practice). */
    memoryGibHour: number;
}

/** Telemetry backend prices (usage-billed; `plan` turns them into lines with TELEMETRY_ASSUMPTIONS). */
export interface TelemetryPrices {
    /** Per GiB ingested: spans (when billed by volume) and logs. */
    spansIngestGib?: number;
    /** Per million spans ingested (when billed by count). */
    spansPerMillion?: number;
    logsIngestGib: number;
    /** Per GiB-month stored beyond `freeRetentionDays`. */
    logsStorageGibMonth: number;
    /** Days of retention included in the ingestion price (0: every stored GiB-month is billed). */
    freeRetentionDays: number;
    /** The free allotments, named in the notes, not subtracted: they are shared with the rest of the account or project. */
    freeSpans: string;
    freeLogs: string;
}

export interface CloudPrices {
    /** Region the hourly and monthly prices are for. */
    referenceRegion: string;
    /**
     * Approximate multipliers of the reference-region prices for other common regions (the ratio
     * of a few list prices on the same pages, rounded to 0.05). Regions not listed are estimated at
     * the reference-region price and flagged.
     */
    regionFactors: { [region: string]: number };
    sources: { [what: string]: string };
}

export interface AwsPrices extends CloudPrices {
    /** Aurora PostgreSQL (Aurora Standard), per instance-hour. */
    auroraInstanceHour: { [instanceClass: string]: number };
    /** RDS for PostgreSQL Single-AZ, per instance-hour; Multi-AZ (one standby) is twice this. */
    rdsInstanceHour: { [instanceClass: string]: number };
    /** RDS gp3 storage per GB-month, Single-AZ; Multi-AZ is twice this. */
    rdsGp3GbMonth: number;
    /** ElastiCache per node-hour, by engine. */
    elasticacheNodeHour: { [engine: string]: { [nodeType: string]: number } };
    kmsKeyMonth: number;
    albHour: number;
    pods: PodPrices;
    telemetry: TelemetryPrices;
    usage: { aurora: UsagePrice[]; s3: UsagePrice[]; alb: UsagePrice[] };
}

export interface GcpPrices extends CloudPrices {
    /** Cloud SQL for PostgreSQL, Enterprise edition, zonal; regional (HA) is twice each. */
    cloudSqlVcpuHour: number;
    cloudSqlMemoryGbHour: number;
    cloudSqlSsdGbMonth: number;
    /** Memorystore for Redis, Standard tier, per GB-hour by capacity tier (upper bound in GB inclusive). */
    memorystoreStandardGbHour: { upToGb: number; price: number }[];
    forwardingRuleHour: number;
    pods: PodPrices;
    telemetry: TelemetryPrices;
    usage: { cloudSql: UsagePrice[]; gcs: UsagePrice[]; loadBalancer: UsagePrice[] };
}

export interface AzurePrices extends CloudPrices {
    /** PostgreSQL Flexible Server compute per hour by SKU; zone-redundant HA is twice this. */
    postgresFlexibleHour: { [sku: string]: number };
    /** Premium SSD storage per GiB-month; HA doubles it. */
    postgresStorageGbMonth: number;
    privateEndpointHour: number;
    pods: PodPrices;
    telemetry: TelemetryPrices;
    usage: { privateEndpoint: UsagePrice[] };
}

export interface PriceTable {
    /** The day the figures were transcribed. */
    asOf: string;
    currency: "USD";
    /** Hours in the month the estimate multiplies hourly prices by (the clouds' own convention). */
    hoursPerMonth: number;
    aws: AwsPrices;
    gcp: GcpPrices;
    azure: AzurePrices;
}

/**
 * The volume `plan` assumes to price telemetry (nothing in the spec says how busy the service is).
 * Each figure is named in the line's note so a user can redo the math with their own.
 */
export const TELEMETRY_ASSUMPTIONS = {
    /** HTTP requests per Open WebUI replica per day (page loads, API calls, chat turns). */
    requestsPerReplicaDay: 100_000,
    /** Spans per sampled trace (the request, its database and Redis calls). */
    spansPerTrace: 10,
    /** Stored size of one span, KiB. */
    spanKib: 1,
    /** Log volume per Open WebUI replica per day, GiB. */
    logGibPerReplicaDay: 0.25,
};

export const PRICES: PriceTable = {
    asOf: "2026-12-03",
    currency: "USD",
    hoursPerMonth: 730,
    aws: {
        referenceRegion: "us-east-1",
        regionFactors: {
            "us-east-1": 1,
            "us-east-2": 1,
            "us-west-2": 1,
            "eu-west-1": 1.1,
            "eu-central-1": 1.15,
            "eu-west-2": 1.15,
            "ap-southeast-1": 1.2,
            "ap-northeast-1": 1.2,
        },
        sources: {
            aurora: "https://aws.amazon.com/rds/aurora/pricing/",
            rds: "https://aws.amazon.com/rds/postgresql/pricing/",
            elasticache: "https://aws.amazon.com/elasticache/pricing/",
            kms: "https://aws.amazon.com/kms/pricing/",
            alb: "https://aws.amazon.com/elasticloadbalancing/pricing/",
            s3: "https://aws.amazon.com/s3/pricing/",
            cloudwatch: "https://aws.amazon.com/cloudwatch/pricing/",
            fargate: "https://aws.amazon.com/fargate/pricing/",
        },
        auroraInstanceHour: { "db.t4g.medium": 0.073, "db.r6g.large": 0.26, "db.r6g.xlarge": 0.519, "db.r6g.2xlarge": 1.038, "db.r6g.4xlarge": 2.076 },
        rdsInstanceHour: { "db.t4g.medium": 0.065, "db.r6g.large": 0.225, "db.r6g.xlarge": 0.449, "db.r6g.2xlarge": 0.898, "db.r6g.4xlarge": 1.796 },
        rdsGp3GbMonth: 0.115,
        elasticacheNodeHour: {
            redis: { "cache.t4g.medium": 0.065, "cache.m7g.large": 0.158, "cache.r7g.large": 0.219 },
            // Valkey is listed 20% below Redis OSS for node-based clusters.
            valkey: { "cache.t4g.medium": 0.052, "cache.m7g.large": 0.1264, "cache.r7g.large": 0.1752 },
        },
        kmsKeyMonth: 1,
        albHour: 0.0225,
        // Telemetry and pod figures: well-known us-east-1 list prices, written down 2026-12-06 (pages in `sources`).
        pods: { offering: "EKS Fargate", vcpuHour: 0.04048, memoryGibHour: 0.004445 },
        // X-Ray's OTLP endpoint needs Transaction Search, which ingests spans as CloudWatch Logs
        // (log group aws/spans) at the logs price, 1 % indexed free; the classic $5 per million
        // traces recorded does not apply to it.
        telemetry: {
            spansIngestGib: 0.5,
            logsIngestGib: 0.5,
            logsStorageGibMonth: 0.03,
            freeRetentionDays: 0,
            freeSpans: "5 GB/month of CloudWatch Logs per account, shared with the logs",
            freeLogs: "5 GB/month per account",
        },
        usage: {
            aurora: [
                { item: "Aurora storage used", price: 0.1, unit: "GB-month" },
                { item: "Aurora I/O", price: 0.2, unit: "million requests" },
            ],
            s3: [{ item: "S3 Standard storage", price: 0.023, unit: "GB-month" }],
            alb: [{ item: "ALB load balancer capacity units", price: 0.008, unit: "LCU-hour" }],
        },
    },
    gcp: {
        referenceRegion: "us-central1",
        regionFactors: {
            "us-central1": 1,
            "us-east1": 1,
            "us-west1": 1,
            "europe-west1": 1.1,
            "europe-west4": 1.1,
            "europe-west3": 1.3,
            "asia-northeast1": 1.3,
        },
        sources: {
            cloudSql: "https://cloud.google.com/sql/pricing",
            memorystore: "https://cloud.google.com/memorystore/docs/redis/pricing",
            loadBalancer: "https://cloud.google.com/vpc/network-pricing#lb",
            gcs: "https://cloud.google.com/storage/pricing",
            observability: "https://cloud.google.com/stackdriver/pricing",
            autopilot: "https://cloud.google.com/kubernetes-engine/pricing",
        },
        cloudSqlVcpuHour: 0.0413,
        cloudSqlMemoryGbHour: 0.007,
        cloudSqlSsdGbMonth: 0.17,
        memorystoreStandardGbHour: [
            { upToGb: 4, price: 0.064 },
            { upToGb: 10, price: 0.035 },
            { upToGb: 35, price: 0.03 },
            { upToGb: 100, price: 0.02 },
            { upToGb: 300, price: 0.016 },
        ],
        forwardingRuleHour: 0.025,
        // Telemetry and pod figures: well-known us-central1 list prices, written down 2026-12-06 (pages in `sources`).
        pods: { offering: "GKE Autopilot general-purpose Pods", vcpuHour: 0.0445, memoryGibHour: 0.0049225 },
        telemetry: {
            spansPerMillion: 0.2,
            logsIngestGib: 0.5,
            logsStorageGibMonth: 0.01,
            freeRetentionDays: 30,
            freeSpans: "2.5 million spans/month per billing account",
            freeLogs: "50 GiB/month per project",
        },
        usage: {
            cloudSql: [{ item: "Cloud SQL backups", price: 0.08, unit: "GB-month" }],
            gcs: [{ item: "Cloud Storage Standard (regional)", price: 0.02, unit: "GB-month" }],
            loadBalancer: [{ item: "load balancer data processed", price: 0.008, unit: "GB" }],
        },
    },
    azure: {
        referenceRegion: "eastus",
        regionFactors: { eastus: 1, eastus2: 1, westus2: 1, northeurope: 1.05, westeurope: 1.15, uksouth: 1.15, germanywestcentral: 1.15 },
        sources: {
            postgres: "https://azure.microsoft.com/pricing/details/postgresql/flexible-server/",
            privateLink: "https://azure.microsoft.com/pricing/details/private-link/",
            managedRedis: "https://azure.microsoft.com/pricing/details/managed-redis/",
            blob: "https://azure.microsoft.com/pricing/details/storage/blobs/",
            monitor: "https://azure.microsoft.com/pricing/details/monitor/",
            containerInstances: "https://azure.microsoft.com/pricing/details/container-instances/",
        },
        postgresFlexibleHour: { Standard_D2ds_v5: 0.178, Standard_D4ds_v5: 0.356, Standard_D8ds_v5: 0.712, Standard_D16ds_v5: 1.424 },
        postgresStorageGbMonth: 0.115,
        privateEndpointHour: 0.01,
        // Telemetry and pod figures: well-known eastus list prices, written down 2026-12-06 (pages in `sources`).
        // ACI: $0.0000135 per vCPU-second, $0.0000015 per GB-second.
        pods: { offering: "Azure Container Instances (Linux)", vcpuHour: 0.0486, memoryGibHour: 0.0054 },
        // Application Insights (workspace-based) is billed as Log Analytics Analytics Logs; its data keeps 90 days free.
        telemetry: {
            spansIngestGib: 2.3,
            logsIngestGib: 2.3,
            logsStorageGibMonth: 0.1,
            freeRetentionDays: 90,
            freeSpans: "5 GB/month per billing account, shared with the logs",
            freeLogs: "5 GB/month per billing account",
        },
        usage: { privateEndpoint: [{ item: "Private Link data processed", price: 0.01, unit: "GB" }] },
    },
};

/** The planned resource fields the estimate reads (cli/planTypes.ts's PlannedResource). */
export interface CostInput {
    type: string;
    name: string;
    custom: boolean;
    read?: boolean;
    /** Display inputs (unknowns "(computed)", secrets masked). */
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a planned resource's inputs: untyped JSON of every provider, read field by field
    props: any;
}
