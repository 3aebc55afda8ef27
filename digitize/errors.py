"""The core's errors, each with its HTTP status and exit code (see common.errors)."""
from common.errors import AppError, ServerFault


class UserError(AppError):
    """Bad input the user can correct: a malformed id, code, kind or file."""

    status = 400


class NotFoundError(UserError):
    status = 404


class ConflictError(UserError):
    """Someone else changed it meanwhile, or it belongs to someone else."""

    status = 409


class TooLargeError(UserError):
    status = 413


class InvalidFieldError(UserError):
    """An e-form edit that cannot be saved."""

    status = 422


class ConfigurationError(ServerFault):
    """The service is configured wrongly (DIGITIZE_* settings)."""
