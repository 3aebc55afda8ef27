"""Errors about the input itself: the user can act on them, no traceback needed."""
from common.errors import AppError


class PageInputError(AppError):
    """A file that cannot be turned into pages: corrupt, encrypted, empty."""

    status = 400


class UnsupportedFileType(PageInputError):
    status = 415


class InputTooLarge(PageInputError):
    """Too many pages or pixels."""

    status = 413
