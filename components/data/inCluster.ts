// In-cluster backing services for evaluation and on-prem: single-instance StatefulSets on
// persistent volumes. NOT highly available: a node loss stops Postgres/Redis until the pod
// is rescheduled and its volume re-attached. Use external or managed services in production.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../kubernetes/security";
import { IN_CLUSTER_MAX_CONNECTIONS } from "../spec/sizing";
import { ResolvedKnobs, withPodKnobs } from "../kubernetes/podKnobs";
import { serviceHost } from "../spec/addresses";

export { IN_CLUSTER_IMAGES } from "../spec/images";

/**
 * Ports of the in-cluster SeaweedFS (`weed server -s3`), one list for the container, the Service
 * and the NetworkPolicy. The bucket Job's `weed shell` dials the master's gRPC port (HTTP port +
 * 10000) through the Service, then the filer's gRPC port (8888 + 10000) at the address the master
 * reports for it (the pod's): measured against a real weed server (tests/integration/seaweedfs.itest.ts).
 */
export const OBJECT_STORE_PORTS: { name: string; port: number; service: boolean }[] = [
    { name: "s3", port: 8333, service: true },
    { name: "master", port: 9333, service: true },
    { name: "master-grpc", port: 19333, service: true },
    { name: "filer-grpc", port: 18888, service: false },
];

interface Common {
    namespace: pulumi.Input<string>;
    labels: { [key: string]: string };
    storageClassName?: string;
    /** The service's image (override or pinned default, resolved by the spec). */
    image: string;
    /** Pod knobs of `workloads.<service>`. */
    knobs: ResolvedKnobs;
    /** `kubernetes.clusterDomain` (default `cluster.local`). */
    clusterDomain?: string;
}

function statefulService(
    name: string,
    role: string,
    c: Common,
    port: { name: string; port: number }[],
    podSpec: (labels: { [key: string]: string }) => k8s.types.input.core.v1.PodSpec,
    mainContainer: string,
    storageGb: number,
    opts: pulumi.CustomResourceOptions,
): { service: k8s.core.v1.Service; statefulSet: k8s.apps.v1.StatefulSet; host: pulumi.Output<string> } {
    const labels = { ...c.labels, "app.kubernetes.io/component": role };
    const selector = { "app.kubernetes.io/instance": c.labels["app.kubernetes.io/instance"], "app.kubernetes.io/component": role };
    const service = new k8s.core.v1.Service(
        `${name}-${role}`,
        {
            metadata: { name: `${name}-${role}`, namespace: c.namespace, labels },
            spec: { type: "ClusterIP", selector, ports: port.map((p) => ({ name: p.name, port: p.port, targetPort: p.port })) },
        },
        opts,
    );
    const statefulSet = new k8s.apps.v1.StatefulSet(
        `${name}-${role}`,
        {
            metadata: { name: `${name}-${role}`, namespace: c.namespace, labels, annotations: { "openwebui.io/not-highly-available": "true" } },
            spec: {
                serviceName: service.metadata.name,
                replicas: 1,
                selector: { matchLabels: selector },
                template: withPodKnobs({ metadata: { labels }, spec: podSpec(labels) }, c.knobs, { main: [mainContainer], selector }),
                volumeClaimTemplates: [
                    {
                        metadata: { name: "data" },
                        spec: {
                            accessModes: ["ReadWriteOnce"],
                            storageClassName: c.storageClassName,
                            resources: { requests: { storage: `${storageGb}Gi` } },
                        },
                    },
                ],
                persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
            },
        },
        opts,
    );
    const host = serviceHost(service.metadata.name, service.metadata.namespace, c.clusterDomain);
    return { service, statefulSet, host };
}

/** Postgres with pgvector. The superuser password comes from `secretName`/POSTGRES_PASSWORD. */
export function inClusterPostgres(
    name: string,
    c: Common & { version: string; database: string; secretName: pulumi.Input<string>; storageGb: number },
    opts: pulumi.CustomResourceOptions,
) {
    return statefulService(
        name,
        "postgres",
        c,
        [{ name: "postgres", port: 5432 }],
        () => ({
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurity(999),
            terminationGracePeriodSeconds: 60,
            containers: [
                {
                    name: "postgres",
                    image: c.image,
                    args: ["-c", `max_connections=${IN_CLUSTER_MAX_CONNECTIONS}`, "-c", "shared_buffers=256MB", "-c", "password_encryption=scram-sha-256"],
                    ports: [{ name: "postgres", containerPort: 5432 }],
                    env: [
                        { name: "POSTGRES_USER", value: "postgres" },
                        { name: "POSTGRES_DB", value: c.database },
                        { name: "POSTGRES_PASSWORD", valueFrom: { secretKeyRef: { name: c.secretName, key: "PGPASSWORD" } } },
                        { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
                        { name: "POSTGRES_INITDB_ARGS", value: "--auth-host=scram-sha-256" },
                    ],
                    readinessProbe: { exec: { command: ["pg_isready", "-U", "postgres", "-h", "127.0.0.1"] }, periodSeconds: 10 },
                    livenessProbe: { exec: { command: ["pg_isready", "-U", "postgres", "-h", "127.0.0.1"] }, periodSeconds: 20, failureThreshold: 6 },
                    volumeMounts: [
                        { name: "data", mountPath: "/var/lib/postgresql/data" },
                        { name: "run", mountPath: "/var/run/postgresql" },
                        { name: "tmp", mountPath: "/tmp" },
                    ],
                    securityContext: restrictedContainerSecurity(),
                    resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "2Gi" } },
                },
            ],
            volumes: [
                { name: "run", emptyDir: {} },
                { name: "tmp", emptyDir: {} },
            ],
        }),
        "postgres",
        c.storageGb,
        opts,
    );
}

/** Valkey (Redis-compatible) with a password, `timeout 1800` and `maxclients 10000` as Open WebUI's docs require. */
export function inClusterRedis(name: string, c: Common & { secretName: pulumi.Input<string>; storageGb: number }, opts: pulumi.CustomResourceOptions) {
    return statefulService(
        name,
        "redis",
        c,
        [{ name: "redis", port: 6379 }],
        () => ({
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurity(999, 1000),
            containers: [
                {
                    name: "valkey",
                    image: c.image,
                    command: [
                        "sh",
                        "-c",
                        'exec valkey-server --requirepass "$REDIS_PASSWORD" --timeout 1800 --maxclients 10000 --appendonly yes --dir /data --protected-mode no',
                    ],
                    ports: [{ name: "redis", containerPort: 6379 }],
                    env: [{ name: "REDIS_PASSWORD", valueFrom: { secretKeyRef: { name: c.secretName, key: "REDIS_PASSWORD" } } }],
                    readinessProbe: { exec: { command: ["sh", "-c", 'REDISCLI_AUTH="$REDIS_PASSWORD" valkey-cli ping | grep -q PONG'] }, periodSeconds: 10 },
                    livenessProbe: { tcpSocket: { port: 6379 }, periodSeconds: 20 },
                    volumeMounts: [{ name: "data", mountPath: "/data" }],
                    securityContext: restrictedContainerSecurity(),
                    resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
                },
            ],
        }),
        "valkey",
        c.storageGb,
        opts,
    );
}

/**
 * SeaweedFS single server with its S3 gateway. Credentials from `secretName`
 * (`s3.json`, an identities file); a Job creates the bucket once the server answers.
 */
export function inClusterObjectStore(name: string, c: ObjectStoreConfig, opts: pulumi.CustomResourceOptions) {
    const svc = statefulService(
        name,
        "objects",
        c,
        OBJECT_STORE_PORTS.filter((p) => p.service).map(({ name, port }) => ({ name, port })),
        () => seaweedfsPodSpec(c),
        "seaweedfs",
        c.storageGb,
        opts,
    );
    const bucketJob = objectStoreBucketJob(name, c, svc, opts);
    return { ...svc, bucketJob, endpoint: pulumi.interpolate`http://${svc.host}:8333` };
}

/** Settings of the in-cluster object store. */
type ObjectStoreConfig = Common & { secretName: pulumi.Input<string>; bucket: pulumi.Input<string>; storageGb: number };

/** The SeaweedFS pod: one `weed server` with the S3 gateway, its identities file mounted from the Secret. */
function seaweedfsPodSpec(c: ObjectStoreConfig): k8s.types.input.core.v1.PodSpec {
    return {
        automountServiceAccountToken: false,
        securityContext: restrictedPodSecurity(1000),
        containers: [
            {
                name: "seaweedfs",
                image: c.image,
                command: ["weed"],
                args: [
                    "server",
                    "-dir=/data",
                    "-ip.bind=0.0.0.0",
                    "-master.volumeSizeLimitMB=1024",
                    "-volume.max=0",
                    "-s3",
                    "-s3.port=8333",
                    "-s3.config=/etc/seaweedfs/s3.json",
                ],
                ports: OBJECT_STORE_PORTS.map(({ name, port }) => ({ name, containerPort: port })),
                readinessProbe: { tcpSocket: { port: 8333 }, periodSeconds: 10 },
                livenessProbe: { tcpSocket: { port: 9333 }, periodSeconds: 20 },
                volumeMounts: [
                    { name: "data", mountPath: "/data" },
                    { name: "s3-config", mountPath: "/etc/seaweedfs", readOnly: true },
                    { name: "tmp", mountPath: "/tmp" },
                ],
                securityContext: restrictedContainerSecurity(),
                resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
            },
        ],
        volumes: [
            { name: "s3-config", secret: { secretName: c.secretName, items: [{ key: "s3.json", path: "s3.json" }] } },
            { name: "tmp", emptyDir: {} },
        ],
    };
}

/** The Job that creates the bucket once the SeaweedFS master answers (retried until it does). */
function objectStoreBucketJob(
    name: string,
    c: ObjectStoreConfig,
    svc: { statefulSet: k8s.apps.v1.StatefulSet; host: pulumi.Output<string> },
    opts: pulumi.CustomResourceOptions,
): k8s.batch.v1.Job {
    const labels = { ...c.labels, "app.kubernetes.io/component": "objects-init" };
    const jobSelector = { "app.kubernetes.io/instance": c.labels["app.kubernetes.io/instance"], "app.kubernetes.io/component": "objects-init" };
    return new k8s.batch.v1.Job(
        `${name}-objects-bucket`,
        {
            metadata: { name: `${name}-objects-bucket`, namespace: c.namespace, labels },
            spec: {
                backoffLimit: 10,
                template: withPodKnobs(
                    {
                        metadata: { labels },
                        spec: {
                            restartPolicy: "OnFailure",
                            automountServiceAccountToken: false,
                            securityContext: restrictedPodSecurity(1000),
                            containers: [
                                {
                                    name: "create-bucket",
                                    image: c.image,
                                    command: [
                                        "sh",
                                        "-c",
                                        'echo "s3.bucket.create -name $BUCKET" | weed shell -master="$MASTER" 2>&1 | tee /tmp/out; echo "s3.bucket.list" | weed shell -master="$MASTER" | grep -q "$BUCKET"',
                                    ],
                                    env: [
                                        { name: "BUCKET", value: c.bucket },
                                        { name: "MASTER", value: pulumi.interpolate`${svc.host}:9333` },
                                    ],
                                    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                                    securityContext: restrictedContainerSecurity(),
                                    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                                },
                            ],
                            volumes: [{ name: "tmp", emptyDir: {} }],
                        },
                    },
                    c.knobs,
                    { main: ["create-bucket"], selector: jobSelector },
                ),
            },
        },
        { ...opts, dependsOn: [svc.statefulSet], deleteBeforeReplace: true, replaceOnChanges: ["spec"] },
    );
}
