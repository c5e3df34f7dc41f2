// The release's NetworkPolicies as plain objects: a default-deny (ingress and egress) for every
// pod carrying the instance label, then one allow-policy per workload with exactly its flows.
// Pure data (no resources) so the flow test (tests/networkFlows.test.ts) and the builder share
// it; serving.ts registers the objects. README "Network policies and hardening defaults".
import * as pulumi from "@pulumi/pulumi";
import { CloudTarget, EmbeddingEngine, ServiceMode } from "../args/enums";
import { RoutingMode } from "../args/routingMode";
import { APP_PORT } from "./workloads";
import { problem } from "../spec/errors";
import type { ResolvedSpec } from "../spec/specTypes";
import { DEFAULTS } from "../spec/defaults";
import { CNPG_ROLE } from "../data/cnpg";
import { haDataPolicies } from "../data/netpol";
import { SENTINEL_ROLE, SENTINEL_SETTINGS, VALKEY_ROLE } from "../data/valkeySentinel";

type Labels = { [key: string]: string };
export interface NpPort {
    protocol: string;
    port: number;
}
export interface NpPeer {
    podSelector?: { matchLabels: Labels };
    namespaceSelector?: { matchLabels: Labels };
    ipBlock?: { cidr: string; except?: string[] };
}
export interface NpRule {
    peers: NpPeer[];
    ports: NpPort[];
}
export interface NpSpec {
    podSelector: { matchLabels: Labels };
    policyTypes: string[];
    ingress?: { from?: NpPeer[]; ports?: NpPort[] }[];
    egress?: { to?: NpPeer[]; ports?: NpPort[] }[];
}

/** The private ranges an ALB / Application Gateway reaches IP-mode targets from (per-target default). */
export const PRIVATE_CIDRS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];
/** Google's front ends and health checkers (GKE container-native load balancing). */
export const GOOGLE_LB_CIDRS = ["35.191.0.0/16", "130.211.0.0/22"];
/** Default namespace of the ingress controller (routing `ingress`) and of AKS application routing. */
export const DEFAULT_INGRESS_NAMESPACE = "ingress-nginx";
export const AKS_APP_ROUTING_NAMESPACE = "app-routing-system";

const ANY = "0.0.0.0/0";
const tcp = (...ports: number[]): NpPort[] => ports.map((port) => ({ protocol: "TCP", port }));
const anywhere = (...ports: number[]): NpRule => ({ peers: [{ ipBlock: { cidr: ANY } }], ports: tcp(...ports) });
const DNS: NpRule = {
    peers: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
    ports: [
        { protocol: "UDP", port: 53 },
        { protocol: "TCP", port: 53 },
    ],
};

/** The TCP port of a URL given as a plain string (scheme default), or undefined when unknown. */
export function urlPort(u: pulumi.Input<string> | undefined, fallback?: number): number | undefined {
    if (typeof u !== "string") return fallback;
    try {
        const x = new URL(u);
        if (x.port) return Number(x.port);
        return x.protocol === "http:" ? 80 : x.protocol === "https:" ? 443 : fallback;
    } catch {
        return fallback;
    }
}

/** Everything the builder needs beyond the spec. */
export interface NetpolContext {
    instance: string;
    appSelector: Labels;
    /** Roles of the in-cluster services the release runs (postgres, redis, objects, otel-collector). */
    roles: string[];
}

const role = (c: NetpolContext, r: string): Labels => ({ "app.kubernetes.io/instance": c.instance, "app.kubernetes.io/component": r });
const toRole = (c: NetpolContext, r: string, ...ports: number[]): NpRule => ({ peers: [{ podSelector: { matchLabels: role(c, r) } }], ports: tcp(...ports) });

function databaseEgress(s: ResolvedSpec, c: NetpolContext): NpRule {
    if (c.roles.includes("postgres")) return toRole(c, "postgres", 5432);
    if (c.roles.includes(CNPG_ROLE)) return toRole(c, CNPG_ROLE, 5432);
    return anywhere(s.database.mode === ServiceMode.External ? urlPort(s.database.url, 5432)! : 5432);
}

function redisEgress(s: ResolvedSpec, c: NetpolContext): NpRule[] {
    if (c.roles.includes("redis")) return [toRole(c, "redis", 6379)];
    if (c.roles.includes(VALKEY_ROLE)) return [toRole(c, VALKEY_ROLE, SENTINEL_SETTINGS.valkeyPort), toRole(c, SENTINEL_ROLE, SENTINEL_SETTINGS.sentinelPort)];
    if (s.redis.mode === ServiceMode.Managed) {
        const ports = s.target === CloudTarget.Gcp ? [6378, 6379] : s.target === CloudTarget.Azure ? [10000, 6380] : [6379];
        return [anywhere(...ports)];
    }
    const ports = [urlPort(s.redis.url, 6379)!];
    if (s.redis.sentinelHosts) ports.push(s.redis.sentinelPort ?? 26379);
    return [anywhere(...new Set(ports))];
}

function objectStoreEgress(s: ResolvedSpec, c: NetpolContext): NpRule[] {
    if (c.roles.includes("objects")) return [toRole(c, "objects", 8333)];
    if (s.storage.mode === ServiceMode.SharedVolume) return []; // a mounted volume: the kubelet's traffic, not the pod's
    if (s.storage.mode === ServiceMode.External) return [anywhere(urlPort(s.storage.s3EndpointUrl, 443)!)];
    return [anywhere(443)];
}

function collectorEgress(s: ResolvedSpec, c: NetpolContext): NpRule[] {
    if (c.roles.includes("otel-collector")) return [toRole(c, "otel-collector", 4317, 4318)];
    if (!s.otel.enabled || s.otel.collectorEndpoint === undefined) return [];
    const port = urlPort(s.otel.collectorEndpoint);
    return [port !== undefined ? anywhere(port) : anywhere(4317, 4318)];
}

/** The cloud's identity endpoints: EKS Pod Identity agent and IMDS, the GKE metadata server, Entra ID (443). */
function identityEgress(s: ResolvedSpec): NpRule[] {
    const host = (cidr: string, port: number): NpRule => ({ peers: [{ ipBlock: { cidr } }], ports: tcp(port) });
    switch (s.target) {
        case CloudTarget.Aws:
            return [host("169.254.170.23/32", 80), host("169.254.169.254/32", 80), anywhere(443)];
        case CloudTarget.Gcp:
            return [host("169.254.169.254/32", 80), host("169.254.169.252/32", 988), anywhere(443)];
        case CloudTarget.Azure:
            return [anywhere(443)];
        default:
            return [];
    }
}

/** Ports of the model, embedding and sign-in endpoints the spec names (any address: names have no fixed IP). */
function endpointPorts(s: ResolvedSpec): number[] {
    const r = s.rag;
    const urls: (pulumi.Input<string> | undefined)[] = [
        ...(r.openaiApiBaseUrls ?? []),
        ...(r.ollamaBaseUrls ?? []),
        r.embeddingApiBaseUrl,
        s.oidc?.providerUrl,
    ];
    const ports = urls.filter((u) => u !== undefined).map((u) => urlPort(u, 443)!);
    // Unset, Open WebUI sends embeddings to api.openai.com; Google/Microsoft/GitHub sign-in is HTTPS.
    const defaultOpenai = r.embeddingEngine === EmbeddingEngine.Openai && r.embeddingApiBaseUrl === undefined && !(r.openaiApiBaseUrls ?? []).length;
    if (defaultOpenai || s.sso?.google || s.sso?.microsoft || s.sso?.github) ports.push(443);
    return [...new Set(ports)].sort((a, b) => a - b);
}

/** Egress of the Open WebUI pods. */
export function appEgress(s: ResolvedSpec, c: NetpolContext): NpRule[] {
    const out = [DNS, databaseEgress(s, c), ...redisEgress(s, c), ...objectStoreEgress(s, c), ...collectorEgress(s, c), ...identityEgress(s)];
    const ports = endpointPorts(s);
    if (ports.length) out.push(anywhere(...ports));
    if (s.network.egressToInternet) out.push(anywhere(443, 80));
    for (const e of s.network.allowedEgress ?? [])
        out.push({ peers: [{ ipBlock: { cidr: e.cidr } }], ports: tcp(...(e.ports ?? DEFAULTS["network.allowedEgress[].ports"].value)) });
    return out;
}

/** Egress of the migration Job: the database, Redis, the collector, DNS and identity (no object store, no internet). */
export function migrationEgress(s: ResolvedSpec, c: NetpolContext): NpRule[] {
    return [DNS, databaseEgress(s, c), ...redisEgress(s, c), ...collectorEgress(s, c), ...identityEgress(s)];
}

/**
 * Egress of the import Job (importFrom): exactly the app's (it writes the same database, bucket
 * and vector store with the same identity), plus a source Postgres on 5432 at any address (its
 * URL lives in the user's Secret; another port: network.allowedEgress). No ingress.
 */
export function importEgress(s: ResolvedSpec, c: NetpolContext): NpRule[] {
    return [...appEgress(s, c), ...(s.importFrom?.databaseUrlSecret !== undefined ? [anywhere(5432)] : [])];
}

/** Sources of the app's port 8080: the load balancer's ranges or the ingress controller's namespace. */
export function appSources(s: ResolvedSpec): NpPeer[] {
    const k = s.kubernetes;
    const cidrs = s.network.loadBalancerSourceCidrs;
    const nsPeer = (ns: string | undefined): NpPeer[] =>
        ns === undefined
            ? []
            : [
                  {
                      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } },
                      ...(k.ingressControllerPodLabels ? { podSelector: { matchLabels: k.ingressControllerPodLabels } } : {}),
                  },
              ];
    const ipPeers = (list: string[]): NpPeer[] => list.map((cidr) => ({ ipBlock: { cidr } }));
    switch (s.target) {
        case CloudTarget.Aws:
            return ipPeers(cidrs ?? PRIVATE_CIDRS);
        case CloudTarget.Gcp:
            return ipPeers(cidrs ?? GOOGLE_LB_CIDRS);
        case CloudTarget.Azure:
            if (String(s.azure?.ingress?.controller) === "appRoutingNginx")
                return [...ipPeers(cidrs ?? []), ...nsPeer(k.ingressControllerNamespace ?? AKS_APP_ROUTING_NAMESPACE)];
            return ipPeers(cidrs ?? PRIVATE_CIDRS);
        default: {
            const routing = k.routing ?? (k.gateway ? RoutingMode.GatewayApi : RoutingMode.Ingress);
            const dflt =
                routing === RoutingMode.Ingress
                    ? DEFAULT_INGRESS_NAMESPACE
                    : routing === RoutingMode.GatewayApi
                      ? (k.gateway?.namespace ?? s.namespace)
                      : undefined;
            return [...ipPeers(cidrs ?? []), ...nsPeer(k.ingressControllerNamespace ?? dflt)];
        }
    }
}

/** Egress of the collector: DNS and its exporter's port; with the cloud backend, its identity endpoints and the cloud's APIs on 443. */
export function collectorExport(s: ResolvedSpec): NpRule[] {
    if (s.otel.cloudBackend) return [DNS, ...identityEgress(s), anywhere(443)];
    if (s.otel.exporterEndpoint === undefined) return [DNS];
    const port = urlPort(s.otel.exporterEndpoint);
    return [DNS, port !== undefined ? anywhere(port) : anywhere(443, 4317, 4318)];
}

/** Bad network args: each names the field, the value and the fix. */
export function networkProblems(s: ResolvedSpec): string[] {
    const n = s.network ?? {};
    const out: string[] = [];
    const cidrOk = (v: unknown) =>
        typeof v === "string" &&
        /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.test(v) &&
        v.split(/[./]/).every((x, i) => Number(x) <= (i === 4 ? 32 : 255));
    (n.loadBalancerSourceCidrs ?? []).forEach((c, i) => {
        if (!cidrOk(c)) out.push(problem(`network.loadBalancerSourceCidrs[${i}]`, c, "use an IPv4 CIDR such as 10.0.0.0/16"));
    });
    (n.allowedEgress ?? []).forEach((e, i) => {
        if (!cidrOk(e?.cidr)) out.push(problem(`network.allowedEgress[${i}].cidr`, e?.cidr, "use an IPv4 CIDR such as 203.0.113.7/32"));
        (e?.ports ?? []).forEach((p, j) => {
            if (!Number.isInteger(p) || p < 1 || p > 65535) out.push(problem(`network.allowedEgress[${i}].ports[${j}]`, p, "use a TCP port from 1 to 65535"));
        });
    });
    const ns = s.kubernetes.ingressControllerNamespace;
    if (ns !== undefined && !(typeof ns === "string" && /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(ns)))
        out.push(problem("kubernetes.ingressControllerNamespace", ns, "use a namespace name (lowercase letters, digits, '-')"));
    return out;
}

const ingress = (peers: NpPeer[], ports: NpPort[]) => (peers.length ? [{ from: peers, ports }] : []);
const egress = (rules: NpRule[]) => rules.map((r) => ({ to: r.peers, ports: r.ports }));
const from = (c: NetpolContext, ...roles: string[]): NpPeer[] => roles.map((r) => ({ podSelector: { matchLabels: r === "app" ? c.appSelector : role(c, r) } }));
const both = ["Ingress", "Egress"];

/**
 * `weed server` talks to itself by the pod's address: master 9333/19333, volume 8080/18080,
 * filer 8888/18888, S3 8333 (one pod today; the rule also covers replicas).
 */
const SEAWEEDFS_SELF_PORTS = [8080, 8333, 8888, 9333, 18080, 18888, 19333];

/** A data service: admits its clients on their ports; with `selfPorts`, itself on those (and DNS). */
function dataService(c: NetpolContext, r: string, clients: NpRule[], selfPorts?: number[]): NpSpec {
    const self: NpRule = { peers: [{ podSelector: { matchLabels: role(c, r) } }], ports: tcp(...(selfPorts ?? [])) };
    const rules = selfPorts ? [...clients, self] : clients;
    return {
        podSelector: { matchLabels: role(c, r) },
        policyTypes: both,
        ingress: rules.map((x) => ({ from: x.peers, ports: x.ports })),
        egress: selfPorts ? egress([DNS, self]) : [],
    };
}

/**
 * Every NetworkPolicy of the release (name suffix -> spec): `default-deny` for every pod with the
 * instance label, then one per workload. Only the roles that run are listed.
 */
export function networkPolicySpecs(s: ResolvedSpec, c: NetpolContext): { suffix: string; spec: NpSpec }[] {
    const inCluster = (r: string) => c.roles.includes(r);
    const dbJobs = s.database.mode === ServiceMode.External || s.database.mode === ServiceMode.InClusterHa ? [] : ["db-bootstrap"];
    // The import Job is a client of every service the app uses.
    const importer = s.importFrom !== undefined ? ["import"] : [];
    const out: { suffix: string; spec: NpSpec }[] = [
        {
            suffix: "default-deny",
            spec: { podSelector: { matchLabels: { "app.kubernetes.io/instance": c.instance } }, policyTypes: both, ingress: [], egress: [] },
        },
        {
            suffix: "app",
            spec: {
                podSelector: { matchLabels: c.appSelector },
                policyTypes: both,
                ingress: ingress(appSources(s), tcp(APP_PORT)),
                egress: egress(appEgress(s, c)),
            },
        },
        {
            suffix: "migrations",
            spec: { podSelector: { matchLabels: role(c, "migrations") }, policyTypes: both, ingress: [], egress: egress(migrationEgress(s, c)) },
        },
    ];
    if (importer.length)
        out.push({
            suffix: "import",
            spec: { podSelector: { matchLabels: role(c, "import") }, policyTypes: both, ingress: [], egress: egress(importEgress(s, c)) },
        });
    if (dbJobs.length)
        out.push({
            suffix: "db-bootstrap",
            spec: {
                podSelector: { matchLabels: role(c, "db-bootstrap") },
                policyTypes: both,
                ingress: [],
                egress: egress([DNS, databaseEgress(s, c), ...identityEgress(s)]),
            },
        });
    if (inCluster("postgres"))
        out.push({ suffix: "postgres", spec: dataService(c, "postgres", [{ peers: from(c, "app", "migrations", ...importer, ...dbJobs), ports: tcp(5432) }]) });
    // The HA data services admit the import Job wherever they admit the app.
    out.push(...haDataPolicies(s, c, DNS, (x, ...roles) => from(x, ...roles.flatMap((r) => (r === "app" ? ["app", ...importer] : [r])))));
    if (inCluster("redis"))
        out.push({ suffix: "redis", spec: dataService(c, "redis", [{ peers: from(c, "app", "migrations", ...importer), ports: tcp(6379) }]) });
    if (inCluster("objects")) {
        const clients = [
            { peers: from(c, "app", ...importer), ports: tcp(8333) },
            { peers: from(c, "objects-init"), ports: tcp(9333, 19333, 18888) },
        ];
        out.push({ suffix: "objects", spec: dataService(c, "objects", clients, SEAWEEDFS_SELF_PORTS) });
        out.push({
            suffix: "objects-init",
            spec: {
                podSelector: { matchLabels: role(c, "objects-init") },
                policyTypes: both,
                ingress: [],
                egress: egress([DNS, toRole(c, "objects", 9333, 19333, 18888)]),
            },
        });
    }
    if (inCluster("otel-collector")) {
        out.push({
            suffix: "otel-collector",
            spec: {
                podSelector: { matchLabels: role(c, "otel-collector") },
                policyTypes: both,
                ingress: [{ from: from(c, "app", "migrations", ...importer), ports: tcp(4317, 4318) }],
                egress: egress(collectorExport(s)),
            },
        });
    }
    return out;
}
