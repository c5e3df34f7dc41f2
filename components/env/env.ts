// The Open WebUI environment: one function, used for the serving Deployment and the
// migration Job alike, so the two can never disagree on anything but ENABLE_DB_MIGRATIONS.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { PGVECTOR_MAX_VECTOR_DIMENSIONS, ResolvedSpec } from "../spec/spec";
import { EmbeddingEngine, OtlpProtocol, VectorStore } from "../args/types";
import { ssoEnv } from "../spec/sso";
import { assembleEnv, decidedEnv } from "./envContract";
import { pythonTrust } from "../spec/trust";

/** Probe and health-check paths the FastAPI instrumentation skips (a regex; the probes in workloads.ts). */
export const OTEL_UNTRACED_URLS = "/health(/db)?$";

type EnvVar = k8s.types.input.core.v1.EnvVar;

/** Where a secret value is read from: a key of a Kubernetes Secret. */
export interface SecretRef {
    name: pulumi.Input<string>;
    key: pulumi.Input<string>;
}

/** Everything the env needs besides the spec: where each secret lives, and service facts. */
export interface EnvInputs {
    /** The release's app Secret name (holds the generated WEBUI_SECRET_KEY and the generated/provided URLs). */
    appSecretName: pulumi.Input<string>;
    /** WEBUI_SECRET_KEY from the user's Secret (`webuiSecretKeyRef`) instead of the app Secret. */
    secretKey?: SecretRef;
    database: { url: SecretRef; iamAuth: boolean; createVectorExtension: boolean };
    redis: { url: SecretRef; cluster: boolean; sentinelHosts?: string; sentinelPort?: number };
    /** Plain storage env (STORAGE_PROVIDER, bucket, region, endpoint...). */
    storageEnv: { [key: string]: pulumi.Input<string> };
    /** Secret storage env (in-cluster/external S3 keys). */
    storageSecretEnv: { [key: string]: SecretRef };
    /** OTLP endpoint of the in-cluster collector (undefined: OTEL off). */
    otelCollectorEndpoint?: pulumi.Input<string>;
    /** Keys present in the app Secret for optional secrets (given by value). */
    secretKeys: { openaiApiKeys: boolean; embeddingApiKey: boolean };
}

/** Paths inside the pod. */
export const DATA_DIR = "/app/backend/data";
export const STATIC_DIR = "/app/backend/data/static";
export const REDIS_CA_DIR = "/etc/open-webui/redis-ca";
/**
 * Python user base on the data emptyDir. Open WebUI runs `python -m pip install <requirements>`
 * for tools and functions (utils/plugin.py); the image's site-packages is read-only (and owned by
 * root while pods run as UID 1000), so pip installs with `--user` (PIP_USER) here instead. Its
 * site-packages directory must exist before Python starts to be on sys.path: the Deployment's
 * `seed-data` init container creates it (see SEED_DATA_SCRIPT in workloads.ts).
 */
export const PYTHON_USER_BASE = `${DATA_DIR}/python`;

function plain(name: string, value: pulumi.Input<string> | number | boolean): EnvVar {
    return { name, value: typeof value === "number" || typeof value === "boolean" ? String(value) : value };
}

function fromSecret(name: string, ref: SecretRef): EnvVar {
    return { name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } };
}

/**
 * `WEBSOCKET_REDIS_OPTIONS` (redis-py keyword arguments of python-socketio's AsyncRedisManager):
 * a publish waits at most the socket timeout (a frozen Redis otherwise hangs every request that
 * emits an event); its pub/sub listener blocks without a timeout whatever this says (redis-py 8).
 */
export function websocketRedisOptions(spec: ResolvedSpec): Record<string, number | boolean> {
    const r = spec.redis;
    return {
        socket_connect_timeout: r.socketConnectTimeoutSeconds,
        socket_timeout: r.socketTimeoutSeconds,
        socket_keepalive: true,
        ...(r.healthCheckIntervalSeconds > 0 ? { health_check_interval: r.healthCheckIntervalSeconds } : {}),
    };
}

/** Server, secret key, process model and the database pools. */
function serverAndDatabaseEnv(spec: ResolvedSpec, inp: EnvInputs, migrations: boolean): EnvVar[] {
    const p = spec.pools;
    const env: EnvVar[] = [
        plain("WEBUI_URL", spec.url),
        plain("ENV", "prod"),
        fromSecret("WEBUI_SECRET_KEY", inp.secretKey ?? { name: inp.appSecretName, key: "WEBUI_SECRET_KEY" }),
        // One process per pod: the orchestrator scales, not uvicorn.
        plain("UVICORN_WORKERS", 1),
        plain("THREAD_POOL_SIZE", spec.threadPoolSize),
        plain("ENABLE_DB_MIGRATIONS", migrations),
        // Database
        fromSecret("DATABASE_URL", inp.database.url),
        // libpq's default for a URL without connect_timeout (a user's urlSecret): no endless connect.
        plain("PGCONNECT_TIMEOUT", spec.database.connectTimeoutSeconds),
        plain("DATABASE_POOL_SIZE", p.poolSize),
        plain("DATABASE_POOL_MAX_OVERFLOW", p.maxOverflow),
        plain("DATABASE_POOL_TIMEOUT", 30),
        plain("DATABASE_POOL_RECYCLE", 1800),
        plain("DATABASE_USER_ACTIVE_STATUS_UPDATE_INTERVAL", 300),
    ];
    if (inp.database.iamAuth) env.push(plain("DATABASE_ENABLE_IAM_TOKEN_AUTH", true));
    return env;
}

/** Redis: app state, websockets, sessions; cluster and Sentinel modes. */
function redisEnv(spec: ResolvedSpec, inp: EnvInputs): EnvVar[] {
    const env: EnvVar[] = [
        fromSecret("REDIS_URL", inp.redis.url),
        plain("REDIS_KEY_PREFIX", spec.redis.keyPrefix),
        plain("REDIS_SOCKET_CONNECT_TIMEOUT", spec.redis.socketConnectTimeoutSeconds),
        plain("REDIS_SOCKET_TIMEOUT", spec.redis.socketTimeoutSeconds),
        plain("REDIS_SOCKET_KEEPALIVE", true),
        plain("REDIS_HEALTH_CHECK_INTERVAL", spec.redis.healthCheckIntervalSeconds),
        plain("ENABLE_WEBSOCKET_SUPPORT", true),
        plain("WEBSOCKET_MANAGER", "redis"),
        fromSecret("WEBSOCKET_REDIS_URL", inp.redis.url),
        // The Socket.IO manager's own client ignores the REDIS_SOCKET_* settings: same bounds here.
        plain("WEBSOCKET_REDIS_OPTIONS", JSON.stringify(websocketRedisOptions(spec))),
    ];
    if (inp.redis.cluster) env.push(plain("REDIS_CLUSTER", true), plain("WEBSOCKET_REDIS_CLUSTER", true));
    if (inp.redis.sentinelHosts) {
        // Host names only, one port for all (Open WebUI's get_sentinels_from_env).
        const port = inp.redis.sentinelPort ?? 26379;
        env.push(
            plain("REDIS_SENTINEL_HOSTS", inp.redis.sentinelHosts),
            plain("REDIS_SENTINEL_PORT", port),
            plain("WEBSOCKET_SENTINEL_HOSTS", inp.redis.sentinelHosts),
            plain("WEBSOCKET_SENTINEL_PORT", port),
        );
    }
    return env;
}

/** Files: data and static directories, the pip user base for tools, the storage env. */
function filesEnv(inp: EnvInputs): EnvVar[] {
    const env = [plain("DATA_DIR", DATA_DIR), plain("STATIC_DIR", STATIC_DIR), plain("HOME", "/tmp")];
    // Tool/function requirements: pip installs into the user base on the data volume (see PYTHON_USER_BASE).
    env.push(plain("PYTHONUSERBASE", PYTHON_USER_BASE), plain("PIP_USER", 1), plain("PIP_CACHE_DIR", "/tmp/pip-cache"));
    for (const [k, v] of Object.entries(inp.storageEnv)) env.push(plain(k, v));
    for (const [k, ref] of Object.entries(inp.storageSecretEnv)) env.push(fromSecret(k, ref));
    return env;
}

/** OpenTelemetry: to the in-cluster collector (or yours), sampling, resource attributes; off without one. */
function otelEnv(spec: ResolvedSpec, inp: EnvInputs): EnvVar[] {
    if (inp.otelCollectorEndpoint === undefined) return [plain("ENABLE_OTEL", false)];
    // Pod -> in-cluster collector stays inside the cluster (NetworkPolicy-restricted); the
    // collector exports with TLS. An existing collector: TLS exactly when its URL says https.
    const insecure = spec.otel.deployCollector ? "true" : pulumi.output(spec.otel.collectorEndpoint ?? "").apply((u) => String(!u.startsWith("https://")));
    return [
        plain("ENABLE_OTEL", true),
        plain("ENABLE_OTEL_TRACES", spec.otel.traces),
        plain("ENABLE_OTEL_METRICS", spec.otel.metrics),
        plain("ENABLE_OTEL_LOGS", spec.otel.logs),
        plain("OTEL_EXPORTER_OTLP_ENDPOINT", inp.otelCollectorEndpoint),
        plain("OTEL_EXPORTER_OTLP_INSECURE", insecure),
        plain("OTEL_OTLP_SPAN_EXPORTER", OtlpProtocol.Grpc),
        plain("OTEL_SERVICE_NAME", "open-webui"),
        plain("OTEL_RESOURCE_ATTRIBUTES", `deployment.environment=${pulumi.getStack()},service.namespace=${spec.namespace}`),
        plain("OTEL_TRACES_SAMPLER", spec.otel.sampler),
        plain("OTEL_TRACES_SAMPLER_ARG", String(spec.otel.samplerRatio)),
        // Stable HTTP conventions: the server metrics carry the route template, not the raw
        // target with chat and file ids (unbounded series; tests/integration/telemetry.itest.ts).
        plain("OTEL_SEMCONV_STABILITY_OPT_IN", "http"),
        // kubelet's probes and the load balancer's health checks are not traced.
        plain("OTEL_PYTHON_FASTAPI_EXCLUDED_URLS", OTEL_UNTRACED_URLS),
    ];
}

/** Sign-in: signup, CORS pinned to the public URL (Socket.IO's allowed origins), decided auth, SSO, headers. */
function signInEnv(spec: ResolvedSpec, inp: EnvInputs): EnvVar[] {
    return [
        plain("ENABLE_SIGNUP", spec.enableSignup),
        plain("CORS_ALLOW_ORIGIN", spec.url),
        plain("ENABLE_PERSISTENT_CONFIG", spec.persistentConfig),
        // Authentication on, default role, cookie flags: decided on every pod (envContract.ts).
        ...decidedEnv(spec),
        ...ssoEnv(spec, spec.url, inp.appSecretName),
        ...securityHeaderEnv(spec),
    ];
}

/** RAG and task models: embedding engine and endpoint, model gateways and their keys. */
function modelsEnv(spec: ResolvedSpec, inp: EnvInputs): EnvVar[] {
    const app = (key: string): SecretRef => ({ name: inp.appSecretName, key });
    const r = spec.rag;
    const env = [
        plain("RAG_EMBEDDING_ENGINE", r.embeddingEngine),
        plain("RAG_EMBEDDING_MODEL", r.embeddingModel),
        plain("ENABLE_RAG_HYBRID_SEARCH", r.hybridSearch),
    ];
    if (r.contentExtractionEngine) env.push(plain("CONTENT_EXTRACTION_ENGINE", r.contentExtractionEngine));
    if (r.taskModel) env.push(plain("TASK_MODEL", r.taskModel));
    if (r.taskModelExternal) env.push(plain("TASK_MODEL_EXTERNAL", r.taskModelExternal));
    if (r.openaiApiBaseUrls?.length) env.push(plain("OPENAI_API_BASE_URLS", r.openaiApiBaseUrls.join(";")));
    if (inp.secretKeys.openaiApiKeys) env.push(fromSecret("OPENAI_API_KEYS", app("OPENAI_API_KEYS")));
    else if (r.openaiApiKeysRef) env.push(fromSecret("OPENAI_API_KEYS", r.openaiApiKeysRef));
    if (r.ollamaBaseUrls?.length) env.push(plain("OLLAMA_BASE_URLS", r.ollamaBaseUrls.join(";")));
    // Embeddings: Open WebUI reads their endpoint and key from RAG_* only (else api.openai.com).
    const ollama = r.embeddingEngine === EmbeddingEngine.Ollama;
    const embeddingUrl = r.embeddingApiBaseUrl ?? (ollama ? r.ollamaBaseUrls?.[0] : r.openaiApiBaseUrls?.[0]);
    if (embeddingUrl) env.push(plain(ollama ? "RAG_OLLAMA_BASE_URL" : "RAG_OPENAI_API_BASE_URL", embeddingUrl));
    const embeddingKey = r.embeddingApiKeyRef ?? (inp.secretKeys.embeddingApiKey ? app("RAG_EMBEDDING_API_KEY") : undefined);
    if (embeddingKey) env.push(fromSecret(ollama ? "RAG_OLLAMA_API_KEY" : "RAG_OPENAI_API_KEY", embeddingKey));
    return env;
}

/**
 * Builds the container env. `migrations` is true only for the migration Job: every
 * serving replica gets ENABLE_DB_MIGRATIONS=false.
 */
export function buildEnv(spec: ResolvedSpec, inp: EnvInputs, migrations: boolean): EnvVar[] {
    const env: EnvVar[] = [
        ...serverAndDatabaseEnv(spec, inp, migrations),
        ...vectorEnv(spec, inp),
        ...redisEnv(spec, inp),
        ...filesEnv(inp),
        ...otelEnv(spec, inp),
        ...signInEnv(spec, inp),
        ...modelsEnv(spec, inp),
        // A private CA for every TLS client (trust.ts).
        ...pythonTrust(spec.trustedCa, undefined, spec.image).env,
    ];
    // Escape hatches (names the component owns were refused at validation). The one place the
    // final env is assembled: no owned name from the user, no name twice (envContract.ts).
    const user: EnvVar[] = [
        ...Object.entries(spec.extraEnv).map(([k, v]) => plain(k, v)),
        ...Object.entries(spec.extraSecretEnvRefs ?? {}).map(([k, ref]) => fromSecret(k, ref)),
    ];
    // extraSecretEnv arrives through `envFrom` (its own Secret): its names need not be known at plan time.
    return assembleEnv(env, user);
}

function vectorEnv(spec: ResolvedSpec, inp: EnvInputs): EnvVar[] {
    const v = spec.vectorStore;
    const p = spec.pools;
    const key = (name: string): EnvVar[] => (v.apiKeySecret ? [fromSecret(name, v.apiKeySecret)] : []);
    switch (v.type) {
        case VectorStore.Pgvector:
            return [
                plain("VECTOR_DB", "pgvector"),
                // Same credentials as the app; its own engine, so its own (computed) pool.
                fromSecret("PGVECTOR_DB_URL", inp.database.url),
                plain("PGVECTOR_POOL_SIZE", p.pgvectorPoolSize),
                plain("PGVECTOR_POOL_MAX_OVERFLOW", p.pgvectorMaxOverflow),
                plain("PGVECTOR_CREATE_EXTENSION", inp.database.createVectorExtension),
                plain("PGVECTOR_INDEX_METHOD", v.pgvectorIndexMethod),
                plain("PGVECTOR_INITIALIZE_MAX_VECTOR_LENGTH", v.pgvectorMaxVectorLength),
                // Open WebUI refuses to start above 2000 dimensions without halfvec (config.py).
                plain("PGVECTOR_USE_HALFVEC", v.pgvectorMaxVectorLength > PGVECTOR_MAX_VECTOR_DIMENSIONS),
            ];
        case VectorStore.Qdrant:
            return [plain("VECTOR_DB", "qdrant"), plain("QDRANT_URI", v.url!), ...key("QDRANT_API_KEY")];
        case VectorStore.Milvus:
            return [plain("VECTOR_DB", "milvus"), plain("MILVUS_URI", v.url!), ...key("MILVUS_TOKEN")];
        case VectorStore.Opensearch:
            return [plain("VECTOR_DB", "opensearch"), plain("OPENSEARCH_URI", v.url!), ...key("OPENSEARCH_PASSWORD")];
        case VectorStore.Elasticsearch:
            return [plain("VECTOR_DB", "elasticsearch"), plain("ELASTICSEARCH_URL", v.url!), ...key("ELASTICSEARCH_API_KEY")];
        case VectorStore.Pinecone:
            return [plain("VECTOR_DB", "pinecone"), ...key("PINECONE_API_KEY")];
        case VectorStore.ChromaHttp: {
            // A known URL was parsed at construction (spec.ts); one known only at deploy time fails here with the field's name.
            const u = pulumi.output(v.url!).apply((s) => {
                try {
                    return new URL(s);
                } catch {
                    throw new Error(`vectorStore.url: the Chroma server URL resolved at deploy time is not a URL; use http(s)://host:8000`);
                }
            });
            return [
                plain("VECTOR_DB", "chroma"),
                plain(
                    "CHROMA_HTTP_HOST",
                    u.apply((x) => x.hostname),
                ),
                plain(
                    "CHROMA_HTTP_PORT",
                    u.apply((x) => x.port || (x.protocol === "https:" ? "443" : "8000")),
                ),
                plain(
                    "CHROMA_HTTP_SSL",
                    u.apply((x) => String(x.protocol === "https:")),
                ),
            ];
        }
    }
}

/** Open WebUI's own security response headers (hardening.securityHeaders; HSTS only with TLS). */
export function securityHeaderEnv(spec: ResolvedSpec): EnvVar[] {
    if (spec.hardening.securityHeaders === false) return [];
    const env = [plain("XCONTENT_TYPE", "nosniff"), plain("XFRAME_OPTIONS", "DENY"), plain("REFERRER_POLICY", "strict-origin-when-cross-origin")];
    if (spec.tls.enabled) env.push(plain("HSTS", "max-age=31536000;includeSubDomains"));
    return env;
}
