// `openwebui plan`'s cost estimate: every example planned per size preset and region, the priced
// lines checked against the size catalogs and the dated price table (HA replicas counted, regional
// factor applied), unknown SKUs reported rather than guessed, usage kept out of the total, and the
// estimate carried by the text and the JSON output.
import * as assert from "assert";
import * as path from "path";
import { plan, PlanResult, renderJson, renderText } from "../cli/plan";
import { CostEstimate, estimateCost } from "../cli/cost";
import { PRICES } from "../cli/prices";
import { SizePreset } from "../components/types";
import { CACHE_NODE_TYPE, DB_INSTANCE_CLASS } from "../providers/aws/catalog";
import { GCP_DATABASE_SIZING, GCP_REDIS_MEMORY_GB } from "../providers/gcp";
import { POSTGRES_SKUS } from "../providers/azure/catalog";

const EXAMPLES = path.join(__dirname, "..", "examples");
const H = PRICES.hoursPerMonth;
const SIZES = [SizePreset.Small, SizePreset.Medium, SizePreset.Large];
const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 0.011, `${what}: ${a} != ${b}`);

async function planned(example: string, config: string[] = []): Promise<PlanResult> {
    const r = await plan({ programDir: path.join(EXAMPLES, example), transpileOnly: true, out: false, noPolicy: true, config });
    assert.strictEqual(r.error, undefined, r.error);
    return r;
}
const cost = (r: PlanResult): CostEstimate => {
    assert.ok(r.cost, "no cost estimate");
    return r.cost!;
};
const linesOf = (e: CostEstimate, re: RegExp) => e.lines.filter((l) => re.test(l.item));

describe("plan: cost estimate", function () {
    this.timeout(180_000);

    for (const size of SIZES) {
        it(`aws ${size}: two Aurora ${DB_INSTANCE_CLASS[size]} instances and two ElastiCache ${CACHE_NODE_TYPE[size]} nodes at eu-west-1's factor`, async () => {
            const e = cost(await planned("aws", [`size=${size}`]));
            assert.deepStrictEqual(e.regions, [{ cloud: "aws", region: "eu-west-1", factor: PRICES.aws.regionFactors["eu-west-1"], inTable: true }]);
            const f = PRICES.aws.regionFactors["eu-west-1"];
            const aurora = linesOf(e, /^Aurora PostgreSQL/);
            assert.strictEqual(aurora.length, 2, "writer + reader (HA) both priced");
            for (const l of aurora) near(l.monthly, H * PRICES.aws.auroraInstanceHour[DB_INSTANCE_CLASS[size]] * f, l.item);
            const [cache] = linesOf(e, /^ElastiCache valkey/);
            assert.strictEqual(cache.quantity, 2 * H, "primary + replica node-hours");
            near(cache.monthly, 2 * H * PRICES.aws.elasticacheNodeHour.valkey[CACHE_NODE_TYPE[size]] * f, cache.item);
            assert.strictEqual(linesOf(e, /^Application Load Balancer/).length, 1);
            near(e.monthlyTotal, e.lines.reduce((s, l) => s + l.monthly, 0), "total = sum of lines");
            assert.ok(e.usage.some((u) => u.item === "S3 Standard storage") && e.usage.some((u) => u.item === "Aurora storage used"), "usage-billed items listed");
            assert.deepStrictEqual(e.unpriced, []);
        });

        it(`gcp ${size}: Cloud SQL ${GCP_DATABASE_SIZING[size].tier} regional (HA doubles) and Memorystore Standard ${GCP_REDIS_MEMORY_GB[size]} GB`, async () => {
            const e = cost(await planned("gcp", [`size=${size}`]));
            const f = PRICES.gcp.regionFactors["europe-west1"];
            assert.strictEqual(e.regions[0].region, "europe-west1");
            const [, vcpu, mib] = /db-custom-(\d+)-(\d+)/.exec(GCP_DATABASE_SIZING[size].tier)!.map(Number);
            near(linesOf(e, /vCPUs, regional HA/)[0].monthly, H * vcpu * PRICES.gcp.cloudSqlVcpuHour * 2 * f, "vCPU");
            near(linesOf(e, /memory .*regional HA/)[0].monthly, H * (mib / 1024) * PRICES.gcp.cloudSqlMemoryGbHour * 2 * f, "memory");
            const gb = GCP_REDIS_MEMORY_GB[size];
            const tier = PRICES.gcp.memorystoreStandardGbHour.find((t) => gb <= t.upToGb)!.price;
            near(linesOf(e, /^Memorystore/)[0].monthly, H * gb * tier * f, "memorystore");
            assert.deepStrictEqual(e.unpriced, []);
        });

        it(`azure ${size}: PostgreSQL Flexible ${POSTGRES_SKUS[size]} zone-redundant (compute and storage doubled); Managed Redis reported as not priced`, async () => {
            const e = cost(await planned("azure", [`size=${size}`]));
            const f = PRICES.azure.regionFactors.westeurope;
            assert.strictEqual(e.regions[0].region, "westeurope", "the private DNS zones' location 'global' is not the region");
            near(linesOf(e, /compute, HA ZoneRedundant/)[0].monthly, H * PRICES.azure.postgresFlexibleHour[POSTGRES_SKUS[size]] * 2 * f, "compute");
            assert.strictEqual(linesOf(e, /^Private endpoint/).length, 2);
            assert.ok(e.unpriced.some((u) => u.type === "azure-native:redisenterprise:RedisEnterprise" && /not in the price table/.test(u.reason)));
        });
    }

    it("the examples' totals at medium (a price-table change shows here in review)", async () => {
        const totals: Record<string, number> = {};
        for (const c of ["aws", "gcp", "azure"]) totals[c] = cost(await planned(c)).monthlyTotal;
        assert.deepStrictEqual(totals, { aws: 1055.69, gcp: 575.52, azure: 648.38 });
    });

    it("another region: the table's factor, or the reference prices flagged as such", async () => {
        const east = cost(await planned("aws", ["aws:region=us-east-1", "certificateArn=arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000"]));
        assert.deepStrictEqual(east.regions, [{ cloud: "aws", region: "us-east-1", factor: 1, inTable: true }]);
        near(linesOf(east, /^Aurora/)[0].unitPrice, PRICES.aws.auroraInstanceHour[DB_INSTANCE_CLASS[SizePreset.Medium]], "reference price");
        const far = cost(await planned("aws", ["aws:region=af-south-1", "certificateArn=arn:aws:acm:af-south-1:000000000000:certificate/00000000-0000-0000-0000-000000000000"]));
        assert.deepStrictEqual(far.regions, [{ cloud: "aws", region: "af-south-1", factor: 1, inTable: false }]);
        const text = renderText({ ...(await planned("aws", ["aws:region=af-south-1", "certificateArn=arn:aws:acm:af-south-1:000000000000:certificate/00000000-0000-0000-0000-000000000000"])) });
        assert.match(text, /aws region af-south-1: not in the price table, priced at the reference region's prices/);
    });

    it("an instance class the table does not hold is reported, not guessed, and left out of the total", () => {
        const e = estimateCost([
            { type: "aws:rds/clusterInstance:ClusterInstance", name: "w", custom: true, props: { instanceClass: "db.r8g.large", availabilityZone: "us-east-1a", promotionTier: 0 } },
            { type: "aws:kms/key:Key", name: "k", custom: true, props: {} },
        ])!;
        assert.deepStrictEqual(e.unpriced, [{ resource: "w", type: "aws:rds/clusterInstance:ClusterInstance", reason: "Aurora instance class db.r8g.large is not in the price table" }]);
        assert.strictEqual(e.monthlyTotal, PRICES.aws.kmsKeyMonth);
    });

    it("RDS Multi-AZ counts the standby's instance and storage; Single-AZ does not", () => {
        const rds = (multiAz: boolean) => estimateCost([{ type: "aws:rds/instance:Instance", name: "db", custom: true, props: { instanceClass: "db.r6g.large", multiAz, allocatedStorage: 100, storageType: "gp3" } }], { "aws:region": "us-east-1" })!;
        near(rds(true).monthlyTotal, 2 * (H * PRICES.aws.rdsInstanceHour["db.r6g.large"] + 100 * PRICES.aws.rdsGp3GbMonth), "multi-AZ");
        near(rds(false).monthlyTotal, H * PRICES.aws.rdsInstanceHour["db.r6g.large"] + 100 * PRICES.aws.rdsGp3GbMonth, "single-AZ");
    });

    it("kubernetes target: no managed services, no estimate; the text says so and the JSON carries null", async () => {
        const r = await planned("kubernetes");
        assert.strictEqual(r.cost, undefined);
        assert.match(renderText(r), /Estimated cost: no managed cloud services in this plan/);
        assert.strictEqual(JSON.parse(renderJson(r)).cost, null);
    });

    it("text and --json mark it as an estimate with the table's date and sources", async () => {
        const r = await planned("gcp");
        const text = renderText(r);
        assert.match(text, new RegExp(`Estimated monthly cost \\(ESTIMATE: on-demand list prices as of ${PRICES.asOf}, USD, 730 h/month`));
        assert.match(text, /\$575\.52 {2}total of the priced items/);
        assert.match(text, /sources: .*https:\/\/cloud\.google\.com\/sql\/pricing/);
        const json = JSON.parse(renderJson(r));
        assert.strictEqual(json.cost.estimate, true);
        assert.strictEqual(json.cost.pricesAsOf, PRICES.asOf);
        assert.strictEqual(json.cost.monthlyTotal, 575.52);
        assert.ok(json.cost.sources.length >= 3);
    });
});
