// examples/kubernetes-ha through the real engine against the loopback API server (cluster.sh,
// started once by run.sh): `preview` before the CloudNativePG CRDs exist (what a user without the
// operator sees), the v1.30.0 CRDs installed server-side, unmodified, from
// ../shared/e2e-toolchain/crds, `up` of the highly available data tier (every object accepted by
// the API server, the Cluster by the CRD's structural schema; the Valkey and Sentinel
// StatefulSets Ready under kwok), then `destroy`. The CloudNativePG controller does not run here:
// no instance pod is expected (its failover is drilled with real processes in tests/integration).
import * as assert from "assert";
import * as path from "path";
import { get, kubectl, list, must, Project, ROOT, run, times } from "./lib";

const NS = "open-webui-ha";
const HOST = "chat-ha.e2e.test";
const CRDS = path.resolve(ROOT, "../shared/e2e-toolchain/crds/cloudnative-pg-v1.30.0");
const CNPG_CRDS = ["clusters", "scheduledbackups", "backups", "poolers", "databases", "imagecatalogs", "clusterimagecatalogs"].map(
    (k) => `crd/${k}.postgresql.cnpg.io`,
);
const RWX_CLASS = "e2e-rwx";

function applyStdin(yaml: string): void {
    must(run("kubectl", ["apply", "-f", "-"], { input: yaml }), "kubectl apply");
}

function readyStatefulSet(name: string): boolean {
    const s = get(["statefulset", name, "-n", NS]);
    return (s.status.readyReplicas ?? 0) === s.spec.replicas;
}

describe("e2e: examples/kubernetes-ha, CloudNativePG + Valkey Sentinel + shared volume", function () {
    this.timeout(20 * 60 * 1000);
    let p: Project;
    let started = 0;

    before(() => {
        started = Date.now();
        // The uploads claim needs a ReadWriteMany volume (the loopback cluster has no provisioner).
        applyStdin(`apiVersion: v1
kind: PersistentVolume
metadata: { name: e2e-rwx-0 }
spec:
  capacity: { storage: 1Ti }
  accessModes: [ReadWriteMany]
  storageClassName: ${RWX_CLASS}
  persistentVolumeReclaimPolicy: Retain
  hostPath: { path: /tmp/openwebui-e2e-rwx }
`);
        p = Project.fromExample("kubernetes-ha", "k8s-ha");
        p.config({ hostname: HOST, namespace: NS, ingressClassName: "nginx", sharedStorageClassName: RWX_CLASS, replicasMin: 2, replicasMax: 4 });
    });

    after(() => {
        if (p) p.pulumiRaw(["destroy", "--yes", "--skip-preview"], 300);
        run("kubectl", ["delete", "pv", "e2e-rwx-0", "--ignore-not-found", "--wait=false"]);
        times["k8s-ha: scenario total"] = (Date.now() - started) / 1000;
    });

    it("without the CloudNativePG CRDs, preview fails and names the missing CRD", () => {
        // The kubernetes provider alone previews a custom resource of an unknown kind without a word
        // (measured here before the component read the CRD: preview planned 30 creates, exit 0), and
        // `up` would fail half-way. The component reads clusters.postgresql.cnpg.io, so preview fails.
        const r = p.pulumiRaw(["preview"]);
        times["k8s-ha: preview without the CRDs (fails)"] = r.seconds;
        assert.notStrictEqual(r.code, 0, "preview must fail when the operator's CRD is absent");
        const out = r.stdout + r.stderr;
        assert.match(out, /clusters\.postgresql\.cnpg\.io/, out.slice(-3000));
        assert.ok(list("statefulsets", NS).length === 0, "nothing created");
    });

    it("the CRDs install server-side, unmodified, and become Established", () => {
        const t = Date.now();
        kubectl(["apply", "--server-side", "-f", CRDS], 120);
        kubectl(["wait", "--for=condition=Established", "--timeout=60s", ...CNPG_CRDS], 90);
        times["k8s-ha: CloudNativePG CRDs installed"] = (Date.now() - t) / 1000;
    });

    it("up: the API server accepts every object; Valkey and Sentinel StatefulSets are Ready", () => {
        p.pulumi(["preview"], "k8s-ha: preview");
        p.up("k8s-ha: up (create)");
        const cluster = get(["clusters.postgresql.cnpg.io", "chat-pg", "-n", NS]);
        assert.strictEqual(cluster.spec.instances, 3);
        assert.match(cluster.spec.imageName, /cloudnative-pg\/postgresql:16\.\d+-standard-trixie/);
        assert.strictEqual(cluster.spec.postgresql.parameters.max_connections, "500");
        assert.strictEqual(cluster.spec.bootstrap.initdb.owner, "openwebui_app");
        // Defaults the CRD's schema applied: the server really processed the object against it.
        assert.strictEqual(cluster.spec.managed.roles[0].ensure, "present");
        const secret = get(["secret", "chat-pg-app-user", "-n", NS]);
        assert.strictEqual(secret.type, "kubernetes.io/basic-auth");
        for (const sts of ["chat-valkey", "chat-sentinel"]) {
            let ok = readyStatefulSet(sts);
            for (let i = 0; i < 60 && !ok; i++) {
                run("sleep", ["1"]);
                ok = readyStatefulSet(sts);
            }
            assert.ok(ok, `${sts} Ready`);
            assert.strictEqual(list("pods", NS, `app.kubernetes.io/component=${sts.replace("chat-", "")}`).length, 3);
            assert.ok(get(["pdb", sts, "-n", NS]).spec.maxUnavailable === 1);
        }
        const pvc = get(["pvc", "chat-uploads", "-n", NS]);
        assert.deepStrictEqual(pvc.spec.accessModes, ["ReadWriteMany"]);
        assert.strictEqual(pvc.status.phase, "Bound");
        const app = list("pods", NS, "app.kubernetes.io/component=app");
        assert.ok(app.length >= 2, `${app.length} app pods`);
        assert.ok(app.every((x) => x.spec.volumes.some((v: any) => v.persistentVolumeClaim?.claimName === "chat-uploads")));
        const env = get(["deployment", "chat", "-n", NS]).spec.template.spec.containers[0].env;
        assert.match(env.find((e: any) => e.name === "REDIS_SENTINEL_HOSTS").value, /^chat-sentinel-0\.chat-sentinel\.open-webui-ha\.svc\.cluster\.local,/);
        assert.ok(!env.some((e: any) => e.name === "STORAGE_PROVIDER"));
        assert.ok(
            list("statefulsets", NS).every((s) => s.metadata.annotations?.["openwebui.io/not-highly-available"] !== "true"),
            "no single-instance StatefulSet",
        );
        for (const np of ["chat-postgres-ha", "chat-valkey", "chat-sentinel"]) get(["networkpolicy", np, "-n", NS]);
    });

    it("a second preview shows no changes", () => {
        p.pulumi(["preview", "--expect-no-changes"], "k8s-ha: second preview (no changes)");
    });

    it("destroy removes the Cluster, the StatefulSets and the claims' owner objects", () => {
        p.destroy("k8s-ha: destroy");
        assert.strictEqual(run("kubectl", ["get", "clusters.postgresql.cnpg.io", "chat-pg", "-n", NS]).code !== 0, true);
        assert.deepStrictEqual(list("statefulsets", NS), []);
    });
});
