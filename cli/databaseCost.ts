// `openwebui plan`'s database lines: Aurora, RDS for PostgreSQL, Cloud SQL and PostgreSQL
// Flexible Server, read from the planned resources' inputs at the list prices of cli/prices.ts.
import { Pricer, round2 } from "./pricer";
import { CostInput } from "./prices";

/** Databases: Aurora instances and cluster, RDS, Cloud SQL, PostgreSQL Flexible Server. */
export function priceDatabase(r: CostInput, pr: Pricer): void {
    const { H, line, use, notPriced } = pr;
    const p = r.props ?? {};
    const aws = pr.table.aws;
    switch (r.type) {
        case "aws:rds/clusterInstance:ClusterInstance": {
            const price = aws.auroraInstanceHour[p.instanceClass];
            if (price === undefined) notPriced(r, `Aurora instance class ${p.instanceClass} is not in the price table`);
            else
                line(
                    "aws",
                    r,
                    `Aurora PostgreSQL ${p.instanceClass} instance (${p.promotionTier === 0 ? "writer" : "reader / failover target"})`,
                    H,
                    "hours",
                    price,
                    aws.sources.aurora,
                );
            break;
        }
        case "aws:rds/cluster:Cluster":
            if (p.storageType === "aurora-iopt1")
                notPriced(r, "Aurora I/O-Optimized prices its instances and storage differently; the table holds Aurora Standard");
            else use("aws", r, aws.usage.aurora, aws.sources.aurora);
            break;
        case "aws:rds/instance:Instance":
            priceRdsInstance(r, p, pr);
            break;
        case "gcp:sql/databaseInstance:DatabaseInstance":
            priceCloudSql(r, p, pr);
            break;
        case "azure-native:dbforpostgresql:Server":
            priceAzurePostgres(r, p, pr);
            break;
    }
}

/** RDS for PostgreSQL: the instance and its gp3 storage, both doubled for Multi-AZ. */
function priceRdsInstance(r: CostInput, p: CostInput["props"], pr: Pricer): void {
    const { H, line, notPriced } = pr;
    const aws = pr.table.aws;
    const price = aws.rdsInstanceHour[p.instanceClass];
    const copies = p.multiAz === true ? 2 : 1;
    const az2 = copies === 2 ? "Multi-AZ" : "Single-AZ";
    if (price === undefined) notPriced(r, `RDS instance class ${p.instanceClass} is not in the price table`);
    else
        line(
            "aws",
            r,
            `RDS for PostgreSQL ${p.instanceClass} ${az2} (${copies} instance${copies > 1 ? "s" : ""})`,
            H,
            "hours",
            price * copies,
            aws.sources.rds,
        );
    if (typeof p.allocatedStorage === "number" && (p.storageType ?? "gp3") === "gp3")
        line("aws", r, `gp3 storage provisioned (${az2})`, p.allocatedStorage, "GB-month", aws.rdsGp3GbMonth * copies, aws.sources.rds);
    else if (typeof p.allocatedStorage === "number") notPriced(r, `RDS storage type ${p.storageType} is not in the price table`);
}

/** Cloud SQL Enterprise: vCPUs, memory and SSD of a custom tier, doubled for regional HA; its usage prices. */
function priceCloudSql(r: CostInput, p: CostInput["props"], pr: Pricer): void {
    const { H, line, use, notPriced } = pr;
    const gcp = pr.table.gcp;
    const s = p.settings ?? {};
    const m = /^db-custom-(\d+)-(\d+)$/.exec(String(s.tier ?? ""));
    const ha = s.availabilityType === "REGIONAL" ? 2 : 1;
    const label = ha === 2 ? "regional HA (primary + standby)" : "zonal";
    if (s.edition === "ENTERPRISE_PLUS") notPriced(r, "Cloud SQL Enterprise Plus is not in the price table (Enterprise edition only)");
    else if (!m)
        notPriced(r, `Cloud SQL tier ${s.tier} is not a custom tier (db-custom-<vCPU>-<MiB>); shared-core and predefined tiers are not in the price table`);
    else {
        const vcpu = Number(m[1]);
        const gb = Number(m[2]) / 1024;
        line("gcp", r, `Cloud SQL ${s.tier} vCPUs, ${label}`, H * vcpu, "vCPU-hours", gcp.cloudSqlVcpuHour * ha, gcp.sources.cloudSql);
        line("gcp", r, `Cloud SQL ${s.tier} memory (${gb} GB), ${label}`, round2(H * gb), "GB-hours", gcp.cloudSqlMemoryGbHour * ha, gcp.sources.cloudSql);
    }
    if (typeof s.diskSize === "number" && (s.diskType ?? "PD_SSD") === "PD_SSD")
        line("gcp", r, `Cloud SQL SSD storage provisioned, ${label}`, s.diskSize, "GB-month", gcp.cloudSqlSsdGbMonth * ha, gcp.sources.cloudSql);
    use("gcp", r, gcp.usage.cloudSql, gcp.sources.cloudSql);
}

/** PostgreSQL Flexible Server: compute and provisioned storage, doubled with HA. */
function priceAzurePostgres(r: CostInput, p: CostInput["props"], pr: Pricer): void {
    const { H, line, notPriced } = pr;
    const az = pr.table.azure;
    const sku = p.sku?.name;
    const ha = p.highAvailability?.mode === "ZoneRedundant" || p.highAvailability?.mode === "SameZone" ? 2 : 1;
    const label = ha === 2 ? `HA ${p.highAvailability.mode} (primary + standby)` : "no HA";
    const price = az.postgresFlexibleHour[sku];
    if (price === undefined) notPriced(r, `PostgreSQL Flexible Server SKU ${sku} is not in the price table`);
    else line("azure", r, `PostgreSQL Flexible Server ${sku} compute, ${label}`, H, "hours", price * ha, az.sources.postgres);
    const gb = p.storage?.storageSizeGB;
    if (typeof gb === "number")
        line("azure", r, `PostgreSQL Flexible Server storage provisioned, ${label}`, gb, "GiB-month", az.postgresStorageGbMonth * ha, az.sources.postgres);
}
