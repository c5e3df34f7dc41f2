#!/usr/bin/env bash
# Runs the integration suite against real servers on 127.0.0.1 (PostgreSQL + pgvector, Redis,
# Open WebUI 0.12.4). Installs what is missing first (tests/integration/setup.sh), unless
# IT_SKIP_SETUP=1. Bounded: the mocha run is killed after IT_TIMEOUT seconds (default 3600: ~30 min on 2 idle cores, the HA drills ~12 min, failover ~6, migration ~7, telemetry ~5).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${IT_SKIP_SETUP:-0}" != 1 ]; then
    bash tests/integration/setup.sh
fi
start=$(date +%s)
# --no-config: the repo's .mocharc.json would add the unit tests (tests/**/*.test.ts).
set +e
timeout --signal=TERM --kill-after=30 "${IT_TIMEOUT:-3600}" \
    npx mocha --no-config --require ts-node/register/transpile-only --timeout 600000 --exit \
    'tests/integration/*.itest.ts' "$@"
rc=$?
set -e
echo "integration suite: $(( $(date +%s) - start ))s, exit $rc"
exit $rc
