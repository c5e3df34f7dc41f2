// The kubernetes target's highly available data tier (`kubernetes.dataTier: highlyAvailable`):
// CloudNativePG Cluster (validated against the v1.30.0 CRD's openAPIV3Schema), Valkey with
// Sentinel, the ReadWriteMany uploads volume, the env Open WebUI gets, and the refusals.
import "./harness";
import * as assert from "assert";
import { envOf, ofType, one, registered, reset, settle } from "./harness";
import { kubernetesObjects, validateK8sObject } from "./k8sSchema";
import { CloudTarget, DataTier, OpenWebUiCluster, ServiceMode } from "../index";
import { ValidationError } from "../components/spec/errors";
import { SENTINEL_SETTINGS, SENTINEL_START, VALKEY_START } from "../components/data/valkeySentinel";
import { DATA_TIER_ANNOTATION, dataTierAvailability } from "../components/data/availability";
import { dataTierNotes } from "../cli/render";
import { resolveSpec } from "../components/spec/spec";
import { runPolicies, urnFor } from "../policy/runner";

/** Every Kubernetes object of the stack against its schema (CloudNativePG's: the upstream CRD, tests/k8sSchema.ts). */
async function validateAll(): Promise<any[]> {
    const objs = kubernetesObjects(registered);
    for (const o of objs) await validateK8sObject(o);
    return objs;
}

const BASE = { target: CloudTarget.Kubernetes, hostname: "chat.example.com", namespace: "chat" };
const HA = { ...BASE, kubernetes: { dataTier: DataTier.HighlyAvailable, storageClassName: "fast" }, storage: { storageClassName: "nfs-rwx" } };

async function build(args: any): Promise<any[]> {
    reset();
    new OpenWebUiCluster("chat", args);
    await settle();
    return validateAll();
}

function refused(args: any, ...patterns: RegExp[]): void {
    reset();
    assert.throws(
        () => new OpenWebUiCluster("chat", args),
        (e: any) => {
            assert.ok(e instanceof ValidationError, String(e));
            for (const p of patterns) assert.match(e.message, p);
            return true;
        },
    );
}

describe("highly available data tier (kubernetes.dataTier highlyAvailable)", function () {
    this.timeout(60000);

    it("the CRD validator refuses what the CRD refuses (control case)", async () => {
        const c = (spec: any) => validateK8sObject({ apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: "x" }, spec });
        await assert.rejects(c({ instances: 3, affinity: { podAntiAffinityType: 7 } }), /podAntiAffinityType/);
        await assert.rejects(c({}), /instances/);
        await assert.rejects(c({ instances: 3, postgresql: { parameters: { max_connections: 500 } } }), /max_connections/, "parameters are strings");
        await c({ instances: 3 });
    });

    it("Postgres is a CloudNativePG Cluster: 3 instances, pgvector image, initdb app role, managed role, PDBs, spread", async () => {
        const objs = await build(HA);
        const cluster = objs.find((o) => o.kind === "Cluster");
        assert.ok(cluster, "a Cluster");
        const s = cluster.spec;
        assert.strictEqual(cluster.metadata.name, "chat-pg");
        assert.strictEqual(s.instances, 3);
        assert.match(s.imageName, /^ghcr\.io\/cloudnative-pg\/postgresql:16\.\d+-standard-trixie$/);
        assert.strictEqual(s.enablePDB, true);
        assert.strictEqual(s.enableSuperuserAccess, false);
        assert.deepStrictEqual(s.bootstrap.initdb.postInitApplicationSQL, ["CREATE EXTENSION IF NOT EXISTS vector"]);
        assert.strictEqual(s.bootstrap.initdb.owner, "openwebui_app");
        assert.strictEqual(s.managed.roles[0].passwordSecret.name, s.bootstrap.initdb.secret.name);
        assert.strictEqual(s.affinity.topologyKey, "kubernetes.io/hostname");
        assert.strictEqual(s.topologySpreadConstraints[0].topologyKey, "topology.kubernetes.io/zone");
        assert.strictEqual(s.topologySpreadConstraints[0].whenUnsatisfiable, "ScheduleAnyway");
        assert.deepStrictEqual(s.storage, { size: "20Gi", storageClass: "fast" });
        // Synchronous replication by default: a promoted standby holds every acknowledged commit
        // (failover.itest.ts B1; B2 shows asynchronous replication losing chats).
        assert.deepStrictEqual(s.postgresql.synchronous, { method: "any", number: 1, dataDurability: "required" });
        assert.strictEqual(s.inheritedMetadata.labels["app.kubernetes.io/instance"], "chat");
        const secret = objs.find((o) => o.kind === "Secret" && o.metadata.name === s.bootstrap.initdb.secret.name);
        assert.strictEqual(secret.type, "kubernetes.io/basic-auth");
        assert.deepStrictEqual(Object.keys(secret.stringData).sort(), ["password", "username"]);
        // No single-instance StatefulSet, no bootstrap Job (initdb does its work), no backups unasked.
        assert.ok(!objs.some((o) => o.kind === "StatefulSet" && o.metadata.annotations?.["openwebui.io/not-highly-available"]), "no single-instance service");
        assert.ok(!objs.some((o) => o.kind === "Job" && o.metadata.name === "chat-db-bootstrap"));
        assert.ok(!objs.some((o) => o.kind === "ScheduledBackup"));
        assert.ok(!("backup" in s));
        // The operator's CRD is read (not created): without it preview fails (tests/e2e/kubernetesHa.e2e.ts).
        assert.deepStrictEqual(
            ofType("kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition").map((r) => r.name),
            ["chat-cnpg-crd"],
        );
    });

    it("max_connections is chosen by the component and the pools fit 80 % of it", async () => {
        const objs = await build({ ...HA, replicas: { min: 3, max: 20 } });
        const cluster = objs.find((o) => o.kind === "Cluster");
        const max = Number(cluster.spec.postgresql.parameters.max_connections);
        assert.strictEqual(max, 500);
        const c = registered.find((r) => r.type === "openwebui:index:OpenWebUiCluster")!;
        assert.ok(c);
        const env = envOf(one("kubernetes:apps/v1:Deployment").plain.spec.template.spec);
        const pool = Number(env.DATABASE_POOL_SIZE.value),
            overflow = Number(env.DATABASE_POOL_MAX_OVERFLOW.value);
        const pods = 20 + 5 + 1;
        assert.ok(3 * (pool + overflow) * pods <= Math.floor(max * 0.8), `${pool}+${overflow} x 3 engines x ${pods} pods within ${max * 0.8}`);
        const custom = await build({ ...HA, database: { maxConnections: 300 } });
        assert.strictEqual(custom.find((o) => o.kind === "Cluster").spec.postgresql.parameters.max_connections, "300");
    });

    it("Open WebUI: DATABASE_URL on the -rw Service with TLS, the Sentinel env, uploads on the shared volume", async () => {
        const objs = await build(HA);
        const app = objs.find((o) => o.kind === "Secret" && o.metadata.name === "chat-app");
        const db = new URL(app.stringData.DATABASE_URL);
        assert.strictEqual(db.hostname, "chat-pg-rw.chat.svc.cluster.local");
        assert.strictEqual(db.searchParams.get("sslmode"), "require");
        assert.strictEqual(db.username, "openwebui_app");
        const redis = new URL(app.stringData.REDIS_URL);
        assert.strictEqual(redis.hostname, SENTINEL_SETTINGS.masterName);
        const redisSecret = objs.find((o) => o.kind === "Secret" && o.metadata.name === "chat-redis");
        assert.strictEqual(
            decodeURIComponent(redis.password),
            redisSecret.stringData.REDIS_PASSWORD,
            "Sentinels and Valkey share the password Open WebUI sends",
        );
        const dep = one("kubernetes:apps/v1:Deployment").plain.spec.template.spec;
        const env = envOf(dep);
        const hosts = env.REDIS_SENTINEL_HOSTS.value.split(",");
        assert.deepStrictEqual(
            hosts,
            [0, 1, 2].map((i) => `chat-sentinel-${i}.chat-sentinel.chat.svc.cluster.local`),
        );
        assert.strictEqual(String(env.REDIS_SENTINEL_PORT.value), "26379");
        assert.strictEqual(env.WEBSOCKET_SENTINEL_HOSTS.value, env.REDIS_SENTINEL_HOSTS.value);
        assert.ok(!("STORAGE_PROVIDER" in env) && !("S3_ENDPOINT_URL" in env), "local storage provider");
        assert.match(env.DATABASE_URL?.valueFrom?.secretKeyRef?.key ?? "", /DATABASE_URL/, "never SQLite: DATABASE_URL is set");
        const vol = dep.volumes.find((v: any) => v.persistentVolumeClaim);
        assert.strictEqual(vol.persistentVolumeClaim.claimName, "chat-uploads");
        assert.ok(dep.containers[0].volumeMounts.some((m: any) => m.name === vol.name && m.mountPath === "/app/backend/data/uploads"));
        const pvc = objs.find((o) => o.kind === "PersistentVolumeClaim");
        assert.deepStrictEqual(pvc.spec.accessModes, ["ReadWriteMany"]);
        assert.strictEqual(pvc.spec.storageClassName, "nfs-rwx");
        // The summary plan prints.
        const tier = JSON.parse(app.metadata.annotations[DATA_TIER_ANNOTATION]);
        assert.deepStrictEqual(
            tier.map((t: any) => [t.service, t.ha]),
            [
                ["database", true],
                ["redis", true],
                ["storage", true],
            ],
        );
    });

    it("Valkey and Sentinel: 3 + 3 pods, AUTH, Sentinel settings for a < 15 s failover, PDBs, anti-affinity, headless Services", async () => {
        const objs = await build(HA);
        const sts = (n: string) => objs.find((o) => o.kind === "StatefulSet" && o.metadata.name === n);
        for (const n of ["chat-valkey", "chat-sentinel"]) {
            const s = sts(n);
            assert.strictEqual(s.spec.replicas, 3, n);
            assert.ok(s.spec.template.spec.affinity.podAntiAffinity, n);
            const pdb = objs.find((o) => o.kind === "PodDisruptionBudget" && o.metadata.name === n);
            assert.strictEqual(pdb.spec.maxUnavailable, 1);
            const svc = objs.find((o) => o.kind === "Service" && o.metadata.name === n);
            assert.strictEqual(svc.spec.clusterIP, "None");
            assert.strictEqual(svc.spec.publishNotReadyAddresses, true);
            const e = envOf(s.spec.template.spec);
            assert.strictEqual(e.REDIS_PASSWORD.valueFrom.secretKeyRef.name, "chat-redis");
        }
        assert.strictEqual(sts("chat-valkey").spec.template.spec.containers[0].image, "valkey/valkey:8.1.4-alpine");
        assert.match(VALKEY_START, /--requirepass "\$REDIS_PASSWORD" --masterauth "\$REDIS_PASSWORD"/);
        assert.match(VALKEY_START, /--replicaof \$M 6379/);
        for (const line of [
            "sentinel resolve-hostnames yes",
            "sentinel announce-hostnames yes",
            "requirepass $REDIS_PASSWORD",
            "sentinel monitor $MASTER_NAME $M 6379 2",
            "sentinel down-after-milliseconds $MASTER_NAME 5000",
            "sentinel failover-timeout $MASTER_NAME 10000",
            "sentinel parallel-syncs $MASTER_NAME 1",
        ]) {
            assert.ok(SENTINEL_START.includes(line), line);
        }
        assert.ok(SENTINEL_SETTINGS.downAfterMilliseconds + 2000 < 15000);
    });

    it("images follow imageRegistry; zoneSpread required makes the Cluster's zone spread hard; backups when asked", async () => {
        const objs = await build({
            ...HA,
            imageRegistry: "mirror.corp.example",
            pod: { zoneSpread: "required" },
            database: {
                version: "17",
                instances: 5,
                backup: { destinationPath: "s3://backups/chat", endpointUrl: "https://s3.example.com", credentialsSecretName: "pg-backup" },
            },
        });
        const c = objs.find((o) => o.kind === "Cluster");
        assert.match(c.spec.imageName, /^mirror\.corp\.example\/cloudnative-pg\/postgresql:17\.\d+-standard-trixie$/);
        assert.strictEqual(c.spec.instances, 5);
        assert.strictEqual(c.spec.topologySpreadConstraints[0].whenUnsatisfiable, "DoNotSchedule");
        assert.strictEqual(c.spec.backup.barmanObjectStore.destinationPath, "s3://backups/chat");
        assert.strictEqual(c.spec.backup.retentionPolicy, "14d");
        const sb = objs.find((o) => o.kind === "ScheduledBackup");
        assert.strictEqual(sb.spec.cluster.name, "chat-pg");
        assert.strictEqual(
            objs.find((o) => o.kind === "StatefulSet" && o.metadata.name === "chat-valkey").spec.template.spec.containers[0].image,
            "mirror.corp.example/valkey/valkey:8.1.4-alpine",
        );
    });

    it("modes can be mixed: inClusterHa database with the single-instance tier keeps the inCluster names", async () => {
        const objs = await build({ ...BASE, database: { mode: ServiceMode.InClusterHa } });
        assert.ok(objs.some((o) => o.kind === "Cluster"));
        assert.ok(objs.some((o) => o.kind === "StatefulSet" && o.metadata.name === "chat-redis"));
        assert.ok(objs.some((o) => o.kind === "StatefulSet" && o.metadata.name === "chat-objects"));
        assert.ok(!objs.some((o) => o.kind === "StatefulSet" && o.metadata.name === "chat-postgres"));
        const single = await build(BASE);
        assert.ok(!single.some((o) => o.kind === "Cluster"));
        assert.deepStrictEqual(
            single
                .filter((o) => o.kind === "StatefulSet")
                .map((o) => o.metadata.name)
                .sort(),
            ["chat-objects", "chat-postgres", "chat-redis"],
        );
    });

    it("refusals name the field, the value and the fix", () => {
        const oidc = { providerUrl: "https://idp.example.com/.well-known/openid-configuration", clientId: "x", clientSecret: "y" };
        refused({ ...HA, oidc }, /redis\.mode/, /session store/, /inCluster or external/);
        refused({ ...HA, storage: { storageClassName: "gp3" } }, /storage\.storageClassName: .*gp3/, /ReadWriteOnce/, /ReadWriteMany/);
        refused(
            { ...HA, kubernetes: { dataTier: DataTier.HighlyAvailable, storageClassName: "local-path" }, storage: {} },
            /kubernetes\.storageClassName: .*local-path/,
        );
        refused({ ...BASE, storage: { mode: ServiceMode.InClusterHa } }, /storage\.mode/, /sharedVolume/);
        refused({ ...BASE, database: { mode: ServiceMode.SharedVolume } }, /database\.mode/, /storage only/);
        refused({ ...HA, database: { instances: 1 } }, /database\.instances/, /2 to 9/);
        refused({ ...HA, database: { instances: 3, synchronousReplicas: 3 } }, /database\.synchronousReplicas: got 3/, /0 .* to 2/);
        refused({ ...BASE, database: { synchronousReplicas: 1 } }, /database\.synchronousReplicas/, /inClusterHa only/);
        refused({ ...HA, database: { version: "14" } }, /database\.version/, /workloads\.postgres\.image/);
        refused({ ...BASE, database: { instances: 3 } }, /database\.instances/, /inClusterHa only/);
        refused({ ...HA, database: { backup: { destinationPath: "backups", credentialsSecretName: "x" } } }, /database\.backup\.destinationPath/);
        refused({ ...BASE, kubernetes: { dataTier: "double" } }, /kubernetes\.dataTier/);
        refused({ ...BASE, storage: { storageClassName: "nfs" } }, /storage\.storageClassName/, /sharedVolume only/);
        refused(
            { ...HA, workloads: { postgres: { sidecars: [{ name: "x", image: "busybox" }] } } },
            /workloads\.postgres\.sidecars/,
            /CloudNativePG operator builds/,
        );
    });

    it("a version without a pinned image is accepted with workloads.postgres.image", async () => {
        const objs = await build({
            ...HA,
            database: { version: "14" },
            workloads: { postgres: { image: "registry.example/cnpg/postgresql:14.19-standard-bookworm" } },
        });
        assert.strictEqual(objs.find((o) => o.kind === "Cluster").spec.imageName, "registry.example/cnpg/postgresql:14.19-standard-bookworm");
        assert.strictEqual(ofType("kubernetes:postgresql.cnpg.io/v1:Cluster").length, 1);
    });

    it("plan's notes: per service HA or why not; NOT HIGHLY AVAILABLE only while one is not", () => {
        const secret = (args: any) => {
            const { spec, problems } = resolveSpec(args);
            assert.deepStrictEqual(problems, []);
            return {
                type: "kubernetes:core/v1:Secret",
                name: "chat-app",
                analyzerProps: { metadata: { annotations: { [DATA_TIER_ANNOTATION]: JSON.stringify(dataTierAvailability(spec)) } } },
            } as any;
        };
        const ha = dataTierNotes([secret(HA)]);
        assert.strictEqual(ha.length, 1);
        assert.match(
            ha[0],
            /^data tier: database inClusterHa: HA \(CloudNativePG Cluster, 3 instances.*no backups.*redis inClusterHa: HA.*storage sharedVolume: HA/,
        );
        const mixed = dataTierNotes([secret({ ...HA, redis: { mode: ServiceMode.InCluster } })]);
        assert.match(mixed[0], /^NOT HIGHLY AVAILABLE: redis \(Valkey is a single-instance StatefulSet/);
        assert.match(mixed[1], /redis inCluster: NOT HA/);
        const external = dataTierNotes([secret({ ...HA, storage: { mode: ServiceMode.External, bucketName: "b", s3EndpointUrl: "https://s3.example.com" } })]);
        assert.ok(!external.some((n) => n.startsWith("NOT HIGHLY")), "an external store is as available as what you bring");
        assert.match(external[0], /storage external: external/);
        const aws = {
            target: CloudTarget.Aws,
            hostname: "chat.example.com",
            aws: { vpcId: "v", privateSubnetIds: ["a", "b"], eks: { clusterName: "c" } },
            redis: { highAvailability: false },
            replicas: { min: 2 },
            migrations: {},
        };
        const { spec } = resolveSpec(aws as any);
        assert.deepStrictEqual(
            dataTierAvailability(spec).map((t) => t.ha),
            [true, false, true],
        );
    });

    it("the policy pack flags a CloudNativePG Cluster without backups (advisory), not one with them", async () => {
        const flagged = async (args: any) => {
            await build(args);
            const resources = registered.filter((r) => r.custom).map((r) => ({ type: r.type, name: r.name, urn: urnFor(r.type, r.name), props: r.plain }));
            return (await runPolicies(resources)).filter((v) => v.policyName === "cnpg-cluster-durability").map((v) => `${v.enforcementLevel}: ${v.message}`);
        };
        const none = await flagged(HA);
        assert.strictEqual(none.length, 1, none.join("\n"));
        assert.match(none[0], /^advisory: CloudNativePG Cluster 'chat-pg' has no backups/);
        assert.deepStrictEqual(await flagged({ ...HA, database: { backup: { destinationPath: "s3://backups/p", credentialsSecretName: "s" } } }), []);
        const async = await flagged({ ...HA, database: { synchronousReplicas: 0, backup: { destinationPath: "s3://backups/p", credentialsSecretName: "s" } } });
        assert.strictEqual(async.length, 1, async.join("\n"));
        assert.match(async[0], /replicates asynchronously/);
    });

    it("synchronousReplicas: 0 is asynchronous; with no instance to spare durability is preferred", async () => {
        const sync = async (database: any) => (await build({ ...HA, database })).find((o) => o.kind === "Cluster").spec.postgresql.synchronous;
        assert.strictEqual(await sync({ synchronousReplicas: 0 }), undefined);
        assert.deepStrictEqual(await sync({ instances: 2 }), { method: "any", number: 1, dataDurability: "preferred" });
        assert.deepStrictEqual(await sync({ instances: 5, synchronousReplicas: 2 }), { method: "any", number: 2, dataDurability: "required" });
    });
});
