// Kubernetes workload views the rules share: pod specs, Open WebUI containers, their env with
// Secret/ConfigMap sources resolved inside the stack, and which workloads run as HA.
import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { TYPES, isUnknown, raw, get, arr, type Json } from "./shape";

// ---------------------------------------------------------------------------------------------
// Kubernetes workload helpers
// ---------------------------------------------------------------------------------------------

export const WORKLOAD_TYPES = new Set<string>([TYPES.deployment, TYPES.statefulSet, TYPES.replicaSet, TYPES.daemonSet, TYPES.job, TYPES.cronJob, TYPES.pod]);
export const SERVING_TYPES = new Set<string>([TYPES.deployment, TYPES.statefulSet, TYPES.replicaSet, TYPES.pod]);

/** Pod spec of a workload object, or undefined. */
export function podSpecOf(type: string, props: Json): Json {
    switch (type) {
        case TYPES.pod:
            return get(props, "spec");
        case TYPES.cronJob:
            return get(props, "spec", "jobTemplate", "spec", "template", "spec");
        default:
            return WORKLOAD_TYPES.has(type) ? get(props, "spec", "template", "spec") : undefined;
    }
}

export function podLabelsOf(type: string, props: Json): Record<string, Json> {
    if (type === TYPES.pod) return get(props, "metadata", "labels") ?? {};
    if (type === TYPES.cronJob) return get(props, "spec", "jobTemplate", "spec", "template", "metadata", "labels") ?? {};
    return get(props, "spec", "template", "metadata", "labels") ?? {};
}

export function containersOf(podSpec: Json, includeInit = true): Json[] {
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
export function isOwuiImage(image: Json, pattern = OPEN_WEBUI_IMAGE_PATTERN): boolean {
    if (typeof image !== "string" || isUnknown(image)) return false;
    const withoutDigest = image.split("@")[0];
    const last = withoutDigest.split("/").pop() ?? "";
    const name = last.split(":")[0];
    return name.toLowerCase().includes(pattern.toLowerCase());
}

/** Containers of a pod spec running the Open WebUI image (main containers only). */
export function owuiContainers(podSpec: Json, pattern?: string): Json[] {
    return containersOf(podSpec, false).filter((c) => isOwuiImage(c?.image, pattern));
}

/** Where an environment variable's value comes from. */
export type EnvSource =
    | { kind: "literal"; value: Json }
    | { kind: "secret"; name?: Json; key?: Json }
    | { kind: "configMap"; name?: Json; key?: Json; value?: Json; known: boolean }
    | { kind: "other" };

export interface EnvView {
    vars: Map<string, EnvSource>;
    /** envFrom sources whose keys cannot be listed (object not in the stack, or keys unknown): any variable may come from them. */
    opaqueSources: string[];
}

export function workloadNamespace(props: Json): string {
    const ns = get(props, "metadata", "namespace");
    return typeof ns === "string" && !isUnknown(ns) ? ns : "default";
}

export function objName(props: Json): string | undefined {
    const n = get(props, "metadata", "name");
    return typeof n === "string" && !isUnknown(n) ? n : undefined;
}

/** Index of the stack's ConfigMaps and Secrets, to resolve envFrom / configMapKeyRef. */
export interface StackIndex {
    configMaps: Map<string, { data: Json }>;
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
export function envOf(container: Json, namespace: string, idx?: StackIndex): EnvView {
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
            for (const [k, v] of Object.entries(cm.data ?? {}))
                vars.set(prefix + k, { kind: "configMap", name: cmName, key: k, value: v, known: !isUnknown(v) });
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
export function plainValue(src: EnvSource | undefined): { known: boolean; value?: string } {
    if (!src) return { known: true, value: undefined };
    if (src.kind === "literal")
        return isUnknown(src.value) ? { known: false } : { known: true, value: src.value === undefined || src.value === null ? "" : String(src.value) };
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
    containers: { container: Json; env: EnvView }[];
    podLabels: Record<string, Json>;
}

export function numberish(v: unknown): number | undefined {
    if (typeof v === "number") return v;
    if (typeof v === "string" && /^\d+$/.test(v.trim())) return Number(v.trim());
    return undefined;
}

export function dependsOn(r: PolicyResource, target: PolicyResource): boolean {
    if (arr((r as Partial<PolicyResource>).dependencies).some((d: PolicyResource) => d === target || d?.urn === target.urn)) return true;
    for (const deps of Object.values((r as Partial<PolicyResource>).propertyDependencies ?? {})) {
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

export function describe(w: OwuiWorkload): string {
    const kind = w.type.split(":").pop();
    return `${kind} '${w.objectName ?? w.name}' (${w.haReason || "single process"})`;
}

export const imagePatternSchema = {
    properties: {
        imagePattern: {
            type: "string" as const,
            default: OPEN_WEBUI_IMAGE_PATTERN,
            description: "Substring of the container image that identifies Open WebUI.",
        },
    },
};

export function patternOf(args: { getConfig<T extends object>(): T }): string {
    const c = args.getConfig<{ imagePattern?: string }>();
    return c && typeof c.imagePattern === "string" && c.imagePattern !== "" ? c.imagePattern : OPEN_WEBUI_IMAGE_PATTERN;
}

/** Runs `check` for every HA Open WebUI workload and container of the stack. */
export function forHaWorkloads(
    check: (w: OwuiWorkload, c: { container: Json; env: EnvView }, report: (msg: string) => void) => void,
): (args: StackValidationArgs, report: ReportViolation) => void {
    return (args, report) => {
        for (const w of findOwuiWorkloads(args.resources, patternOf(args))) {
            if (!w.ha) continue;
            for (const c of w.containers) check(w, c, (msg) => report(msg, w.resource.urn));
        }
    };
}

export const has = (env: EnvView, name: string): boolean => env.vars.has(name) || env.opaqueSources.length > 0;
export const maybeFrom = (env: EnvView): string => (env.opaqueSources.length > 0 ? ` (not found in env nor in ${env.opaqueSources.join(", ")})` : "");

/** Connection URLs: whether one carries a password, and the URL with it masked for messages. */
export function urlHasPassword(v: string): boolean {
    return /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]+@/i.test(v);
}

export function redactUrl(v: string): string {
    return v.replace(/(:\/\/[^/@:\s]*:)[^/@\s]+@/, "$1***@");
}
