#!/usr/bin/env bash
# Builds the validation collector (manifest.yaml) with the OpenTelemetry Collector Builder and
# prints the binary's path on the last line. Cached under $OTELCOL_CACHE (default
# ~/.cache/openwebui-otelcol) keyed by the manifest's hash: seconds warm. CPU-bound and shared:
# runs under `nice -n 19`, with GOMAXPROCS (default 1) bounding the Go compiler's parallelism.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
manifest=$here/manifest.yaml
cache=${OTELCOL_CACHE:-$HOME/.cache/openwebui-otelcol}
key=$(cat "$manifest" "$here/build.sh" | sha256sum | cut -c1-16)
out=$cache/$key
bin=$out/otelcol-openwebui
if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
    echo "collector: cached ($key)"; echo "$bin"; exit 0
fi
command -v go >/dev/null || { echo "collector: go is not installed" >&2; exit 1; }
export GOMAXPROCS=${GOMAXPROCS:-1} GOFLAGS=${GOFLAGS:--buildvcs=false} GOTOOLCHAIN=${GOTOOLCHAIN:-local}
builder_version=v0.165.0
mkdir -p "$cache/bin"
builder=$cache/bin/builder-$builder_version
start=$(date +%s)
if [ ! -x "$builder" ]; then
    GOBIN=$cache/bin nice -n 19 go install "go.opentelemetry.io/collector/cmd/builder@$builder_version"
    mv "$cache/bin/builder" "$builder"
fi
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
sed "s|^dist:|dist:\n  output_path: $out.tmp/src|" "$manifest" >"$out.tmp/manifest.yaml"
nice -n 19 "$builder" --config "$out.tmp/manifest.yaml" --skip-compilation=false
mv "$out.tmp/src/otelcol-openwebui" "$out.tmp/otelcol-openwebui"
rm -rf "$out.tmp/src" "$out" && mv "$out.tmp" "$out"
echo "collector: built $key in $(( $(date +%s) - start ))s (GOMAXPROCS=$GOMAXPROCS)"
echo "$bin"
