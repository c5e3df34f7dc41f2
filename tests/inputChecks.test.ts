// Issue 23, types and Kubernetes rules: values that arrive untyped (`as any`, `pulumi.Config.get`
// strings, other languages through `construct`) are checked against schema.json, Outputs in fields
// decided at construction get a clear message, and the names, labels, quantities and pod security
// the API server and Pod Security admission would refuse later are refused at construction,
// naming the field, the value (never a secret) and the fix, with nothing registered.
import "./harness";
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { one, registered, reset, settle } from "./harness";
import { OpenWebUiCluster } from "../index";
import { ValidationError } from "../components/spec/errors";
import { parseQuantity } from "../components/kubernetes/k8sRules";
import { baseSpec, leaves, setPath, targetOf } from "./schemaWalk";

const ok = { target: "kubernetes", hostname: "chat.example.com" };

/** Builds `args` as `name`, expecting a refusal matching `re`, and checks nothing was registered. */
async function refused(args: any, re: RegExp, name = "chat"): Promise<string> {
    reset();
    let message = "";
    try {
        new OpenWebUiCluster(name, args);
    } catch (e) {
        assert.ok(e instanceof ValidationError, `not a ValidationError: ${e}`);
        message = (e as Error).message;
    }
    assert.ok(message, `accepted: ${JSON.stringify(args)}`);
    assert.match(message, re);
    await settle();
    assert.strictEqual(registered.length, 0, `registered: ${registered.map((r) => r.name).join(", ")}`);
    return message;
}

const typeCases: [string, any, RegExp][] = [
    // `"false"` is truthy: the serving Deployment went to 0 replicas.
    [
        'maintenance mode as the string "false" (was: 0 serving replicas)',
        { migrations: { maintenanceMode: "false" } },
        /migrations\.maintenanceMode: got "false"; use true or false, not the string "false"; pulumi\.Config\.getBoolean reads it/,
    ],
    [
        'TLS as the string "false"',
        { tls: { enabled: "false", allowInsecureHttp: "true" } },
        /tls\.enabled: got "false"; use true or false, not the string "false"/,
    ],
    [
        "replicas as strings (config.get)",
        { replicas: { min: "3", max: "12" } },
        /replicas\.min: got "3"; use the number 3, not the string "3"; pulumi\.Config\.getNumber reads it/,
    ],
    ["NaN replicas", { replicas: { max: NaN } }, /replicas\.max: got NaN; use a finite number/],
    ["Infinity pool size", { database: { poolSize: Infinity } }, /database\.poolSize: got Infinity; use a finite number/],
    ["fractional volume size", { database: { storageGb: 20.5 } }, /database\.storageGb: got 20\.5; use a whole number \(e\.g\. 21\)/],
    ["negative Redis volume", { redis: { storageGb: -5 } }, /redis\.storageGb: got -5; use a number >= 0/],
    [
        "huge collector replicas",
        { otel: { debugOnly: true, collectorReplicas: 1e12 } },
        /otel\.collectorReplicas: got 1000000000000; use a number at most 2147483647/,
    ],
    ["enum given as a number", { size: 3 }, /size: got 3; use one of small, medium, large \(a string\)/],
    [
        "enum value unknown (no field check of its own)",
        { pod: { zoneSpread: "sometimes" } },
        /pod\.zoneSpread: got "sometimes"; use one of required, preferred/,
    ],
    [
        "list where an object is expected",
        { replicas: [3, 10] },
        /replicas: got \[3,10\]; give an object with keys such as min, max, targetCpuUtilization, not a list/,
    ],
    ["object where a list is expected", { pod: { tolerations: { key: "gpu" } } }, /pod\.tolerations: got \{"key":"gpu"\}; give a list/],
    ["string where a list is expected", { extraEnvFromSecrets: "my-env" }, /extraEnvFromSecrets: got "my-env"; give a list \(e\.g\. \["my-env"\]\)/],
    ["list where a map is expected", { extraEnv: ["A=b"] }, /extraEnv: got \["A=b"\]; give a map of names to values, not a list/],
    ["number where a string is expected", { image: { tag: 12 } }, /image\.tag: got 12; use a string: "12"/],
    [
        "a deep Kubernetes field of the wrong type",
        { pod: { tolerations: [{ key: "gpu", operator: "Exists", tolerationSeconds: "60" }] } },
        /pod\.tolerations\[0\]\.tolerationSeconds: got "60"; use the number 60/,
    ],
];

describe("input types, from schema.json: refused at construction with the field, the value and the fix", () => {
    for (const [title, patch, re] of typeCases) it(title, () => refused({ ...ok, ...patch }, re));

    it("values from another language through construct (plain JSON: strings from config) are checked the same way", async function () {
        this.timeout(60_000);
        const { deserializeInputs } = require("@pulumi/pulumi/provider/server");
        const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
        const { sharedProvider } = require("../scripts/schema");
        reset();
        const inputs = await deserializeInputs(Struct.fromJavaScript({ ...ok, replicas: { min: "3" }, migrations: { maintenanceMode: "false" } }), new Map());
        const opts = {
            aliases: [],
            dependsOn: [],
            protect: false,
            providers: {},
            parent: undefined,
            ignoreChanges: [],
            replaceOnChanges: [],
            retainOnDelete: false,
        };
        await assert.rejects(
            sharedProvider().provider.construct("chat", "openwebui:index:OpenWebUiCluster", inputs, opts),
            /replicas\.min: got "3"; use the number 3[\s\S]*migrations\.maintenanceMode: got "false"; use true or false/,
        );
        await settle();
        assert.strictEqual(registered.length, 0);
    });

    it("extraEnv values set with `pulumi config set --path` (booleans, numbers) are taken as their text", async () => {
        reset();
        new OpenWebUiCluster("chat", { ...ok, extraEnv: { ENABLE_COMMUNITY_SHARING: false, RAG_TOP_K: 8 } } as any);
        await settle();
        const env = one("kubernetes:apps/v1:Deployment", "chat").plain.spec.template.spec.containers[0].env;
        assert.strictEqual(env.find((e: any) => e.name === "ENABLE_COMMUNITY_SHARING")?.value, "false");
        assert.strictEqual(env.find((e: any) => e.name === "RAG_TOP_K")?.value, "8");
        await refused({ ...ok, extraEnv: { RAG_TOP_K: NaN } }, /extraEnv\.RAG_TOP_K/);
        await refused({ ...ok, extraEnv: { X: { a: 1 } } }, /extraEnv\.X: got \{"a":1\}; use a string/);
    });

    it("a secret-like field of the wrong type is described, never shown", async () => {
        const m = await refused(
            {
                ...ok,
                extraSecretEnv: { SEARCH_TOKEN: 123456789 },
                oidc: { providerUrl: "https://idp/.well-known/openid-configuration", clientId: "a", clientSecret: 987654321 },
            },
            /extraSecretEnv\.SEARCH_TOKEN: got a number \(value not shown: the field may hold a secret\); use a string/,
        );
        assert.ok(!m.includes("123456789") && !m.includes("987654321"), m);
    });

    it("a string enum value keeps the field's own, more specific message (one problem per field)", async () => {
        const m = await refused({ ...ok, vectorStore: { type: "chroma" } }, /vectorStore\.type: got "chroma"; .*embedded Chroma/);
        assert.strictEqual(m.match(/vectorStore\.type:/g)!.length, 1);
    });

    it("every plain leaf of the schema refuses an Output with a clear message; no message anywhere is a garbled Output", async function () {
        this.timeout(120_000);
        const sample = (l: ReturnType<typeof leaves>[number]) =>
            l.kind === "string" ? "x" : l.kind === "number" ? 3 : l.kind === "boolean" ? true : l.kind === "enum" ? l.enumValues![0] : {};
        let plain = 0;
        for (const l of leaves()) {
            if (l.k8sType && !l.plain) continue; // Kubernetes API types take Outputs everywhere, checked where known
            const field = l.path
                .map((p) => (p === "[]" ? "[0]" : p === "{}" ? ".X_KEY" : `.${p}`))
                .join("")
                .slice(1)
                .replace(/\.\[/g, "[");
            const args = setPath(baseSpec(targetOf(l) ?? "kubernetes"), l.path, pulumi.output(sample(l)));
            reset();
            let message = "";
            try {
                new OpenWebUiCluster("chat", args);
            } catch (e) {
                message = (e as Error).message;
            }
            await settle();
            assert.doesNotMatch(message, /toJSON|\[object |Output<T>/, `${field}: ${message}`);
            if (l.plain) {
                plain++;
                assert.ok(
                    message.includes(`${field}: got an Output; it must be a plain value known at preview: it decides `),
                    `${field}: ${message || "accepted"}`,
                );
                assert.strictEqual(registered.length, 0, field);
            }
        }
        assert.ok(plain > 150, `only ${plain} plain leaves walked`);
    });

    it("an Output list item says what its list decides", () =>
        refused(
            { ...ok, pod: { extraVolumes: [pulumi.output({ name: "v", emptyDir: {} })] } },
            /pod\.extraVolumes\[0\]: got an Output; it must be a plain value known at preview: it decides extra volumes \(Kubernetes Volume\)/,
        ));

    it("a secret key reference whose name is an Output is described, not garbled", async () => {
        const m = await refused(
            { ...ok, extraSecretEnvRefs: { SEARCH_API_KEY: { name: pulumi.output("s"), key: "k" } }, replicas: { min: 1 } },
            /replicas\.min/,
        );
        assert.doesNotMatch(m, /toJSON/);
    });
});

const k8sCases: [string, any, RegExp, string?][] = [
    ["component name with capitals", ok, /name: got "Chat"; use lowercase letters, digits and '-', starting with a letter/, "Chat"],
    ["component name with a dot", ok, /name: got "chat\.prod"; .*no dots/, "chat.prod"],
    ["component name starting with a digit (Service names are DNS-1035)", ok, /name: got "1chat"; .*starting with a letter/, "1chat"],
    ["component name too long once suffixed", ok, /name: got "a{44}"; use at most 43 characters \(44 given\)/, "a".repeat(44)],
    [
        "selector label in labels",
        { labels: { "app.kubernetes.io/instance": "other" } },
        /labels\.app\.kubernetes\.io\/instance: got "other"; app\.kubernetes\.io\/instance is a selector label the component sets/,
    ],
    [
        "selector label in pod.labels",
        { pod: { labels: { "app.kubernetes.io/component": "web" } } },
        /pod\.labels\.app\.kubernetes\.io\/component: got "web"; .*would detach the pods/,
    ],
    [
        "selector label in a workload's labels",
        { workloads: { redis: { labels: { "app.kubernetes.io/name": "x" } } } },
        /workloads\.redis\.labels\.app\.kubernetes\.io\/name: got "x"/,
    ],
    ["quantity with an uppercase K", { pod: { memoryRequest: "512K" } }, /pod\.memoryRequest: got "512K"; use a Kubernetes quantity/],
    [
        "pod memory limit below the size preset's request",
        { pod: { memoryLimit: "128Mi" } },
        /pod\.memoryLimit: got "128Mi"; the memory request \(\d+[GM]i\) must not exceed the limit \(128Mi\) of open-webui/,
    ],
    [
        "request above its own limit",
        { pod: { cpuRequest: "2", cpuLimit: "500m" } },
        /pod\.cpuLimit: got "500m"; the cpu request \(2\) must not exceed the limit \(500m\)/,
    ],
    [
        "workload request above the workload's default limit",
        { workloads: { postgres: { memoryRequest: "4Gi" } } },
        /workloads\.postgres\.memoryRequest: got "4Gi"; the memory request \(4Gi\) must not exceed the limit \(2Gi, the postgres container's default\) of postgres: raise workloads\.postgres\.memoryLimit too/,
    ],
    [
        "storage class name not DNS-1123",
        { kubernetes: { storageClassName: "Fast_SSD" } },
        /kubernetes\.storageClassName: got "Fast_SSD"; use a valid StorageClass name/,
    ],
    [
        "ingress class name not DNS-1123",
        { kubernetes: { routing: "ingress", ingressClassName: "nginx public" } },
        /kubernetes\.ingressClassName: got "nginx public"/,
    ],
    ["TLS Secret name not DNS-1123", { tls: { secretName: "Chat_TLS" } }, /tls\.secretName: got "Chat_TLS"; use a valid Secret name/],
    [
        "Secret reference with a bad name",
        { extraSecretEnvRefs: { SEARCH_API_KEY: { name: "Search Keys", key: "k" } } },
        /extraSecretEnvRefs\.SEARCH_API_KEY\.name: got "Search Keys"; use a valid Secret name/,
    ],
    [
        "Secret reference with a bad key",
        { database: { mode: "external", maxConnections: 100, urlSecret: { name: "db", key: "url/primary" } } },
        /database\.urlSecret\.key: got "url\/primary"; use a valid Secret key/,
    ],
    ["ConfigMap name not DNS-1123", { trustedCa: { configMapName: "Corp CA" } }, /trustedCa\.configMapName: got "Corp CA"/],
    [
        "hostPath volume",
        { pod: { extraVolumes: [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }] } },
        /pod\.extraVolumes\[0\]\.hostPath: got "\/var\/run\/docker\.sock"; the restricted Pod Security level .* refuses hostPath volumes/,
    ],
    [
        "privileged sidecar",
        { pod: { sidecars: [{ name: "debug", image: "busybox:1.37", securityContext: { privileged: true } }] } },
        /pod\.sidecars\[0\]\.securityContext\.privileged: got true; the namespace enforces the restricted Pod Security level/,
    ],
    [
        "init container escalating privileges",
        { workloads: { postgres: { initContainers: [{ name: "chown", image: "busybox:1.37", securityContext: { allowPrivilegeEscalation: true } }] } } },
        /workloads\.postgres\.initContainers\[0\]\.securityContext\.allowPrivilegeEscalation: got true/,
    ],
    [
        "added capability",
        { pod: { sidecars: [{ name: "net", image: "busybox:1.37", securityContext: { capabilities: { add: ["NET_ADMIN"] } } }] } },
        /pod\.sidecars\[0\]\.securityContext\.capabilities\.add: got \["NET_ADMIN"\]; .*only NET_BIND_SERVICE/,
    ],
    [
        "root sidecar",
        { pod: { sidecars: [{ name: "root", image: "busybox:1.37", securityContext: { runAsUser: 0 } }] } },
        /pod\.sidecars\[0\]\.securityContext\.runAsUser: got 0; .*non-root uid/,
    ],
    [
        "host port",
        { pod: { sidecars: [{ name: "exporter", image: "exporter:1.0", ports: [{ containerPort: 9100, hostPort: 9100 }] }] } },
        /pod\.sidecars\[0\]\.ports\[0\]\.hostPort: got 9100; .*host ports are not allowed/,
    ],
    [
        "unconfined seccomp",
        { workloads: { redis: { sidecars: [{ name: "x", image: "x:1", securityContext: { seccompProfile: { type: "Unconfined" } } }] } } },
        /workloads\.redis\.sidecars\[0\]\.securityContext\.seccompProfile\.type: got "Unconfined"/,
    ],
    ["kube-system namespace", { namespace: "kube-system" }, /namespace: got "kube-system"; kube-\* namespaces belong to Kubernetes itself/],
    ["default namespace created by the component", { namespace: "default" }, /namespace: got "default"; the default namespace always exists and is shared/],
];

describe("Kubernetes names, labels, quantities and restricted Pod Security: refused at construction", () => {
    for (const [title, args, re, name] of k8sCases) it(title, () => refused({ ...ok, ...args }, re, name ?? "chat"));

    it("the longest allowed name builds, and every derived name fits", async () => {
        reset();
        new OpenWebUiCluster("a".repeat(43), ok as any);
        await settle();
        for (const r of registered) {
            const n = r.plain?.metadata?.name;
            if (typeof n === "string") assert.ok(n.length <= (r.plain.kind === "StatefulSet" ? 52 : 63), `${r.plain.kind} ${n}`);
        }
    });

    it("default is allowed with createNamespace: false (the platform team's namespace)", async () => {
        reset();
        new OpenWebUiCluster("chat", { ...ok, namespace: "default", createNamespace: false } as any);
        await settle();
        assert.ok(registered.length > 10);
    });

    it("a sidecar's own security context gets what restricted needs and it left out (escalation off, ALL dropped)", async () => {
        reset();
        new OpenWebUiCluster("chat", {
            ...ok,
            pod: { sidecars: [{ name: "proxy", image: "proxy:1.0", securityContext: { runAsUser: 1000, readOnlyRootFilesystem: false } }] },
        } as any);
        await settle();
        const sc = one("kubernetes:apps/v1:Deployment", "chat").plain.spec.template.spec.containers.find((c: any) => c.name === "proxy").securityContext;
        assert.deepStrictEqual(sc, { allowPrivilegeEscalation: false, runAsUser: 1000, readOnlyRootFilesystem: false, capabilities: { drop: ["ALL"] } });
    });

    it("Outputs inside a user's container or volume are left to the API server (no false refusal)", async () => {
        reset();
        const sc = pulumi.output({ runAsUser: 1000 });
        new OpenWebUiCluster("chat", {
            ...ok,
            pod: {
                sidecars: [
                    {
                        name: "p",
                        image: "p:1",
                        securityContext: { capabilities: pulumi.output({ drop: ["ALL"] }), seccompProfile: pulumi.output({ type: "RuntimeDefault" }) },
                    },
                    { name: "q", image: "q:1", securityContext: sc },
                ],
                extraVolumes: [{ name: "v", emptyDir: pulumi.output({}) }],
            },
        } as any);
        await settle();
        const q = one("kubernetes:apps/v1:Deployment", "chat").plain.spec.template.spec.containers.find((c: any) => c.name === "q");
        assert.deepStrictEqual(
            q.securityContext,
            { allowPrivilegeEscalation: false, runAsUser: 1000, capabilities: { drop: ["ALL"] } },
            "an Output context gets the restricted defaults once resolved",
        );
    });

    it("parses Kubernetes quantities", () => {
        assert.strictEqual(parseQuantity("500m"), 0.5);
        assert.strictEqual(parseQuantity("1Gi"), 2 ** 30);
        assert.strictEqual(parseQuantity("1.5G"), 1.5e9);
        assert.strictEqual(parseQuantity("2e3"), 2000);
        assert.strictEqual(parseQuantity("1K"), undefined);
        assert.strictEqual(parseQuantity("1 Gi"), undefined);
    });
});
