// The real Pulumi engine (CLI + nodejs language host + kubernetes/random plugins) against a real
// kube-apiserver with scheduler, controller-manager and kwok fake nodes (tests/e2e/cluster.sh).
// Every assertion reads the API server, not only Pulumi's output. Run: npm run test:e2e.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { appReplicaSets, inventory, get, kubectl, list, must, printTimes, Project, ROOT, run, sec, times, waitPerKind, WORK } from "./lib";

const NS = "open-webui";
const HOST = "chat.e2e.test";

/** Deployment status right now (read immediately after `up` returns). */
function deployment(ns: string, name = "chat") {
    const d = get(["deployment", name, "-n", ns]);
    return {
        replicas: d.spec.replicas as number,
        available: (d.status.availableReplicas ?? 0) as number,
        updated: (d.status.updatedReplicas ?? 0) as number,
        obj: d,
    };
}

/**
 * After an update `up` returned: pulumi-kubernetes' apps/v1 Deployment awaiter does not compare
 * status.observedGeneration with metadata.generation, so when its first watch event still shows the
 * previous rollout it reports done at once (seen here on image upgrades). Record whether `up`
 * returned mid-rollout, then require the rollout to finish within a bounded wait.
 */
function rolledOut(ns: string, label: string): ReturnType<typeof deployment> {
    let d = deployment(ns);
    const early = !(d.updated === d.replicas && d.available >= d.replicas && d.obj.status.observedGeneration === d.obj.metadata.generation);
    times[`${label}: up returned mid-rollout (1 = yes)`] = early ? 1 : 0;
    for (let i = 0; i < 90 && !(d.updated === d.replicas && d.available >= d.replicas && (d.obj.status.replicas ?? 0) === d.replicas); i++) {
        run("sleep", ["1"]);
        d = deployment(ns);
    }
    assert.ok(
        d.updated === d.replicas && d.available >= 3,
        `${label}: not rolled out 90 s after up: ${d.updated}/${d.replicas} updated, ${d.available} available`,
    );
    return d;
}

function job(ns: string, prefix: string): any | undefined {
    return list("jobs", ns).find((j) => j.metadata.name.startsWith(prefix));
}

function succeeded(j: any): boolean {
    return (j?.status?.conditions ?? []).some((c: any) => (c.type === "Complete" || c.type === "SuccessCriteriaMet") && c.status === "True");
}

after(() => printTimes());

describe("e2e: examples/kubernetes, in-cluster services, through the real engine", function () {
    this.timeout(20 * 60 * 1000);
    let p: Project;

    before(() => {
        must(run("bash", [path.join(__dirname, "cluster.sh"), "zones", "on"]), "zones on");
        p = Project.fromExample("kubernetes", "k8s-incluster");
        // v0.12.2 first, so the upgrade scenarios below move through real release tags.
        // An OTLP destination, so the collector (Deployment, Service, PDB, NetworkPolicy) is deployed too.
        p.config({ hostname: HOST, ingressClassName: "nginx", imageTag: "v0.12.2", otlpEndpoint: "http://otlp.observability.svc.cluster.local:4318" }); // = multilang.e2e.ts OTLP_ENDPOINT
    });

    it("preview succeeds against the real API server (server-side validation) and plans every resource", () => {
        const r = p.pulumi(["preview", "--diff"], "k8s: preview (40 to create)");
        const m = /\+ (\d+) to create/.exec(r.stdout);
        assert.ok(m && Number(m[1]) >= 35, `preview plans ${m?.[1]} creates`);
    });

    it("up: Jobs succeed before the Deployment's ReplicaSet exists, and minReplicas pods are Available when up returns", () => {
        // --json streams the engine's events (one JSON object a line): per-resource wait times.
        const events = path.join(WORK, "k8s-up-events.jsonl");
        fs.writeFileSync(events, p.up("k8s: up (create)", ["--json"]).stdout);
        // Read at once: `up` must not return before the HA minimum is serving.
        const d = deployment(NS);
        assert.strictEqual(d.replicas, 3);
        assert.ok(d.available >= 3, `only ${d.available} Available when up returned (defect: an "HA" deploy done at 1 pod)`);
        const rs = appReplicaSets(NS);
        assert.strictEqual(rs.length, 1);
        const rsCreated = sec(rs[0].metadata.creationTimestamp);
        for (const name of ["chat-db-bootstrap", "chat-objects-bucket", "chat-migrate-v0-12-2"]) {
            const j = job(NS, name);
            assert.ok(j, `Job ${name} exists`);
            assert.ok(succeeded(j), `Job ${name} succeeded`);
            assert.ok(
                sec(j.status.completionTime) <= rsCreated,
                `${name} completed (${j.status.completionTime}) before the ReplicaSet was created (${rs[0].metadata.creationTimestamp})`,
            );
        }
        fs.writeFileSync(path.join(WORK, "ts-inventory.json"), JSON.stringify(inventory(NS)));
        const per = waitPerKind(events);
        for (const [k, v] of Object.entries(per)) times[`k8s: up waits on ${k} (max)`] = v;
    });

    it("every pod was admitted under the namespace's restricted Pod Security level, spread over the three zones", () => {
        const ns = get(["namespace", NS]);
        assert.strictEqual(ns.metadata.labels["pod-security.kubernetes.io/enforce"], "restricted");
        const pods = list("pods", NS);
        assert.ok(pods.length >= 11, `${pods.length} pods`);
        for (const pod of pods) {
            assert.strictEqual(pod.spec.securityContext.runAsNonRoot, true, pod.metadata.name);
            for (const c of pod.spec.containers) assert.strictEqual(c.securityContext.allowPrivilegeEscalation, false, `${pod.metadata.name}/${c.name}`);
        }
        // The API server enforces the level: a privileged pod is refused in this namespace.
        const bad = run("kubectl", [
            "-n",
            NS,
            "run",
            "privileged-probe",
            "--image=busybox:1.36",
            "--restart=Never",
            "--overrides",
            JSON.stringify({ spec: { containers: [{ name: "p", image: "busybox:1.36", securityContext: { privileged: true } }] } }),
        ]);
        assert.notStrictEqual(bad.code, 0, "a privileged pod must be refused");
        assert.match(bad.stderr, /violates PodSecurity "restricted/);
        const app = list("pods", NS, "app.kubernetes.io/component=app");
        const nodes = new Set(app.map((x) => x.spec.nodeName));
        assert.strictEqual(nodes.size, 3, `app pods on ${[...nodes]}`);
    });

    it("Services have endpoints; the Ingress got its load-balancer address", () => {
        for (const svc of list("services", NS)) {
            const slices = list("endpointslices", NS, `kubernetes.io/service-name=${svc.metadata.name}`);
            const ready = slices.flatMap((s) => s.endpoints ?? []).filter((e: any) => e.conditions?.ready);
            assert.ok(ready.length > 0, `Service ${svc.metadata.name} has no ready endpoint`);
        }
        const app = list("endpointslices", NS, "kubernetes.io/service-name=chat").flatMap((s) => s.endpoints ?? []);
        assert.ok(app.length >= 3, `app Service has ${app.length} endpoints`);
        const ing = get(["ingress", "chat", "-n", NS]);
        assert.strictEqual(ing.spec.rules[0].host, HOST);
        assert.ok(ing.status.loadBalancer.ingress?.length);
    });

    it("a second preview shows no changes; refresh finds no drift", () => {
        p.pulumi(["preview", "--expect-no-changes"], "k8s: second preview (no changes)");
        p.pulumi(["refresh", "--yes", "--expect-no-changes", "--skip-preview"], "k8s: refresh (no drift)");
    });

    it("after the HPA scales the Deployment, an update keeps its count (the HPA owns spec.replicas)", function () {
        // What an HPA does under load, done by the real HPA controller: raise its minimum to 5.
        kubectl(["-n", NS, "patch", "hpa", "chat", "--type=merge", "-p", '{"spec":{"minReplicas":5}}']);
        let d = deployment(NS);
        for (let i = 0; i < 60 && d.replicas !== 5; i++) {
            run("sleep", ["1"]);
            d = deployment(NS);
        }
        assert.strictEqual(d.replicas, 5, "the HPA controller scaled the Deployment");
        // An env change rolls the pods (new ReplicaSet) and must not fight the HPA.
        const before = appReplicaSets(NS).length;
        p.config({ "extraEnv.ENABLE_COMMUNITY_SHARING": "false" });
        p.up("k8s: up (extraEnv change, pods roll)");
        d = deployment(NS);
        assert.strictEqual(d.replicas, 5, "the update kept the HPA's count (no conflict, no reset to replicas.min)");
        assert.strictEqual(appReplicaSets(NS).length, before + 1, "an extraEnv change rolled the pods");
        const env = d.obj.spec.template.spec.containers[0].env.find((e: any) => e.name === "ENABLE_COMMUNITY_SHARING");
        assert.strictEqual(env?.value, "false");
        // Put the HPA back (Pulumi diffs against its last inputs: an out-of-band edit is drift for `refresh`).
        kubectl(["-n", NS, "patch", "hpa", "chat", "--type=merge", "-p", '{"spec":{"minReplicas":3}}']);
    });

    it("a secret change (extraSecretEnv) rolls the pods through the config hash; the value stays out of the pod spec", () => {
        const before = appReplicaSets(NS).length;
        const hash0 = deployment(NS).obj.spec.template.metadata.annotations["openwebui.io/config-hash"];
        p.config({ "extraSecretEnv.TAVILY_API_KEY": "e2e-one" }, ["extraSecretEnv.TAVILY_API_KEY"]);
        p.up("k8s: up (extraSecretEnv added)");
        p.config({ "extraSecretEnv.TAVILY_API_KEY": "e2e-two" }, ["extraSecretEnv.TAVILY_API_KEY"]);
        const hash1 = deployment(NS).obj.spec.template.metadata.annotations["openwebui.io/config-hash"];
        p.up("k8s: up (secret value changed)");
        const d = deployment(NS);
        const hash2 = d.obj.spec.template.metadata.annotations["openwebui.io/config-hash"];
        assert.notStrictEqual(hash0, hash1);
        assert.notStrictEqual(hash1, hash2, "a changed secret value changes the pod template");
        assert.strictEqual(appReplicaSets(NS).length, before + 2);
        assert.ok(!JSON.stringify(d.obj.spec.template).includes("e2e-two"), "secret value in the pod template");
        const s = list("secrets", NS).find((x) => JSON.stringify(x.data ?? {}).includes(Buffer.from("e2e-two").toString("base64")));
        assert.ok(s, "the value lives in a Secret");
        assert.ok(d.available >= 3);
    });

    it("upgrade: a new image.tag runs a new migration Job to completion before the new ReplicaSet exists; the old Job is deleted", () => {
        const rsBefore = appReplicaSets(NS).map((r) => r.metadata.name);
        p.config({ imageTag: "v0.12.3" });
        p.up("k8s: up (image upgrade v0.12.2 -> v0.12.3)");
        const j = job(NS, "chat-migrate-v0-12-3");
        assert.ok(j && succeeded(j), "new migration Job succeeded");
        assert.strictEqual(job(NS, "chat-migrate-v0-12-2"), undefined, "the previous version's Job is replaced (deleted), as documented");
        rolledOut(NS, "k8s: upgrade");
        const fresh = appReplicaSets(NS).filter((r) => !rsBefore.includes(r.metadata.name));
        assert.strictEqual(fresh.length, 1);
        assert.ok(sec(j.status.completionTime) <= sec(fresh[0].metadata.creationTimestamp), "migrations finished before the new pods were created");
        assert.match(fresh[0].spec.template.spec.containers[0].image, /:v0\.12\.3$/);
    });

    it("maintenance mode: serving replicas go to 0 before the migration Job runs alone; leaving it serves minReplicas again", () => {
        p.config({ imageTag: "v0.12.4", maintenanceMode: true });
        p.up("k8s: up (maintenance on + v0.12.4)");
        const d = deployment(NS);
        assert.strictEqual(d.replicas, 0);
        assert.strictEqual(list("pods", NS, "app.kubernetes.io/component=app").filter((x) => !x.metadata.deletionTimestamp).length, 0, "no serving pod left");
        assert.strictEqual(list("hpa", NS).length, 0, "no HPA in maintenance mode");
        const j = job(NS, "chat-migrate-v0-12-4");
        assert.ok(j && succeeded(j));
        // The 0-replica Deployment was in place before the Job was created (the Job waits for it).
        assert.ok(sec(d.obj.metadata.creationTimestamp) <= sec(j.metadata.creationTimestamp), "Deployment at 0 before the migration Job");
        p.config({ maintenanceMode: false });
        p.up("k8s: up (maintenance off)");
        const back = deployment(NS);
        assert.ok(back.available >= 3, `${back.available} Available after leaving maintenance mode`);
        assert.strictEqual(get(["hpa", "chat", "-n", NS]).spec.minReplicas, 3);
        assert.match(back.obj.spec.template.spec.containers[0].image, /:v0\.12\.4$/);
        p.pulumi(["preview", "--expect-no-changes"], "k8s: preview after maintenance (no changes)");
        // The recreated Deployment still reports its next rollout in full before `up` returns.
        p.config({ "extraEnv.ENABLE_COMMUNITY_SHARING": "true" });
        p.up("k8s: up (env change after maintenance)");
        rolledOut(NS, "k8s: env change after maintenance");
    });

    it("the policy pack run by the real engine passes the example", () => {
        p.pulumi(["preview", "--policy-pack", path.join(ROOT, "policy")], "k8s: preview --policy-pack");
    });

    it("destroy leaves nothing of the release in the API server", () => {
        p.destroy("k8s: destroy");
        const ns = run("kubectl", ["get", "namespace", NS, "-o", "json"]);
        if (ns.code === 0) assert.ok(JSON.parse(ns.stdout).metadata.deletionTimestamp, "namespace is being deleted");
        for (let i = 0; i < 60 && run("kubectl", ["get", "namespace", NS]).code === 0; i++) run("sleep", ["1"]);
        assert.notStrictEqual(run("kubectl", ["get", "namespace", NS]).code, 0, "namespace gone");
        const left = JSON.parse(kubectl(["get", "clusterroles,clusterrolebindings,pv", "-o", "json"])).items.filter(
            (x: any) => JSON.stringify(x.metadata.labels ?? {}).includes("open-webui") && x.kind !== "PersistentVolume",
        );
        assert.deepStrictEqual(
            left.map((x: any) => x.metadata.name),
            [],
        );
    });
});

describe("e2e: a cluster whose nodes carry no zone label (kind, k3s, bare metal)", function () {
    this.timeout(10 * 60 * 1000);
    let p: Project;
    before(() => {
        must(run("bash", [path.join(__dirname, "cluster.sh"), "zones", "off"]), "zones off");
        p = Project.fromExample("kubernetes", "k8s-zoneless");
        p.config({ hostname: HOST, ingressClassName: "nginx", namespace: "owui-zoneless" });
    });
    after(() => {
        p?.pulumiRaw(["destroy", "--yes", "--skip-preview"], 300);
        run("bash", [path.join(__dirname, "cluster.sh"), "zones", "on"]);
    });

    it("reaches minReplicas Available (the zone spread is preferred on the kubernetes target)", () => {
        // Defect found by the first real run: a DoNotSchedule zone spread left every pod Pending
        // ("missing required label") and `up` hung until the Deployment's timeout.
        p.pulumi(["up", "--yes", "--skip-preview"], "zoneless: up", 420);
        const d = deployment("owui-zoneless");
        assert.ok(d.available >= 3, `${d.available} Available`);
        const pending = list("pods", "owui-zoneless").filter((x) => x.status.phase === "Pending");
        assert.deepStrictEqual(
            pending.map((x) => x.metadata.name),
            [],
        );
    });
});

describe("e2e: external services, existing namespace and Secrets, Gateway API routing", function () {
    this.timeout(10 * 60 * 1000);
    const ns = "owui-ext";
    let p: Project;
    before(() => {
        kubectl(["create", "namespace", ns]);
        kubectl(["label", "namespace", ns, "pod-security.kubernetes.io/enforce=restricted"]);
        const secret = (name: string, data: { [k: string]: string }) =>
            kubectl(["-n", ns, "create", "secret", "generic", name, ...Object.entries(data).map(([k, v]) => `--from-literal=${k}=${v}`)]);
        secret("openwebui-postgres", { url: "postgresql://owui:pw@pg.example.internal:5432/owui?sslmode=require" });
        secret("openwebui-redis", { url: "rediss://:pw@redis.example.internal:6379/0" });
        secret("openwebui-s3", { accessKeyId: "AKIAE2E", secretAccessKey: "e2e-secret" });
        p = Project.fromExample("kubernetes", "k8s-external");
        p.config({
            hostname: HOST,
            namespace: ns,
            createNamespace: false,
            external: true,
            databaseMaxConnections: 400,
            bucketName: "openwebui-e2e",
            s3EndpointUrl: "https://s3.example.internal",
            gatewayName: "shared-gateway",
            gatewayNamespace: "gateway-system",
        });
    });
    after(() => {
        p?.pulumiRaw(["destroy", "--yes", "--skip-preview"], 300);
        run("kubectl", ["delete", "namespace", ns, "--wait=false"]);
    });

    it("up creates no namespace, reads the existing Secrets, and the API server accepts the HTTPRoute", () => {
        p.up("external: up");
        const d = deployment(ns);
        assert.ok(d.available >= 3);
        const env = d.obj.spec.template.spec.containers[0].env;
        const ref = (n: string) => env.find((e: any) => e.name === n)?.valueFrom?.secretKeyRef;
        assert.deepStrictEqual(ref("DATABASE_URL"), { name: "openwebui-postgres", key: "url" });
        assert.deepStrictEqual(ref("REDIS_URL"), { name: "openwebui-redis", key: "url" });
        const route = get(["httproute", "chat", "-n", ns]);
        assert.deepStrictEqual(route.spec.hostnames, [HOST]);
        assert.strictEqual(route.spec.parentRefs[0].name, "shared-gateway");
        assert.strictEqual(list("ingress", ns).length, 0);
        assert.strictEqual(list("statefulsets", ns).length, 0, "no in-cluster data services in external mode");
        p.pulumi(["preview", "--expect-no-changes"], "external: second preview (no changes)");
    });
});

describe("e2e: the policy pack fails a hand-rolled deployment that breaks a mandatory rule", function () {
    this.timeout(5 * 60 * 1000);
    it("names the rule and the resource", () => {
        const program = `import * as k8s from "@pulumi/kubernetes";
new k8s.apps.v1.Deployment("owui", {
    metadata: { namespace: "default" },
    spec: {
        replicas: 3,
        selector: { matchLabels: { app: "owui" } },
        template: {
            metadata: { labels: { app: "owui" } },
            spec: { containers: [{ name: "open-webui", image: "ghcr.io/open-webui/open-webui:v0.12.4", env: [{ name: "WEBUI_SECRET_KEY", value: "hard-coded" }] }] },
        },
    },
});
`;
        const p = new Project("policy-broken", {
            "Pulumi.yaml": "name: policy-broken\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
            "index.ts": program,
        });
        const r = p.pulumiRaw(["preview", "--policy-pack", path.join(ROOT, "policy")], 300);
        times["policy: preview of a broken program"] = r.seconds;
        assert.notStrictEqual(r.code, 0, "preview must fail on a mandatory violation");
        const out = r.stdout + r.stderr;
        assert.match(out, /mandatory/);
        assert.match(out, /owui-ha-[a-z-]+/);
        assert.match(out, /kubernetes:apps\/v1:Deployment \(owui\)|owui/);
        fs.writeFileSync(path.join(WORK, "policy-broken.txt"), out);
    });
});
