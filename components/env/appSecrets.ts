// The Secrets the Open WebUI pods read (openWebUiCluster.ts step 5): the app Secret `<name>-app`
// (generated key, service URLs, SSO and model keys), the user's `extraSecretEnv` in its own
// Secret, and the cache's private CA. Pods name them as plain strings, ordered by dependsOn,
// never through `metadata.name`: the Kubernetes provider replaces a Secret whose data changes
// (delete, then create: the name is fixed), and the engine then replaces every resource with a
// *property* dependency on it. A rotated secret would delete and recreate the Deployment (every
// serving pod at once, seen in a real run); by name it is updated and rolls.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { AppSecretData, WiringContext } from "../wiring";
import { EmbeddingEngine } from "../args/types";
import { ssoSecretValues } from "../spec/sso";
import { isOwnedEnv } from "./envContract";
import { DATA_TIER_ANNOTATION, dataTierAvailability } from "../data/availability";

/** The Secrets of the pods, by role. */
export interface AppSecrets {
    appSecret: k8s.core.v1.Secret;
    /** `<name>-extra-env` (`extraSecretEnv`), read whole with envFrom. */
    extraEnvSecret?: k8s.core.v1.Secret;
    /** `<name>-redis-ca`, when the cache's server has a private CA. */
    redisCaSecretName?: string;
    /** Every Secret the pods read, for their dependsOn. */
    podSecrets: k8s.core.v1.Secret[];
    /** Keys present in the app Secret for the optional secrets given by value. */
    secretKeys: { openaiApiKeys: boolean; embeddingApiKey: boolean };
}

/** SSO secrets, `OPENAI_API_KEYS` and the embedding key (given, or the first OpenAI key: the gateway the models come from). */
function addModelAndSsoSecrets(w: WiringContext, data: AppSecretData): AppSecrets["secretKeys"] {
    const { spec } = w;
    Object.assign(data, ssoSecretValues(spec));
    const openaiKeys = spec.rag.openaiApiKeys;
    if (openaiKeys !== undefined) data.OPENAI_API_KEYS = pulumi.secret(pulumi.output(openaiKeys).apply((k) => k.join(";")));
    const firstOpenaiKey =
        spec.rag.embeddingEngine === EmbeddingEngine.Openai && openaiKeys !== undefined ? pulumi.output(openaiKeys).apply((k) => k[0] ?? "") : undefined;
    const embeddingKey = spec.rag.embeddingApiKey ?? firstOpenaiKey;
    if (embeddingKey !== undefined) data.RAG_EMBEDDING_API_KEY = pulumi.secret(embeddingKey);
    return { openaiApiKeys: openaiKeys !== undefined, embeddingApiKey: embeddingKey !== undefined };
}

/**
 * `extraSecretEnv` may be one secret Output (a secret map from another language): its own Secret,
 * read with envFrom, so no name has to be known now. `env` wins over `envFrom`, and managed names
 * are refused here when known, at deploy time otherwise.
 */
function createExtraEnvSecret(w: WiringContext): k8s.core.v1.Secret | undefined {
    const { name, spec, namespace, labels } = w;
    if (spec.extraSecretEnv === undefined) return undefined;
    const clash = (k: string) => isOwnedEnv(k) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || k in spec.extraEnv || k in (spec.extraSecretEnvRefs ?? {});
    const data = pulumi.secret(
        pulumi.output(spec.extraSecretEnv).apply((m) => {
            const bad = Object.keys(m ?? {}).filter(clash);
            if (bad.length)
                throw new Error(
                    `OpenWebUiCluster ${name}: extraSecretEnv.${bad[0]}: managed by the component, not a valid variable name, or set in extraEnv/extraSecretEnvRefs too; use the typed argument, rename it, or set it once`,
                );
            return m ?? {};
        }),
    );
    return new k8s.core.v1.Secret(
        `${name}-extra-env`,
        { metadata: { name: `${name}-extra-env`, namespace, labels }, type: "Opaque", stringData: data },
        w.k8sOpts(),
    );
}

/** The pods' Secrets; `appSecretData` (the service URLs, the generated key) gains the SSO and model keys. */
export function createAppSecrets(w: WiringContext, appSecretData: AppSecretData, redisCa: pulumi.Output<string> | undefined): AppSecrets {
    const { name, spec, namespace, labels, k8sOpts } = w;
    const secretKeys = addModelAndSsoSecrets(w, appSecretData);
    const extraEnvSecret = createExtraEnvSecret(w);
    const annotations = { [DATA_TIER_ANNOTATION]: JSON.stringify(dataTierAvailability(spec)) };
    const appSecret = new k8s.core.v1.Secret(
        `${name}-app`,
        { metadata: { name: `${name}-app`, namespace, labels, annotations }, type: "Opaque", stringData: pulumi.secret(appSecretData) },
        k8sOpts(),
    );
    const podSecrets: k8s.core.v1.Secret[] = [appSecret, ...(extraEnvSecret ? [extraEnvSecret] : [])];
    let redisCaSecretName: string | undefined;
    if (redisCa !== undefined) {
        const caSecret = new k8s.core.v1.Secret(
            `${name}-redis-ca`,
            { metadata: { name: `${name}-redis-ca`, namespace, labels }, type: "Opaque", stringData: { "ca.crt": redisCa } },
            k8sOpts(),
        );
        redisCaSecretName = `${name}-redis-ca`;
        podSecrets.push(caSecret);
    }
    return { appSecret, extraEnvSecret, redisCaSecretName, podSecrets, secretKeys };
}
