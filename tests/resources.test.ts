// `OpenWebUiCluster.resources`: each field is the resource the component registered under that
// role (same URN, so same type and name), on every target, and `undefined` where the target or the
// spec does not create it. Also: a program can attach its own resources to them (README example),
// and they stay out of the multi-language schema.
import { registered, reset, settle, value } from "./harness";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import { OpenWebUiCluster, OpenWebUiClusterResources } from "../index";
import { TARGET_ARGS } from "./cloudFixtures";

/** The registered resource's type and name, or undefined where none is created. */
type Slot = readonly [type: string, name: string] | undefined;
// A Record, not a `-?` mapped type: `-?` would strip the `undefined` that the expectations use.
type Expected = Record<keyof OpenWebUiClusterResources, Slot>;

const K8S = {
    namespace: ["kubernetes:core/v1:Namespace", "chat-namespace"],
    serviceAccount: ["kubernetes:core/v1:ServiceAccount", "chat-serviceaccount"],
    deployment: ["kubernetes:apps/v1:Deployment", "chat"],
    migrationJob: ["kubernetes:batch/v1:Job", "chat-migrate"],
    service: ["kubernetes:core/v1:Service", "chat"],
    podDisruptionBudget: ["kubernetes:policy/v1:PodDisruptionBudget", "chat"],
    horizontalPodAutoscaler: ["kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "chat"],
    route: ["kubernetes:networking.k8s.io/v1:Ingress", "chat"],
} as const;
const COLLECTOR: [string, string] = ["kubernetes:apps/v1:Deployment", "chat-otel-collector"];
const NO_CLOUD = { database: undefined, cache: undefined, bucket: undefined, storageAccount: undefined, identity: undefined };

async function build(args: any): Promise<OpenWebUiCluster> {
    reset();
    const c = new OpenWebUiCluster("chat", { hostname: "chat.example.com", ...args });
    await settle();
    return c;
}

/** Each field of `c.resources` is the one registered resource of the expected type and name, or undefined. */
async function assertResources(c: OpenWebUiCluster, expected: Expected): Promise<void> {
    const got = c.resources as unknown as Record<string, { urn: any } | undefined>;
    assert.deepStrictEqual(Object.keys(got).sort(), Object.keys(expected).sort());
    for (const [field, want] of Object.entries(expected)) {
        if (want === undefined) {
            assert.strictEqual(got[field], undefined, `resources.${field} should be undefined`);
            continue;
        }
        const [type, name] = want;
        assert.ok(got[field], `resources.${field} missing`);
        assert.strictEqual(registered.filter((r) => r.type === type && r.name === name).length, 1, `one ${type} ${name} registered`);
        const urn = await value<string>(got[field]!.urn);
        // urn:pulumi:<stack>::<project>::<parent type>$<type>::<name>: this type and name, a child of the component.
        assert.ok(urn.endsWith(`::openwebui:index:OpenWebUiCluster$${type}::${name}`), `resources.${field}: ${urn} is not ${type} ${name} under the component`);
    }
}

describe("OpenWebUiCluster.resources", function () {
    this.timeout(60000);

    it("kubernetes: the Kubernetes objects, no cloud resources, no collector by default", async () => {
        const c = await build(TARGET_ARGS.kubernetes);
        await assertResources(c, { ...K8S, collector: undefined, ...NO_CLOUD });
    });

    it("kubernetes: no Namespace, HPA or route where none is created; the HTTPRoute; the collector", async () => {
        const c = await build({
            ...TARGET_ARGS.kubernetes,
            createNamespace: false,
            namespace: "team-chat",
            migrations: { maintenanceMode: true },
            otel: { enabled: true, debugOnly: true },
            kubernetes: { gateway: { name: "public", namespace: "gateways" } },
        });
        await assertResources(c, {
            ...K8S,
            namespace: undefined,
            horizontalPodAutoscaler: undefined,
            route: ["kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "chat"],
            collector: COLLECTOR,
            ...NO_CLOUD,
        });
        const none = await build({ ...TARGET_ARGS.kubernetes, kubernetes: { routing: "none" } });
        assert.strictEqual(none.resources.route, undefined);
    });

    // The default spec of each cloud: every data service managed, the collector exporting to the cloud.
    const CLOUDS: {
        [target: string]: { what: string; cloud: Pick<Expected, "database" | "cache" | "bucket" | "storageAccount" | "identity">; route?: Expected["route"] };
    } = {
        aws: {
            what: "the Aurora cluster, the replication group, the bucket, the pod role",
            cloud: {
                database: ["aws:rds/cluster:Cluster", "chat-db"],
                cache: ["aws:elasticache/replicationGroup:ReplicationGroup", "chat-cache"],
                bucket: ["aws:s3/bucket:Bucket", "chat-uploads"],
                storageAccount: undefined,
                identity: ["aws:iam/role:Role", "chat-pod-role"],
            },
        },
        gcp: {
            what: "the Cloud SQL instance, the Memorystore instance, the bucket, the Google service account",
            cloud: {
                database: ["gcp:sql/databaseInstance:DatabaseInstance", "chat-postgres"],
                cache: ["gcp:redis/instance:Instance", "chat-redis"],
                bucket: ["gcp:storage/bucket:Bucket", "chat-uploads"],
                storageAccount: undefined,
                identity: ["gcp:serviceaccount/account:Account", "chat-gsa"],
            },
        },
        azure: {
            what: "the flexible server, the Managed Redis cluster, the container and its storage account, the managed identity, the HTTPRoute (AGC)",
            cloud: {
                database: ["azure-native:dbforpostgresql:Server", "chat-postgres"],
                cache: ["azure-native:redisenterprise:RedisEnterprise", "chat-redis"],
                bucket: ["azure-native:storage:BlobContainer", "chat-uploads"],
                storageAccount: ["azure-native:storage:StorageAccount", "chat-storage"],
                identity: ["azure-native:managedidentity:UserAssignedIdentity", "chat-identity"],
            },
            route: ["kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "chat"],
        },
    };
    for (const [target, { what, cloud, route }] of Object.entries(CLOUDS)) {
        it(`${target}: ${what}`, async () => {
            const c = await build(TARGET_ARGS[target]);
            await assertResources(c, { ...K8S, ...(route ? { route } : {}), collector: COLLECTOR, ...cloud });
        });
    }

    it("aws (rdsMultiAz): the RDS instance; external Redis and storage leave cache and bucket undefined", async () => {
        const c = await build({
            ...TARGET_ARGS.aws,
            aws: { ...TARGET_ARGS.aws.aws, database: { engine: "rdsMultiAz" } },
            redis: { mode: "external", url: "rediss://:pw@redis.example.com:6380/0" },
            storage: { mode: "external", bucketName: "uploads", s3Region: "eu-west-1" },
        });
        await assertResources(c, {
            ...K8S,
            collector: COLLECTOR,
            database: ["aws:rds/instance:Instance", "chat-db"],
            cache: undefined,
            bucket: undefined,
            storageAccount: undefined,
            identity: ["aws:iam/role:Role", "chat-pod-role"],
        });
    });

    it("a program attaches its own resources to them (the README example)", async () => {
        const chat = await build(TARGET_ARGS.aws);
        const role = chat.resources.identity as aws.iam.Role;
        new aws.iam.RolePolicy("chat-bedrock", {
            role: role.name,
            policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "bedrock:InvokeModel", Resource: "*" }] }),
        });
        const db = chat.resources.database as aws.rds.Cluster;
        new aws.cloudwatch.MetricAlarm("chat-db-cpu", {
            namespace: "AWS/RDS",
            metricName: "CPUUtilization",
            dimensions: { DBClusterIdentifier: db.clusterIdentifier },
            statistic: "Average",
            period: 300,
            evaluationPeriods: 3,
            threshold: 80,
            comparisonOperator: "GreaterThanThreshold",
        });
        await settle();
        const policy = registered.find((r) => r.name === "chat-bedrock")!;
        assert.strictEqual(policy.plain.role, "chat-pod-role");
        const alarm = registered.find((r) => r.name === "chat-db-cpu")!;
        assert.strictEqual(alarm.plain.dimensions.DBClusterIdentifier, "chat-db-c1");
    });

    it("stays out of the multi-language schema (its cloud resources have no schema type)", () => {
        const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "schema.json"), "utf8"));
        const props = Object.keys(schema.resources["openwebui:index:OpenWebUiCluster"].properties);
        assert.ok(props.includes("deploymentName"), "control: the outputs are read");
        assert.ok(!props.includes("resources"));
    });
});
