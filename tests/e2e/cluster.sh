#!/usr/bin/env bash
# A loopback Kubernetes control plane for the real-engine suite, owned by this project
# (started from the shared toolchain's reference bring-up, which is known to work here).
#
#   cluster.sh start    etcd 3.6, kube-apiserver, controller-manager, scheduler, kwok on 127.0.0.1;
#                       three fake nodes in three zones; hostPath PVs; Gateway API CRDs;
#                       a bounded stand-in that writes Ingress load-balancer status
#   cluster.sh stop     stops every process it started, by the PID it recorded
#   cluster.sh zones on|off   labels the nodes with topology.kubernetes.io/zone, or removes the label
#
# Env: E2E_TOOLCHAIN (binaries; from env.sh), E2E_RUN (state, logs, PIDs; default $E2E_TOOLCHAIN/run-e2e),
#      E2E_INGRESS_SECONDS (how long the ingress stand-in runs; default 3600).
# Ports: 12379/12380 etcd, 16443 apiserver, 10257 controller-manager, 10259 scheduler, 10247 kwok.
set -euo pipefail
E=${E2E_TOOLCHAIN:?source the toolchain env.sh first}
R=${E2E_RUN:-$E/run-e2e}; L=$R/logs; P=$R/pki
HERE=$(cd "$(dirname "$0")" && pwd)
K() { kubectl --kubeconfig "$P/kubeconfig" "$@"; }
bin() { if [ -x "$E/bin/$1" ]; then echo "$E/bin/$1"; else command -v "$1"; fi; }

pki() {  # CA, apiserver serving cert, admin client cert (O=system:masters), service-account key pair, kubeconfig
    [ -f "$P/kubeconfig" ] && return 0
    mkdir -p "$P" && cd "$P"
    openssl genrsa -out ca.key 2048 2>/dev/null
    openssl req -x509 -new -nodes -key ca.key -subj "/CN=e2e-ca" -days 3650 -out ca.crt
    printf '[req]\ndistinguished_name=dn\n[dn]\n[v3]\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n' > server.cnf
    openssl genrsa -out apiserver.key 2048 2>/dev/null
    openssl req -new -key apiserver.key -subj "/CN=kube-apiserver" -config server.cnf -out apiserver.csr
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extensions v3 -extfile server.cnf -out apiserver.crt 2>/dev/null
    printf '[v3]\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n' > client.cnf
    openssl genrsa -out admin.key 2048 2>/dev/null
    openssl req -new -key admin.key -subj "/O=system:masters/CN=admin" -out admin.csr
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extensions v3 -extfile client.cnf -out admin.crt 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null && openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    cat > kubeconfig <<EOF
apiVersion: v1
kind: Config
clusters: [{ name: e2e, cluster: { server: "https://127.0.0.1:16443", certificate-authority: $P/ca.crt } }]
users: [{ name: admin, user: { client-certificate: $P/admin.crt, client-key: $P/admin.key } }]
contexts: [{ name: e2e, context: { cluster: e2e, user: admin } }]
current-context: e2e
EOF
    cd - >/dev/null
}

launch() {  # name cmd...: background process, PID recorded
    local n=$1; shift
    if [ -f "$R/$n.pid" ] && kill -0 "$(cat "$R/$n.pid")" 2>/dev/null; then echo "cluster.sh: $n already running"; return; fi
    nohup "$@" > "$L/$n.log" 2>&1 &
    echo $! > "$R/$n.pid"
}

wait_for() {  # seconds description cmd...
    local s=$1 what=$2; shift 2
    for _ in $(seq "$s"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
    echo "cluster.sh: $what not ready after ${s}s; log tail:" >&2; tail -20 "$L"/*.log >&2; return 1
}

nodes() {  # zone labels on|off
    for i in 0 1 2; do
        cat <<YAML | K apply -f - >/dev/null
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations: { node.alpha.kubernetes.io/ttl: "0", kwok.x-k8s.io/node: fake }
  labels: { type: kwok, kubernetes.io/hostname: kwok-node-$i, kubernetes.io/os: linux, kubernetes.io/arch: amd64 }
status:
  allocatable: { cpu: "32", memory: 256Gi, pods: "110" }
  capacity: { cpu: "32", memory: 256Gi, pods: "110" }
YAML
        if [ "$1" = on ]; then K label node "kwok-node-$i" --overwrite "topology.kubernetes.io/zone=zone-$i" >/dev/null
        else K label node "kwok-node-$i" topology.kubernetes.io/zone- >/dev/null 2>&1 || true; fi
    done
}

gateway_crds() {  # from the sigs.k8s.io/gateway-api Go module (config/crd/standard)
    local v=v1.4.0 d
    d=$(cd /tmp && go mod download -json "sigs.k8s.io/gateway-api@$v" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
    [ -d "$d/config/crd/standard" ] || { echo "cluster.sh: gateway-api $v CRDs not found" >&2; return 1; }
    K apply --server-side -f "$d/config/crd/standard" >/dev/null
    K wait --for=condition=Established --timeout=60s crd/httproutes.gateway.networking.k8s.io crd/gateways.gateway.networking.k8s.io >/dev/null
}

start() {
    mkdir -p "$R" "$L"
    pki
    launch etcd "$(bin etcd)" --name e2e --data-dir "$R/etcd-data" \
        --listen-client-urls http://127.0.0.1:12379 --advertise-client-urls http://127.0.0.1:12379 \
        --listen-peer-urls http://127.0.0.1:12380 --initial-advertise-peer-urls http://127.0.0.1:12380 \
        --initial-cluster e2e=http://127.0.0.1:12380 --unsafe-no-fsync
    wait_for 30 etcd curl -sf http://127.0.0.1:12379/health
    launch kube-apiserver "$E/bin/kube-apiserver" \
        --etcd-servers=http://127.0.0.1:12379 --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port=16443 \
        --cert-dir="$R/apiserver-certs" --tls-cert-file="$P/apiserver.crt" --tls-private-key-file="$P/apiserver.key" \
        --client-ca-file="$P/ca.crt" --service-account-issuer=https://kubernetes.default.svc.cluster.local \
        --service-account-key-file="$P/sa.pub" --service-account-signing-key-file="$P/sa.key" \
        --service-cluster-ip-range=10.0.0.0/24 --authorization-mode=RBAC --allow-privileged=true --endpoint-reconciler-type=none
    wait_for 90 kube-apiserver K get --raw /readyz
    # node-lifecycle stays on (it removes the not-ready taint); no cloud controllers.
    launch kube-controller-manager "$E/bin/kube-controller-manager" \
        --kubeconfig="$P/kubeconfig" --authentication-kubeconfig="$P/kubeconfig" --authorization-kubeconfig="$P/kubeconfig" \
        --bind-address=127.0.0.1 --secure-port=10257 --leader-elect=false \
        --service-account-private-key-file="$P/sa.key" --root-ca-file="$P/ca.crt" --use-service-account-credentials=false \
        --controllers='*,-nodeipam,-cloud-node-lifecycle,-service,-route' \
        --cluster-signing-cert-file="$P/ca.crt" --cluster-signing-key-file="$P/ca.key"
    launch kube-scheduler "$E/bin/kube-scheduler" \
        --kubeconfig="$P/kubeconfig" --authentication-kubeconfig="$P/kubeconfig" --authorization-kubeconfig="$P/kubeconfig" \
        --bind-address=127.0.0.1 --secure-port=10259 --leader-elect=false
    launch kwok "$E/bin/kwok" --config="${E2E_KWOK_STAGES:-$E/kwok-stages.yaml}" --kubeconfig="$P/kubeconfig" \
        --manage-all-nodes=true --server-address=127.0.0.1:10247 --cidr=10.0.1.0/24 --node-ip=127.0.0.1
    nodes on
    for i in $(seq 0 23); do  # no provisioner (and hostPath PVs are never recycled): enough: hostPath PVs for the in-cluster StatefulSets
        cat <<YAML | K apply -f - >/dev/null
apiVersion: v1
kind: PersistentVolume
metadata: { name: pv-$i }
spec:
  capacity: { storage: 1Ti }
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Delete
  hostPath: { path: $R/pv-$i }
YAML
    done
    gateway_crds
    launch fake-ingress bash "$HERE/fake-ingress-controller.sh" "${E2E_INGRESS_SECONDS:-3600}"
    wait_for 60 "node kwok-node-0 Ready" K wait --for=condition=Ready --timeout=1s node/kwok-node-0
    K wait --for=condition=Ready --timeout=60s node --all >/dev/null
    echo "cluster.sh: up (KUBECONFIG=$P/kubeconfig)"
}

stop() {
    for n in fake-ingress kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
        [ -f "$R/$n.pid" ] || continue
        p=$(cat "$R/$n.pid")
        if kill "$p" 2>/dev/null; then
            for _ in $(seq 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
            kill -9 "$p" 2>/dev/null || true
            echo "cluster.sh: stopped $n ($p)"
        fi
        rm -f "$R/$n.pid"
    done
    rm -rf "$R/etcd-data" "$R"/pv-*
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    zones) nodes "${2:?on|off}" ;;
    *) echo "usage: cluster.sh start|stop|zones on|off" >&2; exit 2 ;;
esac
