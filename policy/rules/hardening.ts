// Hardening rules: default-deny NetworkPolicies, security response headers, load balancer and
// bucket access logs, Azure diagnostic settings, the managed cache and the Azure storage account
// protected from deletion. Advisory: each reports a default the component sets and the user
// turned off (`network.defaultDeny`, `hardening.*`).
import type { PolicyResource } from "@pulumi/policy";
import { TYPES, isUnknown, raw, get, arr, resourceRule, stackRule, type Json } from "./shape";
import { findOwuiWorkloads, has, patternOf, plainValue } from "./workloads";

const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const BACKEND_CONFIG = "kubernetes:cloud.google.com/v1:BackendConfig";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const ALB = "alb.ingress.kubernetes.io";
const S3_LOGGING = new Set(["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"]);
const DIAGNOSTIC_SETTINGS = new Set(["azure-native:monitor:DiagnosticSetting", "azure-native:insights:DiagnosticSetting"]);
const LOCKS = new Set<string>([TYPES.lockByScope, TYPES.lockAtResourceLevel, TYPES.lockAtResourceGroupLevel]);

/** Whether a label selector (matchLabels only; expressions count as matching) selects `labels`. */
function selects(selector: Json, labels: Record<string, Json>): boolean {
    if (isUnknown(selector)) return true;
    const ml = get(selector, "matchLabels") ?? {};
    if (isUnknown(ml)) return true;
    return Object.entries(ml).every(([k, v]) => isUnknown(v) || labels?.[k] === v);
}

export const networkDefaultDeny = stackRule({
    name: "owui-network-default-deny",
    description:
        "Open WebUI pods are isolated for ingress AND egress by a NetworkPolicy of their namespace (the component's default-deny; off with network.defaultDeny=false).",
    remediation:
        "Keep network.defaultDeny (default true), or add a NetworkPolicy selecting the Open WebUI pods with policyTypes [Ingress, Egress] and only the flows they need.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["security", "network"],
    validateStack: (args, report) => {
        const nps = args.resources.filter((r) => r.type === NETWORK_POLICY).map((r) => raw(r.props));
        for (const w of findOwuiWorkloads(args.resources, patternOf(args))) {
            if (w.type !== TYPES.deployment && w.type !== TYPES.statefulSet) continue;
            const isolated = (dir: string) =>
                nps.some((p) => {
                    const ns = get(p, "metadata", "namespace");
                    const types = get(p, "spec", "policyTypes");
                    const sameNs = isUnknown(ns) || (ns ?? "default") === w.namespace;
                    return sameNs && selects(get(p, "spec", "podSelector"), w.podLabels) && (isUnknown(types) || arr(types).includes(dir));
                });
            const missing = ["Ingress", "Egress"].filter((d) => !isolated(d));
            if (missing.length)
                report(
                    `${w.type.split(":").pop()} '${w.objectName ?? w.name}': no NetworkPolicy isolates its pods for ${missing.join(" and ")}.`,
                    w.resource.urn,
                );
        }
    },
});

export const securityHeaders = stackRule({
    name: "owui-security-headers",
    description:
        "Open WebUI serving pods set the security response headers (XCONTENT_TYPE, XFRAME_OPTIONS, REFERRER_POLICY; HSTS when WEBUI_URL is https). Off with hardening.securityHeaders=false.",
    remediation:
        "Keep hardening.securityHeaders (default true), or set XCONTENT_TYPE=nosniff, XFRAME_OPTIONS=DENY, REFERRER_POLICY and HSTS=max-age=31536000;includeSubDomains (or add them at the load balancer).",
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
                if (missing.length)
                    report(
                        `${w.type.split(":").pop()} '${w.objectName ?? w.name}' container '${c.container?.name}': no ${missing.join(", ")}.`,
                        w.resource.urn,
                    );
            }
        }
    },
});

/** An AWS Load Balancer Controller Ingress (its class, or any `alb.ingress.kubernetes.io/` annotation). */
function isAlbIngress(p: Json): boolean {
    const ann = get(p, "metadata", "annotations") ?? {};
    return (
        get(p, "spec", "ingressClassName") === "alb" || ann["kubernetes.io/ingress.class"] === "alb" || Object.keys(ann).some((k) => k.startsWith(`${ALB}/`))
    );
}

/** `k=v` pairs of an ALB `load-balancer-attributes` annotation (undefined when unknown). */
function albAttributes(p: Json): Map<string, string> | undefined {
    const v = get(p, "metadata", "annotations", `${ALB}/load-balancer-attributes`);
    if (isUnknown(v)) return undefined;
    return new Map(
        String(v ?? "")
            .split(",")
            .filter((kv) => kv.includes("="))
            .map((kv) => [kv.slice(0, kv.indexOf("=")).trim(), kv.slice(kv.indexOf("=") + 1).trim()]),
    );
}

export const loadBalancerLogs = resourceRule({
    name: "load-balancer-access-logs",
    description:
        "Load balancer request logs on: GKE BackendConfig spec.logging.enable=true; AWS ALB Ingress load-balancer-attributes access_logs.s3.enabled=true with a bucket (off with hardening.accessLogs=false).",
    remediation:
        "Keep hardening.accessLogs (default true); or set spec.logging: { enable: true, sampleRate: 1 } on the BackendConfig, and alb.ingress.kubernetes.io/load-balancer-attributes: access_logs.s3.enabled=true,access_logs.s3.bucket=<log bucket> on the ALB Ingress.",
    enforcementLevel: "advisory",
    severity: "low",
    tags: ["audit", "logging"],
    validateResource: (args, report) => {
        const p = raw(args.props);
        if (args.type === BACKEND_CONFIG) {
            const enable = get(p, "spec", "logging", "enable");
            if (enable !== true && !isUnknown(enable)) report(`BackendConfig '${args.name}' has no request logging (spec.logging.enable=${enable}).`);
        }
        if (args.type === INGRESS && isAlbIngress(p)) {
            const attrs = albAttributes(p);
            if (attrs && (attrs.get("access_logs.s3.enabled") !== "true" || !attrs.get("access_logs.s3.bucket")))
                report(`ALB Ingress '${args.name}' has no access logs (load-balancer-attributes without access_logs.s3.enabled=true and a bucket).`);
        }
    },
});

/** Whether `r`'s `prop` names `target`: by name/ARM-id suffix, or through the engine's property dependencies. */
function refersTo(r: PolicyResource, prop: string, value: unknown, target: PolicyResource, names: unknown[]): boolean {
    if (typeof value === "string" && !isUnknown(value)) {
        const v = value.toLowerCase();
        if (
            names.some(
                (n) =>
                    typeof n === "string" &&
                    n !== "" &&
                    !isUnknown(n) &&
                    (v === n.toLowerCase() || v.endsWith(`/${n.toLowerCase()}`) || v.includes(`/${n.toLowerCase()}/`)),
            )
        )
            return true;
    }
    return arr((r as Partial<PolicyResource>).propertyDependencies?.[prop]).some((d: PolicyResource) => d === target || d?.urn === target.urn);
}

export const bucketAccessLogs = stackRule({
    name: "bucket-access-logs",
    description:
        "Upload buckets log their requests: S3 server access logging (a BucketLogging), GCS usage logs (logging.logBucket). A bucket that receives logs is exempt (off with hardening.accessLogs=false).",
    remediation:
        "Keep hardening.accessLogs (default true); or add an aws.s3.BucketLogging for the bucket into a log bucket, or set logging { logBucket } on the GCS bucket.",
    enforcementLevel: "advisory",
    severity: "low",
    tags: ["audit", "logging"],
    validateStack: (args, report) => {
        const logging = args.resources.filter((r) => S3_LOGGING.has(r.type));
        const albs = args.resources.filter((r) => r.type === INGRESS && isAlbIngress(raw(r.props))).map((r) => albAttributes(raw(r.props)));
        for (const b of args.resources.filter((r) => r.type === TYPES.s3Bucket || r.type === TYPES.s3BucketV2)) {
            const bp = raw(b.props);
            const names = [bp.bucket, bp.id].filter((n) => typeof n === "string" && n !== "" && !isUnknown(n));
            const logged = logging.some((l) => refersTo(l, "bucket", raw(l.props).bucket, b, names));
            const target =
                logging.some((l) => refersTo(l, "targetBucket", raw(l.props).targetBucket, b, names)) ||
                albs.some((a) => a === undefined || names.includes(a.get("access_logs.s3.bucket")));
            if (!logged && !target) report(`S3 bucket '${b.name}' has no server access logging (no BucketLogging names it).`, b.urn);
        }
        const gcs = args.resources.filter((r) => r.type === TYPES.gcsBucket);
        for (const b of gcs) {
            const logBucket = get(raw(b.props), "logging", "logBucket");
            if (isUnknown(logBucket) || (typeof logBucket === "string" && logBucket !== "")) continue;
            const target = gcs.some((o) => o !== b && refersTo(o, "logging", get(raw(o.props), "logging", "logBucket"), b, [raw(b.props).name]));
            if (!target) report(`GCS bucket '${b.name}' has no usage logs (logging.logBucket unset).`, b.urn);
        }
    },
});

export const azureDiagnosticSettings = stackRule({
    name: "azure-diagnostic-settings",
    description:
        "The Azure data services send their logs to Log Analytics: a diagnostic setting on each PostgreSQL flexible server, Azure Managed Redis cluster (or its database) and storage account (or its blob service) (off with hardening.accessLogs=false).",
    remediation:
        "Keep hardening.accessLogs (default true); or add an azure-native monitor.DiagnosticSetting (categoryGroup allLogs, AllMetrics/Transaction) with a workspaceId on each.",
    enforcementLevel: "advisory",
    severity: "low",
    tags: ["audit", "logging"],
    validateStack: (args, report) => {
        const settings = args.resources.filter((r) => DIAGNOSTIC_SETTINGS.has(r.type));
        const targets: [string, string, string][] = [
            [TYPES.pgFlexibleServer, "serverName", "PostgreSQL server"],
            [TYPES.redisEnterprise, "clusterName", "Azure Managed Redis"],
            [TYPES.storageAccount, "accountName", "Storage account"],
        ];
        for (const [type, nameProp, label] of targets) {
            for (const t of args.resources.filter((r) => r.type === type)) {
                const covered = settings.some(
                    (d) => isUnknown(raw(d.props).resourceUri) || refersTo(d, "resourceUri", raw(d.props).resourceUri, t, [raw(t.props)[nameProp]]),
                );
                if (!covered) report(`${label} '${t.name}' has no diagnostic setting.`, t.urn);
            }
        }
    },
});

export const storageDeletionProtection = stackRule({
    name: "storage-deletion-protection",
    description:
        "An Azure storage account holding uploads has a CanNotDelete (or ReadOnly) management lock: Azure deletes an account with all its blobs, S3 and GCS refuse to delete a bucket that holds objects (off with hardening.storageDeletionProtection=false).",
    remediation: "Keep hardening.storageDeletionProtection (default true), or add a ManagementLockByScope (level CanNotDelete) scoped to the storage account.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["durability"],
    validateStack: (args, report) => {
        const locks = args.resources.filter(
            (r) => LOCKS.has(r.type) && (isUnknown(raw(r.props).level) || ["CanNotDelete", "ReadOnly"].includes(raw(r.props).level)),
        );
        for (const a of args.resources.filter((r) => r.type === TYPES.storageAccount)) {
            const ap = raw(a.props);
            const locked = locks.some((l) => {
                const lp = raw(l.props);
                if (l.type === TYPES.lockAtResourceGroupLevel) return typeof ap.resourceGroupName === "string" && lp.resourceGroupName === ap.resourceGroupName;
                if (l.type === TYPES.lockAtResourceLevel) return lp.resourceName === ap.accountName && /storageAccounts/i.test(String(lp.resourceType));
                return isUnknown(lp.scope) || refersTo(l, "scope", lp.scope, a, [ap.accountName]);
            });
            if (!locked) report(`Storage account '${a.name}' has no CanNotDelete management lock in the stack.`, a.urn);
        }
    },
});

export const cacheDeletionProtection = resourceRule({
    name: "cache-deletion-protection",
    description:
        "The managed Redis is protected from deletion: Memorystore deletionProtection not false; ElastiCache (no such flag) a finalSnapshotIdentifier (off with hardening.cacheDeletionProtection=false).",
    remediation:
        "Keep hardening.cacheDeletionProtection (default true): Memorystore deletionProtection=true, ElastiCache finalSnapshotIdentifier set; on Azure a CanNotDelete lock on the cache.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["durability"],
    validateResource: (args, report) => {
        const p = raw(args.props);
        if (args.type === TYPES.memorystoreInstance && p.deletionProtection === false)
            report(`Memorystore instance '${args.name}' has deletionProtection=false.`);
        if (args.type === TYPES.elasticacheReplicationGroup && (p.finalSnapshotIdentifier === undefined || p.finalSnapshotIdentifier === ""))
            report(`ElastiCache replication group '${args.name}' has no finalSnapshotIdentifier (deleting it keeps no snapshot).`);
    },
});

export const appServiceExposed = stackRule({
    name: "owui-app-service-not-exposed",
    description:
        "Open WebUI pods are reached through the ingress or Gateway (TLS, security headers, access logs), not straight through a NodePort or LoadBalancer Service (the component's service.type ClusterIP default).",
    remediation:
        "Keep service.type ClusterIP (default) and expose the app through the Ingress or Gateway; if a NodePort or LoadBalancer Service is needed, narrow network.loadBalancerSourceCidrs to the load balancer's addresses and terminate TLS before the pods.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["security", "network"],
    validateStack: (args, report) => {
        const workloads = findOwuiWorkloads(args.resources, patternOf(args)).filter((w) => w.type === TYPES.deployment || w.type === TYPES.statefulSet);
        for (const s of args.resources.filter((r) => r.type === TYPES.service)) {
            const p = raw(s.props);
            const type = get(p, "spec", "type");
            if (type !== "NodePort" && type !== "LoadBalancer") continue;
            const selector = get(p, "spec", "selector");
            if (!selector || isUnknown(selector)) continue;
            const ns = get(p, "metadata", "namespace");
            const hit = workloads.find(
                (w) =>
                    (isUnknown(ns) || (ns ?? "default") === w.namespace) && Object.entries(selector).every(([k, v]) => isUnknown(v) || w.podLabels?.[k] === v),
            );
            if (hit)
                report(
                    `Service '${get(p, "metadata", "name") ?? s.name}' of type ${type} exposes the Open WebUI pods of '${hit.objectName ?? hit.name}' outside the ingress.`,
                    s.urn,
                );
        }
    },
});
