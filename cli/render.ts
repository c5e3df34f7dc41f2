// Output of `openwebui plan`: Kubernetes YAML files, the resource tree, JSON, exit codes.
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import type { EnforcementLevel } from "@pulumi/policy";
import type { Violation } from "../policy/runner";
import { renderCost } from "./cost";
import { renderCapacity } from "./capacity";
import { DATA_TIER_ANNOTATION, DataServiceAvailability } from "../components/data/availability";
import { COMPUTED, PlannedResource, PlanResult, resourceCount, SECRET_MASK } from "./planTypes";

// ---------------------------------------------------------------------------------------------
// Kubernetes YAML
// ---------------------------------------------------------------------------------------------

/** Kubernetes objects among the planned resources (display form: secrets masked). */
/** A Kubernetes object as planned (display form; its shape is the object's own). */
export type KubernetesObject = { kind: string; apiVersion: string; metadata?: { name?: string; namespace?: string }; [key: string]: unknown };

export function kubernetesObjects(resources: PlannedResource[]): { resource: PlannedResource; object: KubernetesObject }[] {
    return resources
        .filter((r) => r.type.startsWith("kubernetes:") && r.custom && r.props && typeof r.props.kind === "string" && typeof r.props.apiVersion === "string")
        .map((r) => {
            const object = JSON.parse(JSON.stringify(r.props));
            object.metadata = object.metadata ?? {};
            // Pulumi auto-names objects without metadata.name (`<name>-<random suffix>`): say so, invent nothing.
            if (!object.metadata.name) object.metadata.generateName = `${r.name}-`;
            // A Secret/ConfigMap payload computed as a whole (e.g. built in an apply) has no
            // shape yet: leave it out rather than emit a string where a map belongs, and say so.
            if (object.kind === "Secret" || object.kind === "ConfigMap") {
                const computed = ["data", "stringData", "binaryData"].filter((k) => k in object && (object[k] === null || typeof object[k] !== "object"));
                for (const k of computed) delete object[k];
                if (computed.length) object.metadata.annotations = { ...(object.metadata.annotations ?? {}), "plan.openwebui.io/computed": computed.join(",") };
            }
            return { resource: r, object };
        });
}

export function writeYaml(resources: PlannedResource[], outDir: string): string[] {
    fs.mkdirSync(outDir, { recursive: true });
    for (const f of fs.readdirSync(outDir)) if (f.endsWith(".yaml")) fs.unlinkSync(path.join(outDir, f));
    const used = new Set<string>();
    const files: string[] = [];
    for (const { resource, object } of kubernetesObjects(resources)) {
        const base = [object.kind, object.metadata?.namespace, object.metadata?.name ?? resource.name]
            .filter((x) => typeof x === "string" && x !== "")
            .join("-")
            .toLowerCase()
            .replace(/[^a-z0-9.-]+/g, "_");
        let file = `${base}.yaml`;
        for (let i = 2; used.has(file); i++) file = `${base}-${i}.yaml`;
        used.add(file);
        const header = `# ${resource.type} ${resource.name}, planned offline by \`openwebui plan\` (${SECRET_MASK}: secret, ${COMPUTED}: known after apply)\n`;
        fs.writeFileSync(path.join(outDir, file), header + YAML.stringify(object, { lineWidth: 0 }));
        files.push(path.join(outDir, file));
    }
    return files;
}

/** Names of the StatefulSets the component marks as not highly available (in-cluster services). */
export function notHighlyAvailable(resources: PlannedResource[]): string[] {
    return resources
        .filter((r) => r.type === "kubernetes:apps/v1:StatefulSet" && r.analyzerProps?.metadata?.annotations?.["openwebui.io/not-highly-available"] === "true")
        .map((r) => `${r.name} (${r.analyzerProps?.metadata?.labels?.["app.kubernetes.io/component"] ?? "service"})`);
}

/**
 * One note per import Job (`importFrom`, annotation `openwebui.io/import-source`): that an import
 * will run, from what, and that the source is only read.
 */
export function importNotes(resources: PlannedResource[]): string[] {
    return resources
        .filter((r) => r.type === "kubernetes:batch/v1:Job" && typeof r.analyzerProps?.metadata?.annotations?.["openwebui.io/import-source"] === "string")
        .map((r) => {
            const md = r.analyzerProps.metadata;
            return `IMPORT WILL RUN: Job ${md.namespace ? `${md.namespace}/` : ""}${md.name ?? r.name} copies an existing Open WebUI into this cluster before the migration Job and the Deployment start, from ${md.annotations["openwebui.io/import-source"]}. The source is only read, never written. Remove importFrom once the cutover is done (README "Moving an existing Open WebUI in").`;
        });
}

/** The component's per-service availability summary (the app Secret's annotation), when a component was planned. */
export function dataTierSummary(resources: PlannedResource[]): DataServiceAvailability[] | undefined {
    const secret = resources.find(
        (r) => r.type === "kubernetes:core/v1:Secret" && typeof r.analyzerProps?.metadata?.annotations?.[DATA_TIER_ANNOTATION] === "string",
    );
    if (!secret) return undefined;
    try {
        return JSON.parse(secret.analyzerProps.metadata.annotations[DATA_TIER_ANNOTATION]);
    } catch {
        return undefined;
    }
}

/**
 * The plan's data-tier notes: `NOT HIGHLY AVAILABLE: ...` first when any service is not HA
 * (single-instance StatefulSets, or a managed service with highAvailability off), then one line
 * per service saying whether it is HA and why (not).
 */
export function dataTierNotes(resources: PlannedResource[]): string[] {
    const notes: string[] = [];
    const single = notHighlyAvailable(resources);
    const tier = dataTierSummary(resources) ?? [];
    const notHa = tier.filter((t) => t.ha === false);
    if (single.length) {
        notes.push(
            `NOT HIGHLY AVAILABLE: ${single.join(", ")} run as single-instance in-cluster StatefulSets (evaluation and on-prem defaults of the kubernetes target). The Open WebUI pods are HA; these are not. For production set kubernetes.dataTier highlyAvailable (CloudNativePG, Valkey with Sentinel, a ReadWriteMany volume), database/redis/storage mode external (your HA services), or use target aws/gcp/azure.`,
        );
    } else if (notHa.length) {
        notes.push(`NOT HIGHLY AVAILABLE: ${notHa.map((t) => `${t.service} (${t.detail})`).join("; ")}.`);
    }
    if (tier.length) {
        const word = (t: DataServiceAvailability) => (t.ha === true ? "HA" : t.ha === false ? "NOT HA" : "external");
        notes.push(`data tier: ${tier.map((t) => `${t.service} ${t.mode}: ${word(t)} (${t.detail})`).join("; ")}`);
    }
    return notes;
}

export function mandatoryViolations(r: PlanResult): Violation[] {
    return r.violations.filter((v) => v.enforcementLevel === "mandatory");
}

/** Exit code: 0 ok, 1 mandatory policy violations, 2 program error, 64 usage error. */
export function exitCodeOf(r: PlanResult): number {
    if (r.error) return 2;
    return mandatoryViolations(r).length > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

function scalar(v: unknown): string {
    if (typeof v === "string") return v.length > 80 ? JSON.stringify(v.slice(0, 77) + "...") : JSON.stringify(v);
    return JSON.stringify(v);
}

/** The few properties worth a line in the tree. */
export function keyProperties(r: PlannedResource): [string, string][] {
    const p = r.props ?? {};
    const out: [string, string][] = [];
    if (r.type.startsWith("kubernetes:") && p.kind) {
        const md = p.metadata ?? {};
        out.push(["name", md.name ? `${md.namespace ? md.namespace + "/" : ""}${md.name}` : `(auto-named ${r.name}-*)`]);
        const spec = p.spec ?? {};
        if (spec.replicas !== undefined) out.push(["replicas", scalar(spec.replicas)]);
        const pod = p.kind === "Pod" ? spec : p.kind === "CronJob" ? spec.jobTemplate?.spec?.template?.spec : spec.template?.spec;
        const images = [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])].map((c: { image?: string } | undefined) => c?.image).filter(Boolean);
        if (images.length) out.push(["images", images.join(", ")]);
        if (p.kind === "Service")
            out.push([
                "service",
                `${spec.type ?? "ClusterIP"} ${(spec.ports ?? []).map((x: { port?: number; targetPort?: number | string }) => `${x.port}->${x.targetPort ?? x.port}`).join(",")}`,
            ]);
        if (p.kind === "HorizontalPodAutoscaler")
            out.push(["scale", `${spec.minReplicas ?? 1}..${spec.maxReplicas} -> ${spec.scaleTargetRef?.kind}/${spec.scaleTargetRef?.name}`]);
        if (p.kind === "Secret")
            out.push([
                "keys",
                Object.keys({ ...(typeof p.stringData === "object" ? p.stringData : {}), ...(typeof p.data === "object" ? p.data : {}) }).join(", ") ||
                    scalar(p.stringData ?? p.data),
            ]);
        if (p.kind === "ConfigMap" && p.data && typeof p.data === "object") out.push(["keys", Object.keys(p.data).join(", ")]);
        return out;
    }
    // Security/durability-relevant scalars first, then the rest, at most 12 lines.
    const important = /encrypt|public|deletion|protect|tls|ssl|engine|version|class|tier|size|region|location|sku|mode|family/i;
    const scalars = Object.entries(p).filter(([k, v]) => k !== "tags" && k !== "labels" && k !== "__defaults" && (v === null || typeof v !== "object"));
    for (const [k, v] of [...scalars.filter(([k]) => important.test(k)), ...scalars.filter(([k]) => !important.test(k))].slice(0, 12)) out.push([k, scalar(v)]);
    return out;
}

export function renderText(r: PlanResult): string {
    const lines: string[] = [];
    const custom = r.resources.filter((x) => !x.type.startsWith("pulumi:providers:"));
    lines.push(`Plan for project ${r.project}, stack ${r.stack} (offline, preview semantics: ${COMPUTED} = known after apply, ${SECRET_MASK} = secret)`);
    for (const n of r.notes) lines.push(`note: ${n}`);
    const byParent = new Map<string | undefined, PlannedResource[]>();
    const urns = new Set(r.resources.map((x) => x.urn));
    for (const x of custom) {
        const parent = x.parent && urns.has(x.parent) ? x.parent : undefined;
        if (!byParent.has(parent)) byParent.set(parent, []);
        byParent.get(parent)!.push(x);
    }
    const walk = (parent: string | undefined, depth: number) => {
        for (const x of byParent.get(parent) ?? []) {
            const pad = "  ".repeat(depth);
            const parentName = x.parent ? r.resources.find((y) => y.urn === x.parent)?.name : undefined;
            lines.push(`${pad}${x.read ? "=" : "+"} ${x.type}  ${x.name}${parentName && depth === 0 ? `  (parent ${parentName})` : ""}`);
            for (const [k, v] of keyProperties(x)) lines.push(`${pad}    ${k}: ${v}`);
            walk(x.urn, depth + 1);
        }
    };
    walk(undefined, 0);
    lines.push("");
    lines.push(
        `${resourceCount(r)} resources (${custom.filter((x) => x.custom).length} custom, ${custom.filter((x) => !x.custom && x.type !== "pulumi:pulumi:Stack").length} components)`,
    );
    if (r.outputs && typeof r.outputs === "object" && Object.keys(r.outputs).length) {
        lines.push("Outputs:");
        for (const [k, v] of Object.entries(r.outputs)) lines.push(`  ${k}: ${typeof v === "object" ? JSON.stringify(v) : scalar(v)}`);
    }
    if (r.k8sFiles.length) lines.push(`Wrote ${r.k8sFiles.length} Kubernetes objects to ${path.dirname(r.k8sFiles[0])}`);
    // The error itself goes to stderr once (main); stdout only says the plan is incomplete.
    if (r.error) return [...lines, "", "plan incomplete: the program failed (error on stderr)"].join("\n");
    lines.push("", ...renderCost(r.cost), "");
    const capacity = renderCapacity(r.capacity ?? []);
    if (capacity.length) lines.push(...capacity, "");
    if (r.policySkipped) lines.push("Policy pack openwebui-ha: not run (--no-policy).");
    else if (r.violations.length === 0) lines.push("Policy pack openwebui-ha: no violations.");
    else {
        const order: EnforcementLevel[] = ["mandatory", "advisory"];
        lines.push(
            `Policy pack openwebui-ha: ${mandatoryViolations(r).length} mandatory, ${r.violations.length - mandatoryViolations(r).length} advisory violation(s)`,
        );
        for (const lvl of order) {
            for (const v of r.violations.filter((x) => x.enforcementLevel === lvl)) {
                lines.push(`  [${lvl}] ${v.policyName}: ${v.resourceType ? `${v.resourceType} ${v.resourceName}: ` : ""}${v.message}`);
                lines.push(`      fix: ${v.remediation}`);
            }
        }
    }
    return lines.join("\n");
}

export function renderJson(r: PlanResult): string {
    return JSON.stringify(
        {
            ok: exitCodeOf(r) === 0,
            project: r.project,
            stack: r.stack,
            error: r.error,
            notes: r.notes,
            resources: r.resources.map((x) => ({
                urn: x.urn,
                type: x.type,
                name: x.name,
                parent: x.parent,
                custom: x.custom,
                read: x.read || undefined,
                inputs: x.props,
            })),
            outputs: r.outputs,
            kubernetesFiles: r.k8sFiles,
            violations: r.violations,
            policySkipped: r.policySkipped ?? false,
            cost: r.cost ?? null,
            capacity: r.capacity ?? [],
        },
        null,
        2,
    );
}
