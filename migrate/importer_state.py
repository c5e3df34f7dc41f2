"""`openwebui_import_state` in the target database: the source fingerprint, the phase, and what is done
(tables, files, vector collections), so a rerun is idempotent and a failed run resumes."""
from __future__ import annotations

import json

STATE_TABLE = "openwebui_import_state"


class State:
    def __init__(self, conn) -> None:
        self.conn = conn

    def exists(self) -> bool:
        return self.conn.execute("SELECT to_regclass(%s) IS NOT NULL", (f"public.{STATE_TABLE}",)).fetchone()[0]

    def create(self) -> None:
        self.conn.execute(f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (kind text NOT NULL, key text NOT NULL, value jsonb, updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (kind, key))")
        self.conn.commit()

    def get(self, kind: str, key: str):
        if not self.exists():
            return None
        r = self.conn.execute(f"SELECT value FROM {STATE_TABLE} WHERE kind = %s AND key = %s", (kind, key)).fetchone()
        return r[0] if r else None

    def keys(self, kind: str) -> dict:
        if not self.exists():
            return {}
        return {k: v for k, v in self.conn.execute(f"SELECT key, value FROM {STATE_TABLE} WHERE kind = %s", (kind,))}

    def put(self, kind: str, key: str, value, cur=None) -> None:
        """Upsert; with `cur` inside the caller's transaction (committed with the data it records)."""
        sql = f"INSERT INTO {STATE_TABLE} (kind, key, value) VALUES (%s, %s, %s::jsonb) ON CONFLICT (kind, key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()"
        (cur or self.conn).execute(sql, (kind, key, json.dumps(value)))
        if cur is None:
            self.conn.commit()

    def put_many(self, kind: str, items: list[tuple[str, object]], cur) -> None:
        """Upserts many (key, value) rows in the caller's transaction."""
        sql = f"INSERT INTO {STATE_TABLE} (kind, key, value) VALUES (%s, %s, %s::jsonb) ON CONFLICT (kind, key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()"
        cur.executemany(sql, [(kind, k, json.dumps(v)) for k, v in items])

    def reset(self, keep: tuple[str, ...] = ()) -> None:
        """Forgets what is done, except the kinds in `keep` (merge keeps copied files and vectors)."""
        self.conn.execute(f"DELETE FROM {STATE_TABLE} WHERE NOT (kind = ANY(%s))", (list(keep),))
        self.conn.commit()
