// Minimal valid cloud inputs for the benchmark (placeholders; the mocks answer every call).
module.exports = {
    aws: {
        aws: {
            vpcId: "vpc-0a1b2c3d",
            privateSubnetIds: ["subnet-0a1", "subnet-0b2", "subnet-0c3"],
            eks: { clusterName: "prod", securityGroupIds: ["sg-0123abcd"] },
            certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
        },
    },
    gcp: { gcp: { project: "proj-123", region: "europe-west1", network: "projects/proj-123/global/networks/vpc" } },
    azure: {
        tls: { secretName: "chat-tls" },
        azure: {
            resourceGroupName: "rg-owui",
            location: "westeurope",
            vnetId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet",
            postgresSubnetCidr: "10.240.8.0/28",
            privateEndpointSubnetId:
                "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/pe",
            aksOidcIssuerUrl: "https://westeurope.oic.prod-aks.azure.com/tenant/uuid/",
            ingress: {
                agc: {
                    resourceId:
                        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.ServiceNetworking/trafficControllers/agc",
                    frontendName: "owui-frontend",
                },
            },
        },
    },
};
