// `pulumi up` in the repository root: one OpenWebUiCluster from stack config.
//
//   pulumi config set cloud kubernetes            # aws | gcp | azure | kubernetes
//   pulumi config set hostname chat.example.com
//   pulumi config set --path 'spec.replicas.min' 3            # any OpenWebUiClusterArgs field
//   pulumi config set --path 'spec.aws.vpcId' vpc-0123...     # cloud inputs likewise
//   pulumi config set --secret kubeconfig "$(cat ~/.kube/config)"   # optional; default: ambient kubeconfig
//
// Only outputs are exported (exporting the component class would turn this program into a
// component plugin host).
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { CloudTarget, OpenWebUiCluster, OpenWebUiClusterArgs } from "../index";

const config = new pulumi.Config();
const spec = config.getObject<Partial<OpenWebUiClusterArgs>>("spec") ?? {};
const kubeconfig = config.getSecret("kubeconfig");
const providers = kubeconfig ? [new k8s.Provider("kubernetes", { kubeconfig })] : [];

const cluster = new OpenWebUiCluster(
    config.get("name") ?? "openwebui",
    { ...spec, target: (config.get("cloud") ?? CloudTarget.Kubernetes) as CloudTarget, hostname: config.require("hostname") },
    { providers },
);

export const url = cluster.url;
export const namespace = cluster.namespace;
export const databaseEndpoint = cluster.databaseEndpoint;
export const redisEndpoint = cluster.redisEndpoint;
export const bucketName = cluster.bucketName;
export const identityPrincipal = cluster.identityPrincipal;
export const databasePoolSize = cluster.databasePoolSize;
export const databaseMaxClientConnections = cluster.databaseMaxClientConnections;
export const migrationJobName = cluster.migrationJobName;
export const webuiSecretKey = cluster.webuiSecretKey;
