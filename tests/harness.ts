// Shared mock harness: records every resource the program registers, answers invokes
// for the tokens we expect (and throws for the rest so a new invoke cannot pass silently).
import * as pulumi from "@pulumi/pulumi";

export interface Registered {
    type: string;
    name: string;
    /** Inputs as the engine received them: secrets are signature-wrapped objects (see isSecretInput). */
    inputs: any;
    /** The same inputs with secrets unwrapped to their plain values. */
    plain: any;
    custom: boolean;
    provider?: string;
}

export const registered: Registered[] = [];

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Mock inputs carry secrets as signature-wrapped objects; tests read the plain value. */
export function unwrapSecrets(v: any): any {
    if (Array.isArray(v)) return v.map(unwrapSecrets);
    if (v && typeof v === "object") {
        if (v[SECRET_SIG] !== undefined && "value" in v) return unwrapSecrets(v.value);
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
    }
    return v;
}

/** True when the raw mock input at `path` (dotted) of the resource was a secret. */
export function isSecretInput(raw: any, path: string): boolean {
    let cur = raw;
    for (const part of path.split(".")) {
        if (cur && typeof cur === "object" && cur[SECRET_SIG] !== undefined) return true;
        cur = cur?.[part];
    }
    return !!(cur && typeof cur === "object" && cur[SECRET_SIG] !== undefined);
}

/** Outputs a mocked cloud resource returns on top of its inputs (values only the cloud knows). */
export function cloudOutputs(args: pulumi.runtime.MockResourceArgs): Record<string, any> {
    const n = args.name;
    switch (args.type) {
        case "random:index/randomPassword:RandomPassword":
        case "random:index/randomString:RandomString": {
            // Deterministic per name, honouring length and the character classes asked for.
            const upper = args.inputs.upper !== false,
                lower = args.inputs.lower !== false,
                digits = args.inputs.numeric !== false;
            const alphabet = `${upper ? "ABCDEFGHJKLMNPQRSTUVWXYZ" : ""}${lower ? "abcdefghijkmnopqrstuvwxyz" : ""}${digits ? "23456789" : ""}` || "x";
            const seed = require("crypto").createHash("sha256").update(n).digest();
            let result = "";
            for (let i = 0; i < (args.inputs.length ?? 16); i++) result += alphabet[seed[i % seed.length] % alphabet.length];
            return { result };
        }
        case "aws:rds/cluster:Cluster":
        case "aws:rds/instance:Instance":
            return {
                endpoint: `${n}.cluster-abc.eu-west-1.rds.amazonaws.com`,
                address: `${n}.abc.eu-west-1.rds.amazonaws.com`,
                port: 5432,
                arn: `arn:aws:rds:eu-west-1:123456789012:cluster:${n}`,
                clusterResourceId: "cluster-ABCDEF",
                resourceId: "db-ABCDEF",
                clusterIdentifier: `${n}-c1`,
                identifier: `${n}-i1`,
            };
        case "aws:elasticache/replicationGroup:ReplicationGroup":
            return {
                primaryEndpointAddress: `master.${n}.abc.euw1.cache.amazonaws.com`,
                configurationEndpointAddress: `clustercfg.${n}.abc.euw1.cache.amazonaws.com`,
                port: 6379,
                arn: `arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:${n}`,
                memberClusters: Array.from(
                    { length: args.inputs.numCacheClusters ?? (args.inputs.numNodeGroups ?? 1) * (1 + (args.inputs.replicasPerNodeGroup ?? 0)) },
                    (_, i) => `${n}-00${i + 1}`,
                ),
            };
        case "aws:s3/bucket:Bucket":
        case "aws:s3/bucketV2:BucketV2":
            return { bucket: args.inputs.bucket ?? `${n}-bucket`, arn: `arn:aws:s3:::${args.inputs.bucket ?? `${n}-bucket`}` };
        case "aws:iam/role:Role":
        case "aws:iam/policy:Policy":
            return { arn: `arn:aws:iam::123456789012:${args.type.endsWith("Role") ? "role" : "policy"}/${n}`, name: args.inputs.name ?? n };
        case "aws:kms/key:Key":
            return { arn: `arn:aws:kms:eu-west-1:123456789012:key/${n}`, keyId: `${n}-key-id` };
        case "aws:ec2/securityGroup:SecurityGroup":
            return { arn: `arn:aws:ec2:eu-west-1:123456789012:security-group/sg-${n}` };
        case "gcp:sql/databaseInstance:DatabaseInstance":
            return { privateIpAddress: "10.10.0.3", connectionName: `proj:region:${n}`, name: args.inputs.name ?? n };
        case "gcp:redis/instance:Instance":
            return {
                host: "10.10.1.4",
                port: 6378,
                authString: "mock-redis-auth",
                serverCaCerts: [{ cert: "-----BEGIN CERTIFICATE-----\nMOCK\n-----END CERTIFICATE-----\n" }],
            };
        case "gcp:storage/bucket:Bucket":
            return { name: args.inputs.name ?? n, url: `gs://${args.inputs.name ?? n}` };
        case "gcp:serviceaccount/account:Account":
            return { email: `${args.inputs.accountId ?? n}@proj.iam.gserviceaccount.com`, name: `projects/proj/serviceAccounts/${n}` };
        case "gcp:compute/globalAddress:GlobalAddress":
            return { address: "34.120.0.10", name: args.inputs.name ?? n };
        case "gcp:compute/sSLPolicy:SSLPolicy":
            return { name: args.inputs.name ?? n, selfLink: `https://www.googleapis.com/compute/v1/projects/proj/global/sslPolicies/${args.inputs.name ?? n}` };
        case "aws:eks/podIdentityAssociation:PodIdentityAssociation":
            return { associationId: `a-${n}`, associationArn: `arn:aws:eks:eu-west-1:123456789012:podidentityassociation/${n}` };
        case "kubernetes:networking.k8s.io/v1:Ingress":
            // What the AWS Load Balancer Controller / other controllers write once the LB exists.
            return { status: { loadBalancer: { ingress: [{ hostname: `k8s-${n}-0123456789.eu-west-1.elb.amazonaws.com` }] } } };
        case "azure-native:resources:ResourceGroup":
            return { name: args.inputs.resourceGroupName ?? n };
        case "azure-native:dbforpostgresql:Server":
            return {
                name: args.inputs.serverName ?? `${n}-x1y2`,
                fullyQualifiedDomainName: `${args.inputs.serverName ?? `${n}-x1y2`}.postgres.database.azure.com`,
            };
        case "azure-native:redisenterprise:RedisEnterprise":
            return { name: args.inputs.clusterName ?? `${n}-x1y2`, hostName: `${args.inputs.clusterName ?? `${n}-x1y2`}.westeurope.redis.azure.net` };
        case "azure-native:storage:StorageAccount":
            return { name: args.inputs.accountName, primaryEndpoints: { blob: `https://${args.inputs.accountName}.blob.core.windows.net/` } };
        case "azure-native:storage:BlobContainer":
            return { name: args.inputs.containerName ?? n };
        case "azure-native:managedidentity:UserAssignedIdentity":
            return {
                name: args.inputs.resourceName ?? `${n}-x1y2`,
                clientId: "11111111-2222-3333-4444-555555555555",
                principalId: "99999999-8888-7777-6666-555555555555",
            };
        case "azure-native:network:PrivateEndpoint":
            return { name: args.inputs.privateEndpointName ?? `${n}-x1y2` };
        case "kubernetes:gateway.networking.k8s.io/v1:Gateway":
            // What Application Gateway for Containers writes once the frontend exists: its FQDN, typed "IPAddress" (sic, as in the AGC docs).
            return { status: { addresses: [{ type: "IPAddress", value: "abc123.fz42.alb.azure.com" }] } };
        default:
            return {};
    }
}

pulumi.runtime.setMocks(
    {
        newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: any } {
            registered.push({
                type: args.type,
                name: args.name,
                inputs: args.inputs,
                plain: unwrapSecrets(args.inputs),
                custom: args.custom ?? true,
                provider: args.provider,
            });
            const id = args.inputs.name && typeof args.inputs.name === "string" ? args.inputs.name : `${args.name}-id`;
            return { id, state: { ...args.inputs, ...cloudOutputs(args) } };
        },
        call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
            const handler = invokes[args.token];
            if (!handler) throw new Error(`unmocked invoke ${args.token}`);
            return handler(args.inputs);
        },
    },
    "openwebui",
    "test",
    false,
);

/** Invoke answers; tests may add tokens. */
export const invokes: Record<string, (inputs: any) => Record<string, any>> = {
    "aws:index/getRegion:getRegion": () => ({ name: "eu-west-1", region: "eu-west-1", id: "eu-west-1" }),
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({ accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/test", userId: "x" }),
    "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com" }),
    // AZ derived from the subnet id so that distinct ids usually land in distinct AZs.
    "aws:ec2/getSubnet:getSubnet": (i) => ({
        id: i.id,
        vpcId: "vpc-0a1b2c3d",
        availabilityZone: `eu-west-1${"abc"[[...String(i.id)].reduce((s, ch) => s + ch.charCodeAt(0), 0) % 3]}`,
    }),
    "aws:lb/getHostedZoneId:getHostedZoneId": () => ({ id: "Z32O12XQLNTSW2" }),
    // The ALB and target group the AWS Load Balancer Controller created for the Ingress (found by its tags).
    "aws:lb/getLoadBalancer:getLoadBalancer": (i) => ({
        arn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/k8s-chat-0123456789/50dc6c495c0c9188",
        arnSuffix: "app/k8s-chat-0123456789/50dc6c495c0c9188",
        tags: i.tags,
    }),
    "aws:lb/getTargetGroup:getTargetGroup": (i) => ({
        arn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/k8s-chat-abcdef/73e2d6bc24d8a067",
        arnSuffix: "targetgroup/k8s-chat-abcdef/73e2d6bc24d8a067",
        tags: i.tags,
    }),
    "gcp:organizations/getProject:getProject": (i) => ({ projectId: i.projectId ?? "proj", number: "123456789" }),
    "azure-native:authorization:getClientConfig": () => ({
        clientId: "c",
        objectId: "o",
        subscriptionId: "00000000-0000-0000-0000-000000000000",
        tenantId: "t",
    }),
    // Access keys are base64: the '/', '+' and '=' test the URL encoding.
    "azure-native:redisenterprise:listDatabaseKeys": () => ({ primaryKey: "Mock/Key+Primary=", secondaryKey: "Mock/Key+Secondary=" }),
    // An existing AKS cluster with the OIDC issuer and Workload Identity on, nodes in a custom VNet.
    "azure-native:containerservice:getManagedCluster": (i) => ({
        name: i.resourceName,
        location: "westeurope",
        oidcIssuerProfile: { enabled: true, issuerURL: "https://westeurope.oic.prod-aks.azure.com/tenant-id/cluster-uuid/" },
        securityProfile: { workloadIdentity: { enabled: true } },
        agentPoolProfiles: [
            {
                name: "system",
                vnetSubnetID: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${i.resourceGroupName}/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/nodes`,
            },
        ],
    }),
    "azure-native:containerservice:listManagedClusterUserCredentials": () => ({
        kubeconfigs: [{ name: "clusterUser", value: Buffer.from("apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n").toString("base64") }],
    }),
};

/** Forgets everything registered so far (call before building the program under test). */
export function reset(): void {
    registered.length = 0;
}

/** Waits until every pending registration and apply has run, without recording the stack for the policy pass. */
export async function drain(): Promise<void> {
    const state = require("@pulumi/pulumi/runtime/state");
    for (let i = 0; i < 50; i++) {
        const before = registered.length;
        await state.getStore().settings.rpcDone;
        await new Promise((r) => setImmediate(r));
        await new Promise((r) => setTimeout(r, 0));
        if (registered.length === before && i > 2) break;
    }
}

/** Waits until every pending registration and apply has run. */
export async function settle(): Promise<void> {
    await drain();
    recordVariant();
}

/** The component's type token. */
export const COMPONENT_TYPE = "openwebui:index:OpenWebUiCluster";

/**
 * Every stack a test built with the component (a valid spec: refused specs register nothing),
 * kept for the policy pack check over all of them (tests/policyAllVariants.hooks.ts).
 */
export const variants: { label: string; resources: Registered[] }[] = [];
function recordVariant(): void {
    const comps = registered.filter((r) => r.type === COMPONENT_TYPE);
    if (comps.length === 0) return;
    const cloud = ["aws", "gcp", "azure-native"].find((p) => registered.some((r) => r.type.startsWith(`${p}:`))) ?? "kubernetes";
    const label = `${comps.map((c) => c.name).join(", ")} (${cloud})`;
    variants.push({ label, resources: registered.slice() });
}

/** Resolves an Output's value (mocks run with preview=false, so every value is known). */
export function value<T>(o: pulumi.Input<T> | undefined): Promise<T> {
    return new Promise((resolve) =>
        pulumi.output(o as pulumi.Input<T>).apply((v) => {
            resolve(v as T);
            return v;
        }),
    );
}

/** All resources of a type (e.g. `kubernetes:apps/v1:Deployment`). */
export function ofType(type: string): Registered[] {
    return registered.filter((r) => r.type === type);
}

/** The one resource of a type; fails when there are none or several. */
export function one(type: string, nameSuffix?: string): Registered {
    const found = ofType(type).filter((r) => nameSuffix === undefined || r.name.endsWith(nameSuffix));
    if (found.length !== 1) {
        throw new Error(`expected one ${type}${nameSuffix ? ` named *${nameSuffix}` : ""}, found ${found.length}: ${found.map((f) => f.name).join(", ")}`);
    }
    return found[0];
}

/** Env var list of the first container of a pod template, as a map name -> EnvVar. */
export function envOf(podSpec: any, container = 0): Record<string, any> {
    const out: Record<string, any> = {};
    for (const e of podSpec.containers[container].env ?? []) out[e.name] = e;
    return out;
}
