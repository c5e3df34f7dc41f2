// What the component emits, evaluated under the unit-test mocks: the serving Deployment's env,
// the migration Job's command, and the bootstrap Job, with secretKeyRefs resolved from the
// registered Secrets. This is what the integration tests then run against real servers.
import "../../harness";
import { one, ofType, registered, reset, settle } from "../../harness";
import { OpenWebUiCluster } from "../../../index";
import { CloudTarget, ServiceMode } from "../../../components/args/types";

export type Env = Record<string, string>;

export interface Emitted {
    /** Serving Deployment container env, secrets resolved. */
    serveEnv: Env;
    /** Migration Job container env, secrets resolved. */
    migrateEnv: Env;
    /** Migration Job container: command and workingDir. */
    migrateCommand: string[];
    migrateWorkingDir: string;
    /** Serving container command/args as emitted (undefined: image entrypoint). */
    serveCommand?: string[];
    /** HTTP paths of the serving container's startup, liveness and readiness probes. */
    probePaths: { startup?: string; liveness?: string; readiness?: string };
    /** The serving container's volume mounts, with the PersistentVolumeClaim behind each (if any). */
    mounts: { name: string; mountPath: string; claimName?: string }[];
    /** The serving container's liveness and readiness probes as emitted (for a kubelet-like Prober). */
    probes: { liveness: EmittedProbe; readiness: EmittedProbe };
    /** Deployment pod securityContext (runAsUser etc.). */
    podSecurity: any;
    /** Component outputs for the pool plan. */
    outputs: { poolSize: number; maxOverflow: number; maxClientConnections: number; serverMaxConnections: number };
}

function secretData(name: string): Record<string, string> {
    const s = ofType("kubernetes:core/v1:Secret").find((r) => r.plain.metadata?.name === name);
    if (!s) throw new Error(`no registered Secret named ${name}`);
    return s.plain.stringData ?? {};
}

/** Container env with `valueFrom.secretKeyRef` resolved from the registered Secrets. */
export function resolveEnv(container: any): Env {
    const env: Env = {};
    // envFrom first: explicit env entries win, as in Kubernetes.
    for (const f of container.envFrom ?? []) {
        if (!f.secretRef) throw new Error(`envFrom ${JSON.stringify(f)}: only secretRef is supported`);
        for (const [k, v] of Object.entries(secretData(f.secretRef.name))) env[`${f.prefix ?? ""}${k}`] = String(v);
    }
    for (const e of container.env ?? []) {
        if (e.value !== undefined) env[e.name] = String(e.value);
        else if (e.valueFrom?.secretKeyRef) {
            const { name, key } = e.valueFrom.secretKeyRef;
            const v = secretData(name)[key];
            if (v === undefined) throw new Error(`env ${e.name}: Secret ${name} has no key ${key}`);
            env[e.name] = String(v);
        } else throw new Error(`env ${e.name}: unsupported valueFrom ${JSON.stringify(e.valueFrom)}`);
    }
    return env;
}

function outputValue<T>(o: any): Promise<T> {
    return new Promise((resolve) =>
        o.apply((v: T) => {
            resolve(v);
            return v;
        }),
    );
}

/** Evaluates `OpenWebUiCluster` with external Postgres/Redis/S3 pointing at the local servers. */
/** `storage`: the storage block instead of the external bucket (e.g. `{ mode: "sharedVolume", ... }`). */
export async function emitFor(args: {
    databaseUrl: string;
    maxConnections: number;
    redisUrl: string;
    replicasMax: number;
    replicasMin: number;
    redisSentinelHosts?: string;
    storage?: Record<string, unknown>;
}): Promise<Emitted> {
    reset();
    const c = new OpenWebUiCluster("it", {
        target: CloudTarget.Kubernetes,
        hostname: "chat.example.com",
        replicas: { min: args.replicasMin, max: args.replicasMax },
        database: { mode: ServiceMode.External, url: args.databaseUrl, maxConnections: args.maxConnections },
        redis: { mode: ServiceMode.External, url: args.redisUrl, sentinelHosts: args.redisSentinelHosts },
        storage: (args.storage as any) ?? { mode: ServiceMode.External, bucketName: "openwebui-it-uploads", s3EndpointUrl: "http://127.0.0.1:1" },
        otel: { enabled: false },
    });
    await settle();
    const dep = ofType("kubernetes:apps/v1:Deployment").find((d) => d.plain.metadata?.labels?.["app.kubernetes.io/component"] === "app" || d.name === "it");
    if (!dep)
        throw new Error(
            `no Open WebUI Deployment among ${ofType("kubernetes:apps/v1:Deployment")
                .map((d) => d.name)
                .join(", ")}`,
        );
    const job = ofType("kubernetes:batch/v1:Job").find((j) => j.name.startsWith("it-migrate"));
    if (!job)
        throw new Error(
            `no migration Job among ${ofType("kubernetes:batch/v1:Job")
                .map((d) => d.name)
                .join(", ")}`,
        );
    const container = dep.plain.spec.template.spec.containers.find((x: any) => x.name === "open-webui") ?? dep.plain.spec.template.spec.containers[0];
    const mig = job.plain.spec.template.spec.containers[0];
    return {
        serveEnv: resolveEnv(container),
        migrateEnv: resolveEnv(mig),
        migrateCommand: mig.command,
        migrateWorkingDir: mig.workingDir,
        serveCommand: container.command,
        probePaths: {
            startup: container.startupProbe?.httpGet?.path,
            liveness: container.livenessProbe?.httpGet?.path,
            readiness: container.readinessProbe?.httpGet?.path,
        },
        probes: { liveness: probeOf(container.livenessProbe, "liveness"), readiness: probeOf(container.readinessProbe, "readiness") },
        mounts: (container.volumeMounts ?? []).map((m: any) => ({
            name: m.name,
            mountPath: m.mountPath,
            claimName: dep.plain.spec.template.spec.volumes?.find((v: any) => v.name === m.name)?.persistentVolumeClaim?.claimName,
        })),
        podSecurity: dep.plain.spec.template.spec.securityContext,
        outputs: {
            poolSize: await outputValue<number>(c.databasePoolSize),
            maxOverflow: await outputValue<number>(c.databasePoolMaxOverflow),
            maxClientConnections: await outputValue<number>(c.databaseMaxClientConnections),
            serverMaxConnections: await outputValue<number>(c.databaseServerMaxConnections),
        },
    };
}

export interface EmittedBootstrap {
    command: string[];
    /** Plain env of the Job container (APP_DB_USER, APP_DB_IAM_AUTH, PGCONNECT_TIMEOUT). */
    env: Env;
    /** Keys of the admin Secret the Job reads with envFrom. */
    adminSecretKeys: string[];
    /** The SQL as shipped in the ConfigMap. */
    sql: string;
    sqlPath: string;
}

/** Evaluates the component with the in-cluster database to read the bootstrap Job it emits. */
export async function emitBootstrap(): Promise<EmittedBootstrap> {
    reset();
    new OpenWebUiCluster("itboot", { target: CloudTarget.Kubernetes, hostname: "chat.example.com", otel: { enabled: false } });
    await settle();
    const job = one("kubernetes:batch/v1:Job", "-db-bootstrap");
    const cm = one("kubernetes:core/v1:ConfigMap", "-db-bootstrap");
    const ctr = job.plain.spec.template.spec.containers[0];
    const env: Env = {};
    for (const e of ctr.env ?? []) env[e.name] = String(e.value);
    const secretName = ctr.envFrom[0].secretRef.name;
    const mount = ctr.volumeMounts[0].mountPath;
    const sqlFile = ctr.command[ctr.command.length - 1];
    if (!sqlFile.startsWith(mount)) throw new Error(`bootstrap SQL ${sqlFile} not under ${mount}`);
    const result = { command: ctr.command, env, adminSecretKeys: Object.keys(secretData(secretName)), sql: cm.plain.data["bootstrap.sql"], sqlPath: sqlFile };
    void registered;
    return result;
}

/** The Redis URL and CA mount the component emits for a managed cache with its own CA (GCP Memorystore). */
export async function emitManagedRedisTls(): Promise<{ redisUrl: string; websocketRedisUrl: string; caMountPath: string; caSecretKeys: string[] }> {
    reset();
    new OpenWebUiCluster("itgcp", {
        target: CloudTarget.Gcp,
        hostname: "chat.example.com",
        otel: { enabled: false },
        gcp: { project: "proj-123", region: "europe-west1", network: "projects/proj-123/global/networks/vpc" },
    } as any);
    await settle();
    const dep = ofType("kubernetes:apps/v1:Deployment").find((d) => d.name === "itgcp");
    if (!dep) throw new Error("no itgcp Deployment");
    const container = dep.plain.spec.template.spec.containers[0];
    const env = resolveEnv(container);
    const vol = dep.plain.spec.template.spec.volumes.find((v: any) => v.secret?.secretName?.endsWith("-redis-ca"));
    if (!vol) throw new Error("no redis CA volume");
    const mount = container.volumeMounts.find((m: any) => m.name === vol.name);
    return {
        redisUrl: env.REDIS_URL,
        websocketRedisUrl: env.WEBSOCKET_REDIS_URL,
        caMountPath: mount.mountPath,
        caSecretKeys: Object.keys(secretData(vol.secret.secretName)),
    };
}

/** A probe as emitted (the fields kubelet uses). */
export interface EmittedProbe {
    path: string;
    periodSeconds: number;
    timeoutSeconds: number;
    failureThreshold: number;
}

export interface EmittedManaged {
    target: CloudTarget;
    serveEnv: Env;
    migrateEnv: Env;
    migrateCommand: string[];
    probes: { startup: EmittedProbe; liveness: EmittedProbe; readiness: EmittedProbe };
    /** preStop `sleep N` of the serving container. */
    preStopSeconds: number;
    terminationGracePeriodSeconds: number;
    /** The load balancer's idle timeout as written into the emitted Ingress annotations. */
    lbIdleTimeoutSeconds: number;
    /** The load balancer's health-check path as emitted. */
    lbHealthPath: string;
    /** The collector the component deploys (telemetry is on by default on aws): its config as emitted. */
    collectorConfig?: string;
}

function probeOf(p: any, what: string): EmittedProbe {
    if (!p?.httpGet?.path) throw new Error(`the serving container has no HTTP ${what} probe`);
    return { path: p.httpGet.path, periodSeconds: p.periodSeconds ?? 10, timeoutSeconds: p.timeoutSeconds ?? 1, failureThreshold: p.failureThreshold ?? 3 };
}

/**
 * What the component emits for a managed-cloud target (AWS: Aurora PostgreSQL, ElastiCache with
 * TLS, S3 through EKS Pod Identity, an ALB), evaluated under the unit-test mocks: the serving and
 * migration env with secrets resolved, the probes, preStop and grace period, and the ALB's idle
 * timeout and health-check path from the Ingress annotations.
 */
export async function emitManagedAws(
    replicas: { min: number; max: number },
    extra: { otel?: Record<string, unknown>; size?: string } = {},
): Promise<EmittedManaged> {
    reset();
    new OpenWebUiCluster("ha", {
        target: CloudTarget.Aws,
        hostname: "chat.example.com",
        replicas,
        ...(extra.otel ? { otel: extra.otel } : {}),
        // `size`: the size preset (small/medium/large); without it the component's default.
        ...(extra.size ? { size: extra.size } : {}),
        aws: {
            vpcId: "vpc-0a1b2c3d",
            privateSubnetIds: ["subnet-0a1", "subnet-0b2", "subnet-0c3"],
            eks: { clusterName: "prod", securityGroupIds: ["sg-0123abcd"] },
            certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab",
        },
    } as any);
    await settle();
    const dep = ofType("kubernetes:apps/v1:Deployment").find((d) => d.name === "ha");
    if (!dep)
        throw new Error(
            `no ha Deployment among ${ofType("kubernetes:apps/v1:Deployment")
                .map((d) => d.name)
                .join(", ")}`,
        );
    const job = ofType("kubernetes:batch/v1:Job").find((j) => j.name.startsWith("ha-migrate"));
    if (!job) throw new Error("no ha-migrate Job");
    const ing = ofType("kubernetes:networking.k8s.io/v1:Ingress").find((i) => i.name.startsWith("ha"));
    if (!ing) throw new Error("no Ingress for the ALB");
    const ann: Record<string, string> = ing.plain.metadata?.annotations ?? {};
    const idle = /idle_timeout\.timeout_seconds=(\d+)/.exec(ann["alb.ingress.kubernetes.io/load-balancer-attributes"] ?? "");
    if (!idle) throw new Error(`the ALB Ingress sets no idle timeout: ${JSON.stringify(ann)}`);
    const health = ann["alb.ingress.kubernetes.io/healthcheck-path"];
    if (!health) throw new Error(`the ALB Ingress sets no health-check path: ${JSON.stringify(ann)}`);
    const pod = dep.plain.spec.template.spec;
    const c = pod.containers.find((x: any) => x.name === "open-webui") ?? pod.containers[0];
    const preStop = c.lifecycle?.preStop?.exec?.command ?? [];
    if (preStop[0] !== "sleep" || !(Number(preStop[1]) > 0)) throw new Error(`unexpected preStop ${JSON.stringify(preStop)}`);
    const mig = job.plain.spec.template.spec.containers[0];
    return {
        target: CloudTarget.Aws,
        serveEnv: resolveEnv(c),
        migrateEnv: resolveEnv(mig),
        migrateCommand: mig.command,
        probes: {
            startup: probeOf(c.startupProbe, "startup"),
            liveness: probeOf(c.livenessProbe, "liveness"),
            readiness: probeOf(c.readinessProbe, "readiness"),
        },
        preStopSeconds: Number(preStop[1]),
        terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds ?? 30,
        lbIdleTimeoutSeconds: Number(idle[1]),
        lbHealthPath: health,
        collectorConfig: ofType("kubernetes:core/v1:ConfigMap").find((m) => m.name === "ha-otel")?.plain.data?.["config.yaml"],
    };
}
