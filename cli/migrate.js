// `npx openwebui migrate …`: runs the importer (migrate/openwebui_import.py, shipped in the package)
// with a Python that can import open_webui (the pinned Open WebUI release), passing every argument on.
"use strict";
const { spawnSync } = require("child_process");
const path = require("path");

const SCRIPT = path.join(__dirname, "..", "migrate", "openwebui_import.py");
const HELP = `usage: npx openwebui migrate [--python PATH] --source-data-dir DIR [importer options]

Moves a single-instance Open WebUI (DATA_DIR: webui.db + -wal/-shm, uploads/, vector_db/) into the
cluster's PostgreSQL (+pgvector) and object storage. Run it with the SAME env the app pods get
(DATABASE_URL, STORAGE_PROVIDER + S3_*/GCS_*/AZURE_STORAGE_*, VECTOR_DB, PGVECTOR_*, WEBUI_SECRET_KEY),
with a Python where the pinned open-webui is installed (--python PATH; default: python3).

  --python PATH          interpreter with open_webui importable (default python3)
  (every other option goes to the importer: --dry-run, --vectors copy|reembed|skip,
   --on-nonempty refuse|merge|replace, --uploads-dir, --work-dir, --json, ...; see below)

Exit: 0 done (last stdout line: JSON summary), 2 refused before any write, 1 failed (rerun continues).

Without Node, in the pinned image (the source DATA_DIR mounted read-only):
  docker run --rm --env-file app.env -e DATA_DIR=/tmp/scratch \\
    -v /srv/openwebui-data:/source:ro -v "$PWD/node_modules/openwebui/migrate:/migrate:ro" \\
    ghcr.io/open-webui/open-webui:<pinned> python3 /migrate/openwebui_import.py --source-data-dir /source --dry-run
`;

function main(argv) {
    let python = "python3";
    const rest = [];
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--python") python = argv[++i];
        else if (argv[i].startsWith("--python=")) python = argv[i].slice("--python=".length);
        else rest.push(argv[i]);
    }
    if (rest.includes("--help") || rest.includes("-h") || rest.length === 0) {
        process.stdout.write(HELP + "\n");
        if (rest.length === 0) process.exit(0);
    }
    const probe = spawnSync(python, ["-c", "import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('open_webui') else 3)"], { stdio: "ignore" });
    if (probe.error || probe.status !== 0) {
        process.stderr.write(
            `openwebui migrate: ${python} cannot import open_webui (${probe.error ? probe.error.message : `exit ${probe.status}`}): pass --python PATH of the pinned Open WebUI's Python, or run the container command in --help\n`,
        );
        process.exit(2);
    }
    const r = spawnSync(python, [SCRIPT, ...rest], { stdio: "inherit" });
    process.exit(r.status === null ? 1 : r.status);
}

module.exports = { main, HELP };
