// The openwebui-ha policy pack, rule by rule: a violating and a compliant case for each, run
// through policy/runner.ts (fake ResourceValidationArgs/StackValidationArgs with the SDK's
// unknown-checking proxy, as official packs test themselves), the same path `openwebui plan` uses.
// Type tokens are asserted against the SDKs' `__pulumiType`, never guessed.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { AnalyzedResource, resourceArgs, runPolicies, stackArgs, urnFor, Violation } from "../policy/runner";
import * as P from "../policy/policies";

const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // engine sentinel for an unknown value

function res(type: string, name: string, props: any, extra: Partial<AnalyzedResource> = {}): AnalyzedResource {
    return { type, name, urn: urnFor(type, name), props, ...extra };
}

async function run(policy: P.PackPolicy, resources: AnalyzedResource[], config = {}): Promise<Violation[]> {
    return runPolicies(resources, { policies: [policy], config });
}

async function expectViolation(policy: P.PackPolicy, resources: AnalyzedResource[], resourceName: string | undefined, message: RegExp): Promise<Violation[]> {
    const v = await run(policy, resources);
    const hit = v.filter((x) => x.policyName === policy.name && x.resourceName === resourceName && message.test(x.message));
    assert.ok(
        hit.length > 0,
        `expected ${policy.name} on ${resourceName} matching ${message}, got ${JSON.stringify(v.map((x) => [x.resourceName, x.message]))}`,
    );
    assert.strictEqual(hit[0].enforcementLevel, policy.enforcementLevel);
    return v;
}

async function expectClean(policy: P.PackPolicy, resources: AnalyzedResource[]): Promise<void> {
    const v = await run(policy, resources);
    assert.deepStrictEqual(
        v.map((x) => `${x.resourceName}: ${x.message}`),
        [],
    );
}

// ---- Kubernetes builders ----------------------------------------------------------------------

type Env = { name: string; value?: any; valueFrom?: any };
const fromSecret = (name: string, key = name, secret = "owui"): Env => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
const HA_ENV: Env[] = [
    fromSecret("DATABASE_URL"),
    fromSecret("REDIS_URL"),
    { name: "WEBSOCKET_MANAGER", value: "redis" },
    { name: "ENABLE_WEBSOCKET_SUPPORT", value: "true" },
    { name: "VECTOR_DB", value: "pgvector" },
    fromSecret("WEBUI_SECRET_KEY"),
    { name: "ENABLE_DB_MIGRATIONS", value: "false" },
];

function withEnv(base: Env[], changes: Record<string, Env | null>): Env[] {
    const out = base.filter((e) => !(e.name in changes));
    for (const [k, v] of Object.entries(changes)) if (v) out.push({ ...v, name: k });
    return out;
}

interface WorkloadOpts {
    kind?: "Deployment" | "StatefulSet" | "Job" | "Pod";
    name?: string;
    namespace?: string;
    replicas?: any;
    env?: Env[];
    envFrom?: any[];
    image?: string;
    probes?: boolean;
    secure?: boolean;
    labels?: Record<string, string>;
}

const TYPE_OF_KIND: Record<string, string> = { Deployment: P.TYPES.deployment, StatefulSet: P.TYPES.statefulSet, Job: P.TYPES.job, Pod: P.TYPES.pod };

function workload(o: WorkloadOpts = {}): AnalyzedResource {
    const kind = o.kind ?? "Deployment";
    const labels = o.labels ?? { app: "open-webui" };
    const container: any = { name: "open-webui", image: o.image ?? "ghcr.io/open-webui/open-webui:v0.12.4", env: o.env ?? HA_ENV };
    if (o.envFrom) container.envFrom = o.envFrom;
    if (o.probes !== false) {
        container.startupProbe = { httpGet: { path: "/health", port: 8080 } };
        container.livenessProbe = { httpGet: { path: "/health", port: 8080 } };
        container.readinessProbe = { httpGet: { path: "/health/db", port: 8080 } };
    }
    const podSpec: any = { containers: [container] };
    if (o.secure !== false) {
        podSpec.securityContext = { runAsNonRoot: true, runAsUser: 1000 };
        container.securityContext = { allowPrivilegeEscalation: false };
    }
    const metadata = { name: o.name ?? "webui", namespace: o.namespace ?? "apps" };
    const name = o.name ?? "webui";
    if (kind === "Pod") return res(P.TYPES.pod, name, { apiVersion: "v1", kind, metadata: { ...metadata, labels }, spec: podSpec });
    const spec: any = { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } };
    if (o.replicas !== undefined) spec.replicas = o.replicas;
    return res(TYPE_OF_KIND[kind], name, { apiVersion: kind === "Job" ? "batch/v1" : "apps/v1", kind, metadata, spec });
}

const pdb = (namespace = "apps", matchLabels: Record<string, string> = { app: "open-webui" }) =>
    res(P.TYPES.pdb, `pdb-${namespace}`, {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: "webui", namespace },
        spec: { maxUnavailable: 1, selector: { matchLabels } },
    });
const hpa = (maxReplicas: number, target = "webui", extra: Partial<AnalyzedResource> = {}) =>
    res(
        P.TYPES.hpa,
        `hpa-${target}`,
        {
            apiVersion: "autoscaling/v2",
            kind: "HorizontalPodAutoscaler",
            metadata: { name: target, namespace: "apps" },
            spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: target }, minReplicas: 1, maxReplicas },
        },
        extra,
    );

// ---------------------------------------------------------------------------------------------

describe("policy pack: structure", () => {
    it("every type token matches the SDK class's __pulumiType", () => {
        const classes: Record<keyof typeof P.TYPES, [string, string]> = {
            deployment: ["@pulumi/kubernetes/apps/v1", "Deployment"],
            statefulSet: ["@pulumi/kubernetes/apps/v1", "StatefulSet"],
            replicaSet: ["@pulumi/kubernetes/apps/v1", "ReplicaSet"],
            daemonSet: ["@pulumi/kubernetes/apps/v1", "DaemonSet"],
            job: ["@pulumi/kubernetes/batch/v1", "Job"],
            cronJob: ["@pulumi/kubernetes/batch/v1", "CronJob"],
            pod: ["@pulumi/kubernetes/core/v1", "Pod"],
            service: ["@pulumi/kubernetes/core/v1", "Service"],
            configMap: ["@pulumi/kubernetes/core/v1", "ConfigMap"],
            secret: ["@pulumi/kubernetes/core/v1", "Secret"],
            hpa: ["@pulumi/kubernetes/autoscaling/v2", "HorizontalPodAutoscaler"],
            hpaV1: ["@pulumi/kubernetes/autoscaling/v1", "HorizontalPodAutoscaler"],
            pdb: ["@pulumi/kubernetes/policy/v1", "PodDisruptionBudget"],
            rdsCluster: ["@pulumi/aws/rds", "Cluster"],
            rdsClusterInstance: ["@pulumi/aws/rds", "ClusterInstance"],
            rdsInstance: ["@pulumi/aws/rds", "Instance"],
            rdsClusterParameterGroup: ["@pulumi/aws/rds", "ClusterParameterGroup"],
            rdsParameterGroup: ["@pulumi/aws/rds", "ParameterGroup"],
            securityGroup: ["@pulumi/aws/ec2", "SecurityGroup"],
            securityGroupRule: ["@pulumi/aws/ec2", "SecurityGroupRule"],
            securityGroupIngressRule: ["@pulumi/aws/vpc", "SecurityGroupIngressRule"],
            elasticacheReplicationGroup: ["@pulumi/aws/elasticache", "ReplicationGroup"],
            s3Bucket: ["@pulumi/aws/s3", "Bucket"],
            s3BucketV2: ["@pulumi/aws/s3", "BucketV2"],
            s3PublicAccessBlock: ["@pulumi/aws/s3", "BucketPublicAccessBlock"],
            s3BucketAcl: ["@pulumi/aws/s3", "BucketAcl"],
            s3BucketAclV2: ["@pulumi/aws/s3", "BucketAclV2"],
            iamAccessKey: ["@pulumi/aws/iam", "AccessKey"],
            cloudwatchMetricAlarm: ["@pulumi/aws/cloudwatch", "MetricAlarm"],
            sqlInstance: ["@pulumi/gcp/sql", "DatabaseInstance"],
            memorystoreInstance: ["@pulumi/gcp/redis", "Instance"],
            memorystoreCluster: ["@pulumi/gcp/redis", "Cluster"],
            gcsBucket: ["@pulumi/gcp/storage", "Bucket"],
            gcsBucketIamMember: ["@pulumi/gcp/storage", "BucketIAMMember"],
            gcsBucketIamBinding: ["@pulumi/gcp/storage", "BucketIAMBinding"],
            gcpServiceAccountKey: ["@pulumi/gcp/serviceaccount", "Key"],
            monitoringAlertPolicy: ["@pulumi/gcp/monitoring", "AlertPolicy"],
            pgFlexibleServer: ["@pulumi/azure-native/dbforpostgresql", "Server"],
            pgConfiguration: ["@pulumi/azure-native/dbforpostgresql", "Configuration"],
            pgFirewallRule: ["@pulumi/azure-native/dbforpostgresql", "FirewallRule"],
            redisEnterprise: ["@pulumi/azure-native/redisenterprise", "RedisEnterprise"],
            redisEnterpriseDatabase: ["@pulumi/azure-native/redisenterprise", "Database"],
            azureCacheRedis: ["@pulumi/azure-native/redis", "Redis"],
            storageAccount: ["@pulumi/azure-native/storage", "StorageAccount"],
            blobContainer: ["@pulumi/azure-native/storage", "BlobContainer"],
            lockByScope: ["@pulumi/azure-native/authorization", "ManagementLockByScope"],
            lockAtResourceLevel: ["@pulumi/azure-native/authorization", "ManagementLockAtResourceLevel"],
            lockAtResourceGroupLevel: ["@pulumi/azure-native/authorization", "ManagementLockAtResourceGroupLevel"],
            monitorMetricAlert: ["@pulumi/azure-native/monitor", "MetricAlert"],
        };
        assert.deepStrictEqual(Object.keys(classes).sort(), Object.keys(P.TYPES).sort());
        for (const [key, [mod, cls]] of Object.entries(classes)) {
            const t = require(mod)[cls]?.__pulumiType;
            assert.strictEqual((P.TYPES as any)[key], t, `${key}: ${mod}.${cls}.__pulumiType`);
        }
    });

    it("every policy has a unique name, a description, a remediation and a default level", () => {
        const names = P.policies.map((p) => p.name);
        assert.strictEqual(new Set(names).size, names.length);
        for (const p of P.policies) {
            assert.match(p.name, /^[a-z0-9-]+$/);
            assert.ok(p.description.length > 40, p.name);
            assert.ok(p.remediation.length > 30, p.name);
            assert.strictEqual(p.remediationSteps, p.remediation);
            assert.ok(["advisory", "mandatory"].includes(p.enforcementLevel), p.name);
        }
        const levels = Object.fromEntries(P.policies.map((p) => [p.name, p.enforcementLevel]));
        assert.deepStrictEqual(levels, {
            "owui-ha-requires-postgres": "mandatory",
            "owui-ha-requires-redis": "mandatory",
            "owui-ha-requires-external-vector-db": "mandatory",
            "owui-ha-shared-secret-key": "mandatory",
            "owui-ha-migrations-disabled-on-replicas": "mandatory",
            "owui-ha-health-probes": "mandatory",
            "owui-ha-pod-disruption-budget": "mandatory",
            "no-public-database-or-redis": "mandatory",
            "postgres-encryption-at-rest-and-in-transit": "mandatory",
            "redis-encryption-at-rest-and-in-transit": "mandatory",
            "object-storage-private-and-encrypted": "mandatory",
            "s3-bucket-has-public-access-block": "mandatory",
            "no-literal-secrets-in-pod-env": "mandatory",
            "no-static-cloud-storage-keys": "advisory",
            "cache-deletion-protection": "advisory",
            "owui-network-default-deny": "advisory",
            "owui-security-headers": "advisory",
            "load-balancer-access-logs": "advisory",
            "bucket-access-logs": "advisory",
            "azure-diagnostic-settings": "advisory",
            "storage-deletion-protection": "advisory",
            "owui-app-service-not-exposed": "advisory",
            "owui-pods-non-root": "mandatory",
            "database-deletion-protection": "advisory",
            "cnpg-cluster-durability": "advisory",
            "owui-import-keeps-data": "advisory",
            "owui-alarms": "advisory",
            "owui-telemetry": "advisory",
            "owui-pool-churn": "advisory",
        });
    });

    it("policy/README.md's rule table lists exactly the pack's rules, in order, with their default level and kind", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "policy", "README.md"), "utf8");
        const rows = readme
            .split("\n")
            .filter((l) => /^\| `[a-z0-9-]+` \|/.test(l))
            .map((l) => l.split("|").map((c) => c.trim()));
        const table = rows.map((c) => ({ name: c[1].replace(/`/g, ""), level: c[2], kind: c[3] }));
        const pack = P.policies.map((p) => ({ name: p.name, level: p.enforcementLevel, kind: P.isStackPolicy(p) ? "stack" : "resource" }));
        assert.deepStrictEqual(table, pack);
    });

    it("is a loadable CrossGuard pack directory whose index only constructs the PolicyPack", () => {
        const dir = path.join(__dirname, "..", "policy");
        const yaml = YAML.parse(fs.readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8"));
        assert.strictEqual(yaml.runtime, "nodejs");
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
        assert.ok(pkg.name && /^\d+\.\d+\.\d+/.test(pkg.version));
        assert.ok(pkg.dependencies["@pulumi/policy"] && pkg.dependencies["@pulumi/pulumi"]);
        const index = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
        assert.match(index, /new PolicyPack\(POLICY_PACK_NAME, \{\s*policies,/);
        assert.strictEqual(P.POLICY_PACK_NAME, "openwebui-ha");
    });

    it("enforcement levels are configurable (disabled, advisory) with the pack-config shape", async () => {
        const bad = [workload({ replicas: 3, env: withEnv(HA_ENV, { DATABASE_URL: null }) }), pdb()];
        assert.strictEqual((await run(P.haPostgres, bad, { "owui-ha-requires-postgres": "disabled" })).length, 0);
        const adv = await run(P.haPostgres, bad, { "owui-ha-requires-postgres": { enforcementLevel: "advisory" } });
        assert.strictEqual(adv.length, 1);
        assert.strictEqual(adv[0].enforcementLevel, "advisory");
        // imagePattern config: a renamed mirror image is recognised when configured
        const mirrored = [workload({ replicas: 3, image: "registry.corp/chat-ui:1", env: withEnv(HA_ENV, { DATABASE_URL: null }) })];
        assert.strictEqual((await run(P.haPostgres, mirrored)).length, 0);
        assert.strictEqual((await run(P.haPostgres, mirrored, { "owui-ha-requires-postgres": { imagePattern: "chat-ui" } })).length, 1);
    });

    it("identifies Open WebUI by image name, not by the organisation's other images", () => {
        assert.ok(P.isOwuiImage("ghcr.io/open-webui/open-webui:v0.12.4"));
        assert.ok(P.isOwuiImage("ghcr.io/open-webui/open-webui:v0.12.4@sha256:abc"));
        assert.ok(P.isOwuiImage("registry.corp:5000/mirror/open-webui-custom:1"));
        assert.ok(!P.isOwuiImage("ghcr.io/open-webui/pipelines:main"));
        assert.ok(!P.isOwuiImage("ghcr.io/open-webui/mcpo:latest"));
        assert.ok(!P.isOwuiImage("postgres:17"));
        assert.ok(!P.isOwuiImage(U));
    });

    it("fake args behave like the analyzer's: isType/asType by __pulumiType, props behind the unknown proxy", async () => {
        const { Cluster } = require("@pulumi/aws/rds");
        const args = resourceArgs(res(P.TYPES.rdsCluster, "db", { storageEncrypted: U }));
        assert.strictEqual(args.isType(Cluster), true);
        assert.throws(() => (args.props as any).storageEncrypted, /can't be known during preview/);
        // the rules read raw values and treat unknowns as "cannot judge now"
        assert.deepStrictEqual(
            await run(P.postgresEncryption, [
                res(P.TYPES.rdsCluster, "db", { storageEncrypted: U, engine: "aurora-postgresql", dbClusterParameterGroupName: "pg" }),
            ]),
            [],
        );
        const s = stackArgs([res(P.TYPES.pdb, "a", {}, { dependencies: [urnFor(P.TYPES.deployment, "b")] }), res(P.TYPES.deployment, "b", {})]);
        assert.strictEqual(s.resources[0].dependencies[0], s.resources[1]);
    });
});

describe("policy pack: HA rules", () => {
    it("owui-ha-requires-postgres", async () => {
        await expectViolation(
            P.haPostgres,
            [workload({ replicas: 3, env: withEnv(HA_ENV, { DATABASE_URL: { name: "", value: "sqlite:////app/backend/data/webui.db" } }) })],
            "webui",
            /SQLite/,
        );
        await expectViolation(P.haPostgres, [workload({ replicas: 2, env: withEnv(HA_ENV, { DATABASE_URL: null }) })], "webui", /DATABASE_URL is not set/);
        await expectViolation(
            P.haPostgres,
            [workload({ replicas: 1, env: withEnv(HA_ENV, { DATABASE_URL: null, UVICORN_WORKERS: { name: "", value: "4" } }) })],
            "webui",
            /UVICORN_WORKERS=4/,
        );
        await expectViolation(P.haPostgres, [workload({ env: withEnv(HA_ENV, { DATABASE_URL: null }) }), hpa(5)], "webui", /HPA maxReplicas=5/);
        // compliant: from a Secret; or a single process on SQLite
        await expectClean(P.haPostgres, [workload({ replicas: 3 })]);
        await expectClean(P.haPostgres, [workload({ replicas: 1, env: withEnv(HA_ENV, { DATABASE_URL: { name: "", value: "sqlite:///x.db" } }) }), hpa(1)]);
        // a non-Open WebUI image is not judged
        await expectClean(P.haPostgres, [workload({ replicas: 3, image: "nginx:1.27", env: [] })]);
    });

    it("owui-ha-requires-redis (env, envFrom ConfigMap resolution)", async () => {
        await expectViolation(P.haRedis, [workload({ replicas: 3, env: withEnv(HA_ENV, { REDIS_URL: null }) })], "webui", /REDIS_URL is not set/);
        await expectViolation(
            P.haRedis,
            [workload({ replicas: 3, env: withEnv(HA_ENV, { WEBSOCKET_MANAGER: { name: "", value: "local" } }) })],
            "webui",
            /WEBSOCKET_MANAGER="local"/,
        );
        await expectViolation(
            P.haRedis,
            [workload({ replicas: 3, env: withEnv(HA_ENV, { ENABLE_WEBSOCKET_SUPPORT: null }) })],
            "webui",
            /ENABLE_WEBSOCKET_SUPPORT is not set/,
        );
        await expectClean(P.haRedis, [workload({ replicas: 3 })]);
        const cm = res(P.TYPES.configMap, "cfg", {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "owui-env", namespace: "apps" },
            data: { WEBSOCKET_MANAGER: "redis", ENABLE_WEBSOCKET_SUPPORT: "true" },
        });
        const viaCm = workload({
            replicas: 3,
            env: withEnv(HA_ENV, { WEBSOCKET_MANAGER: null, ENABLE_WEBSOCKET_SUPPORT: null }),
            envFrom: [{ configMapRef: { name: "owui-env" } }],
        });
        await expectClean(P.haRedis, [viaCm, cm]);
        const badCm = res(P.TYPES.configMap, "cfg", {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "owui-env", namespace: "apps" },
            data: { WEBSOCKET_MANAGER: "local", ENABLE_WEBSOCKET_SUPPORT: "true" },
        });
        await expectViolation(P.haRedis, [viaCm, badCm], "webui", /WEBSOCKET_MANAGER="local"/);
    });

    it("owui-ha-requires-external-vector-db", async () => {
        await expectViolation(P.haVectorStore, [workload({ replicas: 3, env: withEnv(HA_ENV, { VECTOR_DB: null }) })], "webui", /embedded Chroma/);
        await expectViolation(
            P.haVectorStore,
            [workload({ replicas: 3, env: withEnv(HA_ENV, { VECTOR_DB: { name: "", value: "chroma" } }) })],
            "webui",
            /without CHROMA_HTTP_HOST/,
        );
        await expectClean(P.haVectorStore, [
            workload({ replicas: 3, env: withEnv(HA_ENV, { VECTOR_DB: { name: "", value: "chroma" }, CHROMA_HTTP_HOST: { name: "", value: "chroma.svc" } }) }),
        ]);
        await expectClean(P.haVectorStore, [workload({ replicas: 3, env: withEnv(HA_ENV, { VECTOR_DB: { name: "", value: "qdrant" } }) })]);
        await expectClean(P.haVectorStore, [workload({ replicas: 3 })]);
    });

    it("owui-ha-shared-secret-key", async () => {
        await expectViolation(
            P.haSharedSecretKey,
            [workload({ replicas: 3, env: withEnv(HA_ENV, { WEBUI_SECRET_KEY: { name: "", value: "s3cr3t" } }) })],
            "webui",
            /literal value/,
        );
        await expectViolation(P.haSharedSecretKey, [workload({ replicas: 3, env: withEnv(HA_ENV, { WEBUI_SECRET_KEY: null }) })], "webui", /not set/);
        await expectViolation(
            P.haSharedSecretKey,
            [workload({ replicas: 3, env: withEnv(HA_ENV, { WEBUI_SECRET_KEY: { name: "", valueFrom: { configMapKeyRef: { name: "cfg", key: "k" } } } }) })],
            "webui",
            /ConfigMap/,
        );
        const two = [
            workload({ replicas: 3 }),
            workload({ name: "webui-b", replicas: 3, env: withEnv(HA_ENV, { WEBUI_SECRET_KEY: fromSecret("WEBUI_SECRET_KEY", "key", "other") }) }),
        ];
        await expectViolation(P.haSharedSecretKey, two, undefined, /different Secrets \(owui\/WEBUI_SECRET_KEY, other\/key\)/);
        await expectClean(P.haSharedSecretKey, [workload({ replicas: 3 }), workload({ name: "webui-b", replicas: 3 })]);
    });

    it("owui-ha-migrations-disabled-on-replicas", async () => {
        await expectViolation(
            P.haMigrations,
            [workload({ replicas: 3, env: withEnv(HA_ENV, { ENABLE_DB_MIGRATIONS: null }) })],
            "webui",
            /not set \(defaults to true\)/,
        );
        await expectViolation(
            P.haMigrations,
            [workload({ kind: "StatefulSet", replicas: 2, env: withEnv(HA_ENV, { ENABLE_DB_MIGRATIONS: { name: "", value: "true" } }) })],
            "webui",
            /ENABLE_DB_MIGRATIONS="true"/,
        );
        await expectViolation(P.haMigrations, [workload({ env: withEnv(HA_ENV, { ENABLE_DB_MIGRATIONS: null }) }), hpa(4)], "webui", /HPA maxReplicas=4/);
        await expectClean(P.haMigrations, [workload({ replicas: 3 })]);
        // the one-shot migration Job runs them, by design
        await expectClean(P.haMigrations, [
            workload({ kind: "Job", name: "migrate", env: withEnv(HA_ENV, { ENABLE_DB_MIGRATIONS: { name: "", value: "true" } }) }),
        ]);
    });

    it("owui-ha-health-probes", async () => {
        await expectViolation(
            P.haProbes,
            [workload({ replicas: 3, probes: false })],
            "webui",
            /no liveness\/startup probe on \/health.*readiness probe missing/,
        );
        const wrong = workload({ replicas: 3 });
        const c = wrong.props.spec.template.spec.containers[0];
        c.livenessProbe.httpGet.path = "/healthz";
        delete c.startupProbe;
        c.readinessProbe.httpGet.path = "/";
        await expectViolation(P.haProbes, [wrong], "webui", /got \["\/healthz"\].*readiness probe on "\/"/);
        await expectClean(P.haProbes, [workload({ replicas: 3 })]);
    });

    it("owui-ha-pod-disruption-budget (stack-level)", async () => {
        await expectViolation(P.haPdb, [workload({ replicas: 3 })], "webui", /no PodDisruptionBudget/);
        await expectViolation(P.haPdb, [workload({ replicas: 3 }), pdb("other")], "webui", /no PodDisruptionBudget/);
        await expectViolation(P.haPdb, [workload({ replicas: 3 }), pdb("apps", { app: "something-else" })], "webui", /no PodDisruptionBudget/);
        await expectClean(P.haPdb, [workload({ replicas: 3 }), pdb()]);
        await expectClean(P.haPdb, [workload({ replicas: 1 })]);
        // HPA found through dependencies when the Deployment is auto-named
        const auto = workload({ replicas: undefined });
        delete auto.props.metadata.name;
        const scaler = hpa(6, "whatever", { propertyDependencies: { spec: [auto.urn] } });
        await expectViolation(P.haPdb, [auto, scaler], "webui", /HPA maxReplicas=6/);
    });
});

describe("policy pack: security rules", () => {
    it("no-public-database-or-redis", async () => {
        const pol = P.noPublicDataStores;
        await expectViolation(pol, [res(P.TYPES.rdsInstance, "db", { publiclyAccessible: true })], "db", /publiclyAccessible=true/);
        await expectViolation(pol, [res(P.TYPES.rdsClusterInstance, "db-1", { publiclyAccessible: true })], "db-1", /publiclyAccessible/);
        await expectViolation(
            pol,
            [res(P.TYPES.securityGroup, "sg", { ingress: [{ fromPort: 5432, toPort: 5432, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }] })],
            "sg",
            /0\.0\.0\.0\/0 on port 5432/,
        );
        await expectViolation(
            pol,
            [res(P.TYPES.securityGroup, "sg", { ingress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }] })],
            "sg",
            /0\.0\.0\.0\/0/,
        );
        await expectViolation(
            pol,
            [res(P.TYPES.securityGroupRule, "r", { type: "ingress", fromPort: 6379, toPort: 6379, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] })],
            "r",
            /port 6379/,
        );
        await expectViolation(
            pol,
            [res(P.TYPES.securityGroupIngressRule, "v", { fromPort: 6000, toPort: 7000, ipProtocol: "tcp", cidrIpv6: "::/0" })],
            "v",
            /::\/0 on port 6379/,
        );
        await expectViolation(
            pol,
            [res(P.TYPES.sqlInstance, "sql", { settings: { ipConfiguration: { ipv4Enabled: true, authorizedNetworks: [{ value: "0.0.0.0/0" }] } } })],
            "sql",
            /0\.0\.0\.0\/0/,
        );
        await expectViolation(pol, [res(P.TYPES.pgFlexibleServer, "pg", { network: { publicNetworkAccess: "Enabled" } })], "pg", /publicNetworkAccess=Enabled/);
        await expectViolation(pol, [res(P.TYPES.pgFirewallRule, "fw", { startIpAddress: "0.0.0.0", endIpAddress: "255.255.255.255" })], "fw", /whole internet/);
        await expectViolation(pol, [res(P.TYPES.redisEnterprise, "amr", { publicNetworkAccess: "Enabled" })], "amr", /publicNetworkAccess=Enabled/);
        await expectViolation(
            pol,
            [
                res(P.TYPES.service, "redis-lb", {
                    apiVersion: "v1",
                    kind: "Service",
                    metadata: { name: "redis" },
                    spec: { type: "LoadBalancer", ports: [{ port: 6379 }] },
                }),
            ],
            "redis-lb",
            /LoadBalancer on port 6379/,
        );
        await expectClean(pol, [
            res(P.TYPES.rdsInstance, "db", { publiclyAccessible: false }),
            res(P.TYPES.securityGroup, "sg", {
                ingress: [
                    { fromPort: 5432, toPort: 5432, protocol: "tcp", cidrBlocks: ["10.0.0.0/16"] },
                    { fromPort: 443, toPort: 443, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] },
                ],
            }),
            res(P.TYPES.securityGroupIngressRule, "v", { fromPort: 5432, toPort: 5432, ipProtocol: "tcp", referencedSecurityGroupId: U }),
            res(P.TYPES.sqlInstance, "sql", { settings: { ipConfiguration: { ipv4Enabled: false, privateNetwork: "projects/p/global/networks/n" } } }),
            res(P.TYPES.pgFlexibleServer, "pg", { network: { publicNetworkAccess: "Disabled", delegatedSubnetResourceId: U } }),
            res(P.TYPES.redisEnterprise, "amr", { publicNetworkAccess: "Disabled" }),
            res(P.TYPES.service, "redis", {
                apiVersion: "v1",
                kind: "Service",
                metadata: { name: "redis" },
                spec: { type: "ClusterIP", ports: [{ port: 6379 }] },
            }),
            res(P.TYPES.service, "web", {
                apiVersion: "v1",
                kind: "Service",
                metadata: { name: "web" },
                spec: { type: "LoadBalancer", ports: [{ port: 443, targetPort: 8080 }] },
            }),
        ]);
    });

    it("postgres-encryption-at-rest-and-in-transit", async () => {
        const pol = P.postgresEncryption;
        await expectViolation(
            pol,
            [res(P.TYPES.rdsCluster, "db", { engine: "aurora-postgresql", storageEncrypted: false, dbClusterParameterGroupName: "pg" })],
            "db",
            /storageEncrypted=false/,
        );
        await expectViolation(
            pol,
            [res(P.TYPES.rdsCluster, "db", { engine: "aurora-postgresql", storageEncrypted: true })],
            "db",
            /default cluster parameter group/,
        );
        await expectViolation(
            pol,
            [
                res(P.TYPES.rdsClusterParameterGroup, "pg", {
                    family: "aurora-postgresql16",
                    parameters: [{ name: "log_min_duration_statement", value: "500" }],
                }),
            ],
            "pg",
            /does not set rds\.force_ssl=1/,
        );
        await expectViolation(
            pol,
            [res(P.TYPES.rdsParameterGroup, "pg", { family: "postgres16", parameters: [{ name: "rds.force_ssl", value: "0" }] })],
            "pg",
            /rds\.force_ssl=0/,
        );
        await expectViolation(
            pol,
            [res(P.TYPES.sqlInstance, "sql", { settings: { ipConfiguration: { sslMode: "ALLOW_UNENCRYPTED_AND_ENCRYPTED" } } })],
            "sql",
            /sslMode=ALLOW_UNENCRYPTED/,
        );
        await expectViolation(
            pol,
            [res(P.TYPES.pgConfiguration, "tls", { configurationName: "require_secure_transport", value: "off", source: "user-override" })],
            "tls",
            /require_secure_transport off/,
        );
        await expectClean(pol, [
            res(P.TYPES.rdsCluster, "db", { engine: "aurora-postgresql", storageEncrypted: true, dbClusterParameterGroupName: U }),
            res(P.TYPES.rdsClusterParameterGroup, "pg", { family: "aurora-postgresql16", parameters: [{ name: "rds.force_ssl", value: "1" }] }),
            res(P.TYPES.rdsParameterGroup, "mysql", { family: "mysql8.0", parameters: [] }),
            // Aurora's instance group (max_connections): rds.force_ssl lives in the cluster group.
            res(P.TYPES.rdsParameterGroup, "aurora-instance", { family: "aurora-postgresql16", parameters: [{ name: "max_connections", value: "2000" }] }),
            res(P.TYPES.sqlInstance, "sql", { settings: { ipConfiguration: { sslMode: "ENCRYPTED_ONLY" } } }),
            res(P.TYPES.pgConfiguration, "tls", { configurationName: "require_secure_transport", value: "on" }),
        ]);
    });

    it("redis-encryption-at-rest-and-in-transit", async () => {
        const pol = P.redisEncryption;
        await expectViolation(
            pol,
            [res(P.TYPES.elasticacheReplicationGroup, "rg", { atRestEncryptionEnabled: false, transitEncryptionEnabled: true })],
            "rg",
            /atRestEncryptionEnabled=false/,
        );
        await expectViolation(
            pol,
            [res(P.TYPES.elasticacheReplicationGroup, "rg", { atRestEncryptionEnabled: true })],
            "rg",
            /transitEncryptionEnabled=undefined/,
        );
        await expectViolation(pol, [res(P.TYPES.memorystoreInstance, "ms", { transitEncryptionMode: "DISABLED" })], "ms", /transitEncryptionMode=DISABLED/);
        await expectViolation(pol, [res(P.TYPES.memorystoreCluster, "mc", {})], "mc", /unset/);
        await expectViolation(pol, [res(P.TYPES.redisEnterpriseDatabase, "db", { clientProtocol: "Plaintext" })], "db", /Plaintext/);
        await expectViolation(pol, [res(P.TYPES.redisEnterprise, "amr", { minimumTlsVersion: "1.0" })], "amr", /TLS 1\.0/);
        await expectClean(pol, [
            res(P.TYPES.elasticacheReplicationGroup, "rg", {
                atRestEncryptionEnabled: true,
                transitEncryptionEnabled: true,
                transitEncryptionMode: "required",
            }),
            res(P.TYPES.memorystoreInstance, "ms", { transitEncryptionMode: "SERVER_AUTHENTICATION" }),
            res(P.TYPES.memorystoreCluster, "mc", { transitEncryptionMode: "TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION" }),
            res(P.TYPES.redisEnterpriseDatabase, "db", { clientProtocol: "Encrypted" }),
            res(P.TYPES.redisEnterprise, "amr", { minimumTlsVersion: "1.2" }),
        ]);
    });

    it("object-storage-private-and-encrypted", async () => {
        const pol = P.bucketSecurity;
        await expectViolation(
            pol,
            [
                res(P.TYPES.s3PublicAccessBlock, "pab", {
                    bucket: U,
                    blockPublicAcls: true,
                    blockPublicPolicy: false,
                    ignorePublicAcls: true,
                    restrictPublicBuckets: true,
                }),
            ],
            "pab",
            /blockPublicPolicy/,
        );
        await expectViolation(pol, [res(P.TYPES.s3Bucket, "b", { acl: "public-read" })], "b", /acl=public-read/);
        await expectViolation(pol, [res(P.TYPES.s3BucketAclV2, "acl", { acl: "public-read-write" })], "acl", /public-read-write/);
        await expectViolation(
            pol,
            [res(P.TYPES.gcsBucket, "g", { uniformBucketLevelAccess: true, publicAccessPrevention: "inherited" })],
            "g",
            /publicAccessPrevention=inherited/,
        );
        await expectViolation(pol, [res(P.TYPES.gcsBucket, "g", { publicAccessPrevention: "enforced" })], "g", /uniformBucketLevelAccess=undefined/);
        await expectViolation(
            pol,
            [res(P.TYPES.gcsBucketIamMember, "m", { bucket: "b", role: "roles/storage.objectViewer", member: "allUsers" })],
            "m",
            /allUsers/,
        );
        await expectViolation(pol, [res(P.TYPES.storageAccount, "sa", { enableHttpsTrafficOnly: true })], "sa", /allowBlobPublicAccess=undefined/);
        await expectViolation(
            pol,
            [res(P.TYPES.storageAccount, "sa", { allowBlobPublicAccess: false, enableHttpsTrafficOnly: false })],
            "sa",
            /enableHttpsTrafficOnly=false/,
        );
        await expectViolation(pol, [res(P.TYPES.blobContainer, "c", { publicAccess: "Container" })], "c", /publicAccess=Container/);
        await expectClean(pol, [
            res(P.TYPES.s3PublicAccessBlock, "pab", {
                bucket: U,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            }),
            res(P.TYPES.s3Bucket, "b", { bucket: "x" }),
            res(P.TYPES.gcsBucket, "g", { uniformBucketLevelAccess: true, publicAccessPrevention: "enforced" }),
            res(P.TYPES.storageAccount, "sa", { allowBlobPublicAccess: false, enableHttpsTrafficOnly: true, minimumTlsVersion: "TLS1_2" }),
            res(P.TYPES.blobContainer, "c", { publicAccess: "None" }),
        ]);
    });

    it("s3-bucket-has-public-access-block (stack-level)", async () => {
        const pol = P.s3PublicAccessBlockPresent;
        const bucket = res(P.TYPES.s3Bucket, "uploads", { bucket: "my-uploads" });
        await expectViolation(pol, [bucket], "uploads", /no BucketPublicAccessBlock/);
        await expectViolation(pol, [bucket, res(P.TYPES.s3PublicAccessBlock, "pab", { bucket: "another-bucket" })], "uploads", /no BucketPublicAccessBlock/);
        await expectClean(pol, [bucket, res(P.TYPES.s3PublicAccessBlock, "pab", { bucket: "my-uploads" })]);
        // preview: the bucket id is unknown; the property dependency links them
        await expectClean(pol, [bucket, res(P.TYPES.s3PublicAccessBlock, "pab", { bucket: U }, { propertyDependencies: { bucket: [bucket.urn] } })]);
    });

    it("no-literal-secrets-in-pod-env", async () => {
        const pol = P.noLiteralSecrets;
        await expectViolation(
            pol,
            [workload({ kind: "Job", env: [{ name: "WEBUI_SECRET_KEY", value: "abc" }] })],
            "webui",
            /WEBUI_SECRET_KEY is a literal value/,
        );
        await expectViolation(
            pol,
            [workload({ env: [{ name: "DATABASE_URL", value: "postgresql://app:hunter2@db:5432/owui" }] })],
            "webui",
            /password \(postgresql:\/\/app:\*\*\*@db/,
        );
        await expectViolation(pol, [workload({ env: [{ name: "DATABASE_URL", value: U }] })], "webui", /computed value/);
        await expectViolation(
            pol,
            [workload({ kind: "Pod", image: "busybox", env: [{ name: "OPENAI_API_KEYS", value: "sk-1;sk-2" }] })],
            "webui",
            /OPENAI_API_KEYS/,
        );
        await expectViolation(pol, [workload({ env: [{ name: "S3_SECRET_ACCESS_KEY", value: "AKIA..." }] })], "webui", /S3_SECRET_ACCESS_KEY/);
        await expectViolation(
            pol,
            [res(P.TYPES.configMap, "cm", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "env" }, data: { OAUTH_CLIENT_SECRET: "x" } })],
            "cm",
            /ConfigMap 'env': OAUTH_CLIENT_SECRET is stored in a ConfigMap/,
        );
        await expectClean(pol, [
            workload({ replicas: 3 }),
            workload({
                name: "b",
                env: [
                    { name: "DATABASE_URL", value: "postgresql://db:5432/owui?sslmode=require" },
                    { name: "REDIS_URL", value: "redis://redis:6379/0" },
                    { name: "OPENAI_API_KEY", value: "" },
                ],
            }),
            res(P.TYPES.configMap, "cm", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "env" }, data: { WEBSOCKET_MANAGER: "redis" } }),
        ]);
    });

    it("no-static-cloud-storage-keys (advisory)", async () => {
        const pol = P.noStaticStorageKeys;
        const v = await expectViolation(pol, [workload({ env: [fromSecret("S3_SECRET_ACCESS_KEY")] })], "webui", /static storage key \(S3_SECRET_ACCESS_KEY\)/);
        assert.strictEqual(v[0].enforcementLevel, "advisory");
        await expectViolation(pol, [res(P.TYPES.iamAccessKey, "key", { user: "owui" })], "key", /long-lived AWS key/);
        await expectViolation(pol, [res(P.TYPES.gcpServiceAccountKey, "key", { serviceAccountId: "sa" })], "key", /long-lived GCP key/);
        await expectClean(pol, [
            workload({
                env: [
                    { name: "STORAGE_PROVIDER", value: "s3" },
                    { name: "S3_BUCKET_NAME", value: "b" },
                ],
            }),
        ]);
        // An S3-compatible store other than AWS S3 has no workload identity: its keys are not reported...
        const seaweed = { name: "S3_ENDPOINT_URL", value: "http://chat-objectstore.open-webui.svc.cluster.local:8333" };
        await expectClean(pol, [workload({ env: [seaweed, fromSecret("S3_SECRET_ACCESS_KEY")] })]);
        // ...but an endpoint of AWS S3 itself (a regional or VPC endpoint) still is.
        for (const value of [
            "https://s3.eu-west-1.amazonaws.com",
            "https://bucket.vpce-0a1b.s3.us-east-1.vpce.amazonaws.com",
            "https://s3.cn-north-1.amazonaws.com.cn",
        ]) {
            await expectViolation(
                pol,
                [workload({ env: [{ name: "S3_ENDPOINT_URL", value }, fromSecret("S3_SECRET_ACCESS_KEY")] })],
                "webui",
                /S3_SECRET_ACCESS_KEY/,
            );
        }
        await expectViolation(pol, [workload({ env: [seaweed, fromSecret("AZURE_STORAGE_KEY")] })], "webui", /AZURE_STORAGE_KEY/);
    });

    it("owui-pods-non-root", async () => {
        const pol = P.nonRootPods;
        await expectViolation(pol, [workload({ secure: false })], "webui", /may run as root/);
        await expectViolation(pol, [workload({ secure: false })], "webui", /allowPrivilegeEscalation=undefined/);
        const initRoot = workload({ kind: "Job" });
        initRoot.props.spec.template.spec.initContainers = [
            { name: "init", image: "busybox", securityContext: { runAsNonRoot: false, allowPrivilegeEscalation: false } },
        ];
        await expectViolation(pol, [initRoot], "webui", /container 'init' may run as root \(runAsNonRoot=false\)/);
        await expectClean(pol, [workload(), workload({ kind: "Pod" }), workload({ image: "postgres:17", secure: false })]);
    });

    it("database-deletion-protection (advisory; Azure via a CanNotDelete lock)", async () => {
        const pol = P.databaseDeletionProtection;
        await expectViolation(pol, [res(P.TYPES.rdsCluster, "db", { deletionProtection: false })], "db", /deletionProtection=false/);
        await expectViolation(pol, [res(P.TYPES.rdsInstance, "db", {})], "db", /deletionProtection=undefined/);
        await expectViolation(pol, [res(P.TYPES.sqlInstance, "sql", { deletionProtection: false, settings: {} })], "sql", /deletionProtection=false/);
        const server = res(P.TYPES.pgFlexibleServer, "pg", { serverName: "owui-pg", resourceGroupName: "rg" });
        await expectViolation(pol, [server], "pg", /no CanNotDelete management lock/);
        await expectViolation(
            pol,
            [server, res(P.TYPES.lockByScope, "lock", { level: "NotSpecified", scope: U }, { propertyDependencies: { scope: [server.urn] } })],
            "pg",
            /no CanNotDelete/,
        );
        await expectClean(pol, [
            res(P.TYPES.rdsCluster, "db", { deletionProtection: true }),
            res(P.TYPES.sqlInstance, "sql", { settings: { deletionProtectionEnabled: true } }),
            res(P.TYPES.sqlInstance, "sql2", { deletionProtection: false, settings: { deletionProtectionEnabled: true } }),
            server,
            res(P.TYPES.lockByScope, "lock", { level: "CanNotDelete", scope: U }, { propertyDependencies: { scope: [server.urn] } }),
        ]);
        const server2 = res(P.TYPES.pgFlexibleServer, "pg2", { serverName: "owui-pg2", resourceGroupName: "rg" });
        await expectClean(pol, [
            server2,
            res(P.TYPES.lockAtResourceLevel, "l2", {
                level: "CanNotDelete",
                resourceName: "owui-pg2",
                resourceType: "flexibleServers",
                resourceProviderNamespace: "Microsoft.DBforPostgreSQL",
                resourceGroupName: "rg",
                parentResourcePath: "",
            }),
        ]);
    });

    it("a fully compliant HA stack passes every policy", async () => {
        const headers = [
            ["XCONTENT_TYPE", "nosniff"],
            ["XFRAME_OPTIONS", "DENY"],
            ["REFERRER_POLICY", "no-referrer"],
        ].map(([name, value]) => ({ name, value }));
        const deny = res("kubernetes:networking.k8s.io/v1:NetworkPolicy", "deny", {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: { name: "deny", namespace: "apps" },
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        });
        const v = await runPolicies([workload({ replicas: 3, env: [...HA_ENV, ...headers] }), pdb(), hpa(10), deny]);
        assert.deepStrictEqual(v, []);
    });
});
