// HA rules: what every multi-replica Open WebUI needs (Postgres, Redis, an external vector
// store, one shared WEBUI_SECRET_KEY, migrations off on replicas, probes, a PDB).
import { TYPES, isUnknown, raw, get, arr, stackRule, type Json } from "./shape";
import {
    SERVING_TYPES,
    workloadNamespace,
    plainValue,
    dependsOn,
    findOwuiWorkloads,
    describe,
    imagePatternSchema,
    patternOf,
    forHaWorkloads,
    has,
    maybeFrom,
    redactUrl,
} from "./workloads";

// ---- HA ------------------------------------------------------------------------------------

export const haPostgres = stackRule({
    name: "owui-ha-requires-postgres",
    description: "An Open WebUI workload with more than one replica or worker must use PostgreSQL (DATABASE_URL set, not SQLite).",
    remediation: "Set DATABASE_URL to a postgresql:// URL from a Kubernetes Secret (secretKeyRef), or run a single replica with UVICORN_WORKERS=1.",
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["ha"],
    configSchema: imagePatternSchema,
    validateStack: forHaWorkloads((w, { env }, report) => {
        const src = env.vars.get("DATABASE_URL");
        if (!src) {
            if (!has(env, "DATABASE_URL"))
                report(`${describe(w)} runs several processes but DATABASE_URL is not set: it falls back to SQLite ("database is locked", corruption).`);
            return;
        }
        const v = plainValue(src);
        if (v.known && (v.value === "" || /^sqlite/i.test(v.value ?? ""))) {
            report(`${describe(w)} runs several processes on SQLite (DATABASE_URL=${JSON.stringify(redactUrl(v.value ?? ""))}).`);
        }
    }),
});

export const haRedis = stackRule({
    name: "owui-ha-requires-redis",
    description:
        "An Open WebUI workload with more than one replica or worker needs Redis and the redis websocket manager (REDIS_URL, WEBSOCKET_MANAGER=redis, ENABLE_WEBSOCKET_SUPPORT=true).",
    remediation: "Set REDIS_URL (from a Secret), WEBSOCKET_MANAGER=redis and ENABLE_WEBSOCKET_SUPPORT=true on every replica.",
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["ha"],
    configSchema: imagePatternSchema,
    validateStack: forHaWorkloads((w, { env }, report) => {
        const missing: string[] = [];
        if (!has(env, "REDIS_URL")) missing.push("REDIS_URL is not set");
        else {
            const v = plainValue(env.vars.get("REDIS_URL"));
            if (v.known && env.vars.has("REDIS_URL") && !/^rediss?:\/\//i.test(v.value ?? ""))
                missing.push(`REDIS_URL=${JSON.stringify(redactUrl(v.value ?? ""))} is not a redis:// or rediss:// URL`);
        }
        for (const [name, expected] of [
            ["WEBSOCKET_MANAGER", "redis"],
            ["ENABLE_WEBSOCKET_SUPPORT", "true"],
        ] as const) {
            if (!env.vars.has(name)) {
                if (!has(env, name)) missing.push(`${name} is not set (need ${expected})`);
                continue;
            }
            const v = plainValue(env.vars.get(name));
            if (v.known && String(v.value).toLowerCase() !== expected) missing.push(`${name}=${JSON.stringify(v.value)} (need ${expected})`);
        }
        if (missing.length) report(`${describe(w)}: ${missing.join("; ")}${maybeFrom(env)}.`);
    }),
});

const NON_EMBEDDED_VECTOR_DBS = ["pgvector", "qdrant", "milvus", "opensearch", "elasticsearch", "pinecone", "oracle23ai", "s3vector", "weaviate"];

export const haVectorStore = stackRule({
    name: "owui-ha-requires-external-vector-db",
    description: "An Open WebUI workload with more than one replica or worker must not use the embedded Chroma (SQLite) vector store.",
    remediation:
        "Set VECTOR_DB=pgvector (or qdrant, milvus, opensearch, elasticsearch, pinecone), or VECTOR_DB=chroma with CHROMA_HTTP_HOST pointing at a Chroma server.",
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["ha"],
    configSchema: imagePatternSchema,
    validateStack: forHaWorkloads((w, { env }, report) => {
        const src = env.vars.get("VECTOR_DB");
        if (!src) {
            if (!has(env, "VECTOR_DB"))
                report(`${describe(w)}: VECTOR_DB is not set, so the embedded Chroma (SQLite) is used; it crashes with several processes.`);
            return;
        }
        const v = plainValue(src);
        if (!v.known) return;
        const db = (v.value ?? "").toLowerCase();
        if (db === "chroma" || db === "") {
            if (!env.vars.has("CHROMA_HTTP_HOST") && !has(env, "CHROMA_HTTP_HOST")) {
                report(`${describe(w)}: VECTOR_DB=${JSON.stringify(v.value)} without CHROMA_HTTP_HOST is the embedded Chroma (SQLite).`);
            }
        } else if (!NON_EMBEDDED_VECTOR_DBS.includes(db)) {
            report(
                `${describe(w)}: VECTOR_DB=${JSON.stringify(v.value)} is not a known client/server vector database (${NON_EMBEDDED_VECTOR_DBS.join(", ")}, chroma with CHROMA_HTTP_HOST).`,
            );
        }
    }),
});

export const haSharedSecretKey = stackRule({
    name: "owui-ha-shared-secret-key",
    description: "Every replica of a multi-process Open WebUI must read one shared WEBUI_SECRET_KEY from a Kubernetes Secret (not missing, not a literal).",
    remediation:
        "Generate one random key, store it in a Kubernetes Secret and reference it with valueFrom.secretKeyRef on every Open WebUI workload of the namespace.",
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["ha", "secrets"],
    configSchema: imagePatternSchema,
    validateStack: (args, report) => {
        const workloads = findOwuiWorkloads(args.resources, patternOf(args)).filter((w) => w.ha);
        const refs = new Map<string, Set<string>>(); // namespace -> secret/key refs
        for (const w of workloads) {
            for (const { env } of w.containers) {
                const src = env.vars.get("WEBUI_SECRET_KEY");
                if (!src) {
                    if (env.opaqueSources.some((s) => s.startsWith("secret"))) continue; // may come from an envFrom Secret
                    report(
                        `${describe(w)}: WEBUI_SECRET_KEY is not set; each container then writes its own random key (login loops, 401s across replicas)${maybeFrom(env)}.`,
                        w.resource.urn,
                    );
                } else if (src.kind === "literal") {
                    report(`${describe(w)}: WEBUI_SECRET_KEY is a literal value in the pod spec; reference a Kubernetes Secret instead.`, w.resource.urn);
                } else if (src.kind === "configMap") {
                    report(`${describe(w)}: WEBUI_SECRET_KEY comes from ConfigMap '${src.name}'; it must come from a Secret.`, w.resource.urn);
                } else if (src.kind === "secret") {
                    const ref = `${isUnknown(src.name) ? "(computed)" : src.name}/${isUnknown(src.key) ? "(computed)" : src.key}`;
                    if (!refs.has(w.namespace)) refs.set(w.namespace, new Set());
                    refs.get(w.namespace)!.add(ref);
                }
            }
        }
        for (const [ns, set] of refs) {
            const known = [...set].filter((r) => !r.includes("(computed)"));
            if (known.length > 1)
                report(
                    `Open WebUI workloads in namespace '${ns}' read WEBUI_SECRET_KEY from different Secrets (${known.join(", ")}); they must share one key.`,
                );
        }
    },
});

export const haMigrations = stackRule({
    name: "owui-ha-migrations-disabled-on-replicas",
    description:
        "Serving Open WebUI Deployments/StatefulSets with more than one replica must set ENABLE_DB_MIGRATIONS=false (migrations run once, in a dedicated Job or a single primary).",
    remediation:
        "Set ENABLE_DB_MIGRATIONS=false on the scaled workload and run migrations from one process (e.g. a pre-upgrade Job with ENABLE_DB_MIGRATIONS=true).",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["ha"],
    configSchema: imagePatternSchema,
    validateStack: (args, report) => {
        for (const w of findOwuiWorkloads(args.resources, patternOf(args))) {
            if (w.type !== TYPES.deployment && w.type !== TYPES.statefulSet && w.type !== TYPES.replicaSet) continue;
            const scaled = (w.replicas !== undefined && w.replicas > 1) || (w.hpaMax !== undefined && w.hpaMax > 1);
            if (!scaled) continue;
            for (const { env } of w.containers) {
                const src = env.vars.get("ENABLE_DB_MIGRATIONS");
                if (!src) {
                    if (!has(env, "ENABLE_DB_MIGRATIONS"))
                        report(
                            `${describe(w)}: ENABLE_DB_MIGRATIONS is not set (defaults to true): every replica runs migrations at start-up.`,
                            w.resource.urn,
                        );
                    continue;
                }
                const v = plainValue(src);
                if (v.known && String(v.value).toLowerCase() !== "false")
                    report(`${describe(w)}: ENABLE_DB_MIGRATIONS=${JSON.stringify(v.value)}; must be "false" on scaled replicas.`, w.resource.urn);
            }
        }
    },
});

function probePath(p: Json): string | undefined {
    const path = get(p, "httpGet", "path");
    return typeof path === "string" ? path : undefined;
}

export const haProbes = stackRule({
    name: "owui-ha-health-probes",
    description: "Multi-process Open WebUI containers need a liveness or startup probe on /health and a readiness probe on /health or /health/db.",
    remediation: "Add startupProbe/livenessProbe httpGet /health on port 8080 and readinessProbe httpGet /health/db.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["ha"],
    configSchema: imagePatternSchema,
    validateStack: forHaWorkloads((w, { container }, report) => {
        if (!SERVING_TYPES.has(w.type)) return;
        const problems: string[] = [];
        const live = [probePath(container.livenessProbe), probePath(container.startupProbe)];
        if (!live.includes("/health")) problems.push(`no liveness/startup probe on /health (got ${JSON.stringify(live.filter((p) => p !== undefined))})`);
        const ready = probePath(container.readinessProbe);
        if (ready !== "/health" && ready !== "/health/db")
            problems.push(`readiness probe ${ready === undefined ? "missing" : `on ${JSON.stringify(ready)}`} (need /health or /health/db)`);
        if (problems.length) report(`${describe(w)} container '${container.name}': ${problems.join("; ")}.`);
    }),
});

function selectorMatches(selector: Json, labels: Record<string, Json>): boolean | undefined {
    const sel = raw(selector);
    if (!sel || isUnknown(sel)) return undefined;
    const ml = sel.matchLabels;
    const me = arr(sel.matchExpressions);
    if (isUnknown(ml)) return undefined;
    if ((!ml || Object.keys(ml).length === 0) && me.length === 0) return false; // empty selector matches all pods in policy/v1 but is never intended here
    for (const [k, v] of Object.entries(ml ?? {})) {
        if (isUnknown(v)) return undefined;
        if (labels[k] !== v) return false;
    }
    for (const e of me) {
        const val = labels[e.key];
        const values = arr(e.values);
        switch (e.operator) {
            case "In":
                if (!values.includes(val)) return false;
                break;
            case "NotIn":
                if (values.includes(val)) return false;
                break;
            case "Exists":
                if (val === undefined) return false;
                break;
            case "DoesNotExist":
                if (val !== undefined) return false;
                break;
        }
    }
    return true;
}

export const haPdb = stackRule({
    name: "owui-ha-pod-disruption-budget",
    description: "A multi-replica Open WebUI workload must be covered by a PodDisruptionBudget in its namespace, so node drains keep it serving.",
    remediation: "Create a policy/v1 PodDisruptionBudget (e.g. maxUnavailable: 1) whose selector matches the Open WebUI pod labels.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["ha"],
    configSchema: imagePatternSchema,
    validateStack: (args, report) => {
        const pdbs = args.resources.filter((r) => r.type === TYPES.pdb);
        for (const w of findOwuiWorkloads(args.resources, patternOf(args))) {
            if (!SERVING_TYPES.has(w.type) || w.type === TYPES.pod) continue;
            const scaled = (w.replicas !== undefined && w.replicas > 1) || (w.hpaMax !== undefined && w.hpaMax > 1);
            if (!scaled) continue;
            const covered = pdbs.some((p) => {
                const pp = raw(p.props);
                if (workloadNamespace(pp) !== w.namespace) return false;
                const m = selectorMatches(get(pp, "spec", "selector"), w.podLabels ?? {});
                return m === true || (m === undefined && dependsOn(p, w.resource));
            });
            if (!covered) report(`${describe(w)} has no PodDisruptionBudget selecting its pods (labels ${JSON.stringify(w.podLabels)}).`, w.resource.urn);
        }
    },
});
