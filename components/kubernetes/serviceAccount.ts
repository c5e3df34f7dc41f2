// The ServiceAccount the Open WebUI pods run as (openWebUiCluster.ts step 4): bound to the cloud's
// workload identity (no static keys), which the cloud module grants the managed bucket.
import * as k8s from "@pulumi/kubernetes";
import type { ManagedObjectStore, WorkloadIdentity } from "../platform/port";
import type { WiringContext } from "../wiring";
import { serviceAccountAnnotations } from "./podKnobs";

/** The workload identity and the ServiceAccount `<name>` annotated with it; no token is mounted. */
export function createServiceAccount(
    w: WiringContext,
    store: ManagedObjectStore | undefined,
): { identity: WorkloadIdentity; serviceAccount: k8s.core.v1.ServiceAccount } {
    const { name, spec, namespace, labels } = w;
    const identity = w.platform.createWorkloadIdentity(w.ctx, store);
    const annotations = serviceAccountAnnotations(spec.target, spec.pod.serviceAccountAnnotations, identity.serviceAccountAnnotations);
    const serviceAccount = new k8s.core.v1.ServiceAccount(
        `${name}-serviceaccount`,
        { metadata: { name: w.ctx.serviceAccountName, namespace, labels, annotations }, automountServiceAccountToken: false },
        w.k8sOpts({ dependsOn: [...w.nsDeps, ...(identity.dependsOn ?? [])] }),
    );
    return { identity, serviceAccount };
}
