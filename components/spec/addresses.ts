// Validation of every URL, hostname, host:port list and CIDR the spec takes, at construction:
// a value that would only fail later (while Pulumi serializes inputs, in an apply, or at the
// cloud API after other resources were created) is refused here with the field and the fix.
import * as pulumi from "@pulumi/pulumi";
import { isKnown, problem } from "./errors";

/** A lowercase DNS name with at least two labels (RFC 1123 labels, 253 characters at most). */
export const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/;
/** One DNS label or name (a Kubernetes Service name, a Sentinel host), any number of labels. */
const HOST_NAME = /^(?=.{1,253}$)[a-zA-Z0-9]([-a-zA-Z0-9_]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9_]{0,61}[a-zA-Z0-9])?)*$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isDnsName(v: unknown): v is string {
    return typeof v === "string" && DNS_NAME.test(v);
}

function ipv4(s: string): number | undefined {
    const m = IPV4.exec(s);
    if (!m || m.slice(1).some((o) => Number(o) > 255 || (o.length > 1 && o.startsWith("0")))) return undefined;
    return m.slice(1).reduce((acc, o) => acc * 256 + Number(o), 0);
}

/** A host for a host:port list: a DNS name or an IPv4 address (as the Redis client resolves it). */
export function isHost(s: string): boolean {
    return ipv4(s) !== undefined || (HOST_NAME.test(s) && !/^[\d.]+$/.test(s));
}

export interface UrlRule {
    /** Accepted schemes without the colon, e.g. ["http", "https"]. */
    schemes: string[];
    /** The fix shown when the value is not such a URL (e.g. "use an http:// or https:// URL"). */
    fix: string;
    /** Where credentials go instead: when set, `user:password@` in the URL is refused naming it. */
    credentialsIn?: string;
}

/**
 * Checks one URL field: parses it as the WHATWG URL parser (and the Python/Go clients) would,
 * with one of the schemes and a host. Returns the parsed URL, or undefined when it is refused or
 * not known yet (an Output: the cloud fills it in). Messages never repeat credentials.
 */
export function checkUrl(problems: string[], field: string, value: unknown, rule: UrlRule): URL | undefined {
    if (!isKnown(value)) return undefined;
    let u: URL | undefined;
    try {
        u = typeof value === "string" && !/\s/.test(value) ? new URL(value) : undefined;
    } catch {
        u = undefined;
    }
    const shown = typeof value === "string" ? value.replace(/\/\/[^/@]*@/, "//***@") : value;
    if (!u || !rule.schemes.includes(u.protocol.replace(/:$/, "")) || !u.hostname) {
        problems.push(problem(field, shown, rule.fix));
        return undefined;
    }
    if (rule.credentialsIn && (u.username || u.password)) {
        problems.push(
            problem(
                field,
                `${u.protocol}//***@${u.host}${u.pathname}`,
                `credentials in a URL would be a literal secret in the pod spec: remove them and pass the key in ${rule.credentialsIn}`,
            ),
        );
        return undefined;
    }
    return u;
}

/**
 * `host[:port],host[:port],...` (Redis Sentinel). Returns the hosts and the one port they share,
 * or undefined when refused. Open WebUI 0.12.4 (`utils/redis.py` get_sentinels_from_env) takes
 * host names only in `REDIS_SENTINEL_HOSTS` and a single `REDIS_SENTINEL_PORT` for all of them.
 */
export function checkSentinelHosts(problems: string[], field: string, value: unknown, defaultPort: number): { hosts: string[]; port: number } | undefined {
    if (value === undefined) return undefined;
    const entries = typeof value === "string" ? value.split(",").map((s) => s.trim()) : [];
    const parsed = entries.map((e) => {
        const m = /^([^:]+)(?::(\d{1,5}))?$/.exec(e);
        const port = m?.[2] !== undefined ? Number(m[2]) : defaultPort;
        return m && isHost(m[1]) && port >= 1 && port <= 65535 ? { host: m[1], port } : undefined;
    });
    if (entries.length === 0 || parsed.some((p) => p === undefined)) {
        problems.push(problem(field, value, "give the Sentinel hosts as host[:port] separated by commas, e.g. sentinel-0.redis:26379,sentinel-1.redis:26379"));
        return undefined;
    }
    const ports = [...new Set(parsed.map((p) => p!.port))];
    if (ports.length > 1) {
        problems.push(
            problem(
                field,
                value,
                `Open WebUI connects to every Sentinel on one port (REDIS_SENTINEL_PORT), these use ${ports.join(" and ")}: run the Sentinels on one port`,
            ),
        );
        return undefined;
    }
    return { hosts: parsed.map((p) => p!.host), port: ports[0] };
}

/**
 * An IPv4 CIDR whose address is the network address (clouds refuse `10.0.0.1/24` with
 * "InvalidCIDRNotation ... should be 10.0.0.0/24") and whose prefix is within [min, max].
 * Returns the problem's fix, or undefined when valid.
 */
export function cidrProblem(value: unknown, minPrefix: number, maxPrefix: number, example: string): string | undefined {
    const m = typeof value === "string" ? /^([\d.]+)\/(\d{1,2})$/.exec(value) : null;
    const addr = m ? ipv4(m[1]) : undefined;
    const prefix = m ? Number(m[2]) : NaN;
    if (!m || addr === undefined || !(prefix >= minPrefix && prefix <= maxPrefix)) {
        return `use an IPv4 CIDR from /${minPrefix} to /${maxPrefix}, e.g. ${example}`;
    }
    const size = 2 ** (32 - prefix);
    if (addr % size !== 0) {
        const net = addr - (addr % size);
        const dotted = [24, 16, 8, 0].map((s) => Math.floor(net / 2 ** s) % 256).join(".");
        return `the address is not the network address of a /${prefix}: use ${dotted}/${prefix}`;
    }
    return undefined;
}

/** Kubernetes' default cluster domain (kubelet `--cluster-domain`). */
export const DEFAULT_CLUSTER_DOMAIN = "cluster.local";
/** A cluster domain: lowercase RFC 1123 labels, one or more (`cluster.local`, `k8s.corp.example`), no trailing dot. */
const CLUSTER_DOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

/**
 * The fully qualified name of a Service: `<service>.<namespace>.svc.<clusterDomain>`. The one
 * place the cluster domain is written: every in-cluster address the component hands to a client
 * (database, Redis, object store, collector) is built here.
 */
export function serviceHost(service: pulumi.Input<string>, namespace: pulumi.Input<string>, clusterDomain: string | undefined): pulumi.Output<string> {
    return pulumi.all([service, namespace]).apply(([s, ns]) => serviceFqdn(s, ns, clusterDomain));
}

/** `serviceHost` for names known as plain strings (e.g. StatefulSet pod names `<pod>.<service>`). */
export function serviceFqdn(service: string, namespace: string, clusterDomain: string | undefined): string {
    return `${service}.${namespace}.svc.${clusterDomain ?? DEFAULT_CLUSTER_DOMAIN}`;
}

/** Problems of `kubernetes.clusterDomain`. */
export function clusterDomainProblems(value: unknown): string[] {
    if (value === undefined) return [];
    if (typeof value === "string" && value.endsWith(".") && CLUSTER_DOMAIN.test(value.slice(0, -1))) {
        return [problem("kubernetes.clusterDomain", value, `drop the trailing dot: ${value.slice(0, -1)}`)];
    }
    if (typeof value === "string" && CLUSTER_DOMAIN.test(value) && !/^svc\./.test(value)) return [];
    return [
        problem(
            "kubernetes.clusterDomain",
            value,
            "give the cluster's DNS domain as the kubelet's --cluster-domain has it, lowercase and without the leading svc., e.g. cluster.local or k8s.corp.example",
        ),
    ];
}

/** IPv6 as Kubernetes accepts it in hostAliases (Go's net.ParseIP): hex groups with at most one `::`, optionally an IPv4 tail. */
function isIpv6(s: string): boolean {
    if (!/^[0-9a-fA-F:.]+$/.test(s) || (s.match(/::/g) ?? []).length > 1) return false;
    const v4 = /(\d{1,3}\.){3}\d{1,3}$/.exec(s);
    if (v4 && ipv4(v4[0]) === undefined) return false;
    const before = v4 ? s.slice(0, -v4[0].length) : s;
    if (v4 && !before.endsWith(":")) return false;
    const head = v4 && !before.endsWith("::") ? before.slice(0, -1) : before;
    const max = v4 ? 6 : 8;
    const hex = (part: string) => (part === "" ? [] : part.split(":"));
    const valid = (gs: string[]) => gs.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g));
    if (!head.includes("::")) return hex(head).length === max && valid(hex(head));
    const [l, r] = head.split("::").map(hex);
    return l.length + r.length < max && valid(l) && valid(r);
}

/** An IPv4 or IPv6 address (no CIDR, no zone). */
export function isIp(v: unknown): v is string {
    return typeof v === "string" && (ipv4(v) !== undefined || isIpv6(v));
}

/** `host:port` of a service URL (the scheme's port when none is given), or "external" when it does not parse. */
export function hostPortOf(url: string, defaultPort: number): string {
    try {
        const x = new URL(url);
        return `${x.hostname}:${x.port || defaultPort}`;
    } catch {
        return "external";
    }
}
