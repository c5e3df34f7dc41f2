// What the Open WebUI pods (Deployment, migration and import Jobs) are built from, gathered once
// the backing services, Secrets and identity exist (openWebUiCluster.ts step 5).
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import type { WorkloadIdentity } from "../platform/port";
import type { ResolvedSpec } from "../spec/specTypes";
import type { AppSecretData, WiringContext } from "../wiring";
import type { DatabaseWiring } from "../data/database";
import type { AppSecrets } from "../env/appSecrets";
import { keyedHash } from "../spec/secretHygiene";
import type { PodInputs } from "./workloads";

/**
 * The pods' `config-hash` annotation: they roll when the content of the app Secret (or of
 * `extraSecretEnv`) changes, since its name does not. Keyed with the release's secret key (itself a
 * Pulumi secret), so the plain annotation confirms no value.
 */
export function configHash(hashKey: pulumi.Output<string>, appSecretData: AppSecretData, spec: ResolvedSpec): pulumi.Output<string> {
    return keyedHash(hashKey, pulumi.all([pulumi.output(appSecretData), pulumi.output(spec.extraSecretEnv ?? {})]));
}

/** The inputs of every Open WebUI pod. */
export function podInputs(
    w: WiringContext,
    p: { db: DatabaseWiring; secrets: AppSecrets; serviceAccount: k8s.core.v1.ServiceAccount; identity: WorkloadIdentity; configHash: pulumi.Output<string> },
): PodInputs {
    const { name, spec } = w;
    return {
        spec,
        namespace: w.namespace,
        labels: w.labels,
        selector: w.selector,
        serviceAccountName: p.serviceAccount.metadata.name,
        podLabels: p.identity.podLabels,
        redisCaSecretName: p.secrets.redisCaSecretName,
        envFromSecretNames: [...(p.secrets.extraEnvSecret ? [`${name}-extra-env`] : []), ...(spec.extraEnvFromSecrets ?? [])],
        configHash: p.configHash,
        dbCaConfigMapName: p.db.caConfigMapName,
    };
}
