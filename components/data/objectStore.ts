// Object storage of every `storage.mode`, as the rest of the component uses it (openWebUiCluster.ts
// step 3c): managed (the cloud module: bucket, no keys), external (an S3 API you bring), the
// ReadWriteMany uploads volume (`sharedVolume`) or an in-cluster SeaweedFS (`inCluster`), with the
// storage env (`STORAGE_PROVIDER`, `S3_*`) Open WebUI reads.
import * as pulumi from "@pulumi/pulumi";
import type { ManagedObjectStore } from "../platform/port";
import type { Backend, WiringContext } from "../wiring";
import type { SecretRef } from "../env/env";
import { ServiceMode } from "../args/types";
import { DEFAULTS } from "../spec/defaults";
import { inClusterObjectStore, OBJECT_STORE_PORTS } from "./inCluster";
import { inClusterCommon, serviceCredentials } from "./serviceCredentials";
import { sharedVolume, withSharedVolume } from "./sharedVolume";

/** Object storage as the rest of the component uses it. */
export interface ObjectStoreWiring {
    /** Plain storage env of the app pods. */
    env: { [key: string]: pulumi.Input<string> };
    /** Storage env read from Secrets (S3 keys of an external or in-cluster store). */
    secretEnv: { [key: string]: SecretRef };
    bucketName: pulumi.Output<string>;
    /** What must be ready before migrations. */
    ready: pulumi.Resource[];
    /** The managed store (`storage.mode: managed`): its bucket is granted to the workload identity. */
    managed?: ManagedObjectStore;
}

/** The S3 API you bring: its bucket, region and endpoint, keys from your Secrets (or the pod identity). */
function externalStore(w: WiringContext): ObjectStoreWiring {
    const s = w.spec.storage;
    const env: ObjectStoreWiring["env"] = {
        STORAGE_PROVIDER: "s3",
        S3_BUCKET_NAME: s.bucketName!,
        S3_REGION_NAME: s.s3Region ?? DEFAULTS["storage.s3Region"].value,
    };
    if (s.s3EndpointUrl !== undefined) env.S3_ENDPOINT_URL = s.s3EndpointUrl;
    const secretEnv: ObjectStoreWiring["secretEnv"] = {};
    if (s.s3AccessKeyIdSecret) secretEnv.S3_ACCESS_KEY_ID = s.s3AccessKeyIdSecret;
    if (s.s3SecretAccessKeySecret) secretEnv.S3_SECRET_ACCESS_KEY = s.s3SecretAccessKeySecret;
    return { env, secretEnv, bucketName: pulumi.output(s.bucketName!), ready: [] };
}

/** The uploads volume, mounted into the Open WebUI pods (their knobs in `spec` gain the volume). */
function sharedVolumeStore(w: WiringContext): ObjectStoreWiring {
    const { name, spec, namespace, labels, k8sOpts } = w;
    const v = sharedVolume(
        name,
        { namespace, labels, storageClassName: spec.storage.storageClassName, storageGb: spec.storage.storageGb, retainOnDelete: spec.storage.retainOnDelete },
        k8sOpts(),
    );
    spec.knobs.app = withSharedVolume(spec.knobs.app, v.claimName);
    return { env: {}, secretEnv: {}, bucketName: pulumi.output(`(shared volume ${v.claimName})`), ready: [v.claim] };
}

/** The SeaweedFS identities file granting the generated key pair the bucket. */
function seaweedIdentities(accessKey: pulumi.Output<string>, secretKey: pulumi.Output<string>): pulumi.Output<string> {
    return pulumi.all([accessKey, secretKey]).apply(([ak, sk]) =>
        JSON.stringify({
            identities: [{ name: "openwebui", credentials: [{ accessKey: ak, secretKey: sk }], actions: ["Read", "Write", "List", "Tagging", "Admin"] }],
        }),
    );
}

/** One in-cluster SeaweedFS with a generated key pair in `<name>-objects` (evaluation; not highly available). */
function inClusterStore(w: WiringContext, backends: Backend[]): ObjectStoreWiring {
    const { name, spec } = w;
    const bucketName = pulumi.output(spec.storage.bucketName ?? "openwebui");
    const keys = {
        accessKey: { resource: "objects-access-key", args: { length: 20, upper: true, lower: false } },
        secretKey: { resource: "objects-secret-key" },
    };
    const creds = serviceCredentials(w, "objects", keys, (v) => ({
        "s3.json": pulumi.secret(seaweedIdentities(v.accessKey, v.secretKey)),
        S3_ACCESS_KEY_ID: v.accessKey,
        S3_SECRET_ACCESS_KEY: v.secretKey,
    }));
    const common = inClusterCommon(w, spec.images.objectStore, spec.knobs.objectStore, creds.secretName, spec.storage.storageGb);
    const o = inClusterObjectStore(name, { ...common, bucket: bucketName }, creds.afterSecret);
    backends.push({ role: "objects", ports: OBJECT_STORE_PORTS.map((p) => p.port) });
    return {
        env: { STORAGE_PROVIDER: "s3", S3_BUCKET_NAME: bucketName, S3_REGION_NAME: "us-east-1", S3_ENDPOINT_URL: o.endpoint },
        secretEnv: {
            S3_ACCESS_KEY_ID: { name: creds.secretName, key: "S3_ACCESS_KEY_ID" },
            S3_SECRET_ACCESS_KEY: { name: creds.secretName, key: "S3_SECRET_ACCESS_KEY" },
        },
        bucketName,
        ready: [o.bucketJob],
    };
}

/** The store of `storage.mode`, then the env every mode shares (`s3AddressingStyle`, `keyPrefix`). */
export function provisionObjectStore(w: WiringContext, backends: Backend[]): ObjectStoreWiring {
    const s = w.spec.storage;
    let store: ObjectStoreWiring;
    if (s.mode === ServiceMode.Managed) {
        const managed = w.platform.createObjectStore(w.ctx);
        store = { env: { ...managed.env }, secretEnv: {}, bucketName: managed.bucketName, ready: [], managed };
    } else if (s.mode === ServiceMode.External) store = externalStore(w);
    else if (s.mode === ServiceMode.SharedVolume) store = sharedVolumeStore(w);
    else store = inClusterStore(w, backends);
    if (s.mode !== ServiceMode.Managed && s.s3AddressingStyle) store.env.S3_ADDRESSING_STYLE = s.s3AddressingStyle;
    if (s.keyPrefix) store.env.S3_KEY_PREFIX = s.keyPrefix;
    return store;
}
