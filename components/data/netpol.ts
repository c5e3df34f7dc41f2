// NetworkPolicies of the HA data services (added to components/kubernetes/netpol.ts' set when they run):
// exactly their flows, nothing else.
//   CloudNativePG instances: 5432 from the app, the migration Job and each other (streaming
//   replication); 8000 (the instance manager's status port) from the operator's namespace; out to
//   each other on 5432, to the Kubernetes API (the instance manager reads and updates its Cluster:
//   443 and 6443 anywhere, since the API server's address is the cluster's), and to the backup
//   endpoint when backups are on.
//   Valkey: 6379 from the app, the migration Job, the Sentinels and the other Valkey pods
//   (replication); out to Valkey 6379 and Sentinel 26379 (the start script asks who the primary is).
//   Sentinels: 26379 from the app, the migration Job, each other and Valkey; out to Valkey 6379 and Sentinel 26379.
import type { ResolvedSpec } from "../spec/specTypes";
import { CNPG_ROLE, CNPG_STATUS_PORT, DEFAULT_CNPG_OPERATOR_NAMESPACE } from "./cnpg";
import { SENTINEL_ROLE, SENTINEL_SETTINGS, VALKEY_ROLE } from "./valkeySentinel";

// Structural twins of components/kubernetes/netpol.ts' types (that module imports this one).
type Labels = { [key: string]: string };
type NpPeer = { podSelector?: { matchLabels: Labels }; namespaceSelector?: { matchLabels: Labels }; ipBlock?: { cidr: string; except?: string[] } };
type NpPort = { protocol: string; port: number };
type NpSpec = {
    podSelector: { matchLabels: Labels };
    policyTypes: string[];
    ingress?: { from?: NpPeer[]; ports?: NpPort[] }[];
    egress?: { to?: NpPeer[]; ports?: NpPort[] }[];
};
type NetpolContext = { instance: string; appSelector: Labels; roles: string[] };
type Rule = { peers: NpPeer[]; ports: NpPort[] };
const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: "TCP", port }));
const ANY: NpPeer = { ipBlock: { cidr: "0.0.0.0/0" } };
const both = ["Ingress", "Egress"];

/** The TCP port of the backup endpoint (443 for AWS S3 or an https URL without a port). */
function backupPort(s: ResolvedSpec): number {
    const u = s.database.backup?.endpointUrl;
    if (u === undefined) return 443;
    try {
        const x = new URL(u);
        return x.port ? Number(x.port) : x.protocol === "http:" ? 80 : 443;
    } catch {
        return 443;
    }
}

/**
 * The HA services' policies. `dns` is the DNS egress rule and `from` turns roles into peers
 * (both from components/kubernetes/netpol.ts, passed in to keep the module graph acyclic).
 */
export function haDataPolicies(
    s: ResolvedSpec,
    c: NetpolContext,
    dns: Rule,
    from: (c: NetpolContext, ...roles: string[]) => NpPeer[],
): { suffix: string; spec: NpSpec }[] {
    const out: { suffix: string; spec: NpSpec }[] = [];
    const sel = (r: string) => ({ matchLabels: { "app.kubernetes.io/instance": c.instance, "app.kubernetes.io/component": r } });
    if (c.roles.includes(CNPG_ROLE)) {
        const operatorNs = s.kubernetes.cnpgOperatorNamespace ?? DEFAULT_CNPG_OPERATOR_NAMESPACE;
        const egress: Rule[] = [dns, { peers: from(c, CNPG_ROLE), ports: tcp(5432) }, { peers: [ANY], ports: tcp(443, 6443) }];
        if (s.database.backup) egress.push({ peers: [ANY], ports: tcp(backupPort(s)) });
        out.push({
            suffix: CNPG_ROLE,
            spec: {
                podSelector: sel(CNPG_ROLE),
                policyTypes: both,
                ingress: [
                    { from: from(c, "app", "migrations", CNPG_ROLE), ports: tcp(5432) },
                    { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": operatorNs } } }], ports: tcp(CNPG_STATUS_PORT) },
                ],
                egress: egress.map((r) => ({ to: r.peers, ports: r.ports })),
            },
        });
    }
    if (c.roles.includes(VALKEY_ROLE)) {
        const { valkeyPort, sentinelPort } = SENTINEL_SETTINGS;
        const egress = [dns, { peers: from(c, VALKEY_ROLE), ports: tcp(valkeyPort) }, { peers: from(c, SENTINEL_ROLE), ports: tcp(sentinelPort) }].map((r) => ({
            to: r.peers,
            ports: r.ports,
        }));
        const clients = from(c, "app", "migrations", VALKEY_ROLE, SENTINEL_ROLE);
        out.push({
            suffix: VALKEY_ROLE,
            spec: { podSelector: sel(VALKEY_ROLE), policyTypes: both, ingress: [{ from: clients, ports: tcp(valkeyPort) }], egress },
        });
        out.push({
            suffix: SENTINEL_ROLE,
            spec: { podSelector: sel(SENTINEL_ROLE), policyTypes: both, ingress: [{ from: clients, ports: tcp(sentinelPort) }], egress },
        });
    }
    return out;
}
