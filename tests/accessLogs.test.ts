// Access logs and diagnostics (hardening.accessLogs, accessLogRetentionDays,
// storageDeletionProtection): the AWS log bucket, its policy and the ALB/S3 wiring; the GCS usage
// logs; the Azure workspace, diagnostic settings and storage lock; each switched off, with the
// policy pack reporting it; bad retention and workspace ids refused.
import "./harness";
import * as assert from "assert";
import { ofType, one, registered, reset, settle } from "./harness";
import { kubernetesObjects, validateK8sObject } from "./k8sSchema";
import { AZURE_ARGS, SUB } from "./cloudFixtures";
import { analyzed } from "./policyDeps";
import { CloudTarget, OpenWebUiCluster } from "../index";
import { runPolicies } from "../policy/runner";
import { estimateCost } from "../cli/cost";
import { logBucketPolicy } from "../providers/aws/accessLogs";

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab";
const TARGETS: { [t: string]: any } = {
    aws: {
        target: CloudTarget.Aws,
        aws: { vpcId: "vpc-1", privateSubnetIds: ["subnet-a", "subnet-b"], eks: { clusterName: "prod", securityGroupIds: ["sg-1"] }, certificateArn: CERT },
    },
    gcp: { target: CloudTarget.Gcp, gcp: { project: "proj-123", region: "europe-west1", network: "projects/proj-123/global/networks/vpc" } },
    azure: { target: CloudTarget.Azure, tls: { secretName: "chat-tls" }, azure: AZURE_ARGS },
};
const LOGS_OFF = { hardening: { accessLogs: false } };
const LOG_RULES = ["load-balancer-access-logs", "bucket-access-logs", "azure-diagnostic-settings", "storage-deletion-protection"];

async function build(target: string, extra: any = {}): Promise<void> {
    reset();
    new OpenWebUiCluster("chat", { hostname: "chat.example.com", ...TARGETS[target], ...extra });
    await settle();
}

async function reported(): Promise<string[]> {
    return (await runPolicies(analyzed(registered))).filter((v) => LOG_RULES.includes(v.policyName)).map((v) => `${v.policyName}: ${v.message}`);
}

function refused(target: string, extra: any, message: RegExp): void {
    reset();
    assert.throws(
        () => new OpenWebUiCluster("chat", { hostname: "chat.example.com", ...TARGETS[target], ...extra }),
        (e: any) => message.test(e.message),
    );
}

const albAttributes = () =>
    one("kubernetes:networking.k8s.io/v1:Ingress").plain.metadata.annotations["alb.ingress.kubernetes.io/load-balancer-attributes"] as string;

describe("access logs and diagnostics", function () {
    this.timeout(60000);

    describe("aws", () => {
        before(() => build("aws"));

        it("a log bucket: SSE-S3 (not KMS), public access blocked, BucketOwnerEnforced, expiring after 90 days", () => {
            assert.strictEqual(ofType("aws:s3/bucket:Bucket").length, 2);
            const logs = one("aws:s3/bucket:Bucket", "-access-logs");
            assert.strictEqual(logs.plain.forceDestroy, false);
            const b = "chat-access-logs-bucket";
            const sse = ofType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find((r) => r.plain.bucket === b)!;
            assert.deepStrictEqual(sse.plain.rules, [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
            const pab = ofType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").find((r) => r.plain.bucket === b)!.plain;
            assert.deepStrictEqual([pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets], [true, true, true, true]);
            assert.deepStrictEqual(ofType("aws:s3/bucketOwnershipControls:BucketOwnershipControls").find((r) => r.plain.bucket === b)!.plain.rule, {
                objectOwnership: "BucketOwnerEnforced",
            });
            const [rule] = ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").find((r) => r.plain.bucket === b)!.plain.rules;
            assert.deepStrictEqual(rule.expiration, { days: 90 });
            assert.deepStrictEqual(rule.filter, { prefix: "" });
        });

        it("its policy: TLS only, ELB's service principal and eu-west-1's ELB account under alb/AWSLogs/<account>/, S3 logging under s3/uploads/", () => {
            const pol = JSON.parse(one("aws:s3/bucketPolicy:BucketPolicy", "-access-logs-policy").plain.policy);
            const bySid = Object.fromEntries(pol.Statement.map((st: any) => [st.Sid, st]));
            assert.deepStrictEqual(bySid.DenyInsecureTransport.Condition, { Bool: { "aws:SecureTransport": "false" } });
            assert.deepStrictEqual(bySid.DenyInsecureTransport.Resource, ["arn:aws:s3:::chat-access-logs-bucket", "arn:aws:s3:::chat-access-logs-bucket/*"]);
            const albObjects = "arn:aws:s3:::chat-access-logs-bucket/alb/AWSLogs/123456789012/*";
            assert.deepStrictEqual(bySid.AlbLogDelivery, {
                Sid: "AlbLogDelivery",
                Effect: "Allow",
                Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: albObjects,
            });
            assert.deepStrictEqual(bySid.AlbLogDeliveryRegionalAccount.Principal, { AWS: "arn:aws:iam::156460612806:root" });
            assert.strictEqual(bySid.AlbLogDeliveryRegionalAccount.Resource, albObjects);
            assert.deepStrictEqual(bySid.S3ServerAccessLogs.Principal, { Service: "logging.s3.amazonaws.com" });
            assert.strictEqual(bySid.S3ServerAccessLogs.Resource, "arn:aws:s3:::chat-access-logs-bucket/s3/uploads/*");
            assert.deepStrictEqual(bySid.S3ServerAccessLogs.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
        });

        it("a region opened after August 2022 gets the service principal only; GovCloud's account in its partition", () => {
            const sids = (region: string, partition = "aws") =>
                (logBucketPolicy("arn:aws:s3:::b", "123456789012", partition, region) as any).Statement.map((s: any) => s.Sid);
            assert.deepStrictEqual(sids("eu-south-2"), ["DenyInsecureTransport", "AlbLogDelivery", "S3ServerAccessLogs"]);
            const gov = (logBucketPolicy("arn:aws-us-gov:s3:::b", "123456789012", "aws-us-gov", "us-gov-west-1") as any).Statement[2];
            assert.deepStrictEqual(gov.Principal, { AWS: "arn:aws-us-gov:iam::048591011584:root" });
        });

        it("the ALB writes there: access_logs.* merged into the existing load-balancer-attributes", async () => {
            const attrs = albAttributes().split(",");
            assert.deepStrictEqual(attrs, [
                "idle_timeout.timeout_seconds=3600",
                "routing.http.drop_invalid_header_fields.enabled=true",
                "access_logs.s3.enabled=true",
                "access_logs.s3.bucket=chat-access-logs-bucket",
                "access_logs.s3.prefix=alb",
            ]);
            for (const o of kubernetesObjects(registered).filter((x) => x.kind === "Ingress")) await validateK8sObject(o);
        });

        it("the uploads bucket's S3 server access logs go to the log bucket", async () => {
            const l = one("aws:s3/bucketLogging:BucketLogging").plain;
            assert.deepStrictEqual([l.bucket, l.targetBucket, l.targetPrefix], ["chat-uploads-bucket", "chat-access-logs-bucket", "s3/uploads/"]);
            assert.deepStrictEqual(await reported(), []);
        });

        it("accessLogs=false: no log bucket, no logging, no access_logs attributes; the pack reports the ALB and the bucket", async () => {
            await build("aws", LOGS_OFF);
            assert.strictEqual(ofType("aws:s3/bucket:Bucket").length, 1);
            assert.strictEqual(ofType("aws:s3/bucketLogging:BucketLogging").length, 0);
            assert.doesNotMatch(albAttributes(), /access_logs/);
            const found = await reported();
            assert.ok(
                found.some((f) => /^load-balancer-access-logs: ALB Ingress 'chat'/.test(f)),
                found.join("\n"),
            );
            assert.ok(
                found.some((f) => /^bucket-access-logs: S3 bucket 'chat-uploads'/.test(f)),
                found.join("\n"),
            );
        });

        it("accessLogRetentionDays sets the expiry; storage.retainOnDelete=false lets destroy empty the log bucket; 0 is refused", async () => {
            await build("aws", { hardening: { accessLogRetentionDays: 400 }, storage: { retainOnDelete: false } });
            const rules = ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").find((r) => r.plain.bucket === "chat-access-logs-bucket")!
                .plain.rules;
            assert.deepStrictEqual(rules[0].expiration, { days: 400 });
            assert.strictEqual(one("aws:s3/bucket:Bucket", "-access-logs").plain.forceDestroy, true);
            refused("aws", { hardening: { accessLogRetentionDays: 0 } }, /hardening\.accessLogRetentionDays: got 0; use a whole number of days from 1 to 3650/);
        });
    });

    describe("gcp", () => {
        it("the uploads bucket's usage logs go to a private, expiring log bucket the analytics group may write", async () => {
            await build("gcp");
            const logs = one("gcp:storage/bucket:Bucket", "-access-logs").plain;
            assert.strictEqual(logs.uniformBucketLevelAccess, true);
            assert.strictEqual(logs.publicAccessPrevention, "enforced");
            assert.deepStrictEqual(logs.lifecycleRules, [{ action: { type: "Delete" }, condition: { age: 90 } }]);
            assert.strictEqual(logs.location, "EUROPE-WEST1");
            const w = one("gcp:storage/bucketIAMMember:BucketIAMMember", "-access-logs-writer").plain;
            assert.deepStrictEqual(
                [w.bucket, w.role, w.member],
                ["chat-access-logs", "roles/storage.objectCreator", "group:cloud-storage-analytics@google.com"],
            );
            assert.deepStrictEqual(one("gcp:storage/bucket:Bucket", "-uploads").plain.logging, { logBucket: "chat-access-logs", logObjectPrefix: "uploads" });
            assert.deepStrictEqual(await reported(), []);
        });

        it("accessLogs=false: no log bucket, no logging; the pack reports the bucket and the BackendConfig", async () => {
            await build("gcp", LOGS_OFF);
            assert.strictEqual(ofType("gcp:storage/bucket:Bucket").length, 1);
            assert.strictEqual(one("gcp:storage/bucket:Bucket").plain.logging, undefined);
            const found = await reported();
            assert.ok(
                found.some((f) => /^bucket-access-logs: GCS bucket 'chat-uploads'/.test(f)),
                found.join("\n"),
            );
            assert.ok(
                found.some((f) => /^load-balancer-access-logs: BackendConfig/.test(f)),
                found.join("\n"),
            );
        });
    });

    describe("azure", () => {
        const setting = (role: string) => one("azure-native:monitor:DiagnosticSetting", `-${role}-diagnostics`).plain;

        it("a Log Analytics workspace (30 days) receives all logs and metrics of PostgreSQL, Redis, the blob service and the AGC", async () => {
            await build("azure");
            const ws = one("azure-native:operationalinsights:Workspace").plain;
            assert.deepStrictEqual([ws.retentionInDays, ws.sku.name, ws.resourceGroupName, ws.location], [30, "PerGB2018", "rg-owui", "westeurope"]);
            assert.strictEqual(ofType("azure-native:monitor:DiagnosticSetting").length, 5);
            for (const d of ofType("azure-native:monitor:DiagnosticSetting")) assert.strictEqual(d.plain.workspaceId, "chat-logs-id", d.name);
            const allLogs = [{ categoryGroup: "allLogs", enabled: true }];
            assert.deepStrictEqual(
                [setting("postgres").resourceUri, setting("postgres").logs, setting("postgres").metrics],
                ["chat-postgres-id", allLogs, [{ category: "AllMetrics", enabled: true }]],
            );
            assert.deepStrictEqual(
                [setting("redis").resourceUri, setting("redis").logs, setting("redis").metrics],
                ["chat-redis-id", undefined, [{ category: "AllMetrics", enabled: true }]],
            );
            assert.deepStrictEqual(
                [setting("redis-db").resourceUri, setting("redis-db").logs, setting("redis-db").metrics],
                ["chat-redis-db-id", allLogs, undefined],
            );
            assert.deepStrictEqual(
                [setting("blob").resourceUri, setting("blob").logs, setting("blob").metrics],
                ["chat-storage-id/blobServices/default", allLogs, [{ category: "Transaction", enabled: true }]],
            );
            assert.deepStrictEqual([setting("agc").resourceUri, setting("agc").logs], [AZURE_ARGS.ingress.agc.resourceId, allLogs]);
            assert.deepStrictEqual(await reported(), []);
            // `openwebui plan`'s estimate names the workspace as billed by use.
            const est = estimateCost(registered.map((r) => ({ type: r.type, name: r.name, custom: r.custom, props: r.plain })))!;
            assert.ok(
                est.unpriced.some((u) => u.type === "azure-native:operationalinsights:Workspace" && /billed per GB ingested/.test(u.reason)),
                JSON.stringify(est.unpriced),
            );
        });

        it("a CanNotDelete lock on the storage account", () => {
            const lock = one("azure-native:authorization:ManagementLockByScope", "-storage-lock").plain;
            assert.deepStrictEqual([lock.scope, lock.level], ["chat-storage-id", "CanNotDelete"]);
        });

        it("azure.logAnalyticsWorkspaceId: no workspace created, the settings go there; accessLogRetentionDays sizes the created one", async () => {
            const id = `${SUB}/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/central`;
            await build("azure", { azure: { ...AZURE_ARGS, logAnalyticsWorkspaceId: id } });
            assert.strictEqual(ofType("azure-native:operationalinsights:Workspace").length, 0);
            for (const d of ofType("azure-native:monitor:DiagnosticSetting")) assert.strictEqual(d.plain.workspaceId, id);
            await build("azure", { hardening: { accessLogRetentionDays: 90 } });
            assert.strictEqual(one("azure-native:operationalinsights:Workspace").plain.retentionInDays, 90);
        });

        it("accessLogs=false and storageDeletionProtection=false: no workspace, settings or storage lock; the pack reports each", async () => {
            // Telemetry off too: its Application Insights would use (and so create) a workspace.
            await build("azure", { hardening: { accessLogs: false, storageDeletionProtection: false }, otel: { enabled: false } });
            assert.strictEqual(ofType("azure-native:operationalinsights:Workspace").length, 0);
            assert.strictEqual(ofType("azure-native:monitor:DiagnosticSetting").length, 0);
            assert.ok(!ofType("azure-native:authorization:ManagementLockByScope").some((l) => l.name.endsWith("-storage-lock")));
            const found = await reported();
            for (const what of [
                /^azure-diagnostic-settings: PostgreSQL server 'chat-postgres'/,
                /^azure-diagnostic-settings: Azure Managed Redis 'chat-redis'/,
                /^azure-diagnostic-settings: Storage account 'chat-storage'/,
                /^storage-deletion-protection: Storage account 'chat-storage'/,
            ]) {
                assert.ok(
                    found.some((f) => what.test(f)),
                    `${what} not in\n${found.join("\n")}`,
                );
            }
        });

        it("a bad workspace id and a retention outside 30-730 are refused with the field", () => {
            refused(
                "azure",
                { azure: { ...AZURE_ARGS, logAnalyticsWorkspaceId: "central" } },
                /azure\.logAnalyticsWorkspaceId: got "central"; use the workspace's ARM id/,
            );
            refused(
                "azure",
                { hardening: { accessLogRetentionDays: 7 } },
                /hardening\.accessLogRetentionDays: got 7; use a whole number of days from 30 to 730/,
            );
        });
    });
});
