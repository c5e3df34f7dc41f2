// Kubernetes rules the API server and the namespace's Pod Security admission would enforce,
// checked at construction instead, so nothing is registered before a refusal (each problem names
// the field, the value and the fix):
// - the component name, which every Kubernetes object name and the selector labels derive from;
// - selector labels (`app.kubernetes.io/name|instance|component`) cannot be set through labels;
// - the namespace: not one of Kubernetes' own (`kube-*`); `default` is refused when the component
//   creates the namespace (it always exists and would be shared, unlabelled, with everything else);
//   with `createNamespace: false` it is the platform team's namespace and allowed;
// - resource quantities: requests at most the limits, the workloads' own defaults included;
// - class, Secret, ConfigMap and Gateway names (DNS-1123), Secret keys;
// - the restricted Pod Security level for what users add to pods: volumes of the allowed types
//   only (no hostPath), extra containers without privilege, escalation, added capabilities,
//   root, host ports, or an unconfined seccomp/AppArmor/SELinux profile.
import { isKnown, problem } from "../spec/errors";
import { loadSchema, SchemaProperty } from "../spec/unknownKeys";
import type { OpenWebUiClusterArgs, Workloads } from "../args/types";
import type { ResolvedSpec } from "../spec/specTypes";
import { parseQuantity } from "../spec/quantity";

export { parseQuantity };

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** Labels the component's selectors use: set by the component on every object, never by users. */
export const SELECTOR_LABELS = ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component"];
/** Namespaces Kubernetes owns. */
export const SYSTEM_NAMESPACE = /^kube-/;
/** Volume sources the restricted Pod Security level allows. */
export const RESTRICTED_VOLUMES = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
const SELINUX_TYPES = ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

/**
 * The longest name the component derives from its own name, per limit: Services and label values
 * (`<name>-otel-collector`, Job `<name>-objects-bucket` whose name is a pod label) at most 63;
 * StatefulSets (`<name>-postgres`) at most 52, as their pods' controller-revision-hash label adds
 * 11 characters; the migration Job `<name>-migrate-<version>` at most 63 with the version whole.
 */
export function maxComponentNameLength(spec: Pick<ResolvedSpec, "image" | "target" | "database" | "redis" | "storage">): number {
    const slug = String(spec.image.tag)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "");
    const limits = [63 - "-otel-collector".length, 63 - "-objects-bucket".length, 63 - `-migrate-${slug}`.length];
    const inCluster = [spec.database.mode, spec.redis.mode, spec.storage.mode].includes("inCluster" as never);
    if (inCluster) limits.push(52 - "-postgres".length);
    return Math.min(...limits);
}

/** Problems of the component name. */
export function componentNameProblems(name: unknown, spec: Parameters<typeof maxComponentNameLength>[0]): string[] {
    if (typeof name !== "string") return [problem("name", name, "give the component a name: a string")];
    if (!DNS_1035.test(name)) {
        return [
            problem(
                "name",
                name,
                "use lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, no dots: it names the Services, Deployment, Jobs and the selector label app.kubernetes.io/instance (e.g. chat or open-webui)",
            ),
        ];
    }
    const max = maxComponentNameLength(spec);
    if (name.length > max) {
        return [
            problem(
                "name",
                name,
                `use at most ${max} characters (${name.length} given): the longest derived object name (e.g. <name>-otel-collector, <name>-migrate-<version>, StatefulSet <name>-postgres) must fit Kubernetes' limits`,
            ),
        ];
    }
    return [];
}

/**
 * Requests and limits of each workload's main containers when the knobs set neither (the values in
 * components/data/inCluster.ts, otel.ts, database.ts); a knob replaces one value, so a request above a
 * default limit (or a limit below a default request) makes an object the API server refuses.
 */
export const WORKLOAD_RESOURCES: Record<keyof Workloads, { container: string; cpuRequest: string; memoryRequest: string; memoryLimit: string }[]> = {
    dbBootstrap: [{ container: "psql", cpuRequest: "50m", memoryRequest: "64Mi", memoryLimit: "128Mi" }],
    otelCollector: [{ container: "otel-collector", cpuRequest: "100m", memoryRequest: "256Mi", memoryLimit: "512Mi" }],
    postgres: [{ container: "postgres", cpuRequest: "250m", memoryRequest: "512Mi", memoryLimit: "2Gi" }],
    redis: [{ container: "valkey", cpuRequest: "100m", memoryRequest: "256Mi", memoryLimit: "1Gi" }],
    objectStore: [
        { container: "seaweedfs", cpuRequest: "100m", memoryRequest: "256Mi", memoryLimit: "1Gi" },
        { container: "create-bucket", cpuRequest: "50m", memoryRequest: "64Mi", memoryLimit: "256Mi" },
    ],
};

type Knobs = { cpuRequest?: string; memoryRequest?: string; cpuLimit?: string; memoryLimit?: string };

function resourceProblems(
    field: string,
    k: Knobs,
    defaults: { container: string; cpuRequest?: string; memoryRequest?: string; memoryLimit?: string; cpuLimit?: string }[],
    out: string[],
): void {
    for (const r of ["cpu", "memory"] as const) {
        const reqField = `${r}Request` as const,
            limField = `${r}Limit` as const;
        for (const d of defaults) {
            const req = k[reqField] ?? d[reqField],
                lim = k[limField] ?? d[limField];
            const rq = parseQuantity(req),
                lm = parseQuantity(lim);
            if (rq === undefined || lm === undefined) continue; // unset, or refused by the quantity check
            if (k[limField] !== undefined && lm <= 0) out.push(problem(`${field}.${limField}`, lim, `use a ${r} limit above 0`));
            else if (rq > lm && (k[reqField] !== undefined || k[limField] !== undefined)) {
                const which = k[reqField] !== undefined && k[limField] === undefined ? reqField : limField;
                out.push(
                    problem(
                        `${field}.${which}`,
                        k[which],
                        `the ${r} request (${req}) must not exceed the limit (${lim}${k[limField] === undefined ? `, the ${d.container} container's default` : ""}) of ${d.container}: ${which === reqField ? `raise ${field}.${limField} too` : `raise it to at least ${req} or lower ${field}.${reqField}`}`,
                    ),
                );
            }
        }
    }
}

/**
 * User-given Kubernetes JSON (an extra container, a volume, a knob block): any field may be
 * absent, an Output or of the wrong type, so each is probed where it is read.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped user JSON, probed field by field below
type Probed = any;

/** `x` when it is a plain value, else undefined (an Output inside a Kubernetes object is left to the API server). */
const known = (x: Probed): Probed => (isKnown(x) ? x : undefined);

/** Restricted Pod Security problems of one extra container (init container or sidecar). */
function containerProblems(f: string, c: Record<string, Probed>, out: string[]): void {
    const sc = isKnown(c.securityContext) ? c.securityContext : undefined; // an Output is checked by the API server
    const fix = "the namespace enforces the restricted Pod Security level, which refuses the pod";
    if (sc !== undefined && sc !== null && typeof sc === "object") {
        if (sc.privileged === true) out.push(problem(`${f}.securityContext.privileged`, true, `${fix}: drop it (set false)`));
        if (sc.allowPrivilegeEscalation === true)
            out.push(problem(`${f}.securityContext.allowPrivilegeEscalation`, true, `${fix}: set false (or omit it: the component sets false)`));
        if (sc.runAsUser === 0) out.push(problem(`${f}.securityContext.runAsUser`, 0, `${fix}: run as a non-root uid (e.g. 65532), or omit it`));
        if (sc.runAsNonRoot === false) out.push(problem(`${f}.securityContext.runAsNonRoot`, false, `${fix}: set true or omit it`));
        const caps = sc.capabilities;
        if (caps && typeof caps === "object" && isKnown(caps)) {
            const added = Array.isArray(caps.add) ? caps.add.filter((x: unknown) => x !== "NET_BIND_SERVICE") : [];
            if (added.length) out.push(problem(`${f}.securityContext.capabilities.add`, added, `${fix}: only NET_BIND_SERVICE may be added`));
            if (caps.drop !== undefined && !(Array.isArray(caps.drop) && caps.drop.includes("ALL")))
                out.push(problem(`${f}.securityContext.capabilities.drop`, caps.drop, `${fix}: drop ALL (or omit capabilities.drop: the component drops ALL)`));
        }
        const seccomp = known(known(sc.seccompProfile)?.type);
        if (seccomp !== undefined && !["RuntimeDefault", "Localhost"].includes(seccomp))
            out.push(
                problem(
                    `${f}.securityContext.seccompProfile.type`,
                    seccomp,
                    `${fix}: use RuntimeDefault or Localhost (or omit it: the pod sets RuntimeDefault)`,
                ),
            );
        const apparmor = known(known(sc.appArmorProfile)?.type);
        if (apparmor === "Unconfined")
            out.push(problem(`${f}.securityContext.appArmorProfile.type`, apparmor, `${fix}: use RuntimeDefault or Localhost, or omit it`));
        if (known(sc.procMount) !== undefined && sc.procMount !== "Default")
            out.push(problem(`${f}.securityContext.procMount`, sc.procMount, `${fix}: use Default or omit it`));
        if (known(sc.windowsOptions)?.hostProcess === true)
            out.push(problem(`${f}.securityContext.windowsOptions.hostProcess`, true, `${fix}: host processes are not allowed`));
        const se = known(sc.seLinuxOptions);
        if (se && typeof se === "object" && ((se.type !== undefined && !SELINUX_TYPES.includes(se.type)) || se.user !== undefined || se.role !== undefined)) {
            out.push(problem(`${f}.securityContext.seLinuxOptions`, se, `${fix}: set only type (${SELINUX_TYPES.join(", ")}) and level`));
        }
    } else if (sc !== undefined && sc !== null) {
        out.push(problem(`${f}.securityContext`, sc, "give a Kubernetes SecurityContext object, or omit it to get the restricted one"));
    }
    (Array.isArray(c.ports) ? c.ports : []).forEach((p: Probed, j: number) => {
        if (p && typeof p === "object" && isKnown(p) && p.hostPort !== undefined && p.hostPort !== 0)
            out.push(
                problem(`${f}.ports[${j}].hostPort`, p.hostPort, `${fix}: host ports are not allowed; drop hostPort and reach the container through a Service`),
            );
    });
}

/** Restricted Pod Security, quantity and label problems of one knob block (`pod` or `workloads.<name>`). */
function knobProblems(field: string, k: Record<string, Probed> | undefined, defaults: Parameters<typeof resourceProblems>[2], out: string[]): void {
    if (!k || typeof k !== "object") return;
    for (const key of Object.keys(k.labels ?? {})) {
        if (SELECTOR_LABELS.includes(key))
            out.push(
                problem(
                    `${field}.labels.${key}`,
                    k.labels[key],
                    `${key} is a selector label the component sets: a different value would detach the pods from their Deployment, Service and PodDisruptionBudget; use another key`,
                ),
            );
    }
    (Array.isArray(k.extraVolumes) ? k.extraVolumes : []).forEach((v: Probed, i: number) => {
        if (!v || typeof v !== "object" || !isKnown(v)) return;
        const sources = Object.keys(v).filter((s) => s !== "name" && v[s] !== undefined && v[s] !== null);
        const bad = sources.filter((s) => !RESTRICTED_VOLUMES.includes(s));
        if (bad.length) {
            out.push(
                problem(
                    `${field}.extraVolumes[${i}].${bad[0]}`,
                    bad[0] === "hostPath" ? (v.hostPath?.path ?? v.hostPath) : bad[0],
                    `the restricted Pod Security level (enforced on the namespace) refuses ${bad[0]} volumes: use one of ${RESTRICTED_VOLUMES.join(", ")} (e.g. a persistentVolumeClaim or a csi volume)`,
                ),
            );
        }
    });
    for (const key of ["initContainers", "sidecars"] as const) {
        (Array.isArray(k[key]) ? k[key] : []).forEach(
            (c: Probed, i: number) => c && typeof c === "object" && !Array.isArray(c) && isKnown(c) && containerProblems(`${field}.${key}[${i}]`, c, out),
        );
    }
    resourceProblems(field, k, defaults, out);
}

/** Every SecretKeyRef in the args (found through the schema, so a new one is covered), with its field path. */
function secretKeyRefs(v: unknown, p: SchemaProperty, field: string, out: [string, Record<string, unknown>][], depth = 0): void {
    if (v === null || typeof v !== "object" || !isKnown(v) || depth > 8) return;
    const types = loadSchema().types;
    if (p.$ref === "#/types/openwebui:index:SecretKeyRef") return void out.push([field, v as Record<string, unknown>]);
    if (p.$ref?.startsWith("#/types/")) {
        for (const [k, sub] of Object.entries(types[p.$ref.slice(8)]?.properties ?? {}))
            secretKeyRefs((v as Record<string, unknown>)[k], sub, `${field}.${k}`, out, depth + 1);
    } else if (p.type === "object" && p.additionalProperties) {
        for (const [k, x] of Object.entries(v as Record<string, unknown>)) secretKeyRefs(x, p.additionalProperties, `${field}.${k}`, out, depth + 1);
    }
}

function nameProblem(field: string, v: unknown, re: RegExp, max: number, what: string, out: string[]): void {
    if (v === undefined || v === null || !isKnown(v)) return;
    if (typeof v !== "string" || !re.test(v) || v.length > max)
        out.push(
            problem(
                field,
                v,
                `use a valid ${what}: lowercase letters, digits, '-'${re === DNS_SUBDOMAIN ? " and '.'" : ""}, starting and ending with a letter or digit, at most ${max} characters`,
            ),
        );
}

/** Every Kubernetes rule above; `name` is the component name (skipped when not given). */
export function k8sRuleProblems(name: string | undefined, a: OpenWebUiClusterArgs, spec: ResolvedSpec): string[] {
    const out: string[] = [];
    if (name !== undefined) out.push(...componentNameProblems(name, spec));
    if (typeof spec.namespace === "string" && SYSTEM_NAMESPACE.test(spec.namespace)) {
        out.push(problem("namespace", spec.namespace, "kube-* namespaces belong to Kubernetes itself: use a dedicated namespace such as open-webui"));
    } else if (spec.namespace === "default" && spec.createNamespace !== false) {
        out.push(
            problem(
                "namespace",
                "default",
                "the default namespace always exists and is shared: use a dedicated namespace such as open-webui (or set createNamespace: false to deploy into a namespace your platform team labels for the restricted Pod Security level)",
            ),
        );
    }
    for (const key of Object.keys(a.labels ?? {})) {
        if (SELECTOR_LABELS.includes(key))
            out.push(problem(`labels.${key}`, a.labels![key], `${key} is a selector label the component sets on every object: use another key`));
    }
    const appDefaults = [
        { container: "open-webui", cpuRequest: spec.pod.cpuRequest, memoryRequest: spec.pod.memoryRequest, memoryLimit: spec.pod.memoryLimit },
    ];
    knobProblems("pod", a.pod as Record<string, Probed> | undefined, appDefaults, out);
    for (const w of Object.keys(WORKLOAD_RESOURCES) as (keyof Workloads)[])
        knobProblems(`workloads.${w}`, a.workloads?.[w] as Record<string, Probed> | undefined, WORKLOAD_RESOURCES[w], out);

    const k = a.kubernetes ?? {};
    nameProblem("kubernetes.storageClassName", k.storageClassName, DNS_SUBDOMAIN, 253, "StorageClass name (DNS subdomain)", out);
    nameProblem("kubernetes.ingressClassName", k.ingressClassName, DNS_SUBDOMAIN, 253, "IngressClass name (DNS subdomain)", out);
    nameProblem("kubernetes.gateway.name", k.gateway?.name, DNS_SUBDOMAIN, 253, "Gateway name (DNS subdomain)", out);
    nameProblem("kubernetes.gateway.namespace", k.gateway?.namespace, DNS_LABEL, 63, "namespace name (DNS-1123 label)", out);
    nameProblem("aws.loadBalancer.ingressClassName", a.aws?.loadBalancer?.ingressClassName, DNS_SUBDOMAIN, 253, "IngressClass name (DNS subdomain)", out);
    nameProblem("tls.secretName", a.tls?.secretName, DNS_SUBDOMAIN, 253, "Secret name (DNS subdomain)", out);
    nameProblem("trustedCa.configMapName", a.trustedCa?.configMapName, DNS_SUBDOMAIN, 253, "ConfigMap name (DNS subdomain)", out);
    nameProblem("trustedCa.secretName", a.trustedCa?.secretName, DNS_SUBDOMAIN, 253, "Secret name (DNS subdomain)", out);
    (a.extraEnvFromSecrets ?? []).forEach((n, i) => nameProblem(`extraEnvFromSecrets[${i}]`, n, DNS_SUBDOMAIN, 253, "Secret name (DNS subdomain)", out));
    const refs: [string, Record<string, unknown>][] = [];
    for (const [key, p] of Object.entries(loadSchema().resources["openwebui:index:OpenWebUiCluster"]?.inputProperties ?? {}))
        secretKeyRefs((a as unknown as Record<string, unknown>)[key], p, key, refs);
    for (const [f, ref] of refs) {
        nameProblem(`${f}.name`, ref.name, DNS_SUBDOMAIN, 253, "Secret name (DNS subdomain)", out);
        if (isKnown(ref.key) && (typeof ref.key !== "string" || !SECRET_KEY.test(ref.key) || ref.key.length > 253))
            out.push(problem(`${f}.key`, ref.key, "use a valid Secret key: letters, digits, '-', '_', '.' (at most 253)"));
    }
    return [...new Set(out)];
}

/** The problems of `extra` whose field no problem in `problems` reports already (a field's own check says more). */
export function unreported(problems: string[], extra: string[]): string[] {
    const fieldOf = (p: string) => p.slice(0, p.indexOf(": got "));
    const seen = new Set(problems.map(fieldOf));
    return extra.filter((p) => !seen.has(fieldOf(p)));
}
