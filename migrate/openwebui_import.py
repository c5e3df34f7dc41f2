#!/usr/bin/env python3
"""Moves a single-instance Open WebUI (DATA_DIR: webui.db + -wal/-shm, uploads/, vector_db/; or a Postgres
database at the pinned release's revision, read only, named by an env var) into the
HA cluster's PostgreSQL (+pgvector) and object storage, with the pinned release's own migrations.

Runs inside the pinned Open WebUI image (or a venv with that open-webui), with the app pods' env
(DATABASE_URL, STORAGE_PROVIDER + S3_*/GCS_*/AZURE_STORAGE_*, VECTOR_DB, PGVECTOR_*, WEBUI_SECRET_KEY,
DATA_DIR = a scratch dir). Never writes to the source. Exit 0 success (last stdout line: a JSON
summary), 2 refused before any write, 1 failed during the copy (rerun continues).

  python3 openwebui_import.py --source-data-dir DIR [--source-database-url-env NAME] [--uploads-dir DIR] [--vectors copy|reembed|skip]
      [--on-nonempty refuse|merge|replace] [--work-dir DIR] [--dry-run] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.dont_write_bytecode = True  # the package dir may be read-only (and ships no caches)
sys.path.insert(0, str(Path(__file__).resolve().parent))

from importer_common import CopyFailure, Progress, Refusal, open_webui_version, pinned_revisions, psycopg_url, redact, run_open_webui_migrations  # noqa: E402
import importer_files as files  # noqa: E402
import importer_source as source  # noqa: E402
import importer_source_pg as pg_source  # noqa: E402
import importer_tables as tables  # noqa: E402
import importer_vectors as vectors  # noqa: E402
from importer_state import State  # noqa: E402


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="openwebui_import.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--source-data-dir", type=Path, help="the old instance's DATA_DIR (read only)")
    p.add_argument("--source-database-url-env", metavar="NAME", help="env var holding a Postgres source URL (read only, at the pinned release's revision); --source-data-dir then only supplies uploads/, vector_db/ and the secret key")
    p.add_argument("--uploads-dir", type=Path, help="the old uploads (default: <source-data-dir>/uploads)")
    p.add_argument("--target-uploads-dir", type=Path, help="STORAGE_PROVIDER=local (shared volume): where the app pods' uploads live (default: $DATA_DIR/uploads)")
    p.add_argument("--vectors", choices=["copy", "reembed", "skip"], default="copy")
    p.add_argument("--on-nonempty", choices=["refuse", "merge", "replace"], default="refuse")
    p.add_argument("--work-dir", type=Path, default=Path(os.environ.get("TMPDIR") or tempfile.gettempdir()))
    p.add_argument("--source-secret-key-env", metavar="NAME", help="env var holding the old WEBUI_SECRET_KEY (default: <source-data-dir>/.webui_secret_key)")
    p.add_argument("--allow-new-secret-key", action="store_true", help="accept that every session is logged out")
    p.add_argument("--skip-missing-files", action="store_true", help="import file rows whose upload is missing (their content will answer 404)")
    p.add_argument("--dry-run", action="store_true", help="report what would be copied; write nothing")
    p.add_argument("--json", action="store_true", help="progress as JSON lines on stderr")
    a = p.parse_args(argv)
    if not a.source_data_dir and not a.source_database_url_env:
        p.error("--source-data-dir (or --source-database-url-env) is required")
    return a


class Run:
    def __init__(self, a: argparse.Namespace) -> None:
        self.a = a
        self.progress = Progress(a.json)
        self.t0 = time.monotonic()
        self.work = a.work_dir / "openwebui-import"
        self.work.mkdir(parents=True, exist_ok=True)
        self.summary: dict = {"ok": False, "dry_run": a.dry_run, "open_webui": open_webui_version()}

    def checks(self) -> None:
        """Everything that can refuse, before any write (source snapshot and its migration are in the work dir)."""
        a, P = self.a, self.progress
        self.snap = None
        self.summary["secret_key"] = source.check_secret_key(source.read_secret_key(a.source_data_dir, a.source_secret_key_env), a.allow_new_secret_key)
        self.head, known = pinned_revisions()
        needs = self.open_source(known)
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql")):
            raise Refusal("DATABASE_URL in this environment is not a PostgreSQL URL: run the importer with the app pods' env (the target database)")
        import psycopg

        try:
            self.conn = psycopg.connect(psycopg_url(url), autocommit=True)  # conn.transaction() blocks are then real transactions, never savepoints
        except Exception as e:
            raise Refusal(f"cannot connect to the target database {redact(url)}: {str(e).strip().splitlines()[0]}") from None
        trev = self.scalar("SELECT version_num FROM alembic_version") if self.has("alembic_version") else None
        source.check_revision(trev, self.head, known, "the target database", self.summary["open_webui"])
        self.target_needs_migration = trev != self.head
        self.state = State(self.conn)
        prior = self.state.get("run", "source")
        self.resuming = bool(prior and prior.get("fingerprint") == self.fingerprint)
        users = self.scalar('SELECT count(*) FROM "user"') if self.has("user") else 0
        self.conn.commit()
        if users and not self.resuming and a.on_nonempty == "refuse" and prior:
            raise Refusal(f"the target database already holds {users} users from an earlier import of a source that has changed since (or of another instance): for the final delta of a cutover pass --on-nonempty merge (adds new rows, takes rows the source updated later); --on-nonempty replace starts over")
        if users and not self.resuming and a.on_nonempty == "refuse":
            raise Refusal(f"the target database already holds {users} users: importing would mix two instances. Use an empty database, or pass --on-nonempty replace (delete the target's rows first) or --on-nonempty merge (keep the target's rows, add the source's)")
        self.truncate = not self.resuming and (a.on_nonempty == "replace" or users == 0)
        if needs:
            run_open_webui_migrations(f"sqlite:///{self.snap_path}", self.work / "scratch", "the source snapshot", P)
        if self.pg_url is None:
            self.snap = sqlite3.connect(str(self.snap_path))
        uploads = a.uploads_dir or (a.source_data_dir / "uploads" if a.source_data_dir else None)
        self.files_todo, missing = files.plan_files(self.snap, uploads) if uploads else ([], [])
        if missing and not a.skip_missing_files:
            files.refuse_missing(missing, uploads)
        self.summary["files_missing"] = missing
        self.chroma = None
        self.vector_plan: list[dict] = []
        if a.vectors == "copy":
            self.chroma = vectors.open_chroma(a.source_data_dir / "vector_db", self.work) if a.source_data_dir else None
            self.vector_plan = vectors.plan_vectors(self.chroma)
            vectors.check_dimensions(self.vector_plan, self.conn)
            self.conn.commit()
        if a.vectors != "skip":
            self.summary["knowledge_bases"] = len(vectors.reembed_plan(self.snap)["knowledge_bases"])

    def open_source(self, known: set[str]) -> bool:
        """The SQLite snapshot, or the read-only Postgres source; True when the snapshot needs migrations."""
        a, P = self.a, self.progress
        self.pg_url = None
        if a.source_database_url_env:
            self.pg_url = pg_source.source_url(a.source_database_url_env)
            if pg_source.same_database(self.pg_url, os.environ.get("DATABASE_URL", "")):
                raise Refusal("the source database is the target database (DATABASE_URL): import into a new, empty database")
            self.snap = pg_source.connect_read_only(self.pg_url)
            rev = pg_source.pg_revision(self.snap)
            pg_source.check_pg_revision(rev, self.head, known, self.summary["open_webui"])
            self.fingerprint = pg_source.fingerprint(self.snap, rev)
            P.line("source", f"postgres {redact(self.pg_url)} (read only), alembic {rev}, pinned head {self.head}")
            self.summary["source"] = {"kind": "postgres", "revision": rev, "fingerprint": self.fingerprint}
            return False
        self.snap_path, self.fingerprint = source.snapshot_sqlite(a.source_data_dir, self.work)
        rev = source.sqlite_revision(self.snap_path)
        P.line("source", f"snapshot {self.snap_path} (with -wal), alembic {rev}, pinned head {self.head}")
        needs = source.check_revision(rev, self.head, known, "the source webui.db", self.summary["open_webui"])
        self.summary["source"] = {"kind": "sqlite", "revision": rev, "fingerprint": self.fingerprint}
        return needs

    def source_engine(self):
        import sqlalchemy as sa

        if self.pg_url:
            return sa.create_engine("postgresql+psycopg://" + self.pg_url.split("://", 1)[1], connect_args={"options": pg_source.READ_ONLY})
        return sa.create_engine(f"sqlite:///{self.snap_path}")

    def orphans(self, plans) -> dict:
        """SQLite leaves foreign keys unenforced (fixed on the snapshot); Postgres enforces them."""
        return {} if self.pg_url else tables.drop_orphans(self.snap, plans)

    def has(self, table: str) -> bool:
        return self.scalar("SELECT to_regclass(%s) IS NOT NULL", (f'public."{table}"',))

    def scalar(self, sql: str, params=None):
        return self.conn.execute(sql, params).fetchone()[0]

    def dry_run(self) -> None:
        import sqlalchemy as sa

        src = self.source_engine()
        plans = tables.reflect(src, src)
        src.dispose()
        orphans = self.orphans(plans)
        tables.count_source(self.snap, plans)
        self.summary.update({
            "ok": True, "tables": len(plans), "rows": sum(p.rows for p in plans), "per_table": {p.name: p.rows for p in plans},
            "orphans": orphans, "files": len(self.files_todo), "bytes": sum(f["size"] for f in self.files_todo),
            "vectors": sum(c["vectors"] for c in self.vector_plan), "collections": self.vector_plan,
            "target": {"needs_migration": self.target_needs_migration, "resume": self.resuming, "truncate_first": self.truncate},
        })

    def copy(self) -> None:
        import sqlalchemy as sa

        a, P = self.a, self.progress
        url = os.environ["DATABASE_URL"]
        if self.target_needs_migration:
            run_open_webui_migrations(url, self.work / "scratch", "the target database", P)
        self.state.create()
        if not self.resuming:
            self.state.reset(keep=("file", "vectors") if a.on_nonempty == "merge" else ())
            self.state.put("run", "source", {"fingerprint": self.fingerprint, "phase": "tables", "on_nonempty": a.on_nonempty})
        dst = sa.create_engine("postgresql+psycopg://" + psycopg_url(url).split("://", 1)[1])
        src = self.source_engine()
        plans = tables.reflect(src, dst)
        dst.dispose()
        src.dispose()
        orphans = self.orphans(plans)
        tables.count_source(self.snap, plans)
        if self.truncate:
            tables.truncate_all(self.conn, plans)
        done = self.state.keys("table")
        verification = dict(done)
        t = time.monotonic()
        copied = 0
        for p in plans:
            if p.name not in done:
                verification[p.name] = tables.copy_table(self.conn, self.snap, p, a.on_nonempty == "merge", P, self.state, lambda n, r: None)
                copied += p.rows
        rows = sum(p.rows for p in plans)
        table_seconds = time.monotonic() - t
        sequences = tables.reset_sequences(self.conn, plans)
        self.state.put("run", "source", {"fingerprint": self.fingerprint, "phase": "files", "on_nonempty": a.on_nonempty})
        target_dir = a.target_uploads_dir or Path(os.environ.get("DATA_DIR") or self.work / "scratch") / "uploads"
        tf = time.monotonic()
        fres = files.copy_files(self.conn, self.files_todo, files.Target(target_dir), self.state, P) if self.files_todo else {"files": 0, "bytes": 0}
        fres["seconds"] = round(time.monotonic() - tf, 2)
        vres: dict = {"vectors": 0}
        if a.vectors == "copy" and self.vector_plan:
            vres = vectors.copy_vectors(self.chroma, self.vector_plan, self.state, P)
        elif a.vectors == "reembed":
            vres = {"vectors": 0, "reembed": vectors.reembed_plan(self.snap)}
            self.state.put("reembed", "knowledge", vres["reembed"])
            P.line("vectors", f"re-embed {len(vres['reembed']['knowledge_bases'])} knowledge bases after cutover: {vres['reembed']['command']}")
        self.state.put("run", "source", {"fingerprint": self.fingerprint, "phase": "done", "on_nonempty": a.on_nonempty})
        self.summary.update({
            "ok": True, "tables": len(plans), "rows": rows, "rows_per_second": round(copied / table_seconds) if copied and table_seconds else None, "rows_copied_now": copied,
            "table_seconds": round(table_seconds, 2), "files": fres["files"], "bytes": fres["bytes"], "vectors": vres.get("vectors", 0),
            "orphans": orphans, "sequences_reset": sequences, "resumed": self.resuming, "files_result": fres, "vectors_result": vres,
            "verification": verification,
        })


def main(argv: list[str]) -> int:
    run = None
    try:
        a = parse_args(argv)
        run = Run(a)
        run.checks()
        if a.dry_run:
            run.dry_run()
        else:
            run.copy()
        code = 0
    except Refusal as e:
        print(f"refused: {e}", file=sys.stderr)
        code = 2
        if run:
            run.summary["refused"] = str(e)
    except CopyFailure as e:
        print(f"failed: {e}\nrerun the same command to continue (state: table openwebui_import_state in the target)", file=sys.stderr)
        code = 1
        if run:
            run.summary["failed"] = str(e)
    except Exception as e:  # noqa: BLE001 - anything else is a failure during the copy
        traceback.print_exc()
        print(f"failed: {type(e).__name__}: {e}\nrerun the same command to continue", file=sys.stderr)
        code = 1
        if run:
            run.summary["failed"] = f"{type(e).__name__}: {e}"
    if run:
        run.summary["seconds"] = round(time.monotonic() - run.t0, 2)
        print(json.dumps(run.summary, default=str))
    else:
        print(json.dumps({"ok": False, "exit": code}))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
