// `redis.mode: inClusterHa`: Valkey with Sentinel as the component's own StatefulSets (no
// operator, no Bitnami): 3 Valkey pods (the first start makes ordinal 0 the primary and the others
// its replicas; later starts ask the Sentinels who the primary is), 3 Sentinels with the same
// password (`requirepass`; Open WebUI >= 0.12.1 authenticates to them with REDIS_URL's password),
// hostnames announced through headless Services, PDBs and anti-affinity. Open WebUI gets the
// Sentinel env it already reads for external Sentinels.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { DEFAULT_CLUSTER_DOMAIN } from "../spec/addresses";
import { withPodKnobs } from "../kubernetes/podKnobs";
import { restrictedContainerSecurity, restrictedPodSecurity } from "../kubernetes/security";
import { HA_ANNOTATIONS } from "./availability";
import type { InClusterCommon } from "./serviceCredentials";
import { withDependsOn } from "../wiring";

/**
 * The Sentinel settings the component emits, one constant for the failover drills
 * (tests/integration) to import. Chosen for a recovery under 15 s: the primary is declared down
 * after 5 s, the failover itself takes ~1-2 s, and Open WebUI's Sentinel client re-resolves the
 * master on its next connection error.
 */
export const SENTINEL_SETTINGS = {
    /** `sentinel monitor <masterName> ...`; also REDIS_URL's host (Open WebUI reads the master name there). */
    masterName: "openwebui",
    /** Sentinels that must agree the primary is down (of 3). */
    quorum: 2,
    downAfterMilliseconds: 5000,
    failoverTimeoutMilliseconds: 10000,
    parallelSyncs: 1,
    valkeyPort: 6379,
    sentinelPort: 26379,
    /** Valkey and Sentinel pods. */
    replicas: 3,
} as const;

export const VALKEY_ROLE = "valkey";
export const SENTINEL_ROLE = "sentinel";

/** The common in-cluster args; `secretName` holds REDIS_PASSWORD (Valkey `requirepass`/`masterauth`, Sentinel `requirepass`/`auth-pass`). */
export type ValkeySentinelArgs = InClusterCommon;

/** `<service>.<namespace>.svc.<domain>` as a plain string (the namespace is known at construction). */
const svcHost = (svc: string, ns: string, domain: string | undefined): string => `${svc}.${ns}.svc.${domain ?? DEFAULT_CLUSTER_DOMAIN}`;

/** FQDNs of the pods of a StatefulSet behind its headless Service. */
export function podHosts(sts: string, ns: string, domain: string | undefined): string[] {
    return Array.from({ length: SENTINEL_SETTINGS.replicas }, (_, i) => svcHost(`${sts}-${i}.${sts}`, ns, domain));
}

/** Shell of the Valkey container: replica of the Sentinels' primary, else of ordinal 0 (first start). */
export const VALKEY_START = `set -eu
ME="$(hostname).$VALKEY_SVC"
M=""
for s in $SENTINELS; do
  M="$(REDISCLI_AUTH="$REDIS_PASSWORD" timeout 3 valkey-cli -h "$s" -p ${SENTINEL_SETTINGS.sentinelPort} SENTINEL get-master-addr-by-name "$MASTER_NAME" 2>/dev/null | head -n 1 || true)"
  [ -n "$M" ] && break
done
if [ -z "$M" ]; then M="$VALKEY_STS-0.$VALKEY_SVC"; fi
REPL=""
if [ "$M" != "$ME" ]; then REPL="--replicaof $M ${SENTINEL_SETTINGS.valkeyPort}"; fi
exec valkey-server --port ${SENTINEL_SETTINGS.valkeyPort} --requirepass "$REDIS_PASSWORD" --masterauth "$REDIS_PASSWORD" \\
  --replica-announce-ip "$ME" --timeout 1800 --maxclients 10000 --appendonly yes --dir /data --protected-mode no $REPL`;

/** Shell of the Sentinel container: a fresh config each start (peers and the primary are rediscovered). */
export const SENTINEL_START = `set -eu
ME="$(hostname).$SENTINEL_SVC"
M=""
for s in $SENTINELS; do
  [ "$s" = "$ME" ] && continue
  M="$(REDISCLI_AUTH="$REDIS_PASSWORD" timeout 3 valkey-cli -h "$s" -p ${SENTINEL_SETTINGS.sentinelPort} SENTINEL get-master-addr-by-name "$MASTER_NAME" 2>/dev/null | head -n 1 || true)"
  [ -n "$M" ] && break
done
if [ -z "$M" ]; then M="$VALKEY_STS-0.$VALKEY_SVC"; fi
# Sentinel refuses a monitor whose hostname does not resolve yet (the first pods start together).
i=0; until getent hosts "$M" >/dev/null 2>&1 || [ $i -ge 60 ]; do i=$((i + 1)); sleep 1; done
cat > /data/sentinel.conf <<EOF
port ${SENTINEL_SETTINGS.sentinelPort}
sentinel resolve-hostnames yes
sentinel announce-hostnames yes
sentinel announce-ip $ME
requirepass $REDIS_PASSWORD
sentinel monitor $MASTER_NAME $M ${SENTINEL_SETTINGS.valkeyPort} ${SENTINEL_SETTINGS.quorum}
sentinel auth-pass $MASTER_NAME $REDIS_PASSWORD
sentinel down-after-milliseconds $MASTER_NAME ${SENTINEL_SETTINGS.downAfterMilliseconds}
sentinel failover-timeout $MASTER_NAME ${SENTINEL_SETTINGS.failoverTimeoutMilliseconds}
sentinel parallel-syncs $MASTER_NAME ${SENTINEL_SETTINGS.parallelSyncs}
EOF
exec valkey-sentinel /data/sentinel.conf`;

function antiAffinity(selector: { [key: string]: string }): k8s.types.input.core.v1.Affinity {
    return {
        podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: selector } } },
                { weight: 50, podAffinityTerm: { topologyKey: "topology.kubernetes.io/zone", labelSelector: { matchLabels: selector } } },
            ],
        },
    };
}

/** One headless Service, StatefulSet and PDB (maxUnavailable 1: 2 of 3 keep the quorum). */
function statefulRole(
    name: string,
    role: string,
    a: ValkeySentinelArgs,
    port: number,
    container: k8s.types.input.core.v1.Container,
    data: "pvc" | "emptyDir",
    opts: pulumi.CustomResourceOptions,
) {
    const sts = `${name}-${role}`;
    const labels = { ...a.labels, "app.kubernetes.io/component": role };
    const selector = { "app.kubernetes.io/instance": a.labels["app.kubernetes.io/instance"], "app.kubernetes.io/component": role };
    const service = new k8s.core.v1.Service(
        sts,
        {
            metadata: { name: sts, namespace: a.namespace, labels },
            // Headless, with the addresses of pods not yet ready: the peers find each other while starting.
            spec: { clusterIP: "None", publishNotReadyAddresses: true, selector, ports: [{ name: role, port, targetPort: port }] },
        },
        opts,
    );
    const statefulSet = new k8s.apps.v1.StatefulSet(
        sts,
        {
            metadata: { name: sts, namespace: a.namespace, labels, annotations: HA_ANNOTATIONS.redis(`${role}: ${SENTINEL_SETTINGS.replicas} pods`) },
            spec: {
                serviceName: sts,
                replicas: SENTINEL_SETTINGS.replicas,
                podManagementPolicy: "Parallel",
                selector: { matchLabels: selector },
                template: withPodKnobs(
                    {
                        metadata: { labels },
                        spec: {
                            automountServiceAccountToken: false,
                            securityContext: restrictedPodSecurity(999, 1000),
                            terminationGracePeriodSeconds: 30,
                            affinity: antiAffinity(selector),
                            containers: [container],
                            ...(data === "emptyDir" ? { volumes: [{ name: "data", emptyDir: {} }] } : {}),
                        },
                    },
                    a.knobs,
                    { main: [container.name as string], selector },
                ),
                ...(data === "pvc"
                    ? {
                          volumeClaimTemplates: [
                              {
                                  metadata: { name: "data" },
                                  spec: {
                                      accessModes: ["ReadWriteOnce"],
                                      storageClassName: a.storageClassName,
                                      resources: { requests: { storage: `${a.storageGb}Gi` } },
                                  },
                              },
                          ],
                          persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
                      }
                    : {}),
            },
        },
        withDependsOn(opts, [service]),
    );
    const pdb = new k8s.policy.v1.PodDisruptionBudget(
        sts,
        {
            metadata: { name: sts, namespace: a.namespace, labels },
            spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
        },
        opts,
    );
    return { service, statefulSet, pdb };
}

/** Valkey + Sentinel; returns REDIS_URL's parts and the Sentinel hosts for Open WebUI. */
export function valkeySentinel(name: string, a: ValkeySentinelArgs, opts: pulumi.CustomResourceOptions) {
    const valkeySts = `${name}-${VALKEY_ROLE}`;
    const sentinelSts = `${name}-${SENTINEL_ROLE}`;
    const valkeySvc = svcHost(valkeySts, a.namespace, a.clusterDomain);
    const sentinelSvc = svcHost(sentinelSts, a.namespace, a.clusterDomain);
    const sentinelHosts = podHosts(sentinelSts, a.namespace, a.clusterDomain);
    const password = { name: "REDIS_PASSWORD", valueFrom: { secretKeyRef: { name: a.secretName, key: "REDIS_PASSWORD" } } };
    const common = [
        password,
        { name: "MASTER_NAME", value: SENTINEL_SETTINGS.masterName },
        { name: "SENTINELS", value: sentinelHosts.join(" ") },
        { name: "VALKEY_STS", value: valkeySts },
        { name: "VALKEY_SVC", value: valkeySvc },
        { name: "SENTINEL_SVC", value: sentinelSvc },
    ];
    const container = (cname: string, port: number, script: string, memory: [string, string]): k8s.types.input.core.v1.Container => ({
        name: cname,
        image: a.image,
        command: ["sh", "-c", script],
        env: common,
        ports: [{ name: cname === "valkey" ? "redis" : cname, containerPort: port }],
        readinessProbe: {
            exec: { command: ["sh", "-c", `REDISCLI_AUTH="$REDIS_PASSWORD" valkey-cli -p ${port} ping | grep -q PONG`] },
            periodSeconds: 5,
            timeoutSeconds: 3,
        },
        livenessProbe: { tcpSocket: { port }, periodSeconds: 20 },
        volumeMounts: [{ name: "data", mountPath: "/data" }],
        securityContext: restrictedContainerSecurity(),
        resources: { requests: { cpu: cname === "valkey" ? "100m" : "50m", memory: memory[0] }, limits: { memory: memory[1] } },
    });
    const valkey = statefulRole(
        name,
        VALKEY_ROLE,
        a,
        SENTINEL_SETTINGS.valkeyPort,
        container("valkey", SENTINEL_SETTINGS.valkeyPort, VALKEY_START, ["256Mi", "1Gi"]),
        "pvc",
        opts,
    );
    const sentinel = statefulRole(
        name,
        SENTINEL_ROLE,
        a,
        SENTINEL_SETTINGS.sentinelPort,
        container("sentinel", SENTINEL_SETTINGS.sentinelPort, SENTINEL_START, ["64Mi", "128Mi"]),
        "emptyDir",
        opts,
    );
    return {
        valkey,
        sentinel,
        /** Comma-separated Sentinel pod FQDNs (REDIS_SENTINEL_HOSTS). */
        sentinelHosts: sentinelHosts.join(","),
        sentinelPort: SENTINEL_SETTINGS.sentinelPort,
        masterName: SENTINEL_SETTINGS.masterName,
        ready: [valkey.statefulSet, sentinel.statefulSet],
    };
}
