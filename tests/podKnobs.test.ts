// Pod knobs (`pod`, `workloads`) and images (`imageRegistry`, overrides) on every workload the
// component creates, asserted on the rendered objects and validated against the Kubernetes schema.
import "./harness";
import * as assert from "assert";
import { ofType, registered, reset, settle } from "./harness";
import { kubernetesObjects, validateK8sObject } from "./k8sSchema";
import { CloudTarget, OpenWebUiCluster, OpenWebUiClusterArgs, ValidationError, Workload } from "../index";
import { IN_CLUSTER_IMAGES, PSQL_IMAGE, DEFAULT_OTEL_COLLECTOR_IMAGE } from "../components/spec/images";
import { mirrorImage } from "../components/kubernetes/podKnobs";

const base: OpenWebUiClusterArgs = {
    target: CloudTarget.Kubernetes,
    hostname: "chat.example.com",
    otel: { exporterEndpoint: "https://otlp.example.com:4317" },
};

async function build(args: Partial<OpenWebUiClusterArgs>): Promise<void> {
    reset();
    new OpenWebUiCluster("chat", { ...base, ...args });
    await settle();
}

/** Every pod template the component renders, by workload (resource name -> template). */
function templates(): Map<string, any> {
    const out = new Map<string, any>();
    for (const type of ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:batch/v1:Job"]) {
        for (const r of ofType(type)) out.set(r.name, r.plain.spec.template);
    }
    return out;
}

/** The workloads a default kubernetes-target cluster renders, with their main containers. */
const WORKLOADS: Record<string, { main: string; knobs: "pod" | keyof NonNullable<OpenWebUiClusterArgs["workloads"]> }> = {
    chat: { main: "open-webui", knobs: "pod" },
    "chat-migrate": { main: "migrate", knobs: "pod" },
    "chat-db-bootstrap": { main: "psql", knobs: "dbBootstrap" },
    "chat-otel-collector": { main: "otel-collector", knobs: "otelCollector" },
    "chat-postgres": { main: "postgres", knobs: "postgres" },
    "chat-redis": { main: "valkey", knobs: "redis" },
    "chat-objects": { main: "seaweedfs", knobs: "objectStore" },
    "chat-objects-bucket": { main: "create-bucket", knobs: "objectStore" },
};

const knobs = (name: string): Workload => knobsTagged(name.toLowerCase());
const knobsTagged = (tag: string): Workload => ({
    nodeSelector: { pool: `pool-${tag}` },
    tolerations: [{ key: "dedicated", operator: "Equal", value: tag, effect: "NoSchedule" }],
    affinity: {
        nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/arch", operator: "In", values: ["amd64"] }] }],
            },
        },
    },
    topologySpreadConstraints: [{ maxSkew: 2, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway" }],
    priorityClassName: `prio-${tag}`,
    runtimeClassName: "gvisor",
    imagePullSecrets: [`pull-${tag}`],
    extraVolumes: [{ name: "corp-ca", configMap: { name: "corp-ca" } }],
    extraVolumeMounts: [{ name: "corp-ca", mountPath: "/etc/corp-ca", readOnly: true }],
    initContainers: [{ name: "wait", image: "registry.corp.example/busybox:1.37", command: ["true"] }],
    sidecars: [
        {
            name: "proxy",
            image: "registry.corp.example/proxy:2.1",
            securityContext: {
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
            },
        },
    ],
    extraResources: { "nvidia.com/gpu": "1" },
    memoryLimit: "3Gi",
});

describe("pod knobs and images on every workload", function () {
    describe("every knob set for the Open WebUI pods and for each workload", () => {
        before(async () => {
            await build({
                pod: { ...knobs("app"), imagePullSecrets: ["pull-all", "pull-app"] },
                workloads: {
                    dbBootstrap: knobs("dbBootstrap"),
                    otelCollector: knobs("otelCollector"),
                    postgres: knobs("postgres"),
                    redis: knobs("redis"),
                    objectStore: knobs("objectStore"),
                },
            });
        });

        it("renders all eight workloads, each schema-valid", async () => {
            assert.deepStrictEqual([...templates().keys()].sort(), Object.keys(WORKLOADS).sort());
            for (const o of kubernetesObjects(registered)) await validateK8sObject(o);
        });

        for (const [name, w] of Object.entries(WORKLOADS)) {
            it(`${name}: scheduling, volumes, containers, resources and pull Secrets from ${w.knobs === "pod" ? "pod" : `workloads.${w.knobs}`}`, () => {
                const t = templates().get(name)!;
                const tag = w.knobs === "pod" ? "app" : w.knobs.toLowerCase();
                const s = t.spec;
                assert.strictEqual(s.nodeSelector.pool, `pool-${tag}`);
                assert.deepStrictEqual(s.tolerations, [{ key: "dedicated", operator: "Equal", value: tag, effect: "NoSchedule" }]);
                assert.strictEqual(
                    s.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key,
                    "kubernetes.io/arch",
                );
                assert.strictEqual(s.priorityClassName, `prio-${tag}`);
                assert.strictEqual(s.runtimeClassName, "gvisor");
                // pod.imagePullSecrets reach every pod; a workload's own are added.
                const pulls = s.imagePullSecrets.map((p: any) => p.name);
                assert.ok(pulls.includes("pull-all"), `${name}: ${pulls}`);
                assert.ok(pulls.includes(`pull-${tag}`), `${name}: ${pulls}`);
                // The spread override replaces the component's, with this workload's selector filled in.
                assert.strictEqual(s.topologySpreadConstraints.length, 1);
                assert.strictEqual(s.topologySpreadConstraints[0].maxSkew, 2);
                const selector = s.topologySpreadConstraints[0].labelSelector.matchLabels;
                for (const [k, v] of Object.entries(selector))
                    assert.strictEqual(t.metadata.labels[k], v, `${name}: spread selector ${k} must select its own pods`);
                // Extra volume added beside the component's; mounted into the main container only.
                assert.ok(s.volumes.some((v: any) => v.name === "corp-ca" && v.configMap.name === "corp-ca"));
                const main = s.containers.find((c: any) => c.name === w.main);
                assert.ok(main.volumeMounts.some((m: any) => m.name === "corp-ca" && m.mountPath === "/etc/corp-ca"));
                assert.strictEqual(main.resources.limits["nvidia.com/gpu"], "1");
                assert.strictEqual(main.resources.requests["nvidia.com/gpu"], "1");
                assert.strictEqual(main.resources.limits.memory, "3Gi");
                // The component's own security context stays on its container; user containers get the restricted one unless they set theirs.
                assert.strictEqual(main.securityContext.allowPrivilegeEscalation, false);
                const init = s.initContainers.find((c: any) => c.name === "wait");
                assert.strictEqual(s.initContainers[s.initContainers.length - 1].name, "wait", "user init containers run after the component's");
                assert.deepStrictEqual(init.securityContext.capabilities, { drop: ["ALL"] });
                assert.strictEqual(init.securityContext.runAsNonRoot, true);
                const sidecar = s.containers.find((c: any) => c.name === "proxy");
                assert.strictEqual(sidecar.image, "registry.corp.example/proxy:2.1");
                assert.strictEqual(s.containers[0].name, w.main, "the main container stays first");
            });
        }

        it("the Open WebUI pods keep their probes, env and security context", () => {
            const app = templates()
                .get("chat")!
                .spec.containers.find((c: any) => c.name === "open-webui");
            assert.strictEqual(app.readinessProbe.httpGet.path, "/health/db");
            assert.strictEqual(app.livenessProbe.httpGet.path, "/health");
            assert.ok(app.env.some((e: any) => e.name === "WEBUI_SECRET_KEY"));
            assert.strictEqual(app.securityContext.readOnlyRootFilesystem, true);
            assert.strictEqual(templates().get("chat")!.spec.initContainers[0].name, "seed-data");
        });
    });

    describe("images", () => {
        it("imageRegistry mirrors every default image, keeping the path (Docker Hub gets library/)", async () => {
            await build({ imageRegistry: "harbor.corp.example/proxy" });
            const images = [...templates().values()].flatMap((t) => [...(t.spec.initContainers ?? []), ...t.spec.containers].map((c: any) => c.image));
            assert.ok(images.length >= 9);
            for (const i of images) assert.ok(i.startsWith("harbor.corp.example/proxy/"), i);
            assert.ok(images.includes("harbor.corp.example/proxy/open-webui/open-webui:v0.12.4"));
            assert.ok(images.includes("harbor.corp.example/proxy/library/postgres:17.6-alpine"));
            assert.ok(images.includes("harbor.corp.example/proxy/pgvector/pgvector:0.8.1-pg16"));
            assert.ok(images.includes("harbor.corp.example/proxy/otel/opentelemetry-collector-contrib:0.165.0"));
        });

        it("an image set explicitly is used as given, also under imageRegistry", async () => {
            await build({
                imageRegistry: "mirror.corp.example",
                image: { repository: "registry.corp.example/ai/open-webui" },
                workloads: {
                    dbBootstrap: { image: "registry.corp.example/psql:17" },
                    postgres: { image: "registry.corp.example/pg:16" },
                    redis: { image: "registry.corp.example/valkey:8" },
                    objectStore: { image: "registry.corp.example/weed:3.97" },
                    otelCollector: { image: "registry.corp.example/otelcol:1" },
                },
            });
            const t = templates();
            assert.strictEqual(t.get("chat")!.spec.containers[0].image, "registry.corp.example/ai/open-webui:v0.12.4");
            assert.strictEqual(t.get("chat-migrate")!.spec.containers[0].image, "registry.corp.example/ai/open-webui:v0.12.4");
            assert.strictEqual(t.get("chat-db-bootstrap")!.spec.containers[0].image, "registry.corp.example/psql:17");
            assert.strictEqual(t.get("chat-postgres")!.spec.containers[0].image, "registry.corp.example/pg:16");
            assert.strictEqual(t.get("chat-redis")!.spec.containers[0].image, "registry.corp.example/valkey:8");
            assert.strictEqual(t.get("chat-objects")!.spec.containers[0].image, "registry.corp.example/weed:3.97");
            assert.strictEqual(t.get("chat-objects-bucket")!.spec.containers[0].image, "registry.corp.example/weed:3.97");
            assert.strictEqual(t.get("chat-otel-collector")!.spec.containers[0].image, "registry.corp.example/otelcol:1");
        });

        it("without knobs, the defaults are the pinned images and no pod gets a pull Secret", async () => {
            await build({});
            const t = templates();
            assert.strictEqual(t.get("chat-db-bootstrap")!.spec.containers[0].image, PSQL_IMAGE);
            assert.strictEqual(t.get("chat-postgres")!.spec.containers[0].image, IN_CLUSTER_IMAGES.postgres("16"));
            assert.strictEqual(t.get("chat-otel-collector")!.spec.containers[0].image, DEFAULT_OTEL_COLLECTOR_IMAGE);
            for (const [n, x] of t) {
                assert.strictEqual(x.spec.imagePullSecrets, undefined, n);
                assert.strictEqual(x.spec.tolerations, undefined, n);
            }
            // The component's spread stays: zone (preferred on kubernetes) plus host.
            assert.deepStrictEqual(
                t.get("chat")!.spec.topologySpreadConstraints.map((c: any) => c.topologyKey),
                ["topology.kubernetes.io/zone", "kubernetes.io/hostname"],
            );
        });

        it("the deprecated pod.imagePullSecret still reaches the Open WebUI pods, and now every pod", async () => {
            await build({ pod: { imagePullSecret: "legacy-pull" } });
            for (const [n, x] of templates()) assert.deepStrictEqual(x.spec.imagePullSecrets, [{ name: "legacy-pull" }], n);
        });

        it("mirrorImage: host replaced, path kept", () => {
            assert.strictEqual(mirrorImage("ghcr.io/open-webui/open-webui:v1", "m.example"), "m.example/open-webui/open-webui:v1");
            assert.strictEqual(mirrorImage("postgres:17", "m.example"), "m.example/library/postgres:17");
            assert.strictEqual(mirrorImage("valkey/valkey:8", "m.example:5000/hub"), "m.example:5000/hub/valkey/valkey:8");
            assert.strictEqual(mirrorImage("localhost/x:1", "m.example"), "m.example/x:1");
            assert.strictEqual(mirrorImage("postgres:17", undefined), "postgres:17");
        });
    });

    describe("bad knobs fail at construction, naming the field, and nothing is created", () => {
        const cases: [string, Partial<OpenWebUiClusterArgs>, RegExp][] = [
            [
                "a mount of an unknown volume",
                { pod: { extraVolumeMounts: [{ name: "nope", mountPath: "/x" }] } },
                /pod\.extraVolumeMounts\[0\]\.name: got "nope"; name a volume of pod\.extraVolumes/,
            ],
            [
                "a volume named like the component's",
                { pod: { extraVolumes: [{ name: "data", emptyDir: {} }] } },
                /pod\.extraVolumes\[0\]\.name: got "data"; the component names its own volumes/,
            ],
            [
                "a sidecar named like the component's container",
                { workloads: { redis: { sidecars: [{ name: "valkey", image: "x:1" }] } } },
                /workloads\.redis\.sidecars\[0\]\.name: got "valkey"/,
            ],
            [
                "a container without image",
                { pod: { initContainers: [{ name: "wait" }] } },
                /pod\.initContainers\[0\]\.image: got nothing; every container needs an image/,
            ],
            [
                "a toleration effect",
                { pod: { tolerations: [{ key: "k", operator: "Exists", effect: "NoSchedul" }] } },
                /pod\.tolerations\[0\]\.effect: got "NoSchedul"; use NoSchedule, PreferNoSchedule or NoExecute/,
            ],
            [
                "a spread with maxSkew 0",
                {
                    workloads: {
                        postgres: { topologySpreadConstraints: [{ maxSkew: 0, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule" }] },
                    },
                },
                /workloads\.postgres\.topologySpreadConstraints\[0\]\.maxSkew: got 0/,
            ],
            ["cpu as an extended resource", { pod: { extraResources: { cpu: "2" } } }, /pod\.extraResources\.cpu: got "2"; set cpu with pod\.cpuRequest/],
            [
                "a bad quantity",
                { workloads: { otelCollector: { memoryLimit: "lots" } } },
                /workloads\.otelCollector\.memoryLimit: got "lots"; use a Kubernetes quantity/,
            ],
            ["a registry with scheme", { imageRegistry: "https://mirror.example" }, /imageRegistry: got "https:\/\/mirror\.example"; give a registry host/],
            [
                "two collector images",
                { otel: { collectorImage: "a/b:1" }, workloads: { otelCollector: { image: "c/d:2" } } },
                /workloads\.otelCollector\.image: got "c\/d:2"; otel\.collectorImage sets the same image/,
            ],
            [
                "an unknown key inside a Kubernetes type",
                { pod: { tolerations: [{ key: "k", operater: "Exists" } as any] } },
                /pod\.tolerations\[0\]\.operater: got an unknown key; did you mean `pod\.tolerations\[0\]\.operator`\?/,
            ],
        ];
        for (const [what, args, message] of cases) {
            it(what, () => {
                reset();
                assert.throws(
                    () => new OpenWebUiCluster("chat", { ...base, ...args }),
                    (e: unknown) => e instanceof ValidationError && message.test(e.message),
                );
                assert.strictEqual(registered.length, 0);
            });
        }
    });
});
