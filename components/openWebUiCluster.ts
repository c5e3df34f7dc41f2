// OpenWebUiCluster: one provider-neutral spec in, a production HA Open WebUI out.
//
// Order of construction (each step only uses what the previous ones produced; each is one function):
//   1. resolve + validate the spec, plan the database pools  prepareSpec (spec/prepareSpec.ts; nothing registered on failure)
//   2. namespace, labels, child options                      createWiring (wiring.ts), webuiSecretKey (env/)
//   3. backing services: managed (cloud module) | external | in-cluster | in-cluster HA
//        provisionDatabase / provisionCnpg, provisionCache, provisionObjectStore (data/)
//   4. workload identity -> ServiceAccount                   createServiceAccount (kubernetes/serviceAccount.ts)
//   5. app Secrets -> collector -> env -> [import Job] -> migration Job -> Deployment (dependsOn the Jobs; in
//      maintenance mode the Deployment goes to 0 first and the Job depends on it)
//        createAppSecrets (env/appSecrets.ts), provisionTelemetry (telemetry/otel.ts), podInputs, appEnvInputs,
//        buildEnv (env/env.ts), createAppWorkloads (kubernetes/workloadOrder.ts)
//   6. Service, PDB, HPA, alerting, NetworkPolicies, route (Ingress/HTTPRoute)   createServing (kubernetes/serving.ts);
//      cloud alarms (not on kubernetes)                      platform.createAlarms (providers/<cloud>/alarms.ts)
import * as pulumi from "@pulumi/pulumi";
import type { CloudPlatform } from "./platform/port";
import type { ResolvedSpec } from "./spec/spec";
import { OPEN_WEBUI_CLUSTER_TYPE, prepareSpec } from "./spec/prepareSpec";
import { ServiceMode, OpenWebUiClusterArgs } from "./args/types";
import { AppSecretData, Backend, createWiring } from "./wiring";
import { webuiSecretKey } from "./env/webuiSecretKey";
import { provisionDatabase } from "./data/database";
import { provisionCnpg } from "./data/cnpg";
import { provisionCache } from "./data/cache";
import { provisionObjectStore } from "./data/objectStore";
import { createServiceAccount } from "./kubernetes/serviceAccount";
import { createAppSecrets } from "./env/appSecrets";
import { provisionTelemetry } from "./telemetry/otel";
import { configHash, podInputs } from "./kubernetes/podInputs";
import { appEnvInputs } from "./env/envInputs";
import { buildEnv } from "./env/env";
import { createAppWorkloads } from "./kubernetes/workloadOrder";
import { createServing } from "./kubernetes/serving";
import { OpenWebUiClusterResources, recordResources, resourcesOf } from "./resources";

// Validation before registration lives in prepareSpec.ts; re-exported for the tests that call it.
export { OPEN_WEBUI_CLUSTER_TYPE, prepareSpec };

/**
 * Runs `f` with V8's stack capture off (restored after; `OPENWEBUI_PROMISE_STACKS=1` keeps it).
 * Pulumi records `new Error().stack` for every promise it creates (runtime/debuggable.ts), only
 * to name a promise in its leak report; the SDK classes make one per output property, and under
 * ts-node each stack goes through source-map-support. That was 60% of evaluation: at 20 aws
 * clusters 8.1 s CPU, 3.1 s without (bench/: the raw-registration floor needs 3.7 s). Errors
 * keep their message; validation (before any child) keeps its stack.
 */
export function withoutPromiseStacks(f: () => void): void {
    const restore = promiseStacksOff();
    try {
        f();
    } finally {
        restore();
    }
}

/**
 * Turns V8's stack capture off and returns what restores it (`withoutPromiseStacks` in two halves).
 * The constructor uses the halves rather than a callback: Pulumi formats the whole call stack of
 * every resource it registers (`Resource.callsites`, for source positions, marshalled with the
 * registration), so each frame between the program and `new Resource` is paid per child.
 */
export function promiseStacksOff(): () => void {
    if (process.env.OPENWEBUI_PROMISE_STACKS === "1") return () => undefined;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    return () => {
        Error.stackTraceLimit = limit;
    };
}

/**
 * A production, highly available Open WebUI on AWS, GCP, Azure or any Kubernetes cluster:
 * Postgres with pgvector, Redis, object storage, Kubernetes workloads, a websocket-safe
 * load balancer, generated secrets and an OpenTelemetry collector.
 */
export class OpenWebUiCluster extends pulumi.ComponentResource {
    /** Public URL (`WEBUI_URL`). */
    public readonly url!: pulumi.Output<string>;
    /** Kubernetes namespace of the release. */
    public readonly namespace!: pulumi.Output<string>;
    /** Kubernetes ServiceAccount the Open WebUI pods run as. */
    public readonly serviceAccountName!: pulumi.Output<string>;
    /** Name of the serving Deployment. */
    public readonly deploymentName!: pulumi.Output<string>;
    /** Name of the Service in front of the pods. */
    public readonly serviceName!: pulumi.Output<string>;
    /** Name of the migration Job of the current version. */
    public readonly migrationJobName!: pulumi.Output<string>;
    /** Postgres endpoint (`host:port`). */
    public readonly databaseEndpoint!: pulumi.Output<string>;
    /** Redis endpoint (`host:port`). */
    public readonly redisEndpoint!: pulumi.Output<string>;
    /** Bucket / container holding uploads. */
    public readonly bucketName!: pulumi.Output<string>;
    /** Cloud identity bound to the ServiceAccount (role ARN, service account email, managed identity client id); empty on `kubernetes`. */
    public readonly identityPrincipal!: pulumi.Output<string>;
    /** The shared `WEBUI_SECRET_KEY` (secret); empty when `webuiSecretKeyRef` gives it. */
    public readonly webuiSecretKey!: pulumi.Output<string>;
    /** Open WebUI's database URL (secret). */
    public readonly databaseUrl!: pulumi.Output<string>;
    /** `DATABASE_POOL_SIZE` computed for this cluster. */
    public readonly databasePoolSize!: pulumi.Output<number>;
    /** `DATABASE_POOL_MAX_OVERFLOW` computed for this cluster. */
    public readonly databasePoolMaxOverflow!: pulumi.Output<number>;
    /** Worst-case database connections of the release (all engines of all pods at pool + overflow). */
    public readonly databaseMaxClientConnections!: pulumi.Output<number>;
    /** The database server's `max_connections` the pools were sized against. */
    public readonly databaseServerMaxConnections!: pulumi.Output<number>;
    /** Open WebUI image reference deployed. */
    public readonly image!: pulumi.Output<string>;
    /** OTLP endpoint of the in-cluster collector (empty when OTEL is off). */
    public readonly otelCollectorEndpoint!: pulumi.Output<string>;
    /** The underlying resources (Deployment, Service, database, bucket, identity, ...) to attach your own to; TypeScript only. */
    public get resources(): OpenWebUiClusterResources {
        return resourcesOf(this);
    }

    constructor(name: string, args: OpenWebUiClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate before registering anything.
        const { spec, platform } = prepareSpec(args, name);
        // Only plain data goes to super(): args holding Outputs can leak promises (pulumi/pulumi#23953).
        super(OPEN_WEBUI_CLUSTER_TYPE, name, {}, opts);
        const restoreStacks = promiseStacksOff();
        try {
            this.build(name, spec, platform);
        } finally {
            restoreStacks();
        }
    }

    /** Registers every child (steps 2-6 of the header) and the outputs. */
    private build(name: string, spec: ResolvedSpec, platform: CloudPlatform): void {
        // 2. Namespace, generated secrets
        const w = createWiring(this, name, spec, platform);
        const secretKey = webuiSecretKey(name, spec, w.child());
        const appSecretData: AppSecretData = secretKey.appSecretValue ? { WEBUI_SECRET_KEY: secretKey.appSecretValue } : {};
        // 3. Backing services; in-cluster ones join `backends` (the NetworkPolicies' egress).
        const backends: Backend[] = [];
        const db = spec.database.mode === ServiceMode.InClusterHa ? provisionCnpg(w, appSecretData, backends) : provisionDatabase(w, appSecretData, backends);
        const cache = provisionCache(w, appSecretData, backends);
        const store = provisionObjectStore(w, backends);
        // 4. Identity and ServiceAccount
        const { identity, serviceAccount } = createServiceAccount(w, store.managed);
        // 5. App Secrets, collector, env, [import Job], migration Job, Deployment
        const secrets = createAppSecrets(w, appSecretData, cache.caCertificate);
        const otel = provisionTelemetry(w, secretKey.hashKey, backends);
        const pod = podInputs(w, { db, secrets, serviceAccount, identity, configHash: configHash(secretKey.hashKey, appSecretData, spec) });
        const envInputs = appEnvInputs(w, { db, cache, store, secrets, secretKey: secretKey.ref, otelEndpoint: otel?.endpoint });
        const migrationDeps = [...db.ready, ...cache.ready, ...store.ready, secrets.appSecret, ...(secrets.extraEnvSecret ? [secrets.extraEnvSecret] : [])];
        const { migrate, deployment } = createAppWorkloads(name, pod, (m) => buildEnv(spec, envInputs, m), migrationDeps, secrets.podSecrets, w.k8sOpts());
        // 6. Availability, network, route, load balancer, alarms
        const serving = createServing(w, pod, deployment, backends);
        if (spec.alarms.enabled) {
            const maxConnections = spec.pools?.maxConnections ?? spec.database.maxConnections;
            platform.createAlarms?.(w.ctx, {
                database: db.managed,
                cache: cache.managed,
                maxConnections,
                deployment: { name, namespace: spec.namespace },
                route: serving.route,
                notificationTargets: spec.alarms.notificationTargets,
            });
        }
        const outputs = {
            url: serving.lb.url,
            namespace: pulumi.output(spec.namespace),
            serviceAccountName: serviceAccount.metadata.name,
            deploymentName: deployment.metadata.name,
            serviceName: serving.service.metadata.name,
            migrationJobName: migrate.metadata.name,
            databaseEndpoint: db.endpoint,
            redisEndpoint: cache.endpoint,
            bucketName: store.bucketName,
            identityPrincipal: identity.principal,
            webuiSecretKey: secretKey.output,
            databaseUrl: pulumi.secret(db.url),
            ...poolOutputs(spec),
            image: pulumi.output(spec.image.ref),
            otelCollectorEndpoint: otel ? otel.endpoint : pulumi.output(spec.otel.enabled ? (spec.otel.collectorEndpoint ?? "") : ""),
        };
        Object.assign(this, outputs);
        recordResources(this, {
            namespace: w.ns,
            serviceAccount,
            deployment,
            migrationJob: migrate,
            service: serving.service,
            podDisruptionBudget: serving.pdb,
            horizontalPodAutoscaler: serving.hpa,
            collector: otel?.deployment,
            route: serving.route,
            database: db.managed?.resource,
            cache: cache.managed?.resource,
            bucket: store.managed?.resource,
            storageAccount: store.managed?.account,
            identity: identity.resource,
        });
        this.registerOutputs(outputs);
    }
}

/** The pool outputs: what the pools were sized to and against. */
function poolOutputs(spec: ResolvedSpec) {
    return {
        databasePoolSize: pulumi.output(spec.pools.poolSize),
        databasePoolMaxOverflow: pulumi.output(spec.pools.maxOverflow),
        databaseMaxClientConnections: pulumi.output(spec.pools.worstCaseTotal),
        databaseServerMaxConnections: pulumi.output(spec.pools.maxConnections),
    };
}
