// Open WebUI's Kubernetes workloads: the migration Job and the serving Deployment (pod spec,
// security, probes, seed data). What keeps them reachable and available is in serving.ts.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { DATA_DIR, PYTHON_USER_BASE, REDIS_CA_DIR } from "../env/env";
import { ResolvedSpec } from "../spec/spec";
import { VectorStore, ZoneSpread } from "../args/types";
import { restrictedContainerSecurity, restrictedPodSecurity } from "./security";
import { withPodKnobs } from "./podKnobs";
import { pythonTrust } from "../spec/trust";
import { POOL_CHURN_ANNOTATION } from "../spec/sizing";

type EnvVar = k8s.types.input.core.v1.EnvVar;

/** Open WebUI listens here (image default). */
export const APP_PORT = 8080;
/** UID/GID the Open WebUI containers run as (the image defaults to root). */
export const APP_UID = 1000;

export interface PodInputs {
    spec: ResolvedSpec;
    namespace: pulumi.Input<string>;
    labels: { [key: string]: string };
    selector: { [key: string]: string };
    serviceAccountName: pulumi.Input<string>;
    podLabels: { [key: string]: string };
    /** Secret holding the Redis CA (`ca.crt`), when the cache needs a private CA. */
    redisCaSecretName?: pulumi.Input<string>;
    /** Secrets read whole with `envFrom`: the release's extraSecretEnv Secret, then `extraEnvFromSecrets`. */
    envFromSecretNames: pulumi.Input<string>[];
    /** Hash of the config so pods roll when a referenced Secret's content changes. */
    configHash: pulumi.Input<string>;
    /** ConfigMap holding the managed database's CA (`ca.crt`), when clients verify it. */
    dbCaConfigMapName?: pulumi.Input<string>;
}

/** Volumes, mounts, init containers and env of an Open WebUI pod (Deployment or migration Job). */
export function volumes(p: PodInputs): {
    volumes: k8s.types.input.core.v1.Volume[];
    mounts: k8s.types.input.core.v1.VolumeMount[];
    initContainers: k8s.types.input.core.v1.Container[];
    env: EnvVar[];
} {
    const volumes: k8s.types.input.core.v1.Volume[] = [
        { name: "data", emptyDir: { sizeLimit: "10Gi" } },
        { name: "tmp", emptyDir: { sizeLimit: "2Gi" } },
    ];
    const mounts: k8s.types.input.core.v1.VolumeMount[] = [
        { name: "data", mountPath: DATA_DIR },
        { name: "tmp", mountPath: "/tmp" },
    ];
    if (p.redisCaSecretName !== undefined) {
        volumes.push({ name: "redis-ca", secret: { secretName: p.redisCaSecretName, items: [{ key: "ca.crt", path: "ca.crt" }] } });
        mounts.push({ name: "redis-ca", mountPath: REDIS_CA_DIR, readOnly: true });
    }
    const trust = pythonTrust(p.spec.trustedCa, p.dbCaConfigMapName, p.spec.image);
    return { volumes: [...volumes, ...trust.volumes], mounts: [...mounts, ...trust.mounts], initContainers: trust.initContainers, env: trust.env };
}

export function envFrom(p: PodInputs): k8s.types.input.core.v1.EnvFromSource[] | undefined {
    return p.envFromSecretNames.length ? p.envFromSecretNames.map((name) => ({ secretRef: { name } })) : undefined;
}

export function podSecurity(): k8s.types.input.core.v1.PodSecurityContext {
    return restrictedPodSecurity(APP_UID);
}

export function resources(spec: ResolvedSpec): k8s.types.input.core.v1.ResourceRequirements {
    return {
        requests: { cpu: spec.pod.cpuRequest, memory: spec.pod.memoryRequest },
        limits: { memory: spec.pod.memoryLimit, ...(spec.pod.cpuLimit ? { cpu: spec.pod.cpuLimit } : {}) },
    };
}

/**
 * The migration Job's program, the one writer of everything a new database needs before pods
 * start. Each step exists because two pods starting at once on a new database collide on it
 * (measured by the HA drills: one pod of the first rollout crashes with `UniqueViolation`):
 * - `import open_webui.config` with ENABLE_DB_MIGRATIONS=true runs `alembic upgrade head`;
 * - `seed_registered_defaults()` inserts the persistent-config defaults (`config` rows) that
 *   every pod otherwise inserts at start (`config_pkey1`); skipped on releases without it;
 * - with pgvector, importing the vector client factory creates `document_chunk` and its indexes
 *   (`pg_type_typname_nsp_index`).
 */
export function migrationProgram(vectorStore: VectorStore): string {
    const vector = vectorStore === VectorStore.Pgvector ? " import open_webui.retrieval.vector.factory;" : "";
    return `import asyncio, open_webui.config as c; seed = getattr(c, 'seed_registered_defaults', None); seed and asyncio.run(seed());${vector} print('open-webui migrations: done')`;
}

/**
 * The only process that runs migrations (see `migrationProgram`), then exits. The Job name
 * carries the image tag, so a version change creates a new Job; Pulumi awaits its completion
 * before it touches the Deployment (which `dependsOn` it).
 */
export function createMigrationJob(
    name: string,
    p: PodInputs,
    env: EnvVar[],
    dependsOn: pulumi.Input<pulumi.Resource>[],
    opts: pulumi.CustomResourceOptions,
): k8s.batch.v1.Job {
    const spec = p.spec;
    const labels = { ...p.labels, ...p.podLabels, "app.kubernetes.io/component": "migrations" };
    const v = volumes(p);
    return new k8s.batch.v1.Job(
        `${name}-migrate`,
        {
            metadata: {
                name: migrationJobName(name, spec.image.tag),
                namespace: p.namespace,
                labels,
                annotations: { "openwebui.io/version": spec.image.tag, "pulumi.com/replaceUnready": "true" },
            },
            spec: {
                backoffLimit: 3,
                activeDeadlineSeconds: spec.migrations.timeoutMinutes * 60,
                template: withPodKnobs(
                    {
                        metadata: { labels, annotations: { "openwebui.io/config-hash": p.configHash } },
                        spec: {
                            restartPolicy: "Never",
                            serviceAccountName: p.serviceAccountName,
                            automountServiceAccountToken: false,
                            securityContext: podSecurity(),
                            initContainers: v.initContainers.length ? v.initContainers : undefined,
                            containers: [
                                {
                                    name: "migrate",
                                    image: spec.image.ref,
                                    imagePullPolicy: spec.image.pullPolicy,
                                    workingDir: "/app/backend",
                                    command: ["python", "-c", migrationProgram(spec.vectorStore.type)],
                                    env,
                                    envFrom: envFrom(p),
                                    volumeMounts: v.mounts,
                                    securityContext: restrictedContainerSecurity(spec.pod.readOnlyRootFilesystem),
                                    resources: resources(spec),
                                },
                            ],
                            volumes: v.volumes,
                        },
                    },
                    spec.knobs.app,
                    { main: ["migrate"], selector: { ...p.selector, "app.kubernetes.io/component": "migrations" } },
                ),
            },
        },
        {
            ...opts,
            dependsOn,
            // Immutable: a new version gets a new name (so a new Job); any other change re-runs it in place.
            deleteBeforeReplace: true,
            replaceOnChanges: ["spec"],
            customTimeouts: { create: `${spec.migrations.timeoutMinutes}m`, update: `${spec.migrations.timeoutMinutes}m` },
        },
    );
}

/** `${name}-migrate-<version>`: a version change is a new Job, so migrations re-run. */
export function migrationJobName(name: string, tag: string): string {
    const slug = tag
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "");
    return `${name}-migrate-${slug}`.slice(0, 63).replace(/-$/, "");
}

/** Where the `seed-data` init container mounts the data emptyDir. */
const SEED_DIR = "/seed";
/** Where the official image bakes its model caches (its ENV HF_HOME, SENTENCE_TRANSFORMERS_HOME, TIKTOKEN_CACHE_DIR, WHISPER_MODEL_DIR). */
export const IMAGE_CACHE_DIR = `${DATA_DIR}/cache`;

/**
 * The `seed-data` init container's script (runs in the Open WebUI image, `sh`), env:
 * IMAGE_CACHE_DIR, SEED_DIR, PYTHONUSERBASE.
 * 1. The data emptyDir mounted on /app/backend/data hides the embedding, whisper and tiktoken
 *    caches the image bakes under /app/backend/data/cache, so every pod would download them on
 *    first use (and fail offline): copy them onto the volume (writable by the pod's UID, which
 *    the Hugging Face cache needs for its lock files). Images without a cache (slim) skip this.
 * 2. Create the Python user site-packages on the volume so the server's sys.path has it at start
 *    and requirements that pip installs there later (PIP_USER) import without a restart.
 */
export const SEED_DATA_SCRIPT = [
    "set -eu",
    'mkdir -p "$SEED_DIR/cache"',
    'if [ -d "$IMAGE_CACHE_DIR" ]; then cp -R "$IMAGE_CACHE_DIR/." "$SEED_DIR/cache/"; fi',
    "python -c 'import os, site; os.makedirs(site.getusersitepackages(), exist_ok=True)'",
    'echo "seed-data: $(du -sk "$SEED_DIR/cache" | cut -f1) KiB of image cache"',
].join("\n");

function seedDataContainer(spec: ResolvedSpec): k8s.types.input.core.v1.Container {
    return {
        name: "seed-data",
        image: spec.image.ref,
        imagePullPolicy: spec.image.pullPolicy,
        command: ["sh", "-c", SEED_DATA_SCRIPT],
        env: [
            { name: "IMAGE_CACHE_DIR", value: IMAGE_CACHE_DIR },
            { name: "SEED_DIR", value: SEED_DIR },
            { name: "PYTHONUSERBASE", value: PYTHON_USER_BASE.replace(DATA_DIR, SEED_DIR) },
        ],
        volumeMounts: [{ name: "data", mountPath: SEED_DIR }],
        securityContext: restrictedContainerSecurity(true),
        resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "256Mi" } },
    };
}

/** Spread over zones (hard with `pod.zoneSpread: required`) and hosts. */
function spreadConstraints(spec: ResolvedSpec, selector: { [key: string]: string }): k8s.types.input.core.v1.TopologySpreadConstraint[] {
    return [
        {
            maxSkew: 1,
            topologyKey: "topology.kubernetes.io/zone",
            whenUnsatisfiable: spec.pod.zoneSpread === ZoneSpread.Required ? "DoNotSchedule" : "ScheduleAnyway",
            labelSelector: { matchLabels: selector },
        },
        { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
    ];
}

/** The serving container: probes on /health and /health/db, a preStop drain, restricted security. */
function servingContainer(
    spec: ResolvedSpec,
    env: EnvVar[],
    from: k8s.types.input.core.v1.EnvFromSource[] | undefined,
    mounts: k8s.types.input.core.v1.VolumeMount[],
): k8s.types.input.core.v1.Container {
    return {
        name: "open-webui",
        image: spec.image.ref,
        imagePullPolicy: spec.image.pullPolicy,
        // pod.command / pod.args (the chart's); unset, the image's entrypoint.
        ...(spec.pod.command?.length ? { command: spec.pod.command } : {}),
        ...(spec.pod.args?.length ? { args: spec.pod.args } : {}),
        ports: [{ name: "http", containerPort: APP_PORT, protocol: "TCP" }],
        env,
        envFrom: from,
        startupProbe: { httpGet: { path: "/health", port: "http" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 30 },
        livenessProbe: { httpGet: { path: "/health", port: "http" }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
        // /health/db waits for a pooled connection: give it time before calling a busy pod unready.
        readinessProbe: { httpGet: { path: "/health/db", port: "http" }, periodSeconds: 10, timeoutSeconds: 10, failureThreshold: 3 },
        // Keep serving while the load balancer deregisters the pod, then drain.
        lifecycle: { preStop: { exec: { command: ["sleep", "15"] } } },
        volumeMounts: mounts,
        securityContext: restrictedContainerSecurity(spec.pod.readOnlyRootFilesystem),
        resources: resources(spec),
    };
}

/** The serving Deployment: never fewer ready pods than desired during a rollout. */
export function createDeployment(
    name: string,
    p: PodInputs,
    env: EnvVar[],
    dependsOn: pulumi.Input<pulumi.Resource>[],
    opts: pulumi.CustomResourceOptions,
): k8s.apps.v1.Deployment {
    const spec = p.spec;
    const serving = !spec.migrations.maintenanceMode;
    const v = volumes(p);
    const podLabels = { ...p.labels, ...p.podLabels, ...(spec.pod.labels ?? {}), "app.kubernetes.io/component": "app" };
    return new k8s.apps.v1.Deployment(
        name,
        {
            metadata: {
                name,
                namespace: p.namespace,
                labels: { ...p.labels, "app.kubernetes.io/component": "app" },
                annotations: { [SERVING_ANNOTATION]: String(serving), ...(spec.pools?.churn ? { [POOL_CHURN_ANNOTATION]: spec.pools.churn } : {}) },
            },
            spec: {
                // Created at replicas.min so `pulumi up` waits for that many Available pods (without
                // it a new Deployment starts at 1 and `up` reports an "HA" deploy done at one pod).
                // After creation the HPA owns the count: ignoreChanges (below) drops the field from
                // every later apply once the HPA has scaled, so updates never fight it.
                replicas: serving ? spec.replicas.min : 0,
                revisionHistoryLimit: 5,
                minReadySeconds: 5,
                progressDeadlineSeconds: 900,
                selector: { matchLabels: p.selector },
                strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
                template: withPodKnobs(
                    {
                        metadata: {
                            labels: podLabels,
                            annotations: { ...(spec.pod.annotations ?? {}), "openwebui.io/config-hash": p.configHash },
                        },
                        spec: {
                            serviceAccountName: p.serviceAccountName,
                            automountServiceAccountToken: false,
                            securityContext: podSecurity(),
                            terminationGracePeriodSeconds: spec.pod.terminationGracePeriodSeconds,
                            initContainers: [seedDataContainer(spec), ...v.initContainers],
                            topologySpreadConstraints: spreadConstraints(spec, p.selector),
                            containers: [servingContainer(spec, env, envFrom(p), v.mounts)],
                            volumes: v.volumes,
                        },
                    },
                    spec.knobs.app,
                    { main: ["open-webui"], selector: p.selector },
                ),
            },
        },
        {
            ...opts,
            dependsOn,
            // Serving: the HPA owns spec.replicas after creation. In maintenance mode the count is
            // ours (0). Entering or leaving maintenance mode replaces the Deployment: a scale from 0
            // would otherwise keep the live 0 (ignoreChanges keeps live values, and an HPA never
            // scales a target at 0), so leaving it recreates the Deployment at replicas.min, awaited.
            // replacementTrigger: an engine-level value, independent of how the provider reports diffs.
            ignoreChanges: serving ? ["spec.replicas"] : undefined,
            replacementTrigger: serving ? "serving" : "maintenance",
            deleteBeforeReplace: true,
        },
    );
}

/** Deployment annotation: "false" in maintenance mode (for people and policies reading the cluster). */
export const SERVING_ANNOTATION = "openwebui.io/serving";
