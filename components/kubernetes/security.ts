// Pod/container security contexts that satisfy the Kubernetes "restricted" Pod Security Standard.
import * as k8s from "@pulumi/kubernetes";

/** Pod-level: non-root, RuntimeDefault seccomp, volumes group-owned by `fsGroup`. */
export function restrictedPodSecurity(uid: number, gid: number = uid): k8s.types.input.core.v1.PodSecurityContext {
    return {
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: gid,
        fsGroup: gid,
        fsGroupChangePolicy: "OnRootMismatch",
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** Container-level: no privilege escalation, all capabilities dropped, read-only root filesystem. */
export function restrictedContainerSecurity(readOnlyRootFilesystem = true): k8s.types.input.core.v1.SecurityContext {
    return {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem,
        runAsNonRoot: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}
