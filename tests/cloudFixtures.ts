// Minimal valid per-cloud args shared by the tests that build every target (hostile specs, flows).
export const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
export const VNET = `${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/aks-vnet`;
export const AZURE_ARGS = {
    resourceGroupName: "rg-owui",
    location: "westeurope",
    vnetId: VNET,
    postgresSubnetCidr: "10.240.8.0/28",
    privateEndpointSubnetId: `${VNET}/subnets/pe`,
    aksOidcIssuerUrl: "https://westeurope.oic.prod-aks.azure.com/tenant-id/cluster-uuid/",
    ingress: { agc: { resourceId: `${SUB}/resourceGroups/rg-agc/providers/Microsoft.ServiceNetworking/trafficControllers/agc`, frontendName: "fe" } },
};
export const AWS_ARGS = {
    vpcId: "vpc-1",
    privateSubnetIds: ["subnet-a", "subnet-b"],
    eks: { clusterName: "prod", securityGroupIds: ["sg-1"] },
    certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
    region: "eu-west-1",
};
export const GCP_ARGS = { project: "proj-123", region: "europe-west1", network: "projects/proj-123/global/networks/vpc" };
/** The target-specific args of a valid OpenWebUiCluster per target (add `hostname`). */
export const TARGET_ARGS: { [target: string]: any } = {
    kubernetes: { target: "kubernetes" },
    aws: { target: "aws", aws: AWS_ARGS },
    gcp: { target: "gcp", gcp: GCP_ARGS },
    azure: { target: "azure", tls: { secretName: "chat-tls" }, azure: AZURE_ARGS },
};
