// Applies the pod knobs of `pod` / `workloads.<name>` (components/args/podTypes.ts) onto the pod
// templates the component builds, checks them at construction, and resolves every image (its
// override, or the pinned default under `imageRegistry`). One merge for every workload:
// - scheduling (nodeSelector, tolerations, affinity, priority/runtime class) is set as given;
// - topologySpreadConstraints replace the component's; a constraint without labelSelector
//   selects the workload's pods;
// - imagePullSecrets: `pod.imagePullSecrets` on every pod, plus the workload's own;
// - extra volumes are added, extra mounts and extended resources go to the main containers;
// - init containers run after the component's, sidecars beside the main container, both with the
//   restricted security context when they set none;
// - labels and annotations are added; the component's own (selector, config hash) win.
// The component's security contexts, probes, volumes and env are never replaced.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { isKnown, problem } from "../spec/errors";
import { secretNameProblem } from "../spec/secretHygiene";
import { restrictedContainerSecurity } from "./security";
import { AppPod, Workload, WorkloadPod, Workloads } from "../args/podTypes";
import { isIp } from "../spec/addresses";

type PodTemplate = k8s.types.input.core.v1.PodTemplateSpec;
type PodSpec = k8s.types.input.core.v1.PodSpec;
type Container = k8s.types.input.core.v1.Container;

/** The workloads `workloads` configures, with the names the component gives their pods' parts. */
export const WORKLOADS: Record<keyof Workloads, { volumes: string[]; containers: string[] }> = {
    dbBootstrap: { volumes: ["sql", "db-ca"], containers: ["psql"] },
    otelCollector: { volumes: ["config", "trusted-ca"], containers: ["otel-collector"] },
    postgres: { volumes: ["data", "run", "tmp"], containers: ["postgres"] },
    redis: { volumes: ["data"], containers: ["valkey"] },
    objectStore: { volumes: ["data", "s3-config", "tmp"], containers: ["seaweedfs", "create-bucket"] },
};
/** The Open WebUI pods' own volume and container names (serving Deployment, migration Job, import Job). */
export const APP_POD_NAMES = {
    volumes: ["data", "tmp", "redis-ca", "db-ca", "trusted-ca", "ca-bundle", "import-script", "import-source", "import-uploads", "import-work"],
    containers: ["open-webui", "seed-data", "trusted-ca", "migrate", "import"],
};

/** What a workload's pods get: its knobs plus the pull Secrets every pod gets. */
export interface ResolvedKnobs extends WorkloadPod {
    imagePullSecrets: string[];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Kubernetes' quantity grammar: binary Ki..Ei, decimal n u m k M G T P E (no `K`), or an exponent. */
const QUANTITY = /^[+]?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+|[KMGTPE]i|[numkMGTPE])?$/;
/** An extended resource name: `<domain>/<name>` (e.g. `nvidia.com/gpu`), or hugepages / ephemeral-storage. */
const RESOURCE_NAME = /^(([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?|hugepages-[0-9]+[KMG]i|ephemeral-storage)$/;
export const LABEL_KEY = /^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
/** `host[:port][/path]`, no scheme, no trailing slash. */
const REGISTRY = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

/**
 * `ref` under the registry mirror: the registry host is replaced, the path kept (Docker Hub images
 * get their implicit `library/` prefix), e.g. `postgres:17` -> `<mirror>/library/postgres:17`.
 */
export function mirrorImage(ref: string, registry: string | undefined): string {
    if (!registry) return ref;
    const parts = ref.split("/");
    const hasHost = parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === "localhost");
    const path = hasHost ? parts.slice(1) : parts.length === 1 ? ["library", ...parts] : parts;
    return `${registry}/${path.join("/")}`;
}

function checkName(field: string, v: unknown, re: RegExp, what: string, out: string[]): void {
    if (isKnown(v) && (typeof v !== "string" || !re.test(v) || v.length > 253)) out.push(problem(field, v, `use a valid ${what}`));
}

/** Problems of one knob block (`field` is `pod` or `workloads.<name>`); `own` names the component's volumes and containers. */
export function podKnobProblems(field: string, k: (WorkloadPod & { image?: string }) | undefined, own: { volumes: string[]; containers: string[] }): string[] {
    const out: string[] = [];
    if (!k) return out;
    metadataMapProblems(field, k, out);
    schedulingProblems(field, k, out);
    checkName(`${field}.priorityClassName`, k.priorityClassName, DNS_SUBDOMAIN, "PriorityClass name (DNS subdomain)", out);
    checkName(`${field}.runtimeClassName`, k.runtimeClassName, DNS_SUBDOMAIN, "RuntimeClass name (DNS subdomain)", out);
    // Never echoed: a refused "name" is often the pasted credential itself (secretHygiene.ts).
    (k.imagePullSecrets ?? []).forEach((s, i) => out.push(...[secretNameProblem(`${field}.imagePullSecrets[${i}]`, s)].filter((x): x is string => !!x)));
    volumeProblems(field, k, own.volumes, out);
    containerProblems(field, k, own.containers, out);
    resourceProblems(field, k, out);
    out.push(...hostAliasProblems(field, k.hostAliases));
    if (k.image !== undefined && (typeof k.image !== "string" || k.image.trim() === "" || /\s|:\/\//.test(k.image))) {
        out.push(problem(`${field}.image`, k.image, "give a full image reference without scheme, e.g. registry.example.com/postgres:17.6-alpine"));
    }
    return out;
}

/** Decides whether the label, annotation and nodeSelector keys (and label values) are valid Kubernetes ones. */
function metadataMapProblems(field: string, k: WorkloadPod, out: string[]): void {
    for (const [key, map] of [
        ["labels", k.labels],
        ["annotations", k.annotations],
        ["nodeSelector", k.nodeSelector],
    ] as const) {
        for (const [n, v] of Object.entries(map ?? {})) {
            if (!LABEL_KEY.test(n))
                out.push(
                    problem(
                        `${field}.${key}.${n}`,
                        n,
                        "use a valid Kubernetes key (optional DNS prefix and '/', then at most 63 alphanumerics, '-', '_', '.')",
                    ),
                );
            else if (key !== "annotations" && !LABEL_VALUE.test(v))
                out.push(problem(`${field}.${key}.${n}`, v, "use a valid label value (at most 63 alphanumerics, '-', '_', '.')"));
        }
    }
}

/** Decides whether the tolerations and topology spread constraints are ones the scheduler accepts. */
function schedulingProblems(field: string, k: WorkloadPod, out: string[]): void {
    (k.tolerations ?? []).forEach((t, i) => {
        const f = `${field}.tolerations[${i}]`;
        if (isKnown(t.operator) && !["Exists", "Equal"].includes(t.operator as string)) out.push(problem(`${f}.operator`, t.operator, "use Exists or Equal"));
        if (isKnown(t.effect) && !["NoSchedule", "PreferNoSchedule", "NoExecute"].includes(t.effect as string))
            out.push(problem(`${f}.effect`, t.effect, "use NoSchedule, PreferNoSchedule or NoExecute (or omit it to match every effect)"));
        if (t.operator === "Exists" && isKnown(t.value) && t.value !== "")
            out.push(problem(`${f}.value`, t.value, "operator Exists takes no value: drop the value or use operator Equal"));
        if (isKnown(t.tolerationSeconds) && t.effect !== "NoExecute")
            out.push(problem(`${f}.tolerationSeconds`, t.tolerationSeconds, "applies only with effect NoExecute"));
    });
    (k.topologySpreadConstraints ?? []).forEach((c, i) => {
        const f = `${field}.topologySpreadConstraints[${i}]`;
        if (isKnown(c.maxSkew) && (!Number.isInteger(c.maxSkew) || c.maxSkew < 1)) out.push(problem(`${f}.maxSkew`, c.maxSkew, "use a whole number >= 1"));
        if (isKnown(c.topologyKey) && (typeof c.topologyKey !== "string" || !LABEL_KEY.test(c.topologyKey)))
            out.push(problem(`${f}.topologyKey`, c.topologyKey, "give a node label key such as topology.kubernetes.io/zone"));
        if (isKnown(c.whenUnsatisfiable) && !["DoNotSchedule", "ScheduleAnyway"].includes(c.whenUnsatisfiable))
            out.push(problem(`${f}.whenUnsatisfiable`, c.whenUnsatisfiable, "use DoNotSchedule or ScheduleAnyway"));
    });
}

/** Decides whether the extra volumes have unique names of their own and every extra mount names one of them. */
function volumeProblems(field: string, k: WorkloadPod, ownVolumes: string[], out: string[]): void {
    const volumes = new Set<string>();
    (k.extraVolumes ?? []).forEach((v, i) => {
        const f = `${field}.extraVolumes[${i}].name`;
        if (!isKnown(v.name)) return;
        if (typeof v.name !== "string" || !DNS_LABEL.test(v.name) || v.name.length > 63)
            out.push(problem(f, v.name, "use a DNS-1123 label (lowercase letters, digits, '-')"));
        else if (ownVolumes.includes(v.name)) out.push(problem(f, v.name, `the component names its own volumes ${ownVolumes.join(", ")}: pick another name`));
        else if (volumes.has(v.name)) out.push(problem(f, v.name, "names another extra volume too: volume names must be unique"));
        volumes.add(v.name);
    });
    (k.extraVolumeMounts ?? []).forEach((m, i) => {
        const f = `${field}.extraVolumeMounts[${i}]`;
        if (isKnown(m.name) && !volumes.has(m.name))
            out.push(problem(`${f}.name`, m.name, `name a volume of ${field}.extraVolumes (${[...volumes].join(", ") || "none given"})`));
        if (isKnown(m.mountPath) && (typeof m.mountPath !== "string" || !m.mountPath.startsWith("/")))
            out.push(problem(`${f}.mountPath`, m.mountPath, "use an absolute path"));
    });
}

/** Decides whether the init containers and sidecars are Container objects with unique names of their own and an image. */
function containerProblems(field: string, k: WorkloadPod, ownContainers: string[], out: string[]): void {
    const containers = new Set<string>();
    for (const key of ["initContainers", "sidecars"] as const) {
        (k[key] ?? []).forEach((c, i) => {
            const f = `${field}.${key}[${i}]`;
            if (c === null || typeof c !== "object" || Array.isArray(c))
                return void out.push(problem(f, c, "give a Kubernetes Container object (name, image, ...)"));
            if (typeof c.name !== "string" || !DNS_LABEL.test(c.name))
                out.push(problem(`${f}.name`, c.name, "use a DNS-1123 label (lowercase letters, digits, '-')"));
            else if (ownContainers.includes(c.name))
                out.push(problem(`${f}.name`, c.name, `the component names its own containers ${ownContainers.join(", ")}: pick another name`));
            else if (containers.has(c.name)) out.push(problem(`${f}.name`, c.name, "names another extra container too: container names must be unique"));
            else containers.add(c.name);
            if (isKnown(c.image) && (typeof c.image !== "string" || c.image.trim() === "" || /\s/.test(c.image)))
                out.push(problem(`${f}.image`, c.image, "give an image reference such as registry.example.com/tool:1.2"));
            if (c.image === undefined) out.push(problem(`${f}.image`, undefined, "every container needs an image"));
        });
    }
}

/** Decides whether the CPU/memory quantities and extended resources are valid Kubernetes quantities and names. */
function resourceProblems(field: string, k: WorkloadPod, out: string[]): void {
    for (const key of ["cpuRequest", "memoryRequest", "cpuLimit", "memoryLimit"] as const) {
        const v = k[key];
        if (v !== undefined && (typeof v !== "string" || !QUANTITY.test(v)))
            out.push(problem(`${field}.${key}`, v, "use a Kubernetes quantity such as 500m, 2 or 1Gi"));
    }
    for (const [n, v] of Object.entries(k.extraResources ?? {})) {
        const f = `${field}.extraResources.${n}`;
        if (n === "cpu" || n === "memory") out.push(problem(f, v, `set ${n} with ${field}.${n}Request / ${field}.${n}Limit`));
        else if (!RESOURCE_NAME.test(n))
            out.push(problem(f, n, "use an extended resource name such as nvidia.com/gpu (domain/name), hugepages-2Mi or ephemeral-storage"));
        else if (typeof v !== "string" || !QUANTITY.test(v)) out.push(problem(f, v, "use a Kubernetes quantity such as 1"));
    }
}

function hostAliasProblems(field: string, list: WorkloadPod["hostAliases"]): string[] {
    const out: string[] = [];
    (Array.isArray(list) ? list : []).forEach((h, i) => {
        const f = `${field}.hostAliases[${i}]`;
        if (!isIp(h?.ip)) out.push(problem(`${f}.ip`, h?.ip, "use an IPv4 or IPv6 address such as 10.20.0.15 (no CIDR, no host name)"));
        const names = h?.hostnames;
        if (!Array.isArray(names) || names.length === 0) out.push(problem(`${f}.hostnames`, names, "list at least one host name"));
        else
            names.forEach((n, j) => {
                if (typeof n !== "string" || !DNS_SUBDOMAIN.test(n) || n.length > 253)
                    out.push(problem(`${f}.hostnames[${j}]`, n, "use a lowercase DNS name such as models.corp.internal"));
            });
    });
    return out;
}

/** Problems of `pod.serviceAccountAnnotations` keys (the identity's own keys: ownedAnnotationProblems in clusterFit.ts; `pod.command`/`pod.args` are string lists: the schema check covers them). */
export function appPodProblems(p: AppPod | undefined): string[] {
    const out: string[] = [];
    for (const k of Object.keys(p?.serviceAccountAnnotations ?? {})) {
        const f = `pod.serviceAccountAnnotations.${k}`;
        if (!LABEL_KEY.test(k))
            out.push(problem(f, k, "use a valid Kubernetes key (optional DNS prefix and '/', then at most 63 alphanumerics, '-', '_', '.')"));
    }
    return out;
}

/** The ServiceAccount's annotations: `pod.serviceAccountAnnotations`, then the identity's (a clash is refused at construction; should one slip through, this throws rather than let either win). */
export function serviceAccountAnnotations<T>(
    target: string,
    user: { [key: string]: string } | undefined,
    identity: { [key: string]: T },
): { [key: string]: T | string } {
    const clash = Object.keys(user ?? {}).find((k) => k in identity);
    if (clash) throw new Error(`pod.serviceAccountAnnotations.${clash}: the ${target} workload identity sets ${clash}: remove it`);
    return { ...(user ?? {}), ...identity };
}

/** Problems of `imageRegistry`. */
export function registryProblems(registry: unknown): string[] {
    if (registry === undefined) return [];
    return typeof registry === "string" && REGISTRY.test(registry)
        ? []
        : [
              problem(
                  "imageRegistry",
                  registry,
                  "give a registry host with an optional port and path, without scheme or trailing '/', e.g. mirror.corp.example or harbor.corp.example/proxy",
              ),
          ];
}

/** The knobs a workload's pods get: its own plus the pull Secrets of `pod.imagePullSecrets`. */
export function resolveKnobs(k: WorkloadPod | undefined, everyPod: string[]): ResolvedKnobs {
    const own = (k?.imagePullSecrets ?? []).filter((s) => !everyPod.includes(s));
    return { ...k, imagePullSecrets: [...everyPod, ...own] };
}

/** A workload's image: its override as given, else the pinned default under the mirror. */
export function workloadImage(w: Workload | undefined, pinned: string, registry: string | undefined): string {
    return w?.image ?? mirrorImage(pinned, registry);
}

/** An extra init container or sidecar as the user gives it. */
type UserContainer = NonNullable<WorkloadPod["initContainers"]>[number];

/** A user's container: the restricted context when it sets none; one it sets gets what the restricted level requires and it leaves out (escalation off, ALL dropped). */
function userContainer(given: UserContainer): Container {
    const c = given as Container; // as the user gives it: its shape is checked in k8sRules.ts
    const sc: unknown = c.securityContext;
    if (sc === undefined || sc === null) return { ...c, securityContext: restrictedContainerSecurity() };
    type Context = { capabilities?: { drop?: string[] } };
    const restricted = (s: Context | undefined) => ({
        allowPrivilegeEscalation: false,
        ...s,
        capabilities: { ...(s?.capabilities ?? {}), drop: s?.capabilities?.drop ?? ["ALL"] },
    });
    if (!isKnown(sc)) return { ...c, securityContext: pulumi.output(sc as pulumi.Input<Context>).apply(restricted) };
    return typeof sc === "object" ? { ...c, securityContext: restricted(sc) } : c;
}

function withResources(c: Container, k: ResolvedKnobs): Container {
    const r = (c.resources ?? {}) as { requests?: Record<string, string>; limits?: Record<string, string> };
    const requests = {
        ...(r.requests ?? {}),
        ...(k.cpuRequest ? { cpu: k.cpuRequest } : {}),
        ...(k.memoryRequest ? { memory: k.memoryRequest } : {}),
        ...(k.extraResources ?? {}),
    };
    const limits = {
        ...(r.limits ?? {}),
        ...(k.cpuLimit ? { cpu: k.cpuLimit } : {}),
        ...(k.memoryLimit ? { memory: k.memoryLimit } : {}),
        ...(k.extraResources ?? {}),
    };
    return { ...c, resources: { requests, limits } };
}

/**
 * The pod template with the knobs applied. `main` names the containers that get the extra
 * mounts and resources; `selector` fills topology spread constraints given without labelSelector.
 */
export function withPodKnobs(template: PodTemplate, k: ResolvedKnobs, o: { main: string[]; selector: { [key: string]: string } }): PodTemplate {
    const spec = template.spec as PodSpec;
    const meta = (template.metadata ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string> };
    const main = (c: Container) => o.main.includes(c.name as string);
    const containers = (spec.containers as Container[]).map((c) => {
        if (!main(c)) return c;
        const mounted = k.extraVolumeMounts?.length
            ? { ...c, volumeMounts: [...((c.volumeMounts as pulumi.Input<k8s.types.input.core.v1.VolumeMount>[] | undefined) ?? []), ...k.extraVolumeMounts] }
            : c;
        return withResources(mounted, k);
    });
    const nodeSelector = spec.nodeSelector as Record<string, string> | undefined;
    const merged: PodSpec = {
        ...spec,
        ...(k.nodeSelector ? { nodeSelector: { ...(nodeSelector ?? {}), ...k.nodeSelector } } : {}),
        ...(k.tolerations?.length ? { tolerations: k.tolerations } : {}),
        ...(k.affinity ? { affinity: k.affinity } : {}),
        ...(k.priorityClassName ? { priorityClassName: k.priorityClassName } : {}),
        ...(k.runtimeClassName ? { runtimeClassName: k.runtimeClassName } : {}),
        ...(k.hostAliases?.length ? { hostAliases: k.hostAliases } : {}),
        ...(k.topologySpreadConstraints
            ? { topologySpreadConstraints: k.topologySpreadConstraints.map((c) => ({ ...c, labelSelector: c.labelSelector ?? { matchLabels: o.selector } })) }
            : {}),
        ...(k.imagePullSecrets.length ? { imagePullSecrets: k.imagePullSecrets.map((name) => ({ name })) } : {}),
        ...(k.extraVolumes?.length
            ? { volumes: [...((spec.volumes as pulumi.Input<k8s.types.input.core.v1.Volume>[] | undefined) ?? []), ...k.extraVolumes] }
            : {}),
        ...(k.initContainers?.length ? { initContainers: [...((spec.initContainers as Container[]) ?? []), ...k.initContainers.map(userContainer)] } : {}),
        containers: [...containers, ...(k.sidecars ?? []).map(userContainer)],
    };
    return {
        ...template,
        metadata: {
            ...meta,
            labels: { ...(k.labels ?? {}), ...(meta.labels ?? {}) },
            ...(k.annotations || meta.annotations ? { annotations: { ...(k.annotations ?? {}), ...(meta.annotations ?? {}) } } : {}),
        },
        spec: merged,
    };
}
