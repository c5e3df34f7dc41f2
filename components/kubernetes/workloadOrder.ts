// The order of the Open WebUI workloads, in one place:
//   serving:     [database bootstrap, services] -> import Job (importFrom) -> migration Job -> Deployment
//   maintenance: Deployment (0 replicas) -> import Job -> migration Job: nothing serves while they write.
// Each later step `dependsOn` the earlier ones, so Pulumi awaits each Job's completion first.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { createImportJob } from "./importJob";
import { createDeployment, createMigrationJob, PodInputs } from "./workloads";

type EnvVar = k8s.types.input.core.v1.EnvVar;

export interface AppWorkloads {
    migrate: k8s.batch.v1.Job;
    deployment: k8s.apps.v1.Deployment;
    importJob?: k8s.batch.v1.Job;
}

/**
 * `env(migrations)` is the container env (buildEnv): the import Job gets the serving pods' env;
 * `ready` is what every Job waits for (database bootstrap, Redis, bucket, app Secret);
 * `podSecrets` what the Deployment also waits for.
 */
export function createAppWorkloads(
    name: string,
    pod: PodInputs,
    env: (migrations: boolean) => EnvVar[],
    ready: pulumi.Resource[],
    podSecrets: pulumi.Resource[],
    opts: pulumi.CustomResourceOptions,
): AppWorkloads {
    const spec = pod.spec;
    const imported = (deps: pulumi.Resource[]) => (spec.importFrom ? createImportJob(name, pod, spec.importFrom, env(false), deps, opts).job : undefined);
    if (spec.migrations.maintenanceMode) {
        // Serving replicas go to 0 first; only then do the import and the migrations run, alone.
        const deployment = createDeployment(name, pod, env(false), [...ready, ...podSecrets], opts);
        const importJob = imported([...ready, deployment]);
        const migrate = createMigrationJob(name, pod, env(true), [...ready, deployment, ...(importJob ? [importJob] : [])], opts);
        return { migrate, deployment, importJob };
    }
    // The import and the migrations complete before the Deployment rolls to the new version.
    const importJob = imported(ready);
    const migrate = createMigrationJob(name, pod, env(true), [...ready, ...(importJob ? [importJob] : [])], opts);
    const deployment = createDeployment(name, pod, env(false), [migrate, ...podSecrets], opts);
    return { migrate, deployment, importJob };
}
