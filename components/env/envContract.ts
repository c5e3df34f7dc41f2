// The env contract of the Open WebUI containers, in one place:
// - OWNED_ENV: every name the component sets (everything buildEnv can emit, on any target and
//   mode) plus the security-relevant Open WebUI settings it decides (authentication on, sign-up,
//   default role, cookie flags, prod mode, one worker, migrations only in the Job). The escape
//   hatches (`extraEnv`, `extraSecretEnv`, `extraSecretEnvRefs`) can never set one of them;
// - assembleEnv: the one function that assembles the final container env. It refuses a name the
//   component emits without listing it here (so a new managed variable cannot escape the list),
//   a user name on an owned one, and any duplicate name (the later value would win);
// - the decided settings are always emitted, so a Secret read whole through `envFrom`
//   (`extraEnvFromSecrets`) cannot override them either (`env` wins over `envFrom`).
import * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes";
import { credentialIn, looksLikeSecretName } from "../spec/credentials";
import { enumValues, isKnown, problem } from "../spec/errors";
import { DefaultUserRole } from "../args/enums";
import { SSO_ENV } from "../spec/sso";
import { TRUST_ENV } from "../spec/trust";
import type { OpenWebUiClusterArgs } from "../args/types";

type EnvVar = k8s.types.input.core.v1.EnvVar;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Security settings the component decides, emitted on every pod whatever the spec. */
export const DECIDED_ENV = [
    "WEBUI_AUTH",
    "ENABLE_SIGNUP",
    "DEFAULT_USER_ROLE",
    "ENV",
    "UVICORN_WORKERS",
    "THREAD_POOL_SIZE",
    "ENABLE_DB_MIGRATIONS",
    "WEBUI_SESSION_COOKIE_SECURE",
    "WEBUI_AUTH_COOKIE_SECURE",
    "WEBUI_SESSION_COOKIE_SAME_SITE",
    "WEBUI_AUTH_COOKIE_SAME_SITE",
];

/** Every env name the component owns. */
export const OWNED_ENV: readonly string[] = [
    ...new Set([
        ...DECIDED_ENV,
        "WEBUI_URL",
        "WEBUI_SECRET_KEY",
        "CORS_ALLOW_ORIGIN",
        "ENABLE_PERSISTENT_CONFIG",
        "DATABASE_URL",
        "PGCONNECT_TIMEOUT",
        "DATABASE_POOL_SIZE",
        "DATABASE_POOL_MAX_OVERFLOW",
        "DATABASE_POOL_TIMEOUT",
        "DATABASE_POOL_RECYCLE",
        "DATABASE_USER_ACTIVE_STATUS_UPDATE_INTERVAL",
        "DATABASE_ENABLE_IAM_TOKEN_AUTH",
        "VECTOR_DB",
        "PGVECTOR_DB_URL",
        "PGVECTOR_POOL_SIZE",
        "PGVECTOR_POOL_MAX_OVERFLOW",
        "PGVECTOR_CREATE_EXTENSION",
        "PGVECTOR_INDEX_METHOD",
        "PGVECTOR_INITIALIZE_MAX_VECTOR_LENGTH",
        "PGVECTOR_USE_HALFVEC",
        "QDRANT_URI",
        "QDRANT_API_KEY",
        "MILVUS_URI",
        "MILVUS_TOKEN",
        "OPENSEARCH_URI",
        "OPENSEARCH_PASSWORD",
        "ELASTICSEARCH_URL",
        "ELASTICSEARCH_API_KEY",
        "PINECONE_API_KEY",
        "CHROMA_HTTP_HOST",
        "CHROMA_HTTP_PORT",
        "CHROMA_HTTP_SSL",
        "REDIS_URL",
        "REDIS_KEY_PREFIX",
        "REDIS_SOCKET_CONNECT_TIMEOUT",
        "REDIS_SOCKET_TIMEOUT",
        "REDIS_SOCKET_KEEPALIVE",
        "REDIS_HEALTH_CHECK_INTERVAL",
        "REDIS_CLUSTER",
        "REDIS_SENTINEL_HOSTS",
        "REDIS_SENTINEL_PORT",
        "ENABLE_WEBSOCKET_SUPPORT",
        "WEBSOCKET_MANAGER",
        "WEBSOCKET_REDIS_URL",
        "WEBSOCKET_REDIS_OPTIONS",
        "WEBSOCKET_REDIS_CLUSTER",
        "WEBSOCKET_SENTINEL_HOSTS",
        "WEBSOCKET_SENTINEL_PORT",
        "DATA_DIR",
        "STATIC_DIR",
        "HOME",
        "PORT",
        "PYTHONUSERBASE",
        "PIP_USER",
        "PIP_CACHE_DIR",
        "STORAGE_PROVIDER",
        "S3_BUCKET_NAME",
        "S3_REGION_NAME",
        "S3_ENDPOINT_URL",
        "S3_ACCESS_KEY_ID",
        "S3_SECRET_ACCESS_KEY",
        "S3_ADDRESSING_STYLE",
        "S3_KEY_PREFIX",
        "GCS_BUCKET_NAME",
        "GOOGLE_APPLICATION_CREDENTIALS_JSON",
        "AZURE_STORAGE_ENDPOINT",
        "AZURE_STORAGE_CONTAINER_NAME",
        "AZURE_STORAGE_KEY",
        "ENABLE_OTEL",
        "ENABLE_OTEL_TRACES",
        "ENABLE_OTEL_METRICS",
        "ENABLE_OTEL_LOGS",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_INSECURE",
        "OTEL_OTLP_SPAN_EXPORTER",
        "OTEL_SERVICE_NAME",
        "OTEL_RESOURCE_ATTRIBUTES",
        "OTEL_TRACES_SAMPLER",
        "OTEL_TRACES_SAMPLER_ARG",
        "OTEL_SEMCONV_STABILITY_OPT_IN",
        "OTEL_PYTHON_FASTAPI_EXCLUDED_URLS",
        "XCONTENT_TYPE",
        "XFRAME_OPTIONS",
        "REFERRER_POLICY",
        "HSTS",
        "RAG_EMBEDDING_ENGINE",
        "RAG_EMBEDDING_MODEL",
        "ENABLE_RAG_HYBRID_SEARCH",
        "CONTENT_EXTRACTION_ENGINE",
        "TASK_MODEL",
        "TASK_MODEL_EXTERNAL",
        "OPENAI_API_BASE_URLS",
        "OPENAI_API_KEYS",
        "OLLAMA_BASE_URLS",
        "RAG_OPENAI_API_BASE_URL",
        "RAG_OPENAI_API_KEY",
        "RAG_OLLAMA_BASE_URL",
        "RAG_OLLAMA_API_KEY",
        ...SSO_ENV,
        ...TRUST_ENV,
        // The import Job's source settings (importJob.ts).
        "OPENWEBUI_IMPORT_SOURCE_DATABASE_URL",
    ]),
];

const OWNED = new Set(OWNED_ENV);

/** True when the component owns the name. */
export function isOwnedEnv(name: string): boolean {
    return OWNED.has(name);
}

/** Where an owned setting is changed instead (a typed argument), or why it cannot be. */
const WHERE: [RegExp, string][] = [
    [/^WEBUI_AUTH$/, "authentication is always on (WEBUI_AUTH=true): no setting turns it off"],
    [/^ENABLE_SIGNUP$/, "use enableSignup instead"],
    [/^DEFAULT_USER_ROLE$/, "use defaultUserRole instead"],
    [/^THREAD_POOL_SIZE$/, "use threadPoolSize instead"],
    [/^ENABLE_PERSISTENT_CONFIG$/, "use persistentConfig instead"],
    [/^WEBUI_(SESSION|AUTH)_COOKIE_/, "cookies are Secure whenever tls.enabled and SameSite=lax: use tls instead"],
    [
        /^(ENV|UVICORN_WORKERS|ENABLE_DB_MIGRATIONS)$/,
        "fixed by the component (production mode, one process per pod, migrations only in the migration Job): scale with replicas, upgrade with image.tag and migrations",
    ],
    [/^(WEBUI_URL|CORS_ALLOW_ORIGIN)$/, "derived from hostname and tls: use hostname instead"],
    [
        /^WEBUI_SECRET_KEY$/,
        "use webuiSecretKeyRef instead (a key of an existing Secret, e.g. the old instance's key so sessions survive); unset, one key is generated for every replica (output webuiSecretKey)",
    ],
    [/^OPENWEBUI_IMPORT_/, "set by the import Job: use importFrom instead"],
    [/^WEBUI_AUTH_TRUSTED_/, "use sso.trustedHeader instead"],
    [/^(OAUTH_|OPENID_|GOOGLE_|MICROSOFT_|GITHUB_|ENABLE_OAUTH_|ENABLE_STAR_SESSIONS|ENABLE_LOGIN_FORM)/, "use oidc or sso instead"],
    [/^(DATABASE_)/, "use database instead"],
    [/^(VECTOR_DB|PGVECTOR_|QDRANT_|MILVUS_|OPENSEARCH_|ELASTICSEARCH_|PINECONE_|CHROMA_)/, "use vectorStore instead"],
    [/^(REDIS_|WEBSOCKET_|ENABLE_WEBSOCKET)/, "use redis instead"],
    [/^(STORAGE_PROVIDER|S3_|GCS_|AZURE_STORAGE_|GOOGLE_APPLICATION_CREDENTIALS)/, "use storage instead"],
    [/OTEL/, "use otel instead"],
    [/^(RAG_|OPENAI_|OLLAMA_|TASK_MODEL|CONTENT_EXTRACTION|ENABLE_RAG)/, "use rag instead"],
];

/** The fix for setting an owned name by hand. */
export function ownedFix(k: string): string {
    if (TRUST_ENV.includes(k))
        return `${k} is managed by the component; set trustedCa (a ConfigMap/Secret with your CA: the component adds it to the public roots and sets ${k})`;
    const where = WHERE.find(([re]) => re.test(k))?.[1] ?? "fixed by the component (paths and settings of the read-only pod)";
    return `${k} is managed by the component; ${where}`;
}

const SECRET_FIX = "move it to extraSecretEnv (a Pulumi secret, delivered through a Kubernetes Secret) or extraSecretEnvRefs (a key of an existing Secret)";

/** A plain value a secret-looking name may still carry: booleans, numbers, empty. */
const HARMLESS = /^(true|false|yes|no|on|off|\d{1,6}|)$/i;

/**
 * Every problem of the escape hatches: names the component owns, names and values that are
 * credentials in plain env (pod spec and state in clear), Output values (not checkable at
 * construction), invalid and duplicate names. Values are never shown for secret-looking names.
 */
export function envContractProblems(a: OpenWebUiClusterArgs): string[] {
    const out: string[] = [];
    const extra = a.extraEnv;
    if (extra !== undefined && (pulumi.Output.isInstance(extra) || extra instanceof Promise || typeof extra !== "object" || Array.isArray(extra))) {
        out.push(
            problem(
                "extraEnv",
                pulumi.Output.isInstance(extra) || extra instanceof Promise ? "an Output" : typeof extra,
                `give a map of plain strings checked at construction; for values known only at deploy time or secret, ${SECRET_FIX.replace("move it to", "use")}`,
            ),
        );
    }
    const extraEnv: Record<string, unknown> = out.length ? {} : (extra ?? {});
    const seen = new Map<string, string>();
    const once = (field: string, k: string) => {
        const first = seen.get(k);
        if (first)
            out.push(problem(`${field}.${k}`, "set twice", `${k} is also set in ${first}.${k}: set each variable once (the later value would silently win)`));
        else seen.set(k, field);
    };
    for (const [k, v] of Object.entries(extraEnv)) {
        const f = `extraEnv.${k}`;
        const secretName = looksLikeSecretName(k);
        const credential = credentialIn(v);
        const shown = (secretName && !(typeof v === "string" && HARMLESS.test(v))) || credential || /_(URL|URI)$/i.test(k) ? "<redacted>" : v;
        if (!ENV_NAME.test(k)) out.push(problem(f, k, "use a valid environment variable name"));
        else if (isOwnedEnv(k)) out.push(problem(f, shown, ownedFix(k)));
        else if (pulumi.Output.isInstance(v) || v instanceof Promise)
            out.push(
                problem(
                    f,
                    "an Output",
                    `extraEnv values are plain strings checked at construction (an Output may carry a credential into the pod spec): ${SECRET_FIX}`,
                ),
            );
        // Booleans and numbers (what `pulumi config set --path` stores) become their text in the env.
        else if (typeof v !== "string" && typeof v !== "boolean" && !(typeof v === "number" && Number.isFinite(v)))
            out.push(problem(f, v, "give a string value"));
        else if (credential) out.push(problem(f, "<redacted>", `carries ${credential}, a literal secret in the pod spec: ${SECRET_FIX}`));
        else if (secretName && !HARMLESS.test(String(v))) out.push(problem(f, "<redacted>", `looks like a secret: ${SECRET_FIX}`));
        if (ENV_NAME.test(k)) once("extraEnv", k);
    }
    if (isKnown(a.extraSecretEnv) && a.extraSecretEnv !== null && typeof a.extraSecretEnv === "object") {
        for (const k of Object.keys(a.extraSecretEnv)) {
            const f = `extraSecretEnv.${k}`;
            if (!ENV_NAME.test(k)) out.push(problem(f, k, "use a valid environment variable name"));
            else if (isOwnedEnv(k)) out.push(problem(f, "<redacted>", ownedFix(k)));
            if (ENV_NAME.test(k)) once("extraSecretEnv", k);
        }
    }
    for (const [k, ref] of Object.entries(a.extraSecretEnvRefs ?? {})) {
        const f = `extraSecretEnvRefs.${k}`;
        if (!ENV_NAME.test(k)) out.push(problem(f, k, "use a valid environment variable name"));
        else if (isOwnedEnv(k)) out.push(problem(f, ref, ownedFix(k)));
        if (!ref || ref.name === undefined || ref.key === undefined)
            out.push(problem(f, ref, "give { name, key } of an existing Secret in the release namespace"));
        if (ENV_NAME.test(k)) once("extraSecretEnvRefs", k);
    }
    const role = a.defaultUserRole;
    if (role !== undefined && !enumValues(DefaultUserRole).includes(role)) {
        out.push(
            problem("defaultUserRole", role, `use one of ${enumValues(DefaultUserRole).join(", ")} (an admin role for every new account is never deployed)`),
        );
    }
    return out;
}

/** The decided security settings, on every pod. */
export function decidedEnv(spec: { tls: { enabled: boolean }; defaultUserRole: string }): EnvVar[] {
    const secure = String(spec.tls.enabled);
    return [
        { name: "WEBUI_AUTH", value: "true" },
        { name: "DEFAULT_USER_ROLE", value: spec.defaultUserRole },
        { name: "WEBUI_SESSION_COOKIE_SECURE", value: secure },
        { name: "WEBUI_AUTH_COOKIE_SECURE", value: secure },
        { name: "WEBUI_SESSION_COOKIE_SAME_SITE", value: "lax" },
        { name: "WEBUI_AUTH_COOKIE_SAME_SITE", value: "lax" },
    ];
}

/**
 * The final container env: the component's, then the user's. Throws (a bug, or input that
 * skipped validation) on a component name missing from OWNED_ENV, a user name on an owned one,
 * and a name set twice.
 */
export function assembleEnv(component: EnvVar[], user: EnvVar[]): EnvVar[] {
    const names = new Set<string>();
    for (const [list, mine] of [
        [component, true],
        [user, false],
    ] as const) {
        for (const e of list) {
            const n = e.name as string;
            if (mine && !OWNED.has(n))
                throw new Error(`OpenWebUiCluster: the component emits ${n} but components/env/envContract.ts does not list it in OWNED_ENV: add it there`);
            if (!mine && OWNED.has(n)) throw new Error(`OpenWebUiCluster: ${ownedFix(n)}`);
            if (names.has(n)) throw new Error(`OpenWebUiCluster: the container env sets ${n} twice; set each variable once`);
            names.add(n);
        }
    }
    return [...component, ...user];
}
