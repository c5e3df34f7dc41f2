// The policies of the `openwebui-ha` CrossGuard pack, kept apart from `index.ts` (whose
// `new PolicyPack(...)` starts a gRPC server) so tests and the offline `plan` command can
// run them through the same validateResource/validateStack code path.
//
// Rules look at RAW resource types (Kubernetes objects, cloud resources), never at the
// OpenWebUiCluster component, so a hand-rolled Open WebUI deployment is checked too.
// Property shapes are the ones Pulumi sends to analyzers: resource inputs (camelCase for
// aws/gcp/azure-native) and Kubernetes objects as apiVersion/kind/metadata/spec.
//
// Values the engine does not know during preview arrive as "unknown" sentinels; reading
// them through the policy SDK's proxy throws. The rules read the raw objects (`raw()`) and
// treat an unknown value as "cannot be judged now", never as a violation, except where the
// shape alone is the problem (a literal `value:` for a secret env var is a leak whatever it is).
import type {
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";

/** Resource type tokens the rules look at (asserted against each SDK's `__pulumiType` in tests). */
export const TYPES = {
    // Kubernetes
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    replicaSet: "kubernetes:apps/v1:ReplicaSet",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    job: "kubernetes:batch/v1:Job",
    cronJob: "kubernetes:batch/v1:CronJob",
    pod: "kubernetes:core/v1:Pod",
    service: "kubernetes:core/v1:Service",
    configMap: "kubernetes:core/v1:ConfigMap",
    secret: "kubernetes:core/v1:Secret",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    hpaV1: "kubernetes:autoscaling/v1:HorizontalPodAutoscaler",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    // AWS
    rdsCluster: "aws:rds/cluster:Cluster",
    rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    rdsInstance: "aws:rds/instance:Instance",
    rdsClusterParameterGroup: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    rdsParameterGroup: "aws:rds/parameterGroup:ParameterGroup",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    securityGroupIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    elasticacheReplicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    s3Bucket: "aws:s3/bucket:Bucket",
    s3BucketV2: "aws:s3/bucketV2:BucketV2",
    s3PublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    s3BucketAcl: "aws:s3/bucketAcl:BucketAcl",
    s3BucketAclV2: "aws:s3/bucketAclV2:BucketAclV2",
    iamAccessKey: "aws:iam/accessKey:AccessKey",
    // GCP
    sqlInstance: "gcp:sql/databaseInstance:DatabaseInstance",
    memorystoreInstance: "gcp:redis/instance:Instance",
    memorystoreCluster: "gcp:redis/cluster:Cluster",
    gcsBucket: "gcp:storage/bucket:Bucket",
    gcsBucketIamMember: "gcp:storage/bucketIAMMember:BucketIAMMember",
    gcsBucketIamBinding: "gcp:storage/bucketIAMBinding:BucketIAMBinding",
    gcpServiceAccountKey: "gcp:serviceaccount/key:Key",
    // Azure
    pgFlexibleServer: "azure-native:dbforpostgresql:Server",
    pgConfiguration: "azure-native:dbforpostgresql:Configuration",
    pgFirewallRule: "azure-native:dbforpostgresql:FirewallRule",
    redisEnterprise: "azure-native:redisenterprise:RedisEnterprise",
    redisEnterpriseDatabase: "azure-native:redisenterprise:Database",
    azureCacheRedis: "azure-native:redis:Redis",
    storageAccount: "azure-native:storage:StorageAccount",
    blobContainer: "azure-native:storage:BlobContainer",
    lockByScope: "azure-native:authorization:ManagementLockByScope",
    lockAtResourceLevel: "azure-native:authorization:ManagementLockAtResourceLevel",
    lockAtResourceGroupLevel: "azure-native:authorization:ManagementLockAtResourceGroupLevel",
} as const;

// ---------------------------------------------------------------------------------------------
// Unknown values and raw access
// ---------------------------------------------------------------------------------------------

/** The sentinels the engine (and @pulumi/policy) use for values unknown during preview. */
export const UNKNOWN_SENTINELS = new Set<string>([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string (also the plain RPC unknown)
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

export function isUnknown(v: unknown): boolean {
    return typeof v === "string" && UNKNOWN_SENTINELS.has(v);
}

/** Strips the policy SDK's unknown-checking proxy so rules can test for unknowns themselves. */
export function raw<T = any>(v: T): T {
    if (v && typeof v === "object" && (v as any).__isSpecialProxy === true) return (v as any).__getSpecialProxyTarget;
    return v;
}

const get = (o: any, ...path: (string | number)[]): any => {
    let cur = raw(o);
    for (const p of path) {
        if (cur === undefined || cur === null || isUnknown(cur) || typeof cur !== "object") return isUnknown(cur) ? cur : undefined;
        cur = cur[p];
    }
    return cur;
};

const arr = (v: any): any[] => (Array.isArray(v) ? v : []);
/** `true` or a value that cannot be known yet. */
const isTrueOrUnknown = (v: any): boolean => v === true || isUnknown(v);

// ---------------------------------------------------------------------------------------------
// Kubernetes workload helpers
// ---------------------------------------------------------------------------------------------

const WORKLOAD_TYPES = new Set<string>([TYPES.deployment, TYPES.statefulSet, TYPES.replicaSet, TYPES.daemonSet, TYPES.job, TYPES.cronJob, TYPES.pod]);
const SERVING_TYPES = new Set<string>([TYPES.deployment, TYPES.statefulSet, TYPES.replicaSet, TYPES.pod]);

/** Pod spec of a workload object, or undefined. */
export function podSpecOf(type: string, props: any): any {
    switch (type) {
        case TYPES.pod:
            return get(props, "spec");
        case TYPES.cronJob:
            return get(props, "spec", "jobTemplate", "spec", "template", "spec");
        default:
            return WORKLOAD_TYPES.has(type) ? get(props, "spec", "template", "spec") : undefined;
    }
}

function podLabelsOf(type: string, props: any): Record<string, any> {
    if (type === TYPES.pod) return get(props, "metadata", "labels") ?? {};
    if (type === TYPES.cronJob) return get(props, "spec", "jobTemplate", "spec", "template", "metadata", "labels") ?? {};
    return get(props, "spec", "template", "metadata", "labels") ?? {};
}

function containersOf(podSpec: any, includeInit = true): any[] {
    if (!podSpec || typeof podSpec !== "object" || isUnknown(podSpec)) return [];
    const main = arr(podSpec.containers);
    return includeInit ? [...arr(podSpec.initContainers), ...main] : main;
}

/** The default image pattern that identifies Open WebUI (configurable per policy as `imagePattern`). */
export const OPEN_WEBUI_IMAGE_PATTERN = "open-webui";

/**
 * An image is Open WebUI when the image name (last path segment, without tag or digest)
 * contains the pattern: `ghcr.io/open-webui/open-webui:v0.12.4`, `mirror.corp/open-webui:1`,
 * but not the organisation's other images (`ghcr.io/open-webui/pipelines`, `.../mcpo`).
 */
export function isOwuiImage(image: any, pattern = OPEN_WEBUI_IMAGE_PATTERN): boolean {
    if (typeof image !== "string" || isUnknown(image)) return false;
    const withoutDigest = image.split("@")[0];
    const last = withoutDigest.split("/").pop() ?? "";
    const name = last.split(":")[0];
    return name.toLowerCase().includes(pattern.toLowerCase());
}

/** Containers of a pod spec running the Open WebUI image (main containers only). */
export function owuiContainers(podSpec: any, pattern?: string): any[] {
    return containersOf(podSpec, false).filter((c) => isOwuiImage(c?.image, pattern));
}

/** Where an environment variable's value comes from. */
export type EnvSource =
    | { kind: "literal"; value: any }
    | { kind: "secret"; name?: any; key?: any }
    | { kind: "configMap"; name?: any; key?: any; value?: any; known: boolean }
    | { kind: "other" };

export interface EnvView {
    vars: Map<string, EnvSource>;
    /** envFrom sources whose keys cannot be listed (object not in the stack, or keys unknown): any variable may come from them. */
    opaqueSources: string[];
}

function workloadNamespace(props: any): string {
    const ns = get(props, "metadata", "namespace");
    return typeof ns === "string" && !isUnknown(ns) ? ns : "default";
}

function objName(props: any): string | undefined {
    const n = get(props, "metadata", "name");
    return typeof n === "string" && !isUnknown(n) ? n : undefined;
}

/** Index of the stack's ConfigMaps and Secrets, to resolve envFrom / configMapKeyRef. */
export interface StackIndex {
    configMaps: Map<string, { data: any }>;
    secrets: Map<string, { keys: string[] | undefined }>;
}

export function indexStack(resources: PolicyResource[]): StackIndex {
    const idx: StackIndex = { configMaps: new Map(), secrets: new Map() };
    for (const r of resources) {
        const p = raw(r.props);
        const name = objName(p);
        if (!name) continue;
        const key = `${workloadNamespace(p)}/${name}`;
        if (r.type === TYPES.configMap) {
            idx.configMaps.set(key, { data: get(p, "data") });
        } else if (r.type === TYPES.secret) {
            const sd = get(p, "stringData");
            const d = get(p, "data");
            if (isUnknown(sd) || isUnknown(d)) idx.secrets.set(key, { keys: undefined });
            else idx.secrets.set(key, { keys: [...Object.keys(sd ?? {}), ...Object.keys(d ?? {})] });
        }
    }
    return idx;
}

/** Resolves the environment of one container (envFrom first, then env, as Kubernetes does). */
export function envOf(container: any, namespace: string, idx?: StackIndex): EnvView {
    const vars = new Map<string, EnvSource>();
    const opaqueSources: string[] = [];
    for (const ef of arr(raw(container)?.envFrom)) {
        const prefix = typeof ef?.prefix === "string" ? ef.prefix : "";
        const cmName = ef?.configMapRef?.name;
        const secName = ef?.secretRef?.name;
        if (cmName !== undefined) {
            const cm = typeof cmName === "string" && !isUnknown(cmName) ? idx?.configMaps.get(`${namespace}/${cmName}`) : undefined;
            if (!cm || isUnknown(cm.data)) {
                opaqueSources.push(`configMap ${isUnknown(cmName) ? "(computed)" : cmName}`);
                continue;
            }
            for (const [k, v] of Object.entries(cm.data ?? {})) vars.set(prefix + k, { kind: "configMap", name: cmName, key: k, value: v, known: !isUnknown(v) });
        } else if (secName !== undefined) {
            const s = typeof secName === "string" && !isUnknown(secName) ? idx?.secrets.get(`${namespace}/${secName}`) : undefined;
            if (!s || !s.keys) {
                opaqueSources.push(`secret ${isUnknown(secName) ? "(computed)" : secName}`);
                continue;
            }
            for (const k of s.keys) vars.set(prefix + k, { kind: "secret", name: secName, key: k });
        }
    }
    for (const e of arr(raw(container)?.env)) {
        if (!e || typeof e.name !== "string") continue;
        if (e.valueFrom?.secretKeyRef) {
            vars.set(e.name, { kind: "secret", name: e.valueFrom.secretKeyRef.name, key: e.valueFrom.secretKeyRef.key });
        } else if (e.valueFrom?.configMapKeyRef) {
            const ref = e.valueFrom.configMapKeyRef;
            const cm = typeof ref.name === "string" ? idx?.configMaps.get(`${namespace}/${ref.name}`) : undefined;
            const v = cm && !isUnknown(cm.data) ? cm.data?.[ref.key] : undefined;
            vars.set(e.name, { kind: "configMap", name: ref.name, key: ref.key, value: v, known: cm !== undefined && v !== undefined && !isUnknown(v) });
        } else if (e.valueFrom) {
            vars.set(e.name, { kind: "other" });
        } else if ("value" in e) {
            vars.set(e.name, { kind: "literal", value: e.value });
        }
    }
    return { vars, opaqueSources };
}

/** Plain value of a variable when it is known (literal or resolved ConfigMap entry). */
function plainValue(src: EnvSource | undefined): { known: boolean; value?: string } {
    if (!src) return { known: true, value: undefined };
    if (src.kind === "literal") return isUnknown(src.value) ? { known: false } : { known: true, value: src.value === undefined || src.value === null ? "" : String(src.value) };
    if (src.kind === "configMap") return src.known ? { known: true, value: String(src.value) } : { known: false };
    return { known: false };
}

/** An Open WebUI workload found in a stack, with the facts the HA rules need. */
export interface OwuiWorkload {
    resource: PolicyResource;
    type: string;
    name: string;
    namespace: string;
    objectName?: string;
    /** Declared replicas (unknown -> undefined). */
    replicas: number | undefined;
    /** maxReplicas of an HPA targeting it. */
    hpaMax?: number;
    /** UVICORN_WORKERS if > 1. */
    workers: number;
    /** More than one process serves requests. */
    ha: boolean;
    /** Why it counts as HA, for messages. */
    haReason: string;
    containers: { container: any; env: EnvView }[];
    podLabels: Record<string, any>;
}

function numberish(v: any): number | undefined {
    if (typeof v === "number") return v;
    if (typeof v === "string" && /^\d+$/.test(v.trim())) return Number(v.trim());
    return undefined;
}

function dependsOn(r: PolicyResource, target: PolicyResource): boolean {
    if (arr((r as any).dependencies).some((d: PolicyResource) => d === target || d?.urn === target.urn)) return true;
    for (const deps of Object.values((r as any).propertyDependencies ?? {})) {
        if (arr(deps).some((d: PolicyResource) => d === target || d?.urn === target.urn)) return true;
    }
    return false;
}

/** Finds every Open WebUI workload of the stack, with HPA-derived HA facts. */
export function findOwuiWorkloads(resources: PolicyResource[], pattern?: string): OwuiWorkload[] {
    const idx = indexStack(resources);
    const hpas = resources.filter((r) => r.type === TYPES.hpa || r.type === TYPES.hpaV1);
    const out: OwuiWorkload[] = [];
    for (const r of resources) {
        if (!WORKLOAD_TYPES.has(r.type)) continue;
        const props = raw(r.props);
        const podSpec = podSpecOf(r.type, props);
        const owui = owuiContainers(podSpec, pattern);
        if (owui.length === 0) continue;
        const namespace = workloadNamespace(props);
        const objectName = objName(props);
        let replicas: number | undefined;
        if (r.type === TYPES.deployment || r.type === TYPES.statefulSet || r.type === TYPES.replicaSet) {
            const rep = get(props, "spec", "replicas");
            replicas = rep === undefined || rep === null ? (isUnknown(rep) ? undefined : 1) : isUnknown(rep) ? undefined : numberish(rep);
        } else if (r.type === TYPES.pod) {
            replicas = 1;
        } else {
            replicas = undefined; // Jobs/CronJobs/DaemonSets are not scaled by replicas
        }
        let hpaMax: number | undefined;
        for (const h of hpas) {
            const hp = raw(h.props);
            const ref = get(hp, "spec", "scaleTargetRef");
            const kind = get(ref, "kind");
            const targetName = get(ref, "name");
            const sameNs = workloadNamespace(hp) === namespace;
            const byName = objectName !== undefined && targetName === objectName && sameNs && (kind === undefined || isUnknown(kind) || kind === props.kind);
            if (byName || dependsOn(h, r)) {
                const max = numberish(get(hp, "spec", "maxReplicas"));
                if (max !== undefined) hpaMax = Math.max(hpaMax ?? 0, max);
            }
        }
        const containers = owui.map((c) => ({ container: c, env: envOf(c, namespace, idx) }));
        let workers = 1;
        for (const c of containers) {
            const w = plainValue(c.env.vars.get("UVICORN_WORKERS"));
            const n = w.known ? numberish(w.value) : undefined;
            if (n !== undefined) workers = Math.max(workers, n);
        }
        const reasons: string[] = [];
        if (replicas !== undefined && replicas > 1) reasons.push(`replicas=${replicas}`);
        if (hpaMax !== undefined && hpaMax > 1) reasons.push(`HPA maxReplicas=${hpaMax}`);
        if (workers > 1) reasons.push(`UVICORN_WORKERS=${workers}`);
        out.push({
            resource: r,
            type: r.type,
            name: r.name,
            namespace,
            objectName,
            replicas,
            hpaMax,
            workers,
            ha: reasons.length > 0,
            haReason: reasons.join(", "),
            containers,
            podLabels: podLabelsOf(r.type, props),
        });
    }
    return out;
}

function describe(w: OwuiWorkload): string {
    const kind = w.type.split(":").pop();
    return `${kind} '${w.objectName ?? w.name}' (${w.haReason || "single process"})`;
}

// ---------------------------------------------------------------------------------------------
// Rule definitions
// ---------------------------------------------------------------------------------------------

/** Extra metadata every rule of this pack carries. */
interface RuleMeta {
    /** Remediation text (also in `remediationSteps`, the field the Pulumi service shows). */
    remediation: string;
}
export type PackResourcePolicy = ResourceValidationPolicy & RuleMeta & { remediationSteps: string; enforcementLevel: EnforcementLevel };
export type PackStackPolicy = StackValidationPolicy & RuleMeta & { remediationSteps: string; enforcementLevel: EnforcementLevel };
export type PackPolicy = PackResourcePolicy | PackStackPolicy;

const imagePatternSchema = {
    properties: {
        imagePattern: {
            type: "string" as const,
            default: OPEN_WEBUI_IMAGE_PATTERN,
            description: "Substring of the container image that identifies Open WebUI.",
        },
    },
};

function patternOf(args: { getConfig<T extends object>(): T }): string {
    const c = args.getConfig<{ imagePattern?: string }>();
    return c && typeof c.imagePattern === "string" && c.imagePattern !== "" ? c.imagePattern : OPEN_WEBUI_IMAGE_PATTERN;
}

/** Runs `check` for every HA Open WebUI workload and container of the stack. */
function forHaWorkloads(
    check: (w: OwuiWorkload, c: { container: any; env: EnvView }, report: (msg: string) => void) => void,
): (args: StackValidationArgs, report: ReportViolation) => void {
    return (args, report) => {
        for (const w of findOwuiWorkloads(args.resources, patternOf(args))) {
            if (!w.ha) continue;
            for (const c of w.containers) check(w, c, (msg) => report(msg, w.resource.urn));
        }
    };
}

const has = (env: EnvView, name: string): boolean => env.vars.has(name) || env.opaqueSources.length > 0;
const maybeFrom = (env: EnvView): string => (env.opaqueSources.length > 0 ? ` (not found in env nor in ${env.opaqueSources.join(", ")})` : "");

// ---- HA ------------------------------------------------------------------------------------

export const haPostgres: PackStackPolicy = {
    name: "owui-ha-requires-postgres",
    description: "An Open WebUI workload with more than one replica or worker must use PostgreSQL (DATABASE_URL set, not SQLite).",
    remediation: "Set DATABASE_URL to a postgresql:// URL from a Kubernetes Secret (secretKeyRef), or run a single replica with UVICORN_WORKERS=1.",
    remediationSteps: "",
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["ha"],
    configSchema: imagePatternSchema,
    validateStack: forHaWorkloads((w, { env }, report) => {
        const src = env.vars.get("DATABASE_URL");
        if (!src) {
            if (!has(env, "DATABASE_URL")) report(`${describe(w)} runs several processes but DATABASE_URL is not set: it falls back to SQLite ("database is locked", corruption).`);
            return;
        }
        const v = plainValue(src);
        if (v.known && (v.value === "" || /^sqlite/i.test(v.value ?? ""))) {
            report(`${describe(w)} runs several processes on SQLite (DATABASE_URL=${JSON.stringify(redactUrl(v.value ?? ""))}).`);
        }
    }),
};

export const haRedis: PackStackPolicy = {
    name: "owui-ha-requires-redis",
    description: "An Open WebUI workload with more than one replica or worker needs Redis and the redis websocket manager (REDIS_URL, WEBSOCKET_MANAGER=redis, ENABLE_WEBSOCKET_SUPPORT=true).",
    remediation: "Set REDIS_URL (from a Secret), WEBSOCKET_MANAGER=redis and ENABLE_WEBSOCKET_SUPPORT=true on every replica.",
    remediationSteps: "",
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["ha"],
    configSchema: imagePatternSchema,
    validateStack: forHaWorkloads((w, { env }, report) => {
        const missing: string[] = [];
        if (!has(env, "REDIS_URL")) missing.push("REDIS_URL is not set");
        else {
            const v = plainValue(env.vars.get("REDIS_URL"));
            if (v.known && env.vars.has("REDIS_URL") && !/^rediss?:\/\//i.test(v.value ?? "")) missing.push(`REDIS_URL=${JSON.stringify(redactUrl(v.value ?? ""))} is not a redis:// or rediss:// URL`);
        }
        for (const [name, expected] of [["WEBSOCKET_MANAGER", "redis"], ["ENABLE_WEBSOCKET_SUPPORT", "true"]] as const) {
            if (!env.vars.has(name)) {
                if (!has(env, name)) missing.push(`${name} is not set (need ${expected})`);
                continue;
            }
            const v = plainValue(env.vars.get(name));
            if (v.known && String(v.value).toLowerCase() !== expected) missing.push(`${name}=${JSON.stringify(v.value)} (need ${expected})`);
        }
        if (missing.length) report(`${describe(w)}: ${missing.join("; ")}${maybeFrom(env)}.`);
    }),
};

const NON_EMBEDDED_VECTOR_DBS = ["pgvector", "qdrant", "milvus", "opensearch", "elasticsearch", "pinecone", "oracle23ai", "s3vector", "weaviate"];

export const haVectorStore: PackStackPolicy = {
    name: "owui-ha-requires-external-vector-db",
    description: "An Open WebUI workload with more than one replica or worker must not use the embedded Chroma (SQLite) vector store.",
    remediation: "Set VECTOR_DB=pgvector (or qdrant, milvus, opensearch, elasticsearch, pinecone), or VECTOR_DB=chroma with CHROMA_HTTP_HOST pointing at a Chroma server.",
    remediationSteps: "",
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["ha"],
    configSchema: imagePatternSchema,
    validateStack: forHaWorkloads((w, { env }, report) => {
        const src = env.vars.get("VECTOR_DB");
        if (!src) {
            if (!has(env, "VECTOR_DB")) report(`${describe(w)}: VECTOR_DB is not set, so the embedded Chroma (SQLite) is used; it crashes with several processes.`);
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
            report(`${describe(w)}: VECTOR_DB=${JSON.stringify(v.value)} is not a known client/server vector database (${NON_EMBEDDED_VECTOR_DBS.join(", ")}, chroma with CHROMA_HTTP_HOST).`);
        }
    }),
};

export const haSharedSecretKey: PackStackPolicy = {
    name: "owui-ha-shared-secret-key",
    description: "Every replica of a multi-process Open WebUI must read one shared WEBUI_SECRET_KEY from a Kubernetes Secret (not missing, not a literal).",
    remediation: "Generate one random key, store it in a Kubernetes Secret and reference it with valueFrom.secretKeyRef on every Open WebUI workload of the namespace.",
    remediationSteps: "",
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
                    report(`${describe(w)}: WEBUI_SECRET_KEY is not set; each container then writes its own random key (login loops, 401s across replicas)${maybeFrom(env)}.`, w.resource.urn);
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
            if (known.length > 1) report(`Open WebUI workloads in namespace '${ns}' read WEBUI_SECRET_KEY from different Secrets (${known.join(", ")}); they must share one key.`);
        }
    },
};

export const haMigrations: PackStackPolicy = {
    name: "owui-ha-migrations-disabled-on-replicas",
    description: "Serving Open WebUI Deployments/StatefulSets with more than one replica must set ENABLE_DB_MIGRATIONS=false (migrations run once, in a dedicated Job or a single primary).",
    remediation: "Set ENABLE_DB_MIGRATIONS=false on the scaled workload and run migrations from one process (e.g. a pre-upgrade Job with ENABLE_DB_MIGRATIONS=true).",
    remediationSteps: "",
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
                    if (!has(env, "ENABLE_DB_MIGRATIONS")) report(`${describe(w)}: ENABLE_DB_MIGRATIONS is not set (defaults to true): every replica runs migrations at start-up.`, w.resource.urn);
                    continue;
                }
                const v = plainValue(src);
                if (v.known && String(v.value).toLowerCase() !== "false") report(`${describe(w)}: ENABLE_DB_MIGRATIONS=${JSON.stringify(v.value)}; must be "false" on scaled replicas.`, w.resource.urn);
            }
        }
    },
};

function probePath(p: any): string | undefined {
    const path = get(p, "httpGet", "path");
    return typeof path === "string" ? path : undefined;
}

export const haProbes: PackStackPolicy = {
    name: "owui-ha-health-probes",
    description: "Multi-process Open WebUI containers need a liveness or startup probe on /health and a readiness probe on /health or /health/db.",
    remediation: "Add startupProbe/livenessProbe httpGet /health on port 8080 and readinessProbe httpGet /health/db.",
    remediationSteps: "",
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
        if (ready !== "/health" && ready !== "/health/db") problems.push(`readiness probe ${ready === undefined ? "missing" : `on ${JSON.stringify(ready)}`} (need /health or /health/db)`);
        if (problems.length) report(`${describe(w)} container '${container.name}': ${problems.join("; ")}.`);
    }),
};

function selectorMatches(selector: any, labels: Record<string, any>): boolean | undefined {
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
            case "In": if (!values.includes(val)) return false; break;
            case "NotIn": if (values.includes(val)) return false; break;
            case "Exists": if (val === undefined) return false; break;
            case "DoesNotExist": if (val !== undefined) return false; break;
        }
    }
    return true;
}

export const haPdb: PackStackPolicy = {
    name: "owui-ha-pod-disruption-budget",
    description: "A multi-replica Open WebUI workload must be covered by a PodDisruptionBudget in its namespace, so node drains keep it serving.",
    remediation: "Create a policy/v1 PodDisruptionBudget (e.g. maxUnavailable: 1) whose selector matches the Open WebUI pod labels.",
    remediationSteps: "",
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
};

// ---- Security: network exposure ------------------------------------------------------------

const DATA_PORTS = [5432, 6379, 6380, 10000];
const OPEN_CIDRS = new Set(["0.0.0.0/0", "::/0"]);

function coversDataPort(from: any, to: any, protocol: any): number | undefined {
    const proto = typeof protocol === "string" ? protocol.toLowerCase() : protocol;
    if (proto === "-1" || proto === "all" || proto === -1) return DATA_PORTS[0];
    const f = numberish(from);
    const t = numberish(to) ?? f;
    if (f === undefined || t === undefined) return undefined;
    if (f === 0 && t === 0 && proto !== "tcp" && proto !== "6") return undefined;
    return DATA_PORTS.find((p) => p >= f && p <= t);
}

export const noPublicDataStores: PackResourcePolicy = {
    name: "no-public-database-or-redis",
    description: "Postgres and Redis must not be reachable from the internet (RDS publiclyAccessible, security groups open on 5432/6379, Cloud SQL authorized 0.0.0.0/0, Azure public network access, LoadBalancer Services on 5432/6379).",
    remediation: "Keep databases and caches on private networks: publiclyAccessible=false, security-group ingress only from the cluster's security group/CIDR, Cloud SQL private IP without 0.0.0.0/0, Azure publicNetworkAccess=Disabled with private endpoints/VNet integration, ClusterIP Services.",
    remediationSteps: "",
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["security", "network"],
    validateResource: (args, report) => {
        const p = raw(args.props);
        switch (args.type) {
            case TYPES.rdsInstance:
            case TYPES.rdsClusterInstance:
                if (p.publiclyAccessible === true) report(`RDS ${args.type === TYPES.rdsInstance ? "instance" : "cluster instance"} '${args.name}' has publiclyAccessible=true.`);
                return;
            case TYPES.securityGroup:
                for (const rule of arr(p.ingress)) {
                    const cidrs = [...arr(rule?.cidrBlocks), ...arr(rule?.ipv6CidrBlocks)].filter((c) => OPEN_CIDRS.has(c));
                    const port = coversDataPort(rule?.fromPort, rule?.toPort, rule?.protocol);
                    if (cidrs.length && port !== undefined) report(`Security group '${args.name}' allows ${cidrs.join(", ")} on port ${port} (${rule.fromPort}-${rule.toPort}/${rule.protocol}).`);
                }
                return;
            case TYPES.securityGroupRule: {
                if (p.type !== "ingress") return;
                const cidrs = [...arr(p.cidrBlocks), ...arr(p.ipv6CidrBlocks)].filter((c) => OPEN_CIDRS.has(c));
                const port = coversDataPort(p.fromPort, p.toPort, p.protocol);
                if (cidrs.length && port !== undefined) report(`Security group rule '${args.name}' allows ${cidrs.join(", ")} on port ${port}.`);
                return;
            }
            case TYPES.securityGroupIngressRule: {
                const cidr = [p.cidrIpv4, p.cidrIpv6].find((c) => OPEN_CIDRS.has(c));
                const port = coversDataPort(p.fromPort, p.toPort, p.ipProtocol);
                if (cidr && port !== undefined) report(`Security group ingress rule '${args.name}' allows ${cidr} on port ${port}.`);
                return;
            }
            case TYPES.sqlInstance: {
                const ip = get(p, "settings", "ipConfiguration");
                const open = arr(get(ip, "authorizedNetworks")).filter((n) => OPEN_CIDRS.has(n?.value));
                if (get(ip, "ipv4Enabled") === true && open.length) report(`Cloud SQL instance '${args.name}' has a public IPv4 address with authorized network 0.0.0.0/0.`);
                return;
            }
            case TYPES.pgFlexibleServer:
                if (get(p, "network", "publicNetworkAccess") === "Enabled") report(`Azure PostgreSQL server '${args.name}' has network.publicNetworkAccess=Enabled.`);
                return;
            case TYPES.pgFirewallRule:
                if (p.startIpAddress === "0.0.0.0" && (p.endIpAddress === "255.255.255.255" || p.endIpAddress === "0.0.0.0")) {
                    report(`Azure PostgreSQL firewall rule '${args.name}' opens the server to ${p.endIpAddress === "0.0.0.0" ? "all Azure tenants" : "the whole internet"}.`);
                }
                return;
            case TYPES.redisEnterprise:
                if (p.publicNetworkAccess === "Enabled") report(`Azure Managed Redis '${args.name}' has publicNetworkAccess=Enabled.`);
                return;
            case TYPES.azureCacheRedis:
                if (p.publicNetworkAccess === "Enabled" || (p.publicNetworkAccess === undefined && !p.subnetId)) report(`Azure Cache for Redis '${args.name}' is reachable on a public endpoint (publicNetworkAccess ${p.publicNetworkAccess ?? "default Enabled"}).`);
                return;
            case TYPES.service: {
                const type = get(p, "spec", "type");
                if (type !== "LoadBalancer" && type !== "NodePort") return;
                const ports = arr(get(p, "spec", "ports")).filter((sp) => [sp?.port, sp?.targetPort].some((x) => [5432, 6379, 6380].includes(numberish(x) ?? -1)));
                if (ports.length) report(`Service '${objName(p) ?? args.name}' is type ${type} on port ${ports.map((x) => x.port).join(", ")} (Postgres/Redis); use ClusterIP.`);
                return;
            }
        }
    },
};

// ---- Security: encryption ------------------------------------------------------------------

const isPostgresFamily = (f: any): boolean => typeof f === "string" && /^(aurora-postgresql|postgres)/.test(f);

export const postgresEncryption: PackResourcePolicy = {
    name: "postgres-encryption-at-rest-and-in-transit",
    description: "Postgres must encrypt storage and refuse clear-text connections (RDS storageEncrypted + rds.force_ssl=1; Cloud SQL sslMode ENCRYPTED_ONLY/TRUSTED_CLIENT_CERTIFICATE_REQUIRED; Azure require_secure_transport on).",
    remediation: "AWS: storageEncrypted=true and a (cluster) parameter group with rds.force_ssl=1. GCP: settings.ipConfiguration.sslMode=ENCRYPTED_ONLY. Azure: keep require_secure_transport=ON.",
    remediationSteps: "",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["security", "encryption"],
    validateResource: (args, report) => {
        const p = raw(args.props);
        switch (args.type) {
            case TYPES.rdsCluster:
                if (!isTrueOrUnknown(p.storageEncrypted)) report(`RDS cluster '${args.name}' has storageEncrypted=${p.storageEncrypted}; set it to true.`);
                if (typeof p.engine === "string" && p.engine.startsWith("aurora-postgresql") && p.dbClusterParameterGroupName === undefined) {
                    report(`Aurora PostgreSQL cluster '${args.name}' uses the default cluster parameter group: rds.force_ssl is not enforced; attach a parameter group with rds.force_ssl=1.`);
                }
                return;
            case TYPES.rdsInstance:
                if (!isTrueOrUnknown(p.storageEncrypted)) report(`RDS instance '${args.name}' has storageEncrypted=${p.storageEncrypted}; set it to true.`);
                if (p.engine === "postgres" && p.parameterGroupName === undefined && (numberish(String(p.engineVersion ?? "").split(".")[0]) ?? 0) < 15) {
                    report(`RDS PostgreSQL instance '${args.name}' (version ${p.engineVersion ?? "default"}) uses the default parameter group: rds.force_ssl is not enforced.`);
                }
                return;
            case TYPES.rdsClusterParameterGroup:
            case TYPES.rdsParameterGroup: {
                if (!isPostgresFamily(p.family)) return;
                // On Aurora, rds.force_ssl is a cluster-level parameter: an instance parameter group
                // (family aurora-postgresql*, e.g. for max_connections) cannot carry it; the cluster
                // group is checked instead.
                if (args.type === TYPES.rdsParameterGroup && String(p.family).startsWith("aurora-postgresql")) return;
                const params = arr(p.parameters);
                if (isUnknown(p.parameters)) return;
                const force = params.find((x) => x?.name === "rds.force_ssl");
                if (!force) report(`Parameter group '${args.name}' (${p.family}) does not set rds.force_ssl=1.`);
                else if (!isUnknown(force.value) && String(force.value) !== "1") report(`Parameter group '${args.name}' sets rds.force_ssl=${force.value}; must be 1.`);
                return;
            }
            case TYPES.sqlInstance: {
                const mode = get(p, "settings", "ipConfiguration", "sslMode");
                if (isUnknown(mode)) return;
                if (mode !== "ENCRYPTED_ONLY" && mode !== "TRUSTED_CLIENT_CERTIFICATE_REQUIRED") {
                    report(`Cloud SQL instance '${args.name}' has settings.ipConfiguration.sslMode=${mode ?? "unset (ALLOW_UNENCRYPTED_AND_ENCRYPTED)"}.`);
                }
                return;
            }
            case TYPES.pgConfiguration: {
                const name = String(p.configurationName ?? "").toLowerCase();
                if (name !== "require_secure_transport") return;
                if (typeof p.value === "string" && ["off", "0", "false"].includes(p.value.toLowerCase())) report(`Azure PostgreSQL configuration '${args.name}' turns require_secure_transport off.`);
                return;
            }
            case TYPES.pgFlexibleServer: {
                const enc = get(p, "dataEncryption", "type");
                if (enc !== undefined && !isUnknown(enc) && enc !== "SystemManaged" && enc !== "AzureKeyVault") report(`Azure PostgreSQL server '${args.name}' has dataEncryption.type=${enc}.`);
                return;
            }
        }
    },
};

export const redisEncryption: PackResourcePolicy = {
    name: "redis-encryption-at-rest-and-in-transit",
    description: "Redis must use TLS (and encryption at rest where the service offers it): ElastiCache atRestEncryptionEnabled + transitEncryptionEnabled; Memorystore SERVER_AUTHENTICATION; Azure Managed Redis clientProtocol Encrypted and TLS >= 1.2.",
    remediation: "AWS: atRestEncryptionEnabled=true, transitEncryptionEnabled=true (mode required). GCP: transitEncryptionMode=SERVER_AUTHENTICATION (instance) / TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION (cluster). Azure: clientProtocol=Encrypted, minimumTlsVersion=1.2, no non-TLS port.",
    remediationSteps: "",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["security", "encryption"],
    validateResource: (args, report) => {
        const p = raw(args.props);
        switch (args.type) {
            case TYPES.elasticacheReplicationGroup:
                if (!isTrueOrUnknown(p.atRestEncryptionEnabled)) report(`ElastiCache replication group '${args.name}' has atRestEncryptionEnabled=${p.atRestEncryptionEnabled}.`);
                if (!isTrueOrUnknown(p.transitEncryptionEnabled)) report(`ElastiCache replication group '${args.name}' has transitEncryptionEnabled=${p.transitEncryptionEnabled}.`);
                else if (p.transitEncryptionMode === "preferred") report(`ElastiCache replication group '${args.name}' has transitEncryptionMode=preferred (clear text still accepted); use required.`);
                return;
            case TYPES.memorystoreInstance:
                if (!isUnknown(p.transitEncryptionMode) && p.transitEncryptionMode !== "SERVER_AUTHENTICATION") report(`Memorystore instance '${args.name}' has transitEncryptionMode=${p.transitEncryptionMode ?? "unset (DISABLED)"}.`);
                return;
            case TYPES.memorystoreCluster:
                if (!isUnknown(p.transitEncryptionMode) && p.transitEncryptionMode !== "TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION") report(`Memorystore cluster '${args.name}' has transitEncryptionMode=${p.transitEncryptionMode ?? "unset (DISABLED)"}.`);
                return;
            case TYPES.redisEnterpriseDatabase:
                if (p.clientProtocol === "Plaintext") report(`Azure Managed Redis database '${args.name}' has clientProtocol=Plaintext.`);
                return;
            case TYPES.redisEnterprise:
                if (typeof p.minimumTlsVersion === "string" && !isUnknown(p.minimumTlsVersion) && Number(p.minimumTlsVersion) < 1.2) report(`Azure Managed Redis '${args.name}' allows TLS ${p.minimumTlsVersion}; set minimumTlsVersion=1.2.`);
                return;
            case TYPES.azureCacheRedis:
                if (p.enableNonSslPort === true) report(`Azure Cache for Redis '${args.name}' enables the non-TLS port.`);
                if (typeof p.minimumTlsVersion === "string" && Number(p.minimumTlsVersion) < 1.2) report(`Azure Cache for Redis '${args.name}' allows TLS ${p.minimumTlsVersion}.`);
                return;
        }
    },
};

const PUBLIC_ACLS = new Set(["public-read", "public-read-write", "authenticated-read"]);

export const bucketSecurity: PackResourcePolicy = {
    name: "object-storage-private-and-encrypted",
    description: "Upload buckets must be private and reached over TLS: S3 public access block all true and no public ACL; GCS publicAccessPrevention=enforced with uniform access and no allUsers grants; Azure allowBlobPublicAccess=false, HTTPS only, private containers.",
    remediation: "AWS: BucketPublicAccessBlock with all four flags true, no public-read ACL. GCP: publicAccessPrevention=\"enforced\", uniformBucketLevelAccess=true. Azure: allowBlobPublicAccess=false, enableHttpsTrafficOnly=true, containers with publicAccess None.",
    remediationSteps: "",
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["security", "storage"],
    validateResource: (args, report) => {
        const p = raw(args.props);
        switch (args.type) {
            case TYPES.s3PublicAccessBlock: {
                const off = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].filter((k) => !isTrueOrUnknown(p[k]));
                if (off.length) report(`S3 public access block '${args.name}' does not set ${off.join(", ")} to true.`);
                return;
            }
            case TYPES.s3Bucket:
            case TYPES.s3BucketV2:
            case TYPES.s3BucketAcl:
            case TYPES.s3BucketAclV2:
                if (PUBLIC_ACLS.has(p.acl)) report(`S3 ${args.type.split(":").pop()} '${args.name}' has acl=${p.acl}.`);
                for (const g of arr(get(p, "accessControlPolicy", "grants"))) {
                    const uri = g?.grantee?.uri;
                    if (typeof uri === "string" && /AllUsers|AuthenticatedUsers/.test(uri)) report(`S3 ${args.type.split(":").pop()} '${args.name}' grants ${g.permission} to ${uri}.`);
                }
                return;
            case TYPES.gcsBucket:
                if (!isUnknown(p.publicAccessPrevention) && p.publicAccessPrevention !== "enforced") report(`GCS bucket '${args.name}' has publicAccessPrevention=${p.publicAccessPrevention ?? "unset (inherited)"}; set "enforced".`);
                if (!isTrueOrUnknown(p.uniformBucketLevelAccess)) report(`GCS bucket '${args.name}' has uniformBucketLevelAccess=${p.uniformBucketLevelAccess}; set true.`);
                return;
            case TYPES.gcsBucketIamMember:
            case TYPES.gcsBucketIamBinding: {
                const members = [p.member, ...arr(p.members)].filter((m) => m === "allUsers" || m === "allAuthenticatedUsers");
                if (members.length) report(`GCS IAM ${args.type.split(":").pop()} '${args.name}' grants ${p.role} to ${members.join(", ")}.`);
                return;
            }
            case TYPES.storageAccount:
                if (p.allowBlobPublicAccess !== false && !isUnknown(p.allowBlobPublicAccess)) report(`Storage account '${args.name}' has allowBlobPublicAccess=${p.allowBlobPublicAccess}; set false explicitly.`);
                if (p.enableHttpsTrafficOnly === false) report(`Storage account '${args.name}' has enableHttpsTrafficOnly=false.`);
                if (typeof p.minimumTlsVersion === "string" && /TLS1_[01]$/.test(p.minimumTlsVersion)) report(`Storage account '${args.name}' allows ${p.minimumTlsVersion}.`);
                return;
            case TYPES.blobContainer:
                if (p.publicAccess === "Blob" || p.publicAccess === "Container") report(`Blob container '${args.name}' has publicAccess=${p.publicAccess}.`);
                return;
        }
    },
};

export const s3PublicAccessBlockPresent: PackStackPolicy = {
    name: "s3-bucket-has-public-access-block",
    description: "Every S3 bucket of the stack needs its own BucketPublicAccessBlock (all four flags true).",
    remediation: "Create an aws.s3.BucketPublicAccessBlock with bucket=<bucket>.id and blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true.",
    remediationSteps: "",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["security", "storage"],
    validateStack: (args, report) => {
        const blocks = args.resources.filter((r) => r.type === TYPES.s3PublicAccessBlock);
        for (const b of args.resources.filter((r) => r.type === TYPES.s3Bucket || r.type === TYPES.s3BucketV2)) {
            const bp = raw(b.props);
            const ids = [bp.id, bp.bucket].filter((x) => typeof x === "string" && !isUnknown(x));
            const found = blocks.some((pab) => {
                const target = raw(pab.props).bucket;
                if (typeof target === "string" && ids.includes(target)) return true;
                const deps = (pab as any).propertyDependencies?.bucket;
                return arr(deps).some((d: PolicyResource) => d === b || d?.urn === b.urn);
            });
            if (!found) report(`S3 bucket '${b.name}' has no BucketPublicAccessBlock.`, b.urn);
        }
    },
};

// ---- Security: secrets and identity ---------------------------------------------------------

/** Env vars that must never be a literal `value` in a pod spec (or a ConfigMap). */
export const SECRET_ENV_NAMES = [
    "WEBUI_SECRET_KEY",
    "S3_SECRET_ACCESS_KEY",
    "AZURE_STORAGE_KEY",
    "GOOGLE_APPLICATION_CREDENTIALS_JSON",
    "OAUTH_CLIENT_SECRET",
    "OPENAI_API_KEY",
    "OPENAI_API_KEYS",
    "PINECONE_API_KEY",
    "QDRANT_API_KEY",
    "OAUTH_SESSION_TOKEN_ENCRYPTION_KEY",
    "OAUTH_CLIENT_INFO_ENCRYPTION_KEY",
];
/** Env vars holding URLs that are secret only when they embed a password. */
export const URL_ENV_NAMES = ["DATABASE_URL", "PGVECTOR_DB_URL", "REDIS_URL", "WEBSOCKET_REDIS_URL"];

function urlHasPassword(v: string): boolean {
    return /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]+@/i.test(v);
}

function redactUrl(v: string): string {
    return v.replace(/(:\/\/[^/@:\s]*:)[^/@\s]+@/, "$1***@");
}

function literalSecretProblems(name: string, value: any): string | undefined {
    if (SECRET_ENV_NAMES.includes(name)) {
        if (value === undefined || value === null || value === "") return undefined;
        return `${name} is a literal value`;
    }
    if (URL_ENV_NAMES.includes(name)) {
        if (isUnknown(value)) return `${name} is a literal computed value (a URL built from outputs usually embeds the password)`;
        if (typeof value === "string" && urlHasPassword(value)) return `${name} is a literal URL with a password (${redactUrl(value)})`;
    }
    return undefined;
}

export const noLiteralSecrets: PackResourcePolicy = {
    name: "no-literal-secrets-in-pod-env",
    description: "Secrets (WEBUI_SECRET_KEY, storage keys, OAuth/OpenAI keys, URLs with passwords) must reach pods through Kubernetes Secrets (secretKeyRef/envFrom secretRef), never as a literal env `value` or a ConfigMap entry.",
    remediation: "Store the value in a Kubernetes Secret (from a Pulumi secret) and use valueFrom.secretKeyRef; prefer workload identity over storage keys.",
    remediationSteps: "",
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["security", "secrets"],
    validateResource: (args, report) => {
        const p = raw(args.props);
        if (args.type === TYPES.configMap) {
            const data = get(p, "data");
            if (!data || isUnknown(data)) return;
            for (const [k, v] of Object.entries(data)) {
                const prob = literalSecretProblems(k, v);
                if (prob) report(`ConfigMap '${objName(p) ?? args.name}': ${prob.replace("a literal", "stored in a ConfigMap as a")}.`);
            }
            return;
        }
        const podSpec = podSpecOf(args.type, p);
        for (const c of containersOf(podSpec)) {
            for (const e of arr(c?.env)) {
                if (!e || typeof e.name !== "string" || e.valueFrom || !("value" in e)) continue;
                const prob = literalSecretProblems(e.name, e.value);
                if (prob) report(`${args.type.split(":").pop()} '${objName(p) ?? args.name}' container '${c.name}': ${prob}.`);
            }
        }
    },
};

const STATIC_KEY_ENV = ["S3_SECRET_ACCESS_KEY", "AZURE_STORAGE_KEY", "GOOGLE_APPLICATION_CREDENTIALS_JSON"];

export const noStaticStorageKeys: PackResourcePolicy = {
    name: "no-static-cloud-storage-keys",
    description: "Open WebUI should reach object storage through workload identity (IRSA/Pod Identity, GKE Workload Identity, AKS Workload Identity), not long-lived keys, even from a Secret; no IAM access keys or service-account keys in the stack.",
    remediation: "Remove S3_SECRET_ACCESS_KEY / AZURE_STORAGE_KEY / GOOGLE_APPLICATION_CREDENTIALS_JSON and bind the pod's ServiceAccount to a cloud identity scoped to the bucket. (S3-compatible in-cluster stores without identity are the exception: set this policy to disabled there.)",
    remediationSteps: "",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["security", "identity"],
    validateResource: (args, report) => {
        if (args.type === TYPES.iamAccessKey) return report(`IAM access key '${args.name}' creates a long-lived AWS key.`);
        if (args.type === TYPES.gcpServiceAccountKey) return report(`Service account key '${args.name}' creates a long-lived GCP key.`);
        const p = raw(args.props);
        const podSpec = podSpecOf(args.type, p);
        for (const c of containersOf(podSpec)) {
            for (const e of arr(c?.env)) {
                if (e && STATIC_KEY_ENV.includes(e.name)) report(`${args.type.split(":").pop()} '${objName(p) ?? args.name}' container '${c.name}' uses a static storage key (${e.name}).`);
            }
        }
    },
};

export const nonRootPods: PackResourcePolicy = {
    name: "owui-pods-non-root",
    description: "Open WebUI pods must run as non-root (runAsNonRoot=true) with allowPrivilegeEscalation=false on every container.",
    remediation: "Set pod securityContext.runAsNonRoot=true (and runAsUser/fsGroup), container securityContext.allowPrivilegeEscalation=false, capabilities drop ALL; give the data/static/cache directories writable volumes and set WEBUI_SECRET_KEY.",
    remediationSteps: "",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["security", "pod-security"],
    configSchema: imagePatternSchema,
    validateResource: (args, report) => {
        if (!WORKLOAD_TYPES.has(args.type)) return;
        const p = raw(args.props);
        const podSpec = podSpecOf(args.type, p);
        if (owuiContainers(podSpec, patternOf(args)).length === 0) return;
        const label = `${args.type.split(":").pop()} '${objName(p) ?? args.name}'`;
        const podNonRoot = get(podSpec, "securityContext", "runAsNonRoot");
        for (const c of containersOf(podSpec)) {
            const nonRoot = c?.securityContext?.runAsNonRoot ?? podNonRoot;
            if (!isTrueOrUnknown(nonRoot)) report(`${label} container '${c.name}' may run as root (runAsNonRoot=${nonRoot}).`);
            const esc = c?.securityContext?.allowPrivilegeEscalation;
            if (esc !== false && !isUnknown(esc)) report(`${label} container '${c.name}' has allowPrivilegeEscalation=${esc} (must be false).`);
        }
    },
};

// ---- Durability ------------------------------------------------------------------------------

function lockLevelOk(level: any): boolean {
    return level === "CanNotDelete" || level === "ReadOnly" || isUnknown(level);
}

export const databaseDeletionProtection: PackStackPolicy = {
    name: "database-deletion-protection",
    description: "The Open WebUI database must be protected from deletion: RDS/Aurora deletionProtection, Cloud SQL deletionProtection/settings.deletionProtectionEnabled, a CanNotDelete management lock on the Azure PostgreSQL server.",
    remediation: "AWS: deletionProtection=true. GCP: keep deletionProtection (default true) and set settings.deletionProtectionEnabled=true. Azure: add a ManagementLockByScope (level CanNotDelete) scoped to the server.",
    remediationSteps: "",
    enforcementLevel: "advisory",
    severity: "high",
    tags: ["durability"],
    validateStack: (args, report) => {
        const locks = args.resources.filter((r) => r.type === TYPES.lockByScope || r.type === TYPES.lockAtResourceLevel || r.type === TYPES.lockAtResourceGroupLevel);
        for (const r of args.resources) {
            const p = raw(r.props);
            switch (r.type) {
                case TYPES.rdsCluster:
                case TYPES.rdsInstance:
                    if (!isTrueOrUnknown(p.deletionProtection)) report(`${r.type === TYPES.rdsCluster ? "RDS cluster" : "RDS instance"} '${r.name}' has deletionProtection=${p.deletionProtection}.`, r.urn);
                    break;
                case TYPES.sqlInstance: {
                    const inGcp = get(p, "settings", "deletionProtectionEnabled");
                    if (p.deletionProtection === false && inGcp !== true && !isUnknown(inGcp)) report(`Cloud SQL instance '${r.name}' has deletionProtection=false and settings.deletionProtectionEnabled=${inGcp}.`, r.urn);
                    break;
                }
                case TYPES.pgFlexibleServer: {
                    const serverName = p.serverName;
                    const rg = p.resourceGroupName;
                    const locked = locks.some((l) => {
                        const lp = raw(l.props);
                        if (!lockLevelOk(lp.level)) return false;
                        if (dependsOn(l, r) && l.type !== TYPES.lockAtResourceGroupLevel) return true;
                        if (l.type === TYPES.lockByScope) return typeof lp.scope === "string" && typeof serverName === "string" && /flexibleServers\//i.test(lp.scope) && lp.scope.toLowerCase().endsWith(`/${serverName.toLowerCase()}`);
                        if (l.type === TYPES.lockAtResourceLevel) return lp.resourceName === serverName && serverName !== undefined && /flexibleServers/i.test(String(lp.resourceType));
                        return typeof rg === "string" && lp.resourceGroupName === rg;
                    });
                    if (!locked) report(`Azure PostgreSQL server '${r.name}' has no CanNotDelete management lock in the stack.`, r.urn);
                    break;
                }
            }
        }
    },
};

// ---------------------------------------------------------------------------------------------

/** Every policy of the pack, in report order. */
export const policies: PackPolicy[] = [
    haPostgres,
    haRedis,
    haVectorStore,
    haSharedSecretKey,
    haMigrations,
    haProbes,
    haPdb,
    noPublicDataStores,
    postgresEncryption,
    redisEncryption,
    bucketSecurity,
    s3PublicAccessBlockPresent,
    noLiteralSecrets,
    noStaticStorageKeys,
    nonRootPods,
    databaseDeletionProtection,
];
for (const p of policies) p.remediationSteps = p.remediation;

export const POLICY_PACK_NAME = "openwebui-ha";

export function isStackPolicy(p: PackPolicy): p is PackStackPolicy {
    return typeof (p as PackStackPolicy).validateStack === "function";
}

export type { ResourceValidationArgs, StackValidationArgs };
