"""Warehouse and catalog errors: a server fault unless the caller asked for what is not there."""
from common.errors import ServerFault, Unavailable


class StorageError(ServerFault):
    """The warehouse refused or failed an operation (object locked, integrity check failed)."""


class ObjectNotFound(StorageError):
    status = 404
    exit_code = 1


class ObjectExists(StorageError):
    """Another object already holds this key: objects are created once and never overwritten."""
    status = 409
    exit_code = 1


class StorageUnavailable(Unavailable):
    """MinIO or the catalog is away for now."""


def integrity_error(key: str) -> StorageError:
    return StorageError("integrity_error", f"Dữ liệu lưu trữ bị sai lệch (tổng kiểm tra không khớp): {key}.",
                        f"Stored object failed its SHA-256 check: {key}.")


def not_found(key: str) -> ObjectNotFound:
    return ObjectNotFound("not_found", f"Không tìm thấy dữ liệu: {key}.", f"No such object: {key}.")
