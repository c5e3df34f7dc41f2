// The azure target end to end under mocks: every Azure property the target promises, the
// wiring into the Kubernetes objects, clear errors for bad Azure inputs, and the example.
import { envOf, one, ofType, registered, reset, settle, value } from "./harness";
import * as assert from "assert";
import * as crypto from "crypto";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { clearExampleConfig, loadExample } from "./exampleLoader";
import { OpenWebUiCluster } from "../index";
import { kubernetesObjects, validateK8sObject } from "./k8sSchema";
import { storageAccountName } from "../providers/azure/storage";
import { POSTGRES_MAX_CONNECTIONS, POSTGRES_SKUS, provisioningMaxConnections } from "../providers/azure/catalog";
import { warnIfRestartPending } from "../providers/azure/database";
import { dropApiVersionAliases } from "../providers/azure";
import { prepareSpec } from "../components/openWebUiCluster";
import type { ProviderContext } from "../components/platform/port";

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const VNET = `${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/aks-vnet`;
const PE_SUBNET = `${VNET}/subnets/private-endpoints`;
const PG_SUBNET = `${VNET}/subnets/postgres`;
const AKS_SUBNET = `${VNET}/subnets/aks-nodes`;
const ISSUER = "https://westeurope.oic.prod-aks.azure.com/tenant-id/cluster-uuid/";
const AGC_ID = `${SUB}/resourceGroups/rg-agc/providers/Microsoft.ServiceNetworking/trafficControllers/agc`;

const T = {
    rg: "azure-native:resources:ResourceGroup",
    server: "azure-native:dbforpostgresql:Server",
    config: "azure-native:dbforpostgresql:Configuration",
    pgDatabase: "azure-native:dbforpostgresql:Database",
    lock: "azure-native:authorization:ManagementLockByScope",
    subnet: "azure-native:network:Subnet",
    zone: "azure-native:privatedns:PrivateZone",
    link: "azure-native:privatedns:VirtualNetworkLink",
    pe: "azure-native:network:PrivateEndpoint",
    zoneGroup: "azure-native:network:PrivateDnsZoneGroup",
    redis: "azure-native:redisenterprise:RedisEnterprise",
    redisDb: "azure-native:redisenterprise:Database",
    account: "azure-native:storage:StorageAccount",
    blobService: "azure-native:storage:BlobServiceProperties",
    container: "azure-native:storage:BlobContainer",
    identity: "azure-native:managedidentity:UserAssignedIdentity",
    fic: "azure-native:managedidentity:FederatedIdentityCredential",
    role: "azure-native:authorization:RoleAssignment",
    record: "azure-native:dns:RecordSet",
    password: "random:index/randomPassword:RandomPassword",
    configMap: "kubernetes:core/v1:ConfigMap",
    gateway: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
    httpRoute: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
    routePolicy: "kubernetes:alb.networking.azure.io/v1:RoutePolicy",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    deployment: "kubernetes:apps/v1:Deployment",
    job: "kubernetes:batch/v1:Job",
    secret: "kubernetes:core/v1:Secret",
    sa: "kubernetes:core/v1:ServiceAccount",
};

function unsecret(v: any): any {
    return v && typeof v === "object" && SECRET_SIG in v ? v.value : v;
}
async function isSecretOutput(o: pulumi.Output<unknown>): Promise<boolean> {
    return (o as any).isSecret instanceof Promise ? await (o as any).isSecret : false;
}

interface Recorded {
    type: string;
    name: string;
    opts: pulumi.ResourceOptions;
}

function azureArgs(extra: any = {}): any {
    return {
        resourceGroupName: "rg-owui",
        location: "westeurope",
        vnetId: VNET,
        postgresSubnetCidr: "10.240.8.0/28",
        privateEndpointSubnetId: PE_SUBNET,
        aksOidcIssuerUrl: ISSUER,
        ...extra,
        ingress: { agc: { resourceId: AGC_ID, frontendName: "owui-frontend" }, ...(extra.ingress ?? {}) },
    };
}

function argsOf(args: any = {}): any {
    const { azure, ...rest } = args;
    return { target: "azure", hostname: "chat.example.com", tls: { secretName: "chat-tls" }, ...rest, azure: azureArgs(azure) };
}

async function build(args: any = {}, name = "chat"): Promise<{ c: OpenWebUiCluster; rec: Recorded[] }> {
    reset();
    const rec: Recorded[] = [];
    const c = new OpenWebUiCluster(name, argsOf(args), {
        transformations: [
            (a) => {
                rec.push({ type: a.type, name: a.name, opts: a.opts });
                return undefined;
            },
        ],
    });
    await settle();
    return { c, rec };
}

function optsOf(rec: Recorded[], type: string, name?: string): pulumi.CustomResourceOptions {
    const found = rec.filter((r) => r.type === type && (name === undefined || r.name === name));
    assert.strictEqual(found.length, 1, `expected one ${type} ${name ?? ""} recorded, got ${found.length}`);
    return found[0].opts as pulumi.CustomResourceOptions;
}

function dependsOnNames(o: pulumi.ResourceOptions): string[] {
    return ((o.dependsOn as pulumi.Resource[] | undefined) ?? []).map((r) => (r as any).__name as string);
}

const byName = (type: string, name: string) => {
    const r = ofType(type).find((x) => x.name === name);
    assert.ok(
        r,
        `no ${type} named ${name}; have ${ofType(type)
            .map((x) => x.name)
            .join(", ")}`,
    );
    return r!.inputs;
};
const appDeployment = () => byName(T.deployment, "chat");
const appPod = () => appDeployment().spec.template.spec;
const appSecretData = () => unsecret(byName(T.secret, "chat-app").stringData);

async function validateAll(): Promise<number> {
    const objs = kubernetesObjects(registered);
    for (const o of objs) await validateK8sObject(o);
    return objs.length;
}

describe("azure target", function () {
    this.timeout(30000);

    describe("defaults (medium, HA, AGC bring-your-own, DNS zone, created Postgres subnet)", () => {
        let c: OpenWebUiCluster;
        let rec: Recorded[];
        before(async () => {
            ({ c, rec } = await build({ azure: { dnsZoneName: "example.com" } }));
        });

        it("creates a zone-redundant General Purpose Flexible Server with private access only", () => {
            const s = one(T.server).inputs;
            assert.strictEqual(s.resourceGroupName, "rg-owui");
            assert.strictEqual(s.location, "westeurope");
            assert.strictEqual(s.version, "16");
            assert.deepStrictEqual(s.sku, { name: "Standard_D4ds_v5", tier: "GeneralPurpose" });
            assert.strictEqual(s.highAvailability.mode, "ZoneRedundant");
            assert.deepStrictEqual(s.network, {
                delegatedSubnetResourceId: "chat-postgres-subnet-id",
                privateDnsZoneArmResourceId: "chat-postgres-dns-id",
                publicNetworkAccess: "Disabled",
            });
            assert.deepStrictEqual(s.storage, { storageSizeGB: 128, autoGrow: "Enabled", type: "Premium_LRS" });
            assert.deepStrictEqual(s.backup, { backupRetentionDays: 14, geoRedundantBackup: "Disabled" });
            assert.deepStrictEqual([s.authConfig.passwordAuth, s.authConfig.activeDirectoryAuth], ["Enabled", "Disabled"]);
            assert.strictEqual(s.administratorLogin, "openwebuiadmin");
            assert.strictEqual(s.createMode, "Create");
            assert.deepStrictEqual(s.maintenanceWindow, { customWindow: "Enabled", dayOfWeek: 0, startHour: 3, startMinute: 0 });
            // The generated password (RandomPassword.result, secret by default) stays secret in the server's state too.
            assert.deepStrictEqual(optsOf(rec, T.server).additionalSecretOutputs, ["administratorLoginPassword"]);
            assert.strictEqual(s.tags["openwebui-cluster"], "chat");
        });

        it("creates the delegated subnet in the VNet and a linked private DNS zone before the server", () => {
            const sn = one(T.subnet).inputs;
            assert.strictEqual(sn.resourceGroupName, "rg-net");
            assert.strictEqual(sn.virtualNetworkName, "aks-vnet");
            assert.strictEqual(sn.addressPrefix, "10.240.8.0/28");
            assert.deepStrictEqual(sn.delegations, [{ name: "postgres-flexible-server", serviceName: "Microsoft.DBforPostgreSQL/flexibleServers" }]);
            const zone = byName(T.zone, "chat-postgres-dns");
            assert.strictEqual(zone.privateZoneName, "chat.private.postgres.database.azure.com");
            assert.ok(zone.privateZoneName.endsWith(".postgres.database.azure.com"));
            assert.strictEqual(zone.location, "global");
            const link = byName(T.link, "chat-postgres-dns-link");
            assert.deepStrictEqual(link.virtualNetwork, { id: VNET });
            assert.strictEqual(link.registrationEnabled, false);
            assert.strictEqual(link.privateZoneName, "chat.private.postgres.database.azure.com");
            assert.deepStrictEqual(dependsOnNames(optsOf(rec, T.server)).sort(), ["chat-postgres-dns", "chat-postgres-dns-link", "chat-postgres-subnet"]);
        });

        it("allow-lists vector, requires TLS 1.2+ and pins max_connections, one change at a time", () => {
            const cfg = (n: string) => byName(T.config, n);
            const expected: [string, string, string][] = [
                ["chat-postgres-extensions", "azure.extensions", "vector"],
                ["chat-postgres-tls", "require_secure_transport", "on"],
                ["chat-postgres-tls-min", "ssl_min_protocol_version", "TLSv1.2"],
                ["chat-postgres-max-connections", "max_connections", "1718"],
            ];
            for (const [n, key, v] of expected) {
                assert.deepStrictEqual(
                    cfg(n),
                    { resourceGroupName: "rg-owui", serverName: "chat-postgres-x1y2", configurationName: key, value: v, source: "user-override" },
                    n,
                );
            }
            assert.deepStrictEqual(dependsOnNames(optsOf(rec, T.config, "chat-postgres-extensions")), []);
            assert.deepStrictEqual(dependsOnNames(optsOf(rec, T.config, "chat-postgres-tls")), ["chat-postgres-extensions"]);
            assert.deepStrictEqual(dependsOnNames(optsOf(rec, T.config, "chat-postgres-tls-min")), ["chat-postgres-tls"]);
            assert.deepStrictEqual(dependsOnNames(optsOf(rec, T.config, "chat-postgres-max-connections")), ["chat-postgres-tls-min"]);
        });

        it("the bootstrap Job (CREATE EXTENSION vector as admin) waits for the database and every parameter", () => {
            const deps = dependsOnNames(optsOf(rec, T.job, "chat-db-bootstrap"));
            for (const n of ["chat-postgres-db", "chat-postgres-extensions", "chat-postgres-tls", "chat-postgres-tls-min", "chat-postgres-max-connections"]) {
                assert.ok(deps.includes(n), `bootstrap Job does not wait for ${n}: ${deps}`);
            }
            const admin = unsecret(byName(T.secret, "chat-db-admin").stringData);
            assert.strictEqual(unsecret(admin.PGHOST), "chat-postgres-x1y2.postgres.database.azure.com");
            assert.strictEqual(unsecret(admin.PGUSER), "openwebuiadmin");
            assert.strictEqual(unsecret(admin.PGSSLMODE), "verify-full");
            // Azure's server certificates chain to these public roots (Microsoft's TLS doc), from Node's Mozilla store.
            const ca = byName(T.configMap, "chat-db-ca").data["ca.crt"] as string;
            const cns = ca.split(/(?=-----BEGIN CERTIFICATE-----)/).map((p) => /CN=(.*)/.exec(new crypto.X509Certificate(p).subject)![1]);
            assert.deepStrictEqual(cns, ["DigiCert Global Root G2", "DigiCert Global Root CA", "Microsoft RSA Root Certificate Authority 2017"]);
            assert.strictEqual(unsecret(admin.PGDATABASE), "openwebui");
        });

        it("creates the database and sizes the pools under the server's 1718 connections", async () => {
            assert.deepStrictEqual(one(T.pgDatabase).inputs, {
                resourceGroupName: "rg-owui",
                serverName: "chat-postgres-x1y2",
                databaseName: "openwebui",
                charset: "UTF8",
                collation: "en_US.utf8",
            });
            assert.strictEqual(await value(c.databaseServerMaxConnections), 1718);
            assert.ok((await value(c.databaseMaxClientConnections)) <= Math.floor(1718 * 0.8));
            const pw = byName(T.password, "chat-postgres-admin-password");
            assert.strictEqual(pw.length, 40);
            assert.strictEqual(pw.special, false);
            assert.ok((optsOf(rec, T.password, "chat-postgres-admin-password").additionalSecretOutputs ?? []).includes("result"));
            const url = unsecret(appSecretData().DATABASE_URL);
            assert.match(
                url,
                /^postgresql:\/\/openwebui_app:.*@chat-postgres-x1y2\.postgres\.database\.azure\.com:5432\/openwebui\?sslmode=verify-full&sslrootcert=\/etc\/open-webui\/db-ca\/ca\.crt&connect_timeout=10&keepalives=1&keepalives_idle=15&keepalives_interval=5&keepalives_count=3&tcp_user_timeout=15000$/,
            );
        });

        it("protects the server: a CanNotDelete lock (Azure side) and `protect` (pulumi destroy)", () => {
            const lock = one(T.lock, "postgres-lock").inputs;
            assert.deepStrictEqual({ scope: lock.scope, level: lock.level }, { scope: "chat-postgres-id", level: "CanNotDelete" });
            assert.strictEqual(optsOf(rec, T.server).protect, true);
            assert.strictEqual(optsOf(rec, T.pgDatabase).protect, true);
        });

        it("creates Azure Managed Redis: Balanced_B3, HA, TLS 1.2, no public access", () => {
            const r = one(T.redis).inputs;
            assert.deepStrictEqual(r, {
                resourceGroupName: "rg-owui",
                location: "westeurope",
                sku: { name: "Balanced_B3" },
                highAvailability: "Enabled",
                minimumTlsVersion: "1.2",
                publicNetworkAccess: "Disabled",
                tags: { "openwebui-cluster": "chat", "managed-by": "pulumi" },
            });
        });

        it("one TLS database on port 10000 behind a single EnterpriseCluster endpoint, access keys on, NoEviction", () => {
            assert.deepStrictEqual(one(T.redisDb).inputs, {
                resourceGroupName: "rg-owui",
                clusterName: "chat-redis-x1y2",
                databaseName: "default",
                clientProtocol: "Encrypted",
                port: 10000,
                clusteringPolicy: "EnterpriseCluster",
                evictionPolicy: "NoEviction",
                accessKeysAuthentication: "Enabled",
            });
        });

        it("reaches Redis through a private endpoint registered in privatelink.redis.azure.net", () => {
            const pe = byName(T.pe, "chat-redis-pe");
            assert.strictEqual(pe.subnet.id, PE_SUBNET);
            assert.deepStrictEqual(pe.privateLinkServiceConnections, [
                { name: "chat-redis", privateLinkServiceId: "chat-redis-id", groupIds: ["redisEnterprise"] },
            ]);
            assert.strictEqual(byName(T.zone, "chat-redis-dns").privateZoneName, "privatelink.redis.azure.net");
            assert.deepStrictEqual(byName(T.link, "chat-redis-dns-link").virtualNetwork, { id: VNET });
            const zg = byName(T.zoneGroup, "chat-redis-pe-dns");
            assert.strictEqual(zg.privateEndpointName, "chat-redis-pe-x1y2");
            assert.deepStrictEqual(zg.privateDnsZoneConfigs, [{ name: "privatelink-redis-azure-net", privateDnsZoneId: "chat-redis-dns-id" }]);
        });

        it("wires REDIS_URL rediss://:<url-encoded key>@host:10000/0 as a secret, not clustered, no CA needed", async () => {
            const data = appSecretData();
            assert.strictEqual(unsecret(data.REDIS_URL), "rediss://:Mock%2FKey%2BPrimary%3D@chat-redis-x1y2.westeurope.redis.azure.net:10000/0");
            const env = envOf(appPod());
            assert.deepStrictEqual(env.REDIS_URL.valueFrom.secretKeyRef, { name: "chat-app", key: "REDIS_URL" });
            assert.strictEqual(env.REDIS_CLUSTER?.value ?? "false", "false");
            assert.strictEqual(ofType(T.secret).filter((s) => s.name === "chat-redis-ca").length, 0);
            assert.strictEqual(await value(c.redisEndpoint), "chat-redis-x1y2.westeurope.redis.azure.net:10000");
            assert.ok(await isSecretOutput((c as any).webuiSecretKey));
        });

        it("creates a StorageV2 account: HTTPS + TLS 1.2 only, no shared keys, no public blobs, private endpoint only", () => {
            const a = one(T.account).inputs;
            assert.strictEqual(a.accountName, storageAccountName("chat"));
            assert.match(a.accountName, /^[a-z0-9]{3,24}$/);
            assert.strictEqual(a.kind, "StorageV2");
            assert.deepStrictEqual(a.sku, { name: "Standard_ZRS" });
            assert.strictEqual(a.enableHttpsTrafficOnly, true);
            assert.strictEqual(a.minimumTlsVersion, "TLS1_2");
            assert.strictEqual(a.allowBlobPublicAccess, false);
            assert.strictEqual(a.allowSharedKeyAccess, false);
            assert.strictEqual(a.defaultToOAuthAuthentication, true);
            assert.strictEqual(a.publicNetworkAccess, "Disabled");
            assert.deepStrictEqual(a.networkRuleSet, { defaultAction: "Deny", bypass: "None" });
            const pe = byName(T.pe, "chat-blob-pe");
            assert.deepStrictEqual(pe.privateLinkServiceConnections, [{ name: "chat-blob", privateLinkServiceId: "chat-storage-id", groupIds: ["blob"] }]);
            assert.strictEqual(byName(T.zone, "chat-blob-dns").privateZoneName, "privatelink.blob.core.windows.net");
        });

        it("versioning and soft delete on blobs and containers; a private container; both kept on destroy", () => {
            assert.deepStrictEqual(one(T.blobService).inputs, {
                resourceGroupName: "rg-owui",
                accountName: storageAccountName("chat"),
                blobServicesName: "default",
                isVersioningEnabled: true,
                deleteRetentionPolicy: { enabled: true, days: 14 },
                containerDeleteRetentionPolicy: { enabled: true, days: 14 },
            });
            assert.deepStrictEqual(one(T.container).inputs, {
                resourceGroupName: "rg-owui",
                accountName: storageAccountName("chat"),
                containerName: "openwebui",
                publicAccess: "None",
            });
            assert.strictEqual(optsOf(rec, T.account).retainOnDelete, true);
            assert.strictEqual(optsOf(rec, T.container).retainOnDelete, true);
        });

        it("Open WebUI uses Blob through Workload Identity: STORAGE_PROVIDER=azure, endpoint, container, never a key", async () => {
            for (const pod of [appPod(), byName(T.job, "chat-migrate").spec.template.spec]) {
                const env = envOf(pod);
                assert.strictEqual(env.STORAGE_PROVIDER.value, "azure");
                assert.strictEqual(env.AZURE_STORAGE_ENDPOINT.value, `https://${storageAccountName("chat")}.blob.core.windows.net`);
                assert.strictEqual(env.AZURE_STORAGE_CONTAINER_NAME.value, "openwebui");
                assert.strictEqual(env.AZURE_STORAGE_KEY, undefined);
            }
            assert.strictEqual(appSecretData().AZURE_STORAGE_KEY, undefined);
            assert.strictEqual(await value(c.bucketName), "openwebui");
        });

        it("a user-assigned identity trusted for exactly open-webui/chat through the AKS OIDC issuer", async () => {
            const id = one(T.identity).inputs;
            assert.deepStrictEqual({ rg: id.resourceGroupName, loc: id.location }, { rg: "rg-owui", loc: "westeurope" });
            assert.deepStrictEqual(one(T.fic).inputs, {
                resourceGroupName: "rg-owui",
                resourceName: "chat-identity-x1y2",
                issuer: ISSUER,
                subject: "system:serviceaccount:open-webui:chat",
                audiences: ["api://AzureADTokenExchange"],
            });
            const sa = byName(T.sa, "chat-serviceaccount");
            assert.strictEqual(sa.metadata.namespace, "open-webui");
            assert.strictEqual(sa.metadata.name, "chat");
            assert.strictEqual(appPod().serviceAccountName, "chat");
            assert.strictEqual(await value(c.identityPrincipal), "11111111-2222-3333-4444-555555555555");
        });

        it("grants Storage Blob Data Contributor on the container only", () => {
            assert.deepStrictEqual(one(T.role).inputs, {
                principalId: "99999999-8888-7777-6666-555555555555",
                principalType: "ServicePrincipal",
                roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe`,
                scope: "chat-storage-id/blobServices/default/containers/openwebui",
                description: "Open WebUI uploads (Workload Identity)",
            });
        });

        it("annotates the ServiceAccount with the client id and labels the pods azure.workload.identity/use=true", () => {
            assert.deepStrictEqual(byName(T.sa, "chat-serviceaccount").metadata.annotations, {
                "azure.workload.identity/client-id": "11111111-2222-3333-4444-555555555555",
            });
            assert.strictEqual(appPod().topologySpreadConstraints[0].whenUnsatisfiable, "DoNotSchedule", "AKS node pools carry zone labels");
            assert.strictEqual(appDeployment().spec.template.metadata.labels["azure.workload.identity/use"], "true");
            assert.strictEqual(byName(T.job, "chat-migrate").spec.template.metadata.labels["azure.workload.identity/use"], "true");
        });

        it("creates an AGC Gateway (bring-your-own AGC + frontend) with an HTTPS listener and an HTTP listener that only redirects", () => {
            const gw = one(T.gateway).inputs;
            assert.deepStrictEqual(gw.metadata.annotations, { "alb.networking.azure.io/alb-id": AGC_ID });
            assert.strictEqual(gw.metadata.namespace, "open-webui");
            assert.strictEqual(gw.metadata.labels["app.kubernetes.io/instance"], "chat");
            assert.strictEqual(gw.spec.gatewayClassName, "azure-alb-external");
            assert.deepStrictEqual(gw.spec.addresses, [{ type: "alb.networking.azure.io/alb-frontend", value: "owui-frontend" }]);
            assert.deepStrictEqual(gw.spec.listeners, [
                {
                    name: "https",
                    port: 443,
                    protocol: "HTTPS",
                    hostname: "chat.example.com",
                    tls: { mode: "Terminate", certificateRefs: [{ group: "", kind: "Secret", name: "chat-tls" }] },
                    allowedRoutes: { namespaces: { from: "Same" } },
                },
                { name: "http", port: 80, protocol: "HTTP", hostname: "chat.example.com", allowedRoutes: { namespaces: { from: "Same" } } },
            ]);
            const redirect = byName(T.httpRoute, "chat-https-redirect");
            assert.deepStrictEqual(redirect.spec, {
                parentRefs: [{ name: "chat-gateway", namespace: "open-webui", sectionName: "http" }],
                hostnames: ["chat.example.com"],
                rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
            });
        });

        it("the app HTTPRoute attaches to the HTTPS listener; no Gateway API timeouts field (AGC takes its timeout from the RoutePolicy)", () => {
            const route = byName(T.httpRoute, "chat");
            assert.deepStrictEqual(route.spec.parentRefs, [{ name: "chat-gateway", namespace: "open-webui", sectionName: "https" }]);
            assert.deepStrictEqual(route.spec.hostnames, ["chat.example.com"]);
            assert.strictEqual(route.spec.rules[0].timeouts, undefined);
            assert.strictEqual(ofType(T.ingress).length, 0);
        });

        it("a RoutePolicy on the app's HTTPRoute raises AGC's 60 s request timeout (enforced even while a reply streams) to 3600 s", async () => {
            const rp = one(T.routePolicy);
            const p = rp.plain;
            assert.strictEqual(p.metadata.namespace, "open-webui");
            assert.deepStrictEqual(p.spec.targetRef, {
                group: "gateway.networking.k8s.io",
                kind: "HTTPRoute",
                name: byName(T.httpRoute, "chat").metadata.name,
                namespace: "open-webui",
            });
            assert.strictEqual(p.spec.targetRef.name, "chat");
            assert.deepStrictEqual(p.spec.default, { timeouts: { routeTimeout: "3600s" } });
            await validateK8sObject(p);
            // The transcribed schema really rejects a misspelt field and a bad duration.
            await assert.rejects(
                validateK8sObject({ ...p, spec: { ...p.spec, default: { timeouts: { requestTimeout: "3600s" } } } }),
                /additional properties \(requestTimeout\)/,
            );
            await assert.rejects(
                validateK8sObject({ ...p, spec: { ...p.spec, default: { timeouts: { routeTimeout: "3600" } } } }),
                /routeTimeout must match pattern/,
            );
        });

        it("points chat.example.com at the AGC frontend FQDN (CNAME) and publishes https://chat.example.com", async () => {
            assert.deepStrictEqual(one(T.record).inputs, {
                resourceGroupName: "rg-owui",
                zoneName: "example.com",
                relativeRecordSetName: "chat",
                recordType: "CNAME",
                ttl: 300,
                cnameRecord: { cname: "abc123.fz42.alb.azure.com" },
            });
            assert.strictEqual(await value(c.url), "https://chat.example.com");
            assert.strictEqual(envOf(appPod()).WEBUI_URL.value, "https://chat.example.com");
        });

        it("tags every Azure resource that takes tags; parents every child under the component", () => {
            const taggable = [T.server, T.redis, T.account, T.identity, T.pe, T.zone, T.link, "azure-native:operationalinsights:Workspace"];
            let n = 0;
            for (const t of taggable) {
                for (const r of ofType(t)) {
                    n++;
                    assert.strictEqual(r.inputs.tags?.["openwebui-cluster"], "chat", `${r.name} is not tagged`);
                    assert.strictEqual(r.inputs.tags?.["managed-by"], "pulumi", `${r.name} is not tagged`);
                }
            }
            assert.strictEqual(n, 13);
            for (const r of rec) assert.ok(r.name === "chat" || r.name.startsWith("chat-"), r.name);
            const counts: { [t: string]: number } = {};
            for (const r of registered.filter((x) => x.type.startsWith("azure-native:"))) counts[r.type] = (counts[r.type] ?? 0) + 1;
            assert.deepStrictEqual(counts, {
                [T.server]: 1,
                [T.config]: 4,
                [T.pgDatabase]: 1,
                [T.lock]: 3,
                [T.subnet]: 1,
                [T.zone]: 3,
                [T.link]: 3,
                [T.pe]: 2,
                [T.zoneGroup]: 2,
                [T.redis]: 1,
                [T.redisDb]: 1,
                [T.account]: 1,
                [T.blobService]: 1,
                [T.container]: 1,
                [T.identity]: 1,
                [T.fic]: 1,
                [T.role]: 1,
                [T.record]: 1,
                // hardening.accessLogs (tests/accessLogs.test.ts): postgres, redis, redis-db, blob, agc; the workspace they send to.
                "azure-native:monitor:DiagnosticSetting": 5,
                "azure-native:operationalinsights:Workspace": 1,
                // Telemetry on by default (tests/telemetry.test.ts): Application Insights on that workspace.
                "azure-native:applicationinsights:Component": 1,
                // Alarms on by default (tests/alarms.test.ts): postgres connections, CPU, storage; redis memory, evictions.
                "azure-native:monitor:MetricAlert": 5,
            });
        });

        it("every Kubernetes object passes its OpenAPI schema (incl. Gateway API)", async () => {
            assert.ok((await validateAll()) >= 15);
        });
    });

    describe("small, no deletion protection, no HA, namespace ai, public Blob, app-routing NGINX", () => {
        let c: OpenWebUiCluster;
        let rec: Recorded[];
        before(async () => {
            ({ c, rec } = await build({
                size: "small",
                namespace: "ai",
                tls: { clusterIssuer: "letsencrypt" },
                database: { deletionProtection: false, highAvailability: false },
                otel: { enabled: false },
                azure: {
                    storagePrivateEndpoint: false,
                    storageAllowedSubnetIds: [AKS_SUBNET],
                    storageAllowedIpRanges: ["20.50.1.0/28"],
                    ingress: { controller: "appRoutingNginx" },
                },
            }));
        });

        it("small maps to Standard_D2ds_v5 (859 connections) and Balanced_B1", async () => {
            assert.strictEqual(one(T.server).inputs.sku.name, "Standard_D2ds_v5");
            assert.strictEqual(one(T.redis).inputs.sku.name, "Balanced_B1");
            assert.strictEqual(byName(T.config, "chat-postgres-max-connections").value, "859");
            assert.strictEqual(await value(c.databaseServerMaxConnections), 859);
        });

        it("deletionProtection=false: no lock, no protect; highAvailability=false: HA Disabled", () => {
            assert.strictEqual(ofType(T.lock).filter((l) => l.name.endsWith("postgres-lock")).length, 0);
            assert.strictEqual(optsOf(rec, T.server).protect, false);
            assert.strictEqual(one(T.server).inputs.highAvailability.mode, "Disabled");
        });

        it("the federated subject follows the namespace", () => {
            assert.strictEqual(one(T.fic).inputs.subject, "system:serviceaccount:ai:chat");
        });

        it("storagePrivateEndpoint=false: public network on but denied except the given subnets/ranges, still Entra-only and HTTPS-only; no blob endpoint", () => {
            const a = one(T.account).inputs;
            assert.strictEqual(a.publicNetworkAccess, "Enabled");
            assert.strictEqual(a.allowSharedKeyAccess, false);
            assert.strictEqual(a.enableHttpsTrafficOnly, true);
            assert.deepStrictEqual(a.networkRuleSet, {
                defaultAction: "Deny",
                bypass: "None",
                virtualNetworkRules: [{ virtualNetworkResourceId: AKS_SUBNET, action: "Allow" }],
                ipRules: [{ iPAddressOrRange: "20.50.1.0/28", action: "Allow" }],
            });
            assert.deepStrictEqual(
                ofType(T.pe).map((p) => p.name),
                ["chat-redis-pe"],
            );
        });

        it("app-routing NGINX (deprecated option): long proxy timeouts, upload size, cert-manager TLS", async () => {
            const ing = one(T.ingress).inputs;
            assert.strictEqual(ing.spec.ingressClassName, "webapprouting.kubernetes.azure.com");
            assert.deepStrictEqual(ing.metadata.annotations, {
                "nginx.ingress.kubernetes.io/proxy-read-timeout": "3600",
                "nginx.ingress.kubernetes.io/proxy-send-timeout": "3600",
                "nginx.ingress.kubernetes.io/proxy-body-size": "100m",
                "cert-manager.io/cluster-issuer": "letsencrypt",
                "nginx.ingress.kubernetes.io/ssl-redirect": "true",
            });
            assert.deepStrictEqual(ing.spec.tls, [{ hosts: ["chat.example.com"], secretName: "chat-tls" }]);
            assert.strictEqual(ofType(T.gateway).length, 0);
            assert.strictEqual(ofType(T.record).length, 0);
            await validateAll();
        });
    });

    describe("large, AGIC, DNS zone", () => {
        let c: OpenWebUiCluster;
        before(async () => {
            ({ c } = await build({
                size: "large",
                otel: { enabled: false },
                azure: { dnsZoneName: "example.com", ingress: { controller: "applicationGatewayIngress", agc: undefined } },
            }));
        });

        it("large maps to Standard_D8ds_v5 with max_connections 3000 set explicitly, and Balanced_B5", async () => {
            assert.strictEqual(one(T.server).inputs.sku.name, "Standard_D8ds_v5");
            assert.strictEqual(one(T.redis).inputs.sku.name, "Balanced_B5");
            assert.strictEqual(byName(T.config, "chat-postgres-max-connections").value, "3000");
            assert.strictEqual(await value(c.databaseServerMaxConnections), 3000);
        });

        it("AGIC: /health probes, long request timeout, HTTPS redirect, draining within the grace period, TLS Secret", async () => {
            const ing = one(T.ingress).inputs;
            assert.strictEqual(ing.spec.ingressClassName, "azure-application-gateway");
            assert.deepStrictEqual(ing.metadata.annotations, {
                "appgw.ingress.kubernetes.io/backend-protocol": "http",
                "appgw.ingress.kubernetes.io/health-probe-path": "/health",
                "appgw.ingress.kubernetes.io/health-probe-status-codes": "200",
                "appgw.ingress.kubernetes.io/health-probe-interval": "10",
                "appgw.ingress.kubernetes.io/health-probe-timeout": "5",
                "appgw.ingress.kubernetes.io/health-probe-unhealthy-threshold": "3",
                "appgw.ingress.kubernetes.io/request-timeout": "3600",
                "appgw.ingress.kubernetes.io/connection-draining": "true",
                "appgw.ingress.kubernetes.io/connection-draining-timeout": "60",
                "appgw.ingress.kubernetes.io/ssl-redirect": "true",
            });
            assert.deepStrictEqual(ing.spec.tls, [{ hosts: ["chat.example.com"], secretName: "chat-tls" }]);
            assert.strictEqual(ofType(T.gateway).length, 0);
            await validateAll();
        });

        it("creates the DNS record from the Ingress status (the mocked controller reports a hostname: CNAME)", () => {
            const r = one(T.record).inputs;
            assert.deepStrictEqual(r, {
                resourceGroupName: "rg-owui",
                zoneName: "example.com",
                relativeRecordSetName: "chat",
                recordType: "CNAME",
                ttl: 300,
                cnameRecord: { cname: "k8s-chat-0123456789.eu-west-1.elb.amazonaws.com" },
            });
        });
    });

    describe("escape hatches: SKUs, extensions, existing subnet and zones, created resource group, AGIC certificate", () => {
        const pgZone = `${SUB}/resourceGroups/rg-hub/providers/Microsoft.Network/privateDnsZones/hub.postgres.database.azure.com`;
        const redisZone = `${SUB}/resourceGroups/rg-hub/providers/Microsoft.Network/privateDnsZones/privatelink.redis.azure.net`;
        const blobZone = `${SUB}/resourceGroups/rg-hub/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net`;
        before(async () => {
            await build({
                database: { maxConnections: 3437 },
                tls: {},
                otel: { enabled: false },
                azure: {
                    resourceGroupName: "rg-new",
                    createResourceGroup: true,
                    postgresSubnetCidr: undefined,
                    postgresSubnetId: PG_SUBNET,
                    postgresPrivateDnsZoneId: pgZone,
                    redisPrivateDnsZoneId: redisZone,
                    blobPrivateDnsZoneId: blobZone,
                    skus: {
                        postgresSkuName: "Standard_E4ds_v5",
                        postgresSkuTier: "MemoryOptimized",
                        postgresHighAvailabilityMode: "SameZone",
                        postgresStorageGb: 256,
                        redisSkuName: "MemoryOptimized_M10",
                        storageSkuName: "Standard_GZRS",
                    },
                    postgresExtensions: ["pg_trgm", "VECTOR", "uuid_ossp"],
                    postgresGeoRedundantBackup: true,
                    postgresAdminLogin: "owuiroot",
                    postgresMaintenanceWindow: { dayOfWeek: 6, startHour: 22 },
                    redisEvictionPolicy: "VolatileLRU",
                    ingress: { controller: "applicationGatewayIngress", appGatewaySslCertificate: "owui-cert", requestTimeoutSeconds: 7200 },
                },
            });
        });

        it("applies the SKU overrides and sets the given max_connections on the server", () => {
            const s = one(T.server).inputs;
            assert.deepStrictEqual(s.sku, { name: "Standard_E4ds_v5", tier: "MemoryOptimized" });
            assert.strictEqual(s.highAvailability.mode, "SameZone");
            assert.strictEqual(s.storage.storageSizeGB, 256);
            assert.strictEqual(s.backup.geoRedundantBackup, "Enabled");
            assert.strictEqual(s.administratorLogin, "owuiroot");
            assert.deepStrictEqual(s.maintenanceWindow, { customWindow: "Enabled", dayOfWeek: 6, startHour: 22, startMinute: 0 });
            assert.strictEqual(byName(T.config, "chat-postgres-max-connections").value, "3437");
            assert.strictEqual(one(T.redis).inputs.sku.name, "MemoryOptimized_M10");
            assert.strictEqual(one(T.redisDb).inputs.evictionPolicy, "VolatileLRU");
            assert.deepStrictEqual(one(T.account).inputs.sku, { name: "Standard_GZRS" });
        });

        it("allow-lists vector plus the extra extensions, lowercase and de-duplicated", () => {
            assert.strictEqual(byName(T.config, "chat-postgres-extensions").value, "vector,pg_trgm,uuid_ossp");
        });

        it("uses the existing subnet and zones (nothing created for them)", () => {
            assert.strictEqual(ofType(T.subnet).length, 0);
            assert.strictEqual(ofType(T.zone).length, 0);
            assert.strictEqual(ofType(T.link).length, 0);
            const s = one(T.server).inputs;
            assert.strictEqual(s.network.delegatedSubnetResourceId, PG_SUBNET);
            assert.strictEqual(s.network.privateDnsZoneArmResourceId, pgZone);
            assert.strictEqual(byName(T.zoneGroup, "chat-redis-pe-dns").privateDnsZoneConfigs[0].privateDnsZoneId, redisZone);
            assert.strictEqual(byName(T.zoneGroup, "chat-blob-pe-dns").privateDnsZoneConfigs[0].privateDnsZoneId, blobZone);
        });

        it("creates the resource group and puts every resource in it", () => {
            assert.deepStrictEqual(one(T.rg).inputs, {
                resourceGroupName: "rg-new",
                location: "westeurope",
                tags: { "openwebui-cluster": "chat", "managed-by": "pulumi" },
            });
            for (const t of [T.server, T.redis, T.account, T.identity, T.pe, T.redisDb, T.config, T.container, T.fic]) {
                for (const r of ofType(t)) assert.strictEqual(r.inputs.resourceGroupName, "rg-new", `${r.name} not in the created group`);
            }
        });

        it("AGIC with a certificate installed on the Application Gateway: no TLS Secret, custom timeout", () => {
            const ing = one(T.ingress).inputs;
            assert.strictEqual(ing.metadata.annotations["appgw.ingress.kubernetes.io/appgw-ssl-certificate"], "owui-cert");
            assert.strictEqual(ing.metadata.annotations["appgw.ingress.kubernetes.io/request-timeout"], "7200");
            assert.strictEqual(ing.spec.tls, undefined);
        });

        it("every Kubernetes object passes its OpenAPI schema", async () => {
            assert.ok((await validateAll()) >= 10);
        });
    });

    describe("external storage, AGC managed by the ALB controller, cert-manager", () => {
        before(async () => {
            await build({
                tls: { clusterIssuer: "letsencrypt" },
                otel: { enabled: false },
                storage: { mode: "external", bucketName: "ext", s3EndpointUrl: "https://s3.example.com" },
                azure: { ingress: { agc: { albName: "alb", albNamespace: "alb-infra" } } },
            });
        });

        it("identity and federation are still created; no storage account, no role assignment", () => {
            assert.strictEqual(ofType(T.account).length, 0);
            assert.strictEqual(ofType(T.role).length, 0);
            assert.strictEqual(ofType(T.pe).length, 1);
            assert.strictEqual(one(T.fic).inputs.subject, "system:serviceaccount:open-webui:chat");
        });

        it("the Gateway names the ApplicationLoadBalancer (alb-name/alb-namespace), no addresses; cert-manager fills chat-tls", async () => {
            const gw = one(T.gateway).inputs;
            assert.deepStrictEqual(gw.metadata.annotations, {
                "cert-manager.io/cluster-issuer": "letsencrypt",
                "alb.networking.azure.io/alb-name": "alb",
                "alb.networking.azure.io/alb-namespace": "alb-infra",
            });
            assert.strictEqual(gw.spec.addresses, undefined);
            assert.deepStrictEqual(gw.spec.listeners[0].tls.certificateRefs, [{ group: "", kind: "Secret", name: "chat-tls" }]);
            await validateAll();
        });
    });

    describe("AGC with an existing shared Gateway", () => {
        before(async () => {
            await build({
                tls: {},
                otel: { enabled: false },
                azure: { ingress: { agc: { gatewayName: "shared", gatewayNamespace: "gateways", gatewayListenerName: "https-chat" } } },
            });
        });

        it("the route attaches to it; no Gateway, redirect route or DNS record is created", () => {
            assert.strictEqual(ofType(T.gateway).length, 0);
            assert.deepStrictEqual(
                ofType(T.httpRoute).map((r) => r.name),
                ["chat"],
            );
            assert.deepStrictEqual(byName(T.httpRoute, "chat").spec.parentRefs, [{ name: "shared", namespace: "gateways", sectionName: "https-chat" }]);
            assert.strictEqual(ofType(T.record).length, 0);
        });

        it("the route's RoutePolicy (in the app's namespace) still lifts the 60 s request timeout on the shared Gateway", () => {
            assert.deepStrictEqual(one(T.routePolicy).plain.spec, {
                targetRef: { group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "chat", namespace: "open-webui" },
                default: { timeouts: { routeTimeout: "3600s" } },
            });
        });

        it("every Kubernetes object passes its OpenAPI schema", async () => {
            assert.ok((await validateAll()) >= 10);
        });
    });

    describe("plain HTTP (evaluation: tls.enabled=false + allowInsecureHttp)", () => {
        before(async () => {
            await build({ tls: { enabled: false, allowInsecureHttp: true }, otel: { enabled: false } });
        });

        it("the Gateway has only the HTTP listener, the route attaches to it, no redirect route", async () => {
            const gw = one(T.gateway).inputs;
            assert.deepStrictEqual(
                gw.spec.listeners.map((l: any) => [l.name, l.port, l.protocol]),
                [["http", 80, "HTTP"]],
            );
            assert.deepStrictEqual(
                ofType(T.httpRoute).map((r) => r.name),
                ["chat"],
            );
            assert.deepStrictEqual(byName(T.httpRoute, "chat").spec.parentRefs, [{ name: "chat-gateway", namespace: "open-webui", sectionName: "http" }]);
            assert.strictEqual(envOf(appPod()).WEBUI_URL.value, "http://chat.example.com");
            await validateAll();
        });
    });

    describe("what the cloud module hands the core", () => {
        it("secrets stay secrets, the cache is not a cluster, and the pods wait for identity and endpoints", async () => {
            reset();
            const { spec, platform } = prepareSpec(argsOf({}));
            const parent = new pulumi.ComponentResource("test:index:Parent", "direct");
            const ctx: ProviderContext = {
                name: "direct",
                parent,
                spec,
                namespace: "open-webui",
                serviceAccountName: "direct",
                tags: {},
                opts: (extra) => ({ parent, ...extra }),
            };
            const cache = platform.createCache(ctx);
            const db = platform.createDatabase(ctx);
            assert.strictEqual(await isSecretOutput(cache.url), true);
            assert.strictEqual(await isSecretOutput(db.adminPassword), true);
            assert.strictEqual(await value(cache.url), "rediss://:Mock%2FKey%2BPrimary%3D@direct-redis-x1y2.westeurope.redis.azure.net:10000/0");
            assert.strictEqual(cache.cluster, false);
            assert.strictEqual(cache.caCertificate, undefined);
            assert.strictEqual(platform.cacheIsCluster(spec), false);
            assert.deepStrictEqual([db.port, db.sslMode, db.iamAuth, db.maxConnections], [5432, "verify-full", false, 1718]);
            // Ordering carried by the values: pods (through the ServiceAccount annotation and the
            // storage env) wait for the federation, the role assignment and the Blob private endpoint DNS.
            const store = platform.createObjectStore(ctx);
            const identity = platform.createWorkloadIdentity(ctx, store);
            const names = async (o: any) => [...(await o.allResources())].map((r: any) => r.__name).sort();
            const annotationDeps = await names(identity.serviceAccountAnnotations["azure.workload.identity/client-id"]);
            for (const n of ["direct-identity", "direct-federated-credential", "direct-blob-data-contributor"])
                assert.ok(annotationDeps.includes(n), `${n} not in ${annotationDeps}`);
            assert.ok((await names(store.env.AZURE_STORAGE_ENDPOINT)).includes("direct-blob-pe-dns"));
            assert.deepStrictEqual(identity.podLabels, { "azure.workload.identity/use": "true" });
            await settle();
        });

        it("an Ingress controller that reports an IP (AGIC, NGINX behind an Azure LB) gets an A record", async () => {
            reset();
            const { spec, platform } = prepareSpec(argsOf({ azure: { dnsZoneName: "example.com", ingress: { controller: "applicationGatewayIngress" } } }));
            const parent = new pulumi.ComponentResource("test:index:Parent", "direct");
            const ctx: ProviderContext = {
                name: "direct",
                parent,
                spec,
                namespace: "open-webui",
                serviceAccountName: "direct",
                tags: {},
                opts: (extra) => ({ parent, ...extra }),
            };
            const lb = platform.createLoadBalancer(ctx);
            const route = { status: pulumi.output({ loadBalancer: { ingress: [{ ip: "20.50.60.70" }] } }) } as any;
            lb.afterRoute!(route, {} as any);
            await settle();
            const r = one(T.record).inputs;
            assert.deepStrictEqual(
                [r.recordType, r.relativeRecordSetName, r.aRecords, r.cnameRecord],
                ["A", "chat", [{ ipv4Address: "20.50.60.70" }], undefined],
            );
        });
    });

    describe("examples/azure evaluated under mocks", () => {
        after(clearExampleConfig);

        it("deploys from stack config onto the existing AKS cluster (issuer, region and VNet read from it)", async () => {
            reset();
            const mod = loadExample(path.join(__dirname, "..", "examples", "azure"), {
                aksClusterName: "aks-prod",
                aksResourceGroup: "rg-aks",
                hostname: "chat.example.com",
                resourceGroupName: "rg-owui",
                postgresSubnetCidr: "10.240.8.0/28",
                privateEndpointSubnetId: PE_SUBNET,
                agcResourceId: AGC_ID,
                agcFrontendName: "owui-frontend",
                tlsSecretName: "chat-tls",
                dnsZoneName: "example.com",
            });
            await settle();
            assert.strictEqual(await value(mod.url), "https://chat.example.com");
            assert.strictEqual(await value(mod.containerName), "openwebui");
            assert.strictEqual(await value(mod.managedIdentityClientId), "11111111-2222-3333-4444-555555555555");
            assert.strictEqual(await value(mod.databaseServerMaxConnections), 1718);
            assert.strictEqual(one(T.server).inputs.location, "westeurope");
            assert.strictEqual(one(T.fic).inputs.issuer, ISSUER);
            const sn = one(T.subnet).inputs;
            assert.deepStrictEqual([sn.resourceGroupName, sn.virtualNetworkName], ["rg-aks", "aks-vnet"]);
            assert.deepStrictEqual(byName(T.link, "chat-redis-dns-link").virtualNetwork, {
                id: `${SUB}/resourceGroups/rg-aks/providers/Microsoft.Network/virtualNetworks/aks-vnet`,
            });
            assert.strictEqual(one(T.gateway).inputs.metadata.annotations["alb.networking.azure.io/alb-id"], AGC_ID);
            assert.strictEqual(one(T.record).inputs.cnameRecord.cname, "abc123.fz42.alb.azure.com");
            assert.strictEqual(one(T.lock, "postgres-lock").inputs.level, "CanNotDelete");
            const prov = one("pulumi:providers:kubernetes");
            for (const r of registered.filter((x) => x.type.startsWith("kubernetes:") && x.custom)) {
                assert.ok(r.provider?.includes(`::${prov.name}::`), `${r.type} ${r.name} uses ${r.provider}`);
            }
            await validateAll();
        });
    });

    describe("max_connections is static on Flexible Server (issue 12 #6)", () => {
        it("provisioning values follow Microsoft's limits table for every family", () => {
            // learn.microsoft.com/azure/postgresql/configure-maintain/concepts-limits, "Maximum connections".
            const table: [string, number][] = [
                ["Standard_B1ms", 50],
                ["Standard_B2s", 429],
                ["Standard_B2ms", 859],
                ["Standard_B4ms", 1718],
                ["Standard_B8ms", 3437],
                ["Standard_B12ms", 5000],
                ["Standard_D2ds_v5", 859],
                ["Standard_D4ds_v5", 1718],
                ["Standard_D8ds_v5", 3437],
                ["Standard_D16ds_v5", 5000],
                ["Standard_D2s_v3", 859],
                ["Standard_D4ads_v5", 1718],
                ["Standard_E2ds_v5", 1718],
                ["Standard_E4ds_v5", 3437],
                ["Standard_E8ds_v5", 5000],
            ];
            for (const [sku, want] of table) assert.strictEqual(provisioningMaxConnections(sku), want, sku);
            assert.strictEqual(provisioningMaxConnections("Standard_M64ms"), undefined);
        });

        it("plans a known SKU without database.maxConnections at its provisioning value, never above", async () => {
            await build({ azure: { skus: { postgresSkuName: "Standard_D16ds_v5" } } });
            assert.strictEqual(byName(T.config, "chat-postgres-max-connections").value, "5000");
            for (const sku of Object.values(POSTGRES_SKUS)) assert.ok(POSTGRES_MAX_CONNECTIONS[sku] <= provisioningMaxConnections(sku)!, sku);
        });

        it("warns with the restart command while Azure reports the change pending, and only then", async () => {
            const warned: string[] = [];
            const orig = pulumi.log.warn;
            (pulumi.log as any).warn = (m: string) => {
                warned.push(m);
                return Promise.resolve();
            };
            try {
                warnIfRestartPending({ isConfigPendingRestart: pulumi.output(false) } as any, 1718, "owui-pg", "rg-ai");
                warnIfRestartPending({ isConfigPendingRestart: pulumi.output(undefined) } as any, 1718, "owui-pg", "rg-ai");
                warnIfRestartPending({ isConfigPendingRestart: pulumi.output(true) } as any, 1718, pulumi.output("owui-pg"), "rg-ai");
                await settle();
            } finally {
                (pulumi.log as any).warn = orig;
            }
            assert.strictEqual(warned.length, 1, warned.join("\n"));
            assert.match(
                warned[0],
                /max_connections=1718 on PostgreSQL server owui-pg is pending a restart .*az postgres flexible-server restart -g rg-ai -n owui-pg/,
            );
        });
    });

    describe("clear errors for bad Azure inputs, before anything is registered", () => {
        const cases: [string, any, RegExp][] = [
            ["the azure block is missing", { azure: undefined }, /azure: got nothing; target azure needs the azure block/],
            [
                "azure.resourceGroupName is missing",
                { azure: { resourceGroupName: undefined } },
                /azure\.resourceGroupName: got nothing; give the resource group/,
            ],
            ["azure.location is missing", { azure: { location: "" } }, /azure\.location: got ""; give the Azure region/],
            ["azure.vnetId is a bare name", { azure: { vnetId: "aks-vnet" } }, /azure\.vnetId: got "aks-vnet"; use the ARM id/],
            ["azure.vnetId is missing", { azure: { vnetId: undefined } }, /azure\.vnetId: got nothing; give the ARM id of the AKS virtual network/],
            ["no Postgres subnet", { azure: { postgresSubnetCidr: undefined } }, /azure\.postgresSubnetId\/postgresSubnetCidr: got nothing; set exactly one/],
            ["both Postgres subnet forms", { azure: { postgresSubnetId: PG_SUBNET } }, /azure\.postgresSubnetId\/postgresSubnetCidr: got "both set"/],
            [
                "azure.postgresSubnetCidr too small",
                { azure: { postgresSubnetCidr: "10.240.8.0/29" } },
                /azure\.postgresSubnetCidr: got "10\.240\.8\.0\/29"; use an IPv4 CIDR from \/16 to \/28/,
            ],
            [
                "azure.postgresSubnetCidr not a network address (Azure: InvalidCIDRNotation, after the rest was created)",
                { azure: { postgresSubnetCidr: "10.240.8.5/28" } },
                /azure\.postgresSubnetCidr: got "10\.240\.8\.5\/28"; the address is not the network address of a \/28: use 10\.240\.8\.0\/28/,
            ],
            [
                "azure.postgresSubnetCidr octet over 255",
                { azure: { postgresSubnetCidr: "10.256.8.0/28" } },
                /azure\.postgresSubnetCidr: got "10\.256\.8\.0\/28"; use an IPv4 CIDR from \/16 to \/28/,
            ],
            [
                "azure.aksOidcIssuerUrl with a space",
                { azure: { aksOidcIssuerUrl: "https://eastus.oic.prod-aks.azure.com/ tenant/" } },
                /azure\.aksOidcIssuerUrl: got "https:\/\/eastus\.oic\.prod-aks\.azure\.com\/ tenant\/"; use the https:\/\/ issuer URL/,
            ],
            [
                "azure.dnsZoneName with a trailing dot",
                { azure: { dnsZoneName: "example.com." } },
                /azure\.dnsZoneName: got "example\.com\."; give the zone's lowercase DNS name without a trailing dot/,
            ],
            [
                "azure.postgresSubnetId not a subnet id",
                { azure: { postgresSubnetCidr: undefined, postgresSubnetId: VNET } },
                /azure\.postgresSubnetId: got ".*virtualNetworks\/aks-vnet"; use a subnet ARM id/,
            ],
            [
                "azure.privateEndpointSubnetId is missing",
                { azure: { privateEndpointSubnetId: undefined } },
                /azure\.privateEndpointSubnetId: got nothing; give the ARM id of a subnet/,
            ],
            ["azure.aksOidcIssuerUrl is missing", { azure: { aksOidcIssuerUrl: undefined } }, /azure\.aksOidcIssuerUrl: got nothing; give the AKS OIDC issuer/],
            [
                "azure.aksOidcIssuerUrl is not https",
                { azure: { aksOidcIssuerUrl: "http://issuer" } },
                /azure\.aksOidcIssuerUrl: got "http:\/\/issuer"; use the https:\/\/ issuer URL/,
            ],
            [
                "azure.postgresPrivateDnsZoneId has a wrong zone name",
                { azure: { postgresPrivateDnsZoneId: `${SUB}/resourceGroups/x/providers/Microsoft.Network/privateDnsZones/example.com` } },
                /azure\.postgresPrivateDnsZoneId: .*ends in \.postgres\.database\.azure\.com/,
            ],
            [
                "Burstable with HA",
                { azure: { skus: { postgresSkuTier: "Burstable", postgresSkuName: "Standard_B2s" } }, database: { maxConnections: 429 } },
                /azure\.skus\.postgresSkuTier: got "Burstable"; Burstable servers have no high availability/,
            ],
            [
                "unknown Postgres SKU without maxConnections",
                { azure: { skus: { postgresSkuName: "Standard_M64ms" } } },
                /azure\.skus\.postgresSkuName: got "Standard_M64ms"; its max_connections is not known here .*set database\.maxConnections/,
            ],
            // Static parameter: above the provisioning value it needs a restart no deploy performs (issue 12 #6).
            [
                "max_connections above what the SKU is provisioned with",
                { azure: { skus: { postgresSkuName: "Standard_E4ds_v5", postgresSkuTier: "MemoryOptimized" } }, database: { maxConnections: 5000 } },
                /database\.maxConnections: got 5000; max_connections is a static parameter on Flexible Server: Standard_E4ds_v5 is provisioned with 3437, .*only after a server restart.*Use at most 3437, or a larger SKU/,
            ],
            [
                "max_connections above the default SKU's",
                { database: { maxConnections: 2000 } },
                /database\.maxConnections: got 2000; .*Standard_D4ds_v5 is provisioned with 1718/,
            ],
            [
                "max_connections over Azure's range",
                { azure: { skus: { postgresSkuName: "Standard_M64ms" } }, database: { maxConnections: 6000 } },
                /database\.maxConnections: got 6000; Azure allows max_connections from 25 to 5000/,
            ],
            [
                "unknown HA mode",
                { azure: { skus: { postgresHighAvailabilityMode: "MultiRegion" } } },
                /azure\.skus\.postgresHighAvailabilityMode: got "MultiRegion"; use ZoneRedundant or SameZone/,
            ],
            [
                "Postgres storage size not offered",
                { azure: { skus: { postgresStorageGb: 100 } } },
                /azure\.skus\.postgresStorageGb: got 100; use one of 32, 64, 128/,
            ],
            [
                "retired Redis SKU",
                { azure: { skus: { redisSkuName: "Enterprise_E10" } } },
                /azure\.skus\.redisSkuName: got "Enterprise_E10"; use an Azure Managed Redis SKU/,
            ],
            ["unknown eviction policy", { azure: { redisEvictionPolicy: "LRU" } }, /azure\.redisEvictionPolicy: got "LRU"; use one of NoEviction/],
            [
                "redis.cluster on Azure Managed Redis",
                { redis: { cluster: true } },
                /redis\.cluster: got true; Azure Managed Redis is created with the EnterpriseCluster policy/,
            ],
            ["database.iamAuth on Azure", { database: { iamAuth: true } }, /database\.iamAuth: got true; IAM token auth is AWS only/],
            [
                "database.version Azure does not offer",
                { database: { version: "13" } },
                /database\.version: got "13"; Azure Database for PostgreSQL flexible server supports 14, 15, 16, 17, 18/,
            ],
            [
                "backup retention under Flexible Server's 7 days",
                { database: { backupRetentionDays: 3 } },
                /database\.backupRetentionDays: got 3; Azure Database for PostgreSQL flexible server keeps backups 7 to 35 days/,
            ],
            [
                "maintenance day out of range",
                { azure: { postgresMaintenanceWindow: { dayOfWeek: 7 } } },
                /azure\.postgresMaintenanceWindow\.dayOfWeek: got 7; use 0 \(Sunday\) to 6 \(Saturday\)/,
            ],
            [
                "maintenance hour out of range",
                { azure: { postgresMaintenanceWindow: { startHour: 24 } } },
                /azure\.postgresMaintenanceWindow\.startHour: got 24; use an hour from 0 to 23/,
            ],
            [
                "reserved admin login",
                { azure: { postgresAdminLogin: "admin" } },
                /azure\.postgresAdminLogin: got "admin"; use a lowercase identifier that is not reserved/,
            ],
            ["bad extension name", { azure: { postgresExtensions: ["vector; drop"] } }, /azure\.postgresExtensions: got "vector; drop"/],
            ["bad container name", { storage: { bucketName: "Open_WebUI" } }, /storage\.bucketName: got "Open_WebUI"; an Azure container name/],
            ["bad storage SKU", { azure: { skus: { storageSkuName: "Premium_LRS" } } }, /azure\.skus\.storageSkuName: got "Premium_LRS"/],
            [
                "AGC with no Gateway source",
                { azure: { ingress: { agc: {} } } },
                /azure\.ingress\.agc: got nothing; Application Gateway for Containers needs exactly one of/,
            ],
            [
                "AGC with two Gateway sources",
                { azure: { ingress: { agc: { resourceId: AGC_ID, frontendName: "f", gatewayName: "g" } } } },
                /azure\.ingress\.agc: got "several set"/,
            ],
            ["AGC resource without frontend", { azure: { ingress: { agc: { resourceId: AGC_ID } } } }, /azure\.ingress\.agc\.frontendName: got nothing/],
            ["ALB name without namespace", { azure: { ingress: { agc: { albName: "alb" } } } }, /azure\.ingress\.agc\.albNamespace: got nothing/],
            ["Gateway without a certificate", { tls: {} }, /tls\.secretName: got nothing; the HTTPS listener of the Gateway needs a certificate/],
            [
                "AGIC without a certificate",
                { tls: {}, azure: { ingress: { controller: "applicationGatewayIngress" } } },
                /tls\.secretName: got nothing; the Ingress needs a certificate: set tls\.secretName or tls\.clusterIssuer or azure\.ingress\.appGatewaySslCertificate/,
            ],
            [
                "unknown ingress controller",
                { azure: { ingress: { controller: "traefik" } } },
                /azure\.ingress\.controller: got "traefik"; use one of applicationGatewayForContainers, applicationGatewayIngress, appRoutingNginx/,
            ],
            [
                "request timeout too short",
                { azure: { ingress: { requestTimeoutSeconds: 30 } } },
                /azure\.ingress\.requestTimeoutSeconds: got 30; use 60 to 86400 seconds/,
            ],
            [
                "DNS zone not containing the hostname",
                { azure: { dnsZoneName: "example.org" } },
                /azure\.dnsZoneName: got "example\.org"; hostname chat\.example\.com is not in this zone/,
            ],
            [
                "DNS zone with a shared Gateway",
                { tls: {}, azure: { dnsZoneName: "example.com", ingress: { agc: { gatewayName: "shared" } } } },
                /azure\.dnsZoneName: got "example\.com"; with an existing Gateway/,
            ],
        ];
        for (const [title, args, re] of cases) {
            it(title, () => {
                reset();
                const full = argsOf(args);
                if ("azure" in args && args.azure === undefined) delete full.azure;
                assert.throws(() => new OpenWebUiCluster("chat", full), re);
                assert.strictEqual(registered.length, 0);
            });
        }

        it("needs no private endpoint subnet when Redis is external and Blob is public", () => {
            reset();
            const { spec } = prepareSpec(
                argsOf({
                    redis: { mode: "external", url: "rediss://:pw@redis.example.com:6380/0" },
                    azure: { privateEndpointSubnetId: undefined, storagePrivateEndpoint: false, storageAllowedSubnetIds: [AKS_SUBNET] },
                }),
            );
            assert.strictEqual(spec.azure?.privateEndpointSubnetId, undefined);
            assert.strictEqual(registered.length, 0);
        });

        it("reports every problem at once", () => {
            reset();
            let msg = "";
            try {
                new OpenWebUiCluster("chat", { target: "azure", hostname: "chat.example.com", azure: { ingress: { agc: {} } } } as any);
            } catch (e) {
                msg = (e as Error).message;
            }
            for (const f of [
                "azure.resourceGroupName",
                "azure.location",
                "azure.vnetId",
                "azure.aksOidcIssuerUrl",
                "azure.postgresSubnetId/postgresSubnetCidr",
                "azure.privateEndpointSubnetId",
                "azure.ingress.agc",
                "tls.secretName",
            ]) {
                assert.ok(msg.includes(`  - ${f}: `), `missing ${f} in:\n${msg}`);
            }
            assert.strictEqual(registered.length, 0);
        });
    });
});

describe("azure target: azure-native's API-version aliases", function () {
    const versionAlias = (a: any) =>
        typeof a === "object" && a !== null && typeof a.type === "string" && /^azure-native:[^:/]+\/v\d|^azure-nextgen:/.test(a.type);

    it("control: the SDK classes add one alias per API version (a PrivateEndpoint built outside the component has dozens)", async () => {
        reset();
        const seen: any[] = [];
        const network = require("@pulumi/azure-native/network");
        new network.PrivateEndpoint(
            "bare",
            { resourceGroupName: "rg" },
            {
                transformations: [
                    (a: any) => {
                        seen.push(a.opts);
                        return undefined;
                    },
                ],
            },
        );
        await settle();
        assert.ok(seen[0].aliases.filter(versionAlias).length > 20, `${seen[0].aliases.length} aliases`);
    });

    it("no azure-native child of the component carries them; the other aliases are kept", async () => {
        const { rec } = await build();
        const azureChildren = rec.filter((r) => r.type.startsWith("azure-native:"));
        assert.ok(azureChildren.length >= 10, `${azureChildren.length} azure-native children`);
        for (const r of azureChildren) assert.deepStrictEqual((r.opts.aliases ?? []).filter(versionAlias), [], `${r.type} ${r.name}`);
        const kept = dropApiVersionAliases({
            opts: {
                aliases: [
                    { type: "azure-native:network/v20230501:PrivateEndpoint" },
                    { type: "azure-nextgen:network:PrivateEndpoint" },
                    { name: "old-name" },
                    "urn:pulumi:s::p::t::n",
                ],
            },
        } as any).opts.aliases;
        assert.deepStrictEqual(kept, [{ name: "old-name" }, "urn:pulumi:s::p::t::n"]);
    });
});
