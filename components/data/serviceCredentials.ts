// The wiring every in-cluster data service shares (Postgres, Redis, Valkey + Sentinel, SeaweedFS),
// written once: generated passwords (`<name>-<password>` RandomPasswords), one Secret
// `<name>-<role>` holding them (and what is derived from them), the StatefulSets' common args,
// and options that make the StatefulSets wait for the Secret.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import type { WiringContext } from "../wiring";
import type { ResolvedKnobs } from "../kubernetes/podKnobs";

/** A generated password: its resource name suffix (`<name>-<resource>`) and its options. */
export interface GeneratedPassword {
    resource: string;
    args?: Partial<random.RandomPasswordArgs>;
}

/** What a service's StatefulSets need from its generated credentials. */
export interface ServiceCredentials<K extends string> {
    /** The generated values, by the caller's key. */
    values: Record<K, pulumi.Output<string>>;
    /** The Secret's name (`<name>-<role>`). */
    secretName: string;
    secret: k8s.core.v1.Secret;
    /** Options of the service's resources: after the Namespace and the Secret. */
    afterSecret: pulumi.CustomResourceOptions;
}

/**
 * Generates the passwords of the in-cluster service `role` (40 characters, no specials unless
 * `args` say otherwise) and stores `data(values)` in its Secret `<name>-<role>`.
 */
export function serviceCredentials<K extends string>(
    w: WiringContext,
    role: string,
    passwords: Record<K, GeneratedPassword>,
    data: (values: Record<K, pulumi.Output<string>>) => { [key: string]: pulumi.Input<string> },
): ServiceCredentials<K> {
    const { name, namespace, labels } = w;
    const values = {} as Record<K, pulumi.Output<string>>;
    for (const key of Object.keys(passwords) as K[]) {
        const p = passwords[key];
        values[key] = new random.RandomPassword(`${name}-${p.resource}`, { length: 40, special: false, ...p.args }, w.child()).result;
    }
    const secretName = `${name}-${role}`;
    const secret = new k8s.core.v1.Secret(
        secretName,
        { metadata: { name: secretName, namespace, labels }, type: "Opaque", stringData: data(values) },
        w.k8sOpts(),
    );
    return { values, secretName, secret, afterSecret: w.k8sOpts({ dependsOn: [...w.nsDeps, secret] }) };
}

/** The args every in-cluster StatefulSet service takes from the spec. */
export interface InClusterCommon {
    namespace: string;
    labels: { [key: string]: string };
    clusterDomain?: string;
    storageClassName?: string;
    image: string;
    knobs: ResolvedKnobs;
    secretName: string;
    storageGb: number;
}

/** The common args of an in-cluster service from the spec: its image, knobs, Secret and volume size. */
export function inClusterCommon(w: WiringContext, image: string, knobs: ResolvedKnobs, secretName: string, storageGb: number): InClusterCommon {
    const { namespace, labels, spec } = w;
    return {
        namespace,
        labels,
        clusterDomain: spec.kubernetes.clusterDomain,
        storageClassName: spec.kubernetes.storageClassName,
        image,
        knobs,
        secretName,
        storageGb,
    };
}
