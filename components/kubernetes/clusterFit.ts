// What other clusters need (the Helm chart users' list): their DNS domain, the app Service
// (appService.ts), more names on the route (routeHosts.ts), hostAliases, command/args and
// ServiceAccount annotations of the Open WebUI pods (podKnobs.ts). One entry for spec.ts.
import { clusterDomainProblems } from "../spec/addresses";
import { problem } from "../spec/errors";
import { appServiceProblems } from "./appService";
import { appPodProblems } from "./podKnobs";
import { additionalHostnameProblems } from "./routeHosts";
import { AppServiceType } from "../args/serviceTypes";
import type { OpenWebUiClusterArgs } from "../args/types";
import type { ResolvedSpec } from "../spec/specTypes";

/** Problems of `kubernetes.clusterDomain`, `service`, `additionalHostnames` and `pod.serviceAccountAnnotations`. */
export function clusterFitProblems(a: OpenWebUiClusterArgs): string[] {
    return [
        ...clusterDomainProblems(a.kubernetes?.clusterDomain),
        ...appServiceProblems(a.service, a.network),
        ...additionalHostnameProblems(a),
        ...appPodProblems(a.pod),
    ];
}

/**
 * `service.annotations` and `pod.serviceAccountAnnotations` keys the target sets itself (its
 * `CloudPlatform.ownedAnnotations`): refused, since overriding one would detach the cloud's load
 * balancer or switch the pods' identity, and dropping the user's value would hide their intent.
 */
export function ownedAnnotationProblems(spec: ResolvedSpec, owned: { service: string[]; serviceAccount: string[] }): string[] {
    const t = spec.target;
    const out: string[] = [];
    for (const [k, v] of Object.entries(spec.service?.annotations ?? {})) {
        if (owned.service.includes(k))
            out.push(
                problem(
                    `service.annotations.${k}`,
                    v,
                    `the ${t} target's load balancer sets ${k} on this Service itself (container-native load balancing): remove it`,
                ),
            );
    }
    for (const [k, v] of Object.entries(spec.pod.serviceAccountAnnotations ?? {})) {
        if (owned.serviceAccount.includes(k))
            out.push(
                problem(
                    `pod.serviceAccountAnnotations.${k}`,
                    v,
                    `the component binds this ServiceAccount to the ${t} workload identity it creates with ${k}: remove it (the identity is not overridable; bring your own role through the ${t} block instead)`,
                ),
            );
    }
    return out;
}

/** The resolved `additionalHostnames` and `service` (type defaulted to ClusterIP). */
export function resolveClusterFit(a: OpenWebUiClusterArgs): Pick<ResolvedSpec, "additionalHostnames" | "service"> {
    return {
        additionalHostnames: Array.isArray(a.additionalHostnames) ? a.additionalHostnames : [],
        service: { ...a.service, type: a.service?.type ?? AppServiceType.ClusterIP },
    };
}
