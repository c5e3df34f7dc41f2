// The gcp target end to end under mocks: every cloud property the target promises, the
// wiring into the Kubernetes objects, the errors for bad GCP inputs, and the example.
import { envOf, isSecretInput, one, ofType, registered, reset, settle } from "./harness";
import * as assert from "assert";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { OpenWebUiCluster } from "../index";
import { clearExampleConfig, loadExample } from "./exampleLoader";
import { runPolicies } from "../policy/runner";
import { analyzed } from "./policyDeps";
import { kubernetesObjects, validateK8sObject } from "./k8sSchema";
import { GCP_DATABASE_SIZING, defaultServiceAccountId, gcpLabels, transactionLogDays } from "../providers/gcp";

const NETWORK = "projects/proj-123/global/networks/vpc";
const CA = "-----BEGIN CERTIFICATE-----\nMOCK\n-----END CERTIFICATE-----\n";

const T = {
    instance: "gcp:sql/databaseInstance:DatabaseInstance",
    database: "gcp:sql/database:Database",
    user: "gcp:sql/user:User",
    redis: "gcp:redis/instance:Instance",
    bucket: "gcp:storage/bucket:Bucket",
    bucketIam: "gcp:storage/bucketIAMMember:BucketIAMMember",
    gsa: "gcp:serviceaccount/account:Account",
    gsaIam: "gcp:serviceaccount/iAMMember:IAMMember",
    address: "gcp:compute/globalAddress:GlobalAddress",
    connection: "gcp:servicenetworking/connection:Connection",
    sslPolicy: "gcp:compute/sSLPolicy:SSLPolicy",
    record: "gcp:dns/recordSet:RecordSet",
    backendConfig: "kubernetes:cloud.google.com/v1:BackendConfig",
    frontendConfig: "kubernetes:networking.gke.io/v1beta1:FrontendConfig",
    cert: "kubernetes:networking.gke.io/v1:ManagedCertificate",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    service: "kubernetes:core/v1:Service",
    secret: "kubernetes:core/v1:Secret",
    deployment: "kubernetes:apps/v1:Deployment",
    job: "kubernetes:batch/v1:Job",
    sa: "kubernetes:core/v1:ServiceAccount",
};

interface Recorded {
    type: string;
    name: string;
    opts: pulumi.ResourceOptions;
}

function gcpArgs(extra: any = {}): any {
    return { project: "proj-123", region: "europe-west1", network: NETWORK, ...extra };
}

/** Builds the component on the gcp target, records every child's options, and waits. */
async function build(args: any = {}, name = "chat"): Promise<{ c: OpenWebUiCluster; opts: Recorded[] }> {
    reset();
    const recorded: Recorded[] = [];
    const { gcp, ...rest } = args;
    const c = new OpenWebUiCluster(name, { target: "gcp", hostname: "chat.example.com", ...rest, gcp: gcpArgs(gcp) } as any, {
        transformations: [
            (a) => {
                recorded.push({ type: a.type, name: a.name, opts: a.opts });
                return undefined;
            },
        ],
    });
    await settle();
    return { c, opts: recorded };
}

function optsOf(rec: Recorded[], type: string, name?: string): pulumi.CustomResourceOptions {
    const found = rec.filter((r) => r.type === type && (name === undefined || r.name === name));
    assert.strictEqual(found.length, 1, `expected one ${type} recorded, got ${found.length}`);
    return found[0].opts as pulumi.CustomResourceOptions;
}

function dependsOnTypes(o: pulumi.ResourceOptions): string[] {
    const d = o.dependsOn as pulumi.Resource[] | undefined;
    return (d ?? []).map((r) => (r as any).__pulumiType ?? "component");
}

function appDeployment(): any {
    return ofType(T.deployment).find((d) => d.name === "chat")!.plain;
}

async function validateAll(): Promise<number> {
    const objs = kubernetesObjects(registered);
    for (const o of objs) await validateK8sObject(o);
    return objs.length;
}

describe("gcp target", function () {
    this.timeout(30000);

    describe("defaults (medium, HA)", () => {
        let rec: Recorded[];
        let c: OpenWebUiCluster;
        before(async () => {
            ({ c, opts: rec } = await build({ gcp: { dnsZone: "example-com" } }));
        });

        it("creates a regional, private-IP-only, TLS-only Cloud SQL for PostgreSQL with PITR and deletion protection", () => {
            const db = one(T.instance).plain;
            assert.strictEqual(db.project, "proj-123");
            assert.strictEqual(db.region, "europe-west1");
            assert.strictEqual(db.databaseVersion, "POSTGRES_16");
            assert.strictEqual(db.deletionProtection, true);
            const s = db.settings;
            assert.strictEqual(s.tier, "db-custom-4-16384");
            assert.strictEqual(s.edition, "ENTERPRISE");
            assert.strictEqual(s.availabilityType, "REGIONAL");
            assert.strictEqual(s.deletionProtectionEnabled, true);
            assert.strictEqual(s.diskAutoresize, true);
            assert.strictEqual(s.diskType, "PD_SSD");
            assert.deepStrictEqual(s.ipConfiguration, {
                ipv4Enabled: false,
                privateNetwork: NETWORK,
                allocatedIpRange: "chat-psa-range",
                sslMode: "ENCRYPTED_ONLY",
            });
            assert.deepStrictEqual(s.backupConfiguration, {
                enabled: true,
                pointInTimeRecoveryEnabled: true,
                startTime: "02:00",
                transactionLogRetentionDays: 7,
                backupRetentionSettings: { retainedBackups: 14, retentionUnit: "COUNT" },
            });
            assert.deepStrictEqual(s.databaseFlags, [{ name: "max_connections", value: "500" }]);
            assert.deepStrictEqual(s.maintenanceWindow, { day: 7, hour: 3, updateTrack: "stable" });
            assert.strictEqual(s.insightsConfig.queryInsightsEnabled, true);
            assert.strictEqual(s.userLabels["openwebui-cluster"], "chat");
            assert.strictEqual(s.userLabels["managed-by"], "pulumi");
        });

        it("orders Cloud SQL after the private services access connection and never shrinks the auto-resized disk", () => {
            const o = optsOf(rec, T.instance);
            assert.deepStrictEqual(dependsOnTypes(o), [T.connection]);
            assert.deepStrictEqual(o.ignoreChanges, ["settings.diskSize"]);
            const range = one(T.address, "-psa-range").plain;
            assert.deepStrictEqual(
                { purpose: range.purpose, addressType: range.addressType, prefixLength: range.prefixLength, network: range.network },
                { purpose: "VPC_PEERING", addressType: "INTERNAL", prefixLength: 16, network: NETWORK },
            );
            const conn = one(T.connection).plain;
            assert.deepStrictEqual(conn.reservedPeeringRanges, ["chat-psa-range"]);
            assert.strictEqual(conn.service, "servicenetworking.googleapis.com");
            assert.strictEqual(conn.network, NETWORK);
            assert.strictEqual(optsOf(rec, T.instance).parent, c);
        });

        it("creates the database and a built-in admin user (cloudsqlsuperuser) with a generated secret password", () => {
            const d = one(T.database).plain;
            assert.strictEqual(d.name, "openwebui");
            assert.strictEqual(d.instance, "chat-postgres");
            assert.strictEqual(d.deletionPolicy, "PREVENT");
            const u = one(T.user).plain;
            assert.strictEqual(u.name, "owui_admin");
            assert.strictEqual(u.type, "BUILT_IN");
            assert.strictEqual(u.instance, "chat-postgres");
            assert.strictEqual(u.deletionPolicy, "ABANDON");
            assert.ok(isSecretInput(one(T.user).inputs, "password"), "admin password must be a secret");
            const pw = one("random:index/randomPassword:RandomPassword", "-db-admin-password").plain;
            assert.strictEqual(pw.length, 32);
            assert.strictEqual(pw.special, false);
            // The mock RandomPassword honours length and character classes: the user gets its result.
            assert.match(u.password, /^[A-Za-z0-9]{32}$/);
        });

        it("hands the admin credentials to the core's bootstrap Job over TLS, verifying the instance's server CA (verify-ca)", () => {
            const s = one(T.secret, "-db-admin").plain.stringData;
            assert.strictEqual(s.PGHOST, "10.10.0.3");
            assert.strictEqual(s.PGPORT, "5432");
            assert.strictEqual(s.PGUSER, "owui_admin");
            assert.strictEqual(s.PGDATABASE, "openwebui");
            // verify-ca: the per-instance certificate does not name the private IP.
            assert.strictEqual(s.PGSSLMODE, "verify-ca");
            assert.ok(isSecretInput(one(T.secret, "-db-admin").inputs, "stringData.PGPASSWORD"));
            const app = one(T.secret, "chat-app").plain.stringData;
            assert.match(
                app.DATABASE_URL,
                /^postgresql:\/\/openwebui_app:[A-Za-z0-9]{40}@10\.10\.0\.3:5432\/openwebui\?sslmode=verify-ca&sslrootcert=\/etc\/open-webui\/db-ca\/ca\.crt&connect_timeout=10&keepalives=1&keepalives_idle=15&keepalives_interval=5&keepalives_count=3&tcp_user_timeout=15000$/,
            );
        });

        it("sizes the pools from the explicit max_connections flag", async () => {
            const flag = Number(one(T.instance).plain.settings.databaseFlags[0].value);
            const served = await new Promise<number>((r) => c.databaseServerMaxConnections.apply(r));
            assert.strictEqual(served, flag);
            const worst = await new Promise<number>((r) => c.databaseMaxClientConnections.apply(r));
            assert.ok(worst <= Math.floor(flag * 0.8), `worst case ${worst} within 80% of ${flag}`);
            assert.strictEqual(
                appDeployment().spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable,
                "DoNotSchedule",
                "GKE nodes carry zone labels",
            );
            const env = envOf(appDeployment().spec.template.spec);
            const pool = await new Promise<number>((r) => c.databasePoolSize.apply(r));
            assert.strictEqual(env.DATABASE_POOL_SIZE.value, String(pool));
        });

        it("creates an HA Memorystore with AUTH, TLS, private service access, Redis 7.2 and a 30 min idle timeout", () => {
            const r = one(T.redis).plain;
            assert.strictEqual(r.project, "proj-123");
            assert.strictEqual(r.region, "europe-west1");
            assert.strictEqual(r.tier, "STANDARD_HA");
            assert.strictEqual(r.authEnabled, true);
            assert.strictEqual(r.transitEncryptionMode, "SERVER_AUTHENTICATION");
            assert.strictEqual(r.connectMode, "PRIVATE_SERVICE_ACCESS");
            assert.strictEqual(r.authorizedNetwork, NETWORK);
            assert.strictEqual(r.reservedIpRange, "chat-psa-range");
            assert.strictEqual(r.redisVersion, "REDIS_7_2");
            assert.strictEqual(r.memorySizeGb, 2);
            assert.deepStrictEqual(r.redisConfigs, { timeout: "1800" });
            assert.deepStrictEqual(r.maintenancePolicy.weeklyMaintenanceWindows, [
                { day: "SUNDAY", startTime: { hours: 3, minutes: 0, seconds: 0, nanos: 0 } },
            ]);
            assert.strictEqual(r.labels["openwebui-cluster"], "chat");
            assert.deepStrictEqual(dependsOnTypes(optsOf(rec, T.redis)), [T.connection]);
        });

        it("wires rediss:// with the Memorystore CA: URL in the app Secret, CA in its own Secret mounted read-only", () => {
            const app = one(T.secret, "chat-app");
            assert.ok(isSecretInput(app.inputs, "stringData.REDIS_URL"), "REDIS_URL is a Pulumi secret");
            assert.strictEqual(
                app.plain.stringData.REDIS_URL,
                "rediss://:mock-redis-auth@10.10.1.4:6378/0?ssl_cert_reqs=required&ssl_ca_certs=/etc/open-webui/redis-ca/ca.crt&ssl_check_hostname=false",
            );
            const ca = one(T.secret, "-redis-ca").plain;
            assert.strictEqual(ca.stringData["ca.crt"], CA);
            for (const pod of [appDeployment().spec.template.spec, one(T.job, "-migrate").plain.spec.template.spec]) {
                const env = envOf(pod);
                assert.deepStrictEqual(env.REDIS_URL.valueFrom, { secretKeyRef: { name: "chat-app", key: "REDIS_URL" } });
                assert.strictEqual(env.REDIS_URL.value, undefined);
                assert.deepStrictEqual(env.WEBSOCKET_REDIS_URL.valueFrom, { secretKeyRef: { name: "chat-app", key: "REDIS_URL" } });
                assert.strictEqual(env.REDIS_CLUSTER, undefined);
                const vol = pod.volumes.find((v: any) => v.name === "redis-ca");
                assert.deepStrictEqual(vol.secret, { secretName: "chat-redis-ca", items: [{ key: "ca.crt", path: "ca.crt" }] });
                const mount = pod.containers[0].volumeMounts.find((m: any) => m.name === "redis-ca");
                assert.deepStrictEqual(mount, { name: "redis-ca", mountPath: "/etc/open-webui/redis-ca", readOnly: true });
            }
        });

        it("creates a private, versioned, uniform-access GCS bucket in the region, retained on delete", () => {
            const b = one(T.bucket, "-uploads").plain;
            assert.strictEqual(b.project, "proj-123");
            assert.strictEqual(b.location, "EUROPE-WEST1");
            assert.strictEqual(b.uniformBucketLevelAccess, true);
            assert.strictEqual(b.publicAccessPrevention, "enforced");
            assert.deepStrictEqual(b.versioning, { enabled: true });
            assert.strictEqual(b.forceDestroy, false);
            assert.deepStrictEqual(b.lifecycleRules, [{ action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 30, withState: "ARCHIVED" } }]);
            assert.strictEqual(optsOf(rec, T.bucket, "chat-uploads").retainOnDelete, true);
        });

        it("points Open WebUI at GCS with no key file", () => {
            const env = envOf(appDeployment().spec.template.spec);
            assert.strictEqual(env.STORAGE_PROVIDER.value, "gcs");
            assert.strictEqual(env.GCS_BUCKET_NAME.value, "chat-uploads");
            for (const k of [
                "GOOGLE_APPLICATION_CREDENTIALS_JSON",
                "GOOGLE_APPLICATION_CREDENTIALS",
                "S3_BUCKET_NAME",
                "S3_ACCESS_KEY_ID",
                "S3_SECRET_ACCESS_KEY",
            ]) {
                assert.strictEqual(env[k], undefined, `${k} must not be set`);
            }
        });

        it("binds exactly namespace/ksa to the GSA and grants it objectAdmin on that bucket only", () => {
            const gsa = one(T.gsa, "chat-gsa").plain;
            assert.strictEqual(gsa.project, "proj-123");
            assert.match(gsa.accountId, /^owui-chat-[0-9a-f]{6}$/);
            assert.strictEqual(gsa.accountId, defaultServiceAccountId("chat"));
            const wi = one(T.gsaIam, "chat-gsa-wi").plain;
            assert.strictEqual(wi.role, "roles/iam.workloadIdentityUser");
            assert.strictEqual(wi.member, "serviceAccount:proj-123.svc.id.goog[open-webui/chat]");
            assert.strictEqual(wi.serviceAccountId, "projects/proj/serviceAccounts/chat-gsa");
            const iam = one(T.bucketIam, "-gsa-bucket").plain;
            assert.strictEqual(iam.bucket, "chat-uploads");
            assert.strictEqual(iam.role, "roles/storage.objectAdmin");
            assert.strictEqual(iam.member, `serviceAccount:${gsa.accountId}@proj.iam.gserviceaccount.com`);
            // No project-, folder- or organization-level grants anywhere.
            const broad = registered.filter((r) => /^gcp:(projects|organizations|folders)\//.test(r.type) || /IAM(Member|Binding|Policy)$/.test(r.type));
            // Bucket-level grants only: the GSA on the uploads, Google's usage-log writer on the log bucket;
            // plus the collector's own GSA (telemetry.ts): trace/log writers exist only at project level.
            assert.deepStrictEqual(
                broad.map((r) => r.name).sort(),
                [
                    "chat-access-logs-writer",
                    "chat-gsa-bucket",
                    "chat-gsa-wi",
                    "chat-otel-cloudtrace-agent",
                    "chat-otel-gsa-wi",
                    "chat-otel-logging-logwriter",
                ].sort(),
            );
        });

        it("annotates the Kubernetes ServiceAccount with the GSA email and runs the pods as it", () => {
            const sa = one(T.sa, "chat-serviceaccount").plain;
            assert.strictEqual(sa.metadata.name, "chat");
            assert.strictEqual(sa.metadata.namespace, "open-webui");
            assert.deepStrictEqual(sa.metadata.annotations, {
                "iam.gke.io/gcp-service-account": `${one(T.gsa, "chat-gsa").plain.accountId}@proj.iam.gserviceaccount.com`,
            });
            assert.strictEqual(appDeployment().spec.template.spec.serviceAccountName, "chat");
        });

        it("exposes the Service through GKE Ingress (class annotation, no ingressClassName) with a static IP, managed cert and FrontendConfig", () => {
            const ing = one(T.ingress).plain;
            assert.deepStrictEqual(ing.metadata.annotations, {
                "kubernetes.io/ingress.class": "gce",
                "kubernetes.io/ingress.global-static-ip-name": "chat-ip",
                "networking.gke.io/managed-certificates": "chat-cert",
                "networking.gke.io/v1beta1.FrontendConfig": "chat-frontend",
                "pulumi.com/timeoutSeconds": "1200",
            });
            assert.strictEqual(ing.spec.ingressClassName, undefined);
            assert.strictEqual(ing.spec.tls, undefined);
            assert.strictEqual(ing.spec.rules[0].host, "chat.example.com");
            const ip = one(T.address, "chat-ip").plain;
            assert.strictEqual(ip.addressType, "EXTERNAL");
            assert.strictEqual(ip.ipVersion, "IPV4");
            assert.strictEqual(ip.purpose, undefined);
        });

        it("annotates the Service with the BackendConfig and container-native load balancing", () => {
            const svc = ofType(T.service).find((s) => s.name === "chat")!.plain;
            assert.deepStrictEqual(JSON.parse(svc.metadata.annotations["cloud.google.com/backend-config"]), { default: "chat-backend" });
            assert.deepStrictEqual(JSON.parse(svc.metadata.annotations["cloud.google.com/neg"]), { ingress: true });
        });

        it("BackendConfig: websocket-long backend timeout, draining inside the grace period, /health on 8080", () => {
            const bc = one(T.backendConfig).plain;
            assert.strictEqual(bc.metadata.name, "chat-backend");
            assert.strictEqual(bc.metadata.namespace, "open-webui");
            assert.strictEqual(bc.spec.timeoutSec, 3600);
            const grace = appDeployment().spec.template.spec.terminationGracePeriodSeconds;
            assert.strictEqual(grace, 60);
            assert.strictEqual(bc.spec.connectionDraining.drainingTimeoutSec, 55);
            assert.ok(bc.spec.connectionDraining.drainingTimeoutSec < grace);
            assert.deepStrictEqual(bc.spec.healthCheck, {
                type: "HTTP",
                requestPath: "/health",
                port: 8080,
                checkIntervalSec: 10,
                timeoutSec: 5,
                healthyThreshold: 1,
                unhealthyThreshold: 3,
            });
            assert.strictEqual(bc.spec.securityPolicy, undefined);
        });

        it("FrontendConfig redirects to HTTPS with a TLS 1.2+ SSL policy; ManagedCertificate covers the hostname", () => {
            const fc = one(T.frontendConfig).plain;
            assert.strictEqual(fc.metadata.name, "chat-frontend");
            assert.deepStrictEqual(fc.spec.redirectToHttps, { enabled: true, responseCodeName: "MOVED_PERMANENTLY_DEFAULT" });
            const pol = one(T.sslPolicy).plain;
            assert.strictEqual(pol.profile, "MODERN");
            assert.strictEqual(pol.minTlsVersion, "TLS_1_2");
            assert.strictEqual(fc.spec.sslPolicy, "chat-ssl-policy");
            const mc = one(T.cert).plain;
            assert.strictEqual(mc.metadata.name, "chat-cert");
            assert.strictEqual(mc.metadata.namespace, "open-webui");
            assert.deepStrictEqual(mc.spec, { domains: ["chat.example.com"] });
        });

        it("creates the Cloud DNS A record from the static IP and publishes https://hostname", async () => {
            const rr = one(T.record).plain;
            assert.deepStrictEqual(
                { managedZone: rr.managedZone, name: rr.name, type: rr.type, ttl: rr.ttl, rrdatas: rr.rrdatas, project: rr.project },
                { managedZone: "example-com", name: "chat.example.com.", type: "A", ttl: 300, rrdatas: ["34.120.0.10"], project: "proj-123" },
            );
            assert.strictEqual(await new Promise((r) => c.url.apply(r)), "https://chat.example.com");
            assert.strictEqual(envOf(appDeployment().spec.template.spec).WEBUI_URL.value, "https://chat.example.com");
            assert.strictEqual(
                await new Promise((r) => c.identityPrincipal.apply(r)),
                `${one(T.gsa, "chat-gsa").plain.accountId}@proj.iam.gserviceaccount.com`,
            );
            assert.strictEqual(await new Promise((r) => c.redisEndpoint.apply(r)), "10.10.1.4:6378");
        });

        it("the stack passes the openwebui-ha policy pack with no violation at all", async () => {
            const violations = await runPolicies(analyzed(registered));
            // owui-alarms is advisory by design here: by default the alarms notify no one (tests/alarms.test.ts).
            // owui-pool-churn too: Cloud SQL medium's 500 connections over 14 pods x 3 engines leave a pool of 9, below the preset's 25 (tests/capacity.test.ts).
            const expected = new Set(["owui-alarms", "owui-pool-churn"]);
            assert.deepStrictEqual(
                violations.filter((v) => !expected.has(v.policyName)).map((v) => `${v.enforcementLevel} ${v.policyName}: ${v.message}`),
                [],
            );
            assert.deepStrictEqual(
                violations.filter((v) => v.policyName === "owui-pool-churn").map((v) => v.enforcementLevel),
                ["advisory"],
            );
            assert.deepStrictEqual(
                violations.filter((v) => v.policyName === "owui-alarms").map((v) => v.enforcementLevel),
                ["advisory"],
            );
        });

        it("every GCP child is parented to the component, named chat-<role>, and labelled where GCP allows labels", () => {
            const gcp = rec.filter((r) => r.type.startsWith("gcp:"));
            assert.ok(gcp.length >= 13, `only ${gcp.length} GCP resources`);
            for (const r of gcp) {
                assert.strictEqual(r.opts.parent, c, `${r.name} parent`);
                assert.match(r.name, /^chat-[a-z-]+$/);
            }
            const labelled: [string, (p: any) => any][] = [
                [T.instance, (p) => p.settings.userLabels],
                [T.redis, (p) => p.labels],
                [T.bucket, (p) => p.labels],
            ];
            for (const [t, f] of labelled)
                for (const r of ofType(t)) assert.deepStrictEqual(f(r.plain), { "openwebui-cluster": "chat", "managed-by": "pulumi" }, r.name);
            for (const a of ofType(T.address)) assert.deepStrictEqual(a.plain.labels, { "openwebui-cluster": "chat", "managed-by": "pulumi" }, a.name);
        });

        it("every Kubernetes object passes its OpenAPI schema (incl. the GKE CRDs)", async () => {
            const n = await validateAll();
            assert.ok(n >= 15, `validated ${n} objects`);
            for (const t of [T.backendConfig, T.frontendConfig, T.cert]) assert.strictEqual(ofType(t).length, 1);
        });
    });

    it("uses an existing private services access range: no range or peering created, services placed in it", async () => {
        const { opts } = await build({ gcp: { privateServiceAccessRange: "google-managed-services-vpc" } });
        assert.strictEqual(ofType(T.connection).length, 0);
        assert.deepStrictEqual(
            ofType(T.address).map((a) => a.name),
            ["chat-ip"],
        );
        assert.strictEqual(one(T.instance).plain.settings.ipConfiguration.allocatedIpRange, "google-managed-services-vpc");
        assert.strictEqual(one(T.redis).plain.reservedIpRange, "google-managed-services-vpc");
        assert.deepStrictEqual(
            dependsOnTypes(optsOf(opts, T.instance)).filter((t) => t.startsWith("gcp:")),
            [],
        );
        await validateAll();
    });

    it("DIRECT_PEERING Memorystore: authorized network, no PSA range; Cloud SQL still uses PSA", async () => {
        const { opts } = await build({ gcp: { redisConnectMode: "DIRECT_PEERING", privateServiceAccessPrefixLength: 20 } });
        const r = one(T.redis).plain;
        assert.strictEqual(r.connectMode, "DIRECT_PEERING");
        assert.strictEqual(r.authorizedNetwork, NETWORK);
        assert.strictEqual(r.reservedIpRange, undefined);
        assert.deepStrictEqual(
            dependsOnTypes(optsOf(opts, T.redis)).filter((t) => t.startsWith("gcp:")),
            [],
        );
        assert.strictEqual(one(T.address, "-psa-range").plain.prefixLength, 20);
        assert.strictEqual(ofType(T.connection).length, 1);
    });

    for (const [size, tier, maxConn, mem] of [
        ["small", "db-custom-2-7680", 400, 1],
        ["large", "db-custom-8-32768", 600, 5],
    ] as const) {
        it(`size ${size}: tier ${tier}, max_connections ${maxConn}, ${mem} GiB Redis`, async () => {
            const { c } = await build({ size });
            const s = one(T.instance).plain.settings;
            assert.strictEqual(s.tier, tier);
            assert.deepStrictEqual(s.databaseFlags, [{ name: "max_connections", value: String(maxConn) }]);
            assert.strictEqual(GCP_DATABASE_SIZING[size].maxConnections, maxConn);
            assert.strictEqual(await new Promise((r) => c.databaseServerMaxConnections.apply(r)), maxConn);
            assert.strictEqual(one(T.redis).plain.memorySizeGb, mem);
        });
    }

    it("escape hatches: tier, max_connections, Redis size/version, maintenance, service account; 30 backups with PITR logs capped at 7 days", async () => {
        const { c } = await build({
            database: { maxConnections: 800, backupRetentionDays: 30 },
            gcp: {
                databaseTier: "db-custom-16-65536",
                databaseDiskSizeGb: 100,
                redisMemorySizeGb: 10,
                redisVersion: "REDIS_7_0",
                maintenanceWindow: { day: 2, hour: 22 },
                serviceAccountId: "openwebui-prod",
                noncurrentVersionRetentionDays: 0,
                storageLocation: "EU",
            },
        });
        const s = one(T.instance).plain.settings;
        assert.strictEqual(s.tier, "db-custom-16-65536");
        assert.strictEqual(s.diskSize, 100);
        assert.deepStrictEqual(s.databaseFlags, [{ name: "max_connections", value: "800" }]);
        assert.deepStrictEqual(s.maintenanceWindow, { day: 2, hour: 22, updateTrack: "stable" });
        assert.strictEqual(s.backupConfiguration.startTime, "21:00");
        // ENTERPRISE keeps at most 7 days of transaction logs; daily backups follow the spec.
        assert.strictEqual(s.backupConfiguration.transactionLogRetentionDays, 7);
        assert.strictEqual(s.backupConfiguration.backupRetentionSettings.retainedBackups, 30);
        assert.strictEqual(await new Promise((r) => c.databaseServerMaxConnections.apply(r)), 800);
        const r = one(T.redis).plain;
        assert.strictEqual(r.memorySizeGb, 10);
        assert.strictEqual(r.redisVersion, "REDIS_7_0");
        assert.strictEqual(r.maintenancePolicy.weeklyMaintenanceWindows[0].day, "TUESDAY");
        assert.strictEqual(r.maintenancePolicy.weeklyMaintenanceWindows[0].startTime.hours, 22);
        assert.strictEqual(one(T.gsa, "chat-gsa").plain.accountId, "openwebui-prod");
        assert.deepStrictEqual(one(T.bucket, "-uploads").plain.lifecycleRules, []);
        assert.strictEqual(one(T.bucket, "-uploads").plain.location, "EU");
    });

    it("ENTERPRISE_PLUS with a perf-optimized tier keeps up to 35 days of PITR logs", async () => {
        await build({
            database: { backupRetentionDays: 35, maxConnections: 1000 },
            gcp: { databaseEdition: "ENTERPRISE_PLUS", databaseTier: "db-perf-optimized-N-4" },
        });
        const s = one(T.instance).plain.settings;
        assert.strictEqual(s.edition, "ENTERPRISE_PLUS");
        assert.strictEqual(s.tier, "db-perf-optimized-N-4");
        assert.strictEqual(s.backupConfiguration.transactionLogRetentionDays, 34);
        assert.deepStrictEqual(s.databaseFlags, [{ name: "max_connections", value: "1000" }]);
    });

    it("follows the neutral spec: backups, retention, deletion protection off, zonal database, bucket name", async () => {
        const { opts } = await build({
            database: { highAvailability: false, deletionProtection: false, backupRetentionDays: 3, version: "17", name: "chat_db" },
            storage: { retainOnDelete: false, bucketName: "acme-chat-uploads" },
        });
        const db = one(T.instance).plain;
        assert.strictEqual(db.databaseVersion, "POSTGRES_17");
        assert.strictEqual(db.deletionProtection, false);
        assert.strictEqual(db.settings.deletionProtectionEnabled, false);
        assert.strictEqual(db.settings.availabilityType, "ZONAL");
        // Cloud SQL requires more retained backups than days of logs.
        assert.strictEqual(db.settings.backupConfiguration.transactionLogRetentionDays, 2);
        assert.strictEqual(db.settings.backupConfiguration.backupRetentionSettings.retainedBackups, 3);
        assert.strictEqual(one(T.database).plain.deletionPolicy, "DELETE");
        assert.strictEqual(one(T.database).plain.name, "chat_db");
        assert.strictEqual(one(T.bucket, "-uploads").plain.name, "acme-chat-uploads");
        assert.strictEqual(one(T.bucketIam, "-gsa-bucket").plain.bucket, "acme-chat-uploads");
        assert.strictEqual(optsOf(opts, T.bucket, "chat-uploads").retainOnDelete, false);
        assert.strictEqual(envOf(appDeployment().spec.template.spec).GCS_BUCKET_NAME.value, "acme-chat-uploads");
    });

    it("BASIC Memorystore only when asked for explicitly", async () => {
        await build({ gcp: { redisTier: "BASIC" } });
        assert.strictEqual(one(T.redis).plain.tier, "BASIC");
        reset();
        assert.throws(
            () => new OpenWebUiCluster("chat", { target: "gcp", hostname: "chat.example.com", redis: { highAvailability: false }, gcp: gcpArgs() } as any),
            /redis\.highAvailability: got false;.*(replica|failover)/,
        );
        assert.strictEqual(registered.length, 0);
    });

    it("custom namespace and workload pool; brings its own TLS Secret, SSL policy and Cloud Armor policy", async () => {
        await build(
            {
                namespace: "ai",
                tls: { secretName: "chat-tls" },
                gcp: { workloadIdentityPool: "hub-project.svc.id.goog", sslPolicy: "corp-tls13", securityPolicy: "corp-armor" },
            },
            "team-chat",
        );
        assert.strictEqual(one(T.gsaIam, "chat-gsa-wi").plain.member, "serviceAccount:hub-project.svc.id.goog[ai/team-chat]");
        assert.strictEqual(one(T.sa, "chat-serviceaccount").plain.metadata.namespace, "ai");
        assert.strictEqual(one(T.sa, "chat-serviceaccount").plain.metadata.name, "team-chat");
        assert.strictEqual(one(T.backendConfig).plain.metadata.namespace, "ai");
        assert.strictEqual(one(T.backendConfig).plain.metadata.name, "team-chat-backend");
        assert.strictEqual(ofType(T.cert).length, 0);
        assert.strictEqual(ofType(T.sslPolicy).length, 0);
        const ing = one(T.ingress).plain;
        assert.deepStrictEqual(ing.spec.tls, [{ hosts: ["chat.example.com"], secretName: "chat-tls" }]);
        assert.strictEqual(ing.metadata.annotations["networking.gke.io/v1beta1.FrontendConfig"], "team-chat-frontend");
        assert.strictEqual(ing.metadata.annotations["networking.gke.io/managed-certificates"], undefined);
        assert.strictEqual(one(T.frontendConfig).plain.spec.sslPolicy, "corp-tls13");
        assert.deepStrictEqual(one(T.backendConfig).plain.spec.securityPolicy, { name: "corp-armor" });
        assert.strictEqual(ofType(T.record).length, 0);
        await validateAll();
    });

    it("plain HTTP only with the explicit opt-in: no certificate, redirect or SSL policy", async () => {
        const { c } = await build({ tls: { enabled: false, allowInsecureHttp: true } });
        assert.strictEqual(ofType(T.cert).length, 0);
        assert.strictEqual(ofType(T.frontendConfig).length, 0);
        assert.strictEqual(ofType(T.sslPolicy).length, 0);
        assert.deepStrictEqual(Object.keys(one(T.ingress).plain.metadata.annotations).sort(), [
            "kubernetes.io/ingress.class",
            "kubernetes.io/ingress.global-static-ip-name",
            "pulumi.com/timeoutSeconds",
        ]);
        assert.strictEqual(await new Promise((r) => c.url.apply(r)), "http://chat.example.com");
    });

    it("external database and Redis: no Cloud SQL, Memorystore or private services access", async () => {
        await build({
            database: { mode: "external", url: "postgresql://u:p@db.internal:5432/owui?sslmode=require", maxConnections: 300 },
            redis: { mode: "external", url: "rediss://:pw@redis.internal:6379/0" },
        });
        for (const t of [T.instance, T.database, T.user, T.redis, T.connection]) assert.strictEqual(ofType(t).length, 0, t);
        assert.deepStrictEqual(
            ofType(T.address).map((a) => a.name),
            ["chat-ip"],
        );
        assert.strictEqual(ofType(T.secret).filter((s) => s.name.endsWith("-redis-ca")).length, 0);
        assert.deepStrictEqual(
            ofType(T.bucket)
                .map((b) => b.name)
                .sort(),
            ["chat-access-logs", "chat-uploads"],
        );
    });

    it("PITR log days stay below the backup count and within the edition's limit", () => {
        assert.deepStrictEqual(
            [2, 3, 8, 14, 35].map((d) => transactionLogDays(d, "ENTERPRISE")),
            [1, 2, 7, 7, 7],
        );
        assert.deepStrictEqual(
            [2, 20, 35].map((d) => transactionLogDays(d, "ENTERPRISE_PLUS")),
            [1, 19, 34],
        );
    });

    it("sanitizes tags into valid GCP labels", () => {
        assert.deepStrictEqual(gcpLabels({ Team: "AI Platform", "cost/center": "R&D", "1st": "x" }), { team: "ai_platform", cost_center: "r_d", l_1st: "x" });
    });

    describe("examples/gcp", () => {
        after(clearExampleConfig);

        it("evaluates under mocks from stack config: every resource, outputs, valid Kubernetes objects", async () => {
            reset();
            const mod = loadExample(path.join(__dirname, "..", "examples", "gcp"), {
                "gcp:project": "acme-ai-prod",
                "gcp:region": "us-central1",
                hostname: "chat.acme.dev",
                network: "projects/acme-net/global/networks/shared-vpc",
                privateServiceAccessRange: "google-managed-services-shared-vpc",
                dnsZone: "acme-dev",
                size: "large",
                kubeContext: "gke_acme-ai-prod_us-central1_ai",
            });
            await settle();
            const comp = registered.filter((r) => r.type === "openwebui:index:OpenWebUiCluster");
            assert.deepStrictEqual(
                comp.map((r) => r.name),
                ["chat"],
            );
            assert.strictEqual(one("pulumi:providers:kubernetes").plain.context, "gke_acme-ai-prod_us-central1_ai");
            const db = one(T.instance).plain;
            assert.strictEqual(db.project, "acme-ai-prod");
            assert.strictEqual(db.region, "us-central1");
            assert.strictEqual(db.settings.tier, "db-custom-8-32768");
            assert.strictEqual(db.settings.ipConfiguration.privateNetwork, "projects/acme-net/global/networks/shared-vpc");
            assert.strictEqual(db.settings.ipConfiguration.allocatedIpRange, "google-managed-services-shared-vpc");
            assert.strictEqual(ofType(T.connection).length, 0);
            assert.strictEqual(one(T.redis).plain.tier, "STANDARD_HA");
            assert.strictEqual(one(T.bucket, "-uploads").plain.location, "US-CENTRAL1");
            assert.strictEqual(one(T.gsaIam, "chat-gsa-wi").plain.member, "serviceAccount:acme-ai-prod.svc.id.goog[open-webui/chat]");
            assert.strictEqual(one(T.record).plain.name, "chat.acme.dev.");
            assert.strictEqual(one(T.record).plain.managedZone, "acme-dev");
            assert.deepStrictEqual(one(T.cert).plain.spec.domains, ["chat.acme.dev"]);
            assert.strictEqual(one(T.bucket, "-uploads").plain.labels.stack, "test");
            assert.strictEqual(await new Promise((r) => mod.url.apply(r)), "https://chat.acme.dev");
            assert.strictEqual(await new Promise((r) => mod.databaseServerMaxConnections.apply(r)), 600);
            assert.match(await new Promise<string>((r) => mod.serviceAccountEmail.apply(r)), /^owui-chat-[0-9a-f]{6}@proj\.iam\.gserviceaccount\.com$/);
            assert.strictEqual(await new Promise((r) => mod.redisEndpoint.apply(r)), "10.10.1.4:6378");
            await validateAll();
        });

        it("fails with the component's message when required config is missing", () => {
            reset();
            assert.throws(
                () =>
                    loadExample(path.join(__dirname, "..", "examples", "gcp"), {
                        "gcp:project": "acme-ai-prod",
                        "gcp:region": "us-central1",
                        hostname: "chat.acme.dev",
                        network: "shared-vpc",
                    }),
                /gcp\.network: got "shared-vpc"/,
            );
            assert.strictEqual(registered.filter((r) => r.type.startsWith("gcp:")).length, 0);
        });
    });

    describe("clear errors for bad GCP inputs, before anything is registered", () => {
        const cases: [string, any, RegExp][] = [
            ["the gcp block is missing", { gcp: undefined }, /gcp: got nothing; target gcp needs the gcp block/],
            ["gcp.project is missing", { gcp: { project: undefined } }, /gcp\.project: got nothing; give the project id/],
            ["gcp.project is a number", { gcp: { project: "123456789012" } }, /gcp\.project: got "123456789012"; give the project id/],
            [
                "gcp.region is a zone",
                { gcp: { region: "europe-west1-b" } },
                /gcp\.region: got "europe-west1-b"; give the region, not a zone \(e\.g\. europe-west1\)/,
            ],
            ["gcp.region is missing", { gcp: { region: undefined } }, /gcp\.region: got nothing; give the region of the GKE cluster/],
            [
                "gcp.network is missing",
                { gcp: { network: undefined } },
                /gcp\.network: got nothing; give the VPC network of the GKE cluster as projects\/PROJECT\/global\/networks\/NAME/,
            ],
            [
                "gcp.network is a bare name",
                { gcp: { network: "default" } },
                /gcp\.network: got "default"; use the network id projects\/PROJECT\/global\/networks\/NAME/,
            ],
            [
                "gcp.privateServiceAccessRange is a CIDR",
                { gcp: { privateServiceAccessRange: "10.20.0.0/16" } },
                /gcp\.privateServiceAccessRange: got "10\.20\.0\.0\/16"; give the name of the existing VPC_PEERING global address/,
            ],
            [
                "gcp.privateServiceAccessPrefixLength too small a range",
                { gcp: { privateServiceAccessPrefixLength: 28 } },
                /gcp\.privateServiceAccessPrefixLength: got 28; use a prefix length from 8 to 24/,
            ],
            [
                "prefix length with an existing range",
                { gcp: { privateServiceAccessRange: "psa", privateServiceAccessPrefixLength: 16 } },
                /gcp\.privateServiceAccessPrefixLength: got 16; applies only to the range the component creates/,
            ],
            [
                "gcp.workloadIdentityPool wrong",
                { gcp: { workloadIdentityPool: "proj-123.iam.gserviceaccount.com" } },
                /gcp\.workloadIdentityPool: got "proj-123\.iam\.gserviceaccount\.com"; use the cluster's workload pool PROJECT_ID\.svc\.id\.goog/,
            ],
            ["gcp.redisTier unknown", { gcp: { redisTier: "STANDARD" } }, /gcp\.redisTier: got "STANDARD"; use one of STANDARD_HA, BASIC/],
            [
                "gcp.redisConnectMode unknown",
                { gcp: { redisConnectMode: "PSC" } },
                /gcp\.redisConnectMode: got "PSC"; use one of PRIVATE_SERVICE_ACCESS, DIRECT_PEERING/,
            ],
            ["gcp.redisVersion too old", { gcp: { redisVersion: "REDIS_5_0" } }, /gcp\.redisVersion: got "REDIS_5_0"; use REDIS_7_2/],
            [
                "custom tier with an odd vCPU count (Cloud SQL refuses it after the network was created)",
                { gcp: { databaseTier: "db-custom-3-12288" } },
                /gcp\.databaseTier: got "db-custom-3-12288"; a custom tier has 1 or an even number of vCPUs up to 96/,
            ],
            [
                "custom tier over 6.5 GiB per vCPU",
                { gcp: { databaseTier: "db-custom-4-32768" } },
                /gcp\.databaseTier: got "db-custom-4-32768"; with 4 vCPUs the memory must be a multiple of 256 MiB from 3840 to 26624/,
            ],
            [
                "custom tier memory not a multiple of 256 MiB",
                { gcp: { databaseTier: "db-custom-2-7700" } },
                /gcp\.databaseTier: got "db-custom-2-7700"; with 2 vCPUs the memory must be a multiple of 256 MiB from 3840 to 13312/,
            ],
            ["gcp.databaseTier not a tier", { gcp: { databaseTier: "n2-standard-4" } }, /gcp\.databaseTier: got "n2-standard-4"; use a Cloud SQL tier/],
            [
                "ENTERPRISE_PLUS without a tier",
                { gcp: { databaseEdition: "ENTERPRISE_PLUS" } },
                /gcp\.databaseTier: got nothing; ENTERPRISE_PLUS accepts only db-perf-optimized-N-\* tiers/,
            ],
            [
                "ENTERPRISE_PLUS with a custom tier",
                { gcp: { databaseEdition: "ENTERPRISE_PLUS", databaseTier: "db-custom-4-16384" } },
                /gcp\.databaseTier: got "db-custom-4-16384"; ENTERPRISE_PLUS accepts only db-perf-optimized-N-\* tiers/,
            ],
            [
                "a perf-optimized tier on ENTERPRISE",
                { gcp: { databaseTier: "db-perf-optimized-N-4" } },
                /gcp\.databaseEdition: got nothing; tier db-perf-optimized-N-4 exists only in ENTERPRISE_PLUS/,
            ],
            [
                "gcp.maintenanceWindow.day out of range",
                { gcp: { maintenanceWindow: { day: 0 } } },
                /gcp\.maintenanceWindow\.day: got 0; use 1 \(Monday\) to 7 \(Sunday\)/,
            ],
            ["gcp.dnsZone is a DNS name", { gcp: { dnsZone: "example.com." } }, /gcp\.dnsZone: got "example\.com\."; give the Cloud DNS managed zone name/],
            ["gcp.serviceAccountId too short", { gcp: { serviceAccountId: "ow" } }, /gcp\.serviceAccountId: got "ow"; use 6-30 lowercase letters/],
            [
                "a hostname too long for a Google-managed certificate",
                { hostname: `${"a".repeat(50)}.chat.example.com` },
                /hostname: got "a{50}\.chat\.example\.com"; Google-managed certificates \(ManagedCertificate\) accept domains of at most 63 characters/,
            ],
            [
                "one day of backups leaves no room for PITR logs",
                { database: { backupRetentionDays: 1 } },
                /database\.backupRetentionDays: got 1; Cloud SQL must keep more daily backups than days of point-in-time-recovery logs/,
            ],
            [
                "redis.cluster on Memorystore",
                { redis: { cluster: true } },
                /redis\.cluster: got true; Memorystore for Redis .* is a standalone primary\/replica endpoint/,
            ],
            ["database.version Cloud SQL does not offer", { database: { version: "19" } }, /database\.version: got "19"; Cloud SQL offers PostgreSQL 13 to 18/],
        ];
        for (const [title, patch, re] of cases) {
            it(title, () => {
                reset();
                const { gcp, ...rest } = patch;
                const gcpBlock = "gcp" in patch && gcp === undefined ? undefined : { ...gcpArgs(), ...gcp };
                assert.throws(() => new OpenWebUiCluster("chat", { target: "gcp", hostname: "chat.example.com", ...rest, gcp: gcpBlock } as any), re);
                assert.strictEqual(registered.length, 0);
            });
        }

        it("a long hostname is fine with a certificate brought as a TLS Secret", async () => {
            const long = `${"a".repeat(50)}.chat.example.com`;
            reset();
            new OpenWebUiCluster("chat", { target: "gcp", hostname: long, tls: { secretName: "chat-tls" }, gcp: gcpArgs() } as any);
            await settle();
            assert.strictEqual(ofType(T.cert).length, 0);
            assert.deepStrictEqual(one(T.ingress).plain.spec.tls, [{ hosts: [long], secretName: "chat-tls" }]);
        });

        it("reports every problem at once", () => {
            reset();
            let message = "";
            try {
                new OpenWebUiCluster("chat", {
                    target: "gcp",
                    hostname: "chat.example.com",
                    gcp: { project: "", region: "us", network: "vpc", redisTier: "X" },
                } as any);
            } catch (e) {
                message = (e as Error).message;
            }
            for (const f of ["gcp.project", "gcp.region", "gcp.network", "gcp.redisTier"]) assert.ok(message.includes(`  - ${f}: got`), `${f} in:\n${message}`);
            assert.match(message, /invalid arguments \(4 problems\)/);
            assert.strictEqual(registered.length, 0);
        });
    });
});
