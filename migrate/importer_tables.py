"""Table copy: both schemas reflected with SQLAlchemy, rows converted to the target's types (JSON text
-> json, 0/1 -> boolean, epoch ints -> bigint, text dates -> date/timestamp), streamed with COPY in
foreign-key order, sequences reset, and each table verified (row count + an order-independent content
checksum over the same normalised Python values on both sides)."""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import types as T

from importer_common import CopyFailure, Progress, quote_ident as q

SKIP = {"alembic_version", "migratehistory", "openwebui_import_state", "document_chunk"}
BATCH = 5000
MASK = (1 << 64) - 1


def kind_of(t) -> str:
    if isinstance(t, T.Boolean):
        return "bool"
    if isinstance(t, T.Integer):
        return "int"
    if isinstance(t, (T.Float, T.Numeric)):
        return "float"
    if isinstance(t, T.JSON):
        return "json"
    if isinstance(t, T.DateTime):
        return "ts"
    if isinstance(t, T.Date):
        return "date"
    return "text"


def _bool(v):
    if v is None or type(v) is bool:
        return v
    if isinstance(v, (int, float)):
        return bool(v)
    return str(v).strip().lower() in ("1", "true", "t", "yes", "y", "on")


def _int(v):
    if v is None or type(v) is int:
        return v
    if isinstance(v, float):
        return int(v) if v.is_integer() else round(v)
    return int(float(v))


def _float(v):
    return v if v is None or type(v) is float else float(v)


def _json(v):
    if v is None or type(v) is str:
        return v
    if isinstance(v, bytes):
        return v.decode("utf-8")
    return json.dumps(v)


def _text(v):
    if type(v) is str:
        return v.replace("\x00", "") if "\x00" in v else v
    if v is None:
        return v
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    return str(v)


def _ts(v):
    if v is None or isinstance(v, dt.datetime):
        return v
    if isinstance(v, (int, float)):
        return dt.datetime.fromtimestamp(v / 1e9 if v > 1e14 else v, dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime.fromisoformat(str(v))


def _date(v):
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


CONVERT = {"bool": _bool, "int": _int, "float": _float, "json": _json, "text": _text, "ts": _ts, "date": _date}


@dataclass
class TablePlan:
    name: str
    cols: list[str]
    kinds: list[str]
    pk: list[str]
    rows: int = 0
    fks: list[tuple[list[str], str, list[str], str]] = field(default_factory=list)


def reflect(src_engine: sa.Engine, dst_engine: sa.Engine) -> list[TablePlan]:
    """Tables of the target in foreign-key order, each with the columns both sides have."""
    md = sa.MetaData()
    md.reflect(bind=dst_engine)
    src = sa.inspect(src_engine)
    src_tables = set(src.get_table_names())
    plans = []
    for t in md.sorted_tables:
        if t.name in SKIP or t.name not in src_tables:
            continue
        src_cols = {c["name"] for c in src.get_columns(t.name)}
        cols = [c for c in t.columns if c.name in src_cols]
        fks = [([e.parent.name for e in fk.elements], fk.elements[0].column.table.name, [e.column.name for e in fk.elements], (fk.ondelete or "").upper()) for fk in t.foreign_key_constraints]
        plans.append(TablePlan(t.name, [c.name for c in cols], [kind_of(c.type) for c in cols], [c.name for c in t.primary_key.columns], fks=fks))
    return plans


def drop_orphans(snap: sqlite3.Connection, plans: list[TablePlan]) -> dict[str, int]:
    """SQLite does not enforce foreign keys (Open WebUI leaves them off): rows whose parent is gone
    would fail Postgres' constraints. On the snapshot (never the source), do what the constraint says:
    CASCADE -> delete the orphan, SET NULL -> null the reference. Repeated until stable (chains)."""
    fixed: dict[str, int] = {}
    for _ in range(10):
        changed = 0
        for p in plans:
            for cols, parent, pcols, ondelete in p.fks:
                if len(cols) != 1:
                    continue
                c, pc = q(cols[0]), q(pcols[0])
                cond = f"{c} IS NOT NULL AND {c} NOT IN (SELECT {pc} FROM {q(parent)} WHERE {pc} IS NOT NULL)"
                if ondelete == "SET NULL":
                    n = snap.execute(f"UPDATE {q(p.name)} SET {c} = NULL WHERE {cond}").rowcount
                else:
                    n = snap.execute(f"DELETE FROM {q(p.name)} WHERE {cond}").rowcount
                if n:
                    key = f"{p.name}.{cols[0]}->{parent} ({'nulled' if ondelete == 'SET NULL' else 'deleted'})"
                    fixed[key] = fixed.get(key, 0) + n
                    changed += n
        snap.commit()
        if not changed:
            break
    return fixed


def rows_checksum(rows) -> int:
    """Order-independent sum of the rows' hashes (Python's keyed SipHash/xxHash over the tuple, in C).
    Computed on both sides in this one process, so the key is the same; 1 == True == 1.0 there,
    which is what the type conversions map onto each other."""
    return sum(map(hash, rows))


def _sqlite_expr(col: str, kind: str) -> str:
    """The conversion done by SQLite itself (no per-value Python call); ts/date stay for Python."""
    c = q(col)
    if kind == "text":
        return f"replace(CAST({c} AS TEXT), char(0), '')"
    if kind == "json":
        return f"CAST({c} AS TEXT)"
    if kind == "int":
        return f"CASE WHEN typeof({c}) IN ('integer', 'null') THEN {c} ELSE CAST(round({c}) AS INTEGER) END"
    if kind == "float":
        return f"CAST({c} AS REAL)"
    if kind == "bool":
        return f"CASE WHEN {c} IS NULL THEN NULL WHEN typeof({c}) IN ('integer', 'real') THEN {c} <> 0 ELSE lower(trim({c})) IN ('1', 'true', 't', 'yes', 'y', 'on') END"
    return c


def _row_converter(p: TablePlan, sqlite: bool):
    """None when rows can be written as fetched; else one function per row (only ts/date columns
    from SQLite need Python)."""
    slow = [i for i, k in enumerate(p.kinds) if k in ("ts", "date")] if sqlite else []
    if not slow:
        return None
    conv = [(i, CONVERT[p.kinds[i]]) for i in slow]

    def row(r):
        r = list(r)
        for i, f in conv:
            r[i] = f(r[i])
        return tuple(r)
    return row


def source_rows(src, p: TablePlan):
    """Batches of target-ready tuples from a SQLite snapshot or a read-only Postgres source."""
    sqlite = isinstance(src, sqlite3.Connection)
    conv = _row_converter(p, sqlite)
    if sqlite:
        cur = src.execute(f"SELECT {', '.join(_sqlite_expr(c, k) for c, k in zip(p.cols, p.kinds))} FROM {q(p.name)}")
    else:
        cur = src.cursor(name=f"src_{p.name}")
        cur.itersize = BATCH
        cur.execute(f"SELECT {', '.join(q(c) for c in p.cols)} FROM {q(p.name)}")
    try:
        while True:
            batch = cur.fetchmany(BATCH)
            if not batch:
                return
            yield batch if conv is None else [conv(r) for r in batch]
    finally:
        if not sqlite:
            cur.close()


def count_source(snap: sqlite3.Connection, plans: list[TablePlan]) -> None:
    for p in plans:
        p.rows = snap.execute(f"SELECT count(*) FROM {q(p.name)}").fetchone()[0]


def text_loaders(conn) -> None:
    """json/jsonb read back as their text (json keeps the input text verbatim), like the source."""
    from psycopg.types.string import TextLoader

    for name in ("json", "jsonb"):
        conn.adapters.register_loader(name, TextLoader)


def target_checksum(conn, p: TablePlan, table: str | None = None) -> tuple[int, int]:
    """(rows, checksum) of what the target holds: the table, or the merge's staging table (exactly
    what COPY delivered; the merge then moves rows server-side)."""
    cols = ", ".join(q(c) for c in p.cols)
    n, total = 0, 0
    with conn.cursor(name=f"ck_{p.name}") as cur:
        cur.itersize = BATCH
        cur.execute(f"SELECT {cols} FROM {table or q(p.name)}")
        while batch := cur.fetchmany(BATCH):
            n += len(batch)
            total += rows_checksum(batch)
    return n, total & MASK


def _corrupt_hook(p: TablePlan):
    """Test only (OPENWEBUI_IMPORT_TEST_CORRUPT=<table>): the first row of that table is written with
    one text value changed AFTER its checksum was taken, so the verification must catch it."""
    if os.environ.get("OPENWEBUI_IMPORT_TEST_CORRUPT") != p.name:
        return None
    idx = next((i for i, k in enumerate(p.kinds) if k == "text" and p.cols[i] not in p.pk), None)
    if idx is None:
        return None

    def corrupt(row):
        r = list(row)
        r[idx] = f"{r[idx] or ''}\u2020"
        return tuple(r)
    return corrupt


def merge_sql(p: TablePlan, staging: str) -> list[str]:
    """merge: a row the source changed later (newer updated_at) replaces the target's (the final delta
    of a cutover); new rows are added; any other conflict keeps the target's row. `file` rows are never
    replaced (their path points at the new storage)."""
    cols = ", ".join(q(c) for c in p.cols)
    insert = f"INSERT INTO {q(p.name)} ({cols}) SELECT {cols} FROM {staging} ON CONFLICT DO NOTHING"
    rest = [c for c in p.cols if c not in p.pk]
    if not p.pk or p.name == "file" or "updated_at" not in rest:
        return [insert]
    sets = ", ".join(f"{q(c)} = s.{q(c)}" for c in rest)
    on = " AND ".join(f"t.{q(k)} = s.{q(k)}" for k in p.pk)
    return [f"UPDATE {q(p.name)} t SET {sets} FROM {staging} s WHERE {on} AND t.updated_at < s.updated_at", insert]


def copy_table(conn, snap: sqlite3.Connection, p: TablePlan, merge: bool, progress: Progress, state, on_done) -> dict:
    """One transaction per table: COPY (or COPY into a staging table + INSERT ... ON CONFLICT DO
    NOTHING when merging), verify, record it done. A failure rolls the table back; a rerun redoes it."""
    text_loaders(conn)
    t0 = time.monotonic()
    cols = ", ".join(q(c) for c in p.cols)
    n, total = 0, 0
    dest = q(p.name)
    try:
        with conn.transaction():
            cur = conn.cursor()
            if merge:
                dest = q(f"_import_{p.name}")
                cur.execute(f"CREATE TEMP TABLE {dest} (LIKE {q(p.name)} INCLUDING DEFAULTS) ON COMMIT DROP")
            corrupt = _corrupt_hook(p)
            with cur.copy(f"COPY {dest} ({cols}) FROM STDIN") as cp:
                write = cp.write_row
                for batch in source_rows(snap, p):
                    total += rows_checksum(batch)
                    if corrupt and n == 0:
                        batch = [corrupt(batch[0])] + batch[1:]
                    for row in batch:
                        write(row)
                    n += len(batch)
                    if n % 50000 < BATCH or n == p.rows:
                        progress.line("table", f"{p.name}: {n}/{p.rows} rows", table=p.name, done=n, total=p.rows)
            total &= MASK
            inserted = n
            if merge:
                inserted = 0
                for sql in merge_sql(p, dest):
                    cur.execute(sql)
                    inserted += cur.rowcount
            tn, ttotal = target_checksum(conn, p, table=dest)
            kept = n - inserted
            if merge and p.pk:  # every source key is in the target now
                on = " AND ".join(f"t.{q(k)} = s.{q(k)}" for k in p.pk)
                tn = cur.execute(f"SELECT count(*) FROM {q(p.name)} t WHERE EXISTS (SELECT 1 FROM {dest} s WHERE {on})").fetchone()[0]
            ok = tn == n and ttotal == total
            result = {"rows": n, "inserted": inserted, "kept_existing": kept, "target_rows": tn, "checksum": f"{total:016x}", "target_checksum": f"{ttotal:016x}", "verified": ok, "seconds": round(time.monotonic() - t0, 2)}
            if not ok:
                raise CopyFailure(f"table {p.name}: verification failed (source {n} rows, checksum {total:016x}; target {tn} rows, checksum {ttotal:016x})")
            state.put("table", p.name, result, cur=cur)
    except CopyFailure:
        raise
    except Exception as e:  # psycopg errors: name the table and the row when it is a data problem
        raise CopyFailure(f"table {p.name}: {type(e).__name__}: {str(e).strip().splitlines()[0]}{_find_bad_row(snap, p)}") from None
    on_done(p.name, result)
    return result


def _find_bad_row(snap: sqlite3.Connection, p: TablePlan) -> str:
    """The first row Postgres would reject (invalid JSON text), for the failure message."""
    for batch in source_rows(snap, p):
        for row in batch:
            for c, k, v in zip(p.cols, p.kinds, row):
                if k == "json" and v is not None:
                    try:
                        json.loads(v)
                    except ValueError:
                        key = {c2: v2 for c2, v2 in zip(p.cols, row) if c2 in p.pk}
                        return f" (row {key}: column {c} holds invalid JSON {v[:60]!r})"
    return ""


def truncate_all(conn, plans: list[TablePlan]) -> None:
    if plans:
        conn.execute("TRUNCATE " + ", ".join(q(p.name) for p in plans) + " CASCADE")
        conn.commit()


def reset_sequences(conn, plans: list[TablePlan]) -> list[str]:
    """Sequences/identities behind the copied columns continue after the highest copied id."""
    done = []
    for p in plans:
        for c in p.cols:
            seq = conn.execute("SELECT pg_get_serial_sequence(%s, %s)", (q(p.name), c)).fetchone()[0]
            if seq:
                conn.execute(f"SELECT setval(%s, COALESCE((SELECT max({q(c)}) FROM {q(p.name)}), 0) + 1, false)", (seq,))
                done.append(seq)
    conn.commit()
    return done
