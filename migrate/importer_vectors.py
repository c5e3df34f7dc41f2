"""Vectors: the embedded Chroma (DATA_DIR/vector_db), read with chromadb from a COPY, written to pgvector
through Open WebUI's own PgvectorClient (so the table, index and metadata handling are the app's).
Only valid when the embedding model (and so the dimension) is unchanged; otherwise `reembed`."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from importer_common import CopyFailure, Progress, Refusal, open_webui_dir

PAGE = 500


def open_chroma(vector_db: Path, work: Path):
    """chromadb on a copy of vector_db (chromadb writes to its directory when it opens it)."""
    if not (vector_db / "chroma.sqlite3").is_file():
        return None
    copy = work / "vector_db"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(vector_db, copy)
    import chromadb
    from chromadb.config import Settings

    return chromadb.PersistentClient(path=str(copy), settings=Settings(anonymized_telemetry=False, allow_reset=False))


def plan_vectors(client) -> list[dict]:
    out = []
    if client is None:
        return out
    for c in client.list_collections():
        col = client.get_collection(c.name if hasattr(c, "name") else c)
        n = col.count()
        dim = None
        if n:
            got = col.get(limit=1, include=["embeddings"])
            emb = got.get("embeddings")
            if emb is not None and len(emb):
                dim = len(emb[0])
        out.append({"collection": col.name, "vectors": n, "dimension": dim})
    return out


def target_dimension(conn) -> tuple[int, str]:
    """The dimension pgvector will store: the existing document_chunk.vector column, else
    PGVECTOR_INITIALIZE_MAX_VECTOR_LENGTH (Open WebUI's default 1536)."""
    r = conn.execute("SELECT a.atttypmod FROM pg_attribute a WHERE a.attrelid = to_regclass('public.document_chunk') AND a.attname = 'vector'").fetchone()
    if r and r[0] and r[0] > 0:
        return r[0], "the existing document_chunk.vector column"
    return int(os.environ.get("PGVECTOR_INITIALIZE_MAX_VECTOR_LENGTH") or 1536), "PGVECTOR_INITIALIZE_MAX_VECTOR_LENGTH"


def check_dimensions(plan: list[dict], conn) -> int:
    dim, where = target_dimension(conn)
    if os.environ.get("VECTOR_DB", "chroma").lower() != "pgvector" and plan:
        raise Refusal(f"--vectors copy writes to pgvector but VECTOR_DB={os.environ.get('VECTOR_DB', '(unset: chroma)')} in this environment: run with the app pods' env (VECTOR_DB=pgvector), or use --vectors reembed")
    for c in plan:
        if c["dimension"] and c["dimension"] != dim:
            raise Refusal(f"collection {c['collection']} holds {c['dimension']}-dimension vectors but the target stores {dim} ({where}): the embedding model differs. Re-embed after cutover with --vectors reembed, or keep the source's model and set PGVECTOR_INITIALIZE_MAX_VECTOR_LENGTH={c['dimension']} (on an empty document_chunk)")
    return dim


def copy_vectors(client, plan: list[dict], state, progress: Progress) -> dict:
    """Upserts every collection page by page through Open WebUI's PgvectorClient (idempotent: upsert)."""
    done = state.keys("vectors")
    if all(c["collection"] in done or not c["vectors"] for c in plan):
        return {"collections": len(plan), "vectors": sum(c["vectors"] for c in plan), "verified": True, "already_done": True}
    os.environ["ENABLE_DB_MIGRATIONS"] = "false"  # the target is migrated already; importing config must not
    if "FROM_INIT_PY" not in os.environ and (open_webui_dir() / "frontend").is_dir():
        os.environ["FROM_INIT_PY"] = "true"  # the wheel's layout (frontend inside the package); the image has /app/build
    from open_webui.retrieval.vector.dbs.pgvector import PgvectorClient

    pg = PgvectorClient()
    total = 0
    try:
        for c in plan:
            name, n = c["collection"], c["vectors"]
            if name in done or not n:
                total += n
                continue
            col = client.get_collection(name)
            moved = 0
            for off in range(0, n, PAGE):
                got = col.get(offset=off, limit=PAGE, include=["embeddings", "documents", "metadatas"])
                items = [{"id": i, "text": d or "", "vector": [float(x) for x in e], "metadata": m or {}} for i, d, e, m in zip(got["ids"], got["documents"], got["embeddings"], got["metadatas"])]
                if items:
                    pg.upsert(name, items)
                moved += len(items)
            got_back = pg.session.execute(__import__("sqlalchemy").text("SELECT count(*) FROM document_chunk WHERE collection_name = :c"), {"c": name}).scalar()
            if got_back != n:
                raise CopyFailure(f"vectors {name}: {n} in Chroma, {got_back} in pgvector after the copy")
            state.put("vectors", name, {"vectors": n, "dimension": c["dimension"]})
            total += n
            progress.line("vectors", f"{name}: {moved}/{n} vectors", collection=name, done=moved, total=n)
    finally:
        pg.close() if hasattr(pg, "close") else None
    return {"collections": len(plan), "vectors": total, "verified": True}


def reembed_plan(snap) -> dict:
    """What `reembed` leaves to Open WebUI after cutover: the knowledge bases, and the call that does it."""
    kbs = [r[0] for r in snap.execute("SELECT id FROM knowledge")]
    return {
        "knowledge_bases": kbs,
        "command": "curl -fsS -X POST -H \"Authorization: Bearer $ADMIN_TOKEN\" https://<hostname>/api/v1/knowledge/reindex   # as an admin, after cutover; memories: re-embedded by users via /api/v1/memories/reset",
    }
