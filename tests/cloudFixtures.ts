// Minimal valid per-cloud args shared by the tests that build every target (hostile specs, flows).
export const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
export const VNET = `${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/aks-vnet`;
export const AZURE_ARGS = {
    resourceGroupName: "rg-owui", location: "westeurope", vnetId: VNET, postgresSubnetCidr: "10.240.8.0/28", privateEndpointSubnetId: `${VNET}/subnets/pe`,
    aksOidcIssuerUrl: "https://westeurope.oic.prod-aks.azure.com/tenant-id/cluster-uuid/",
    ingress: { agc: { resourceId: `${SUB}/resourceGroups/rg-agc/providers/Microsoft.ServiceNetworking/trafficControllers/agc`, frontendName: "fe" } },
};
