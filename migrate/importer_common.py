"""Shared pieces of the Open WebUI importer: errors with exit codes, progress, the pinned release's
alembic revisions, and running Open WebUI's own migrations against a database URL."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path


class Refusal(Exception):
    """Refused before any write (exit 2): names what is wrong and the fix."""


class CopyFailure(Exception):
    """Failed during the copy (exit 1): rerunning continues from the state table."""


class Progress:
    """One line per table/phase on stderr; JSON lines with --json."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        self.start = time.monotonic()

    def line(self, phase: str, message: str, **fields) -> None:
        if self.as_json:
            rec = {"phase": phase, "message": message, "t": round(time.monotonic() - self.start, 2), **fields}
            print(json.dumps(rec, default=str), file=sys.stderr, flush=True)
        else:
            print(f"{phase}: {message}", file=sys.stderr, flush=True)


def open_webui_dir() -> Path:
    """The installed open_webui package (found without importing it: importing runs its config)."""
    import importlib.util

    spec = importlib.util.find_spec("open_webui")
    if spec is None or not spec.submodule_search_locations:
        raise Refusal("open_webui is not importable by this Python: run the importer inside the pinned Open WebUI image or a venv with that open-webui version (npx openwebui migrate --python PATH)")
    return Path(list(spec.submodule_search_locations)[0])


def open_webui_version() -> str:
    import importlib.metadata

    try:
        return importlib.metadata.version("open-webui")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def pinned_revisions() -> tuple[str, set[str]]:
    """(head, every revision) of the installed release, read from its migration files."""
    versions = open_webui_dir() / "migrations" / "versions"
    revs: dict[str, str | None] = {}
    for f in versions.glob("*.py"):
        text = f.read_text(encoding="utf-8")
        r = re.search(r"^revision(?::\s*str)?\s*=\s*['\"]([0-9a-z_]+)['\"]", text, re.M)
        d = re.search(r"^down_revision(?:: [^=]+)?\s*=\s*(None|['\"]([0-9a-z_]+)['\"])", text, re.M)
        if r:
            revs[r.group(1)] = d.group(2) if d else None
    downs = {d for d in revs.values() if d}
    heads = [r for r in revs if r not in downs]
    if len(heads) != 1:
        raise CopyFailure(f"cannot find the single alembic head of the installed open-webui ({heads})")
    return heads[0], set(revs)


_ALEMBIC = """
from alembic import command
from alembic.config import Config
import open_webui, pathlib
d = pathlib.Path(open_webui.__file__).parent
cfg = Config(str(d / 'alembic.ini'))
cfg.set_main_option('script_location', str(d / 'migrations'))
command.upgrade(cfg, 'head')
"""


def run_open_webui_migrations(database_url: str, scratch: Path, what: str, progress: Progress) -> None:
    """`alembic upgrade head` with Open WebUI's own migrations (what `import open_webui.config` runs at
    start-up), in a child process: open_webui reads DATABASE_URL once, at import."""
    scratch.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items()}
    env.update({"DATABASE_URL": database_url, "DATA_DIR": str(scratch), "ENABLE_DB_MIGRATIONS": "true"})
    env.setdefault("WEBUI_SECRET_KEY", "importer-migration-only")
    t = time.monotonic()
    r = subprocess.run([sys.executable, "-c", _ALEMBIC], env=env, cwd=str(scratch), capture_output=True, text=True, timeout=1800)
    if r.returncode != 0:
        tail = "\n".join((r.stdout + r.stderr).strip().splitlines()[-15:])
        raise CopyFailure(f"Open WebUI's migrations failed on {what}:\n{tail}")
    steps = len(re.findall(r"Running upgrade", r.stderr + r.stdout))
    progress.line("migrate", f"{what}: {steps} migration steps in {time.monotonic() - t:.1f}s", steps=steps)


def psycopg_url(url: str) -> str:
    """A libpq URL from what Open WebUI accepts (postgres://, postgresql+psycopg2:// ...)."""
    for p in ("postgresql+psycopg2://", "postgresql+psycopg://", "postgres://"):
        if url.startswith(p):
            return "postgresql://" + url[len(p):]
    return url


def redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
