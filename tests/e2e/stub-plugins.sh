#!/usr/bin/env bash
# The aws, gcp and azure-native provider plugins cannot be built or downloaded on this machine,
# but installing this repository as a source-based plugin package (`pulumi package get-schema .`,
# `pulumi package add`, a YAML/Python program's `packages:`) installs the plugin of every
# provider SDK in its package.json first. Where a real plugin of that version is not installed,
# this installs a placeholder that fails loudly if the engine ever starts it: the kubernetes
# target registers no aws/gcp/azure resource, so the engine never does. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
stub=$(mktemp -d)/provider-unavailable
printf '#!/bin/sh\necho "placeholder plugin (tests/e2e/stub-plugins.sh): this cloud provider cannot run here" >&2\nexit 1\n' > "$stub"
chmod +x "$stub"
for pkg in aws gcp azure-native; do
    # The version npm installed (the cloud SDKs are optional peers, installed here as devDependencies).
    v=$(node -p "try { require('./node_modules/@pulumi/$pkg/package.json').version } catch (e) { '' }")
    [ -n "$v" ] || continue
    if pulumi plugin ls 2>/dev/null | awk '{print $1, $3}' | grep -qx "$pkg $v"; then continue; fi
    pulumi plugin install resource "$pkg" "$v" --file "$stub" >/dev/null
    echo "stub-plugins.sh: placeholder $pkg $v installed"
done
