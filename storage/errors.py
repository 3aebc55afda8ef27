class StorageError(RuntimeError):
    """The warehouse refused or failed an operation, with a stable code and messages."""

    def __init__(self, code: str, message_vi: str, message_en: str):
        super().__init__(message_en)
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en


def integrity_error(key: str) -> StorageError:
    return StorageError("integrity_error", f"Dữ liệu lưu trữ bị sai lệch (tổng kiểm tra không khớp): {key}.",
                        f"Stored object failed its SHA-256 check: {key}.")


def not_found(key: str) -> StorageError:
    return StorageError("not_found", f"Không tìm thấy dữ liệu: {key}.", f"No such object: {key}.")
