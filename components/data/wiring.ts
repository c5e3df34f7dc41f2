// The HA data services as the component wires them (openWebUiCluster.ts step 3): Valkey with
// Sentinel for `redis.mode: inClusterHa` and the ReadWriteMany uploads volume for
// `storage.mode: sharedVolume`. The database's is `provisionCnpg` (cnpg.ts).
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import type { WiringContext } from "./database";
import { SENTINEL_ROLE, SENTINEL_SETTINGS, valkeySentinel, VALKEY_ROLE } from "./valkeySentinel";
import { sharedVolume, withSharedVolume } from "./sharedVolume";

export { provisionCnpg } from "./cnpg";
export { DATA_TIER_ANNOTATION, dataTierAvailability } from "./availability";

/** Valkey + Sentinel; REDIS_URL is `redis://:<password>@<master name>:6379/0` (the host is the master name). */
export function provisionHaRedis(w: WiringContext, backends: { role: string; ports: number[] }[]) {
    const { name, spec, namespace, labels, child, k8sOpts } = w;
    const password = new random.RandomPassword(`${name}-redis-password`, { length: 40, special: false }, child());
    const secret = new k8s.core.v1.Secret(
        `${name}-redis`,
        { metadata: { name: `${name}-redis`, namespace, labels }, type: "Opaque", stringData: { REDIS_PASSWORD: password.result } },
        k8sOpts(),
    );
    const r = valkeySentinel(
        name,
        { namespace, labels, clusterDomain: spec.kubernetes.clusterDomain, storageClassName: spec.kubernetes.storageClassName, image: spec.images.redis, knobs: spec.knobs.redis, secretName: `${name}-redis`, storageGb: spec.redis.storageGb },
        k8sOpts({ dependsOn: [...w.nsDeps, secret] }),
    );
    backends.push({ role: VALKEY_ROLE, ports: [SENTINEL_SETTINGS.valkeyPort] }, { role: SENTINEL_ROLE, ports: [SENTINEL_SETTINGS.sentinelPort] });
    return {
        url: pulumi.secret(pulumi.interpolate`redis://:${password.result}@${r.masterName}:${SENTINEL_SETTINGS.valkeyPort}/0`),
        endpoint: pulumi.output(`sentinel://${r.sentinelHosts.split(",")[0]}:${r.sentinelPort}/${r.masterName}`),
        ready: r.ready as pulumi.Resource[],
        sentinel: { hosts: r.sentinelHosts, port: r.sentinelPort },
    };
}

/** The uploads volume, mounted into the Open WebUI pods (their knobs in `spec` gain the volume). */
export function provisionSharedVolume(w: WiringContext): { bucketName: pulumi.Output<string>; ready: pulumi.Resource[] } {
    const { name, spec, namespace, labels, k8sOpts } = w;
    const v = sharedVolume(name, { namespace, labels, storageClassName: spec.storage.storageClassName, storageGb: spec.storage.storageGb, retainOnDelete: spec.storage.retainOnDelete }, k8sOpts());
    spec.knobs.app = withSharedVolume(spec.knobs.app, v.claimName);
    return { bucketName: pulumi.output(`(shared volume ${v.claimName})`), ready: [v.claim] };
}
