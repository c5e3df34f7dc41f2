// Pods and secrets rules: no literal secrets in pod env, no static cloud storage keys, non-root pods.
import { TYPES, isUnknown, raw, get, arr, isTrueOrUnknown, resourceRule, type Json } from "./shape";
import { WORKLOAD_TYPES, podSpecOf, containersOf, owuiContainers, objName, imagePatternSchema, patternOf, redactUrl, urlHasPassword } from "./workloads";

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

function literalSecretProblems(name: string, value: Json): string | undefined {
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

export const noLiteralSecrets = resourceRule({
    name: "no-literal-secrets-in-pod-env",
    description:
        "Secrets (WEBUI_SECRET_KEY, storage keys, OAuth/OpenAI keys, URLs with passwords) must reach pods through Kubernetes Secrets (secretKeyRef/envFrom secretRef), never as a literal env `value` or a ConfigMap entry.",
    remediation: "Store the value in a Kubernetes Secret (from a Pulumi secret) and use valueFrom.secretKeyRef; prefer workload identity over storage keys.",
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
});

const STATIC_KEY_ENV = ["S3_SECRET_ACCESS_KEY", "AZURE_STORAGE_KEY", "GOOGLE_APPLICATION_CREDENTIALS_JSON"];

export const noStaticStorageKeys = resourceRule({
    name: "no-static-cloud-storage-keys",
    description:
        "Open WebUI should reach object storage through workload identity (IRSA/Pod Identity, GKE Workload Identity, AKS Workload Identity), not long-lived keys, even from a Secret; no IAM access keys or service-account keys in the stack.",
    remediation:
        "Remove S3_SECRET_ACCESS_KEY / AZURE_STORAGE_KEY / GOOGLE_APPLICATION_CREDENTIALS_JSON and bind the pod's ServiceAccount to a cloud identity scoped to the bucket. (Keys for an S3-compatible store other than AWS S3, named by S3_ENDPOINT_URL, are not reported: such stores have no workload identity.)",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["security", "identity"],
    validateResource: (args, report) => {
        if (args.type === TYPES.iamAccessKey) return report(`IAM access key '${args.name}' creates a long-lived AWS key.`);
        if (args.type === TYPES.gcpServiceAccountKey) return report(`Service account key '${args.name}' creates a long-lived GCP key.`);
        const p = raw(args.props);
        const podSpec = podSpecOf(args.type, p);
        for (const c of containersOf(podSpec)) {
            // An S3-compatible store other than AWS S3 (in-cluster SeaweedFS, Ceph RGW, ...) has no
            // workload identity to offer: its keys are the only way in, so they are not reported.
            const endpoint = arr(c?.env).find((e: Json) => e?.name === "S3_ENDPOINT_URL")?.value;
            const nonAwsS3 =
                typeof endpoint === "string" && endpoint !== "" && !/(^|[./])amazonaws\.com(\.cn)?(:\d+)?(\/|$)/.test(endpoint.replace(/^[a-z]+:\/\//, ""));
            for (const e of arr(c?.env)) {
                if (e?.name === "S3_SECRET_ACCESS_KEY" && nonAwsS3) continue;
                if (e && STATIC_KEY_ENV.includes(e.name))
                    report(`${args.type.split(":").pop()} '${objName(p) ?? args.name}' container '${c.name}' uses a static storage key (${e.name}).`);
            }
        }
    },
});

export const nonRootPods = resourceRule({
    name: "owui-pods-non-root",
    description: "Open WebUI pods must run as non-root (runAsNonRoot=true) with allowPrivilegeEscalation=false on every container.",
    remediation:
        "Set pod securityContext.runAsNonRoot=true (and runAsUser/fsGroup), container securityContext.allowPrivilegeEscalation=false, capabilities drop ALL; give the data/static/cache directories writable volumes and set WEBUI_SECRET_KEY.",
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
});
