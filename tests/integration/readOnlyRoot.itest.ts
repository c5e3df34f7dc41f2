// Integration: the read-only root filesystem, run for real (issue 12 #4). What the component emits
// for the serving pod (the `seed-data` init container's script and env, the serving container's
// PYTHONUSERBASE / PIP_USER / PIP_CACHE_DIR) is executed as an unprivileged user against:
// - a stand-in for the image: root-owned model caches at IMAGE_CACHE_DIR and a root-owned Python
//   whose site-packages the pod's user cannot write (the official image's system interpreter:
//   python:3.11-slim, no venv, user site enabled; here a `--system-site-packages` venv of
//   Debian's python3, which behaves the same for `pip --user`);
// - Open WebUI's own requirement install: the exact `pip install` call of the pinned release's
//   utils/plugin.py (asserted from its source below), installing a wheel built locally (no network).
// The negative controls show each half of the fix is needed: without the env pip fails, without
// the init step the running server cannot import what pip installed.
import "../harness"; // setMocks first
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ofType, reset, settle } from "../harness";
import { OpenWebUiCluster } from "../../index";
import { CloudTarget } from "../../components/args/types";
import { DATA_DIR } from "../../components/env/env";
import { resolveEnv } from "./lib/component";
import { packageDir, PYTHON } from "./lib/openwebui";
import { IS_ROOT, IT_USER, cleanupAll, run, tempDir, userIds } from "./lib/procs";

const PROBE_PKG = "owui_ro_probe";

/** A minimal wheel (a zip with dist-info), so pip installs it without any index. */
function buildWheel(dir: string): string {
    const file = path.join(dir, `${PROBE_PKG}-1.0-py3-none-any.whl`);
    const py = [
        "import sys, zipfile",
        "name, ver = sys.argv[2], '1.0'",
        "di = f'{name}-{ver}.dist-info'",
        "files = {f'{name}/__init__.py': 'VALUE = 42\\n',",
        "         f'{di}/METADATA': f'Metadata-Version: 2.1\\nName: {name}\\nVersion: {ver}\\n',",
        "         f'{di}/WHEEL': 'Wheel-Version: 1.0\\nGenerator: it\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n'}",
        "with zipfile.ZipFile(sys.argv[1], 'w') as z:",
        "    for n, c in files.items(): z.writestr(n, c)",
        "    z.writestr(f'{di}/RECORD', ''.join(f'{n},,\\n' for n in files) + f'{di}/RECORD,,\\n')",
    ].join("\n");
    run(PYTHON, ["-c", py, file, PROBE_PKG]);
    return file;
}

/**
 * The server's side: a Python process that is already running when the requirement is installed
 * (as Open WebUI is when a tool is saved), installs it with Open WebUI's call, then imports it.
 */
/** Open WebUI's install call, as utils/plugin.py of the pinned release writes it (checked below). */
const OPEN_WEBUI_PIP_CALL = "[sys.executable, '-m', 'pip', 'install'] + PIP_OPTIONS + new_reqs + PIP_PACKAGE_INDEX_OPTIONS";
const SERVER_STANDIN = [
    "import importlib, site, subprocess, sys, os",
    "print('user site', site.ENABLE_USER_SITE, site.getusersitepackages(), 'on sys.path:', site.getusersitepackages() in sys.path)",
    "PIP_OPTIONS = os.getenv('PIP_OPTIONS', '').split()",
    "PIP_PACKAGE_INDEX_OPTIONS = os.getenv('PIP_PACKAGE_INDEX_OPTIONS', '').split()",
    "new_reqs = [sys.argv[1]]",
    `subprocess.check_call(${OPEN_WEBUI_PIP_CALL})`,
    "importlib.invalidate_caches()",
    `import ${PROBE_PKG}`,
    `print('imported', ${PROBE_PKG}.VALUE, ${PROBE_PKG}.__file__)`,
].join("\n");

describe("read-only root filesystem: image caches and tool requirements (real pip, unprivileged)", function () {
    this.timeout(300_000);
    let init: any;
    let serveEnv: Record<string, string>;
    let owner: { uid: number; gid: number } | undefined;
    let image: string; // stand-in for the image's /app/backend/data/cache
    let python: string; // stand-in for the image's interpreter
    let wheel: string;

    before(async () => {
        reset();
        new OpenWebUiCluster("ro", { target: CloudTarget.Kubernetes, hostname: "chat.example.com", otel: { enabled: false } });
        await settle();
        const dep = ofType("kubernetes:apps/v1:Deployment").find((d) => d.name === "ro")!;
        init = dep.plain.spec.template.spec.initContainers.find((c: any) => c.name === "seed-data");
        assert.ok(init, "the Deployment has no seed-data init container");
        serveEnv = resolveEnv(dep.plain.spec.template.spec.containers.find((c: any) => c.name === "open-webui"));
        owner = IS_ROOT ? userIds(IT_USER) : undefined;

        // Image files are root's and world-readable (mkdtemp makes 0700 dirs).
        image = tempDir("image-cache");
        fs.chmodSync(image, 0o755);
        fs.mkdirSync(path.join(image, "tiktoken"), { recursive: true });
        fs.writeFileSync(path.join(image, "tiktoken", "9b5ad71b2ce5302211f9c61530b329a4922fc6a4"), "cl100k ranks\n");
        fs.mkdirSync(path.join(image, "embedding", "models", "models--sentence-transformers--all-MiniLM-L6-v2"), { recursive: true });
        fs.writeFileSync(path.join(image, "embedding", "models", "models--sentence-transformers--all-MiniLM-L6-v2", "config.json"), "{}\n");

        const sys = tempDir("image-python");
        fs.chmodSync(sys, 0o755);
        const base = ["/usr/bin/python3", "python3"].find((p) => run(p, ["-c", "print(1)"], { check: false }).status === 0);
        assert.ok(base, "no python3 on this machine (tests/integration/setup.sh installs it)");
        run(base!, ["-m", "venv", "--system-site-packages", path.join(sys, "py")]);
        python = path.join(sys, "py", "bin", "python");
        // Not root: we own the interpreter, so take the write bit away (root runs the pod as IT_USER instead).
        if (!IS_ROOT) run("chmod", ["-R", "a-w", path.join(sys, "py", "lib")]);
        wheel = buildWheel(tempDir("wheel"));
        fs.chmodSync(path.dirname(wheel), 0o755);
    });
    after(async () => {
        await cleanupAll();
    });

    /** The pod's data emptyDir (writable by the pod's user, as fsGroup makes it) and its /tmp. */
    function podVolumes() {
        return { data: tempDir("data", owner), tmp: tempDir("tmp", owner) };
    }
    /** Container paths mapped onto the test's volumes. */
    function localize(v: string, vol: { data: string; tmp: string }): string {
        if (v === DATA_DIR || v.startsWith(`${DATA_DIR}/`)) return vol.data + v.slice(DATA_DIR.length);
        if (v === "/tmp" || v.startsWith("/tmp/")) return vol.tmp + v.slice("/tmp".length);
        throw new Error(`${v}: neither on the data volume nor on /tmp (the root filesystem is read-only)`);
    }
    function runSeed(vol: { data: string }) {
        const env: NodeJS.ProcessEnv = { PATH: `${path.dirname(python)}:/usr/bin:/bin` };
        for (const e of init.env) env[e.name] = e.value;
        // The init container's mount (/seed) and the image's cache path, mapped.
        env.SEED_DIR = vol.data;
        env.IMAGE_CACHE_DIR = image;
        env.PYTHONUSERBASE = init.env.find((e: any) => e.name === "PYTHONUSERBASE").value.replace(init.volumeMounts[0].mountPath, vol.data);
        const [cmd, ...args] = init.command;
        return run(cmd, args, { env, ...owner });
    }
    function runServer(vol: { data: string; tmp: string }, withComponentEnv: boolean) {
        const env: NodeJS.ProcessEnv = { PATH: `${path.dirname(python)}:/usr/bin:/bin`, HOME: localize(serveEnv.HOME, vol) };
        if (withComponentEnv) {
            env.PIP_USER = serveEnv.PIP_USER;
            for (const k of ["PYTHONUSERBASE", "PIP_CACHE_DIR"]) env[k] = localize(serveEnv[k], vol);
        }
        env.PIP_NO_INDEX = "1"; // the wheel is local: never reach an index
        env.PIP_DISABLE_PIP_VERSION_CHECK = "1";
        return run(python, ["-c", SERVER_STANDIN, wheel], { env, ...owner, check: false, timeoutMs: 120_000 });
    }

    it("the pinned release installs requirements with `python -m pip install` + PIP_OPTIONS (what the env steers)", () => {
        const src = fs.readFileSync(path.join(packageDir(), "utils", "plugin.py"), "utf8");
        assert.ok(src.includes(OPEN_WEBUI_PIP_CALL), "utils/plugin.py no longer installs requirements the way SERVER_STANDIN does: update the stand-in");
    });

    it("seed-data copies the image caches onto the volume, writable by the pod's user", () => {
        const vol = podVolumes();
        const r = runSeed(vol);
        assert.match(r.stdout, /seed-data: \d+ KiB of image cache/);
        const copied = path.join(vol.data, "cache", "tiktoken", "9b5ad71b2ce5302211f9c61530b329a4922fc6a4");
        assert.strictEqual(fs.readFileSync(copied, "utf8"), "cl100k ranks\n");
        assert.ok(fs.existsSync(path.join(vol.data, "cache", "embedding", "models", "models--sentence-transformers--all-MiniLM-L6-v2", "config.json")));
        // The Hugging Face cache writes lock files next to the model: the copy must be the pod user's.
        const w = run("/usr/bin/test", ["-w", path.dirname(copied)], { ...owner, check: false });
        assert.strictEqual(w.status, 0, "copied cache is not writable by the pod's user");
        // An image without a cache (slim) still seeds the user base.
        const slim = podVolumes();
        const saved = image;
        image = path.join(saved, "absent");
        try {
            runSeed(slim);
        } finally {
            image = saved;
        }
        assert.ok(fs.existsSync(path.join(slim.data, "cache")));
    });

    it("a tool requirement installs while the server runs and imports without a restart", () => {
        const vol = podVolumes();
        runSeed(vol);
        const r = runServer(vol, true);
        assert.strictEqual(r.status, 0, `install/import failed:\n${r.stdout}\n${r.stderr}`);
        assert.match(r.stdout, /imported 42 /);
        assert.ok(r.stdout.includes(path.join(vol.data, "python")), `installed outside the user base: ${r.stdout}`);
    });

    it("control: without the component's env, pip cannot write the image's site-packages", () => {
        const vol = podVolumes();
        runSeed(vol);
        const r = runServer(vol, false);
        assert.notStrictEqual(r.status, 0, "pip wrote into the interpreter's site-packages: the stand-in is not read-only");
        assert.match(r.stdout + r.stderr, /Permission denied|Errno 13|Errno 30|not writeable|not writable/i);
    });

    it("control: without the init step, the running server cannot import what pip installed", () => {
        const vol = podVolumes();
        const r = runServer(vol, true);
        assert.notStrictEqual(r.status, 0, "imported without the seeded user site: the init step would be pointless");
        assert.match(r.stderr, new RegExp(`No module named '${PROBE_PKG}'`));
    });
});
