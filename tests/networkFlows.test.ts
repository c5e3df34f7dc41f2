// The release's NetworkPolicies evaluated against the connections its workloads really make,
// on every target: each needed flow allowed, sample forbidden flows denied (tests/npEval.ts is
// the evaluator; its own control cases come first). Every policy also validates against the
// Kubernetes schema.
import "./harness";
import * as assert from "assert";
import { ofType, registered, reset, settle } from "./harness";
import { kubernetesObjects, validateK8sObject } from "./k8sSchema";
import { allowed, Endpoint, inCidr, Pod, Policy } from "./npEval";
import { CloudTarget, DataTier, OpenWebUiCluster, RoutingMode } from "../index";
import { ValidationError } from "../components/spec/errors";
import { AZURE_ARGS } from "./cloudFixtures";

const NS = "open-webui";
const pod = (name: string, labels: { [k: string]: string }, ip: string, namespace = NS, ports?: { [n: string]: number }): Pod => ({
    name,
    namespace,
    labels,
    ip,
    ports,
});
const ip = (a: string): Endpoint => ({ ip: a });

describe("NetworkPolicy evaluator (control cases)", function () {
    const a = pod("a", { app: "a" }, "10.0.0.1");
    const b = pod("b", { app: "b" }, "10.0.0.2", NS, { http: 8080 });
    const np = (spec: any, namespace = NS): Policy => ({ metadata: { namespace }, spec });
    it("no policy selecting a pod: everything allowed", () => {
        assert.ok(allowed([], a, b, 22));
        assert.ok(allowed([np({ podSelector: { matchLabels: { app: "zzz" } }, policyTypes: ["Ingress", "Egress"] })], a, b, 22));
    });
    it("a default deny denies both directions; Ingress-only leaves egress open", () => {
        const deny = np({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        assert.ok(!allowed([deny], a, b, 8080));
        assert.ok(!allowed([deny], a, ip("1.1.1.1"), 443));
        assert.ok(!allowed([deny], ip("1.1.1.1"), b, 8080));
        const ingressOnly = np({ podSelector: {}, policyTypes: ["Ingress"] });
        assert.ok(allowed([ingressOnly], a, ip("1.1.1.1"), 443));
        assert.ok(!allowed([ingressOnly], a, b, 8080));
    });
    it("policies are additive; peers and ports match as the API defines", () => {
        const deny = np({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        const allowB = np({
            podSelector: { matchLabels: { app: "b" } },
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ podSelector: { matchLabels: { app: "a" } } }], ports: [{ port: "http" }] }],
        });
        const egA = np({
            podSelector: { matchLabels: { app: "a" } },
            policyTypes: ["Egress"],
            egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/8", except: ["10.0.0.1/32"] } }], ports: [{ protocol: "TCP", port: 8000, endPort: 8090 }] }],
        });
        assert.ok(allowed([deny, allowB, egA], a, b, 8080), "named port and endPort range");
        assert.ok(!allowed([deny, allowB, egA], a, b, 8091), "outside the named port");
        assert.ok(!allowed([deny, allowB, egA], a, b, 8080, "UDP"), "protocol");
        assert.ok(!allowed([deny, allowB, egA], a, a, 8080), "ipBlock except");
        const other = pod("c", { app: "a" }, "10.9.0.1", "other");
        assert.ok(!allowed([deny, allowB], other, b, 8080), "podSelector alone is the policy's namespace only");
        const nsAndPod = np({
            podSelector: {},
            policyTypes: ["Ingress"],
            ingress: [
                { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "other" } }, podSelector: { matchLabels: { app: "x" } } }] },
            ],
        });
        assert.ok(!allowed([nsAndPod], other, b, 8080), "namespace AND pod selector");
        assert.ok(allowed([nsAndPod], { ...other, labels: { app: "x" } }, b, 8080));
        assert.ok(inCidr("35.191.7.1", "35.191.0.0/16") && !inCidr("35.192.0.1", "35.191.0.0/16"));
    });
});

const DNS = pod("coredns", { "k8s-app": "kube-dns" }, "10.96.0.10", "kube-system", { dns: 53 });
const OTHER = pod("intruder", { app: "intruder" }, "10.0.200.9");
const OTEL = { exporterEndpoint: "https://otlp.example.com:4317" };

function policies(): Policy[] {
    return kubernetesObjects(registered)
        .filter((o) => o.kind === "NetworkPolicy")
        .map((o) => ({ metadata: { name: o.metadata.name, namespace: o.metadata.namespace }, spec: o.spec }));
}

/** The pods the release runs (Deployments, StatefulSets, Jobs), with their named ports. */
function workloads(): { [component: string]: Pod } {
    const out: { [c: string]: Pod } = {};
    let n = 1;
    for (const r of [...ofType("kubernetes:apps/v1:Deployment"), ...ofType("kubernetes:apps/v1:StatefulSet"), ...ofType("kubernetes:batch/v1:Job")]) {
        const t = r.plain.spec.template;
        const ports = Object.fromEntries((t.spec.containers ?? []).flatMap((c: any) => (c.ports ?? []).map((p: any) => [p.name, p.containerPort])));
        const labels = t.metadata.labels;
        out[labels["app.kubernetes.io/component"]] = pod(r.name, labels, `10.0.100.${n++}`, r.plain.metadata.namespace, ports);
    }
    return out;
}

async function build(args: any): Promise<{ w: { [c: string]: Pod }; nps: Policy[] }> {
    reset();
    new OpenWebUiCluster("chat", { hostname: "chat.example.com", otel: OTEL, ...args });
    await settle();
    for (const o of kubernetesObjects(registered).filter((x) => x.kind === "NetworkPolicy")) await validateK8sObject(o);
    return { w: workloads(), nps: policies() };
}

/** The flows every target shares; `db`, `redis`, `store` are pods (in-cluster) or addresses (managed). */
function commonFlows(
    w: { [c: string]: Pod },
    nps: Policy[],
    dest: { db: [Endpoint, number]; redis: [Endpoint, number]; store: [Endpoint, number] },
    lbRangeHoldsPods = false,
) {
    const ok = (src: Endpoint, dst: Endpoint, port: number, what: string, proto = "TCP") =>
        assert.ok(allowed(nps, src, dst, port, proto), `${what} must be allowed`);
    const no = (src: Endpoint, dst: Endpoint, port: number, what: string) => assert.ok(!allowed(nps, src, dst, port), `${what} must be denied`);
    ok(w.app, DNS, 53, "app -> DNS (UDP)", "UDP");
    ok(w.app, DNS, 53, "app -> DNS (TCP)");
    ok(w.app, ...dest.db, "app -> database");
    ok(w.app, ...dest.redis, "app -> redis");
    ok(w.app, ...dest.store, "app -> object store");
    ok(w.app, w["otel-collector"], 4317, "app -> collector (gRPC)");
    ok(w.app, w["otel-collector"], 4318, "app -> collector (HTTP)");
    ok(w.migrations, ...dest.db, "migrations -> database");
    ok(w.migrations, DNS, 53, "migrations -> DNS", "UDP");
    ok(w["otel-collector"], ip("34.1.2.3"), 4317, "collector -> exporter");
    ok(w["otel-collector"], DNS, 53, "collector -> DNS", "UDP");
    // aws/azure defaults admit the private ranges (the ALB/AGC subnets are not known): pods
    // with VPC addresses are inside them until loadBalancerSourceCidrs narrows it (tested below).
    if (!lbRangeHoldsPods) no(OTHER, w.app, 8080, "another pod of the namespace -> app:8080");
    no(w.app, ip("10.1.2.3"), 22, "app -> 10.1.2.3:22");
    no(w["otel-collector"], ...dest.db, "collector -> database");
    no(w["otel-collector"], w.app, 8080, "collector -> app");
    no(OTHER, w["otel-collector"], 4317, "another pod -> collector");
    no(w.app, ip("203.0.113.9"), 80, "app -> internet:80");
    return { ok, no };
}

describe("NetworkPolicy flows", function () {
    this.timeout(60000);

    it("kubernetes target (in-cluster Postgres, Valkey, SeaweedFS; ingress-nginx)", async () => {
        const { w, nps } = await build({ target: CloudTarget.Kubernetes });
        const { ok, no } = commonFlows(w, nps, { db: [w.postgres, 5432], redis: [w.redis, 6379], store: [w.objects, 8333] });
        const nginx = pod("controller", { "app.kubernetes.io/name": "ingress-nginx" }, "10.0.50.1", "ingress-nginx");
        ok(nginx, w.app, 8080, "ingress controller -> app");
        ok(w["db-bootstrap"], w.postgres, 5432, "bootstrap Job -> postgres");
        ok(w.migrations, w.redis, 6379, "migrations -> redis");
        ok(w["objects-init"], w.objects, 9333, "bucket Job -> master");
        ok(w["objects-init"], w.objects, 19333, "bucket Job -> master gRPC");
        ok(w["objects-init"], w.objects, 18888, "bucket Job -> filer gRPC");
        ok(w.objects, w.objects, 8080, "SeaweedFS -> itself (volume server)");
        ok(w.app, ip("198.51.100.1"), 443, "app -> api.openai.com (default embeddings)");
        no(OTHER, w.postgres, 5432, "another pod -> postgres");
        no(OTHER, w.redis, 6379, "another pod -> redis");
        no(OTHER, w.objects, 8333, "another pod -> object store");
        no(w["objects-init"], w.postgres, 5432, "bucket Job -> postgres");
        no(w["db-bootstrap"], w.redis, 6379, "bootstrap Job -> redis");
        no(w.app, w.objects, 9333, "app -> SeaweedFS master");
        no(w.postgres, ip("198.51.100.1"), 443, "postgres -> internet");
        no(w.migrations, ip("198.51.100.1"), 443, "migrations -> internet");
        no(pod("x", { app: "x" }, "10.0.60.1", "other-ns"), w.app, 8080, "a pod of another namespace -> app");
    });

    it("kubernetes target, highly available data tier (CloudNativePG, Valkey + Sentinel, shared volume)", async () => {
        const { w, nps } = await build({
            target: CloudTarget.Kubernetes,
            kubernetes: { dataTier: DataTier.HighlyAvailable, cnpgOperatorNamespace: "databases" },
            storage: { storageClassName: "nfs" },
        });
        const cluster = kubernetesObjects(registered).find((o) => o.kind === "Cluster");
        // CloudNativePG's pods: the Cluster's inherited labels on each instance.
        const pg = [1, 2, 3].map((i) => pod(`chat-pg-${i}`, { ...cluster.spec.inheritedMetadata.labels, "cnpg.io/cluster": "chat-pg" }, `10.0.110.${i}`));
        // No object store flow: the kubelet mounts the shared volume (DNS stands in for the store).
        const { ok, no } = commonFlows(w, nps, { db: [pg[0], 5432], redis: [w.valkey, 6379], store: [DNS, 53] });
        const operator = pod("cnpg-controller", { "app.kubernetes.io/name": "cloudnative-pg" }, "10.0.90.1", "databases");
        ok(w.app, w.sentinel, 26379, "app -> sentinel");
        ok(w.migrations, w.valkey, 6379, "migrations -> valkey");
        ok(w.migrations, w.sentinel, 26379, "migrations -> sentinel");
        ok(pg[1], pg[0], 5432, "replica -> primary (streaming replication)");
        ok(pg[0], pg[2], 5432, "primary -> replica (pg_rewind, switchover)");
        ok(operator, pg[0], 8000, "operator -> instance status port");
        ok(pg[0], ip("10.96.0.1"), 443, "instance manager -> Kubernetes API");
        ok(pg[0], DNS, 53, "instance -> DNS", "UDP");
        ok(w.valkey, w.valkey, 6379, "valkey replica -> primary");
        ok(w.valkey, w.sentinel, 26379, "valkey start -> sentinel (who is primary)");
        ok(w.sentinel, w.valkey, 6379, "sentinel -> valkey (monitor, failover)");
        ok(w.sentinel, w.sentinel, 26379, "sentinel -> sentinel (gossip, votes)");
        no(OTHER, pg[0], 5432, "another pod -> postgres");
        no(pod("x", {}, "10.0.91.1", "cnpg-system"), pg[0], 8000, "the default operator namespace when another is named");
        no(operator, pg[0], 5432, "operator namespace -> 5432");
        no(OTHER, w.valkey, 6379, "another pod -> valkey");
        no(OTHER, w.sentinel, 26379, "another pod -> sentinel");
        no(w.valkey, pg[0], 5432, "valkey -> postgres");
        no(w.sentinel, ip("198.51.100.1"), 443, "sentinel -> internet");
        no(w.valkey, ip("10.96.0.1"), 443, "valkey -> Kubernetes API");
        no(pg[0], ip("198.51.100.1"), 80, "postgres -> internet:80");
        no(pg[0], w.valkey, 6379, "postgres -> valkey");
        no(w.app, ip("198.51.100.7"), 8333, "no object store flow with a shared volume");
        assert.ok(!w.postgres && !w.redis && !w.objects && !w["db-bootstrap"], "no single-instance service, no bootstrap Job");
    });

    it("kubernetes target: Gateway API, routing none, egressToInternet, allowedEgress, defaultDeny=false", async () => {
        let r = await build({
            target: CloudTarget.Kubernetes,
            kubernetes: { gateway: { name: "gw", namespace: "gateways" }, ingressControllerPodLabels: { "gateway.networking.k8s.io/gateway-name": "gw" } },
        });
        const gw = pod("envoy", { "gateway.networking.k8s.io/gateway-name": "gw" }, "10.0.51.1", "gateways");
        assert.ok(allowed(r.nps, gw, r.w.app, 8080), "gateway data plane -> app");
        assert.ok(!allowed(r.nps, { ...gw, labels: { app: "other" } }, r.w.app, 8080), "another pod of the gateway namespace");
        r = await build({ target: CloudTarget.Kubernetes, kubernetes: { routing: RoutingMode.None } });
        assert.ok(!allowed(r.nps, pod("c", {}, "10.0.50.1", "ingress-nginx"), r.w.app, 8080), "routing none admits nobody until told");
        r = await build({ target: CloudTarget.Kubernetes, network: { egressToInternet: true, allowedEgress: [{ cidr: "10.20.0.0/16", ports: [11434] }] } });
        assert.ok(allowed(r.nps, r.w.app, ip("203.0.113.9"), 80), "egressToInternet opens 80");
        assert.ok(allowed(r.nps, r.w.app, ip("10.20.3.4"), 11434), "allowedEgress");
        assert.ok(!allowed(r.nps, r.w.app, ip("10.1.2.3"), 22));
        r = await build({ target: CloudTarget.Kubernetes, network: { defaultDeny: false } });
        assert.ok(!r.nps.some((p) => p.metadata.name === "chat-default-deny"));
        assert.ok(allowed(r.nps, r.w.app, ip("10.1.2.3"), 22), "defaultDeny=false: egress open (the former policies)");
    });

    it("aws target (Aurora, ElastiCache, S3, Pod Identity, ALB IP targets)", async () => {
        const aws = {
            vpcId: "vpc-1",
            privateSubnetIds: ["subnet-a", "subnet-b"],
            eks: { clusterName: "prod", securityGroupIds: ["sg-1"] },
            certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
            route53ZoneId: "Z1",
        };
        const { w, nps } = await build({ target: CloudTarget.Aws, aws });
        const { ok } = commonFlows(w, nps, { db: [ip("10.0.20.5"), 5432], redis: [ip("10.0.21.5"), 6379], store: [ip("52.218.1.1"), 443] }, true);
        ok(ip("10.0.1.5"), w.app, 8080, "ALB (VPC address) -> app");
        ok(w.app, ip("169.254.170.23"), 80, "app -> EKS Pod Identity agent");
        ok(w["db-bootstrap"], ip("10.0.20.5"), 5432, "bootstrap Job -> database");
        assert.ok(!allowed(nps, ip("203.0.113.9"), w.app, 8080), "internet address -> app directly");
        const narrowed = await build({ target: CloudTarget.Aws, aws, network: { loadBalancerSourceCidrs: ["10.0.0.0/24"] } });
        assert.ok(!allowed(narrowed.nps, OTHER, narrowed.w.app, 8080), "narrowed to the ALB subnets: a pod's VPC address is refused");
    });

    it("gcp target (Cloud SQL, Memorystore, GCS, GKE NEG)", async () => {
        const { w, nps } = await build({
            target: CloudTarget.Gcp,
            gcp: { project: "proj-123", region: "europe-west1", network: "projects/proj-123/global/networks/vpc" },
        });
        const { ok, no } = commonFlows(w, nps, { db: [ip("10.10.0.3"), 5432], redis: [ip("10.10.1.4"), 6378], store: [ip("142.250.1.1"), 443] });
        ok(ip("35.191.3.4"), w.app, 8080, "Google front end -> app");
        ok(ip("130.211.1.1"), w.app, 8080, "Google health check -> app");
        ok(w.app, ip("169.254.169.254"), 80, "app -> GKE metadata server");
        no(ip("10.10.9.9"), w.app, 8080, "a VPC address -> app");
    });

    it("azure target (Flexible Server, Managed Redis, Blob, AGC)", async () => {
        const azure = AZURE_ARGS;
        const { w, nps } = await build({ target: CloudTarget.Azure, tls: { secretName: "chat-tls" }, azure });
        const { ok } = commonFlows(w, nps, { db: [ip("10.240.8.4"), 5432], redis: [ip("10.240.9.4"), 10000], store: [ip("10.240.9.5"), 443] }, true);
        ok(ip("10.225.0.4"), w.app, 8080, "AGC subnet -> app");
        const narrowed = await build({
            target: CloudTarget.Azure,
            tls: { secretName: "chat-tls" },
            azure,
            network: { loadBalancerSourceCidrs: ["10.225.0.0/24"] },
        });
        assert.ok(allowed(narrowed.nps, ip("10.225.0.4"), narrowed.w.app, 8080));
        assert.ok(!allowed(narrowed.nps, OTHER, narrowed.w.app, 8080), "narrowed to the AGC subnet: another pod is refused");
        ok(w.app, ip("20.190.1.1"), 443, "app -> Entra ID");
    });

    it("the import Job (importFrom): exactly the app's egress, no ingress; a Postgres source on 5432", async () => {
        const egressOf = (nps: Policy[], suffix: string) => nps.find((p) => p.metadata.name === `chat-${suffix}`)!.spec.egress;
        let r = await build({ target: CloudTarget.Kubernetes, importFrom: { dataDirClaim: "open-webui" } });
        const imp = r.w.import;
        assert.ok(imp, "the import Job's pods");
        assert.deepStrictEqual(egressOf(r.nps, "import"), egressOf(r.nps, "app"), "the app's egress, exactly");
        for (const [dst, port, what] of [
            [r.w.postgres, 5432, "postgres"],
            [r.w.redis, 6379, "redis"],
            [r.w.objects, 8333, "object store"],
            [r.w["otel-collector"], 4317, "collector"],
        ] as const) {
            assert.ok(allowed(r.nps, imp, dst, port), `import -> ${what} must be allowed`);
        }
        assert.ok(allowed(r.nps, imp, DNS, 53, "UDP"), "import -> DNS");
        for (const src of [OTHER, r.w.app, r.w.migrations]) assert.ok(!allowed(r.nps, src, imp, 8080), `${src.name} -> import must be denied`);
        assert.ok(!allowed(r.nps, imp, ip("203.0.113.9"), 5432), "no source Postgres without databaseUrlSecret");
        assert.ok(!allowed(r.nps, imp, r.w.objects, 9333), "import -> SeaweedFS master");
        r = await build({ target: CloudTarget.Kubernetes, importFrom: { databaseUrlSecret: { name: "old-db", key: "url" } } });
        assert.ok(allowed(r.nps, r.w.import, ip("203.0.113.9"), 5432), "import -> the source Postgres");
        assert.ok(!allowed(r.nps, r.w.app, ip("203.0.113.9"), 5432), "the app does not reach it");
        r = await build({
            target: CloudTarget.Kubernetes,
            database: { mode: "inClusterHa" },
            redis: { mode: "inClusterHa" },
            importFrom: { dataDirClaim: "open-webui" },
        });
        const pgHa = pod("chat-pg-1", { "app.kubernetes.io/instance": "chat", "app.kubernetes.io/component": "postgres-ha" }, "10.0.120.1");
        assert.ok(allowed(r.nps, r.w.import, pgHa, 5432), "import -> HA Postgres (admitted wherever the app is)");
        assert.ok(!allowed(r.nps, OTHER, pgHa, 5432));
        const aws = {
            vpcId: "vpc-1",
            privateSubnetIds: ["subnet-a", "subnet-b"],
            eks: { clusterName: "prod", securityGroupIds: ["sg-1"] },
            certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
            route53ZoneId: "Z1",
        };
        r = await build({ target: CloudTarget.Aws, aws, importFrom: { dataDirClaim: "open-webui" } });
        assert.ok(allowed(r.nps, r.w.import, ip("169.254.170.23"), 80), "import -> EKS Pod Identity agent (bucket access)");
        assert.ok(allowed(r.nps, r.w.import, ip("52.218.1.1"), 443), "import -> S3");
        assert.ok(allowed(r.nps, r.w.import, ip("10.0.20.5"), 5432), "import -> Aurora");
    });

    it("bad network args fail at construction, naming the field", async () => {
        reset();
        assert.throws(
            () =>
                new OpenWebUiCluster("chat", {
                    target: CloudTarget.Kubernetes,
                    hostname: "chat.example.com",
                    network: { loadBalancerSourceCidrs: ["10.0.0.0/33"], allowedEgress: [{ cidr: "x", ports: [0] }] },
                }),
            (e: any) => {
                assert.ok(e instanceof ValidationError);
                assert.match(e.message, /network\.loadBalancerSourceCidrs\[0\]/);
                assert.match(e.message, /network\.allowedEgress\[0\]\.cidr/);
                assert.match(e.message, /network\.allowedEgress\[0\]\.ports\[0\]/);
                return true;
            },
        );
    });
});
