// The target blocks (`aws`, `gcp`, `azure`, `kubernetes`) as a section of the spec: the block the
// target needs, the routing mode, and how the release fits the cluster (clusterFit.ts). Each
// cloud checks its own block later (providers/<cloud>/validate.ts).
import { enumValues, problem } from "./errors";
import { clusterFitProblems } from "../kubernetes/clusterFit";
import { CloudTarget, OpenWebUiClusterArgs, RoutingMode } from "../args/types";
import type { KubernetesTarget } from "../platform/kubernetesArgs";

/** Checks the target's block is there and `kubernetes.routing`; returns `kubernetes` (empty by default). */
export function resolvePlatform(a: OpenWebUiClusterArgs, problems: string[]): KubernetesTarget {
    if (a.target === CloudTarget.Aws && !a.aws) problems.push(problem("aws", undefined, "target aws needs the aws block (vpcId, subnet ids, EKS cluster)"));
    if (a.target === CloudTarget.Gcp && !a.gcp)
        problems.push(problem("gcp", undefined, "target gcp needs the gcp block (project, region, network, GKE cluster)"));
    if (a.target === CloudTarget.Azure && !a.azure)
        problems.push(problem("azure", undefined, "target azure needs the azure block (resource group, location, VNet subnets, AKS OIDC issuer)"));
    const k8s = a.kubernetes ?? {};
    if (k8s.routing !== undefined && !enumValues(RoutingMode).includes(k8s.routing)) {
        problems.push(problem("kubernetes.routing", k8s.routing, `use one of ${enumValues(RoutingMode).join(", ")}`));
    }
    problems.push(...clusterFitProblems(a)); // cluster domain, Service, extra hostnames, ServiceAccount annotations
    return k8s;
}
