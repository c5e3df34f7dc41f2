// `storage.mode: sharedVolume`: one ReadWriteMany PersistentVolumeClaim mounted at Open WebUI's
// uploads directory on every replica, `STORAGE_PROVIDER` unset (Open WebUI's local provider).
// Files have UUID names, so replicas never write the same file. Only uploads live there: the
// database is always Postgres (DATABASE_URL), never SQLite on the shared volume.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { DATA_DIR } from "../env/env";
import type { ResolvedKnobs } from "../kubernetes/podKnobs";
import { HA_ANNOTATIONS } from "./availability";

/** Open WebUI's local upload directory (`UPLOAD_DIR` = `$DATA_DIR/uploads`). */
export const UPLOAD_DIR = `${DATA_DIR}/uploads`;
/** Name of the volume in the Open WebUI pods. */
export const SHARED_VOLUME_NAME = "shared-uploads";

export interface SharedVolumeArgs {
    namespace: string;
    labels: { [key: string]: string };
    storageClassName?: string;
    storageGb: number;
    retainOnDelete: boolean;
}

/** The claim; the caller mounts it with `withSharedVolume`. */
export function sharedVolume(
    name: string,
    a: SharedVolumeArgs,
    opts: pulumi.CustomResourceOptions,
): { claim: k8s.core.v1.PersistentVolumeClaim; claimName: string } {
    const claimName = `${name}-uploads`;
    const claim = new k8s.core.v1.PersistentVolumeClaim(
        claimName,
        {
            metadata: {
                name: claimName,
                namespace: a.namespace,
                labels: { ...a.labels, "app.kubernetes.io/component": "uploads" },
                annotations: { ...HA_ANNOTATIONS.storage(`ReadWriteMany volume, class ${a.storageClassName ?? "cluster default"}`) },
            },
            spec: {
                accessModes: ["ReadWriteMany"],
                ...(a.storageClassName ? { storageClassName: a.storageClassName } : {}),
                resources: { requests: { storage: `${a.storageGb}Gi` } },
            },
        },
        // The uploads outlive the stack unless storage.retainOnDelete is false, like a managed bucket.
        { ...opts, retainOnDelete: a.retainOnDelete },
    );
    return { claim, claimName };
}

/** The app pods' knobs with the claim mounted at the uploads directory. */
export function withSharedVolume(k: ResolvedKnobs, claimName: string): ResolvedKnobs {
    return {
        ...k,
        extraVolumes: [...(k.extraVolumes ?? []), { name: SHARED_VOLUME_NAME, persistentVolumeClaim: { claimName } }],
        extraVolumeMounts: [...(k.extraVolumeMounts ?? []), { name: SHARED_VOLUME_NAME, mountPath: UPLOAD_DIR }],
    };
}
