"""Uploads: every `file` row's upload copied (streamed, never read whole into memory) to the storage the
app pods use, WORKERS at a time, `file.path` rewritten to what Open WebUI 0.12.4's provider stores there
(open_webui/storage/provider.py), and each copy verified: by the store (S3 ChecksumSHA256 echoed, or
the single-part ETag equal to our MD5) or else by HEAD size + a sha256 read-back."""
from __future__ import annotations

import base64
import hashlib
import os
import shutil
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from importer_common import CopyFailure, Progress, Refusal

CHUNK = 1 << 20
MULTIPART = 8 << 20  # below this a file is one PUT (read into memory once: at most WORKERS x 8 MiB)
WORKERS = int(os.environ.get("OPENWEBUI_IMPORT_FILE_WORKERS") or 12)


def upload_name(path: str | None, file_id: str, filename: str | None) -> str:
    """The name Open WebUI gave the upload (`<id>_<filename>`): the last part of file.path."""
    if path:
        return path.replace("\\", "/").rstrip("/").split("/")[-1]
    return f"{file_id}_{filename}"


def plan_files(snap: sqlite3.Connection, uploads: Path) -> tuple[list[dict], list[str]]:
    """(files to copy, ids whose upload is missing). Rows without a path (text-only files) are skipped."""
    todo, missing = [], []
    for fid, fname, path in snap.execute('SELECT id, filename, path FROM "file"'):
        if not path:
            continue
        name = upload_name(path, fid, fname)
        src = uploads / name
        if not src.is_file():
            missing.append(fid)
            continue
        todo.append({"id": fid, "name": name, "src": str(src), "size": src.stat().st_size})
    return todo, missing


def refuse_missing(missing: list[str], uploads: Path) -> None:
    shown = ", ".join(missing[:20]) + (f" and {len(missing) - 20} more" if len(missing) > 20 else "")
    raise Refusal(f"{len(missing)} file rows have no upload in {uploads}: {shown}. Copy the old instance's complete uploads/ (or point --uploads-dir at it), or pass --skip-missing-files to import them without content (they will answer 404)")


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


class Target:
    """Where uploads go, from the same env the app pods get (STORAGE_PROVIDER + S3_*/GCS_*/AZURE_*)."""

    def __init__(self, local_dir: Path) -> None:
        self.provider = (os.environ.get("STORAGE_PROVIDER") or "local").lower()
        self.local_dir = local_dir
        if self.provider == "s3":
            import boto3
            from botocore.config import Config

            cfg = Config(s3={"addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None, "use_accelerate_endpoint": os.environ.get("S3_USE_ACCELERATE_ENDPOINT", "false").lower() == "true"}, request_checksum_calculation="when_required", response_checksum_validation="when_required", max_pool_connections=16)
            kw = {}
            if os.environ.get("S3_ACCESS_KEY_ID") and os.environ.get("S3_SECRET_ACCESS_KEY"):
                kw = {"aws_access_key_id": os.environ["S3_ACCESS_KEY_ID"], "aws_secret_access_key": os.environ["S3_SECRET_ACCESS_KEY"]}
            self.s3 = boto3.client("s3", region_name=os.environ.get("S3_REGION_NAME") or None, endpoint_url=os.environ.get("S3_ENDPOINT_URL") or None, config=cfg, **kw)
            self.bucket = os.environ.get("S3_BUCKET_NAME", "")
            self.prefix = os.environ.get("S3_KEY_PREFIX", "")
            if not self.bucket:
                raise Refusal("STORAGE_PROVIDER=s3 but S3_BUCKET_NAME is empty: run with the app pods' env")
        elif self.provider == "gcs":
            from google.cloud import storage

            self.bucket = os.environ.get("GCS_BUCKET_NAME", "")
            self.gcs = storage.Client().bucket(self.bucket)
        elif self.provider == "azure":
            from azure.identity import DefaultAzureCredential
            from azure.storage.blob import BlobServiceClient

            self.endpoint = os.environ.get("AZURE_STORAGE_ENDPOINT", "")
            self.container = os.environ.get("AZURE_STORAGE_CONTAINER_NAME", "")
            cred = os.environ.get("AZURE_STORAGE_KEY") or DefaultAzureCredential()
            self.az = BlobServiceClient(account_url=self.endpoint, credential=cred).get_container_client(self.container)
        elif self.provider == "local":
            self.local_dir.mkdir(parents=True, exist_ok=True)
        else:
            raise Refusal(f"STORAGE_PROVIDER={self.provider}: the importer supports local, s3, gcs and azure (as Open WebUI 0.12.4)")

    def put(self, src: str, name: str, size: int) -> tuple[str, str, str]:
        """Streams `src` to the storage; returns (file.path as Open WebUI stores it, sha256 of what was
        sent, how the storage's copy was verified)."""
        if self.provider == "s3":
            return self._put_s3(src, name, size)
        if self.provider == "gcs":
            blob = self.gcs.blob(name)
            blob.upload_from_filename(src)
            h = hashlib.sha256()
            with blob.open("rb") as f:
                for chunk in iter(lambda: f.read(CHUNK), b""):
                    h.update(chunk)
            return f"gs://{self.bucket}/{name}", h.hexdigest(), "read-back"
        if self.provider == "azure":
            with open(src, "rb") as f:
                self.az.get_blob_client(name).upload_blob(f, overwrite=True)
            h = hashlib.sha256()
            for chunk in self.az.get_blob_client(name).download_blob().chunks():
                h.update(chunk)
            return f"{self.endpoint}/{self.container}/{name}", h.hexdigest(), "read-back"
        dst = self.local_dir / name
        tmp = dst.with_name(dst.name + ".importing")
        with open(src, "rb") as fi, open(tmp, "wb") as fo:
            shutil.copyfileobj(fi, fo, CHUNK)
        os.replace(tmp, dst)
        return str(dst), sha256_file(str(dst)), "read-back"

    def _put_s3(self, src: str, name: str, size: int) -> tuple[str, str, str]:
        """Small files: one PUT carrying our sha256 (ChecksumSHA256: AWS and stores that implement
        flexible checksums reject a mismatch and echo it) and our MD5 (Content-MD5, checked by every
        S3 API; the ETag of a plain single-part PUT is that MD5). Large files: multipart with per-part
        SHA256. Only when the store confirms neither is the object read back (HEAD size + sha256)."""
        key = os.path.join(self.prefix, name)
        url = f"s3://{self.bucket}/{key}"
        if size <= MULTIPART:
            with open(src, "rb") as f:
                data = f.read()
            digest = hashlib.sha256(data).digest()
            md5 = hashlib.md5(data)
            r = self.s3.put_object(Bucket=self.bucket, Key=key, Body=data, ChecksumSHA256=base64.b64encode(digest).decode(), ContentMD5=base64.b64encode(md5.digest()).decode())
            if r.get("ChecksumSHA256") == base64.b64encode(digest).decode():
                return url, digest.hex(), "server-sha256"
            if r.get("ETag", "").strip('"') == md5.hexdigest():
                return url, digest.hex(), "server-md5"
            want = digest.hex()
        else:
            want = sha256_file(src)
            self.s3.upload_file(src, self.bucket, key, ExtraArgs={"ChecksumAlgorithm": "SHA256"})
        head = self.s3.head_object(Bucket=self.bucket, Key=key)
        if head["ContentLength"] != size:
            return url, f"size {head['ContentLength']} != {size}", "head"
        h = hashlib.sha256()
        for chunk in self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].iter_chunks(CHUNK):
            h.update(chunk)
        return url, h.hexdigest(), "read-back"


def copy_files(conn, todo: list[dict], target: Target, state, progress: Progress, workers: int = WORKERS) -> dict:
    """Copies what the state table does not record as done, `workers` uploads at a time; every 500
    files their new paths go to `file.path` with their state rows in one transaction (executemany),
    so a rerun continues where this one stopped."""
    done = state.keys("file")
    rest = [f for f in todo if f["id"] not in done]
    copied, nbytes, failed, how = 0, 0, [], {}

    def one(f: dict):
        if target.provider == "s3":
            path, got, method = target.put(f["src"], f["name"], f["size"])
            want = got if method.startswith("server") else sha256_file(f["src"])
        else:
            want = sha256_file(f["src"])
            path, got, method = target.put(f["src"], f["name"], f["size"])
        if got != want:
            raise CopyFailure(f"file {f['id']}: {got} in the storage ({method}), sha256 {want} in the source")
        return f, path, want, method

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for i in range(0, len(rest), 500):
            results = []
            for fut in [pool.submit(one, f) for f in rest[i:i + 500]]:
                try:
                    results.append(fut.result())
                except Exception as e:
                    failed.append(f"{e}")
            with conn.transaction():
                cur = conn.cursor()
                cur.executemany('UPDATE "file" SET path = %s WHERE id = %s', [(p, f["id"]) for f, p, _, _ in results])
                state.put_many("file", [(f["id"], {"path": p, "size": f["size"], "sha256": h, "verified": m}) for f, p, h, m in results], cur)
            for r in results:
                how[r[3]] = how.get(r[3], 0) + 1
            copied += len(results)
            nbytes += sum(r[0]["size"] for r in results)
            progress.line("files", f"{len(done) + copied}/{len(todo)} files, {nbytes} bytes", done=len(done) + copied, total=len(todo), bytes=nbytes)
    if failed:
        raise CopyFailure(f"{len(failed)} uploads failed (rerun continues): {failed[0]}")
    total_bytes = sum(f["size"] for f in todo)
    return {"files": len(todo), "copied_now": copied, "already_done": len(todo) - len(rest), "bytes": total_bytes, "provider": target.provider, "verified": True, "verified_by": how, "workers": workers}
