// `openwebui plan`'s cost estimate: every example planned per size preset and region, the priced
// lines checked against the size catalogs and the dated price table (HA replicas counted, regional
// factor applied), unknown SKUs reported rather than guessed, usage kept out of the total, and the
// estimate carried by the text and the JSON output.
import * as assert from "assert";
import * as path from "path";
import { plan, PlanResult, renderJson, renderText } from "../cli/plan";
import { CostEstimate, estimateCost } from "../cli/cost";
import { PRICES, TELEMETRY_ASSUMPTIONS } from "../cli/prices";
import { cpuCores, memoryGib, sampledFraction } from "../cli/telemetryCost";
import { registered, reset, settle, value } from "./harness";
import { TARGET_ARGS } from "./cloudFixtures";
import { OpenWebUiCluster } from "../index";
import { SizePreset } from "../components/args/types";
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
            near(
                e.monthlyTotal,
                e.lines.reduce((s, l) => s + l.monthly, 0),
                "total = sum of lines",
            );
            assert.ok(
                e.usage.some((u) => u.item === "S3 Standard storage") && e.usage.some((u) => u.item === "Aurora storage used"),
                "usage-billed items listed",
            );
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
        assert.deepStrictEqual(totals, { aws: 1082.05, gcp: 599.21, azure: 742.17 });
    });

    it("another region: the table's factor, or the reference prices flagged as such", async () => {
        const east = cost(
            await planned("aws", [
                "aws:region=us-east-1",
                "certificateArn=arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-0000-0000-000000000000",
            ]),
        );
        assert.deepStrictEqual(east.regions, [{ cloud: "aws", region: "us-east-1", factor: 1, inTable: true }]);
        near(linesOf(east, /^Aurora/)[0].unitPrice, PRICES.aws.auroraInstanceHour[DB_INSTANCE_CLASS[SizePreset.Medium]], "reference price");
        const far = cost(
            await planned("aws", [
                "aws:region=af-south-1",
                "certificateArn=arn:aws:acm:af-south-1:000000000000:certificate/00000000-0000-0000-0000-000000000000",
            ]),
        );
        assert.deepStrictEqual(far.regions, [{ cloud: "aws", region: "af-south-1", factor: 1, inTable: false }]);
        const text = renderText({
            ...(await planned("aws", [
                "aws:region=af-south-1",
                "certificateArn=arn:aws:acm:af-south-1:000000000000:certificate/00000000-0000-0000-0000-000000000000",
            ])),
        });
        assert.match(text, /aws region af-south-1: not in the price table, priced at the reference region's prices/);
    });

    it("an instance class the table does not hold is reported, not guessed, and left out of the total", () => {
        const e = estimateCost([
            {
                type: "aws:rds/clusterInstance:ClusterInstance",
                name: "w",
                custom: true,
                props: { instanceClass: "db.r8g.large", availabilityZone: "us-east-1a", promotionTier: 0 },
            },
            { type: "aws:kms/key:Key", name: "k", custom: true, props: {} },
        ])!;
        assert.deepStrictEqual(e.unpriced, [
            { resource: "w", type: "aws:rds/clusterInstance:ClusterInstance", reason: "Aurora instance class db.r8g.large is not in the price table" },
        ]);
        assert.strictEqual(e.monthlyTotal, PRICES.aws.kmsKeyMonth);
    });

    it("RDS Multi-AZ counts the standby's instance and storage; Single-AZ does not", () => {
        const rds = (multiAz: boolean) =>
            estimateCost(
                [
                    {
                        type: "aws:rds/instance:Instance",
                        name: "db",
                        custom: true,
                        props: { instanceClass: "db.r6g.large", multiAz, allocatedStorage: 100, storageType: "gp3" },
                    },
                ],
                { "aws:region": "us-east-1" },
            )!;
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
        assert.match(text, /\$599\.21 {2}total of the priced items/);
        assert.match(text, /sources: .*https:\/\/cloud\.google\.com\/sql\/pricing/);
        const json = JSON.parse(renderJson(r));
        assert.strictEqual(json.cost.estimate, true);
        assert.strictEqual(json.cost.pricesAsOf, PRICES.asOf);
        assert.strictEqual(json.cost.monthlyTotal, 599.21);
        assert.ok(json.cost.sources.length >= 3);
    });
});

// ---- telemetry: the collector pods and the cloud backends' ingestion ----------------------------

/** The estimate of the component built with the test harness (the plan above runs the examples). */
async function built(cloud: string, extra: any = {}): Promise<CostEstimate> {
    reset();
    new OpenWebUiCluster("chat", { hostname: "chat.example.com", ...TARGET_ARGS[cloud], ...extra });
    await settle();
    const resources = await Promise.all(registered.map(async (r) => ({ type: r.type, name: r.name, custom: r.custom, props: await value(r.plain) })));
    return estimateCost(resources)!;
}
const TELEMETRY = /^OpenTelemetry collector pods|spans|Cloud Trace|traces ingested|Logs ingested|Logging ingested|logs ingested|retention \(/;
const telemetryLines = (e: CostEstimate) => e.lines.filter((l) => TELEMETRY.test(l.item));
const traceLine = (e: CostEstimate) => e.lines.find((l) => /spans|Cloud Trace|traces ingested/.test(l.item))!;
const A = TELEMETRY_ASSUMPTIONS;
const DAYS = H / 24;

describe("plan: cost estimate, telemetry", function () {
    this.timeout(180_000);

    for (const [cloud, region] of [
        ["aws", "eu-west-1"],
        ["gcp", "europe-west1"],
        ["azure", "westeurope"],
    ] as const) {
        it(`${cloud} (example, medium): collector pods, traces after sampling and logs, each with the volume it assumes`, async () => {
            const e = cost(await planned(cloud));
            const f = (PRICES[cloud].regionFactors as Record<string, number>)[region];
            const P = PRICES[cloud];
            const [cpu, mem] = linesOf(e, /^OpenTelemetry collector pods/);
            assert.strictEqual(cpu.quantity, 0.1 * 2 * H, "100m x 2 replicas");
            near(cpu.monthly, 0.1 * 2 * H * P.pods.vcpuHour * f, "collector vCPU");
            near(mem.monthly, 0.25 * 2 * H * P.pods.memoryGibHour * f, "collector memory");
            const requests = A.requestsPerReplicaDay * 3 * DAYS;
            const spans = requests * 0.1 * A.spansPerTrace;
            const t = traceLine(e);
            if (cloud === "gcp") near(t.monthly, (spans / 1e6) * P.telemetry.spansPerMillion! * f, "Cloud Trace");
            else near(t.monthly, ((spans * A.spanKib) / 2 ** 20) * P.telemetry.spansIngestGib! * f, "spans by volume");
            assert.match(t.note!, /100,000 requests\/day per app replica x 3 replicas .* 0\.1 \(otel\.samplerRatio\) = 912,500 traces x 10 spans/);
            const [logs] = linesOf(e, /Logs ingested|Logging ingested|logs ingested/);
            near(logs.monthly, A.logGibPerReplicaDay * 3 * DAYS * P.telemetry.logsIngestGib * f, "logs ingestion");
            assert.match(logs.note!, /0\.25 GiB\/day per app replica x 3 replicas/);
            // CloudWatch bills every stored GiB-month; Cloud Logging and Application Insights include 30 and 90 days.
            assert.strictEqual(linesOf(e, /retention \(/).length, cloud === "aws" ? 1 : 0);
            assert.match(renderText(await planned(cloud)), /\n {15}assumes 100,000 requests\/day/);
        });
    }

    it("trace lines scale with otel.samplerRatio; logs and pods do not", async () => {
        for (const cloud of ["aws", "gcp", "azure"]) {
            const [tenth, fifth, none] = [
                await built(cloud),
                await built(cloud, { otel: { samplerRatio: 0.2 } }),
                await built(cloud, { otel: { samplerRatio: 0 } }),
            ];
            near(traceLine(fifth).quantity, 2 * traceLine(tenth).quantity, `${cloud} traces at 0.2`);
            assert.ok(traceLine(tenth).monthly > 0, cloud);
            assert.strictEqual(traceLine(none).monthly, 0, `${cloud} keeps no traces at 0`);
            const rest = (e: CostEstimate) =>
                telemetryLines(e)
                    .filter((l) => l !== traceLine(e))
                    .map((l) => l.monthly);
            assert.deepStrictEqual(rest(fifth), rest(tenth), cloud);
        }
    });

    it("more app replicas, more traces and logs; a longer Application Insights retention is billed past 90 days", async () => {
        const three = await built("gcp");
        const six = await built("gcp", { replicas: { min: 6, max: 10 } });
        near(traceLine(six).quantity, 2 * traceLine(three).quantity, "spans x replicas");
        const long = await built("azure", { otel: { logRetentionDays: 180 } });
        const [kept] = linesOf(long, /retention \(180 days/);
        near(kept.quantity, A.logGibPerReplicaDay * 3 * 90, "90 billed days");
    });

    it("no telemetry lines with otel.enabled: false", async () => {
        for (const cloud of ["aws", "gcp", "azure"]) {
            const on = await built(cloud);
            assert.ok(telemetryLines(on).length >= 4, `${cloud}: ${on.lines.map((l) => l.item)}`);
            const off = await built(cloud, { otel: { enabled: false } });
            assert.deepStrictEqual(telemetryLines(off), [], cloud);
            assert.ok(off.monthlyTotal < on.monthlyTotal, cloud);
        }
    });

    it("telemetry to the user's own backend: no lines, 'your backend, not priced'", async () => {
        const e = cost(await planned("aws", ["otlpEndpoint=https://otlp.example.com:4317"]));
        assert.deepStrictEqual(telemetryLines(e), []);
        assert.ok(
            e.unpriced.some((u) => u.resource === "chat-otel-collector" && /your backend, not priced/.test(u.reason)),
            JSON.stringify(e.unpriced),
        );
    });

    it("metrics to the cloud backend are reported as not priced, never guessed", async () => {
        const e = await built("gcp", { otel: { metrics: true } });
        assert.ok(e.unpriced.some((u) => /metrics .* billed per series/.test(u.reason)));
    });

    it("quantities and samplers are read as Kubernetes and OpenTelemetry write them", () => {
        assert.deepStrictEqual([cpuCores("100m"), cpuCores("2"), cpuCores("x")], [0.1, 2, undefined]);
        assert.deepStrictEqual([memoryGib("256Mi"), memoryGib("1Gi"), memoryGib("1G")], [0.25, 1, 1e9 / 2 ** 30]);
        assert.deepStrictEqual(
            ["always_on", "always_off", "parentbased_always_on"].map((s) => sampledFraction(s, "0.5")),
            [1, 0, 1],
        );
        assert.deepStrictEqual(
            [sampledFraction("parentbased_traceidratio", "0.1"), sampledFraction("traceidratio", "2"), sampledFraction("traceidratio", undefined)],
            [0.1, undefined, 1],
        );
    });
});
