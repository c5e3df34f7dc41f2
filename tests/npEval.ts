// A small evaluator of networking.k8s.io/v1 NetworkPolicy semantics, for the flow test:
// - a pod is isolated for a direction when at least one policy of its namespace selects it with
//   that direction in policyTypes (policyTypes omitted: Ingress, plus Egress when `egress` is set);
//   a non-isolated direction allows everything (the default allow);
// - a flow is allowed when the source's egress AND the destination's ingress allow it;
// - a rule with no `from`/`to` matches every peer, with no `ports` every port;
// - a peer: podSelector alone = pods of the policy's namespace; namespaceSelector alone = every
//   pod of the matching namespaces; both = pods matching both; ipBlock = addresses in cidr and in
//   no `except` (matched against the pod IP too, as Calico and Cilium do);
// - selectors: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist); {} matches all;
// - ports: protocol (default TCP), a number, a named port (resolved on the destination pod's
//   container ports), `endPort` for a range.

export interface Pod {
    name: string;
    namespace: string;
    labels: { [k: string]: string };
    ip: string;
    /** Named container ports (name -> number). */
    ports?: { [name: string]: number };
}
/** A pod, or an address outside the cluster. */
export type Endpoint = Pod | { ip: string };
export interface Policy {
    metadata: { name?: string; namespace: string };
    spec: any;
}

const isPod = (e: Endpoint): e is Pod => (e as Pod).labels !== undefined;
const nsLabels = (ns: string) => ({ "kubernetes.io/metadata.name": ns });

export function selectorMatches(sel: any, labels: { [k: string]: string }): boolean {
    if (!sel) return true;
    for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
    for (const e of sel.matchExpressions ?? []) {
        const has = e.key in labels;
        const ok =
            e.operator === "In"
                ? has && e.values.includes(labels[e.key])
                : e.operator === "NotIn"
                  ? !has || !e.values.includes(labels[e.key])
                  : e.operator === "Exists"
                    ? has
                    : e.operator === "DoesNotExist"
                      ? !has
                      : false;
        if (!ok) return false;
    }
    return true;
}

function ipToInt(ip: string): number {
    return ip.split(".").reduce((a, b) => a * 256 + Number(b), 0);
}
export function inCidr(ip: string, cidr: string): boolean {
    const [base, bits] = cidr.split("/");
    const n = Number(bits);
    const size = 2 ** (32 - n);
    const start = Math.floor(ipToInt(base) / size) * size;
    const x = ipToInt(ip);
    return x >= start && x < start + size;
}

function peerMatches(peer: any, policyNs: string, e: Endpoint): boolean {
    if (peer.ipBlock) return inCidr(e.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c: string) => inCidr(e.ip, c));
    if (!isPod(e)) return false;
    if (peer.namespaceSelector) {
        if (!selectorMatches(peer.namespaceSelector, nsLabels(e.namespace))) return false;
    } else if (e.namespace !== policyNs) return false;
    return peer.podSelector ? selectorMatches(peer.podSelector, e.labels) : true;
}

function portMatches(ports: any[] | undefined, dst: Endpoint, port: number, protocol: string): boolean {
    if (!ports || ports.length === 0) return true;
    return ports.some((p) => {
        if ((p.protocol ?? "TCP") !== protocol) return false;
        if (p.port === undefined) return true;
        const n = typeof p.port === "string" ? (isPod(dst) ? dst.ports?.[p.port] : undefined) : p.port;
        if (n === undefined) return false;
        return p.endPort !== undefined ? port >= n && port <= p.endPort : port === n;
    });
}

function types(spec: any): string[] {
    return spec.policyTypes ?? (spec.egress ? ["Ingress", "Egress"] : ["Ingress"]);
}

function selecting(policies: Policy[], pod: Pod, dir: "Ingress" | "Egress"): Policy[] {
    return policies.filter(
        (p) => p.metadata.namespace === pod.namespace && selectorMatches(p.spec.podSelector ?? {}, pod.labels) && types(p.spec).includes(dir),
    );
}

function egressAllows(policies: Policy[], src: Endpoint, dst: Endpoint, port: number, protocol: string): boolean {
    if (!isPod(src)) return true;
    const sel = selecting(policies, src, "Egress");
    if (sel.length === 0) return true;
    return sel.some((p) =>
        (p.spec.egress ?? []).some(
            (r: any) =>
                (!r.to || r.to.length === 0 || r.to.some((peer: any) => peerMatches(peer, p.metadata.namespace, dst))) &&
                portMatches(r.ports, dst, port, protocol),
        ),
    );
}

function ingressAllows(policies: Policy[], src: Endpoint, dst: Endpoint, port: number, protocol: string): boolean {
    if (!isPod(dst)) return true;
    const sel = selecting(policies, dst, "Ingress");
    if (sel.length === 0) return true;
    return sel.some((p) =>
        (p.spec.ingress ?? []).some(
            (r: any) =>
                (!r.from || r.from.length === 0 || r.from.some((peer: any) => peerMatches(peer, p.metadata.namespace, src))) &&
                portMatches(r.ports, dst, port, protocol),
        ),
    );
}

/** Whether the policies let `src` open a connection to `dst` on `port`/`protocol`. */
export function allowed(policies: Policy[], src: Endpoint, dst: Endpoint, port: number, protocol = "TCP"): boolean {
    return egressAllows(policies, src, dst, port, protocol) && ingressAllows(policies, src, dst, port, protocol);
}
