// What other clusters need (the Helm chart users' list): their DNS domain, the app Service
// (appService.ts), more names on the route (routeHosts.ts), hostAliases, command/args and
// ServiceAccount annotations of the Open WebUI pods (podKnobs.ts). One entry for spec.ts.
import { clusterDomainProblems } from "./addresses";
import { appServiceProblems } from "./appService";
import { appPodProblems } from "./podKnobs";
import { additionalHostnameProblems } from "./routeHosts";
import { AppServiceType } from "./serviceTypes";
import type { OpenWebUiClusterArgs } from "./types";
import type { ResolvedSpec } from "./specTypes";

/** Problems of `kubernetes.clusterDomain`, `service`, `additionalHostnames` and `pod.serviceAccountAnnotations`. */
export function clusterFitProblems(a: OpenWebUiClusterArgs): string[] {
    return [
        ...clusterDomainProblems(a.kubernetes?.clusterDomain),
        ...appServiceProblems(a.target, a.service, a.network),
        ...additionalHostnameProblems(a),
        ...appPodProblems(a.target, a.pod),
    ];
}

/** The resolved `additionalHostnames` and `service` (type defaulted to ClusterIP). */
export function resolveClusterFit(a: OpenWebUiClusterArgs): Pick<ResolvedSpec, "additionalHostnames" | "service"> {
    return {
        additionalHostnames: Array.isArray(a.additionalHostnames) ? a.additionalHostnames : [],
        service: { ...a.service, type: a.service?.type ?? AppServiceType.ClusterIP },
    };
}
