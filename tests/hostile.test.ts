// Careless and hostile configuration (issue 23): every spec here was accepted before with a
// dangerous result; now each is refused at construction (field, value never a secret, fix;
// nothing registered) or made safe, and the safe result is asserted on the registered objects.
import "./harness";
import * as assert from "assert";
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { envOf, ofType, one, registered, reset, settle, value } from "./harness";
import { CloudTarget, DefaultUserRole, OpenWebUiCluster, OpenWebUiClusterArgs, RoutingMode, ServiceMode, VectorStore } from "../index";
import { ValidationError } from "../components/spec/errors";
import { prepareSpec } from "../components/openWebUiCluster";
import { buildEnv, EnvInputs } from "../components/env/env";
import { assembleEnv, DECIDED_ENV, OWNED_ENV } from "../components/env/envContract";
import { maskCredentials } from "../components/spec/credentials";
import { AZURE_ARGS } from "./cloudFixtures";

const K8S: OpenWebUiClusterArgs = { target: CloudTarget.Kubernetes, hostname: "chat.example.com" };
const AWS = {
    vpcId: "vpc-0a1b2c3d",
    privateSubnetIds: ["subnet-0a1", "subnet-0b2"],
    eks: { clusterName: "prod", securityGroupIds: ["sg-0123abcd"] },
    certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
};
const GCP = { project: "proj-123", region: "europe-west1", network: "projects/proj-123/global/networks/vpc" };
const AZURE = AZURE_ARGS;
const aws = (x: any = {}, a: any = {}): any => ({ target: "aws", hostname: "chat.example.com", ...x, aws: { ...AWS, ...a } });
const gcp = (x: any = {}, g: any = {}): any => ({ target: "gcp", hostname: "chat.example.com", ...x, gcp: { ...GCP, ...g } });
const azure = (x: any = {}, z: any = {}): any => ({
    target: "azure",
    hostname: "chat.example.com",
    tls: { secretName: "chat-tls" },
    ...x,
    azure: { ...AZURE, ...z },
});
const k8s = (x: any = {}): any => ({ ...K8S, ...x });

/** Refused at construction: a ValidationError matching `message`, nothing registered, no `secret` in the text. */
async function refused(args: any, message: RegExp, secret?: string): Promise<void> {
    reset();
    let err: unknown;
    try {
        new OpenWebUiCluster("chat", args);
    } catch (e) {
        err = e;
    }
    assert.ok(err instanceof ValidationError, `not refused with a ValidationError: ${err}`);
    assert.match((err as Error).message, message);
    if (secret) assert.ok(!(err as Error).message.includes(secret), `the message repeats the secret:\n${(err as Error).message}`);
    await settle();
    assert.strictEqual(registered.length, 0, `registered: ${registered.map((r) => r.name).join(", ")}`);
}

function accepted(args: any): void {
    reset();
    prepareSpec(args);
    assert.strictEqual(registered.length, 0);
}

async function build(args: any): Promise<OpenWebUiCluster> {
    reset();
    const c = new OpenWebUiCluster("chat", args);
    await settle();
    return c;
}

const deploymentEnv = () => envOf(ofType("kubernetes:apps/v1:Deployment").find((d) => d.name === "chat")!.plain.spec.template.spec);

describe("hostile configuration (issue 23)", function () {
    describe("1. one env contract", () => {
        const owned: [string, string, RegExp][] = [
            ["WEBUI_AUTH", "false", /extraEnv\.WEBUI_AUTH: got "false"; WEBUI_AUTH is managed by the component; authentication is always on/],
            ["ENABLE_SIGNUP", "true", /extraEnv\.ENABLE_SIGNUP: .*use enableSignup instead/],
            ["DEFAULT_USER_ROLE", "admin", /extraEnv\.DEFAULT_USER_ROLE: .*use defaultUserRole instead/],
            ["WEBUI_SESSION_COOKIE_SECURE", "false", /extraEnv\.WEBUI_SESSION_COOKIE_SECURE: .*use tls instead/],
            ["WEBUI_AUTH_COOKIE_SECURE", "false", /extraEnv\.WEBUI_AUTH_COOKIE_SECURE: .*managed by the component/],
            ["WEBUI_SESSION_COOKIE_SAME_SITE", "none", /extraEnv\.WEBUI_SESSION_COOKIE_SAME_SITE: .*managed by the component/],
            ["ENV", "dev", /extraEnv\.ENV: got "dev"; ENV is managed by the component; fixed by the component/],
            ["THREAD_POOL_SIZE", "1", /extraEnv\.THREAD_POOL_SIZE: .*use threadPoolSize instead/],
            ["UVICORN_WORKERS", "4", /extraEnv\.UVICORN_WORKERS: .*one process per pod/],
            ["ENABLE_DB_MIGRATIONS", "true", /extraEnv\.ENABLE_DB_MIGRATIONS: .*managed by the component/],
            ["WEBUI_AUTH_TRUSTED_EMAIL_HEADER", "X-Email", /extraEnv\.WEBUI_AUTH_TRUSTED_EMAIL_HEADER: .*use sso\.trustedHeader instead/],
            ["ENABLE_OAUTH_SIGNUP", "true", /extraEnv\.ENABLE_OAUTH_SIGNUP: .*use oidc or sso instead/],
            ["RAG_EMBEDDING_ENGINE", "", /extraEnv\.RAG_EMBEDDING_ENGINE: .*use rag instead/],
            ["TASK_MODEL", "gpt-4o", /extraEnv\.TASK_MODEL: .*use rag instead/],
        ];
        for (const [name, v, message] of owned)
            it(`extraEnv.${name} is refused, naming the typed argument`, () => refused(k8s({ extraEnv: { [name]: v } }), message));

        it("the same names are refused in extraSecretEnv and extraSecretEnvRefs", async () => {
            await refused(
                k8s({ extraSecretEnv: { WEBUI_AUTH: "false" } }),
                /extraSecretEnv\.WEBUI_AUTH: got "<redacted>"; WEBUI_AUTH is managed by the component/,
            );
            await refused(
                k8s({ extraSecretEnvRefs: { ENABLE_SIGNUP: { name: "s", key: "k" } } }),
                /extraSecretEnvRefs\.ENABLE_SIGNUP: .*use enableSignup instead/,
            );
        });

        it("a name set twice (extraEnv and extraSecretEnv) is refused: the later value would silently win", () =>
            refused(
                k8s({ extraEnv: { FEATURE_X: "on" }, extraSecretEnv: { FEATURE_X: "off" } }),
                /extraSecretEnv\.FEATURE_X: got "set twice"; FEATURE_X is also set in extraEnv\.FEATURE_X: set each variable once/,
            ));

        it("defaultUserRole: a typed argument (default pending); admin is not a value", async () => {
            await refused(k8s({ defaultUserRole: "admin" }), /defaultUserRole: got "admin"; use one of pending, user/);
            await build(k8s({ defaultUserRole: DefaultUserRole.User }));
            assert.strictEqual(deploymentEnv().DEFAULT_USER_ROLE.value, "user");
        });

        it("the decided settings are on every pod (so envFrom Secrets cannot set them), once each", async () => {
            await build(k8s({ extraEnvFromSecrets: ["synced"], extraEnv: { ENABLE_COMMUNITY_SHARING: "false" } }));
            for (const d of [
                ...ofType("kubernetes:apps/v1:Deployment").filter((x) => x.name === "chat"),
                ...ofType("kubernetes:batch/v1:Job").filter((x) => x.name === "chat-migrate"),
            ]) {
                const list = d.plain.spec.template.spec.containers[0].env as { name: string; value?: string }[];
                const names = list.map((e) => e.name);
                assert.deepStrictEqual(
                    names.filter((n, i) => names.indexOf(n) !== i),
                    [],
                    `${d.name}: duplicate env names`,
                );
                for (const n of DECIDED_ENV) assert.ok(names.includes(n), `${d.name}: ${n} missing`);
                const env = Object.fromEntries(list.map((e) => [e.name, e.value]));
                assert.strictEqual(env.WEBUI_AUTH, "true");
                assert.strictEqual(env.DEFAULT_USER_ROLE, "pending");
                assert.strictEqual(env.WEBUI_SESSION_COOKIE_SECURE, "true");
                assert.strictEqual(env.WEBUI_SESSION_COOKIE_SAME_SITE, "lax");
                assert.strictEqual(env.ENABLE_COMMUNITY_SHARING, "false");
            }
        });

        it("every name buildEnv emits, on every branch, is in OWNED_ENV (assembleEnv refuses the rest)", () => {
            const variants: any[] = [
                k8s({
                    otel: { exporterEndpoint: "https://otlp.example.com" },
                    trustedCa: { configMapName: "ca" },
                    sso: {
                        google: { clientId: "g", clientSecret: "s" },
                        microsoft: { clientId: "m", clientSecret: "s", tenantId: "t", scopes: "x", loginBaseUrl: "https://login.microsoftonline.us" },
                        github: { clientId: "h", clientSecret: "s", scopes: "y" },
                        roles: { claim: "r", allowedRoles: ["a"], adminRoles: ["b"] },
                        groups: { claim: "g" },
                        allowedDomains: ["example.com"],
                        disablePasswordLogin: true,
                    },
                    oidc: { providerUrl: "https://idp.example.com/.well-known/openid-configuration", clientId: "o", clientSecret: "s" },
                    rag: {
                        contentExtractionEngine: "tika",
                        taskModel: "t",
                        taskModelExternal: "te",
                        openaiApiBaseUrls: ["https://gw.example.com/v1"],
                        openaiApiKeys: ["k"],
                        ollamaBaseUrls: ["http://ollama:11434"],
                        embeddingApiBaseUrl: "https://e.example.com/v1",
                        embeddingApiKey: "e",
                    },
                }),
                k8s({
                    kubernetes: { routing: RoutingMode.None },
                    sso: { trustedHeader: { emailHeader: "X-E", nameHeader: "X-N", groupsHeader: "X-G", roleHeader: "X-R", proxyStripsClientHeaders: true } },
                    rag: { embeddingEngine: "ollama", ollamaBaseUrls: ["http://ollama:11434"], embeddingApiKeyRef: { name: "a", key: "b" } },
                }),
                ...[
                    VectorStore.Qdrant,
                    VectorStore.Milvus,
                    VectorStore.Opensearch,
                    VectorStore.Elasticsearch,
                    VectorStore.Pinecone,
                    VectorStore.ChromaHttp,
                ].map((type) =>
                    k8s({
                        vectorStore: {
                            type,
                            url: type === VectorStore.Pinecone ? undefined : "http://vectors.example.com:8000",
                            apiKeySecret: { name: "v", key: "k" },
                        },
                    }),
                ),
            ];
            const inputs = (sentinel: boolean): EnvInputs => ({
                appSecretName: "chat-app",
                database: { url: { name: "a", key: "b" }, iamAuth: true, createVectorExtension: true },
                redis: { url: { name: "a", key: "r" }, cluster: !sentinel, sentinelHosts: sentinel ? "s1,s2" : undefined, sentinelPort: 26379 },
                storageEnv: {
                    STORAGE_PROVIDER: "s3",
                    S3_BUCKET_NAME: "b",
                    S3_REGION_NAME: "r",
                    S3_ENDPOINT_URL: "e",
                    S3_ADDRESSING_STYLE: "path",
                    S3_KEY_PREFIX: "p",
                    GCS_BUCKET_NAME: "g",
                    AZURE_STORAGE_ENDPOINT: "a",
                    AZURE_STORAGE_CONTAINER_NAME: "c",
                },
                storageSecretEnv: { S3_ACCESS_KEY_ID: { name: "s", key: "i" }, S3_SECRET_ACCESS_KEY: { name: "s", key: "k" } },
                otelCollectorEndpoint: "http://collector:4317",
                secretKeys: { openaiApiKeys: true, embeddingApiKey: true },
            });
            const seen = new Set<string>();
            for (const v of variants) {
                const { spec } = prepareSpec(v);
                for (const sentinel of [false, true])
                    for (const migrations of [false, true]) for (const e of buildEnv(spec, inputs(sentinel), migrations)) seen.add(e.name as string);
            }
            for (const n of seen) assert.ok(OWNED_ENV.includes(n), `${n} is emitted but not owned`);
            assert.ok(seen.size > 100, `only ${seen.size} names covered`);
            assert.throws(
                () => assembleEnv([{ name: "NEW_MANAGED_VAR", value: "x" }], []),
                /emits NEW_MANAGED_VAR but components\/env\/envContract\.ts does not list it/,
            );
            assert.throws(
                () =>
                    assembleEnv(
                        [{ name: "ENV", value: "prod" }],
                        [
                            { name: "X", value: "1" },
                            { name: "X", value: "2" },
                        ],
                    ),
                /sets X twice/,
            );
            assert.throws(() => assembleEnv([], [{ name: "WEBUI_AUTH", value: "false" }]), /WEBUI_AUTH is managed by the component/);
        });
    });

    describe("2. literal credentials in plain env", () => {
        const SECRET = "Zq8vLk2PwT9xNm4RbY7c";
        const byName = [
            "my_token",
            "DB_PASSWD",
            "GOOGLE_CREDENTIALS",
            "ANTHROPIC_API_KEYS",
            "SERVICE_KEY",
            "LDAP_APP_PASSWORD",
            "Api-Key".replace("-", "_"),
            "SENTRY_DSN",
            "SESSION_SECRET_V2",
        ];
        for (const name of byName)
            it(`a secret-looking name: ${name}`, () =>
                refused(
                    k8s({ extraEnv: { [name]: SECRET } }),
                    new RegExp(`extraEnv\\.${name}: got "<redacted>"; looks like a secret: move it to extraSecretEnv`),
                    SECRET,
                ));
        const byValue: [string, string, RegExp][] = [
            ["an OpenAI key", `sk-proj-${SECRET}`, /an API key/],
            ["an AWS access key id", "AKIAIOSFODNN7EXAMPLE", /an AWS access key id/],
            ["a JWT", `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${SECRET}`, /a JSON Web Token/],
            ["a PEM private key", `-----BEGIN PRIVATE KEY-----\n${SECRET}\n-----END PRIVATE KEY-----`, /a PEM block/],
            ["an Azure connection string", `DefaultEndpointsProtocol=https;AccountName=x;AccountKey=${SECRET};`, /a connection string/],
            ["URL credentials", `https://svc:${SECRET}@gw.internal/v1`, /credentials in a URL/],
        ];
        for (const [what, v, m] of byValue)
            it(`a credential-shaped value under a harmless name: ${what}`, () =>
                refused(k8s({ extraEnv: { LLM_SETTINGS: v } }), new RegExp(`extraEnv\\.LLM_SETTINGS: got "<redacted>"; carries ${m.source}`), SECRET));

        it("an Output value in extraEnv is refused at construction (it skips every check)", () =>
            refused(k8s({ extraEnv: { UPSTREAM: pulumi.secret(`https://u:${SECRET}@x/v1`) } }), /extraEnv[.\w]*: got/, SECRET));

        it("plain settings whose names look like keys stay allowed (booleans, numbers, endpoints lists)", () => {
            accepted(k8s({ extraEnv: { ENABLE_API_KEY: "true", JWT_EXPIRES_IN: "4w", DEFAULT_LOCALE: "de-DE", API_KEY_ALLOWED_ENDPOINTS: "/api/v1/chats" } }));
        });

        it("every message masks credential-shaped values, whatever the field", async () => {
            await refused(k8s({ hostname: `sk-${SECRET}` }), /hostname: got/, SECRET);
            assert.ok(!maskCredentials(`token=ghp_${SECRET}abc`).includes(SECRET));
        });
    });

    describe("3. trusted-header sign-in only behind the user's proxy", () => {
        const th = { trustedHeader: { emailHeader: "X-Forwarded-Email", proxyStripsClientHeaders: true } };
        it("kubernetes with the component's own Ingress", () =>
            refused(
                k8s({ sso: th }),
                /sso\.trustedHeader: got "with kubernetes\.routing=ingress .*"; Open WebUI signs in whoever sends X-Forwarded-Email.*set kubernetes\.routing=none/,
            ));
        it("kubernetes with an HTTPRoute", () =>
            refused(k8s({ sso: th, kubernetes: { gateway: { name: "gw" } } }), /sso\.trustedHeader: got "with kubernetes\.routing=gatewayApi/));
        it("aws with an internet-facing ALB", () =>
            refused(aws({ sso: th }), /sso\.trustedHeader: got "with aws\.loadBalancer\.scheme=internet-facing"; .*set aws\.loadBalancer\.scheme=internal/));
        it("gcp and azure (public frontends)", async () => {
            await refused(gcp({ sso: th }), /sso\.trustedHeader: got "with the GKE Ingress/);
            await refused(azure({ sso: th }), /sso\.trustedHeader: got "with azure\.ingress\.controller=applicationGatewayForContainers/);
        });
        it("allowed with routing none or an internal ALB", () => {
            accepted(k8s({ sso: th, kubernetes: { routing: RoutingMode.None } }));
            accepted(aws({ sso: th }, { loadBalancer: { scheme: "internal" } }));
        });
        it("the ALB scheme cannot be switched behind the typed argument", () =>
            refused(
                aws({}, { loadBalancer: { extraAnnotations: { "alb.ingress.kubernetes.io/scheme": "internet-facing" } } }),
                /extraAnnotations\["alb\.ingress\.kubernetes\.io\/scheme"\]: got "internet-facing"; .*use aws\.loadBalancer\.scheme instead/,
            ));
    });

    describe("4. secret hygiene", () => {
        it("the collector's config-hash annotation is an HMAC keyed with the generated secret, not a plain hash of the headers", async () => {
            const headers = { "api-key": "hdr-secret-123" };
            const endpoint = "https://otlp.example.com:4317";
            const c = await build(k8s({ otel: { exporterEndpoint: endpoint, exporterHeaders: headers } }));
            const dep = one("kubernetes:apps/v1:Deployment", "chat-otel-collector");
            const annotation = dep.plain.spec.template.metadata.annotations["openwebui.io/config-hash"];
            const config = one("kubernetes:core/v1:ConfigMap", "chat-otel").plain.data["config.yaml"];
            const material = JSON.stringify([config, headers, endpoint]);
            assert.notStrictEqual(
                annotation,
                crypto.createHash("sha256").update(material).digest("hex").slice(0, 16),
                "an unsalted hash lets a guessed header be confirmed",
            );
            const key = await value(c.webuiSecretKey);
            assert.strictEqual(annotation, crypto.createHmac("sha256", `openwebui.io/config-hash:${key}`).update(material).digest("hex").slice(0, 16));
        });

        it("a refused pull-secret value is never echoed", async () => {
            const pasted = '{"auths":{"ghcr.io":{"auth":"dXNlcjpnaHBfc2VjcmV0"}}}';
            await refused(
                k8s({ pod: { imagePullSecrets: [pasted] } }),
                /pod\.imagePullSecrets\[0\]: got "<redacted: \d+ characters, not a Secret name>"; give the name of a Kubernetes Secret/,
                "dXNlcjpnaHBfc2VjcmV0",
            );
            await refused(k8s({ pod: { imagePullSecret: pasted } }), /pod\.imagePullSecret: got "<redacted/, "dXNlcjpnaHBfc2VjcmV0");
            await refused(
                k8s({ workloads: { otelCollector: { imagePullSecrets: ["Reg_Cred:token123"] } } }),
                /workloads\.otelCollector\.imagePullSecrets\[0\]: got "<redacted/,
                "token123",
            );
        });

        it("OTLP headers over plain http:// are refused; https, or http without headers, are fine", async () => {
            await refused(
                k8s({ otel: { exporterEndpoint: "http://otlp.example.com:4318", exporterHeaders: { authorization: "Bearer abc" } } }),
                /otel\.exporterEndpoint: got "http:\/\/otlp\.example\.com:4318"; otel\.exporterHeaders \(API keys, tokens\) would travel in clear text: use the https:\/\//,
                "Bearer abc",
            );
            await refused(
                k8s({ otel: { exporterEndpoint: "http://otlp.example.com:4318", exporterHeaders: pulumi.secret({ authorization: "k" }) } }),
                /otel\.exporterEndpoint: .*clear text/,
            );
            accepted(k8s({ otel: { exporterEndpoint: "https://otlp.example.com:4318", exporterHeaders: { authorization: "Bearer abc" } } }));
            accepted(k8s({ otel: { exporterEndpoint: "http://otlp.observability.svc:4318" } }));
            await refused(
                k8s({ otel: { collectorEndpoint: "https://u:pw-Zq9x@collector.example.com" } }),
                /otel\.collectorEndpoint: got "<redacted>"; credentials in the URL would be a literal secret/,
                "pw-Zq9x",
            );
        });

        it("GCP resource names that reach objects are names: a Cloud Armor policy given as a URL with credentials is refused, masked", async () => {
            await refused(
                gcp({}, { securityPolicy: "https://u:Zq9SECRETxpw@svc.example.com" }),
                /gcp\.securityPolicy: got "https:\/\/\*\*\*@svc\.example\.com"; give the name of an existing Cloud Armor security policy/,
                "Zq9SECRETxpw",
            );
            await refused(gcp({}, { securityPolicy: "Corp_Armor" }), /gcp\.securityPolicy: got "Corp_Armor"/);
            accepted(gcp({}, { securityPolicy: "corp-armor" }));
        });
    });

    describe("5. TLS weakened through supported fields", () => {
        for (const policy of [
            "ELBSecurityPolicy-2016-08",
            "ELBSecurityPolicy-TLS-1-1-2017-01",
            "ELBSecurityPolicy-TLS13-1-0-2021-06",
            "ELBSecurityPolicy-FS-2018-06",
        ]) {
            it(`ALB policy ${policy} (TLS below 1.2)`, () =>
                refused(
                    aws({}, { loadBalancer: { sslPolicy: policy } }),
                    new RegExp(`aws\\.loadBalancer\\.sslPolicy: got "${policy}"; use an ALB security policy that allows TLS 1\\.2 or 1\\.3 only`),
                ));
        }
        it("ALB TLS 1.2+/1.3 policies are accepted", () => {
            for (const p of [
                "ELBSecurityPolicy-TLS13-1-2-2021-06",
                "ELBSecurityPolicy-TLS13-1-3-2021-06",
                "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
                "ELBSecurityPolicy-FS-1-2-Res-2020-10",
            ])
                accepted(aws({}, { loadBalancer: { sslPolicy: p } }));
        });
        const ann: [string, any, string, RegExp][] = [
            ["ALB listening on HTTP only", aws, "alb.ingress.kubernetes.io/listen-ports", /listens on plain HTTP only while tls\.enabled is true/],
            ["ALB redirect dropped", aws, "alb.ingress.kubernetes.io/ssl-redirect", /drops the HTTPS redirect/],
            ["ALB policy through an annotation", aws, "alb.ingress.kubernetes.io/ssl-policy", /allows TLS below 1\.2/],
            ["NGINX redirect off", k8s, "nginx.ingress.kubernetes.io/ssl-redirect", /turns the HTTP-to-HTTPS redirect off/],
            ["GKE plain HTTP", k8s, "kubernetes.io/ingress.allow-http", /serves plain HTTP next to HTTPS/],
        ];
        const values: Record<string, string> = {
            "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80}]',
            "alb.ingress.kubernetes.io/ssl-redirect": "",
            "alb.ingress.kubernetes.io/ssl-policy": "ELBSecurityPolicy-2016-08",
            "nginx.ingress.kubernetes.io/ssl-redirect": "false",
            "kubernetes.io/ingress.allow-http": "true",
        };
        for (const [what, target, key, m] of ann) {
            it(what, () => {
                const a = { [key]: values[key] };
                return refused(
                    target === aws ? aws({}, { loadBalancer: { extraAnnotations: a } }) : k8s({ kubernetes: { ingressAnnotations: a } }),
                    new RegExp(`\\["${key.replace(/[./]/g, "\\$&")}"\\]: got .*${m.source}`),
                );
            });
        }
        it("the same annotations are allowed with TLS off (evaluation)", () =>
            accepted(
                k8s({
                    tls: { enabled: false, allowInsecureHttp: true },
                    kubernetes: { ingressAnnotations: { "nginx.ingress.kubernetes.io/ssl-redirect": "false" } },
                }),
            ));

        it("kubernetes, TLS on without a certificate: the Ingress still lists the host under spec.tls (the controller's default certificate), never a redirect to no HTTPS", async () => {
            await build(k8s({}));
            const ing = one("kubernetes:networking.k8s.io/v1:Ingress").plain;
            assert.strictEqual(ing.metadata.annotations["nginx.ingress.kubernetes.io/ssl-redirect"], "true");
            assert.deepStrictEqual(ing.spec.tls, [{ hosts: ["chat.example.com"] }]);
        });
    });

    describe("6. clouds", () => {
        for (const b of ["My_Bucket", "xn--bucket", "uploads-s3alias", "192.168.10.1", "a..b", "ab"]) {
            it(`S3 bucket name ${b}`, () =>
                refused(
                    aws({ storage: { bucketName: b } }),
                    new RegExp(`storage\\.bucketName: got "${b.replace(/\./g, "\\.")}"; [^:]+: an S3 bucket name has 3-63`),
                ));
        }
        for (const b of ["goog-uploads", "my-google-files", "g00gle-x", "UPPER", "x".repeat(64)]) {
            it(`GCS bucket name ${b.slice(0, 20)}`, () =>
                refused(gcp({ storage: { bucketName: b } }), /storage\.bucketName: got .*a Cloud Storage bucket name has 3-63/));
        }
        it("valid bucket names pass", () => {
            accepted(aws({ storage: { bucketName: "acme-owui-uploads.eu" } }));
            accepted(gcp({ storage: { bucketName: `${"a".repeat(60)}.${"b".repeat(60)}` } }));
        });
        const ext = {
            database: { mode: ServiceMode.External, url: "postgresql://u:p@db.internal:5432/owui", maxConnections: 300 },
            redis: { mode: ServiceMode.External, url: "rediss://:pw@redis.internal:6379/0" },
        };
        it("gcp: Cloud SQL / Memorystore settings in external mode are refused", async () => {
            await refused(gcp(ext, { databaseTier: "db-custom-2-7680" }), /gcp\.databaseTier: got "set"; database\.mode is external: .*remove it/, "u:p@");
            await refused(
                gcp(ext, { redisTier: "BASIC", redisMemorySizeGb: 2 }),
                /gcp\.redisTier: got "set"; redis\.mode is external[\s\S]*gcp\.redisMemorySizeGb/,
            );
        });
        it("azure: PostgreSQL / Redis settings in external mode are refused", async () => {
            await refused(
                azure(ext, { skus: { postgresSkuName: "Standard_D4ds_v5", redisSkuName: "Balanced_B3" } }),
                /azure\.postgresSubnetCidr: got "set"; database\.mode is external[\s\S]*azure\.skus\.postgresSkuName[\s\S]*azure\.skus\.redisSkuName: got "set"; redis\.mode is external/,
            );
        });
        it("azure: Blob without the private endpoint needs allowed networks, and denies the rest", async () => {
            await refused(
                azure({}, { storagePrivateEndpoint: false }),
                /azure\.storagePrivateEndpoint: got false; the storage account would accept every network/,
            );
            await refused(
                azure({}, { storagePrivateEndpoint: false, storageAllowedIpRanges: ["0.0.0.0/0"] }),
                /azure\.storageAllowedIpRanges\[0\]: got "0\.0\.0\.0\/0"/,
            );
            await refused(
                azure({}, { storageAllowedIpRanges: ["20.1.2.3"] }),
                /azure\.storageAllowedIpRanges: got "set"; applies only with azure\.storagePrivateEndpoint=false/,
            );
            accepted(azure({}, { storagePrivateEndpoint: false, storageAllowedIpRanges: ["20.1.2.3"] }));
        });
    });
});
