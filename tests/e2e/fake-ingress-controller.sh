#!/usr/bin/env bash
# Stand-in for an ingress controller on the loopback cluster: gives every Ingress without a
# load-balancer status the address 127.0.0.1, so pulumi-kubernetes' Ingress await can finish.
# Bounded: exits after ${1:-900} seconds. Started and stopped by cluster.sh (PID recorded).
set -u
export KUBECONFIG=${KUBECONFIG:-${E2E_RUN:-${E2E_TOOLCHAIN:?}/run-e2e}/pki/kubeconfig}
end=$(( $(date +%s) + ${1:-900} ))
while [ "$(date +%s)" -lt "$end" ]; do
    kubectl get ingress -A -o json 2>/dev/null | python3 -c '
import json, sys
for i in json.load(sys.stdin)["items"]:
    if not i.get("status", {}).get("loadBalancer", {}).get("ingress"):
        print(i["metadata"]["namespace"], i["metadata"]["name"])' |
        while read -r ns n; do
            kubectl -n "$ns" patch ingress "$n" --subresource=status --type=merge \
                -p '{"status":{"loadBalancer":{"ingress":[{"ip":"127.0.0.1"}]}}}' >/dev/null && echo "patched $ns/$n"
        done
    sleep 1
done
