// The release's WEBUI_SECRET_KEY: generated once (`<name>-webui-secret-key`, kept in the app
// Secret), or adopted from the user's Secret (`webuiSecretKeyRef`: pods read it by secretKeyRef,
// nothing is generated). Either way a key that is itself secret keys the plain config-hash
// annotations (secretHygiene.ts): with an adopted key, a generated `<name>-config-hash-key`.
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { SecretRef } from "./env";
import type { ResolvedSpec } from "../spec/specTypes";

export interface WebuiSecretKey {
    /** For the app Secret's `WEBUI_SECRET_KEY` (generated key only). */
    appSecretValue?: pulumi.Output<string>;
    /** Where the pods read it instead of the app Secret (adopted key only). */
    ref?: SecretRef;
    /** The key of the keyed hashes (config-hash annotations). */
    hashKey: pulumi.Output<string>;
    /** The component output `webuiSecretKey` (empty when adopted: the key lives in the user's Secret). */
    output: pulumi.Output<string>;
}

export function webuiSecretKey(name: string, spec: Pick<ResolvedSpec, "webuiSecretKeyRef">, opts: pulumi.CustomResourceOptions): WebuiSecretKey {
    const ref = spec.webuiSecretKeyRef;
    if (ref !== undefined) {
        const hashKey = new random.RandomPassword(`${name}-config-hash-key`, { length: 64, special: false }, opts);
        return { ref: { name: ref.name, key: ref.key }, hashKey: hashKey.result, output: pulumi.secret("") };
    }
    const key = new random.RandomPassword(`${name}-webui-secret-key`, { length: 64, special: false }, opts);
    return { appSecretValue: key.result, hashKey: key.result, output: pulumi.secret(key.result) };
}
