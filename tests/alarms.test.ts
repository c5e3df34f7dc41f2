// Cloud alarms on by default on aws, gcp and azure: the right metric on the release's own database,
// cache and load balancer, thresholds from the pool math (80 % of the max_connections the pools
// were sized against), the user's notification targets as actions; off with one switch; bad
// targets refused before anything is registered; none on kubernetes; the policy pack's rule.
import "./harness";
import * as assert from "assert";
import { invokes, one, ofType, registered, reset, settle, value } from "./harness";
import { CloudTarget, OpenWebUiCluster } from "../index";
import { ValidationError } from "../components/spec/errors";
import { AZURE_ARGS, SUB } from "./cloudFixtures";
import { runPolicies, urnFor } from "../policy/runner";
import { cloudAlarms } from "../policy/policies";

const AWS = {
    vpcId: "vpc-1",
    privateSubnetIds: ["subnet-a", "subnet-b"],
    eks: { clusterName: "prod", securityGroupIds: ["sg-1"] },
    certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
    region: "eu-west-1",
};
const GCP = { project: "proj-123", region: "europe-west1", network: "projects/proj-123/global/networks/vpc" };
const TOPIC = "arn:aws:sns:eu-west-1:123456789012:oncall";
const CHANNEL = "projects/proj-123/notificationChannels/1234567890";
const ACTION_GROUP = `${SUB}/resourceGroups/rg-ops/providers/microsoft.insights/actionGroups/oncall`;
const CLOUDS: [string, any, string, string][] = [
    ["aws", { target: CloudTarget.Aws, aws: AWS }, "aws:cloudwatch/metricAlarm:MetricAlarm", TOPIC],
    ["gcp", { target: CloudTarget.Gcp, gcp: GCP }, "gcp:monitoring/alertPolicy:AlertPolicy", CHANNEL],
    ["azure", { target: CloudTarget.Azure, tls: { secretName: "chat-tls" }, azure: AZURE_ARGS }, "azure-native:monitor:MetricAlert", ACTION_GROUP],
];
const ALARM_TYPES = CLOUDS.map((c) => c[2]);

/** Builds the component; returns the server max_connections the pools were sized against. */
async function build(args: any): Promise<number> {
    reset();
    const c = new OpenWebUiCluster("chat", { hostname: "chat.example.com", ...args });
    await settle();
    return value(c.databaseServerMaxConnections);
}
const alarms = () => registered.filter((r) => ALARM_TYPES.includes(r.type));
const names = () =>
    alarms()
        .map((r) => r.name)
        .sort();
/** 80 % of max_connections, rounded down, computed here (not with the code under test). */
const eighty = (max: number) => Math.floor(max * 0.8);

describe("cloud alarms (alarms.enabled, default on aws/gcp/azure)", () => {
    it("aws: RDS/Aurora, ElastiCache and ALB alarms with the pool math's limit, notifying the SNS topic", async () => {
        const lookups: any[] = [];
        const [lbInvoke, tgInvoke] = [invokes["aws:lb/getLoadBalancer:getLoadBalancer"], invokes["aws:lb/getTargetGroup:getTargetGroup"]];
        invokes["aws:lb/getLoadBalancer:getLoadBalancer"] = (i) => (lookups.push(i), lbInvoke(i));
        invokes["aws:lb/getTargetGroup:getTargetGroup"] = (i) => (lookups.push(i), tgInvoke(i));
        let max: number;
        try {
            max = await build({ ...CLOUDS[0][1], alarms: { notificationTargets: [TOPIC] } });
        } finally {
            invokes["aws:lb/getLoadBalancer:getLoadBalancer"] = lbInvoke;
            invokes["aws:lb/getTargetGroup:getTargetGroup"] = tgInvoke;
        }
        assert.deepStrictEqual(names(), [
            "chat-alarm-cache-evictions",
            "chat-alarm-cache-memory",
            "chat-alarm-db-connections",
            "chat-alarm-db-cpu",
            "chat-alarm-lb-5xx",
            "chat-alarm-lb-unhealthy",
        ]);
        const conn = one("aws:cloudwatch/metricAlarm:MetricAlarm", "chat-alarm-db-connections").plain;
        assert.strictEqual(conn.metricName, "DatabaseConnections");
        assert.strictEqual(conn.threshold, eighty(max));
        assert.ok(max > 0 && conn.threshold < max);
        assert.deepStrictEqual(conn.dimensions, { DBClusterIdentifier: "chat-db-c1", Role: "WRITER" }, "the release's Aurora writer");
        for (const a of alarms()) {
            assert.deepStrictEqual(a.plain.alarmActions, [TOPIC], a.name);
            assert.deepStrictEqual(a.plain.okActions, [TOPIC], a.name);
        }
        const cpu = one("aws:cloudwatch/metricAlarm:MetricAlarm", "chat-alarm-db-cpu").plain;
        assert.deepStrictEqual([cpu.metricName, cpu.threshold, cpu.period * cpu.evaluationPeriods], ["CPUUtilization", 80, 900]);
        const mem = one("aws:cloudwatch/metricAlarm:MetricAlarm", "chat-alarm-cache-memory").plain;
        assert.deepStrictEqual(
            mem.metricQueries.filter((q: any) => q.metric).map((q: any) => q.metric.dimensions.CacheClusterId),
            ["chat-cache-001", "chat-cache-002"],
            "every node of the replication group",
        );
        assert.strictEqual(mem.metricQueries.find((q: any) => q.returnData).expression, "MAX([m0,m1])");
        assert.strictEqual(mem.threshold, 80);
        const ev = one("aws:cloudwatch/metricAlarm:MetricAlarm", "chat-alarm-cache-evictions").plain;
        assert.deepStrictEqual([ev.metricQueries[0].metric.metricName, ev.threshold, ev.comparisonOperator], ["Evictions", 0, "GreaterThanThreshold"]);
        // The ALB is the controller's: found by the tags it sets for this Ingress.
        assert.deepStrictEqual(lookups.map((l) => l.tags["ingress.k8s.aws/resource"]).sort(), ["LoadBalancer", "open-webui/chat-chat:http"]);
        for (const l of lookups) assert.deepStrictEqual([l.tags["elbv2.k8s.aws/cluster"], l.tags["ingress.k8s.aws/stack"]], ["prod", "open-webui/chat"]);
        const fivexx = one("aws:cloudwatch/metricAlarm:MetricAlarm", "chat-alarm-lb-5xx").plain;
        assert.deepStrictEqual(
            fivexx.metricQueries.filter((q: any) => q.metric).map((q: any) => [q.metric.metricName, q.metric.dimensions.LoadBalancer]),
            [
                ["HTTPCode_Target_5XX_Count", "app/k8s-chat-0123456789/50dc6c495c0c9188"],
                ["RequestCount", "app/k8s-chat-0123456789/50dc6c495c0c9188"],
                ["HTTPCode_ELB_5XX_Count", "app/k8s-chat-0123456789/50dc6c495c0c9188"],
            ],
        );
        assert.deepStrictEqual([fivexx.threshold, fivexx.treatMissingData], [5, "notBreaching"]);
        const unhealthy = one("aws:cloudwatch/metricAlarm:MetricAlarm", "chat-alarm-lb-unhealthy").plain;
        assert.deepStrictEqual(
            [unhealthy.metricName, unhealthy.dimensions.TargetGroup, unhealthy.threshold],
            ["UnHealthyHostCount", "targetgroup/k8s-chat-abcdef/73e2d6bc24d8a067", 0],
        );
    });

    it("aws: RDS Multi-AZ gets a free-storage alarm at 15 % of the allocated storage; an explicit max_connections moves the threshold", async () => {
        const max = await build({ ...CLOUDS[0][1], database: { storageGb: 100, maxConnections: 1000 }, aws: { ...AWS, database: { engine: "rdsMultiAz" } } });
        assert.strictEqual(max, 1000);
        const conn = one("aws:cloudwatch/metricAlarm:MetricAlarm", "chat-alarm-db-connections").plain;
        assert.deepStrictEqual([conn.threshold, conn.dimensions], [800, { DBInstanceIdentifier: "chat-db-i1" }]);
        const storage = one("aws:cloudwatch/metricAlarm:MetricAlarm", "chat-alarm-db-storage").plain;
        assert.deepStrictEqual([storage.metricName, storage.comparisonOperator, storage.threshold], ["FreeStorageSpace", "LessThanThreshold", 15 * 1024 ** 3]);
        assert.strictEqual(storage.alarmActions.length, 0, "no target: visible, notifying no one");
    });

    it("gcp: Cloud SQL and Memorystore policies filtered to this release's instances, notifying the channel", async () => {
        const max = await build({ ...CLOUDS[1][1], alarms: { notificationTargets: [CHANNEL] } });
        assert.deepStrictEqual(names(), [
            "chat-alarm-cache-evictions",
            "chat-alarm-cache-memory",
            "chat-alarm-db-connections",
            "chat-alarm-db-cpu",
            "chat-alarm-db-storage",
        ]);
        const cond = (n: string) => one("gcp:monitoring/alertPolicy:AlertPolicy", `chat-alarm-${n}`).plain.conditions[0].conditionThreshold;
        const conn = cond("db-connections");
        assert.strictEqual(
            conn.filter,
            'resource.type = "cloudsql_database" AND resource.labels.database_id = "proj-123:chat-postgres" AND metric.type = "cloudsql.googleapis.com/database/postgresql/num_backends"',
        );
        assert.deepStrictEqual([conn.thresholdValue, conn.comparison, conn.aggregations[0].crossSeriesReducer], [eighty(max), "COMPARISON_GT", "REDUCE_SUM"]);
        assert.deepStrictEqual([cond("db-cpu").thresholdValue, cond("db-cpu").duration], [0.8, "900s"]);
        assert.match(cond("db-storage").filter, /database\/disk\/utilization"$/);
        assert.strictEqual(cond("db-storage").thresholdValue, 0.85);
        assert.match(
            cond("cache-memory").filter,
            /^resource\.type = "redis_instance" AND resource\.labels\.instance_id = "chat-redis-id" AND metric\.type = "redis\.googleapis\.com\/stats\/memory\/usage_ratio"$/,
        );
        assert.deepStrictEqual([cond("cache-memory").thresholdValue, cond("cache-evictions").thresholdValue], [0.8, 0]);
        for (const a of alarms()) assert.deepStrictEqual([a.plain.notificationChannels, a.plain.project], [[CHANNEL], "proj-123"], a.name);
    });

    it("azure: PostgreSQL and Managed Redis metric alerts scoped to their resources, acting through the Action Group", async () => {
        const max = await build({ ...CLOUDS[2][1], alarms: { notificationTargets: [ACTION_GROUP] } });
        assert.deepStrictEqual(names(), [
            "chat-alarm-cache-evictions",
            "chat-alarm-cache-memory",
            "chat-alarm-db-connections",
            "chat-alarm-db-cpu",
            "chat-alarm-db-storage",
        ]);
        const crit = (n: string) => one("azure-native:monitor:MetricAlert", `chat-alarm-${n}`).plain.criteria.allOf[0];
        assert.deepStrictEqual(
            [crit("db-connections").metricName, crit("db-connections").threshold, crit("db-connections").metricNamespace],
            ["active_connections", eighty(max), "Microsoft.DBforPostgreSQL/flexibleServers"],
        );
        assert.deepStrictEqual(
            [crit("db-cpu").metricName, crit("db-cpu").threshold, crit("db-storage").metricName, crit("db-storage").threshold],
            ["cpu_percent", 80, "storage_percent", 85],
        );
        assert.deepStrictEqual(
            [crit("cache-memory").metricName, crit("cache-memory").metricNamespace, crit("cache-evictions").metricName, crit("cache-evictions").threshold],
            ["usedmemorypercentage", "Microsoft.Cache/redisEnterprise", "evictedkeys", 0],
        );
        const db = one("azure-native:monitor:MetricAlert", "chat-alarm-db-connections").plain;
        assert.deepStrictEqual(db.scopes, ["chat-postgres-id"], "the release's server");
        assert.deepStrictEqual(one("azure-native:monitor:MetricAlert", "chat-alarm-cache-memory").plain.scopes, ["chat-redis-id"]);
        for (const a of alarms()) assert.deepStrictEqual(a.plain.actions, [{ actionGroupId: ACTION_GROUP }], a.name);
    });

    for (const [cloud, args] of CLOUDS) {
        it(`${cloud}: alarms.enabled=false creates none`, async () => {
            await build({ ...args, alarms: { enabled: false } });
            assert.ok(registered.length > 20, "the stack was built");
            assert.deepStrictEqual(names(), []);
        });
    }

    it("kubernetes: no cloud alarms; notification targets there are refused", async () => {
        await build({ target: CloudTarget.Kubernetes, alarms: { enabled: true } });
        assert.deepStrictEqual(names(), []);
        reset();
        assert.throws(
            () => new OpenWebUiCluster("chat", { hostname: "chat.example.com", target: CloudTarget.Kubernetes, alarms: { notificationTargets: [TOPIC] } }),
            (e: any) => e instanceof ValidationError && /alarms\.notificationTargets: .*otel\.prometheusRule/.test(e.message),
        );
    });

    it("bad notification targets are refused with the field, the value and the fix; nothing is created", async () => {
        const bad: [any, string[], RegExp][] = [
            [
                CLOUDS[0][1],
                ["arn:aws:sqs:eu-west-1:123456789012:queue"],
                /alarms\.notificationTargets\[0\]: got "arn:aws:sqs:eu-west-1:123456789012:queue"; give an SNS topic ARN/,
            ],
            [CLOUDS[0][1], [`${TOPIC}\nx`], /alarms\.notificationTargets\[0\]: .*give an SNS topic ARN/],
            [CLOUDS[0][1], [`https://evil.example/${TOPIC}`], /alarms\.notificationTargets\[0\]: .*give an SNS topic ARN/],
            [CLOUDS[0][1], ["arn:aws:sns:us-east-1:123456789012:oncall"], /alarms\.notificationTargets\[0\]: .*use a topic in eu-west-1/],
            [
                CLOUDS[1][1],
                ['projects/proj-123/notificationChannels/1" OR resource.type = "x'],
                /alarms\.notificationTargets\[0\]: .*projects\/<project id>\/notificationChannels\/<numeric id>/,
            ],
            [CLOUDS[1][1], [TOPIC], /give a Cloud Monitoring notification channel/],
            [CLOUDS[2][1], [`${ACTION_GROUP}/../../other`], /alarms\.notificationTargets\[0\]: .*give an Action Group resource id/],
            [CLOUDS[2][1], ["https://hooks.example.com/x"], /give an Action Group resource id/],
            [CLOUDS[0][1], [TOPIC, TOPIC], /alarms\.notificationTargets\[1\]: .*listed twice/],
            [CLOUDS[0][1], Array.from({ length: 6 }, (_, i) => `${TOPIC}${i}`), /alarms\.notificationTargets: got "6 targets"; give at most 5/],
        ];
        for (const [args, targets, re] of bad) {
            reset();
            assert.throws(
                () => new OpenWebUiCluster("chat", { hostname: "chat.example.com", ...args, alarms: { notificationTargets: targets } }),
                (e: any) => e instanceof ValidationError && re.test(e.message),
                `${targets[0]} -> ${re}`,
            );
            assert.strictEqual(registered.length, 0, "nothing registered");
        }
        reset();
        assert.throws(
            () => new OpenWebUiCluster("chat", { hostname: "chat.example.com", ...CLOUDS[0][1], alarms: { enabled: false, notificationTargets: [TOPIC] } }),
            /alarms\.notificationTargets: .*alarms\.enabled is false/,
        );
    });
});

describe("policy: owui-alarms", () => {
    const stack = () => registered.filter((r) => r.custom).map((r) => ({ type: r.type, name: r.name, urn: urnFor(r.type, r.name), props: r.plain }));
    const run = async () => (await runPolicies(stack(), { policies: [cloudAlarms], config: {} })).map((v) => v.message);

    for (const [cloud, args, , target] of CLOUDS) {
        it(`${cloud}: flags alarms turned off, and alarms notifying no one; clean with a target`, async () => {
            await build({ ...args, alarms: { enabled: false } });
            const off = await run();
            assert.ok(off.length >= 2 && off.every((m) => /has no (MetricAlarm|AlertPolicy|MetricAlert) in the stack/.test(m)), JSON.stringify(off));
            await build(args);
            const silent = await run();
            assert.strictEqual(silent.length, 1, JSON.stringify(silent));
            assert.match(silent[0], /notify no one/);
            await build({ ...args, alarms: { notificationTargets: [target] } });
            assert.deepStrictEqual(await run(), []);
        });
    }

    it("kubernetes (no managed services) is not checked; an unknown target list counts as set", async () => {
        await build({ target: CloudTarget.Kubernetes });
        assert.deepStrictEqual(await run(), []);
        await build(CLOUDS[0][1]);
        const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const unknown = stack().map((r) => (r.type === CLOUDS[0][2] ? { ...r, props: { ...r.props, alarmActions: U } } : r));
        assert.deepStrictEqual((await runPolicies(unknown, { policies: [cloudAlarms], config: {} })).length, 0);
        assert.ok(ofType(CLOUDS[0][2]).length > 0);
    });
});
