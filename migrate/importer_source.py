"""The source instance: a consistent snapshot of webui.db WITH its -wal/-shm (recent rows live only in
the -wal after a stop), taken without ever writing to the source; its schema revision; its secret key."""
from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from pathlib import Path

from importer_common import Refusal


def snapshot_sqlite(data_dir: Path, work: Path) -> tuple[Path, str]:
    """Copies webui.db + -wal + -shm (read only) into `work/raw`, then the SQLite backup API makes a
    standalone `work/snapshot.db` from that copy (the -wal replayed). Returns (snapshot, fingerprint)."""
    src = data_dir / "webui.db"
    if not src.is_file():
        raise Refusal(f"no webui.db in {data_dir}: --source-data-dir must be the old instance's DATA_DIR (webui.db, uploads/, vector_db/)")
    raw = work / "raw"
    if raw.exists():
        shutil.rmtree(raw)
    raw.mkdir(parents=True)
    for suffix in ("", "-wal", "-shm"):
        f = data_dir / f"webui.db{suffix}"
        if f.is_file():
            shutil.copyfile(f, raw / f"webui.db{suffix}")
    snap = work / "snapshot.db"
    for f in (snap, Path(f"{snap}-wal"), Path(f"{snap}-shm")):
        if f.exists():
            f.unlink()
    try:
        s = sqlite3.connect(str(raw / "webui.db"))
        d = sqlite3.connect(str(snap))
        with d:
            s.backup(d)
        s.close()
        ok = d.execute("PRAGMA quick_check").fetchone()[0]
        d.execute("PRAGMA journal_mode=DELETE")
        d.close()
    except sqlite3.DatabaseError as e:
        raise Refusal(f"{src} is not a readable SQLite database ({e}): restore it from a backup, or stop the instance cleanly and copy DATA_DIR again") from None
    if ok != "ok":
        raise Refusal(f"{src} fails SQLite's integrity check ({ok}): restore it from a backup, or repair it (sqlite3 webui.db '.recover') on a copy")
    h = hashlib.sha256()
    with open(raw / "webui.db", "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    wal = raw / "webui.db-wal"
    if wal.exists():
        with open(wal, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    return snap, h.hexdigest()[:32]


def sqlite_revision(snap: Path) -> str | None:
    c = sqlite3.connect(str(snap))
    try:
        names = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in names:
            if "migratehistory" in names or "user" in names:
                raise Refusal("the source has no alembic_version (a peewee-era Open WebUI, before 0.3.x): start it once with Open WebUI 0.5.x on a copy of its DATA_DIR so its own migrations run, then import that copy")
            raise Refusal("the source webui.db holds no Open WebUI tables: check --source-data-dir")
        row = c.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        c.close()


def check_revision(rev: str | None, head: str, known: set[str], what: str, version: str) -> bool:
    """True when `rev` needs the pinned release's migrations; refuses a revision it does not know."""
    if rev is None or rev == head:
        return rev is None
    if rev not in known:
        raise Refusal(f"{what} is at alembic revision {rev}, which open-webui {version} does not know: it was written by a NEWER Open WebUI than the pinned release. Pin that release (or newer) for the cluster and run this importer in its image, or restore {what} from before the upgrade")
    return True


def read_secret_key(data_dir: Path | None, env_name: str | None) -> str | None:
    if env_name:
        v = os.environ.get(env_name)
        if not v:
            raise Refusal(f"--source-secret-key-env {env_name}: that environment variable is empty or unset")
        return v
    if data_dir is not None:
        f = data_dir / ".webui_secret_key"
        if f.is_file():
            return f.read_text(encoding="utf-8").strip() or None
    return None


def check_secret_key(source_key: str | None, allow_new: bool) -> str:
    """'same', 'none' (no source key known) or 'new' (allowed); refuses a mismatch."""
    if source_key is None:
        return "none"
    if source_key == os.environ.get("WEBUI_SECRET_KEY", ""):
        return "same"
    if allow_new:
        return "new"
    raise Refusal("the source instance's secret key differs from WEBUI_SECRET_KEY in this environment: every user would be logged out and values signed with the old key would be invalid. Adopt the old key (the component's existing-secret-key input: a Kubernetes Secret holding the content of the old DATA_DIR/.webui_secret_key or its WEBUI_SECRET_KEY) and rerun, or pass --allow-new-secret-key to accept the logout")
