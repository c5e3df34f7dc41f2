// Highly available Open WebUI on an existing EKS cluster: Aurora PostgreSQL (writer + reader),
// ElastiCache Valkey (Multi-AZ), S3 through EKS Pod Identity, an ALB with ACM TLS and an
// optional Route 53 record. Every input comes from stack config (see README.md).
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as eks from "@pulumi/aws/eks";
import { CloudTarget, OpenWebUiCluster, OpenWebUiClusterArgs, SizePreset } from "openwebui";

type AwsSettings = NonNullable<OpenWebUiClusterArgs["aws"]>;

const config = new pulumi.Config();
const awsConfig = new pulumi.Config("aws");
const clusterName = config.require("clusterName");
/** Optional explicit region for the component's resources; otherwise the AWS provider's (`aws:region`). */
const region = config.get("region");

/** Kubeconfig for the EKS cluster: from config (`kubeconfig`, secret), or built from the cluster with `aws eks get-token`. */
function kubeconfig(): pulumi.Output<string> {
    const given = config.getSecret("kubeconfig");
    if (given !== undefined) return given;
    const cluster = eks.getClusterOutput({ name: clusterName });
    return pulumi.secret(
        pulumi.all([cluster.endpoint, cluster.certificateAuthorities]).apply(([endpoint, cas]) =>
            JSON.stringify({
                apiVersion: "v1",
                kind: "Config",
                clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": cas[0].data } }],
                contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
                "current-context": clusterName,
                users: [
                    {
                        name: clusterName,
                        user: {
                            exec: {
                                apiVersion: "client.authentication.k8s.io/v1beta1",
                                command: "aws",
                                args: [
                                    "eks",
                                    "get-token",
                                    "--cluster-name",
                                    clusterName,
                                    ...((region ?? awsConfig.get("region")) ? ["--region", (region ?? awsConfig.get("region"))!] : []),
                                ],
                            },
                        },
                    },
                ],
            }),
        ),
    );
}

const provider = new k8s.Provider("k8s", { kubeconfig: kubeconfig(), enableServerSideApply: true });

const identityMode = config.get("identityMode") as AwsSettings["eks"]["identityMode"];
const chat = new OpenWebUiCluster(
    "chat",
    {
        target: CloudTarget.Aws,
        hostname: config.require("hostname"),
        // Telemetry: with `otlpEndpoint`, a collector forwards to that OTLP backend; unset, it goes to the cloud's own backends through workload identity (README "Observability").
        otel: { exporterEndpoint: config.get("otlpEndpoint") },
        // Where the cloud alarms notify (SNS topic ARNs / notification channels / Action Group ids); none: console only.
        alarms: { notificationTargets: config.getObject<string[]>("alarmTargets") },
        size: (config.get("size") as SizePreset | undefined) ?? SizePreset.Medium,
        replicas: { min: config.getNumber("minReplicas") ?? 3, max: config.getNumber("maxReplicas") ?? 10 },
        tags: { project: pulumi.getProject(), stack: pulumi.getStack() },
        aws: {
            region,
            vpcId: config.require("vpcId"),
            privateSubnetIds: config.requireObject<string[]>("privateSubnetIds"),
            eks: {
                clusterName,
                securityGroupIds: config.requireObject<string[]>("clusterSecurityGroupIds"),
                identityMode,
                oidcProviderArn: config.get("oidcProviderArn"),
                oidcIssuerUrl: config.get("oidcIssuerUrl"),
            },
            certificateArn: config.get("certificateArn"),
            route53ZoneId: config.get("route53ZoneId"),
        },
    },
    { providers: { kubernetes: provider } },
);

export const url = chat.url;
export const databaseEndpoint = chat.databaseEndpoint;
export const redisEndpoint = chat.redisEndpoint;
export const bucketName = chat.bucketName;
export const podRoleArn = chat.identityPrincipal;
export const databasePoolSize = chat.databasePoolSize;
