"""The warehouse's object stores: a local directory and MinIO, behind one interface.

Every object records its SHA-256 when written and is checked on every read;
a mismatch raises instead of serving altered data. Written objects are never
overwritten with different content (MinIO adds object lock on top).
"""
from __future__ import annotations

import hashlib
import io
import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator, Protocol

from .errors import StorageError, StorageUnavailable, integrity_error, not_found

log = logging.getLogger(__name__)


@dataclass
class StoredObject:
    key: str
    sha256: str
    size: int


class ObjectStore(Protocol):
    def put(self, key: str, data: bytes, content_type: str, *, retain_years: int | None = None) -> StoredObject: ...
    def get(self, key: str) -> bytes: ...
    def exists(self, key: str) -> bool: ...
    def list(self, prefix: str) -> Iterator[str]: ...


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _overwrite_refused(key: str) -> StorageError:
    return StorageError("object_locked", f"Không được ghi đè dữ liệu đã lưu: {key}.",
                        f"Refusing to overwrite a stored object with different content: {key}.")


class LocalObjectStore:
    """Objects as files under `root`, SHA-256 and retention in a sidecar under root/.meta/."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        if key.startswith("/") or ".." in key.split("/"):
            raise ValueError(f"bad object key {key!r}")
        return self.root / key

    def _meta_path(self, key: str) -> Path:
        return self.root / ".meta" / f"{key}.json"

    def put(self, key: str, data: bytes, content_type: str, *, retain_years: int | None = None) -> StoredObject:
        digest = sha256_hex(data)
        path = self._path(key)
        if path.exists():
            if self._recorded_sha(key) == digest:
                return StoredObject(key, digest, len(data))
            raise _overwrite_refused(key)
        meta = {"sha256": digest, "size": len(data), "content_type": content_type}
        if retain_years:
            meta["retain_until"] = (datetime.now(timezone.utc) + timedelta(days=365 * retain_years)).isoformat()
        _atomic_write(self._meta_path(key), json.dumps(meta).encode())
        _atomic_write(path, data)
        return StoredObject(key, digest, len(data))

    def _recorded_sha(self, key: str) -> str | None:
        try:
            return json.loads(self._meta_path(key).read_bytes())["sha256"]
        except (OSError, ValueError, KeyError):
            return None

    def get(self, key: str) -> bytes:
        try:
            data = self._path(key).read_bytes()
        except FileNotFoundError:
            raise not_found(key) from None
        if sha256_hex(data) != self._recorded_sha(key):
            raise integrity_error(key)
        return data

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list(self, prefix: str) -> Iterator[str]:
        base = self.root
        for path in sorted(base.rglob("*")):
            if path.is_file() and ".meta" not in path.relative_to(base).parts and not path.name.endswith(".tmp"):
                key = path.relative_to(base).as_posix()
                if key.startswith(prefix):
                    yield key


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    tmp.replace(path)


class MinioObjectStore:
    """Objects in a MinIO bucket created with object lock and versioning; compliance-mode retention."""

    def __init__(self, endpoint: str, access_key: str, secret_key: str, bucket: str, *, secure: bool = False):
        from minio import Minio

        self.client = Minio(endpoint, access_key=access_key, secret_key=secret_key, secure=secure)
        self.bucket = bucket
        self._ensure_bucket()

    def _ensure_bucket(self) -> None:
        from minio.error import S3Error
        from minio.sseconfig import Rule, SSEConfig

        try:
            if not self.client.bucket_exists(self.bucket):
                # Object lock turns versioning on too; every object is encrypted at rest with the KMS key.
                self.client.make_bucket(self.bucket, object_lock=True)
                self.client.set_bucket_encryption(self.bucket, SSEConfig(Rule.new_sse_s3_rule()))
        except S3Error as exc:
            if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                raise _unavailable(exc) from exc
        except Exception as exc:  # urllib3 connection errors and the like
            raise _unavailable(exc) from exc

    def put(self, key: str, data: bytes, content_type: str, *, retain_years: int | None = None) -> StoredObject:
        from minio.commonconfig import COMPLIANCE
        from minio.retention import Retention

        digest = sha256_hex(data)
        existing = self._head_sha(key)
        if existing is not None:
            if existing == digest:
                return StoredObject(key, digest, len(data))
            raise _overwrite_refused(key)
        retention = None
        if retain_years:
            until = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=365 * retain_years)
            retention = Retention(COMPLIANCE, until)
        try:
            self.client.put_object(self.bucket, key, io.BytesIO(data), len(data), content_type=content_type,
                                   metadata={"sha256": digest}, retention=retention)
        except Exception as exc:
            raise _unavailable(exc) from exc
        return StoredObject(key, digest, len(data))

    def _head_sha(self, key: str) -> str | None:
        from minio.error import S3Error

        try:
            stat = self.client.stat_object(self.bucket, key)
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject", "ResourceNotFound"):
                return None
            raise _unavailable(exc) from exc
        except Exception as exc:
            raise _unavailable(exc) from exc
        return (stat.metadata or {}).get("x-amz-meta-sha256") or ""

    def get(self, key: str) -> bytes:
        from minio.error import S3Error

        try:
            response = self.client.get_object(self.bucket, key)
            try:
                data = response.read()
                recorded = response.headers.get("x-amz-meta-sha256")
            finally:
                response.close()
                response.release_conn()
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject"):
                raise not_found(key) from None
            raise _unavailable(exc) from exc
        except Exception as exc:
            raise _unavailable(exc) from exc
        if sha256_hex(data) != recorded:
            raise integrity_error(key)
        return data

    def exists(self, key: str) -> bool:
        return self._head_sha(key) is not None

    def list(self, prefix: str) -> Iterator[str]:
        for obj in self.client.list_objects(self.bucket, prefix=prefix, recursive=True):
            yield obj.object_name

    def presigned_url(self, key: str, *, minutes: int = 5) -> str:
        """A download link that stops working after `minutes`, for the portal to hand to a browser."""
        return self.client.presigned_get_object(self.bucket, key, expires=timedelta(minutes=minutes))


def _unavailable(exc: Exception) -> StorageUnavailable:
    log.warning("object store unavailable: %s", type(exc).__name__)  # not its address: logs are read widely
    return StorageUnavailable("storage_unavailable", "Kho lưu trữ tạm thời không truy cập được, vui lòng thử lại.",
                              "The object store is unavailable; try again.")
