// Hardening rules: default-deny NetworkPolicies, security response headers, load balancer
// request logs, the managed cache protected from deletion. Advisory: each reports a default the
// component sets and the user turned off (`network.defaultDeny`, `hardening.*`).
import { TYPES, isUnknown, raw, get, arr, resourceRule, stackRule } from "./shape";
import { findOwuiWorkloads, has, patternOf, plainValue } from "./workloads";

const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const BACKEND_CONFIG = "kubernetes:cloud.google.com/v1:BackendConfig";

/** Whether a label selector (matchLabels only; expressions count as matching) selects `labels`. */
function selects(selector: any, labels: Record<string, any>): boolean {
    if (isUnknown(selector)) return true;
    const ml = get(selector, "matchLabels") ?? {};
    if (isUnknown(ml)) return true;
    return Object.entries(ml).every(([k, v]) => isUnknown(v) || labels?.[k] === v);
}

export const networkDefaultDeny = stackRule({
    name: "owui-network-default-deny",
    description: "Open WebUI pods are isolated for ingress AND egress by a NetworkPolicy of their namespace (the component's default-deny; off with network.defaultDeny=false).",
    remediation: "Keep network.defaultDeny (default true), or add a NetworkPolicy selecting the Open WebUI pods with policyTypes [Ingress, Egress] and only the flows they need.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["security", "network"],
    validateStack: (args, report) => {
        const nps = args.resources.filter((r) => r.type === NETWORK_POLICY).map((r) => raw(r.props));
        for (const w of findOwuiWorkloads(args.resources, patternOf(args))) {
            if (w.type !== TYPES.deployment && w.type !== TYPES.statefulSet) continue;
            const isolated = (dir: string) => nps.some((p) => {
                const ns = get(p, "metadata", "namespace");
                const types = get(p, "spec", "policyTypes");
                const sameNs = isUnknown(ns) || (ns ?? "default") === w.namespace;
                return sameNs && selects(get(p, "spec", "podSelector"), w.podLabels) && (isUnknown(types) || arr(types).includes(dir));
            });
            const missing = ["Ingress", "Egress"].filter((d) => !isolated(d));
            if (missing.length) report(`${w.type.split(":").pop()} '${w.objectName ?? w.name}': no NetworkPolicy isolates its pods for ${missing.join(" and ")}.`, w.resource.urn);
        }
    },
});

export const securityHeaders = stackRule({
    name: "owui-security-headers",
    description: "Open WebUI serving pods set the security response headers (XCONTENT_TYPE, XFRAME_OPTIONS, REFERRER_POLICY; HSTS when WEBUI_URL is https). Off with hardening.securityHeaders=false.",
    remediation: "Keep hardening.securityHeaders (default true), or set XCONTENT_TYPE=nosniff, XFRAME_OPTIONS=DENY, REFERRER_POLICY and HSTS=max-age=31536000;includeSubDomains (or add them at the load balancer).",
    enforcementLevel: "advisory",
    severity: "low",
    tags: ["security", "http"],
    validateStack: (args, report) => {
        for (const w of findOwuiWorkloads(args.resources, patternOf(args))) {
            if (w.type !== TYPES.deployment && w.type !== TYPES.statefulSet) continue;
            for (const c of w.containers) {
                const url = plainValue(c.env.vars.get("WEBUI_URL"));
                const need = ["XCONTENT_TYPE", "XFRAME_OPTIONS", "REFERRER_POLICY", ...(url.known && String(url.value).startsWith("https://") ? ["HSTS"] : [])];
                const missing = need.filter((n) => !has(c.env, n));
                if (missing.length) report(`${w.type.split(":").pop()} '${w.objectName ?? w.name}' container '${c.container?.name}': no ${missing.join(", ")}.`, w.resource.urn);
            }
        }
    },
});

export const loadBalancerLogs = resourceRule({
    name: "load-balancer-access-logs",
    description: "GKE load balancer request logs on: BackendConfig spec.logging.enable=true (off with hardening.accessLogs=false).",
    remediation: "Keep hardening.accessLogs (default true), or set spec.logging: { enable: true, sampleRate: 1 } on the BackendConfig.",
    enforcementLevel: "advisory",
    severity: "low",
    tags: ["audit", "logging"],
    validateResource: (args, report) => {
        if (args.type !== BACKEND_CONFIG) return;
        const enable = get(raw(args.props), "spec", "logging", "enable");
        if (enable !== true && !isUnknown(enable)) report(`BackendConfig '${args.name}' has no request logging (spec.logging.enable=${enable}).`);
    },
});

export const cacheDeletionProtection = resourceRule({
    name: "cache-deletion-protection",
    description: "The managed Redis is protected from deletion: Memorystore deletionProtection not false; ElastiCache (no such flag) a finalSnapshotIdentifier (off with hardening.cacheDeletionProtection=false).",
    remediation: "Keep hardening.cacheDeletionProtection (default true): Memorystore deletionProtection=true, ElastiCache finalSnapshotIdentifier set; on Azure a CanNotDelete lock on the cache.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["durability"],
    validateResource: (args, report) => {
        const p = raw(args.props);
        if (args.type === TYPES.memorystoreInstance && p.deletionProtection === false) report(`Memorystore instance '${args.name}' has deletionProtection=false.`);
        if (args.type === TYPES.elasticacheReplicationGroup && (p.finalSnapshotIdentifier === undefined || p.finalSnapshotIdentifier === "")) report(`ElastiCache replication group '${args.name}' has no finalSnapshotIdentifier (deleting it keeps no snapshot).`);
    },
});
