// OpenWebUiCluster built the way another language builds it: the engine sends the Python/Go/C#/YAML
// program's inputs to the plugin's `Construct` as plain JSON (enums as strings, nested secrets as
// secret output values, a top-level secret as a secret value); the Node provider server
// deserializes them (provider/server.js `deserializeInputs`) and calls
// `ComponentProvider.construct()`. The result must be the same resources, with the same inputs,
// as the TypeScript constructor with the equivalent args, and the secret outputs must go back to
// the engine as secrets.
import "./harness";
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { isSecretInput, one, ofType, registered, reset, settle, unwrapSecrets } from "./harness";
import {
    CloudTarget,
    EmbeddingEngine,
    OpenWebUiCluster,
    OpenWebUiClusterArgs,
    OtlpProtocol,
    PgvectorIndexMethod,
    RoutingMode,
    ServiceMode,
    SizePreset,
    VectorStore,
} from "../index";
import { sharedProvider } from "../scripts/schema";

const rpc = require("@pulumi/pulumi/runtime/rpc");
const { deserializeInputs } = require("@pulumi/pulumi/provider/server");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

const TOKEN = "openwebui:index:OpenWebUiCluster";

/** A secret as the engine marshals it to a provider that accepts secrets and output values. */
const SECRET = Symbol("secret");
const secret = (value: any) => ({ [SECRET]: value });

/**
 * The Construct request's `inputs` Struct: nested secrets become secret output values (the engine
 * keeps output values for Construct), a top-level secret a secret value.
 */
function wireInputs(inputs: Record<string, any>): any {
    const encode = (v: any, top: boolean): any => {
        if (v && typeof v === "object" && SECRET in v) {
            return top
                ? { [rpc.specialSigKey]: rpc.specialSecretSig, value: encode(v[SECRET], false) }
                : { [rpc.specialSigKey]: rpc.specialOutputValueSig, value: encode(v[SECRET], false), secret: true };
        }
        if (Array.isArray(v)) return v.map((x) => encode(x, false));
        if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x, false)]));
        return v;
    };
    return Struct.fromJavaScript(Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, encode(v, true)])));
}

/** The resource options provider/server.js builds for a Construct request without options. */
const constructOpts: pulumi.ComponentResourceOptions = {
    aliases: [],
    dependsOn: [],
    protect: false,
    providers: {},
    parent: undefined,
    ignoreChanges: [],
    replaceOnChanges: [],
    retainOnDelete: false,
};

type Snapshot = { type: string; name: string; inputs: any }[];
const snapshot = (): Snapshot =>
    registered.map((r) => ({ type: r.type, name: r.name, inputs: r.plain })).sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));

async function viaTypeScript(name: string, args: OpenWebUiClusterArgs): Promise<Snapshot> {
    reset();
    new OpenWebUiCluster(name, args);
    await settle();
    return snapshot();
}

async function viaConstruct(name: string, json: Record<string, any>): Promise<{ resources: Snapshot; state: any; raw: typeof registered }> {
    const { provider } = sharedProvider();
    reset();
    const inputs = await deserializeInputs(wireInputs(json), new Map());
    const result = await provider.construct(name, TOKEN, inputs, constructOpts);
    await settle();
    // What the server sends back to the engine.
    const [state] = await rpc.serializeResourceProperties(`construct(${TOKEN}, ${name})`, result.state);
    return { resources: snapshot(), state, raw: [...registered] };
}

/** Same types and names, then same inputs per resource (a readable failure for each). */
function assertSameResources(actual: Snapshot, expected: Snapshot): void {
    assert.deepStrictEqual(
        actual.map((r) => `${r.type} ${r.name}`),
        expected.map((r) => `${r.type} ${r.name}`),
    );
    for (let i = 0; i < expected.length; i++) {
        assert.deepStrictEqual(actual[i].inputs, expected[i].inputs, `inputs of ${expected[i].type} ${expected[i].name}`);
    }
}

const isWireSecret = (v: any) => !!v && typeof v === "object" && v[rpc.specialSigKey] === rpc.specialSecretSig;

describe("construct() with JSON inputs, as from Python/Go/C#/YAML", function () {
    this.timeout(180_000); // the first getSchema() runs the TypeScript analyzer (shared with schema.test.ts)
    before(async () => {
        await sharedProvider().schema;
    });

    it("minimal inputs (target + hostname): the same resources as the TypeScript constructor", async () => {
        const expected = await viaTypeScript("chat", { target: CloudTarget.Kubernetes, hostname: "chat.example.com" });
        const { resources, state } = await viaConstruct("chat", { target: "kubernetes", hostname: "chat.example.com" });
        assert.ok(expected.length > 30, `only ${expected.length} resources`);
        assertSameResources(resources, expected);
        assert.strictEqual(state.url, "https://chat.example.com");
        assert.strictEqual(state.namespace, "open-webui");
        assert.strictEqual(state.deploymentName, "chat");
        assert.strictEqual(typeof state.databasePoolSize, "number");
        assert.ok(isWireSecret(state.webuiSecretKey) && isWireSecret(state.databaseUrl), "secret outputs serialized as secrets");
        assert.match(state.databaseUrl.value, /^postgresql:\/\/openwebui_app:/);
        assert.strictEqual(state.databaseEndpoint, "chat-postgres.open-webui.svc.cluster.local:5432");
    });

    describe("every kind of input (nested objects, enums, maps, arrays, secrets nested in them)", () => {
        const dbUrl = "postgresql://owui:pw@db.example.com:5432/owui?sslmode=require";
        const tsArgs: OpenWebUiClusterArgs = {
            target: CloudTarget.Kubernetes,
            hostname: "ai.example.org",
            namespace: "owui",
            size: SizePreset.Large,
            replicas: { min: 3, max: 6, targetCpuUtilization: 60 },
            image: { tag: "v0.12.4", pullPolicy: "Always" },
            tls: { clusterIssuer: "letsencrypt" },
            database: { mode: ServiceMode.External, url: pulumi.secret(dbUrl), maxConnections: 400 },
            redis: { mode: ServiceMode.InCluster, storageGb: 8 },
            storage: {
                mode: ServiceMode.External,
                bucketName: "owui-files",
                s3EndpointUrl: "https://s3.example.org",
                s3Region: "eu-central-1",
                s3AccessKeyIdSecret: { name: "s3-creds", key: "id" },
                s3SecretAccessKeySecret: { name: "s3-creds", key: "secret" },
            },
            vectorStore: { type: VectorStore.Pgvector, pgvectorIndexMethod: PgvectorIndexMethod.Ivfflat, pgvectorMaxVectorLength: 3072 },
            oidc: {
                providerUrl: "https://idp.example.org/.well-known/openid-configuration",
                clientId: "owui",
                clientSecret: pulumi.secret("oidc-s3cr3t"),
                providerName: "Corp SSO",
            },
            otel: {
                exporterEndpoint: "https://otlp.example.org:4317",
                exporterProtocol: OtlpProtocol.Grpc,
                exporterHeaders: { "x-api-key": pulumi.secret("otel-key") },
                logs: true,
            },
            rag: {
                embeddingEngine: EmbeddingEngine.Openai,
                embeddingModel: "text-embedding-3-large",
                openaiApiBaseUrls: ["https://api.openai.com/v1", "https://llm.example.org/v1"],
                openaiApiKeys: pulumi.secret(["sk-one", "sk-two"]),
            },
            migrations: { timeoutMinutes: 45 },
            pod: { annotations: { "example.org/team": "ai" }, nodeSelector: { pool: "apps" }, terminationGracePeriodSeconds: 90 },
            threadPoolSize: 300,
            enableSignup: true,
            extraEnv: { DEFAULT_LOCALE: "de-DE" },
            extraSecretEnv: { WEB_SEARCH_API_TOKEN_X: pulumi.secret("search-token") },
            labels: { "example.org/cost-center": "42" },
            kubernetes: { routing: RoutingMode.Ingress, ingressClassName: "nginx", idleTimeoutSeconds: 1800 },
        };
        // The same program as a Python/YAML user writes it, as the engine sends it.
        const json = {
            target: "kubernetes",
            hostname: "ai.example.org",
            namespace: "owui",
            size: "large",
            replicas: { min: 3, max: 6, targetCpuUtilization: 60 },
            image: { tag: "v0.12.4", pullPolicy: "Always" },
            tls: { clusterIssuer: "letsencrypt" },
            database: { mode: "external", url: secret(dbUrl), maxConnections: 400 },
            redis: { mode: "inCluster", storageGb: 8 },
            storage: {
                mode: "external",
                bucketName: "owui-files",
                s3EndpointUrl: "https://s3.example.org",
                s3Region: "eu-central-1",
                s3AccessKeyIdSecret: { name: "s3-creds", key: "id" },
                s3SecretAccessKeySecret: { name: "s3-creds", key: "secret" },
            },
            vectorStore: { type: "pgvector", pgvectorIndexMethod: "ivfflat", pgvectorMaxVectorLength: 3072 },
            oidc: {
                providerUrl: "https://idp.example.org/.well-known/openid-configuration",
                clientId: "owui",
                clientSecret: secret("oidc-s3cr3t"),
                providerName: "Corp SSO",
            },
            otel: {
                exporterEndpoint: "https://otlp.example.org:4317",
                exporterProtocol: "grpc",
                exporterHeaders: { "x-api-key": secret("otel-key") },
                logs: true,
            },
            rag: {
                embeddingEngine: "openai",
                embeddingModel: "text-embedding-3-large",
                openaiApiBaseUrls: ["https://api.openai.com/v1", "https://llm.example.org/v1"],
                openaiApiKeys: secret(["sk-one", "sk-two"]),
            },
            migrations: { timeoutMinutes: 45 },
            pod: { annotations: { "example.org/team": "ai" }, nodeSelector: { pool: "apps" }, terminationGracePeriodSeconds: 90 },
            threadPoolSize: 300,
            enableSignup: true,
            extraEnv: { DEFAULT_LOCALE: "de-DE" },
            extraSecretEnv: { WEB_SEARCH_API_TOKEN_X: secret("search-token") },
            labels: { "example.org/cost-center": "42" },
            kubernetes: { routing: "ingress", ingressClassName: "nginx", idleTimeoutSeconds: 1800 },
        };
        let expected: Snapshot;
        let got: Awaited<ReturnType<typeof viaConstruct>>;
        before(async () => {
            expected = await viaTypeScript("ai", tsArgs);
            got = await viaConstruct("ai", json);
        });

        it("the same resources (types, names, every input) as the TypeScript constructor", () => {
            assert.ok(expected.length >= 20, `only ${expected.length} resources`);
            assertSameResources(got.resources, expected);
        });

        it("the inputs arrived: namespace, replicas, ingress class, env from enums/maps/arrays", () => {
            const dep = got.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.name === "ai")!;
            assert.strictEqual(dep.inputs.metadata.namespace, "owui");
            const pod = dep.inputs.spec.template.spec;
            assert.strictEqual(pod.terminationGracePeriodSeconds, 90);
            assert.deepStrictEqual(pod.nodeSelector, { pool: "apps" });
            assert.strictEqual(pod.containers[0].imagePullPolicy, "Always");
            const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e]));
            assert.strictEqual(env.WEBUI_URL.value, "https://ai.example.org");
            assert.strictEqual(env.PGVECTOR_INDEX_METHOD?.value ?? "ivfflat", "ivfflat");
            assert.strictEqual(env.RAG_EMBEDDING_MODEL.value, "text-embedding-3-large");
            assert.strictEqual(env.OPENAI_API_BASE_URLS.value, "https://api.openai.com/v1;https://llm.example.org/v1");
            assert.strictEqual(env.DEFAULT_LOCALE.value, "de-DE");
            assert.strictEqual(env.THREAD_POOL_SIZE.value, "300");
            assert.strictEqual(env.S3_ENDPOINT_URL.value, "https://s3.example.org");
            const hpa = got.resources.find((r) => r.type.startsWith("kubernetes:autoscaling/v2:HorizontalPodAutoscaler"))!;
            assert.strictEqual(hpa.inputs.spec.maxReplicas, 6);
            const ingress = got.resources.find((r) => r.type === "kubernetes:networking.k8s.io/v1:Ingress")!;
            assert.strictEqual(ingress.inputs.spec.ingressClassName, "nginx");
            assert.strictEqual(ingress.inputs.metadata.annotations["cert-manager.io/cluster-issuer"], "letsencrypt");
            assert.strictEqual(ingress.inputs.spec.rules[0].host, "ai.example.org");
        });

        it("secrets sent by the other language stay secret in the Kubernetes Secret", () => {
            const app = got.raw.find((r) => r.type === "kubernetes:core/v1:Secret" && r.name === "ai-app")!;
            assert.ok(isSecretInput(app.inputs, "stringData"), "the app Secret payload is a Pulumi secret");
            const data = unwrapSecrets(app.inputs).stringData;
            assert.strictEqual(
                data.DATABASE_URL,
                `${dbUrl}&connect_timeout=10&keepalives=1&keepalives_idle=15&keepalives_interval=5&keepalives_count=3&tcp_user_timeout=15000`,
            );
            assert.ok(Object.values(data).includes("oidc-s3cr3t"), "OIDC client secret delivered");
            const extra = got.raw.find((r) => r.type === "kubernetes:core/v1:Secret" && r.name === "ai-extra-env")!;
            assert.ok(isSecretInput(extra.inputs, "stringData"), "the extraSecretEnv Secret payload is a Pulumi secret");
            assert.ok(Object.values(unwrapSecrets(extra.inputs).stringData).includes("search-token"), "extraSecretEnv delivered");
            assert.ok(
                Object.values(data).some((v) => typeof v === "string" && v.includes("sk-one") && v.includes("sk-two")),
                "OpenAI keys delivered",
            );
            // No secret value appears in any non-Secret resource's inputs.
            for (const r of got.raw.filter((x) => x.type !== "kubernetes:core/v1:Secret")) {
                const text = JSON.stringify(r.plain);
                for (const s of ["oidc-s3cr3t", "search-token", "sk-one", "otel-key", "owui:pw@"])
                    assert.ok(!text.includes(s), `${s} leaked into ${r.type} ${r.name}`);
            }
        });

        it("outputs go back to the engine: webuiSecretKey and databaseUrl as secrets, the rest plain", () => {
            const { state } = got;
            // databaseEndpoint is derived from the user's secret URL here, so it stays secret too.
            const secretOutputs = ["webuiSecretKey", "databaseUrl", "databaseEndpoint"];
            assert.ok(isWireSecret(state.webuiSecretKey), "webuiSecretKey is serialized as a secret");
            assert.ok(isWireSecret(state.databaseUrl), "databaseUrl is serialized as a secret");
            assert.strictEqual(
                state.databaseUrl.value,
                `${dbUrl}&connect_timeout=10&keepalives=1&keepalives_idle=15&keepalives_interval=5&keepalives_count=3&tcp_user_timeout=15000`,
            );
            assert.strictEqual(state.webuiSecretKey.value.length, 64);
            assert.strictEqual(state.url, "https://ai.example.org");
            assert.strictEqual(state.namespace, "owui");
            assert.strictEqual(state.databaseEndpoint.value, "db.example.com:5432");
            assert.strictEqual(state.databaseServerMaxConnections, 400);
            assert.strictEqual(state.bucketName, "owui-files");
            assert.strictEqual(state.image, "ghcr.io/open-webui/open-webui:v0.12.4");
            for (const k of Object.keys(state)) assert.strictEqual(isWireSecret(state[k]), secretOutputs.includes(k), `${k} secret?`);
        });

        it("returns exactly the outputs the schema declares", async () => {
            const schema = await sharedProvider().schema;
            assert.deepStrictEqual(Object.keys(got.state).sort(), Object.keys(schema.resources[TOKEN].properties).sort());
        });
    });

    // A secret *map* (Python `config.require_secret_object(...)`, YAML `fn::secret` around the
    // map) arrives as one Output: the core delivers it through its own Secret read with envFrom.
    it("a whole-secret extraSecretEnv map is delivered (its own Secret, envFrom), and stays secret", async () => {
        const { provider } = sharedProvider();
        reset();
        const inputs = await deserializeInputs(
            wireInputs({ target: "kubernetes", hostname: "chat.example.com", extraSecretEnv: secret({ SEARCH_TOKEN_X: "tok" }) }),
            new Map(),
        );
        assert.ok(pulumi.Output.isInstance(inputs.extraSecretEnv), "the server hands a top-level secret over as one Output");
        await provider.construct("chat", TOKEN, inputs, constructOpts);
        await settle();
        const extra = registered.find((r) => r.type === "kubernetes:core/v1:Secret" && r.name === "chat-extra-env")!;
        assert.ok(isSecretInput(extra.inputs, "stringData"), "the payload is a Pulumi secret");
        assert.strictEqual(extra.plain.stringData.SEARCH_TOKEN_X, "tok");
        const dep = registered.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.name === "chat")!;
        assert.deepStrictEqual(dep.plain.spec.template.spec.containers[0].envFrom, [{ secretRef: { name: "chat-extra-env" } }]);
        assert.ok(!JSON.stringify(dep.plain).includes('tok"'), "the value is not in the pod spec");
    });

    it("invalid JSON input fails construct with the field, the value and the fix; nothing registered", async () => {
        const { provider } = sharedProvider();
        reset();
        const inputs = await deserializeInputs(wireInputs({ target: "kubernetes", hostname: "chat.example.com", image: { tag: "latest" } }), new Map());
        await assert.rejects(provider.construct("bad", TOKEN, inputs, constructOpts), /image\.tag/);
        await settle();
        assert.strictEqual(registered.length, 0);
        reset();
        const badEnum = await deserializeInputs(wireInputs({ target: "openstack", hostname: "chat.example.com" }), new Map());
        await assert.rejects(provider.construct("bad", TOKEN, badEnum, constructOpts), /target/);
        assert.strictEqual(registered.length, 0);
    });

    describe("examples/yaml/Pulumi.yaml, with the README's config", () => {
        const dir = path.join(__dirname, "..", "examples", "yaml");
        const project = YAML.parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));
        // What the README sets; the rest comes from the defaults declared in Pulumi.yaml.
        const stackConfig: Record<string, string> = { hostname: "chat.example.com", clusterIssuer: "letsencrypt", openaiApiKey: "sk-example" };

        /** Pulumi YAML's `${config}` interpolation: secret config stays secret. */
        function interpolate(v: any): any {
            if (typeof v === "string") {
                const whole = v.match(/^\$\{([A-Za-z0-9_]+)\}$/);
                if (whole) {
                    const decl = project.config[whole[1]];
                    assert.ok(decl, `\${${whole[1]}} is not declared under config:`);
                    const value = stackConfig[whole[1]] ?? decl.default;
                    assert.ok(value !== undefined, `config ${whole[1]} has no value and no default`);
                    return decl.secret ? secret(value) : value;
                }
                assert.ok(!v.includes("${"), `unsupported interpolation in ${v}`);
                return v;
            }
            if (Array.isArray(v)) return v.map(interpolate);
            if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, interpolate(x)]));
            return v;
        }

        it("uses the plugin in this repository under the token openwebui:index:OpenWebUiCluster", () => {
            assert.strictEqual(project.runtime, "yaml");
            const source = typeof project.packages.openwebui === "string" ? project.packages.openwebui : project.packages.openwebui.source;
            assert.ok(fs.existsSync(path.join(dir, source, "PulumiPlugin.yaml")), `packages.openwebui (${source}) must be the plugin directory`);
            const types = Object.values<any>(project.resources).map((r) => r.type);
            assert.deepStrictEqual(types, [TOKEN]);
        });

        it("its properties construct the component; its outputs exist in the schema", async () => {
            const schema = await sharedProvider().schema;
            const [name, res] = Object.entries<any>(project.resources)[0];
            const { state, resources } = await viaConstruct(name, interpolate(res.properties));
            assert.strictEqual(state.url, "https://chat.example.com");
            const ingress = resources.find((r) => r.type === "kubernetes:networking.k8s.io/v1:Ingress")!;
            assert.strictEqual(ingress.inputs.spec.ingressClassName, "nginx");
            assert.strictEqual(ingress.inputs.metadata.annotations["cert-manager.io/cluster-issuer"], "letsencrypt");
            const app = resources.find((r) => r.type === "kubernetes:core/v1:Secret" && r.name === `${name}-app`)!;
            assert.strictEqual(app.inputs.stringData.OPENAI_API_KEYS, "sk-example");
            for (const [out, expr] of Object.entries<string>(project.outputs)) {
                const m = expr.match(/^\$\{(\w+)\.(\w+)\}$/);
                assert.ok(m && m[1] === name, `output ${out}: ${expr}`);
                assert.ok(schema.resources[TOKEN].properties[m![2]], `output ${out}: ${m![2]} is not an output of the component`);
            }
        });
    });

    describe("examples/python/__main__.py against an SDK with Pulumi's Python naming, from schema.json", () => {
        // No Pulumi CLI here to generate `pulumi_openwebui`: a stand-in generated from the schema
        // with the Python codegen's naming (snake_case args/outputs, UPPER_SNAKE enum members,
        // `<Type>Args` argument classes) accepts exactly the names the real SDK has, and records
        // the inputs the program passes; those then go through construct().
        const dir = path.join(__dirname, "..", "examples", "python");
        const python = ["python3", "python"].find((p) => spawnSync(p, ["--version"]).status === 0);
        let tmp: string;
        before(function () {
            if (!python) this.skip();
            tmp = fs.mkdtempSync(path.join(os.tmpdir(), "owui-py-"));
            fs.mkdirSync(path.join(tmp, "pulumi"));
            fs.writeFileSync(path.join(tmp, "pulumi", "__init__.py"), PY_PULUMI_STUB);
            fs.mkdirSync(path.join(tmp, "pulumi_openwebui"));
            fs.writeFileSync(path.join(tmp, "pulumi_openwebui", "__init__.py"), PY_SDK_STUB);
        });
        after(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

        function runProgram(config: Record<string, string>): { inputs: any; name: string; exports: Record<string, string> } {
            const r = spawnSync(python!, [path.join(dir, "__main__.py")], {
                cwd: dir,
                env: {
                    ...process.env,
                    PYTHONPATH: tmp,
                    PYTHONDONTWRITEBYTECODE: "1",
                    STUB_CONFIG: JSON.stringify(config),
                    STUB_SCHEMA: path.join(__dirname, "..", "schema.json"),
                },
                encoding: "utf8",
            });
            assert.strictEqual(r.status, 0, `python failed:\n${r.stderr}`);
            const out = JSON.parse(r.stdout.trim().split("\n").pop()!);
            const revive = (v: any): any =>
                Array.isArray(v)
                    ? v.map(revive)
                    : v && typeof v === "object"
                      ? "__secret" in v
                          ? secret(revive(v.__secret))
                          : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]))
                      : v;
            return { inputs: revive(out.inputs), name: out.name, exports: out.exports };
        }

        it("evaluation config (README): constructs; exports are outputs of the component", async () => {
            const schema = await sharedProvider().schema;
            const run = runProgram({ hostname: "chat.example.com", clusterIssuer: "letsencrypt", openaiApiKey: "sk-example" });
            assert.deepStrictEqual(run.inputs.kubernetes, { routing: "ingress", ingressClassName: "nginx" });
            const { state, resources } = await viaConstruct(run.name, run.inputs);
            assert.strictEqual(state.url, "https://chat.example.com");
            assert.ok(
                resources.some((r) => r.type === "kubernetes:apps/v1:StatefulSet" && r.name === "chat-postgres"),
                "in-cluster Postgres",
            );
            const app = resources.find((r) => r.type === "kubernetes:core/v1:Secret" && r.name === "chat-app")!;
            assert.strictEqual(app.inputs.stringData.OPENAI_API_KEYS, "sk-example");
            for (const [exported, output] of Object.entries(run.exports)) {
                assert.ok(schema.resources[TOKEN].properties[output], `export ${exported}: ${output} is not an output`);
            }
            assert.strictEqual(run.exports.webuiSecretKey, "webuiSecretKey");
        });

        it("production config (README): external Postgres/Redis/S3 and OIDC, secrets stay secret", async () => {
            const run = runProgram({
                hostname: "chat.example.com",
                createNamespace: "false",
                external: "true",
                databaseUrl: "postgresql://owui:pw@pg.example.com:5432/openwebui?sslmode=require",
                databaseMaxConnections: "500",
                redisUrl: "rediss://:tok@redis.example.com:6380/0",
                bucketName: "openwebui-uploads",
                s3EndpointUrl: "https://s3.example.com",
                oidcProviderUrl: "https://idp.example.com/.well-known/openid-configuration",
                oidcClientId: "open-webui",
                oidcClientSecret: "oidc-s3cr3t",
            });
            const { state, raw } = await viaConstruct(run.name, run.inputs);
            assert.strictEqual(state.databaseServerMaxConnections, 500);
            assert.ok(!ofType("kubernetes:apps/v1:StatefulSet").length, "no in-cluster services in production mode");
            assert.ok(!ofType("kubernetes:core/v1:Namespace").length, "createNamespace false: the README's namespace holds the S3 Secret");
            const app = raw.find((r) => r.type === "kubernetes:core/v1:Secret" && r.name === "chat-app")!;
            assert.ok(isSecretInput(app.inputs, "stringData"));
            const data = unwrapSecrets(app.inputs).stringData;
            assert.strictEqual(data.REDIS_URL, "rediss://:tok@redis.example.com:6380/0");
            assert.ok(Object.values(data).includes("oidc-s3cr3t"));
        });
    });

    it("the harness sees one component resource of the plugin's token", async () => {
        await viaConstruct("solo", { target: "kubernetes", hostname: "solo.example.com" });
        assert.strictEqual(one(TOKEN).name, "solo");
        assert.strictEqual(ofType(TOKEN).length, 1);
    });
});

// ---- Python stand-ins for examples/python (see the describe block above) -------------------

/** The few `pulumi` APIs the example uses: Config (from STUB_CONFIG), secrets, export. */
const PY_PULUMI_STUB = String.raw`
import json, os
_config = json.loads(os.environ.get("STUB_CONFIG", "{}"))
_exports = {}

class _Secret:
    def __init__(self, value):
        self.value = value

class Config:
    def __init__(self, name=None):
        pass
    def get(self, key):
        return _config.get(key)
    def require(self, key):
        if key not in _config:
            raise Exception("Missing required configuration variable '%s'" % key)
        return _config[key]
    def _bool(self, v):
        if v not in ("true", "false"):
            raise Exception("not a boolean: %r" % v)
        return v == "true"
    def get_bool(self, key):
        v = self.get(key)
        return None if v is None else self._bool(v)
    def require_bool(self, key):
        return self._bool(self.require(key))
    def get_int(self, key):
        v = self.get(key)
        return None if v is None else int(v)
    def require_int(self, key):
        return int(self.require(key))
    def get_secret(self, key):
        v = self.get(key)
        return None if v is None else _Secret(v)
    def require_secret(self, key):
        return _Secret(self.require(key))

def export(name, value):
    _exports[name] = value
`;

/**
 * pulumi_openwebui as Pulumi's Python codegen names it, generated at import time from
 * schema.json: checks every keyword, required argument, argument class and enum against the
 * schema, and prints the inputs as the SDK would send them (camelCase JSON; secrets marked).
 */
const PY_SDK_STUB = String.raw`
import atexit, json, os, re
from enum import Enum
import pulumi

_schema = json.load(open(os.environ["STUB_SCHEMA"]))
_TOKEN = "openwebui:index:OpenWebUiCluster"
_PREFIX = "#/types/openwebui:index:"

def _snake(n):
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", n).lower()

class _Args:
    pass

def _value(what, prop, v):
    ref = prop.get("$ref", "")
    if ref.startswith(_PREFIX):
        target = ref[len(_PREFIX):]
        if target in _enums:
            if not isinstance(v, _enums[target]):
                raise TypeError("%s: expected %s, got %r" % (what, target, v))
            return v.value
        cls = globals()[target + "Args"]
        if not isinstance(v, cls):
            raise TypeError("%s: expected %sArgs, got %r" % (what, target, v))
        return v._json
    if isinstance(v, pulumi._Secret):
        if prop.get("plain"):
            raise TypeError("%s: a plain property cannot take a secret Output" % what)
        return {"__secret": _value(what, prop, v.value)}
    t = prop.get("type")
    if t == "array":
        return [_value(what + "[]", prop["items"], x) for x in v]
    if t == "object":
        return {k: _value("%s.%s" % (what, k), prop["additionalProperties"], x) for k, x in v.items()}
    ok = {"string": (str,), "number": (int, float), "boolean": (bool,)}[t]
    if not isinstance(v, ok) or (t == "number" and isinstance(v, bool)):
        raise TypeError("%s: expected %s, got %r" % (what, t, v))
    return v

def _check(what, props, required, kwargs):
    by_snake = {_snake(k): k for k in props}
    out = {}
    for k, v in kwargs.items():
        if k not in by_snake:
            raise TypeError("%s() got an unexpected keyword argument '%s'" % (what, k))
        if v is not None:
            out[by_snake[k]] = _value("%s.%s" % (what, k), props[by_snake[k]], v)
    missing = [r for r in required if r not in out]
    if missing:
        raise TypeError("%s() missing required arguments %s" % (what, missing))
    return out

_enums = {}
for _token, _t in _schema["types"].items():
    _name = _token.split(":")[2]
    if "enum" in _t:
        _enums[_name] = Enum(_name, {re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", m["name"]).upper(): m["value"] for m in _t["enum"]}, type=str)
        globals()[_name] = _enums[_name]

def _args_class(name, t):
    def __init__(self, **kwargs):
        self._json = _check(name + "Args", t["properties"], t.get("required", []), kwargs)
    return type(name + "Args", (_Args,), {"__init__": __init__})

for _token, _t in _schema["types"].items():
    if "enum" not in _t:
        _name = _token.split(":")[2]
        globals()[_name + "Args"] = _args_class(_name, _t)

class _OutputRef:
    def __init__(self, name):
        self.name = name

_state = {}

class OpenWebUiCluster:
    def __init__(self, resource_name, opts=None, **kwargs):
        r = _schema["resources"][_TOKEN]
        _state["name"] = resource_name
        _state["inputs"] = _check("OpenWebUiCluster", r["inputProperties"], r["requiredInputs"], kwargs)
        for k in r["properties"]:
            setattr(self, _snake(k), _OutputRef(k))

@atexit.register
def _dump():
    exports = {k: (v.name if isinstance(v, _OutputRef) else repr(v)) for k, v in pulumi._exports.items()}
    print(json.dumps({"name": _state.get("name"), "inputs": _state.get("inputs"), "exports": exports}))
`;
