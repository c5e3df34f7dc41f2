// The offline answers `openwebui plan` gives to the invokes programs commonly make (regions,
// accounts, clusters): placeholders that follow the stack config, or unknown values shown
// "(computed)", never a real account. cli/runtime.ts re-exports them.
import { InvokeAnswer, InvokeInputs } from "./planTypes";

/** The engine's sentinel for a value known only after deploy. */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The stack's config value, or unknown (shown `(computed)`): a plan never invents a region. */
function fromConfig(config: Record<string, string>, key: string): string {
    return config[key] ?? UNKNOWN_SENTINEL;
}
/** The AWS region an invoke runs in: its own `region` input, else the stack's `aws:region`. */
const awsRegion = (i: InvokeInputs, c: Record<string, string>): string => i?.region ?? fromConfig(c, "aws:region");
const known = (v: string): boolean => v !== UNKNOWN_SENTINEL;

/**
 * Placeholder answers for the invokes programs commonly make; clearly not real accounts. Regions,
 * projects and locations follow the stack config (`aws:region`, `gcp:project`, `gcp:region`,
 * `azure-native:location`) and are unknown when it has none.
 */
export const DEFAULT_INVOKE_ANSWERS: Record<string, InvokeAnswer> = {
    "aws:index/getRegion:getRegion": (i: InvokeInputs, c: Record<string, string>) => {
        const r = awsRegion(i, c);
        return { name: r, region: r, id: r, description: "plan: from the stack config", endpoint: known(r) ? `ec2.${r}.amazonaws.com` : UNKNOWN_SENTINEL };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": {
        accountId: "000000000000",
        arn: "arn:aws:iam::000000000000:user/plan-placeholder",
        userId: "PLANPLACEHOLDER",
        id: "000000000000",
    },
    "aws:index/getPartition:getPartition": { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" },
    "aws:index/getAvailabilityZones:getAvailabilityZones": (i: InvokeInputs, c: Record<string, string>) => {
        const r = awsRegion(i, c);
        // Zone names are the region plus a letter; their ids differ per account: unknown.
        return {
            names: known(r) ? [`${r}a`, `${r}b`, `${r}c`] : [UNKNOWN_SENTINEL, UNKNOWN_SENTINEL, UNKNOWN_SENTINEL],
            zoneIds: [UNKNOWN_SENTINEL, UNKNOWN_SENTINEL, UNKNOWN_SENTINEL],
            id: r,
        };
    },
    "gcp:organizations/getProject:getProject": (i: InvokeInputs, c: Record<string, string>) => {
        const p = i?.projectId ?? fromConfig(c, "gcp:project");
        return { projectId: p, number: UNKNOWN_SENTINEL, name: p, id: known(p) ? `projects/${p}` : UNKNOWN_SENTINEL };
    },
    "gcp:organizations/getClientConfig:getClientConfig": (_i: InvokeInputs, c: Record<string, string>) => ({
        project: fromConfig(c, "gcp:project"),
        region: fromConfig(c, "gcp:region"),
        zone: fromConfig(c, "gcp:zone"),
        accessToken: "plan-placeholder-token",
        id: "plan",
    }),
    "aws:ec2/getSubnet:getSubnet": (i: InvokeInputs, c: Record<string, string>) => ({
        id: i.id ?? "subnet-planplaceholder",
        // Which zone a subnet is in is known only to AWS.
        availabilityZone: known(awsRegion(i, c))
            ? `${awsRegion(i, c)}${"abc"[[...String(i.id ?? "")].reduce((a, ch) => a + ch.charCodeAt(0), 0) % 3]}`
            : UNKNOWN_SENTINEL,
        vpcId: i.vpcId ?? "vpc-planplaceholder",
        cidrBlock: "10.0.0.0/24",
    }),
    "aws:lb/getHostedZoneId:getHostedZoneId": () => ({ id: "ZPLANPLACEHOLDER" }),
    // The ALB and target group the AWS Load Balancer Controller creates for the Ingress (alarms): they exist only after deploy.
    "aws:lb/getLoadBalancer:getLoadBalancer": (i: InvokeInputs) => ({
        arn: UNKNOWN_SENTINEL,
        arnSuffix: UNKNOWN_SENTINEL,
        name: UNKNOWN_SENTINEL,
        tags: i.tags ?? {},
        id: UNKNOWN_SENTINEL,
    }),
    "aws:lb/getTargetGroup:getTargetGroup": (i: InvokeInputs) => ({
        arn: UNKNOWN_SENTINEL,
        arnSuffix: UNKNOWN_SENTINEL,
        name: UNKNOWN_SENTINEL,
        tags: i.tags ?? {},
        id: UNKNOWN_SENTINEL,
    }),
    "aws:eks/getCluster:getCluster": (i: InvokeInputs, c: Record<string, string>) => ({
        id: i.name,
        name: i.name,
        arn: known(awsRegion(i, c)) ? `arn:aws:eks:${awsRegion(i, c)}:000000000000:cluster/${i.name}` : UNKNOWN_SENTINEL,
        endpoint: "https://plan-placeholder.eks.invalid",
        certificateAuthorities: [{ data: "cGxhbi1wbGFjZWhvbGRlcgo=" }],
        identities: [
            { oidcs: [{ issuer: known(awsRegion(i, c)) ? `https://oidc.eks.${awsRegion(i, c)}.amazonaws.com/id/PLANPLACEHOLDER` : UNKNOWN_SENTINEL }] },
        ],
        vpcConfig: { vpcId: "vpc-planplaceholder", subnetIds: [], securityGroupIds: [], clusterSecurityGroupId: "sg-planplaceholder" },
        version: "1.33",
        status: "ACTIVE",
    }),
    "azure-native:containerservice:getManagedCluster": (i: InvokeInputs, c: Record<string, string>) => {
        const rg = `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${i.resourceGroupName ?? "plan-placeholder-rg"}`;
        const loc = fromConfig(c, "azure-native:location");
        return {
            id: `${rg}/providers/Microsoft.ContainerService/managedClusters/${i.resourceName}`,
            name: i.resourceName,
            location: loc,
            nodeResourceGroup: known(loc) ? `MC_${i.resourceGroupName}_${i.resourceName}_${loc}` : UNKNOWN_SENTINEL,
            oidcIssuerProfile: {
                enabled: true,
                issuerURL: known(loc) ? `https://${loc}.oic.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/plan-placeholder/` : UNKNOWN_SENTINEL,
            },
            securityProfile: { workloadIdentity: { enabled: true } },
            agentPoolProfiles: [
                { name: "system", count: 3, vnetSubnetID: `${rg}/providers/Microsoft.Network/virtualNetworks/plan-placeholder-vnet/subnets/aks` },
            ],
            kubernetesVersion: "1.33",
        };
    },
    "azure-native:containerservice:listManagedClusterUserCredentials": () => ({
        kubeconfigs: [
            {
                name: "clusterUser",
                value: Buffer.from("apiVersion: v1\nkind: Config\n# openwebui plan placeholder: no cluster is contacted\n").toString("base64"),
            },
        ],
    }),
    "azure-native:authorization:getClientConfig": {
        clientId: "00000000-0000-0000-0000-000000000000",
        objectId: "00000000-0000-0000-0000-000000000000",
        subscriptionId: "00000000-0000-0000-0000-000000000000",
        tenantId: "00000000-0000-0000-0000-000000000000",
    },
};
