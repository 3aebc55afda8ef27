"""The warehouse's object stores: a local directory and MinIO, behind one interface.

Every object records its SHA-256 when written and is checked on every read;
a mismatch raises instead of serving altered data. A key is written once: the
write itself is conditional (create if absent), so of two writers racing for one
key exactly one wins and the other gets `ObjectExists` (MinIO adds object lock on top).
Writing the same bytes again is a no-op, so a retried job does not fail.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator, Protocol

from .errors import (
    ObjectExists,
    ObjectNotFound,
    StorageError,
    StorageUnavailable,
    integrity_error,
    not_found,
)

log = logging.getLogger(__name__)
CONNECT_TIMEOUT_S, READ_TIMEOUT_S = 5, 10
# What MinIO answers for an object whose bytes on disk fail their bitrot check (SlowDownRead: "Resource
# requested is unreadable", seen for a flipped bit on a single drive).
DAMAGED_CODES = {"XMinioObjectCorrupted", "FileCorrupt", "XMinioDiskCorrupt", "SlowDownRead"}


@dataclass
class StoredObject:
    key: str
    sha256: str
    size: int


class ObjectStore(Protocol):
    def put(self, key: str, data: bytes, content_type: str, *, retain_years: int | None = None) -> StoredObject: ...
    def get(self, key: str, *, sha256: str | None = None) -> bytes: ...
    def exists(self, key: str) -> bool: ...
    def list(self, prefix: str) -> Iterator[str]: ...


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _overwrite_refused(key: str) -> ObjectExists:
    return ObjectExists("object_locked", f"Không được ghi đè dữ liệu đã lưu: {key}.",
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
        meta = {"sha256": digest, "size": len(data), "content_type": content_type}
        if retain_years:
            meta["retain_until"] = (datetime.now(timezone.utc) + timedelta(days=365 * retain_years)).isoformat()
        # The sidecar is the claim: linked into place, it is created by exactly one writer.
        if not _create_once(self._meta_path(key), json.dumps(meta).encode()):
            if self._recorded_sha(key) == digest:
                return StoredObject(key, digest, len(data))
            raise _overwrite_refused(key)
        _atomic_write(path, data)
        return StoredObject(key, digest, len(data))

    def _recorded_sha(self, key: str) -> str | None:
        try:
            return json.loads(self._meta_path(key).read_bytes())["sha256"]
        except (OSError, ValueError, KeyError):
            return None

    def get(self, key: str, *, sha256: str | None = None) -> bytes:
        """The object, checked against its recorded SHA-256 and, when given, the one expected."""
        try:
            data = self._path(key).read_bytes()
        except FileNotFoundError:
            raise not_found(key) from None
        digest = sha256_hex(data)
        if digest != self._recorded_sha(key) or (sha256 is not None and digest != sha256):
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


def _written_aside(path: Path, data: bytes) -> Path:
    """`data` in a temporary file beside `path`, on disk, for a rename or a link into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    return tmp


def _create_once(path: Path, data: bytes) -> bool:
    """Write `path` whole unless it exists; False when another writer had it first."""
    tmp = _written_aside(path, data)
    try:
        os.link(tmp, path)
        return True
    except FileExistsError:
        return False
    finally:
        tmp.unlink()


def _atomic_write(path: Path, data: bytes) -> None:
    _written_aside(path, data).replace(path)


class MinioObjectStore:
    """Objects in a MinIO bucket created with object lock and versioning; compliance-mode retention."""

    def __init__(self, endpoint: str, access_key: str, secret_key: str, bucket: str, *, secure: bool = False,
                 default_retention_years: int = 10):
        import urllib3
        from minio import Minio

        # Reads and writes give up after READ_TIMEOUT_S without a byte (the client's default is 5 minutes),
        # with a few quick retries. MinIO answers an unreadable object with 503 and Retry-After: 120; the
        # client's default retries honoured it and held a request for minutes. Not retried here.
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT_S, read=READ_TIMEOUT_S), maxsize=16,
            retries=urllib3.Retry(total=3, read=0, backoff_factor=0.2, status_forcelist=[500, 502, 504],
                                  raise_on_status=False, respect_retry_after_header=False))
        self.client = Minio(endpoint, access_key=access_key, secret_key=secret_key, secure=secure, http_client=http)
        self.bucket = bucket
        self.default_retention_years = default_retention_years
        self._ensure_bucket()

    def _ensure_bucket(self) -> None:
        from minio.commonconfig import COMPLIANCE
        from minio.error import S3Error
        from minio.objectlockconfig import YEARS, ObjectLockConfig
        from minio.sseconfig import Rule, SSEConfig

        try:
            if not self.client.bucket_exists(self.bucket):
                # Object lock turns versioning on too; every object is encrypted at rest with the KMS key.
                self.client.make_bucket(self.bucket, object_lock=True)
                self.client.set_bucket_encryption(self.bucket, SSEConfig(Rule.new_sse_s3_rule()))
            # A default retention locks what is written without one of its own (receipts, dossier links).
            if self.client.get_object_lock_config(self.bucket).mode is None:
                self.client.set_object_lock_config(
                    self.bucket, ObjectLockConfig(COMPLIANCE, self.default_retention_years, YEARS))
        except S3Error as exc:
            if exc.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                raise _unavailable(exc) from exc
        except Exception as exc:  # urllib3 connection errors and the like
            raise _unavailable(exc) from exc

    def put(self, key: str, data: bytes, content_type: str, *, retain_years: int | None = None) -> StoredObject:
        from minio.commonconfig import COMPLIANCE
        from minio.error import S3Error
        from minio.helpers import genheaders
        from minio.retention import Retention

        digest = sha256_hex(data)
        retention = None
        if retain_years:
            until = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=365 * retain_years)
            retention = Retention(COMPLIANCE, until)
        headers = genheaders({"sha256": digest}, None, None, retention, False)
        headers.update({"Content-Type": content_type, "If-None-Match": "*"})
        try:
            # put_object() cannot send If-None-Match (it would become user metadata); our objects are small
            # enough for one PUT, so the client's single-part call does it.
            self.client._put_object(self.bucket, key, data, headers)
        except S3Error as exc:
            if exc.code != "PreconditionFailed":
                raise _unavailable(exc) from exc
            if self._head_sha(key) != digest:
                raise _overwrite_refused(key) from None
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

    def get(self, key: str, *, sha256: str | None = None) -> bytes:
        """The object, checked against its recorded SHA-256 and, when given, the one expected.

        Object lock keeps every version, so when the latest is hidden by a delete marker, replaced by a
        new version, or damaged, the version with the expected content is found and served, and the
        tampering is logged as an integrity alert; with no such version it is an integrity error."""
        try:
            data = self._read(key)
            if sha256 is None or sha256_hex(data) == sha256:
                return data
            why, error = "replaced by a newer version", integrity_error(key)
        except ObjectNotFound as exc:
            why, error = "hidden by a delete marker", exc
        except StorageError as exc:
            if exc.code != "integrity_error":
                raise
            why, error = "damaged", exc
        earlier = self._kept_version(key, sha256)
        if earlier is None:
            if why != "hidden by a delete marker" or self._has_versions(key):
                log.error("integrity alert: %s was %s and no kept version matches", key, why)
                raise integrity_error(key) from None
            raise error
        log.error("integrity alert: %s was %s; the kept version with the expected content was served", key, why)
        return earlier

    def _read(self, key: str, version_id: str | None = None) -> bytes:
        from minio.error import S3Error
        from urllib3.exceptions import ProtocolError, ReadTimeoutError

        try:
            response = self.client.get_object(self.bucket, key, version_id=version_id)
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject", "NoSuchVersion"):
                raise not_found(key) from None
            if exc.code in DAMAGED_CODES:
                log.error("integrity alert: %s could not be read back (%s)", key, exc.code)
                raise integrity_error(key) from None
            raise _unavailable(exc) from exc
        except Exception as exc:
            raise _unavailable(exc) from exc
        try:  # the server answered: a body that stalls or breaks off is a damaged object, not an outage
            data = response.read()
            recorded = response.headers.get("x-amz-meta-sha256")
        except (ReadTimeoutError, ProtocolError) as exc:
            log.error("integrity alert: %s could not be read back whole (%s)", key, type(exc).__name__)
            raise integrity_error(key) from None
        finally:
            response.close()
            response.release_conn()
        if sha256_hex(data) != recorded:
            raise integrity_error(key)
        return data

    def _versions(self, key: str):
        return [v for v in self.client.list_objects(self.bucket, prefix=key, include_version=True)
                if v.object_name == key and not v.is_delete_marker]

    def _has_versions(self, key: str) -> bool:
        return bool(self._versions(key))

    def _kept_version(self, key: str, sha256: str | None) -> bytes | None:
        """The newest intact version with the expected content (any intact one when none is expected)."""
        try:
            versions = self._versions(key)
        except Exception as exc:
            raise _unavailable(exc) from exc
        for version in sorted(versions, key=lambda v: v.last_modified, reverse=True):
            try:
                data = self._read(key, version.version_id)
            except StorageError:
                continue
            if sha256 is None or sha256_hex(data) == sha256:
                return data
        return None

    def exists(self, key: str) -> bool:
        return self._head_sha(key) is not None

    def list(self, prefix: str) -> Iterator[str]:
        try:
            for obj in self.client.list_objects(self.bucket, prefix=prefix, recursive=True):
                yield obj.object_name
        except Exception as exc:
            raise _unavailable(exc) from exc

    def presigned_url(self, key: str, *, minutes: int = 5) -> str:
        """A download link that stops working after `minutes`, for the portal to hand to a browser."""
        return self.client.presigned_get_object(self.bucket, key, expires=timedelta(minutes=minutes))


def _unavailable(exc: Exception) -> StorageUnavailable:
    log.warning("object store unavailable: %s", type(exc).__name__)  # not its address: logs are read widely
    return StorageUnavailable("storage_unavailable", "Kho lưu trữ tạm thời không truy cập được, vui lòng thử lại.",
                              "The object store is unavailable; try again.")
