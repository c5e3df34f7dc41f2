// What other clusters need (issue 25 part 6, the Helm chart users' list): a cluster domain other
// than cluster.local, the app Service's type/annotations/appProtocol/loadBalancerClass/
// externalTrafficPolicy, extra hostnames on the route, hostAliases, ServiceAccount annotations and
// the app container's command/args. Asserted on the registered objects (validated against the
// Kubernetes schema), on the kubernetes target and the clouds, with the refusals.
import "./harness";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { envOf, one, ofType, registered, reset, settle, value } from "./harness";
import { kubernetesObjects, validateK8sObject } from "./k8sSchema";
import { allowed, Policy } from "./npEval";
import { baseSpec, leaves, Target } from "./schemaWalk";
import { OpenWebUiCluster, ValidationError } from "../index";
import { loadPlatform } from "../providers";

const DOMAIN = "k8s.corp.example";
const IRSA = {
    clusterName: "prod",
    securityGroupIds: ["sg-0123abcd"],
    identityMode: "irsa",
    oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123",
    oidcIssuerUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC123",
};
const spec = (target: Target, extra: any = {}): any => {
    const b = baseSpec(target);
    return { ...b, ...extra, ...(extra[target] ? { [target]: { ...b[target], ...extra[target] } } : {}) };
};

async function build(args: any): Promise<OpenWebUiCluster> {
    reset();
    const c = new OpenWebUiCluster("chat", args);
    await settle();
    return c;
}

/** Refused at construction with a ValidationError matching `re`; nothing registered. */
async function refused(args: any, re: RegExp): Promise<void> {
    reset();
    assert.throws(
        () => new OpenWebUiCluster("chat", args),
        (e: unknown) => {
            assert.ok(e instanceof ValidationError, String(e));
            assert.match(e.message, re);
            return true;
        },
    );
    await settle();
    assert.deepStrictEqual(
        registered.map((r) => r.name),
        [],
    );
}

async function schemaValid(): Promise<void> {
    for (const o of kubernetesObjects(registered)) await validateK8sObject(o);
}

const service = () => one("kubernetes:core/v1:Service", "chat").plain;
const deployment = () => ofType("kubernetes:apps/v1:Deployment").find((d) => d.name === "chat")!.plain;
const migrateJob = () => ofType("kubernetes:batch/v1:Job").find((j) => j.name === "chat-migrate")!.plain;
const serviceAccount = () => one("kubernetes:core/v1:ServiceAccount", "chat-serviceaccount").plain;
const ingress = () => one("kubernetes:networking.k8s.io/v1:Ingress").plain;
const httpRoute = () => ofType("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute").find((r) => r.name === "chat")!.plain;

describe("what other clusters need (issue 25 part 6)", function () {
    this.timeout(120_000);

    describe("kubernetes.clusterDomain", () => {
        it("every in-cluster address uses the cluster's domain (kubernetes target: Postgres, Valkey, SeaweedFS, collector)", async () => {
            const c = await build(spec("kubernetes", { kubernetes: { clusterDomain: DOMAIN }, otel: { exporterEndpoint: "https://otlp.example.com:4317" } }));
            assert.strictEqual(await value(c.databaseEndpoint), `chat-postgres.open-webui.svc.${DOMAIN}:5432`);
            assert.strictEqual(await value(c.redisEndpoint), `chat-redis.open-webui.svc.${DOMAIN}:6379`);
            const env = envOf(deployment().spec.template.spec);
            assert.strictEqual(env.S3_ENDPOINT_URL.value, `http://chat-objects.open-webui.svc.${DOMAIN}:8333`);
            assert.strictEqual(env.OTEL_EXPORTER_OTLP_ENDPOINT.value, `http://chat-otel-collector.open-webui.svc.${DOMAIN}:4317`);
            const bucketJob = ofType("kubernetes:batch/v1:Job").find((j) => j.name === "chat-objects-bucket")!.plain;
            assert.ok(JSON.stringify(bucketJob).includes(`chat-objects.open-webui.svc.${DOMAIN}:9333`));
            const everything = JSON.stringify(registered.map((r) => r.plain));
            assert.ok(!everything.includes("cluster.local"), "cluster.local left somewhere");
            await schemaValid();
        });

        it("applies on a cloud too (the collector's endpoint on gcp)", async () => {
            await build(spec("gcp", { kubernetes: { clusterDomain: DOMAIN }, otel: { exporterEndpoint: "https://otlp.example.com:4317" } }));
            assert.strictEqual(
                envOf(deployment().spec.template.spec).OTEL_EXPORTER_OTLP_ENDPOINT.value,
                `http://chat-otel-collector.open-webui.svc.${DOMAIN}:4317`,
            );
        });

        it("default: cluster.local", async () => {
            const c = await build(spec("kubernetes"));
            assert.strictEqual(await value(c.redisEndpoint), "chat-redis.open-webui.svc.cluster.local:6379");
        });

        for (const [v, re] of [
            ["Cluster.Local", /kubernetes\.clusterDomain: got "Cluster\.Local"; give the cluster's DNS domain .*lowercase/],
            ["cluster.local.", /kubernetes\.clusterDomain: got "cluster\.local\."; drop the trailing dot: cluster\.local/],
            ["svc.cluster.local", /kubernetes\.clusterDomain: got "svc\.cluster\.local"; .*without the leading svc\./],
            ["", /kubernetes\.clusterDomain: got ""/],
            ["corp_example", /kubernetes\.clusterDomain: got "corp_example"/],
        ] as [string, RegExp][])
            it(`refuses ${JSON.stringify(v)}`, () => refused(spec("kubernetes", { kubernetes: { clusterDomain: v } }), re));

        it("no source outside the one helper writes the cluster domain", () => {
            const root = path.join(__dirname, "..");
            const helper = path.join(root, "components", "spec", "addresses.ts");
            const offenders: string[] = [];
            const walk = (dir: string) => {
                for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
                    const p = path.join(dir, e.name);
                    if (e.isDirectory()) walk(p);
                    else if (/\.ts$/.test(e.name) && p !== helper) {
                        const code = fs
                            .readFileSync(p, "utf8")
                            .split("\n")
                            .filter((l) => !/^\s*(\/\/|\/?\*)/.test(l));
                        if (code.some((l) => /cluster\.local/.test(l))) offenders.push(path.relative(root, p));
                    }
                }
            };
            for (const d of ["components", "providers", "cli"]) walk(path.join(root, d));
            assert.deepStrictEqual(offenders, []);
        });
    });

    describe("service (the app Service)", () => {
        const lb = {
            type: "LoadBalancer",
            annotations: { "metallb.universe.tf/address-pool": "public" },
            appProtocol: "http",
            loadBalancerClass: "io.cilium/bgp-control-plane",
            externalTrafficPolicy: "Local",
            nodePort: 30080,
        };

        it("LoadBalancer with MetalLB annotations, appProtocol, class, traffic policy and node port; the NetworkPolicy admits the given sources only", async () => {
            await build(spec("kubernetes", { service: lb, network: { loadBalancerSourceCidrs: ["203.0.113.0/24"] } }));
            const s = service();
            assert.strictEqual(s.spec.type, "LoadBalancer");
            assert.deepStrictEqual(s.spec.ports, [{ name: "http", port: 80, targetPort: "http", protocol: "TCP", appProtocol: "http", nodePort: 30080 }]);
            assert.strictEqual(s.spec.loadBalancerClass, "io.cilium/bgp-control-plane");
            assert.strictEqual(s.spec.externalTrafficPolicy, "Local");
            assert.deepStrictEqual(s.metadata.annotations, { "metallb.universe.tf/address-pool": "public" });
            await schemaValid();
            const policies: Policy[] = kubernetesObjects(registered)
                .filter((o) => o.kind === "NetworkPolicy")
                .map((o) => ({ metadata: o.metadata, spec: o.spec }));
            const app = { name: "app", namespace: "open-webui", labels: deployment().spec.template.metadata.labels, ip: "10.0.1.5", ports: { http: 8080 } };
            assert.ok(allowed(policies, { ip: "203.0.113.7" }, app, 8080), "a client in loadBalancerSourceCidrs");
            assert.ok(!allowed(policies, { ip: "198.51.100.1" }, app, 8080), "a client outside it");
        });

        it("default: ClusterIP, no appProtocol, no annotations", async () => {
            await build(spec("kubernetes"));
            const s = service();
            assert.strictEqual(s.spec.type, "ClusterIP");
            assert.deepStrictEqual(s.spec.ports, [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
            assert.strictEqual(s.metadata.annotations, undefined);
        });

        it("gcp: the user's annotations beside the load balancer's (BackendConfig, NEG), appProtocol on the port", async () => {
            await build(spec("gcp", { service: { annotations: { "example.com/team": "chat" }, appProtocol: "kubernetes.io/ws" } }));
            const a = service().metadata.annotations;
            assert.strictEqual(a["example.com/team"], "chat");
            assert.ok(a["cloud.google.com/neg"] && a["cloud.google.com/backend-config"]);
            assert.strictEqual(service().spec.ports[0].appProtocol, "kubernetes.io/ws");
            await schemaValid();
        });

        for (const target of ["kubernetes", "aws", "gcp", "azure"] as Target[]) {
            it(`${target}: ownedAnnotations.service lists exactly the keys the load balancer sets on the Service`, async () => {
                await build(spec(target));
                assert.deepStrictEqual(
                    Object.keys(service().metadata.annotations ?? {}).sort(),
                    loadPlatform(target as any)
                        .ownedAnnotations.service.slice()
                        .sort(),
                );
            });
        }

        it("network.defaultDeny=false: a LoadBalancer needs no source list", async () => {
            await build(spec("kubernetes", { service: { type: "NodePort" }, network: { defaultDeny: false } }));
            assert.strictEqual(service().spec.type, "NodePort");
        });

        const bad: [string, any, RegExp][] = [
            [
                "LoadBalancer without network.loadBalancerSourceCidrs",
                { service: { type: "LoadBalancer" } },
                /service\.type: got "LoadBalancer"; traffic through a node port or a Service load balancer comes from outside the cluster.*set network\.loadBalancerSourceCidrs/,
            ],
            [
                "NodePort without network.loadBalancerSourceCidrs (aws)",
                { target: "aws", service: { type: "NodePort" } },
                /service\.type: got "NodePort"; .*on aws\/gcp\/azure the list replaces/,
            ],
            ["an unknown type", { service: { type: "Ingress" } }, /service\.type: got "Ingress"; use one of ClusterIP, NodePort, LoadBalancer/],
            [
                "loadBalancerClass with ClusterIP",
                { service: { loadBalancerClass: "example.com/lb" } },
                /service\.loadBalancerClass: got "example\.com\/lb"; Kubernetes takes a loadBalancerClass only with service\.type LoadBalancer/,
            ],
            [
                "externalTrafficPolicy with ClusterIP",
                { service: { externalTrafficPolicy: "Local" } },
                /service\.externalTrafficPolicy: got "Local"; .*only with service\.type NodePort or LoadBalancer/,
            ],
            [
                "an unknown externalTrafficPolicy",
                { service: { type: "NodePort", externalTrafficPolicy: "Nearest" }, network: { loadBalancerSourceCidrs: ["10.0.0.0/8"] } },
                /service\.externalTrafficPolicy: got "Nearest"; use one of Cluster, Local/,
            ],
            ["nodePort with ClusterIP", { service: { nodePort: 30080 } }, /service\.nodePort: got 30080; a node port exists only with/],
            [
                "nodePort out of range",
                { service: { type: "NodePort", nodePort: 70000 }, network: { loadBalancerSourceCidrs: ["10.0.0.0/8"] } },
                /service\.nodePort: got 70000; use a port in the cluster's node port range/,
            ],
            [
                "nodePort as a string",
                { service: { type: "NodePort", nodePort: "30080" }, network: { loadBalancerSourceCidrs: ["10.0.0.0/8"] } },
                /service\.nodePort: got "30080"; use the number 30080/,
            ],
            ["appProtocol with a space", { service: { appProtocol: "web socket" } }, /service\.appProtocol: got "web socket"; use an IANA service name/],
            [
                "an annotation key with a space",
                { service: { annotations: { "my key": "v" } } },
                /service\.annotations\.my key: got "my key"; use a valid Kubernetes key/,
            ],
            [
                "gcp: the load balancer's NEG annotation",
                { target: "gcp", service: { annotations: { "cloud.google.com/neg": '{"ingress": false}' } } },
                /service\.annotations\.cloud\.google\.com\/neg: got "\{\\"ingress\\": false\}"; the gcp target's load balancer sets cloud\.google\.com\/neg on this Service itself/,
            ],
        ];
        for (const [title, x, re] of bad) it(`refuses ${title}`, () => refused(spec(x.target ?? "kubernetes", { ...x, target: x.target ?? "kubernetes" }), re));
    });

    describe("additionalHostnames (extra names on the route)", () => {
        const extra = ["chat.corp.example", "ai.example.com"];
        it("kubernetes, Ingress: a rule per name, every name in the TLS hosts (cert-manager issues for all); WEBUI_URL stays hostname", async () => {
            await build(spec("kubernetes", { additionalHostnames: extra, tls: { clusterIssuer: "letsencrypt" } }));
            const i = ingress();
            assert.deepStrictEqual(
                i.spec.rules.map((r: any) => r.host),
                ["chat.example.com", ...extra],
            );
            assert.deepStrictEqual(i.spec.tls[0].hosts, ["chat.example.com", ...extra]);
            assert.strictEqual(envOf(deployment().spec.template.spec).WEBUI_URL.value, "https://chat.example.com");
            await schemaValid();
        });

        it("kubernetes, Gateway API: the HTTPRoute's hostnames", async () => {
            await build(spec("kubernetes", { additionalHostnames: extra, kubernetes: { gateway: { name: "public", namespace: "gateways" } } }));
            assert.deepStrictEqual(httpRoute().spec.hostnames, ["chat.example.com", ...extra]);
        });

        it("gcp: Ingress rules and the managed certificate's domains", async () => {
            await build(spec("gcp", { additionalHostnames: extra }));
            assert.deepStrictEqual(
                ingress().spec.rules.map((r: any) => r.host),
                ["chat.example.com", ...extra],
            );
            const cert = ofType("kubernetes:networking.gke.io/v1:ManagedCertificate")[0].plain;
            assert.deepStrictEqual(cert.spec.domains, ["chat.example.com", ...extra]);
        });

        it("aws: ALB Ingress rules (the ACM certificate must cover the names)", async () => {
            await build(spec("aws", { additionalHostnames: extra }));
            assert.deepStrictEqual(
                ingress().spec.rules.map((r: any) => r.host),
                ["chat.example.com", ...extra],
            );
        });

        it("azure: a shared AGC Gateway (HTTPRoute hostnames) and AGIC (Ingress rules)", async () => {
            await build(spec("azure", { additionalHostnames: extra, azure: { ingress: { agc: { gatewayName: "shared", gatewayNamespace: "gateways" } } } }));
            assert.deepStrictEqual(httpRoute().spec.hostnames, ["chat.example.com", ...extra]);
            await build(spec("azure", { additionalHostnames: extra, azure: { ingress: { controller: "applicationGatewayIngress" } } }));
            assert.deepStrictEqual(
                ingress().spec.rules.map((r: any) => r.host),
                ["chat.example.com", ...extra],
            );
        });

        const bad: [string, any, RegExp][] = [
            [
                "an uppercase name",
                { additionalHostnames: ["Chat.Corp.Example"] },
                /additionalHostnames\[0\]: got "Chat\.Corp\.Example"; give a lowercase DNS name/,
            ],
            ["a wildcard", { additionalHostnames: ["*.example.com"] }, /additionalHostnames\[0\]: got "\*\.example\.com"; .*no wildcard/],
            ["a URL", { additionalHostnames: ["https://ai.example.com"] }, /additionalHostnames\[0\]: got "https:\/\/ai\.example\.com"/],
            ["hostname itself", { additionalHostnames: ["chat.example.com"] }, /additionalHostnames\[0\]: got "chat\.example\.com"; is hostname already/],
            ["a duplicate", { additionalHostnames: ["ai.example.com", "ai.example.com"] }, /additionalHostnames\[1\]: got "ai\.example\.com"; is listed twice/],
            [
                "routing none",
                { additionalHostnames: ["ai.example.com"], kubernetes: { routing: "none" } },
                /additionalHostnames: got "with kubernetes\.routing=none"; the component creates no route/,
            ],
        ];
        for (const [title, x, re] of bad) it(`refuses ${title}`, () => refused(spec("kubernetes", x), re));
        it("refuses them on azure's own AGC Gateway (its listeners carry hostname only)", () =>
            refused(
                spec("azure", { additionalHostnames: ["ai.example.com"] }),
                /additionalHostnames: got "with the Gateway the component creates for Application Gateway for Containers"; .*azure\.ingress\.agc\.gatewayName/,
            ));
        it("refuses more names than a GKE managed certificate takes", () =>
            refused(
                spec("gcp", { additionalHostnames: Array.from({ length: 100 }, (_, i) => `n${i}.example.com`) }),
                /additionalHostnames: got "100 names"; a GKE managed certificate covers at most 100 domains/,
            ));
    });

    describe("pod.hostAliases, pod.command/args, pod.serviceAccountAnnotations", () => {
        const aliases = [
            { ip: "10.20.0.15", hostnames: ["models.corp.internal", "llm"] },
            { ip: "fd00::15", hostnames: ["v6.corp.internal"] },
        ];

        it("hostAliases on the Open WebUI pods (Deployment and migration Job) and on a workload; command/args on the app container only", async () => {
            await build(
                spec("kubernetes", {
                    pod: { hostAliases: aliases, command: ["/wrapper.sh"], args: ["--serve", "--port=8080"] },
                    workloads: { postgres: { hostAliases: [aliases[0]] } },
                }),
            );
            assert.deepStrictEqual(deployment().spec.template.spec.hostAliases, aliases);
            assert.deepStrictEqual(migrateJob().spec.template.spec.hostAliases, aliases);
            const pg = ofType("kubernetes:apps/v1:StatefulSet").find((s) => s.name === "chat-postgres")!.plain;
            assert.deepStrictEqual(pg.spec.template.spec.hostAliases, [aliases[0]]);
            const app = deployment().spec.template.spec.containers.find((c: any) => c.name === "open-webui");
            assert.deepStrictEqual(app.command, ["/wrapper.sh"]);
            assert.deepStrictEqual(app.args, ["--serve", "--port=8080"]);
            assert.strictEqual(migrateJob().spec.template.spec.containers[0].command[0], "python", "the migration Job keeps its program");
            await schemaValid();
        });

        it("default: no hostAliases, the image's entrypoint", async () => {
            await build(spec("kubernetes"));
            const s = deployment().spec.template.spec;
            assert.strictEqual(s.hostAliases, undefined);
            assert.strictEqual(s.containers[0].command, undefined);
            assert.strictEqual(s.containers[0].args, undefined);
        });

        it("ServiceAccount annotations on kubernetes; on aws beside the workload identity's", async () => {
            await build(
                spec("kubernetes", {
                    pod: {
                        serviceAccountAnnotations: { "example.com/owner": "ml-platform", "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/own" },
                    },
                }),
            );
            assert.deepStrictEqual(serviceAccount().metadata.annotations, {
                "example.com/owner": "ml-platform",
                "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/own",
            });
            await build(spec("aws", { pod: { serviceAccountAnnotations: { "example.com/owner": "ml-platform" } }, aws: { eks: IRSA } }));
            const a = serviceAccount().metadata.annotations;
            assert.strictEqual(a["example.com/owner"], "ml-platform");
            assert.match(a["eks.amazonaws.com/role-arn"], /^arn:aws:iam::/);
            await schemaValid();
        });

        const identityCases: [Target, any, string][] = [
            ["aws", {}, "aws Pod Identity"],
            ["aws", { eks: IRSA }, "aws IRSA"],
            ["gcp", {}, "gcp"],
            ["azure", {}, "azure"],
        ];
        for (const [target, cloud, label] of identityCases) {
            it(`${label}: every key the workload identity sets is in ownedAnnotations.serviceAccount, and refused from the user`, async () => {
                await build(spec(target, { [target]: cloud }));
                const keys = Object.keys(serviceAccount().metadata.annotations ?? {});
                assert.ok(keys.length > 0);
                for (const k of keys) assert.ok(loadPlatform(target as any).ownedAnnotations.serviceAccount.includes(k), `${k} not listed`);
                await refused(
                    spec(target, { [target]: cloud, pod: { serviceAccountAnnotations: { [keys[0]]: "mine" } } }),
                    new RegExp(
                        `pod\\.serviceAccountAnnotations\\.${keys[0].replace(/[./]/g, "\\$&")}: got "mine"; the component binds this ServiceAccount to the ${target} workload identity`,
                    ),
                );
            });
        }

        const bad: [string, any, RegExp][] = [
            [
                "an IP out of range",
                { hostAliases: [{ ip: "10.0.0.300", hostnames: ["a.corp"] }] },
                /pod\.hostAliases\[0\]\.ip: got "10\.0\.0\.300"; use an IPv4 or IPv6 address/,
            ],
            ["a CIDR for an IP", { hostAliases: [{ ip: "10.0.0.0/24", hostnames: ["a.corp"] }] }, /pod\.hostAliases\[0\]\.ip: got "10\.0\.0\.0\/24"/],
            ["a host name for an IP", { hostAliases: [{ ip: "models.corp", hostnames: ["a.corp"] }] }, /pod\.hostAliases\[0\]\.ip: got "models\.corp"/],
            ["no host names", { hostAliases: [{ ip: "10.0.0.3", hostnames: [] }] }, /pod\.hostAliases\[0\]\.hostnames: got \[\]; list at least one host name/],
            [
                "a bad host name",
                { hostAliases: [{ ip: "10.0.0.3", hostnames: ["Models_Server"] }] },
                /pod\.hostAliases\[0\]\.hostnames\[0\]: got "Models_Server"; use a lowercase DNS name/,
            ],
            ["a missing ip", { hostAliases: [{ hostnames: ["a.corp"] }] }, /pod\.hostAliases\[0\]\.ip: got nothing; use an IPv4 or IPv6 address/],
            ["a command that is a string", { command: "/wrapper.sh" }, /pod\.command: got "\/wrapper\.sh"; give a list \(e\.g\. \["\/wrapper\.sh"\]\)/],
            ["args with a number", { args: ["--port", 8080] }, /pod\.args\[1\]: got 8080; use a string: "8080"/],
            [
                "a ServiceAccount annotation key with a space",
                { serviceAccountAnnotations: { "bad key": "v" } },
                /pod\.serviceAccountAnnotations\.bad key: got "bad key"; use a valid Kubernetes key/,
            ],
        ];
        for (const [title, pod, re] of bad) it(`refuses ${title}`, () => refused(spec("kubernetes", { pod }), re));
        it("refuses a bad workload hostAlias, naming the workload", () =>
            refused(
                spec("kubernetes", { workloads: { redis: { hostAliases: [{ ip: "1.2.3", hostnames: ["x.corp"] }] } } }),
                /workloads\.redis\.hostAliases\[0\]\.ip: got "1\.2\.3"/,
            ));
    });

    it("the new fields are in the schema the hostile-input machinery walks (tests/schemaWalk.ts)", () => {
        const paths = new Set(leaves().map((l) => l.path.join(".")));
        for (const p of [
            "kubernetes.clusterDomain",
            "service.type",
            "service.annotations.{}",
            "service.appProtocol",
            "service.loadBalancerClass",
            "service.externalTrafficPolicy",
            "service.nodePort",
            "additionalHostnames.[]",
            "pod.hostAliases.[].ip",
            "pod.hostAliases.[].hostnames.[]",
            "pod.command.[]",
            "pod.args.[]",
            "pod.serviceAccountAnnotations.{}",
            "workloads.redis.hostAliases.[].ip",
        ]) {
            assert.ok(paths.has(p), `${p} not in schema.json`);
        }
    });
});
