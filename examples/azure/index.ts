// Highly available Open WebUI on an existing AKS cluster: PostgreSQL Flexible Server (zone-redundant
// HA, private access, pgvector allow-listed), Azure Managed Redis (private endpoint), Blob storage
// through AKS Workload Identity (no keys), and Application Gateway for Containers (or AGIC) in front.
// Every input comes from stack config (see README.md).
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as containerservice from "@pulumi/azure-native/containerservice";
import { CloudTarget, OpenWebUiCluster, OpenWebUiClusterArgs, SizePreset } from "openwebui";

type AzureSettings = NonNullable<OpenWebUiClusterArgs["azure"]>;
type IngressSettings = NonNullable<AzureSettings["ingress"]>;

const config = new pulumi.Config();
const aksName = config.require("aksClusterName");
const aksResourceGroup = config.require("aksResourceGroup");

// The existing cluster: region, OIDC issuer (Workload Identity) and, by default, its VNet.
const aks = containerservice.getManagedClusterOutput({ resourceGroupName: aksResourceGroup, resourceName: aksName });
const issuer =
    config.get("aksOidcIssuerUrl") ??
    aks.apply((c) => {
        if (!c.oidcIssuerProfile?.enabled || !c.oidcIssuerProfile.issuerURL || !c.securityProfile?.workloadIdentity?.enabled) {
            throw new Error(
                `AKS cluster ${aksName}: enable the OIDC issuer and Workload Identity (az aks update --enable-oidc-issuer --enable-workload-identity)`,
            );
        }
        return c.oidcIssuerProfile.issuerURL;
    });
const vnetId =
    config.get("vnetId") ??
    aks.apply((c) => {
        const subnet = c.agentPoolProfiles?.find((p) => p.vnetSubnetID)?.vnetSubnetID;
        if (!subnet) throw new Error(`AKS cluster ${aksName} uses a managed VNet: set vnetId (and subnets) explicitly`);
        return subnet.replace(/\/subnets\/[^/]+$/i, "");
    });

/** Kubeconfig: from config (`kubeconfig`, secret), or the cluster's user credentials (use kubelogin for Entra-enabled clusters). */
function kubeconfig(): pulumi.Output<string> {
    const given = config.getSecret("kubeconfig");
    if (given !== undefined) return given;
    const creds = containerservice.listManagedClusterUserCredentialsOutput({ resourceGroupName: aksResourceGroup, resourceName: aksName });
    return pulumi.secret(creds.kubeconfigs.apply((k) => Buffer.from(k[0].value, "base64").toString("utf8")));
}
const provider = new k8s.Provider("aks", { kubeconfig: kubeconfig(), enableServerSideApply: true });

const ingress: IngressSettings = {
    controller: config.get("ingressController") as IngressSettings["controller"],
    agc: {
        resourceId: config.get("agcResourceId"),
        frontendName: config.get("agcFrontendName"),
        albName: config.get("agcAlbName"),
        albNamespace: config.get("agcAlbNamespace"),
        gatewayName: config.get("gatewayName"),
        gatewayNamespace: config.get("gatewayNamespace"),
        gatewayListenerName: config.get("gatewayListenerName"),
    },
    appGatewaySslCertificate: config.get("appGatewaySslCertificate"),
};

const chat = new OpenWebUiCluster(
    "chat",
    {
        target: CloudTarget.Azure,
        hostname: config.require("hostname"),
        // Telemetry: with `otlpEndpoint`, a collector forwards to that OTLP backend; unset, it goes to the cloud's own backends through workload identity (README "Observability").
        otel: { exporterEndpoint: config.get("otlpEndpoint") },
        // Where the cloud alarms notify (SNS topic ARNs / notification channels / Action Group ids); none: console only.
        alarms: { notificationTargets: config.getObject<string[]>("alarmTargets") },
        size: (config.get("size") as SizePreset | undefined) ?? SizePreset.Medium,
        replicas: { min: config.getNumber("minReplicas") ?? 3, max: config.getNumber("maxReplicas") ?? 10 },
        tls: { secretName: config.get("tlsSecretName"), clusterIssuer: config.get("tlsClusterIssuer") },
        database: { deletionProtection: config.getBoolean("deletionProtection") ?? true },
        tags: { project: pulumi.getProject(), stack: pulumi.getStack() },
        azure: {
            resourceGroupName: config.require("resourceGroupName"),
            createResourceGroup: config.getBoolean("createResourceGroup") ?? false,
            location: config.get("location") ?? aks.location,
            vnetId,
            postgresSubnetId: config.get("postgresSubnetId"),
            postgresSubnetCidr: config.get("postgresSubnetCidr"),
            privateEndpointSubnetId: config.require("privateEndpointSubnetId"),
            aksOidcIssuerUrl: issuer,
            dnsZoneName: config.get("dnsZoneName"),
            dnsZoneResourceGroupName: config.get("dnsZoneResourceGroup"),
            ingress,
        },
    },
    { providers: { kubernetes: provider } },
);

export const url = chat.url;
export const databaseEndpoint = chat.databaseEndpoint;
export const redisEndpoint = chat.redisEndpoint;
export const containerName = chat.bucketName;
export const managedIdentityClientId = chat.identityPrincipal;
export const databaseServerMaxConnections = chat.databaseServerMaxConnections;
