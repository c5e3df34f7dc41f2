// OpenWebUiCluster: one provider-neutral spec in, a production HA Open WebUI out.
//
// Order of construction (each step only uses what the previous ones produced):
//   1. resolve + validate the spec, plan the database pools      (prepareSpec.ts; nothing registered on failure)
//   2. namespace, generated secrets
//   3. backing services: managed (cloud module) | external | in-cluster
//   4. workload identity -> ServiceAccount
//   5. app Secret -> env -> [import Job] -> migration Job -> Deployment (dependsOn the Jobs; in maintenance mode the
//      Deployment goes to 0 first and the Job depends on it)
//   6. Service, PDB, HPA, NetworkPolicies, route (Ingress/HTTPRoute), OTEL collector, cloud alarms (not on kubernetes)
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import { createAppWorkloads } from "./kubernetes/workloadOrder";
import { webuiSecretKey } from "./env/webuiSecretKey";
import type { CloudPlatform, ManagedCache, ManagedObjectStore, ProviderContext } from "./platform/port";
import { provisionDatabase, WiringContext } from "./data/database";
import { DATA_TIER_ANNOTATION, dataTierAvailability, provisionCnpg, provisionHaRedis, provisionSharedVolume } from "./data/wiring";
import { EnvInputs, REDIS_CA_DIR, SecretRef, buildEnv } from "./env/env";
import { inClusterObjectStore, inClusterRedis, OBJECT_STORE_PORTS } from "./data/inCluster";
import { collectorServiceAccountName, createOtelCollector } from "./telemetry/otel";
import { createAlerting } from "./telemetry/otelAlerts";
import { serviceAccountAnnotations } from "./kubernetes/podKnobs";
import { ssoSecretValues } from "./spec/sso";
import type { ResolvedSpec } from "./spec/spec";
import { OPEN_WEBUI_CLUSTER_TYPE, prepareSpec } from "./spec/prepareSpec";
import { isOwnedEnv } from "./env/envContract";
import { keyedHash } from "./spec/secretHygiene";
import { EmbeddingEngine, OpenWebUiClusterArgs, ServiceMode } from "./args/types";
import { PodInputs } from "./kubernetes/workloads";
import { createAvailability, createNetworkPolicies, createRoute, createService } from "./kubernetes/serving";
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
    if (process.env.OPENWEBUI_PROMISE_STACKS === "1") return f();
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        f();
    } finally {
        Error.stackTraceLimit = limit;
    }
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
    public get resources(): OpenWebUiClusterResources { return resourcesOf(this); }

    constructor(name: string, args: OpenWebUiClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validate before registering anything.
        const { spec, platform } = prepareSpec(args, name);
        // Only plain data goes to super(): args holding Outputs can leak promises (pulumi/pulumi#23953).
        super(OPEN_WEBUI_CLUSTER_TYPE, name, {}, opts);
        withoutPromiseStacks(() => this.build(name, spec, platform));
    }

    /** Registers every child (steps 2-6 of the header) and the outputs. */
    private build(name: string, spec: ResolvedSpec, platform: CloudPlatform): void {
        const child = (extra?: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions => ({ parent: this, ...extra });
        const labels: { [key: string]: string } = {
            "app.kubernetes.io/name": "open-webui",
            "app.kubernetes.io/instance": name,
            "app.kubernetes.io/version": spec.image.tag,
            "app.kubernetes.io/managed-by": "pulumi",
            "app.kubernetes.io/part-of": "openwebui-cluster",
            ...spec.labels,
        };
        const selector = { "app.kubernetes.io/instance": name, "app.kubernetes.io/component": "app" };

        // 2. Namespace and generated secrets
        const ns = spec.createNamespace
            ? new k8s.core.v1.Namespace(
                `${name}-namespace`,
                {
                    metadata: {
                        name: spec.namespace,
                        labels: {
                            ...labels,
                            "pod-security.kubernetes.io/enforce": "restricted",
                            "pod-security.kubernetes.io/enforce-version": "latest",
                            "pod-security.kubernetes.io/warn": "restricted",
                            ...(platform.namespaceLabels?.(spec) ?? {}),
                        },
                    },
                },
                child(),
            )
            : undefined;
        const nsDeps: pulumi.Resource[] = ns ? [ns] : [];
        const k8sOpts = (extra?: pulumi.CustomResourceOptions) => child({ dependsOn: nsDeps, ...extra });
        const namespace = spec.namespace;
        const serviceAccountName = name;
        const ctx: ProviderContext = {
            name,
            parent: this,
            spec,
            namespace,
            serviceAccountName,
            tags: { "openwebui-cluster": name, "managed-by": "pulumi", ...spec.tags },
            opts: (extra) => {
                const o = child({ dependsOn: nsDeps, ...extra });
                return platform.childTransformations ? { ...o, transformations: [...(o.transformations ?? []), ...platform.childTransformations] } : o;
            },
        };

        const secretKey = webuiSecretKey(name, spec, child());

        // 3a. Database
        const appSecretData: { [key: string]: pulumi.Input<string> } = secretKey.appSecretValue ? { WEBUI_SECRET_KEY: secretKey.appSecretValue } : {};
        const backends: { role: string; ports: number[] }[] = [];
        const wiring: WiringContext = { name, spec, platform, ctx, namespace, labels, nsDeps, child, k8sOpts };
        const db = spec.database.mode === ServiceMode.InClusterHa ? provisionCnpg(wiring, appSecretData, backends) : provisionDatabase(wiring, appSecretData, backends);
        const { userDbUrlRef, endpoint: databaseEndpoint, url: databaseUrl, caConfigMapName: dbCaConfigMapName, ready: dbReady, createVectorExtension } = db;

        // 3b. Redis
        let redisUrlRef: SecretRef | undefined;
        let redisEndpoint: pulumi.Output<string>;
        let redisCa: pulumi.Output<string> | undefined;
        let redisReady: pulumi.Resource[] = [];
        let sentinel: { hosts: string; port: number } | undefined, managedCache: ManagedCache | undefined;
        if (spec.redis.mode === ServiceMode.External) {
            if (spec.redis.urlSecret) {
                redisUrlRef = spec.redis.urlSecret;
                redisEndpoint = pulumi.output("(in an existing Kubernetes Secret)");
            } else {
                const u = pulumi.secret(pulumi.output(spec.redis.url!));
                appSecretData.REDIS_URL = u;
                redisEndpoint = pulumi.unsecret(u.apply((s) => { try { const x = new URL(s); return `${x.hostname}:${x.port || 6379}`; } catch { return "external"; } }));
            }
        } else if (spec.redis.mode === ServiceMode.Managed) {
            const cache = (managedCache = platform.createCache(ctx));
            redisCa = cache.caCertificate;
            const query = cache.caCertificate
                ? `?ssl_cert_reqs=required&ssl_ca_certs=${REDIS_CA_DIR}/ca.crt${cache.skipHostnameCheck ? "&ssl_check_hostname=false" : ""}`
                : "";
            appSecretData.REDIS_URL = pulumi.secret(cache.url.apply((u) => `${u}${query}`));
            redisEndpoint = cache.endpoint;
            redisReady = cache.dependsOn;
        } else if (spec.redis.mode === ServiceMode.InClusterHa) {
            const r = provisionHaRedis(wiring, backends);
            appSecretData.REDIS_URL = r.url;
            ({ endpoint: redisEndpoint, ready: redisReady, sentinel } = r);
        } else {
            const redisPassword = new random.RandomPassword(`${name}-redis-password`, { length: 40, special: false }, child());
            const redisSecret = new k8s.core.v1.Secret(
                `${name}-redis`,
                { metadata: { name: `${name}-redis`, namespace, labels }, type: "Opaque", stringData: { REDIS_PASSWORD: redisPassword.result } },
                k8sOpts(),
            );
            const r = inClusterRedis(name, { namespace, labels, clusterDomain: spec.kubernetes.clusterDomain, storageClassName: spec.kubernetes.storageClassName, image: spec.images.redis, knobs: spec.knobs.redis, secretName: `${name}-redis`, storageGb: spec.redis.storageGb }, k8sOpts({ dependsOn: [...nsDeps, redisSecret] }));
            appSecretData.REDIS_URL = pulumi.secret(pulumi.interpolate`redis://:${redisPassword.result}@${r.host}:6379/0`);
            redisEndpoint = pulumi.interpolate`${r.host}:6379`;
            redisReady = [r.statefulSet];
            backends.push({ role: "redis", ports: [6379] });
        }

        // 3c. Object storage
        let store: ManagedObjectStore | undefined;
        let storageEnv: { [key: string]: pulumi.Input<string> } = {};
        const storageSecretEnv: { [key: string]: SecretRef } = {};
        let bucketName: pulumi.Output<string>;
        let storageReady: pulumi.Resource[] = [];
        const s = spec.storage;
        if (s.mode === ServiceMode.Managed) {
            store = platform.createObjectStore(ctx);
            storageEnv = { ...store.env };
            bucketName = store.bucketName;
        } else if (s.mode === ServiceMode.External) {
            bucketName = pulumi.output(s.bucketName!);
            storageEnv = { STORAGE_PROVIDER: "s3", S3_BUCKET_NAME: s.bucketName!, S3_REGION_NAME: s.s3Region ?? "us-east-1" };
            if (s.s3EndpointUrl !== undefined) storageEnv.S3_ENDPOINT_URL = s.s3EndpointUrl;
            if (s.s3AccessKeyIdSecret) storageSecretEnv.S3_ACCESS_KEY_ID = s.s3AccessKeyIdSecret;
            if (s.s3SecretAccessKeySecret) storageSecretEnv.S3_SECRET_ACCESS_KEY = s.s3SecretAccessKeySecret;
        } else if (s.mode === ServiceMode.SharedVolume) {
            ({ bucketName, ready: storageReady } = provisionSharedVolume(wiring));
        } else {
            bucketName = pulumi.output(s.bucketName ?? "openwebui");
            const accessKey = new random.RandomPassword(`${name}-objects-access-key`, { length: 20, special: false, upper: true, lower: false }, child());
            const secretKeyS3 = new random.RandomPassword(`${name}-objects-secret-key`, { length: 40, special: false }, child());
            const identities = pulumi.all([accessKey.result, secretKeyS3.result]).apply(([ak, sk]) =>
                JSON.stringify({ identities: [{ name: "openwebui", credentials: [{ accessKey: ak, secretKey: sk }], actions: ["Read", "Write", "List", "Tagging", "Admin"] }] }),
            );
            const objSecret = new k8s.core.v1.Secret(
                `${name}-objects`,
                { metadata: { name: `${name}-objects`, namespace, labels }, type: "Opaque", stringData: { "s3.json": pulumi.secret(identities), S3_ACCESS_KEY_ID: accessKey.result, S3_SECRET_ACCESS_KEY: secretKeyS3.result } },
                k8sOpts(),
            );
            const o = inClusterObjectStore(name, { namespace, labels, clusterDomain: spec.kubernetes.clusterDomain, storageClassName: spec.kubernetes.storageClassName, image: spec.images.objectStore, knobs: spec.knobs.objectStore, secretName: `${name}-objects`, bucket: bucketName, storageGb: s.storageGb }, k8sOpts({ dependsOn: [...nsDeps, objSecret] }));
            storageEnv = { STORAGE_PROVIDER: "s3", S3_BUCKET_NAME: bucketName, S3_REGION_NAME: "us-east-1", S3_ENDPOINT_URL: o.endpoint };
            storageSecretEnv.S3_ACCESS_KEY_ID = { name: `${name}-objects`, key: "S3_ACCESS_KEY_ID" };
            storageSecretEnv.S3_SECRET_ACCESS_KEY = { name: `${name}-objects`, key: "S3_SECRET_ACCESS_KEY" };
            storageReady = [o.bucketJob];
            backends.push({ role: "objects", ports: OBJECT_STORE_PORTS.map((p) => p.port) });
        }
        if (s.mode !== ServiceMode.Managed) {
            if (s.s3AddressingStyle) storageEnv.S3_ADDRESSING_STYLE = s.s3AddressingStyle;
        }
        if (s.keyPrefix) storageEnv.S3_KEY_PREFIX = s.keyPrefix;

        // 4. Identity and ServiceAccount
        const identity = platform.createWorkloadIdentity(ctx, store);
        const serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-serviceaccount`,
            {
                metadata: { name: serviceAccountName, namespace, labels, annotations: serviceAccountAnnotations(spec.target, spec.pod.serviceAccountAnnotations, identity.serviceAccountAnnotations) },
                automountServiceAccountToken: false,
            },
            k8sOpts({ dependsOn: [...nsDeps, ...(identity.dependsOn ?? [])] }),
        );

        // 5. App Secret, env, migration Job, Deployment
        Object.assign(appSecretData, ssoSecretValues(spec));
        const openaiKeys = spec.rag.openaiApiKeys;
        if (openaiKeys !== undefined) appSecretData.OPENAI_API_KEYS = pulumi.secret(pulumi.output(openaiKeys).apply((k) => k.join(";")));
        // The embedding key: given, or the first OpenAI key (the gateway the models come from).
        const embeddingKey = spec.rag.embeddingApiKey ?? (spec.rag.embeddingEngine === EmbeddingEngine.Openai && openaiKeys !== undefined ? pulumi.output(openaiKeys).apply((k) => k[0] ?? "") : undefined);
        if (embeddingKey !== undefined) appSecretData.RAG_EMBEDDING_API_KEY = pulumi.secret(embeddingKey);
        // extraSecretEnv may be one secret Output (a secret map from another language): its own
        // Secret, read with envFrom, so no name has to be known now. `env` wins over `envFrom`, and
        // managed names are refused here when known, at deploy time otherwise.
        let extraEnvSecret: k8s.core.v1.Secret | undefined;
        if (spec.extraSecretEnv !== undefined) {
            const data = pulumi.secret(pulumi.output(spec.extraSecretEnv).apply((m) => {
                const bad = Object.keys(m ?? {}).filter((k) => isOwnedEnv(k) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || k in spec.extraEnv || k in (spec.extraSecretEnvRefs ?? {}));
                if (bad.length) throw new Error(`OpenWebUiCluster ${name}: extraSecretEnv.${bad[0]}: managed by the component, not a valid variable name, or set in extraEnv/extraSecretEnvRefs too; use the typed argument, rename it, or set it once`);
                return m ?? {};
            }));
            extraEnvSecret = new k8s.core.v1.Secret(
                `${name}-extra-env`,
                { metadata: { name: `${name}-extra-env`, namespace, labels }, type: "Opaque", stringData: data },
                k8sOpts(),
            );
        }
        const appSecret = new k8s.core.v1.Secret(
            `${name}-app`,
            { metadata: { name: `${name}-app`, namespace, labels, annotations: { [DATA_TIER_ANNOTATION]: JSON.stringify(dataTierAvailability(spec)) } }, type: "Opaque", stringData: pulumi.secret(appSecretData) },
            k8sOpts(),
        );
        const dbUrlRef: SecretRef = userDbUrlRef ?? { name: `${name}-app`, key: "DATABASE_URL" };
        redisUrlRef = redisUrlRef ?? { name: `${name}-app`, key: "REDIS_URL" };

        let redisCaSecretName: string | undefined;
        // Workloads name their Secrets/ConfigMaps as plain strings, ordered by dependsOn, never
        // through `metadata.name`: the Kubernetes provider replaces a Secret whose data changes
        // (delete, then create: the name is fixed), and the engine then replaces every resource
        // with a *property* dependency on it. A rotated secret would delete and recreate the
        // Deployment (every serving pod at once, seen in a real run); by name it is updated and rolls.
        const podSecrets: k8s.core.v1.Secret[] = [appSecret, ...(extraEnvSecret ? [extraEnvSecret] : [])];
        if (redisCa !== undefined) {
            const caSecret = new k8s.core.v1.Secret(`${name}-redis-ca`, { metadata: { name: `${name}-redis-ca`, namespace, labels }, type: "Opaque", stringData: { "ca.crt": redisCa } }, k8sOpts());
            redisCaSecretName = `${name}-redis-ca`;
            podSecrets.push(caSecret);
        }

        // The cloud's own telemetry backends and the collector's identity (providers/<cloud>/telemetry.ts).
        const telemetry = spec.otel.deployCollector && spec.otel.cloudBackend ? platform.createTelemetry?.(ctx, collectorServiceAccountName(name)) : undefined;
        const otel = spec.otel.deployCollector ? createOtelCollector(`${name}`, { otel: spec.otel, namespace, labels, clusterDomain: spec.kubernetes.clusterDomain, knobs: spec.knobs.otelCollector, trustedCa: spec.trustedCa, hashKey: secretKey.hashKey, backend: telemetry }, k8sOpts()) : undefined;
        if (otel) backends.push({ role: "otel-collector", ports: [4317, 4318] });

        const envInputs: EnvInputs = {
            appSecretName: `${name}-app`,
            secretKey: secretKey.ref,
            database: { url: dbUrlRef, iamAuth: spec.database.iamAuth, createVectorExtension },
            redis: { url: redisUrlRef, cluster: spec.redis.cluster, sentinelHosts: sentinel?.hosts ?? spec.redis.sentinelHosts, sentinelPort: sentinel?.port ?? spec.redis.sentinelPort },
            storageEnv,
            storageSecretEnv,
            otelCollectorEndpoint: otel?.endpoint ?? (spec.otel.enabled ? spec.otel.collectorEndpoint : undefined),
            secretKeys: { openaiApiKeys: openaiKeys !== undefined, embeddingApiKey: embeddingKey !== undefined },
        };
        // Pods roll when the content of the app Secret changes (its name does not).
        // Keyed with the generated secret key (itself a Pulumi secret): the annotation is plain.
        const configHash = keyedHash(secretKey.hashKey, pulumi.all([pulumi.output(appSecretData), pulumi.output(spec.extraSecretEnv ?? {})]));
        const pod: PodInputs = {
            spec,
            namespace,
            labels,
            selector,
            serviceAccountName: serviceAccount.metadata.name,
            podLabels: identity.podLabels,
            redisCaSecretName,
            envFromSecretNames: [...(extraEnvSecret ? [`${name}-extra-env`] : []), ...(spec.extraEnvFromSecrets ?? [])],
            configHash,
            dbCaConfigMapName,
        };
        const migrationDeps = [...dbReady, ...redisReady, ...storageReady, appSecret, ...(extraEnvSecret ? [extraEnvSecret] : [])];
        // Import (importFrom), migrations, then serving (workloadOrder.ts).
        const { migrate, deployment } = createAppWorkloads(name, pod, (m) => buildEnv(spec, envInputs, m), migrationDeps, podSecrets, k8sOpts());

        // 6. Availability, network, route, load balancer
        const lb = platform.createLoadBalancer(ctx);
        const service = createService(name, pod, lb.serviceAnnotations, k8sOpts());
        const { pdb, hpa } = createAvailability(name, pod, deployment, k8sOpts());
        createAlerting(name, spec, namespace, labels, k8sOpts());
        createNetworkPolicies(name, pod, backends, k8sOpts());
        const route = createRoute(name, pod, lb, service, k8sOpts());
        lb.afterRoute?.(route, service);
        if (spec.alarms.enabled) platform.createAlarms?.(ctx, { database: db.managed, cache: managedCache, maxConnections: spec.pools?.maxConnections ?? spec.database.maxConnections, deployment: { name, namespace }, route, notificationTargets: spec.alarms.notificationTargets });

        const outputs = {
            url: lb.url,
            namespace: pulumi.output(namespace),
            serviceAccountName: serviceAccount.metadata.name,
            deploymentName: deployment.metadata.name,
            serviceName: service.metadata.name,
            migrationJobName: migrate.metadata.name,
            databaseEndpoint,
            redisEndpoint,
            bucketName,
            identityPrincipal: identity.principal,
            webuiSecretKey: secretKey.output,
            databaseUrl: pulumi.secret(databaseUrl),
            databasePoolSize: pulumi.output(spec.pools.poolSize),
            databasePoolMaxOverflow: pulumi.output(spec.pools.maxOverflow),
            databaseMaxClientConnections: pulumi.output(spec.pools.worstCaseTotal),
            databaseServerMaxConnections: pulumi.output(spec.pools.maxConnections),
            image: pulumi.output(spec.image.ref),
            otelCollectorEndpoint: otel ? otel.endpoint : pulumi.output(spec.otel.enabled ? spec.otel.collectorEndpoint ?? "" : ""),
        };
        Object.assign(this, outputs);
        recordResources(this, {
            namespace: ns, serviceAccount, deployment, migrationJob: migrate, service, podDisruptionBudget: pdb, horizontalPodAutoscaler: hpa, collector: otel?.deployment, route,
            database: db.managed?.resource, cache: managedCache?.resource, bucket: store?.resource, storageAccount: store?.account, identity: identity.resource,
        });
        this.registerOutputs(outputs);
    }
}
