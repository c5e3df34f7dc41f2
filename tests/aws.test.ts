// The aws target end to end under mocks: every security/durability/HA property asserted on the
// registered AWS and Kubernetes resources, the pool computation against the instance class's
// max_connections, the identity variants, clear errors for bad AWS input, and the example program.
import "./harness";
import * as assert from "assert";
import * as crypto from "crypto";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { envOf, invokes, isSecretInput, ofType, one, registered, reset, settle, value } from "./harness";
import { kubernetesObjects, validateK8sObject } from "./k8sSchema";
import { clearExampleConfig, loadExample } from "./exampleLoader";
import { CloudTarget, OpenWebUiCluster, OpenWebUiClusterArgs, SizePreset } from "../index";
import { ValidationError } from "../components/spec/errors";
import { Aws, AwsCacheEngine, AwsDatabaseEngine, AwsIdentityMode, AwsLoadBalancerScheme } from "../components/platform/awsArgs";
import { AURORA_MAX_CONNECTIONS, RDS_MAX_CONNECTIONS } from "../providers/aws/catalog";
import { redisUrl } from "../providers/aws/cache";
import { computePools, POD_SIZING } from "../components/spec/sizing";
import { runPolicies, urnFor } from "../policy/runner";

// Options the mock monitor does not pass on (retainOnDelete) are recorded by an in-process
// transformation on the component, which every child inherits.
const resourceOpts = new Map<string, pulumi.CustomResourceOptions>();
const recordOpts: pulumi.ResourceTransformation = (a) => {
    resourceOpts.set(`${a.type}::${a.name}`, a.opts as pulumi.CustomResourceOptions);
    return undefined;
};

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab";
const SUBNETS = ["subnet-0a1", "subnet-0b2", "subnet-0c3"];
const CLUSTER_SG = "sg-0123abcd";
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/chat-kms";

function awsBase(over: Partial<Aws> = {}): Aws {
    return {
        vpcId: "vpc-0a1b2c3d",
        privateSubnetIds: [...SUBNETS],
        eks: { clusterName: "prod", securityGroupIds: [CLUSTER_SG] },
        certificateArn: CERT,
        route53ZoneId: "Z0123456789ABC",
        ...over,
    };
}

function args(over: Partial<OpenWebUiClusterArgs> = {}, aws: Partial<Aws> = {}): OpenWebUiClusterArgs {
    return { target: CloudTarget.Aws, hostname: "chat.example.com", ...over, aws: awsBase(aws) };
}

async function build(a: OpenWebUiClusterArgs, name = "chat"): Promise<OpenWebUiCluster> {
    reset();
    resourceOpts.clear();
    const c = new OpenWebUiCluster(name, a, { transformations: [recordOpts] });
    await settle();
    return c;
}

const isSecret = (o: pulumi.Output<unknown>): Promise<boolean> => (o as any).isSecret as Promise<boolean>;
const podSpec = () => one("kubernetes:apps/v1:Deployment", "chat").plain.spec.template.spec;
const appSecret = () => ofType("kubernetes:core/v1:Secret").find((s) => s.name === "chat-app")!;
const ingress = () => one("kubernetes:networking.k8s.io/v1:Ingress");
const policyOf = (r: { plain: any }) => JSON.parse(r.plain.policy);
const optsOf = (type: string, name: string) => resourceOpts.get(`${type}::${name}`) ?? {};
/** The one resource of a type that belongs to the uploads bucket (the log bucket has its own; tests/accessLogs.test.ts). */
const uploadsOf = (type: string) => {
    const found = ofType(type).filter((r) => r.name.startsWith("chat-uploads"));
    assert.strictEqual(found.length, 1, `${type}: ${found.map((r) => r.name).join(", ")}`);
    return found[0];
};

describe("aws target", function () {
    describe("defaults (medium, Aurora, Valkey, Pod Identity, internet-facing ALB)", function () {
        let c: OpenWebUiCluster;
        before(async () => {
            c = await build(args());
        });

        it("every Kubernetes object passes the Kubernetes OpenAPI schema", async () => {
            const objs = kubernetesObjects(registered);
            assert.ok(objs.length >= 12, `only ${objs.length} objects`);
            for (const o of objs) await validateK8sObject(o);
        });

        it("the namespace enables ALB pod readiness gates, so rollouts wait for healthy ALB targets", async () => {
            const ns = one("kubernetes:core/v1:Namespace");
            assert.strictEqual(ns.plain.metadata.labels["elbv2.k8s.aws/pod-readiness-gate-inject"], "enabled");
            assert.strictEqual(ns.plain.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
        });

        it("Aurora PostgreSQL 16.13: encrypted with the KMS key, backups, deletion protection, final snapshot, log exports, private", () => {
            const db = one("aws:rds/cluster:Cluster");
            const p = db.plain;
            assert.strictEqual(db.name, "chat-db");
            assert.strictEqual(p.engine, "aurora-postgresql");
            assert.strictEqual(p.engineVersion, "16.13");
            assert.strictEqual(p.storageEncrypted, true);
            assert.strictEqual(p.kmsKeyId, KEY);
            assert.strictEqual(p.backupRetentionPeriod, 14);
            assert.strictEqual(p.deletionProtection, true);
            assert.strictEqual(p.skipFinalSnapshot, false);
            assert.match(p.finalSnapshotIdentifier, /^chat-test-final-[a-z0-9]{8}$/);
            assert.strictEqual(p.copyTagsToSnapshot, true);
            assert.deepStrictEqual(p.enabledCloudwatchLogsExports, ["postgresql"]);
            assert.strictEqual(p.iamDatabaseAuthenticationEnabled, false);
            assert.strictEqual(p.masterUsername, "openwebui_admin");
            assert.ok(isSecretInput(db.inputs, "masterPassword"), "master password must be a secret");
            assert.strictEqual(p.masterPassword.length, 40);
            assert.strictEqual(p.databaseName, "openwebui");
            assert.deepStrictEqual(p.vpcSecurityGroupIds, ["chat-db-sg-id"]);
            assert.strictEqual(p.dbSubnetGroupName, "chat-db-subnets-id");
            assert.deepStrictEqual(one("aws:rds/subnetGroup:SubnetGroup").plain.subnetIds, SUBNETS);
        });

        it("TLS is enforced by rds.force_ssl=1 in the cluster parameter group of the right family", () => {
            const pg = one("aws:rds/clusterParameterGroup:ClusterParameterGroup");
            assert.strictEqual(pg.plain.family, "aurora-postgresql16");
            assert.deepStrictEqual(pg.plain.parameters, [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }]);
            assert.strictEqual(one("aws:rds/cluster:Cluster").plain.dbClusterParameterGroupName, "chat-db-cluster-params-id");
            // Clients are told to use TLS too.
            const admin = ofType("kubernetes:core/v1:Secret").find((s) => s.name === "chat-db-admin")!;
            // ... and verify the server: verify-full against Amazon's RDS root CAs, mounted from a ConfigMap.
            assert.strictEqual(admin.plain.stringData.PGSSLMODE, "verify-full");
            assert.match(
                appSecret().plain.stringData.DATABASE_URL,
                /^postgresql:\/\/openwebui_app:[A-Za-z0-9]{40}@chat-db\.cluster-abc\.eu-west-1\.rds\.amazonaws\.com:5432\/openwebui\?sslmode=verify-full&sslrootcert=\/etc\/open-webui\/db-ca\/ca\.crt&connect_timeout=10&keepalives=1&keepalives_idle=15&keepalives_interval=5&keepalives_count=3&tcp_user_timeout=15000$/,
            );
            const ca = ofType("kubernetes:core/v1:ConfigMap").find((x) => x.name === "chat-db-ca")!.plain.data["ca.crt"] as string;
            const subjects = ca.split(/(?=-----BEGIN CERTIFICATE-----)/).map((p) => new crypto.X509Certificate(p).subject);
            assert.ok(subjects.length >= 80 && subjects.every((s) => /OU=Amazon RDS/.test(s)), `${subjects.length} RDS CAs`);
            for (const g of ["RSA2048 G1", "RSA4096 G1", "ECC384 G1"])
                assert.ok(
                    subjects.some((s) => s.includes(`CN=Amazon RDS eu-west-1 Root CA ${g}`)),
                    g,
                );
            const job = ofType("kubernetes:batch/v1:Job").find((j) => j.name === "chat-db-bootstrap")!.plain.spec.template.spec;
            assert.deepStrictEqual(
                job.containers[0].env.find((e: any) => e.name === "PGSSLROOTCERT"),
                { name: "PGSSLROOTCERT", value: "/etc/open-webui/db-ca/ca.crt" },
            );
            assert.deepStrictEqual(job.volumes.find((v: any) => v.name === "db-ca").configMap.name, "chat-db-ca");
            for (const w of [
                ofType("kubernetes:apps/v1:Deployment").find((d) => d.name === "chat")!,
                ofType("kubernetes:batch/v1:Job").find((j) => j.name === "chat-migrate")!,
            ]) {
                const pod = w.plain.spec.template.spec;
                assert.deepStrictEqual(
                    pod.containers[0].volumeMounts.find((m: any) => m.name === "db-ca"),
                    { name: "db-ca", mountPath: "/etc/open-webui/db-ca", readOnly: true },
                    w.name,
                );
                assert.strictEqual(pod.volumes.find((v: any) => v.name === "db-ca").configMap.name, "chat-db-ca");
            }
        });

        it("writer and reader in different AZs, not public, Performance Insights encrypted, pinned version", () => {
            const inst = ofType("aws:rds/clusterInstance:ClusterInstance");
            assert.deepStrictEqual(inst.map((i) => i.name).sort(), ["chat-db-reader", "chat-db-writer"]);
            const writer = inst.find((i) => i.name === "chat-db-writer")!.plain;
            const reader = inst.find((i) => i.name === "chat-db-reader")!.plain;
            // The subnets are in c, b, a (harness): the AZs are sorted, so the subnet order never moves an instance.
            assert.strictEqual(writer.availabilityZone, "eu-west-1a");
            assert.strictEqual(reader.availabilityZone, "eu-west-1b");
            assert.strictEqual(writer.promotionTier, 0);
            assert.strictEqual(reader.promotionTier, 1);
            for (const i of [writer, reader]) {
                assert.strictEqual(i.instanceClass, "db.r6g.xlarge");
                assert.strictEqual(i.engine, "aurora-postgresql");
                assert.strictEqual(i.engineVersion, "16.13");
                assert.strictEqual(i.publiclyAccessible, false);
                assert.strictEqual(i.performanceInsightsEnabled, true);
                assert.strictEqual(i.performanceInsightsKmsKeyId, KEY);
                assert.strictEqual(i.performanceInsightsRetentionPeriod, 7);
                assert.strictEqual(i.autoMinorVersionUpgrade, false);
            }
        });

        it("database and cache admit 5432/6379 only from the cluster's security group (no CIDR, no egress)", () => {
            for (const [role, port] of [
                ["db", 5432],
                ["cache", 6379],
            ] as const) {
                const sg = one("aws:ec2/securityGroup:SecurityGroup", `-${role}-sg`);
                assert.strictEqual(sg.plain.vpcId, "vpc-0a1b2c3d");
                assert.strictEqual(sg.plain.ingress, undefined);
                assert.strictEqual(sg.plain.egress, undefined);
                const rules = ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.name.startsWith(`chat-${role}-`));
                assert.strictEqual(rules.length, 1);
                const r = rules[0].plain;
                assert.strictEqual(r.securityGroupId, `chat-${role}-sg-id`);
                assert.strictEqual(r.referencedSecurityGroupId, CLUSTER_SG);
                assert.strictEqual(r.ipProtocol, "tcp");
                assert.strictEqual(r.fromPort, port);
                assert.strictEqual(r.toPort, port);
                assert.strictEqual(r.cidrIpv4, undefined);
            }
            assert.strictEqual(ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").length, 0);
        });

        it("ElastiCache Valkey 8.1: Multi-AZ with automatic failover, TLS + AUTH token, KMS at rest, timeout 1800", () => {
            const rg = one("aws:elasticache/replicationGroup:ReplicationGroup");
            const p = rg.plain;
            assert.strictEqual(p.engine, "valkey");
            assert.strictEqual(p.engineVersion, "8.1");
            assert.strictEqual(p.nodeType, "cache.m7g.large");
            assert.strictEqual(p.clusterMode, "disabled");
            assert.strictEqual(p.numCacheClusters, 2);
            assert.strictEqual(p.automaticFailoverEnabled, true);
            assert.strictEqual(p.multiAzEnabled, true);
            assert.strictEqual(p.transitEncryptionEnabled, true);
            assert.strictEqual(p.transitEncryptionMode, "required");
            assert.strictEqual(p.atRestEncryptionEnabled, true);
            assert.strictEqual(p.kmsKeyId, KEY);
            assert.ok(isSecretInput(rg.inputs, "authToken"), "AUTH token must be a secret");
            assert.strictEqual(p.authToken.length, 64);
            assert.deepStrictEqual(p.securityGroupIds, ["chat-cache-sg-id"]);
            assert.strictEqual(p.subnetGroupName, "chat-cache-subnets-id");
            assert.deepStrictEqual(one("aws:elasticache/subnetGroup:SubnetGroup").plain.subnetIds, SUBNETS);
            assert.strictEqual(p.snapshotRetentionLimit, 7);
            const params = one("aws:elasticache/parameterGroup:ParameterGroup").plain;
            assert.strictEqual(params.family, "valkey8");
            assert.deepStrictEqual(params.parameters, [{ name: "timeout", value: "1800" }]);
            assert.strictEqual(p.parameterGroupName, "chat-cache-params-id");
            const token = one("random:index/randomPassword:RandomPassword", "cache-auth-token").plain;
            assert.strictEqual(token.overrideSpecial, "!&#$^<>-");
        });

        it("managed node groups carry zone labels: the zone spread is required (DoNotSchedule)", () => {
            assert.strictEqual(podSpec().topologySpreadConstraints[0].topologyKey, "topology.kubernetes.io/zone");
            assert.strictEqual(podSpec().topologySpreadConstraints[0].whenUnsatisfiable, "DoNotSchedule");
        });

        it("REDIS_URL is rediss:// with the token, from the Secret; REDIS_CLUSTER off", () => {
            const token = one("aws:elasticache/replicationGroup:ReplicationGroup").plain.authToken;
            assert.strictEqual(appSecret().plain.stringData.REDIS_URL, `rediss://:${token}@master.chat-cache.abc.euw1.cache.amazonaws.com:6379/0`);
            const env = envOf(podSpec());
            assert.deepStrictEqual(env.REDIS_URL.valueFrom.secretKeyRef, { name: "chat-app", key: "REDIS_URL" });
            assert.notStrictEqual(env.REDIS_CLUSTER?.value, "true");
        });

        it("the AUTH token is percent-encoded in the URL (ElastiCache allows # & $ ^ < > ! -)", () => {
            assert.strictEqual(redisUrl("ab#c&d$e^f<g>h!i-j", "h.example"), "rediss://:ab%23c%26d%24e%5Ef%3Cg%3Eh!i-j@h.example:6379/0");
            const u = new URL(redisUrl("ab#c&d$e^f<g>h!i-j", "h.example"));
            assert.strictEqual(decodeURIComponent(u.password), "ab#c&d$e^f<g>h!i-j");
            assert.strictEqual(u.hostname, "h.example");
        });

        it("S3: private, BucketOwnerEnforced, SSE-KMS with bucket key, versioned, TLS-only policy, retained", () => {
            const bucket = uploadsOf("aws:s3/bucket:Bucket");
            assert.strictEqual(bucket.plain.forceDestroy, false);
            assert.strictEqual(optsOf("aws:s3/bucket:Bucket", "chat-uploads").retainOnDelete, true);
            const pab = uploadsOf("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").plain;
            assert.deepStrictEqual(
                [pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets, pab.bucket],
                [true, true, true, true, "chat-uploads-bucket"],
            );
            assert.deepStrictEqual(uploadsOf("aws:s3/bucketOwnershipControls:BucketOwnershipControls").plain.rule, { objectOwnership: "BucketOwnerEnforced" });
            const sse = uploadsOf("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").plain;
            assert.deepStrictEqual(sse.rules, [
                { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY }, bucketKeyEnabled: true },
            ]);
            assert.strictEqual(uploadsOf("aws:s3/bucketVersioning:BucketVersioning").plain.versioningConfiguration.status, "Enabled");
            // Lifecycle over the whole bucket through an explicit prefix: `filter {}` is deprecated upstream.
            const [rule] = uploadsOf("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").plain.rules;
            assert.deepStrictEqual(rule.filter, { prefix: "" });
            assert.deepStrictEqual(rule.noncurrentVersionExpiration, { noncurrentDays: 90 });
            const pol = policyOf(uploadsOf("aws:s3/bucketPolicy:BucketPolicy"));
            assert.deepStrictEqual(pol.Statement, [
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: ["arn:aws:s3:::chat-uploads-bucket", "arn:aws:s3:::chat-uploads-bucket/*"],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
            ]);
            for (const t of [
                "bucketOwnershipControls:BucketOwnershipControls",
                "bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "bucketVersioning:BucketVersioning",
                "bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                "bucketPolicy:BucketPolicy",
            ]) {
                assert.strictEqual(uploadsOf(`aws:s3/${t}`).plain.bucket, "chat-uploads-bucket", t);
            }
            // The guards stay with a retained bucket.
            for (const t of [
                "bucketPublicAccessBlock:BucketPublicAccessBlock",
                "bucketPolicy:BucketPolicy",
                "bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            ]) {
                const r = uploadsOf(`aws:s3/${t}`);
                assert.strictEqual(optsOf(r.type, r.name).retainOnDelete, true, t);
            }
        });

        it("KMS key created with rotation and kept on destroy (snapshots and a retained bucket depend on it)", () => {
            const key = one("aws:kms/key:Key");
            assert.strictEqual(key.plain.enableKeyRotation, true);
            assert.strictEqual(key.plain.deletionWindowInDays, 30);
            assert.strictEqual(optsOf(key.type, key.name).retainOnDelete, true);
        });

        it("Deployment env: STORAGE_PROVIDER=s3 with bucket and region, no static keys; DATABASE_URL via secretKeyRef", () => {
            const env = envOf(podSpec());
            assert.strictEqual(env.STORAGE_PROVIDER.value, "s3");
            assert.strictEqual(env.S3_BUCKET_NAME.value, "chat-uploads-bucket");
            assert.strictEqual(env.S3_REGION_NAME.value, "eu-west-1");
            for (const k of ["S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"])
                assert.strictEqual(env[k], undefined, k);
            assert.deepStrictEqual(env.DATABASE_URL.valueFrom.secretKeyRef, { name: "chat-app", key: "DATABASE_URL" });
            assert.strictEqual(env.DATABASE_URL.value, undefined);
            assert.notStrictEqual(env.DATABASE_ENABLE_IAM_TOKEN_AUTH?.value, "true");
        });

        it("pools sized against db.r6g.xlarge's max_connections (3479)", async () => {
            const plan = computePools({
                maxConnections: 3479,
                budgetFraction: 0.8,
                maxReplicas: 10,
                pgvector: true,
                preferredPool: POD_SIZING.medium.preferredPool,
                preferredOverflow: POD_SIZING.medium.preferredOverflow,
            });
            assert.ok(typeof plan !== "string");
            const env = envOf(podSpec());
            assert.strictEqual(env.DATABASE_POOL_SIZE.value, String(plan.poolSize));
            assert.strictEqual(env.DATABASE_POOL_MAX_OVERFLOW.value, String(plan.maxOverflow));
            assert.strictEqual(await value(c.databaseServerMaxConnections), 3479);
            assert.ok((await value(c.databaseMaxClientConnections)) <= Math.floor(3479 * 0.8));
        });

        it("pod role: trusted by EKS Pod Identity for this namespace/ServiceAccount/cluster only", () => {
            const role = one("aws:iam/role:Role", "chat-pod-role");
            const trust = JSON.parse(role.plain.assumeRolePolicy);
            assert.deepStrictEqual(trust.Statement, [
                {
                    Sid: "AllowEksAuthToAssumeRoleForPodIdentity",
                    Effect: "Allow",
                    Principal: { Service: "pods.eks.amazonaws.com" },
                    Action: ["sts:AssumeRole", "sts:TagSession"],
                    Condition: {
                        StringEquals: {
                            "aws:RequestTag/eks-cluster-name": "prod",
                            "aws:RequestTag/kubernetes-namespace": "open-webui",
                            "aws:RequestTag/kubernetes-service-account": "chat",
                        },
                    },
                },
            ]);
            const assoc = one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "chat-pod-identity").plain;
            assert.deepStrictEqual(
                {
                    clusterName: assoc.clusterName,
                    namespace: assoc.namespace,
                    serviceAccount: assoc.serviceAccount,
                    roleArn: assoc.roleArn,
                    disableSessionTags: assoc.disableSessionTags,
                },
                {
                    clusterName: "prod",
                    namespace: "open-webui",
                    serviceAccount: "chat",
                    roleArn: "arn:aws:iam::123456789012:role/chat-pod-role",
                    disableSessionTags: false,
                },
            );
            // The ServiceAccount the pods use is the associated one, and waits for the association.
            const sa = one("kubernetes:core/v1:ServiceAccount", "chat-serviceaccount").plain;
            assert.strictEqual(sa.metadata.name, "chat");
            assert.strictEqual(sa.metadata.namespace, "open-webui");
            assert.strictEqual(sa.metadata.annotations["openwebui/pod-identity-association"], "a-chat-pod-identity");
            assert.strictEqual(sa.metadata.annotations["eks.amazonaws.com/role-arn"], undefined);
            assert.strictEqual(podSpec().serviceAccountName, "chat");
        });

        it("pod role policy: the uploads bucket and its key only (parsed)", () => {
            // The collector's own policy (chat-otel-export) is asserted in tests/telemetry.test.ts.
            const pols = ofType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.name !== "chat-otel-export");
            assert.deepStrictEqual(
                pols.map((p) => p.name),
                ["chat-uploads-access"],
            );
            assert.strictEqual(pols[0].plain.role, "chat-pod-role-id");
            const doc = policyOf(pols[0]);
            assert.deepStrictEqual(doc.Statement, [
                { Sid: "ListUploadsBucket", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: "arn:aws:s3:::chat-uploads-bucket" },
                {
                    Sid: "ReadWriteUploads",
                    Effect: "Allow",
                    Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                    Resource: "arn:aws:s3:::chat-uploads-bucket/*",
                },
                { Sid: "UseUploadsKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: KEY },
            ]);
            for (const s of doc.Statement) {
                assert.ok(!JSON.stringify(s.Resource).includes('*"') || s.Resource.endsWith("/*"), "no wildcard resources");
                assert.ok(!s.Action.some((a: string) => a.endsWith("*")), "no wildcard actions");
            }
            assert.strictEqual(ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").length, 0);
        });

        it("ALB Ingress: class alb, internet-facing, ip targets, HTTPS with ACM + redirect, websocket-safe timeouts", () => {
            const ing = ingress().plain;
            assert.strictEqual(ing.spec.ingressClassName, "alb");
            const a = ing.metadata.annotations;
            const A = "alb.ingress.kubernetes.io";
            assert.strictEqual(a[`${A}/scheme`], "internet-facing");
            assert.strictEqual(a[`${A}/target-type`], "ip");
            assert.deepStrictEqual(JSON.parse(a[`${A}/listen-ports`]), [{ HTTP: 80 }, { HTTPS: 443 }]);
            assert.strictEqual(a[`${A}/certificate-arn`], CERT);
            assert.strictEqual(a[`${A}/ssl-redirect`], "443");
            assert.strictEqual(a[`${A}/ssl-policy`], "ELBSecurityPolicy-TLS13-1-2-2021-06");
            assert.strictEqual(a[`${A}/healthcheck-path`], "/health");
            assert.strictEqual(a[`${A}/success-codes`], "200");
            assert.match(a[`${A}/load-balancer-attributes`], /(^|,)idle_timeout\.timeout_seconds=3600(,|$)/);
            assert.match(a[`${A}/load-balancer-attributes`], /routing\.http\.drop_invalid_header_fields\.enabled=true/);
            const delay = Number(/deregistration_delay\.timeout_seconds=(\d+)/.exec(a[`${A}/target-group-attributes`])![1]);
            assert.strictEqual(delay, 30);
            assert.ok(delay <= podSpec().terminationGracePeriodSeconds);
            assert.strictEqual(a[`${A}/tags`], "openwebui-cluster=chat,managed-by=pulumi");
            assert.strictEqual(ing.spec.rules[0].host, "chat.example.com");
            assert.strictEqual(ing.spec.rules[0].http.paths[0].path, "/");
            assert.strictEqual(ing.spec.rules[0].http.paths[0].backend.service.name, "chat");
        });

        it("Route 53 alias A record to the ALB hostname from the Ingress status", () => {
            const rec = one("aws:route53/record:Record").plain;
            assert.strictEqual(rec.zoneId, "Z0123456789ABC");
            assert.strictEqual(rec.name, "chat.example.com");
            assert.strictEqual(rec.type, "A");
            assert.deepStrictEqual(rec.aliases, [
                { name: "k8s-chat-0123456789.eu-west-1.elb.amazonaws.com", zoneId: "Z32O12XQLNTSW2", evaluateTargetHealth: true },
            ]);
        });

        it("outputs: url, endpoints, bucket, role ARN; secrets stay secret", async () => {
            assert.strictEqual(await value(c.url), "https://chat.example.com");
            assert.strictEqual(await value(c.databaseEndpoint), "chat-db.cluster-abc.eu-west-1.rds.amazonaws.com:5432");
            assert.strictEqual(await value(c.redisEndpoint), "master.chat-cache.abc.euw1.cache.amazonaws.com:6379");
            assert.strictEqual(await value(c.bucketName), "chat-uploads-bucket");
            assert.strictEqual(await value(c.identityPrincipal), "arn:aws:iam::123456789012:role/chat-pod-role");
            assert.ok(await isSecret(c.databaseUrl));
            assert.ok(!(await isSecret(c.redisEndpoint)));
            const app = appSecret();
            assert.ok(isSecretInput(app.inputs, "stringData.REDIS_URL"), "REDIS_URL must reach the Secret as a secret");
            assert.ok(isSecretInput(app.inputs, "stringData.DATABASE_URL"));
            const admin = ofType("kubernetes:core/v1:Secret").find((s) => s.name === "chat-db-admin")!;
            assert.ok(isSecretInput(admin.inputs, "stringData.PGPASSWORD"));
        });

        it("the stack passes the openwebui-ha policy pack with no violation at all", async () => {
            const resources = registered.map((r) => ({
                type: r.type,
                name: r.name,
                urn: urnFor(r.type, r.name),
                // Autonamed inputs the provider's Check would fill in (mocks skip Check).
                props: r.type === "aws:s3/bucket:Bucket" ? { ...r.plain, bucket: "chat-uploads-bucket" } : r.plain,
            }));
            const violations = await runPolicies(resources);
            // owui-alarms is advisory by design here: by default the alarms notify no one (tests/alarms.test.ts).
            assert.deepStrictEqual(
                violations.filter((v) => v.policyName !== "owui-alarms").map((v) => `${v.enforcementLevel} ${v.policyName}: ${v.message}`),
                [],
            );
            assert.deepStrictEqual(
                violations.filter((v) => v.policyName === "owui-alarms").map((v) => v.enforcementLevel),
                ["advisory"],
            );
        });

        it("tags on every taggable AWS resource; children named chat-<role>", () => {
            const aws = registered.filter((r) => r.type.startsWith("aws:"));
            assert.ok(aws.length >= 20, `only ${aws.length} AWS resources`);
            const untaggable = new Set([
                "aws:cloudwatch/logStream:LogStream",
                "aws:iam/rolePolicy:RolePolicy",
                "aws:route53/record:Record",
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
                "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                "aws:s3/bucketVersioning:BucketVersioning",
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                "aws:s3/bucketPolicy:BucketPolicy",
                "aws:s3/bucketLogging:BucketLogging",
            ]);
            for (const r of aws) {
                assert.ok(r.name.startsWith("chat-"), r.name);
                if (untaggable.has(r.type)) continue;
                assert.deepStrictEqual(r.plain.tags, { "openwebui-cluster": "chat", "managed-by": "pulumi" }, `${r.type} ${r.name}`);
            }
        });
    });

    it("size small with replicas.max 40: DATABASE_POOL_SIZE from db.r6g.large's 1722 connections", async () => {
        const c = await build(args({ size: SizePreset.Small, replicas: { min: 3, max: 40 } }));
        assert.strictEqual(one("aws:rds/clusterInstance:ClusterInstance", "writer").plain.instanceClass, "db.r6g.large");
        assert.strictEqual(one("aws:elasticache/replicationGroup:ReplicationGroup").plain.nodeType, "cache.t4g.medium");
        assert.strictEqual(AURORA_MAX_CONNECTIONS["db.r6g.large"], 1722);
        // budget floor(1722 x 0.8) = 1377; pods 40 + 10 surge + 1 Job = 51; 3 engines -> 9 per engine -> all of it pool (steady use first), no overflow.
        const env = envOf(podSpec());
        assert.strictEqual(env.DATABASE_POOL_SIZE.value, "9");
        assert.strictEqual(env.DATABASE_POOL_MAX_OVERFLOW.value, "0");
        assert.strictEqual(await value(c.databaseServerMaxConnections), 1722);
        assert.ok((await value(c.databaseMaxClientConnections)) <= 1377);
    });

    it("rdsMultiAz: RDS for PostgreSQL Multi-AZ instance, gp3 encrypted, TLS parameter group, conservative max_connections", async () => {
        const c = await build(
            args(
                { size: SizePreset.Small, replicas: { min: 3, max: 40 }, database: { backupRetentionDays: 30 } },
                { database: { engine: AwsDatabaseEngine.RdsMultiAz } },
            ),
        );
        assert.strictEqual(ofType("aws:rds/cluster:Cluster").length, 0);
        const db = one("aws:rds/instance:Instance");
        const p = db.plain;
        assert.strictEqual(p.engine, "postgres");
        assert.strictEqual(p.engineVersion, "16.13");
        assert.strictEqual(p.instanceClass, "db.r6g.large");
        assert.strictEqual(p.multiAz, true);
        assert.strictEqual(p.storageType, "gp3");
        assert.strictEqual(p.allocatedStorage, 20);
        assert.strictEqual(p.maxAllocatedStorage, 200);
        assert.strictEqual(p.storageEncrypted, true);
        assert.strictEqual(p.kmsKeyId, KEY);
        assert.strictEqual(p.publiclyAccessible, false);
        assert.strictEqual(p.backupRetentionPeriod, 30);
        assert.strictEqual(p.deletionProtection, true);
        assert.strictEqual(p.skipFinalSnapshot, false);
        assert.strictEqual(p.performanceInsightsEnabled, true);
        assert.deepStrictEqual(p.enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
        assert.ok(isSecretInput(db.inputs, "password"));
        const pg = one("aws:rds/parameterGroup:ParameterGroup").plain;
        assert.strictEqual(pg.family, "postgres16");
        assert.deepStrictEqual(pg.parameters, [{ name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" }]);
        assert.strictEqual(p.parameterGroupName, "chat-db-params-id");
        assert.strictEqual(await value(c.databaseEndpoint), "chat-db.abc.eu-west-1.rds.amazonaws.com:5432");
        // 1621 (90% of the 1802 ceiling) -> budget 1296 -> 8 per engine -> pool 8, no overflow.
        assert.strictEqual(RDS_MAX_CONNECTIONS["db.r6g.large"], 1621);
        assert.strictEqual(await value(c.databaseServerMaxConnections), 1621);
        const env = envOf(podSpec());
        assert.strictEqual(env.DATABASE_POOL_SIZE.value, "8");
        assert.strictEqual(env.DATABASE_POOL_MAX_OVERFLOW.value, "0");
    });

    it("IAM auth: enabled on the cluster, rds-db:connect for openwebui_app only on the pod role, token auth in env", async () => {
        // Subnets as an Output list (awsx's vpc.privateSubnetIds): accepted, AZs still spread.
        await build(args({ database: { iamAuth: true } }, { privateSubnetIds: pulumi.output([...SUBNETS].reverse()) }));
        assert.deepStrictEqual(one("aws:rds/subnetGroup:SubnetGroup").plain.subnetIds, [...SUBNETS].reverse());
        assert.deepStrictEqual(
            ofType("aws:rds/clusterInstance:ClusterInstance")
                .map((i) => [i.name, i.plain.availabilityZone])
                .sort(),
            [
                ["chat-db-reader", "eu-west-1b"],
                ["chat-db-writer", "eu-west-1a"],
            ],
        );
        assert.strictEqual(one("aws:rds/cluster:Cluster").plain.iamDatabaseAuthenticationEnabled, true);
        const pol = one("aws:iam/rolePolicy:RolePolicy", "rds-iam-connect");
        assert.strictEqual(pol.plain.role, "chat-pod-role-id");
        assert.deepStrictEqual(policyOf(pol).Statement, [
            {
                Sid: "ConnectAsAppRoleOnly",
                Effect: "Allow",
                Action: "rds-db:connect",
                Resource: "arn:aws:rds-db:eu-west-1:123456789012:dbuser:cluster-ABCDEF/openwebui_app",
            },
        ]);
        assert.strictEqual(ofType("aws:iam/role:Role").filter((r) => r.name !== "chat-otel-role").length, 1);
        const env = envOf(podSpec());
        assert.strictEqual(env.DATABASE_ENABLE_IAM_TOKEN_AUTH.value, "true");
        assert.match(
            appSecret().plain.stringData.DATABASE_URL,
            /^postgresql:\/\/openwebui_app@chat-db\.cluster-abc[^?]*\?sslmode=verify-full&sslrootcert=\/etc\/open-webui\/db-ca\/ca\.crt&connect_timeout=10&keepalives=1&keepalives_idle=15&keepalives_interval=5&keepalives_count=3&tcp_user_timeout=15000$/,
        );
        assert.strictEqual(env.PGCONNECT_TIMEOUT.value, "10");
    });

    it("IRSA: federated trust on the OIDC provider, sub = the ServiceAccount, aud = sts; role-arn annotation; no association", async () => {
        await build(
            args(
                { namespace: "ai" },
                {
                    eks: {
                        clusterName: "prod",
                        securityGroupIds: [CLUSTER_SG, "sg-0456cdef"],
                        identityMode: AwsIdentityMode.Irsa,
                        oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123",
                        oidcIssuerUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC123",
                    },
                },
            ),
        );
        const trust = JSON.parse(one("aws:iam/role:Role", "chat-pod-role").plain.assumeRolePolicy);
        assert.deepStrictEqual(trust.Statement, [
            {
                Sid: "OpenWebUiServiceAccountOnly",
                Effect: "Allow",
                Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123" },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        "oidc.eks.eu-west-1.amazonaws.com/id/ABC123:sub": "system:serviceaccount:ai:chat",
                        "oidc.eks.eu-west-1.amazonaws.com/id/ABC123:aud": "sts.amazonaws.com",
                    },
                },
            },
        ]);
        assert.strictEqual(ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation").length, 0);
        const sa = one("kubernetes:core/v1:ServiceAccount", "chat-serviceaccount").plain;
        assert.deepStrictEqual(sa.metadata.annotations, { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/chat-pod-role" });
        assert.strictEqual(sa.metadata.namespace, "ai");
        // Two cluster security groups: one rule each, per backing service.
        const rules = ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        assert.deepStrictEqual(
            rules.filter((r) => r.name.startsWith("chat-db-")).map((r) => r.plain.referencedSecurityGroupId),
            [CLUSTER_SG, "sg-0456cdef"],
        );
        assert.deepStrictEqual(
            rules.filter((r) => r.name.startsWith("chat-cache-")).map((r) => r.plain.referencedSecurityGroupId),
            [CLUSTER_SG, "sg-0456cdef"],
        );
        for (const o of kubernetesObjects(registered)) await validateK8sObject(o);
    });

    it("cluster mode: sharded replication group, cluster-enabled parameter, configuration endpoint, REDIS_CLUSTER=true", async () => {
        const c = await build(args({ redis: { cluster: true } }, { cache: { shards: 3, engine: AwsCacheEngine.Redis } }));
        const p = one("aws:elasticache/replicationGroup:ReplicationGroup").plain;
        assert.strictEqual(p.engine, "redis");
        assert.strictEqual(p.engineVersion, "7.1");
        assert.strictEqual(p.clusterMode, "enabled");
        assert.strictEqual(p.numNodeGroups, 3);
        assert.strictEqual(p.replicasPerNodeGroup, 1);
        assert.strictEqual(p.numCacheClusters, undefined);
        assert.strictEqual(p.automaticFailoverEnabled, true);
        assert.strictEqual(p.multiAzEnabled, true);
        assert.strictEqual(p.transitEncryptionEnabled, true);
        const params = one("aws:elasticache/parameterGroup:ParameterGroup").plain;
        assert.strictEqual(params.family, "redis7");
        assert.deepStrictEqual(params.parameters, [
            { name: "timeout", value: "1800" },
            { name: "cluster-enabled", value: "yes" },
        ]);
        assert.match(appSecret().plain.stringData.REDIS_URL, /^rediss:\/\/:[^@]{64}@clustercfg\.chat-cache\.abc\.euw1\.cache\.amazonaws\.com:6379\/0$/);
        assert.strictEqual(envOf(podSpec()).REDIS_CLUSTER.value, "true");
        assert.strictEqual(await value(c.redisEndpoint), "clustercfg.chat-cache.abc.euw1.cache.amazonaws.com:6379");
        for (const o of kubernetesObjects(registered)) await validateK8sObject(o);
    });

    it("internal ALB with a group, custom timeouts and extra annotations; no Route 53 zone -> no record", async () => {
        await build(
            args(
                { pod: { terminationGracePeriodSeconds: 120 } },
                {
                    route53ZoneId: undefined,
                    loadBalancer: {
                        scheme: AwsLoadBalancerScheme.Internal,
                        groupName: "shared-internal",
                        idleTimeoutSeconds: 900,
                        deregistrationDelaySeconds: 90,
                        extraAnnotations: { "alb.ingress.kubernetes.io/wafv2-acl-arn": "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/1" },
                    },
                },
            ),
        );
        const a = ingress().plain.metadata.annotations;
        assert.strictEqual(a["alb.ingress.kubernetes.io/scheme"], "internal");
        assert.strictEqual(a["alb.ingress.kubernetes.io/group.name"], "shared-internal");
        assert.match(a["alb.ingress.kubernetes.io/load-balancer-attributes"], /^idle_timeout\.timeout_seconds=900,/);
        assert.strictEqual(a["alb.ingress.kubernetes.io/target-group-attributes"], "deregistration_delay.timeout_seconds=90");
        assert.strictEqual(a["alb.ingress.kubernetes.io/wafv2-acl-arn"], "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/1");
        assert.strictEqual(ofType("aws:route53/record:Record").length, 0);
        await validateK8sObject(ingress().plain);
    });

    it("a short grace period shortens the deregistration delay to fit it", async () => {
        await build(args({ pod: { terminationGracePeriodSeconds: 20 } }));
        assert.strictEqual(
            ingress().plain.metadata.annotations["alb.ingress.kubernetes.io/target-group-attributes"],
            "deregistration_delay.timeout_seconds=20",
        );
    });

    it("bring your own KMS key, explicit region, instance class + max_connections written to the server, no DB HA", async () => {
        const myKey = "arn:aws:kms:eu-central-1:123456789012:key/0000-mine";
        const c = await build(
            args(
                {
                    database: { maxConnections: 2500, highAvailability: false, deletionProtection: false },
                    storage: { retainOnDelete: false, bucketName: "acme-chat-uploads" },
                },
                {
                    region: "eu-central-1",
                    kmsKeyArn: myKey,
                    certificateArn: "arn:aws:acm:eu-central-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
                    database: { instanceClass: "db.r7i.xlarge", engineVersion: "16.9" },
                },
            ),
        );
        assert.strictEqual(ofType("aws:kms/key:Key").length, 0);
        const db = one("aws:rds/cluster:Cluster").plain;
        assert.strictEqual(db.kmsKeyId, myKey);
        assert.strictEqual(db.engineVersion, "16.9");
        assert.strictEqual(db.deletionProtection, false);
        assert.strictEqual(db.skipFinalSnapshot, false, "a final snapshot is still taken");
        assert.strictEqual(db.region, "eu-central-1");
        assert.strictEqual(one("aws:elasticache/replicationGroup:ReplicationGroup").plain.kmsKeyId, myKey);
        const inst = ofType("aws:rds/clusterInstance:ClusterInstance");
        assert.deepStrictEqual(
            inst.map((i) => i.name),
            ["chat-db-writer"],
        );
        assert.strictEqual(inst[0].plain.instanceClass, "db.r7i.xlarge");
        const ipg = one("aws:rds/parameterGroup:ParameterGroup").plain;
        assert.deepStrictEqual(ipg.parameters, [{ name: "max_connections", value: "2500", applyMethod: "pending-reboot" }]);
        assert.strictEqual(inst[0].plain.dbParameterGroupName, "chat-db-instance-params-id");
        assert.strictEqual(await value(c.databaseServerMaxConnections), 2500);
        assert.strictEqual(one("aws:s3/bucket:Bucket", "-uploads").plain.bucket, "acme-chat-uploads");
        assert.strictEqual(optsOf("aws:s3/bucket:Bucket", "chat-uploads").retainOnDelete, false);
        assert.strictEqual(envOf(podSpec()).S3_REGION_NAME.value, "eu-central-1");
        assert.strictEqual(policyOf(one("aws:iam/rolePolicy:RolePolicy", "chat-uploads-access")).Statement[2].Resource, myKey);
        for (const r of registered.filter((x) => x.type.startsWith("aws:") && !x.type.startsWith("aws:iam/") && x.type !== "aws:route53/record:Record")) {
            assert.strictEqual(r.plain.region, "eu-central-1", `${r.type} ${r.name}`);
        }
    });

    it("plain HTTP only with the explicit opt-in: HTTP listener only, no certificate, http:// URL", async () => {
        const c = await build(args({ tls: { enabled: false, allowInsecureHttp: true } }, { certificateArn: undefined }));
        const a = ingress().plain.metadata.annotations;
        assert.deepStrictEqual(JSON.parse(a["alb.ingress.kubernetes.io/listen-ports"]), [{ HTTP: 80 }]);
        for (const k of ["certificate-arn", "ssl-redirect", "ssl-policy"]) assert.strictEqual(a[`alb.ingress.kubernetes.io/${k}`], undefined, k);
        assert.strictEqual(await value(c.url), "http://chat.example.com");
    });

    describe("invalid AWS input fails at construction, naming the field, with nothing registered", function () {
        const cases: { what: string; args: OpenWebUiClusterArgs; message: RegExp }[] = [
            {
                what: "RDS storage over gp3's 64 TiB",
                args: args({ database: { storageGb: 70000 } }, { database: { engine: AwsDatabaseEngine.RdsMultiAz } }),
                message: /database\.storageGb: got 70000; RDS for PostgreSQL gp3 storage is 20 to 65536 GiB/,
            },
            {
                what: "RDS storage ceiling over gp3's 64 TiB",
                args: args({}, { database: { engine: AwsDatabaseEngine.RdsMultiAz, maxAllocatedStorageGb: 100000 } }),
                message: /aws\.database\.maxAllocatedStorageGb: got 100000; use a whole number of GiB from database\.storageGb \(20\) to 65536/,
            },
            {
                what: "missing VPC",
                args: args({}, { vpcId: undefined as unknown as string }),
                message: /aws\.vpcId: got nothing; give the id of the EKS cluster's VPC/,
            },
            { what: "malformed VPC id", args: args({}, { vpcId: "my-vpc" }), message: /aws\.vpcId: got "my-vpc"; use a VPC id of the form vpc-/ },
            {
                what: "one subnet",
                args: args({}, { privateSubnetIds: ["subnet-0a1"] }),
                message: /aws\.privateSubnetIds: got \["subnet-0a1"\]; give at least two private subnet ids in different availability zones/,
            },
            {
                what: "duplicate subnets",
                args: args({}, { privateSubnetIds: ["subnet-0a1", "subnet-0a1"] }),
                message: /aws\.privateSubnetIds: .*list each subnet once/,
            },
            {
                what: "no cluster security group",
                args: args({}, { eks: { clusterName: "prod", securityGroupIds: [] } }),
                message: /aws\.eks\.securityGroupIds: got \[\]; give the security group\(s\) of the nodes\/pods/,
            },
            {
                what: "missing EKS cluster name",
                args: args({}, { eks: { clusterName: "", securityGroupIds: [CLUSTER_SG] } }),
                message: /aws\.eks\.clusterName: got ""; give the EKS cluster name/,
            },
            {
                what: "IRSA without the OIDC provider",
                args: args(
                    {},
                    {
                        eks: {
                            clusterName: "prod",
                            securityGroupIds: [CLUSTER_SG],
                            identityMode: AwsIdentityMode.Irsa,
                            oidcIssuerUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
                        },
                    },
                ),
                message: /aws\.eks\.oidcProviderArn: got nothing; identityMode irsa needs the ARN of the cluster's IAM OIDC provider/,
            },
            {
                what: "IRSA provider of another issuer",
                args: args(
                    {},
                    {
                        eks: {
                            clusterName: "prod",
                            securityGroupIds: [CLUSTER_SG],
                            identityMode: AwsIdentityMode.Irsa,
                            oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/OTHER",
                            oidcIssuerUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
                        },
                    },
                ),
                message: /aws\.eks\.oidcProviderArn: .*does not match aws\.eks\.oidcIssuerUrl/,
            },
            {
                what: "OIDC settings with Pod Identity",
                args: args(
                    {},
                    { eks: { clusterName: "prod", securityGroupIds: [CLUSTER_SG], oidcIssuerUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC" } },
                ),
                message: /aws\.eks\.identityMode: got "podIdentity"; oidcProviderArn\/oidcIssuerUrl are used only with identityMode irsa/,
            },
            {
                what: "TLS without an ACM certificate",
                args: args({}, { certificateArn: undefined }),
                message: /aws\.certificateArn: got nothing; tls is enabled: give an ACM certificate ARN covering chat\.example\.com/,
            },
            {
                what: "certificate from another region",
                args: args({}, { region: "us-east-1" }),
                message: /aws\.certificateArn: .*the certificate is in eu-west-1 but aws\.region is us-east-1/,
            },
            {
                what: "deregistration delay longer than the grace period",
                args: args({}, { loadBalancer: { deregistrationDelaySeconds: 90 } }),
                message: /aws\.loadBalancer\.deregistrationDelaySeconds: got 90; it exceeds pod\.terminationGracePeriodSeconds \(60\)/,
            },
            {
                what: "idle timeout too short for websockets",
                args: args({}, { loadBalancer: { idleTimeoutSeconds: 60 } }),
                message: /aws\.loadBalancer\.idleTimeoutSeconds: got 60; use 65 to 4000 seconds/,
            },
            {
                what: "shards without cluster mode",
                args: args({}, { cache: { shards: 3 } }),
                message: /aws\.cache\.shards: got 3; shards apply to cluster mode only: set redis\.cluster=true/,
            },
            {
                what: "HA cache without replicas",
                args: args({}, { cache: { replicas: 0 } }),
                message: /aws\.cache\.replicas: got 0; redis\.highAvailability needs at least 1 replica/,
            },
            {
                what: "unsupported cache version",
                args: args({}, { cache: { engine: AwsCacheEngine.Redis, engineVersion: "6.2" } }),
                message: /aws\.cache\.engineVersion: got "6\.2"; use a Redis OSS 7\.x version/,
            },
            {
                what: "engine version of another major",
                args: args({}, { database: { engineVersion: "15.8" } }),
                message: /aws\.database\.engineVersion: got "15\.8"; it must be a 16\.<minor> version to match database\.version 16/,
            },
            {
                what: "major without a pinned version",
                args: args({ database: { version: "15" } }),
                message: /aws\.database\.engineVersion: got nothing; database\.version 15 has no pinned default/,
            },
            {
                what: "unknown instance class without max_connections",
                args: args({}, { database: { instanceClass: "db.x2g.large" } }),
                message:
                    /aws\.database\.instanceClass: got "db\.x2g\.large"; its max_connections is not in the built-in table: also set database\.maxConnections/,
            },
            {
                what: "Performance Insights retention",
                args: args({}, { database: { performanceInsightsRetentionDays: 30 } }),
                message: /aws\.database\.performanceInsightsRetentionDays: got 30; use 7 \(free tier\) or a multiple of 31/,
            },
            {
                what: "bad identity mode",
                args: args({}, { eks: { clusterName: "prod", securityGroupIds: [CLUSTER_SG], identityMode: "keys" as AwsIdentityMode } }),
                message: /aws\.eks\.identityMode: got "keys"; use one of podIdentity, irsa/,
            },
            {
                what: "Route 53 zone with prefix",
                args: args({}, { route53ZoneId: "/hostedzone/Z0123" }),
                message: /aws\.route53ZoneId: got "\/hostedzone\/Z0123"; use a Route 53 hosted zone id/,
            },
            {
                what: "KMS alias instead of key ARN",
                args: args({}, { kmsKeyArn: "alias/openwebui" }),
                message: /aws\.kmsKeyArn: got "alias\/openwebui"; use a KMS key ARN/,
            },
            {
                what: "a Kubernetes TLS Secret on aws",
                args: args({ tls: { secretName: "chat-tls" } }),
                message: /tls\.secretName: got "set"; on aws the ALB terminates TLS with the ACM certificate/,
            },
            {
                what: "missing aws block",
                args: { target: CloudTarget.Aws, hostname: "chat.example.com" },
                message: /aws: got nothing; target aws needs the aws block/,
            },
        ];
        for (const tc of cases) {
            it(tc.what, () => {
                reset();
                assert.throws(
                    () => new OpenWebUiCluster("chat", tc.args),
                    (e: Error) => {
                        assert.ok(e instanceof ValidationError, `not a ValidationError: ${e}`);
                        assert.match(e.message, tc.message);
                        return true;
                    },
                );
                assert.strictEqual(registered.length, 0);
            });
        }

        it("reports every problem at once", () => {
            reset();
            assert.throws(
                () => new OpenWebUiCluster("chat", args({}, { vpcId: "x", privateSubnetIds: [], certificateArn: undefined })),
                (e: Error) =>
                    /aws\.vpcId/.test(e.message) &&
                    /aws\.privateSubnetIds/.test(e.message) &&
                    /aws\.certificateArn/.test(e.message) &&
                    /3 problems/.test(e.message),
            );
            assert.strictEqual(registered.length, 0);
        });
    });

    describe("examples/aws evaluated under mocks", function () {
        after(clearExampleConfig);
        it("builds the whole stack from stack config, importing the package by its name", async () => {
            reset();
            const mod = loadExample(path.join(__dirname, "..", "examples", "aws"), {
                hostname: "chat.example.com",
                vpcId: "vpc-0a1b2c3d",
                privateSubnetIds: JSON.stringify(SUBNETS.slice(0, 2)),
                clusterName: "prod",
                clusterSecurityGroupIds: JSON.stringify([CLUSTER_SG]),
                certificateArn: CERT,
                route53ZoneId: "Z0123456789ABC",
                kubeconfig: "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n",
            });
            await settle();
            assert.strictEqual(await value(mod.url), "https://chat.example.com");
            assert.strictEqual(await value(mod.bucketName), "chat-uploads-bucket");
            assert.ok(one("aws:rds/cluster:Cluster"));
            assert.ok(one("aws:elasticache/replicationGroup:ReplicationGroup"));
            assert.ok(one("aws:eks/podIdentityAssociation:PodIdentityAssociation", "chat-pod-identity"));
            const prov = one("pulumi:providers:kubernetes");
            // Every Kubernetes object goes through the example's provider.
            for (const r of registered.filter((x) => x.type.startsWith("kubernetes:") && x.custom)) {
                assert.ok(r.provider?.includes(`::${prov.name}::`), `${r.type} ${r.name} uses ${r.provider}`);
            }
            for (const o of kubernetesObjects(registered)) await validateK8sObject(o);
        });

        it("without a kubeconfig, builds one from the EKS cluster (aws eks get-token)", async () => {
            invokes["aws:eks/getCluster:getCluster"] = (i) => ({
                name: i.name,
                endpoint: "https://ABC123.gr7.eu-west-1.eks.amazonaws.com",
                certificateAuthorities: [{ data: "LS0tLS1CRUdJTi1NT0NL" }],
            });
            reset();
            loadExample(path.join(__dirname, "..", "examples", "aws"), {
                hostname: "chat.example.com",
                vpcId: "vpc-0a1b2c3d",
                privateSubnetIds: JSON.stringify(SUBNETS.slice(0, 2)),
                clusterName: "prod",
                clusterSecurityGroupIds: JSON.stringify([CLUSTER_SG]),
                certificateArn: CERT,
                identityMode: "irsa",
                oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123",
                oidcIssuerUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC123",
                "aws:region": "eu-west-1",
            });
            await settle();
            const prov = one("pulumi:providers:kubernetes");
            assert.ok(isSecretInput(prov.inputs, "kubeconfig"), "the kubeconfig is a secret");
            const kc = JSON.parse(prov.plain.kubeconfig);
            assert.strictEqual(kc.clusters[0].cluster.server, "https://ABC123.gr7.eu-west-1.eks.amazonaws.com");
            assert.strictEqual(kc.clusters[0].cluster["certificate-authority-data"], "LS0tLS1CRUdJTi1NT0NL");
            assert.deepStrictEqual(kc.users[0].user.exec.args, ["eks", "get-token", "--cluster-name", "prod", "--region", "eu-west-1"]);
            assert.strictEqual(ofType("aws:eks/podIdentityAssociation:PodIdentityAssociation").length, 0);
            assert.strictEqual(ofType("aws:route53/record:Record").length, 0);
            assert.ok(one("kubernetes:core/v1:ServiceAccount", "chat-serviceaccount").plain.metadata.annotations["eks.amazonaws.com/role-arn"]);
        });
    });
});

// Keep the invokes this suite relies on visible (a missing one throws in the harness).
void invokes;
