"""Table copy: both schemas reflected with SQLAlchemy, rows converted to the target's types (JSON text
-> json, 0/1 -> boolean, epoch ints -> bigint, text dates -> date/timestamp), streamed with COPY in
foreign-key order, sequences reset, and each table verified (row count + an order-independent content
checksum over the same normalised Python values on both sides)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import time
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import types as T

from importer_common import CopyFailure, Progress, quote_ident as q

SKIP = {"alembic_version", "migratehistory", "openwebui_import_state", "document_chunk"}
BATCH = 2000
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


def row_hash(row: tuple) -> int:
    return int.from_bytes(hashlib.blake2b(repr(row).encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def source_rows(snap: sqlite3.Connection, p: TablePlan):
    conv = [CONVERT[k] for k in p.kinds]
    cur = snap.execute(f"SELECT {', '.join(q(c) for c in p.cols)} FROM {q(p.name)}")
    while True:
        batch = cur.fetchmany(BATCH)
        if not batch:
            return
        yield [tuple(f(v) for f, v in zip(conv, r)) for r in batch]


def count_source(snap: sqlite3.Connection, plans: list[TablePlan]) -> None:
    for p in plans:
        p.rows = snap.execute(f"SELECT count(*) FROM {q(p.name)}").fetchone()[0]


def _text_loaders(conn) -> None:
    """json/jsonb read back as their text (json keeps the input text verbatim), like the source."""
    from psycopg.types.string import TextLoader

    for name in ("json", "jsonb"):
        conn.adapters.register_loader(name, TextLoader)


def target_checksum(conn, p: TablePlan, keys_from: str | None = None) -> tuple[int, int]:
    cols = ", ".join(f"t.{q(c)}" for c in p.cols)
    where = ""
    if keys_from:
        on = " AND ".join(f"t.{q(k)} = s.{q(k)}" for k in p.pk)
        where = f" WHERE EXISTS (SELECT 1 FROM {keys_from} s WHERE {on})"
    n, total = 0, 0
    with conn.cursor(name=f"ck_{p.name}") as cur:
        cur.itersize = BATCH
        cur.execute(f"SELECT {cols} FROM {q(p.name)} t{where}")
        for row in cur:
            n += 1
            total = (total + row_hash(tuple(row))) & MASK
    return n, total


def copy_table(conn, snap: sqlite3.Connection, p: TablePlan, merge: bool, progress: Progress, state, on_done) -> dict:
    """One transaction per table: COPY (or COPY into a staging table + INSERT ... ON CONFLICT DO
    NOTHING when merging), verify, record it done. A failure rolls the table back; a rerun redoes it."""
    _text_loaders(conn)
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
            with cur.copy(f"COPY {dest} ({cols}) FROM STDIN") as cp:
                for batch in source_rows(snap, p):
                    for row in batch:
                        cp.write_row(row)
                        total = (total + row_hash(row)) & MASK
                    n += len(batch)
                    if n % 50000 < BATCH or n == p.rows:
                        progress.line("table", f"{p.name}: {n}/{p.rows} rows", table=p.name, done=n, total=p.rows)
            inserted = n
            if merge:
                cur.execute(f"INSERT INTO {q(p.name)} ({cols}) SELECT {cols} FROM {dest} ON CONFLICT DO NOTHING")
                inserted = cur.rowcount
            tn, ttotal = target_checksum(conn, p, keys_from=dest if merge and p.pk else None)
            kept = n - inserted
            ok = tn == n and (ttotal == total or (merge and kept > 0))
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
