"""Errors a user can act on: a stable English code and a Vietnamese message, never a traceback."""


class UserError(ValueError):
    def __init__(self, code: str, message_vi: str, message_en: str):
        super().__init__(message_en)
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en


def describe(exc: BaseException) -> tuple[str, str, str] | None:
    """(code, Vietnamese, English) for any of the project's user-facing errors, else None."""
    if all(hasattr(exc, a) for a in ("code", "message_vi", "message_en")):
        return exc.code, exc.message_vi, exc.message_en  # type: ignore[attr-defined]
    return None
