// `database.mode: inClusterHa`: Postgres as a CloudNativePG `Cluster` (postgresql.cnpg.io/v1,
// CRDs of v1.30.0): N instances (one primary, streaming replicas) spread over hosts (and zones),
// the `standard` operand image (pgvector), the app role from `bootstrap.initdb` + `managed.roles`
// with its password in a generated `kubernetes.io/basic-auth` Secret, `CREATE EXTENSION vector`
// at initdb, the operator's own PodDisruptionBudgets (`enablePDB`), TLS (the operator's CA), and
// Open WebUI on the `<cluster>-rw` Service with `sslmode=require`. The operator must be installed
// (see README, "Highly available data tier"): without its CRD the API server refuses the Cluster.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import { serviceHost } from "../spec/addresses";
import { APP_DB_USER, DatabaseWiring, postgresUrl } from "./database";
import type { AppSecretData, Backend, WiringContext } from "../wiring";
import { DEFAULTS } from "../spec/defaults";
import { ZoneSpread } from "../args/enums";
import type { ResolvedSpec } from "../spec/specTypes";
import { HA_ANNOTATIONS } from "./availability";

/** Pod label (`app.kubernetes.io/component`) of the CloudNativePG instances, for NetworkPolicies. */
export const CNPG_ROLE = "postgres-ha";
/** The instance manager's status port, polled by the operator. */
export const CNPG_STATUS_PORT = 8000;
/** The CRD of the `Cluster` kind; the component reads it so a missing operator fails `preview`. */
export const CNPG_CRD = "clusters.postgresql.cnpg.io";
/** Default namespace of the CloudNativePG operator. */
export const DEFAULT_CNPG_OPERATOR_NAMESPACE: string = DEFAULTS["kubernetes.cnpgOperatorNamespace"].value;
/** The Cluster's name: its Services are `<cluster>-rw`, `-ro`, `-r`; its CA Secret `<cluster>-ca`. */
export const cnpgClusterName = (name: string): string => `${name}-pg`;

/** The `Cluster` object's spec (pure: tested against the CRD schema). */
export function cnpgClusterSpec(spec: ResolvedSpec, o: { cluster: string; appSecretName: string; labels: { [key: string]: string }; image: string }) {
    const db = spec.database;
    const selector = { "cnpg.io/cluster": o.cluster };
    const whenUnsatisfiable = spec.pod.zoneSpread === ZoneSpread.Required ? "DoNotSchedule" : "ScheduleAnyway";
    const knobs = spec.knobs.postgres;
    return {
        instances: db.instances,
        imageName: o.image,
        ...(knobs.imagePullSecrets.length ? { imagePullSecrets: knobs.imagePullSecrets.map((n) => ({ name: n })) } : {}),
        // The pods carry the release's labels: the default-deny NetworkPolicy covers them and the
        // `postgres-ha` policy admits exactly their flows.
        inheritedMetadata: { labels: { ...o.labels, "app.kubernetes.io/component": CNPG_ROLE } },
        enablePDB: true,
        enableSuperuserAccess: false,
        primaryUpdateStrategy: "unsupervised",
        primaryUpdateMethod: "switchover",
        postgresql: cnpgPostgresql(db),
        bootstrap: {
            initdb: {
                database: db.name,
                owner: APP_DB_USER,
                secret: { name: o.appSecretName },
                // Runs once, as the superuser, in the app database (the bootstrap Job's pgvector step).
                postInitApplicationSQL: ["CREATE EXTENSION IF NOT EXISTS vector"],
            },
        },
        // Keeps the app role's password in sync with the Secret after initdb (rotation).
        managed: { roles: [cnpgAppRole(o.appSecretName)] },
        storage: { size: `${db.storageGb}Gi`, ...(spec.kubernetes.storageClassName ? { storageClass: spec.kubernetes.storageClassName } : {}) },
        affinity: {
            enablePodAntiAffinity: true,
            topologyKey: "kubernetes.io/hostname",
            // Required would leave instances Pending on clusters with fewer nodes than instances.
            podAntiAffinityType: "preferred",
            ...(knobs.nodeSelector ? { nodeSelector: knobs.nodeSelector } : {}),
            ...(knobs.tolerations ? { tolerations: knobs.tolerations } : {}),
        },
        topologySpreadConstraints: knobs.topologySpreadConstraints ?? [
            { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable, labelSelector: { matchLabels: selector } },
        ],
        ...(knobs.priorityClassName ? { priorityClassName: knobs.priorityClassName } : {}),
        resources: {
            requests: { cpu: knobs.cpuRequest ?? "250m", memory: knobs.memoryRequest ?? "512Mi" },
            limits: { memory: knobs.memoryLimit ?? "2Gi", ...(knobs.cpuLimit ? { cpu: knobs.cpuLimit } : {}) },
        },
        ...cnpgBackup(db),
    };
}

type DatabaseSpec = ResolvedSpec["database"];

/** The `postgresql` section: connection limit, SCRAM passwords and, with synchronous replicas, how durable a commit is. */
function cnpgPostgresql(db: DatabaseSpec) {
    return {
        parameters: {
            max_connections: String(db.maxConnections),
            password_encryption: "scram-sha-256",
        },
        // database.synchronousReplicas: a commit is acknowledged once that many standbys have it,
        // so a promoted standby holds every acknowledged chat (failover.itest.ts B1 vs B2).
        ...(db.synchronousReplicas > 0
            ? {
                  synchronous: {
                      method: "any",
                      number: db.synchronousReplicas,
                      dataDurability: db.instances >= db.synchronousReplicas + 2 ? "required" : "preferred",
                  },
              }
            : {}),
    };
}

/** The app role the operator manages: login only, its password kept in sync with the Secret after initdb (rotation). */
function cnpgAppRole(appSecretName: string) {
    return {
        name: APP_DB_USER,
        ensure: "present",
        login: true,
        superuser: false,
        createdb: false,
        createrole: false,
        inherit: true,
        passwordSecret: { name: appSecretName },
    };
}

/** The `backup` section (Barman to the object store) when `database.backup` is set, else nothing. */
function cnpgBackup(db: DatabaseSpec) {
    return db.backup
        ? {
              backup: {
                  retentionPolicy: db.backup.retentionPolicy ?? `${db.backupRetentionDays}d`,
                  barmanObjectStore: {
                      destinationPath: db.backup.destinationPath,
                      ...(db.backup.endpointUrl ? { endpointURL: db.backup.endpointUrl } : {}),
                      s3Credentials: {
                          accessKeyId: { name: db.backup.credentialsSecretName, key: "ACCESS_KEY_ID" },
                          secretAccessKey: { name: db.backup.credentialsSecretName, key: "ACCESS_SECRET_KEY" },
                      },
                      wal: { compression: "gzip" },
                      data: { compression: "gzip" },
                  },
              },
          }
        : {};
}

/**
 * The CloudNativePG database: the app role's Secret, the `Cluster`, a `ScheduledBackup` when
 * `database.backup` is set; DATABASE_URL (the `-rw` Service, TLS required) into the app Secret.
 */
export function provisionCnpg(w: WiringContext, appSecretData: AppSecretData, backends: Backend[]): DatabaseWiring {
    const { name, spec, namespace, labels, child, k8sOpts } = w;
    const cluster = cnpgClusterName(name);
    const appPassword = new random.RandomPassword(`${name}-db-app-password`, { length: 40, special: false }, child());
    const appSecretName = `${cluster}-app-user`;
    const secret = new k8s.core.v1.Secret(
        appSecretName,
        {
            metadata: { name: appSecretName, namespace, labels: { ...labels, "cnpg.io/reload": "true" } },
            type: "kubernetes.io/basic-auth",
            stringData: { username: APP_DB_USER, password: appPassword.result },
        },
        k8sOpts(),
    );
    const clusterLabels = { ...labels, "app.kubernetes.io/component": CNPG_ROLE };
    // The operator's CRD, read from the cluster: without it `preview` fails here, naming it. (The
    // kubernetes provider previews a custom resource of an unknown kind without complaint; `up`
    // would then fail half-way, after the other objects were created.)
    const crd = k8s.apiextensions.v1.CustomResourceDefinition.get(`${name}-cnpg-crd`, CNPG_CRD, child());
    const pg = new k8s.apiextensions.CustomResource(
        cluster,
        {
            apiVersion: "postgresql.cnpg.io/v1",
            kind: "Cluster",
            metadata: {
                name: cluster,
                namespace,
                labels: clusterLabels,
                annotations: HA_ANNOTATIONS.database(`CloudNativePG Cluster, ${spec.database.instances} instances`),
            },
            spec: cnpgClusterSpec(spec, { cluster, appSecretName, labels, image: spec.images.postgresHa }),
        },
        k8sOpts({ dependsOn: [...w.nsDeps, secret, crd] }),
    );
    if (spec.database.backup) {
        new k8s.apiextensions.CustomResource(
            `${cluster}-daily`,
            {
                apiVersion: "postgresql.cnpg.io/v1",
                kind: "ScheduledBackup",
                metadata: { name: `${cluster}-daily`, namespace, labels: clusterLabels },
                spec: {
                    schedule: spec.database.backup.schedule ?? DEFAULTS["database.backup.schedule"].value,
                    backupOwnerReference: "self",
                    cluster: { name: cluster },
                    method: "barmanObjectStore",
                    immediate: true,
                },
            },
            k8sOpts({ dependsOn: [pg] }),
        );
    }
    backends.push({ role: CNPG_ROLE, ports: [5432] });
    const host = serviceHost(`${cluster}-rw`, namespace, spec.kubernetes.clusterDomain);
    const url = postgresUrl({
        user: APP_DB_USER,
        password: appPassword.result,
        host,
        port: 5432,
        database: spec.database.name,
        sslMode: "require",
        timeouts: spec.database,
    });
    appSecretData.DATABASE_URL = url;
    // initdb created the extension as the superuser; the app role need not.
    return { endpoint: pulumi.interpolate`${host}:5432`, url, ready: [pg, secret], createVectorExtension: spec.database.createVectorExtension ?? false };
}
