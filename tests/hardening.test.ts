// Hardening defaults on every target, each switched off explicitly, and the policy pack's
// advisory rules reporting the switch: security headers (app env, GKE BackendConfig, ALB
// listener attributes), GKE request logs, cache deletion protection, default-deny policies.
import "./harness";
import * as assert from "assert";
import { envOf, ofType, one, registered, reset, settle } from "./harness";
import { kubernetesObjects, validateK8sObject } from "./k8sSchema";
import { CloudTarget, OpenWebUiCluster } from "../index";
import { runPolicies } from "../policy/runner";
import { analyzed } from "./policyDeps";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const VNET = `${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/aks-vnet`;
const TARGETS: { [t: string]: any } = {
    kubernetes: { target: CloudTarget.Kubernetes },
    aws: {
        target: CloudTarget.Aws,
        aws: {
            vpcId: "vpc-1",
            privateSubnetIds: ["subnet-a", "subnet-b"],
            eks: { clusterName: "prod", securityGroupIds: ["sg-1"] },
            certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
        },
    },
    gcp: { target: CloudTarget.Gcp, gcp: { project: "proj-123", region: "europe-west1", network: "projects/proj-123/global/networks/vpc" } },
    azure: {
        target: CloudTarget.Azure,
        tls: { secretName: "chat-tls" },
        azure: {
            resourceGroupName: "rg-owui",
            location: "westeurope",
            vnetId: VNET,
            postgresSubnetCidr: "10.240.8.0/28",
            privateEndpointSubnetId: `${VNET}/subnets/pe`,
            aksOidcIssuerUrl: "https://westeurope.oic.prod-aks.azure.com/tenant-id/cluster-uuid/",
            ingress: { agc: { resourceId: `${SUB}/resourceGroups/rg-agc/providers/Microsoft.ServiceNetworking/trafficControllers/agc`, frontendName: "fe" } },
        },
    },
};

async function build(target: string, extra: any = {}): Promise<void> {
    reset();
    new OpenWebUiCluster("chat", { hostname: "chat.example.com", ...TARGETS[target], ...extra });
    await settle();
}

async function advisories(): Promise<string[]> {
    return (await runPolicies(analyzed(registered))).map((v) => v.policyName);
}

const appEnv = () =>
    Object.fromEntries(Object.entries(envOf(one("kubernetes:apps/v1:Deployment", "chat").plain.spec.template.spec)).map(([k, v]) => [k, v.value]));
const OFF = {
    network: { defaultDeny: false },
    hardening: { securityHeaders: false, accessLogs: false, cacheDeletionProtection: false, storageDeletionProtection: false },
};
const HARDENING_RULES = [
    "owui-network-default-deny",
    "owui-security-headers",
    "load-balancer-access-logs",
    "cache-deletion-protection",
    "bucket-access-logs",
    "azure-diagnostic-settings",
    "storage-deletion-protection",
];

describe("hardening defaults, per target, and the pack's report when off", function () {
    this.timeout(60000);
    for (const target of Object.keys(TARGETS)) {
        it(`${target}: security headers from the app (HSTS with TLS); the pack is quiet`, async () => {
            await build(target);
            const env = appEnv();
            assert.strictEqual(env.XCONTENT_TYPE, "nosniff");
            assert.strictEqual(env.XFRAME_OPTIONS, "DENY");
            assert.strictEqual(env.REFERRER_POLICY, "strict-origin-when-cross-origin");
            assert.strictEqual(env.HSTS, "max-age=31536000;includeSubDomains");
            assert.deepStrictEqual(
                (await advisories()).filter((p) => HARDENING_RULES.includes(p)),
                [],
            );
        });
        it(`${target}: every default off explicitly, and the pack says so`, async () => {
            await build(target, OFF);
            const env = appEnv();
            assert.strictEqual(env.HSTS, undefined);
            assert.strictEqual(env.XCONTENT_TYPE, undefined);
            const found = await advisories();
            assert.ok(found.includes("owui-network-default-deny"), found.join(", "));
            assert.ok(found.includes("owui-security-headers"), found.join(", "));
            const expected: { [t: string]: string[] } = {
                kubernetes: [],
                aws: ["load-balancer-access-logs", "bucket-access-logs", "cache-deletion-protection"],
                gcp: ["load-balancer-access-logs", "bucket-access-logs", "cache-deletion-protection"],
                azure: ["azure-diagnostic-settings", "storage-deletion-protection"],
            };
            for (const rule of expected[target]) assert.ok(found.includes(rule), `${rule} not in ${found.join(", ")}`);
        });
    }

    it("gcp: BackendConfig request logs and response headers; Memorystore deletionProtection", async () => {
        await build("gcp");
        const bc = ofType("kubernetes:cloud.google.com/v1:BackendConfig")[0].plain;
        assert.deepStrictEqual(bc.spec.logging, { enable: true, sampleRate: 1 });
        assert.ok(bc.spec.customResponseHeaders.headers.includes("Strict-Transport-Security: max-age=31536000; includeSubDomains"));
        assert.ok(bc.spec.customResponseHeaders.headers.includes("X-Content-Type-Options: nosniff"));
        for (const o of kubernetesObjects(registered).filter((x) => x.kind === "BackendConfig")) await validateK8sObject(o);
        assert.strictEqual(one("gcp:redis/instance:Instance").plain.deletionProtection, true);
        await build("gcp", OFF);
        const off = ofType("kubernetes:cloud.google.com/v1:BackendConfig")[0].plain;
        assert.strictEqual(off.spec.logging, undefined);
        assert.strictEqual(off.spec.customResponseHeaders, undefined);
        assert.strictEqual(one("gcp:redis/instance:Instance").plain.deletionProtection, false);
    });

    it("gcp: kmsKeyName encrypts Cloud SQL, Memorystore and the bucket with the customer's key; a bad name is refused", async () => {
        const key = "projects/proj-123/locations/europe-west1/keyRings/owui/cryptoKeys/data";
        await build("gcp", { gcp: { ...TARGETS.gcp.gcp, kmsKeyName: key } });
        assert.strictEqual(one("gcp:sql/databaseInstance:DatabaseInstance").plain.encryptionKeyName, key);
        assert.strictEqual(one("gcp:redis/instance:Instance").plain.customerManagedKey, key);
        assert.strictEqual(one("gcp:storage/bucket:Bucket", "-uploads").plain.encryption.defaultKmsKeyName, key);
        assert.strictEqual(one("gcp:storage/bucket:Bucket", "-access-logs").plain.encryption.defaultKmsKeyName, key);
        await build("gcp");
        assert.strictEqual(one("gcp:storage/bucket:Bucket", "-uploads").plain.encryption, undefined);
        reset();
        assert.throws(
            () => new OpenWebUiCluster("chat", { hostname: "chat.example.com", ...TARGETS.gcp, gcp: { ...TARGETS.gcp.gcp, kmsKeyName: "my-key" } }),
            /gcp\.kmsKeyName: got "my-key"; use a Cloud KMS key name/,
        );
    });

    it("aws: ALB HTTPS listener attributes set the headers; ElastiCache keeps a final snapshot", async () => {
        await build("aws");
        const ann = one("kubernetes:networking.k8s.io/v1:Ingress").plain.metadata.annotations;
        const attrs = ann["alb.ingress.kubernetes.io/listener-attributes.HTTPS-443"];
        assert.match(attrs, /routing\.http\.response\.strict_transport_security\.header_value=max-age=31536000; includeSubDomains/);
        assert.match(attrs, /routing\.http\.response\.x_content_type_options\.header_value=nosniff/);
        assert.match(attrs, /routing\.http\.response\.x_frame_options\.header_value=DENY/);
        assert.match(one("aws:elasticache/replicationGroup:ReplicationGroup").plain.finalSnapshotIdentifier, /^chat-.*-cache-final$/);
        await build("aws", OFF);
        assert.strictEqual(
            one("kubernetes:networking.k8s.io/v1:Ingress").plain.metadata.annotations["alb.ingress.kubernetes.io/listener-attributes.HTTPS-443"],
            undefined,
        );
        assert.strictEqual(one("aws:elasticache/replicationGroup:ReplicationGroup").plain.finalSnapshotIdentifier, undefined);
    });

    it("azure: a CanNotDelete lock on the managed Redis, gone when turned off", async () => {
        await build("azure");
        const locks = ofType("azure-native:authorization:ManagementLockByScope").map((l) => l.name);
        assert.ok(locks.includes("chat-redis-lock"), locks.join(", "));
        assert.strictEqual(ofType("azure-native:authorization:ManagementLockByScope").find((l) => l.name === "chat-redis-lock")!.plain.level, "CanNotDelete");
        await build("azure", OFF);
        assert.ok(!ofType("azure-native:authorization:ManagementLockByScope").some((l) => l.name === "chat-redis-lock"));
    });

    it("azure: customerManagedKey encrypts PostgreSQL and the storage account through the identity; bad ids refused", async () => {
        const uami = `${SUB}/resourceGroups/rg-owui/providers/Microsoft.ManagedIdentity/userAssignedIdentities/owui-cmk`;
        const keyId = "https://owui-kv.vault.azure.net/keys/data";
        await build("azure", { azure: { ...TARGETS.azure.azure, customerManagedKey: { keyId, userAssignedIdentityId: uami } } });
        const server = one("azure-native:dbforpostgresql:Server").plain;
        assert.deepStrictEqual(server.dataEncryption, { type: "AzureKeyVault", primaryKeyURI: keyId, primaryUserAssignedIdentityId: uami });
        assert.deepStrictEqual(server.identity, { type: "UserAssigned", userAssignedIdentities: { [uami]: {} } });
        const account = one("azure-native:storage:StorageAccount").plain;
        assert.deepStrictEqual(account.identity, { type: "UserAssigned", userAssignedIdentities: [uami] });
        assert.deepStrictEqual(account.encryption.keyVaultProperties, { keyVaultUri: "https://owui-kv.vault.azure.net/", keyName: "data" });
        assert.strictEqual(account.encryption.keySource, "Microsoft.Keyvault");
        assert.strictEqual(account.encryption.encryptionIdentity.encryptionUserAssignedIdentity, uami);
        reset();
        assert.throws(
            () =>
                new OpenWebUiCluster("chat", {
                    hostname: "chat.example.com",
                    ...TARGETS.azure,
                    azure: { ...TARGETS.azure.azure, customerManagedKey: { keyId: "kv/data", userAssignedIdentityId: "owui" } },
                }),
            (e: any) =>
                /azure\.customerManagedKey\.keyId: got "kv\/data"/.test(e.message) &&
                /azure\.customerManagedKey\.userAssignedIdentityId: got "owui"/.test(e.message),
        );
    });

    it("kubernetes without TLS: no HSTS, the other headers stay", async () => {
        await build("kubernetes", { tls: { enabled: false, allowInsecureHttp: true } });
        const env = appEnv();
        assert.strictEqual(env.HSTS, undefined);
        assert.strictEqual(env.XCONTENT_TYPE, "nosniff");
    });
    it("kubernetes: an app Service of type LoadBalancer or NodePort is reported by the pack; ClusterIP (default) is quiet", async () => {
        for (const type of ["LoadBalancer", "NodePort"]) {
            await build("kubernetes", { service: { type }, network: { loadBalancerSourceCidrs: ["203.0.113.0/24"] } });
            assert.strictEqual(one("kubernetes:core/v1:Service", "chat").plain.spec.type, type);
            assert.ok((await advisories()).includes("owui-app-service-not-exposed"), type);
        }
        await build("kubernetes");
        assert.ok(!(await advisories()).includes("owui-app-service-not-exposed"));
    });
});
