"""A PostgreSQL source (an instance already on Postgres, e.g. a self-run one moving to the cloud's managed
database): its URL comes from an env var (never the command line); it is read in ONE read-only
REPEATABLE READ transaction (a consistent snapshot; `default_transaction_read_only` on the session, so
even a bug cannot write), and it must be at the pinned release's alembic head: an older source is
refused (the importer never migrates a source in place)."""
from __future__ import annotations

import hashlib
import os

from importer_common import Refusal, psycopg_url, redact
from importer_source import check_revision

READ_ONLY = "-c default_transaction_read_only=on -c default_transaction_isolation=repeatable\\ read"


def source_url(env_name: str) -> str:
    url = os.environ.get(env_name, "")
    if not url:
        raise Refusal(f"--source-database-url-env {env_name}: that environment variable is empty or unset (it must hold the source Postgres URL)")
    if not url.startswith(("postgres://", "postgresql")):
        raise Refusal(f"--source-database-url-env {env_name}: not a PostgreSQL URL ({redact(url)}); a SQLite source is a DATA_DIR: use --source-data-dir")
    return psycopg_url(url)


def connect_read_only(url: str):
    """The source connection: every transaction read only; the first statement opens the snapshot
    transaction that every later read of this run shares (it is never committed)."""
    import psycopg

    try:
        conn = psycopg.connect(url, options=READ_ONLY)
    except Exception as e:
        raise Refusal(f"cannot connect to the source database {redact(url)}: {str(e).strip().splitlines()[0]}") from None
    from importer_tables import text_loaders

    text_loaders(conn)  # json/jsonb as their text, as the target receives them
    if conn.execute("SHOW transaction_read_only").fetchone()[0] != "on":
        raise Refusal("the source connection is not read only (default_transaction_read_only was not applied): check a pooler in front of the source and connect directly")
    return conn


def same_database(src_url: str, dst_url: str) -> bool:
    from psycopg.conninfo import conninfo_to_dict

    a, b = conninfo_to_dict(src_url), conninfo_to_dict(psycopg_url(dst_url))
    return all(a.get(k) == b.get(k) for k in ("host", "port", "dbname"))


def pg_revision(conn) -> str | None:
    if not conn.execute("SELECT to_regclass('public.alembic_version') IS NOT NULL").fetchone()[0]:
        raise Refusal("the source database holds no alembic_version table: it is not an Open WebUI database (or a peewee-era one): check the URL")
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def check_pg_revision(rev: str | None, head: str, known: set[str], version: str) -> None:
    """Unknown revision: newer than the pinned release (refused by check_revision). Known but older:
    refused too, because bringing it to the head means writing to it."""
    if check_revision(rev, head, known, "the source database", version):
        raise Refusal(f"the source database is at alembic revision {rev}, older than open-webui {version} ({head}); the importer never migrates a source in place. Bring a COPY to the pinned release first: pg_dump it into a scratch database (pg_dump -Fc SRC | pg_restore -d SCRATCH), start the pinned Open WebUI against that copy once (or run its migrations), then import from the copy")


def fingerprint(conn, rev: str | None) -> str:
    """Identifies the source and its content closely enough for resume: the server, the database, the
    revision, every table's row count and its insert/update/delete counters."""
    h = hashlib.sha256()
    h.update(repr(conn.execute("SELECT inet_server_addr()::text, inet_server_port(), current_database()").fetchone()).encode())
    h.update(str(rev).encode())
    tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
    for t in tables:
        n = conn.execute(f'SELECT count(*) FROM public."{t}"').fetchone()[0]
        h.update(f"{t}:{n};".encode())
    stats = conn.execute("SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables WHERE schemaname = 'public' ORDER BY 1").fetchall()
    h.update(repr(stats).encode())
    return h.hexdigest()[:32]
