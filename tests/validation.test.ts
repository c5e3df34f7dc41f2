// Bad input fails at construction with a message naming the field, the value and the fix,
// and nothing is registered.
import "./harness";
import * as assert from "assert";
import { isSecretInput, ofType, registered, reset, settle } from "./harness";
import { CloudTarget, OpenWebUiCluster, OpenWebUiClusterArgs, ServiceMode, VectorStore } from "../index";
import { ValidationError } from "../components/spec/errors";

const ok: OpenWebUiClusterArgs = { target: CloudTarget.Kubernetes, hostname: "chat.example.com" };

const cases: [string, any, RegExp][] = [
    ["unknown target", { target: "digitalocean" }, /target: got "digitalocean"; use one of aws, gcp, azure, kubernetes/],
    ["hostname with scheme", { hostname: "https://chat.example.com" }, /hostname: got "https:\/\/chat.example.com"; give a lowercase DNS name/],
    ["missing hostname", { hostname: undefined }, /hostname: got nothing/],
    ["namespace not DNS-1123", { namespace: "Open_WebUI" }, /namespace: got "Open_WebUI"; use a DNS-1123 label/],
    ["single replica", { replicas: { min: 1 } }, /replicas\.min: got 1; a single replica is not highly available/],
    ["max below min", { replicas: { min: 4, max: 2 } }, /replicas\.max: got 2; use a whole number >= replicas\.min \(4\)/],
    ["HPA target out of range", { replicas: { targetCpuUtilization: 150 } }, /replicas\.targetCpuUtilization: got 150/],
    ["moving image tag main", { image: { tag: "main" } }, /image\.tag: got "main"; pin a released version/],
    ["moving image tag latest", { image: { tag: "latest" } }, /image\.tag: got "latest"/],
    ["bad digest", { image: { digest: "sha256:abc" } }, /image\.digest: got "sha256:abc"/],
    ["tag inside repository", { image: { repository: "ghcr.io/open-webui/open-webui:main" } }, /image\.repository: .*without tag or digest/],
    ["plain HTTP without opt-in", { tls: { enabled: false } }, /tls\.enabled: got false; plain HTTP exposes session cookies/],
    ["managed database on kubernetes", { database: { mode: ServiceMode.Managed } }, /database\.mode: got "managed"; target kubernetes has no managed services/],
    [
        "external database without URL",
        { database: { mode: ServiceMode.External, maxConnections: 200 } },
        /database\.url\/urlSecret: got nothing; external Postgres needs exactly one of/,
    ],
    [
        "external database without max_connections",
        { database: { mode: ServiceMode.External, url: "postgresql://u:p@h/db" } },
        /database\.maxConnections: got nothing; external Postgres needs its max_connections/,
    ],
    [
        "sqlite database URL",
        { database: { mode: ServiceMode.External, url: "sqlite:///data/webui.db", maxConnections: 100 } },
        /database\.url: got "sqlite:\/\/\/data\/webui.db"; use a postgresql:\/\/ URL/,
    ],
    [
        "asyncpg URL from the old guide (password masked)",
        { database: { mode: ServiceMode.External, url: "postgresql+asyncpg://u:pw@h/db", maxConnections: 100 } },
        /database\.url: got "postgresql\+asyncpg:\/\/\*\*\*@h\/db"/,
    ],
    [
        "pools over max_connections",
        { database: { mode: ServiceMode.External, url: "postgresql://u:p@h/db", maxConnections: 100 }, replicas: { min: 3, max: 30 } },
        /database: max_connections=100 x 0\.8 leaves 80 connections for 39 pods x 3 engines/,
    ],
    [
        "explicit pools over budget",
        { database: { poolSize: 20, poolMaxOverflow: 20 } },
        /database\.poolSize\/poolMaxOverflow: 20\+20 per engine x 3 engines x 14 pods = 1680 connections, over the budget of 400/,
    ],
    ["budget fraction 1", { database: { connectionBudgetFraction: 1 } }, /database\.connectionBudgetFraction: got 1/],
    ["unsupported Postgres version", { database: { version: "11" } }, /database\.version: got "11"/],
    ["backup retention 90 days", { database: { backupRetentionDays: 90 } }, /database\.backupRetentionDays: got 90; use 1 to 35 days/],
    [
        "external Redis with a non-redis URL",
        { redis: { mode: ServiceMode.External, url: "http://redis:6379" } },
        /redis\.url: got "http:\/\/redis:6379"; use a redis:\/\/ or rediss:\/\/ URL/,
    ],
    [
        "vector length over halfvec's index limit",
        { vectorStore: { pgvectorMaxVectorLength: 16000 } },
        /vectorStore\.pgvectorMaxVectorLength: got 16000; use a whole number from 1 to 4000: pgvector indexes halfvec up to 4000 dimensions/,
    ],
    [
        "credentials in an embedding URL (never repeated)",
        { rag: { embeddingApiBaseUrl: "https://user:s3cr3t@gw.example.com/v1" } },
        /rag\.embeddingApiBaseUrl: got "https:\/\/\*\*\*@gw\.example\.com\/v1"; credentials in a URL would be a literal secret in the pod spec: remove them and pass the key in rag\.embeddingApiKey/,
    ],
    [
        "gateway URL without scheme",
        { rag: { openaiApiBaseUrls: ["litellm:4000/v1"] } },
        /rag\.openaiApiBaseUrls\[0\]: got "litellm:4000\/v1"; use an http:\/\/ or https:\/\/ URL with a host/,
    ],
    [
        "credentials in a plain extraEnv URL",
        { extraEnv: { LITELLM_URL_BASE: "https://svc:pw@litellm.internal/v1" } },
        /extraEnv\.LITELLM_URL_BASE: got "<redacted>"; carries credentials in a URL \(user:password@ or token@\), a literal secret in the pod spec: move it to extraSecretEnv/,
    ],
    ["typo at the top (replica)", { replica: { min: 3 } } as any, /replica: got an unknown key; did you mean `replicas`\? valid keys here: target, hostname/],
    ["typo in a nested key (tls.enable)", { tls: { enable: false } } as any, /tls\.enable: got an unknown key; did you mean `tls\.enabled`\?/],
    [
        "unknown key deep in a cloud block",
        { target: CloudTarget.Aws, aws: { vpcId: "vpc-1", privateSubnetIds: ["s-1", "s-2"], eks: { clusterName: "c", securityGroupId: "sg-1" } } } as any,
        /aws\.eks\.securityGroupId: got an unknown key; did you mean `aws\.eks\.securityGroupIds`\?/,
    ],
    [
        "Redis socket timeout over the liveness timeout",
        { redis: { socketTimeoutSeconds: 10 } },
        /redis\.socketTimeoutSeconds: got 10; use 0\.5 to 4 seconds: above 4 a frozen Redis makes \/health miss the liveness probe's 5 s timeout/,
    ],
    [
        "Redis health-check interval negative",
        { redis: { healthCheckIntervalSeconds: -1 } },
        /redis\.healthCheckIntervalSeconds: got -1; use 0 \(off\) to 3600 seconds/,
    ],
    [
        "Redis cluster and Sentinel together",
        { redis: { mode: ServiceMode.External, url: "redis://r:6379/0", cluster: true, sentinelHosts: "s1:26379" } },
        /redis\.cluster: got true; Sentinel and Cluster are exclusive/,
    ],
    [
        "OIDC with a cluster Redis",
        {
            redis: { mode: ServiceMode.External, url: "redis://r:6379/0", cluster: true },
            oidc: { providerUrl: "https://idp/.well-known/openid-configuration", clientId: "a", clientSecret: "b" },
        },
        /oidc: got "with a clustered\/Sentinel Redis"/,
    ],
    ["embedded Chroma", { vectorStore: { type: "chroma" } }, /vectorStore\.type: got "chroma"; .*embedded Chroma \(SQLite\) crashes workers/],
    [
        "Chroma HTTP without a server URL",
        { vectorStore: { type: VectorStore.ChromaHttp } },
        /vectorStore\.url: got nothing; vectorStore\.type=chromaHttp needs the URL of its server/,
    ],
    ["Pinecone without key", { vectorStore: { type: VectorStore.Pinecone } }, /vectorStore\.apiKeySecret: got nothing; Pinecone needs an API key/],
    [
        "OIDC over http",
        { oidc: { providerUrl: "http://idp/.well-known/openid-configuration", clientId: "a", clientSecret: "b" } },
        /oidc\.providerUrl: got "http:\/\/idp/,
    ],
    [
        "in-pod SentenceTransformers",
        { rag: { embeddingEngine: "sentence-transformers" } },
        /rag\.embeddingEngine: got "sentence-transformers"; use openai or ollama/,
    ],
    [
        "secret in extraEnv",
        { extraEnv: { OPENAI_API_KEY: "sk-123" } },
        /extraEnv\.OPENAI_API_KEY: got "<redacted>"; looks like a secret: move it to extraSecretEnv/,
    ],
    ["managed env in extraEnv", { extraEnv: { UVICORN_WORKERS: "4" } }, /extraEnv\.UVICORN_WORKERS: got "4"; UVICORN_WORKERS is managed by the component/],
    [
        "managed env in extraSecretEnv",
        { extraSecretEnv: { WEBUI_SECRET_KEY: "x" } },
        /extraSecretEnv\.WEBUI_SECRET_KEY: got "<redacted>"; WEBUI_SECRET_KEY is managed/,
    ],
    [
        "OTEL with no signal",
        { otel: { exporterEndpoint: "https://otlp.example.com:4317", traces: false, metrics: false, logs: false } },
        /otel: got "enabled with no signal"/,
    ],
    ["OTEL on with no destination", { otel: { enabled: true } }, /otel\.enabled: got true; no destination: a collector without one drops everything/],
    [
        "OTEL own collector plus exporter",
        { otel: { collectorEndpoint: "http://c:4317", exporterEndpoint: "https://b:4317" } },
        /otel\.collectorEndpoint: got "with exporterEndpoint\/exporterHeaders\/debugOnly"/,
    ],
    [
        "OTEL endpoint without scheme",
        { otel: { exporterEndpoint: "collector:4317" } },
        /otel\.exporterEndpoint: got "collector:4317"; use an http:\/\/ or https:\/\/ OTLP endpoint/,
    ],
    [
        "Gateway API without a Gateway",
        { kubernetes: { routing: "gatewayApi" } },
        /kubernetes\.gateway\.name: got nothing; routing gatewayApi needs the Gateway/,
    ],
    [
        "idle timeout below 65 s",
        { kubernetes: { idleTimeoutSeconds: 30 } },
        /kubernetes\.idleTimeoutSeconds: got 30; websockets need an idle timeout of at least 65 seconds/,
    ],
    ["aws target without its block", { target: CloudTarget.Aws }, /aws: got nothing; target aws needs the aws block/],
    ["bad label value", { labels: { team: "a b" } }, /labels\.team: got "a b"; use a valid Kubernetes label/],
    // URLs, hosts and CIDRs: each parsed at construction (none may fail later while serializing, in an apply or at the cloud API).
    [
        "external database URL without a host",
        { database: { mode: ServiceMode.External, url: "postgresql:///owui", maxConnections: 100 } },
        /database\.url: got "postgresql:\/\/\/owui"; use a postgresql:\/\/user:password@host:5432\/database URL with a host/,
    ],
    [
        "external database URL with a space in the password (masked)",
        { database: { mode: ServiceMode.External, url: "postgresql://app:pa ss@db:5432/owui", maxConnections: 100 } },
        /database\.url: got "postgresql:\/\/\*\*\*@db:5432\/owui"; .*percent-encode/,
    ],
    [
        "external Redis URL with a port out of range",
        { redis: { mode: ServiceMode.External, url: "redis://r:99999/0" } },
        /redis\.url: got "redis:\/\/r:99999\/0"; use a redis:\/\/\[:password@\]host:6379\/0/,
    ],
    [
        "Sentinel hosts with a URL",
        { redis: { mode: ServiceMode.External, url: "redis://mymaster/0", sentinelHosts: "redis://s1:26379" } },
        /redis\.sentinelHosts: got "redis:\/\/s1:26379"; give the Sentinel hosts as host\[:port\] separated by commas/,
    ],
    [
        "Sentinels on two ports (Open WebUI takes one)",
        { redis: { mode: ServiceMode.External, url: "redis://mymaster/0", sentinelHosts: "s1:26379,s2:26380" } },
        /redis\.sentinelHosts: got "s1:26379,s2:26380"; Open WebUI connects to every Sentinel on one port \(REDIS_SENTINEL_PORT\), these use 26379 and 26380/,
    ],
    [
        "S3 endpoint without scheme",
        { storage: { mode: ServiceMode.External, bucketName: "b", s3EndpointUrl: "minio.storage:9000" } },
        /storage\.s3EndpointUrl: got "minio\.storage:9000"; use the http\(s\):\/\/ URL of the S3-compatible endpoint/,
    ],
    [
        "S3 endpoint with keys in it",
        { storage: { mode: ServiceMode.External, bucketName: "b", s3EndpointUrl: "https://AKIA:secret@s3.example.com" } },
        /storage\.s3EndpointUrl: got "https:\/\/\*\*\*@s3\.example\.com\/"; credentials in a URL .* storage\.s3AccessKeyIdSecret/,
    ],
    [
        "Chroma URL that is not a URL (failed in an apply after registration before)",
        { vectorStore: { type: VectorStore.ChromaHttp, url: "chroma server:8000" } },
        /vectorStore\.url: got "chroma server:8000"; use the http:\/\/ or https:\/\/ URL of the chromaHttp server with a host, e\.g\. http:\/\/chromahttp\.vectors\.svc:8000/,
    ],
    [
        "Chroma URL without a host",
        { vectorStore: { type: VectorStore.ChromaHttp, url: "chroma:8000" } },
        /vectorStore\.url: got "chroma:8000"; use the http:\/\/ or https:\/\/ URL/,
    ],
    [
        "Qdrant URL over gRPC scheme",
        { vectorStore: { type: VectorStore.Qdrant, url: "grpc://qdrant:6334" } },
        /vectorStore\.url: got "grpc:\/\/qdrant:6334"; use the http:\/\/ or https:\/\/ URL of the qdrant server/,
    ],
    [
        "OIDC discovery URL without a host",
        { oidc: { providerUrl: "https://:443/.well-known/openid-configuration", clientId: "a", clientSecret: "b" } },
        /oidc\.providerUrl: got "https:\/\/:443\/\.well-known\/openid-configuration"; use the https:\/\/ discovery URL/,
    ],
    [
        "OTEL endpoint with only a scheme",
        { otel: { exporterEndpoint: "http://" } },
        /otel\.exporterEndpoint: got "http:\/\/"; use an http:\/\/ or https:\/\/ OTLP endpoint with a host/,
    ],
    ["hostname with a trailing dot", { hostname: "chat.example.com." }, /hostname: got "chat\.example\.com\."; give a lowercase DNS name/],
    ["hostname label over 63 characters", { hostname: `${"a".repeat(64)}.example.com` }, /hostname: got "a{64}\.example\.com"; give a lowercase DNS name/],
    [
        "one S3 key without the other",
        { storage: { mode: ServiceMode.External, bucketName: "b", s3AccessKeyIdSecret: { name: "s", key: "id" } } },
        /storage\.s3AccessKeyIdSecret\/s3SecretAccessKeySecret: got "only one set"/,
    ],
];

describe("validation: bad input fails at construction and registers nothing", () => {
    it(`covers at least 20 distinct invalid specs (${cases.length})`, () => assert.ok(cases.length >= 20));

    for (const [title, patch, message] of cases) {
        it(title, async () => {
            reset();
            const args = { ...ok, ...patch };
            assert.throws(
                () => new OpenWebUiCluster("chat", args),
                (e: unknown) => {
                    assert.ok(e instanceof ValidationError, `not a ValidationError: ${e}`);
                    assert.match((e as Error).message, message);
                    return true;
                },
            );
            await settle();
            assert.strictEqual(registered.length, 0, `registered: ${registered.map((r) => r.name).join(", ")}`);
        });
    }

    it("no message repeats a secret, whatever field refused it (messages land in CI logs)", () => {
        const SECRET = "Sup3r-S3cret-Value-9f8e7d";
        const refused: Partial<OpenWebUiClusterArgs>[] = [
            { extraEnv: { DATABASE_URL: `postgresql://app:${SECRET}@db:5432/owui` } },
            { extraEnv: { WEBUI_SECRET_KEY: SECRET } },
            { extraEnv: { REDIS_URL: `redis://:${SECRET}@r:6379/0` } },
            { extraEnv: { LITELLM_BASE: `https://svc:${SECRET}@litellm.internal/v1` } },
            { extraEnv: { WEBHOOK: `https://${SECRET}@hooks.example.com/x` } },
            { extraSecretEnv: { WEBUI_SECRET_KEY: SECRET } },
            { database: { mode: ServiceMode.External, url: `mysql://app:${SECRET}@db/owui`, maxConnections: 100 } },
            { redis: { mode: ServiceMode.External, url: `http://:${SECRET}@redis:6379` } },
            { rag: { openaiApiBaseUrls: [`ftp://u:${SECRET}@gw/v1`] } },
            { otel: { exporterEndpoint: `collector://u:${SECRET}@c:4317` } },
        ];
        for (const patch of refused) {
            reset();
            let message = "";
            try {
                new OpenWebUiCluster("chat", { ...ok, ...patch });
            } catch (e) {
                message = (e as Error).message;
            }
            assert.ok(message.length > 0, `not refused: ${JSON.stringify(Object.keys(patch))}`);
            assert.ok(!message.includes(SECRET), `the message repeats the secret:\n${message}`);
        }
    });

    it("reports every problem at once", () => {
        reset();
        try {
            new OpenWebUiCluster("chat", { ...ok, replicas: { min: 1 }, image: { tag: "main" }, vectorStore: { type: "chroma" as VectorStore } });
            assert.fail("did not throw");
        } catch (e) {
            assert.strictEqual((e as ValidationError).problems.length, 3);
            assert.match((e as Error).message, /3 problems/);
        }
    });

    it("a valid spec still builds after a refused one (no state leaks between constructions)", async () => {
        reset();
        assert.throws(() => new OpenWebUiCluster("bad", { ...ok, image: { tag: "latest" } }));
        new OpenWebUiCluster("good", ok);
        await settle();
        assert.ok(registered.length > 30);
        assert.ok(registered.every((r) => !r.name.startsWith("bad")));
        // Secrets stay Pulumi secrets on their way into Kubernetes Secrets.
        const app = ofType("kubernetes:core/v1:Secret").find((s) => s.name === "good-app")!;
        assert.ok(isSecretInput(app.inputs, "stringData"), "the app Secret's data is a Pulumi secret");
        const admin = ofType("kubernetes:core/v1:Secret").find((s) => s.name === "good-db-admin")!;
        assert.ok(isSecretInput(admin.inputs, "stringData.PGPASSWORD"));
    });
});
