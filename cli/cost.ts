// `openwebui plan`'s cost estimate: the monthly list price of the managed services a plan creates,
// read from the planned resources' inputs (instance classes, HA replicas, provisioned storage) and
// the dated table in cli/prices.ts. An estimate: on-demand list prices, no discounts, usage-billed
// items listed apart, anything the table does not hold reported as not priced.
import { priceDatabase } from "./databaseCost";
import { CostLine, Pricer, pricer, round2, Unpriced, UsageLine } from "./pricer";
import { CostInput, PRICES, PriceTable } from "./prices";

export type { CostInput, CostLine, Unpriced, UsageLine };
import { Cloud, telemetryCost } from "./telemetryCost";

export interface CostEstimate {
    /** Always true: list prices from a dated table, not a quote. */
    estimate: true;
    currency: "USD";
    /** Date of the price table. */
    pricesAsOf: string;
    hoursPerMonth: number;
    /** Per cloud: the region priced, the factor applied and whether the table holds the region. */
    regions: { cloud: string; region: string; factor: number; inTable: boolean }[];
    lines: CostLine[];
    /** Sum of `lines`, USD per month, rounded to cents. */
    monthlyTotal: number;
    /** Billed by use: unit prices only, not in the total. */
    usage: UsageLine[];
    unpriced: Unpriced[];
    /** The pricing pages the figures come from. */
    sources: string[];
}

const known = (v: unknown): boolean => v !== undefined && v !== null && v !== "(computed)";

function cloudOf(type: string): Cloud | undefined {
    if (type.startsWith("aws:")) return "aws";
    if (type.startsWith("gcp:")) return "gcp";
    if (type.startsWith("azure-native:")) return "azure";
    return undefined;
}

/**
 * Region per cloud: the resources' own region/location inputs first, then the explicit provider's,
 * then stack config (`aws:region`, `gcp:region`, `azure-native:location`).
 */
function regionsOf(resources: CostInput[], config: Record<string, string>): Partial<Record<Cloud, string>> {
    const out: Partial<Record<Cloud, string>> = {};
    const set = (c: Cloud, v: unknown) => {
        // Azure's global resources (private DNS zones) say "global".
        if (!out[c] && typeof v === "string" && known(v) && v && v.toLowerCase() !== "global") out[c] = v.toLowerCase();
    };
    for (const r of resources) {
        const p = r.props ?? {};
        if (r.type === "aws:rds/clusterInstance:ClusterInstance" && typeof p.availabilityZone === "string")
            set("aws", p.availabilityZone.replace(/[a-z]$/, ""));
        if (r.type.startsWith("gcp:")) set("gcp", p.region);
        if (r.type.startsWith("azure-native:")) set("azure", p.location);
    }
    for (const r of resources) {
        if (r.type === "pulumi:providers:aws") set("aws", r.props?.region);
        if (r.type === "pulumi:providers:gcp") set("gcp", r.props?.region);
        if (r.type === "pulumi:providers:azure-native") set("azure", r.props?.location);
    }
    set("aws", config["aws:region"]);
    set("gcp", config["gcp:region"]);
    set("azure", config["azure-native:location"]);
    return out;
}

/** Estimates the monthly list price of the managed services among `resources`; undefined when there are none (kubernetes target). */
export function estimateCost(resources: CostInput[], config: Record<string, string> = {}, table: PriceTable = PRICES): CostEstimate | undefined {
    const created = resources.filter((r) => r.custom && !r.read && !r.type.startsWith("pulumi:providers:"));
    const clouds = new Set(created.map((r) => cloudOf(r.type)).filter((c): c is Cloud => !!c));
    if (clouds.size === 0) return undefined;
    const found = regionsOf(resources, config);
    const regionOf = (c: Cloud): string => found[c] ?? table[c].referenceRegion;
    const factorOf = (c: Cloud): number => table[c].regionFactors[regionOf(c)] ?? 1;
    const regions: CostEstimate["regions"] = [...clouds].map((c) => ({
        cloud: c,
        region: regionOf(c),
        factor: factorOf(c),
        inTable: table[c].regionFactors[regionOf(c)] !== undefined,
    }));
    const pr = pricer(table, factorOf);
    const albGroups = new Set<string>();
    for (const r of created) {
        priceDatabase(r, pr);
        priceCache(r, pr);
        priceStorage(r, pr);
        priceKeysAndLogs(r, pr);
        priceNetwork(r, pr);
        priceLoadBalancer(r, pr, albGroups);
    }
    telemetryCost(created, table, { line: pr.line, notPriced: pr.notPriced });
    return {
        estimate: true,
        currency: table.currency,
        pricesAsOf: table.asOf,
        hoursPerMonth: pr.H,
        regions,
        lines: pr.lines,
        monthlyTotal: round2(pr.lines.reduce((s, l) => s + l.monthly, 0)),
        usage: pr.usage,
        unpriced: pr.unpriced,
        sources: [...pr.sources].sort(),
    };
}

/** Caches: ElastiCache nodes, Memorystore Standard, Azure Managed Redis (not priced). */
function priceCache(r: CostInput, pr: Pricer): void {
    const { H, line, notPriced } = pr;
    const p = r.props ?? {};
    const { aws, gcp, azure: az } = pr.table;
    switch (r.type) {
        case "aws:elasticache/replicationGroup:ReplicationGroup": {
            const engine = String(p.engine ?? "redis");
            const nodes =
                typeof p.numCacheClusters === "number"
                    ? p.numCacheClusters
                    : typeof p.numNodeGroups === "number"
                      ? p.numNodeGroups * ((p.replicasPerNodeGroup ?? 0) + 1)
                      : 1;
            const price = aws.elasticacheNodeHour[engine]?.[p.nodeType];
            if (price === undefined) notPriced(r, `ElastiCache ${engine} node type ${p.nodeType} is not in the price table`);
            else
                line(
                    "aws",
                    r,
                    `ElastiCache ${engine} ${p.nodeType} x ${nodes} node${nodes > 1 ? "s" : ""} (primary${nodes > 1 ? " + replicas" : ""})`,
                    H * nodes,
                    "node-hours",
                    price,
                    aws.sources.elasticache,
                );
            break;
        }
        case "gcp:redis/instance:Instance": {
            const gb = Number(p.memorySizeGb);
            const tierPrice = gcp.memorystoreStandardGbHour.find((t) => gb <= t.upToGb)?.price;
            if (p.tier !== "STANDARD_HA") notPriced(r, `Memorystore tier ${p.tier} is not in the price table (Standard tier only)`);
            else if (!Number.isFinite(gb) || tierPrice === undefined) notPriced(r, `Memorystore size ${p.memorySizeGb} GB is not in the price table`);
            else line("gcp", r, `Memorystore for Redis Standard tier (primary + replica), ${gb} GB`, H * gb, "GB-hours", tierPrice, gcp.sources.memorystore);
            break;
        }
        case "azure-native:redisenterprise:RedisEnterprise":
            notPriced(r, `Azure Managed Redis ${p.sku?.name ?? ""} is not in the price table (see ${az.sources.managedRedis})`);
            break;
    }
}

/** Object storage: S3 and GCS usage prices; a Blob storage account is billed by use and not in the table. */
function priceStorage(r: CostInput, pr: Pricer): void {
    const { use, notPriced } = pr;
    const p = r.props ?? {};
    const { aws, gcp, azure: az } = pr.table;
    switch (r.type) {
        case "aws:s3/bucket:Bucket":
        case "aws:s3/bucketV2:BucketV2":
            use("aws", r, aws.usage.s3, aws.sources.s3);
            break;
        case "gcp:storage/bucket:Bucket":
            use("gcp", r, gcp.usage.gcs, gcp.sources.gcs);
            break;
        case "azure-native:storage:StorageAccount":
            notPriced(
                r,
                `Blob storage (${p.sku?.name ?? "?"}, ${p.accessTier ?? "Hot"}) is billed by use; its per-GB price is not in the table (see ${az.sources.blob})`,
            );
            break;
    }
}

/** A KMS customer managed key; a Log Analytics workspace (billed per GB, not in the table). */
function priceKeysAndLogs(r: CostInput, pr: Pricer): void {
    const { line, notPriced } = pr;
    const p = r.props ?? {};
    const aws = pr.table.aws;
    switch (r.type) {
        case "aws:kms/key:Key":
            line("aws", r, "KMS customer managed key", 1, "key-month", aws.kmsKeyMonth, aws.sources.kms);
            break;
        case "azure-native:operationalinsights:Workspace":
            notPriced(
                r,
                `Log Analytics (${p.sku?.name ?? "PerGB2018"}, ${p.retentionInDays ?? 30} days) is billed per GB ingested and per GB-month retained past 31 days; not in the table`,
            );
            break;
    }
}

/** Azure private endpoints: hourly, plus their per-GB usage prices. */
function priceNetwork(r: CostInput, pr: Pricer): void {
    const { H, line, use } = pr;
    const az = pr.table.azure;
    if (r.type === "azure-native:network:PrivateEndpoint") {
        line("azure", r, "Private endpoint", H, "hours", az.privateEndpointHour, az.sources.privateLink);
        use("azure", r, az.usage.privateEndpoint, az.sources.privateLink);
    }
}

/** Load balancers the cluster's controllers create from the component's Ingresses (one ALB per group). */
function priceLoadBalancer(r: CostInput, pr: Pricer, albGroups: Set<string>): void {
    const { H, line, use } = pr;
    if (r.type !== "kubernetes:networking.k8s.io/v1:Ingress") return;
    const p = r.props ?? {};
    const { aws, gcp } = pr.table;
    const ann = p.metadata?.annotations ?? {};
    if (p.spec?.ingressClassName === "alb" || ann["kubernetes.io/ingress.class"] === "alb") {
        const group = ann["alb.ingress.kubernetes.io/group.name"] ?? `ingress:${p.metadata?.namespace ?? ""}/${p.metadata?.name ?? r.name}`;
        if (!albGroups.has(group)) {
            albGroups.add(group);
            line("aws", r, "Application Load Balancer (created by the AWS Load Balancer Controller)", H, "hours", aws.albHour, aws.sources.alb);
            use("aws", r, aws.usage.alb, aws.sources.alb);
        }
    } else if (ann["kubernetes.io/ingress.class"] === "gce") {
        line(
            "gcp",
            r,
            "External Application Load Balancer forwarding rule (created by GKE Ingress)",
            H,
            "hours",
            gcp.forwardingRuleHour,
            gcp.sources.loadBalancer,
        );
        use("gcp", r, gcp.usage.loadBalancer, gcp.sources.loadBalancer);
    }
}

const usd = (n: number): string => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The estimate as text lines for `plan`'s output. */
export function renderCost(e: CostEstimate | undefined): string[] {
    if (!e) return ["Estimated cost: no managed cloud services in this plan (the in-cluster workloads run on your nodes; node cost is not estimated)."];
    const out: string[] = [];
    out.push(
        `Estimated monthly cost (ESTIMATE: on-demand list prices as of ${e.pricesAsOf}, ${e.currency}, ${e.hoursPerMonth} h/month; no discounts, taxes or usage):`,
    );
    for (const r of e.regions) {
        out.push(
            `  ${r.cloud} region ${r.region}: ${r.inTable ? (r.factor === 1 ? "reference prices" : `reference prices x ${r.factor} (approximate regional factor)`) : "not in the price table, priced at the reference region's prices"}`,
        );
    }
    for (const l of e.lines) {
        out.push(`  ${usd(l.monthly).padStart(11)}  ${l.resource}: ${l.item} (${l.quantity} ${l.unit} x $${l.unitPrice})`);
        if (l.note) out.push(`               ${l.note}`);
    }
    out.push(`  ${usd(e.monthlyTotal).padStart(11)}  total of the priced items`);
    if (e.usage.length) out.push(`  billed by use, not in the total: ${[...new Set(e.usage.map((u) => `${u.item} $${u.price}/${u.unit}`))].join("; ")}`);
    for (const u of e.unpriced) out.push(`  not priced: ${u.resource} (${u.type}): ${u.reason}`);
    out.push(`  sources: ${e.sources.join(" ")}`);
    return out;
}
