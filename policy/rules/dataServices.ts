// Data services rules: Postgres and Redis not reachable from the internet, encrypted at rest
// and in transit, on every cloud.
import { TYPES, isUnknown, raw, get, arr, isTrueOrUnknown, resourceRule, type Json } from "./shape";
import { objName, numberish } from "./workloads";

// ---- Security: network exposure ------------------------------------------------------------

const DATA_PORTS = [5432, 6379, 6380, 10000];
const OPEN_CIDRS = new Set(["0.0.0.0/0", "::/0"]);

function coversDataPort(from: Json, to: Json, protocol: Json): number | undefined {
    const proto = typeof protocol === "string" ? protocol.toLowerCase() : protocol;
    if (proto === "-1" || proto === "all" || proto === -1) return DATA_PORTS[0];
    const f = numberish(from);
    const t = numberish(to) ?? f;
    if (f === undefined || t === undefined) return undefined;
    if (f === 0 && t === 0 && proto !== "tcp" && proto !== "6") return undefined;
    return DATA_PORTS.find((p) => p >= f && p <= t);
}

export const noPublicDataStores = resourceRule({
    name: "no-public-database-or-redis",
    description:
        "Postgres and Redis must not be reachable from the internet (RDS publiclyAccessible, security groups open on 5432/6379, Cloud SQL authorized 0.0.0.0/0, Azure public network access, LoadBalancer Services on 5432/6379).",
    remediation:
        "Keep databases and caches on private networks: publiclyAccessible=false, security-group ingress only from the cluster's security group/CIDR, Cloud SQL private IP without 0.0.0.0/0, Azure publicNetworkAccess=Disabled with private endpoints/VNet integration, ClusterIP Services.",
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["security", "network"],
    validateResource: (args, report) => {
        const p = raw(args.props);
        switch (args.type) {
            case TYPES.rdsInstance:
            case TYPES.rdsClusterInstance:
                if (p.publiclyAccessible === true)
                    report(`RDS ${args.type === TYPES.rdsInstance ? "instance" : "cluster instance"} '${args.name}' has publiclyAccessible=true.`);
                return;
            case TYPES.securityGroup:
                for (const rule of arr(p.ingress)) {
                    const cidrs = [...arr(rule?.cidrBlocks), ...arr(rule?.ipv6CidrBlocks)].filter((c) => OPEN_CIDRS.has(c));
                    const port = coversDataPort(rule?.fromPort, rule?.toPort, rule?.protocol);
                    if (cidrs.length && port !== undefined)
                        report(`Security group '${args.name}' allows ${cidrs.join(", ")} on port ${port} (${rule.fromPort}-${rule.toPort}/${rule.protocol}).`);
                }
                return;
            case TYPES.securityGroupRule: {
                if (p.type !== "ingress") return;
                const cidrs = [...arr(p.cidrBlocks), ...arr(p.ipv6CidrBlocks)].filter((c) => OPEN_CIDRS.has(c));
                const port = coversDataPort(p.fromPort, p.toPort, p.protocol);
                if (cidrs.length && port !== undefined) report(`Security group rule '${args.name}' allows ${cidrs.join(", ")} on port ${port}.`);
                return;
            }
            case TYPES.securityGroupIngressRule: {
                const cidr = [p.cidrIpv4, p.cidrIpv6].find((c) => OPEN_CIDRS.has(c));
                const port = coversDataPort(p.fromPort, p.toPort, p.ipProtocol);
                if (cidr && port !== undefined) report(`Security group ingress rule '${args.name}' allows ${cidr} on port ${port}.`);
                return;
            }
            case TYPES.sqlInstance: {
                const ip = get(p, "settings", "ipConfiguration");
                const open = arr(get(ip, "authorizedNetworks")).filter((n) => OPEN_CIDRS.has(n?.value));
                if (get(ip, "ipv4Enabled") === true && open.length)
                    report(`Cloud SQL instance '${args.name}' has a public IPv4 address with authorized network 0.0.0.0/0.`);
                return;
            }
            case TYPES.pgFlexibleServer:
                if (get(p, "network", "publicNetworkAccess") === "Enabled")
                    report(`Azure PostgreSQL server '${args.name}' has network.publicNetworkAccess=Enabled.`);
                return;
            case TYPES.pgFirewallRule:
                if (p.startIpAddress === "0.0.0.0" && (p.endIpAddress === "255.255.255.255" || p.endIpAddress === "0.0.0.0")) {
                    report(
                        `Azure PostgreSQL firewall rule '${args.name}' opens the server to ${p.endIpAddress === "0.0.0.0" ? "all Azure tenants" : "the whole internet"}.`,
                    );
                }
                return;
            case TYPES.redisEnterprise:
                if (p.publicNetworkAccess === "Enabled") report(`Azure Managed Redis '${args.name}' has publicNetworkAccess=Enabled.`);
                return;
            case TYPES.azureCacheRedis:
                if (p.publicNetworkAccess === "Enabled" || (p.publicNetworkAccess === undefined && !p.subnetId))
                    report(
                        `Azure Cache for Redis '${args.name}' is reachable on a public endpoint (publicNetworkAccess ${p.publicNetworkAccess ?? "default Enabled"}).`,
                    );
                return;
            case TYPES.service: {
                const type = get(p, "spec", "type");
                if (type !== "LoadBalancer" && type !== "NodePort") return;
                const ports = arr(get(p, "spec", "ports")).filter((sp) =>
                    [sp?.port, sp?.targetPort].some((x) => [5432, 6379, 6380].includes(numberish(x) ?? -1)),
                );
                if (ports.length)
                    report(
                        `Service '${objName(p) ?? args.name}' is type ${type} on port ${ports.map((x) => x.port).join(", ")} (Postgres/Redis); use ClusterIP.`,
                    );
                return;
            }
        }
    },
});

// ---- Security: encryption ------------------------------------------------------------------

const isPostgresFamily = (f: unknown): boolean => typeof f === "string" && /^(aurora-postgresql|postgres)/.test(f);

export const postgresEncryption = resourceRule({
    name: "postgres-encryption-at-rest-and-in-transit",
    description:
        "Postgres must encrypt storage and refuse clear-text connections (RDS storageEncrypted + rds.force_ssl=1; Cloud SQL sslMode ENCRYPTED_ONLY/TRUSTED_CLIENT_CERTIFICATE_REQUIRED; Azure require_secure_transport on).",
    remediation:
        "AWS: storageEncrypted=true and a (cluster) parameter group with rds.force_ssl=1. GCP: settings.ipConfiguration.sslMode=ENCRYPTED_ONLY. Azure: keep require_secure_transport=ON.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["security", "encryption"],
    validateResource: (args, report) => {
        const p = raw(args.props);
        switch (args.type) {
            case TYPES.rdsCluster:
                if (!isTrueOrUnknown(p.storageEncrypted)) report(`RDS cluster '${args.name}' has storageEncrypted=${p.storageEncrypted}; set it to true.`);
                if (typeof p.engine === "string" && p.engine.startsWith("aurora-postgresql") && p.dbClusterParameterGroupName === undefined) {
                    report(
                        `Aurora PostgreSQL cluster '${args.name}' uses the default cluster parameter group: rds.force_ssl is not enforced; attach a parameter group with rds.force_ssl=1.`,
                    );
                }
                return;
            case TYPES.rdsInstance:
                if (!isTrueOrUnknown(p.storageEncrypted)) report(`RDS instance '${args.name}' has storageEncrypted=${p.storageEncrypted}; set it to true.`);
                if (p.engine === "postgres" && p.parameterGroupName === undefined && (numberish(String(p.engineVersion ?? "").split(".")[0]) ?? 0) < 15) {
                    report(
                        `RDS PostgreSQL instance '${args.name}' (version ${p.engineVersion ?? "default"}) uses the default parameter group: rds.force_ssl is not enforced.`,
                    );
                }
                return;
            case TYPES.rdsClusterParameterGroup:
            case TYPES.rdsParameterGroup: {
                if (!isPostgresFamily(p.family)) return;
                // On Aurora, rds.force_ssl is a cluster-level parameter: an instance parameter group
                // (family aurora-postgresql*, e.g. for max_connections) cannot carry it; the cluster
                // group is checked instead.
                if (args.type === TYPES.rdsParameterGroup && String(p.family).startsWith("aurora-postgresql")) return;
                const params = arr(p.parameters);
                if (isUnknown(p.parameters)) return;
                const force = params.find((x) => x?.name === "rds.force_ssl");
                if (!force) report(`Parameter group '${args.name}' (${p.family}) does not set rds.force_ssl=1.`);
                else if (!isUnknown(force.value) && String(force.value) !== "1")
                    report(`Parameter group '${args.name}' sets rds.force_ssl=${force.value}; must be 1.`);
                return;
            }
            case TYPES.sqlInstance: {
                const mode = get(p, "settings", "ipConfiguration", "sslMode");
                if (isUnknown(mode)) return;
                if (mode !== "ENCRYPTED_ONLY" && mode !== "TRUSTED_CLIENT_CERTIFICATE_REQUIRED") {
                    report(`Cloud SQL instance '${args.name}' has settings.ipConfiguration.sslMode=${mode ?? "unset (ALLOW_UNENCRYPTED_AND_ENCRYPTED)"}.`);
                }
                return;
            }
            case TYPES.pgConfiguration: {
                const name = String(p.configurationName ?? "").toLowerCase();
                if (name !== "require_secure_transport") return;
                if (typeof p.value === "string" && ["off", "0", "false"].includes(p.value.toLowerCase()))
                    report(`Azure PostgreSQL configuration '${args.name}' turns require_secure_transport off.`);
                return;
            }
            case TYPES.pgFlexibleServer: {
                const enc = get(p, "dataEncryption", "type");
                if (enc !== undefined && !isUnknown(enc) && enc !== "SystemManaged" && enc !== "AzureKeyVault")
                    report(`Azure PostgreSQL server '${args.name}' has dataEncryption.type=${enc}.`);
                return;
            }
        }
    },
});

export const redisEncryption = resourceRule({
    name: "redis-encryption-at-rest-and-in-transit",
    description:
        "Redis must use TLS (and encryption at rest where the service offers it): ElastiCache atRestEncryptionEnabled + transitEncryptionEnabled; Memorystore SERVER_AUTHENTICATION; Azure Managed Redis clientProtocol Encrypted and TLS >= 1.2.",
    remediation:
        "AWS: atRestEncryptionEnabled=true, transitEncryptionEnabled=true (mode required). GCP: transitEncryptionMode=SERVER_AUTHENTICATION (instance) / TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION (cluster). Azure: clientProtocol=Encrypted, minimumTlsVersion=1.2, no non-TLS port.",
    enforcementLevel: "mandatory",
    severity: "high",
    tags: ["security", "encryption"],
    validateResource: (args, report) => {
        const p = raw(args.props);
        switch (args.type) {
            case TYPES.elasticacheReplicationGroup:
                if (!isTrueOrUnknown(p.atRestEncryptionEnabled))
                    report(`ElastiCache replication group '${args.name}' has atRestEncryptionEnabled=${p.atRestEncryptionEnabled}.`);
                if (!isTrueOrUnknown(p.transitEncryptionEnabled))
                    report(`ElastiCache replication group '${args.name}' has transitEncryptionEnabled=${p.transitEncryptionEnabled}.`);
                else if (p.transitEncryptionMode === "preferred")
                    report(`ElastiCache replication group '${args.name}' has transitEncryptionMode=preferred (clear text still accepted); use required.`);
                return;
            case TYPES.memorystoreInstance:
                if (!isUnknown(p.transitEncryptionMode) && p.transitEncryptionMode !== "SERVER_AUTHENTICATION")
                    report(`Memorystore instance '${args.name}' has transitEncryptionMode=${p.transitEncryptionMode ?? "unset (DISABLED)"}.`);
                return;
            case TYPES.memorystoreCluster:
                if (!isUnknown(p.transitEncryptionMode) && p.transitEncryptionMode !== "TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION")
                    report(`Memorystore cluster '${args.name}' has transitEncryptionMode=${p.transitEncryptionMode ?? "unset (DISABLED)"}.`);
                return;
            case TYPES.redisEnterpriseDatabase:
                if (p.clientProtocol === "Plaintext") report(`Azure Managed Redis database '${args.name}' has clientProtocol=Plaintext.`);
                return;
            case TYPES.redisEnterprise:
                if (typeof p.minimumTlsVersion === "string" && !isUnknown(p.minimumTlsVersion) && Number(p.minimumTlsVersion) < 1.2)
                    report(`Azure Managed Redis '${args.name}' allows TLS ${p.minimumTlsVersion}; set minimumTlsVersion=1.2.`);
                return;
            case TYPES.azureCacheRedis:
                if (p.enableNonSslPort === true) report(`Azure Cache for Redis '${args.name}' enables the non-TLS port.`);
                if (typeof p.minimumTlsVersion === "string" && Number(p.minimumTlsVersion) < 1.2)
                    report(`Azure Cache for Redis '${args.name}' allows TLS ${p.minimumTlsVersion}.`);
                return;
        }
    },
});
