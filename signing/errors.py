"""Signing and verification errors."""
from common.errors import AppError, ServerFault


class SigningError(ServerFault):
    """Our side could not sign: the key, its certificate, the token, the font or the settings."""


class SigningServiceFailed(SigningError):
    """A service the signature needs (timestamp authority, OCSP) failed."""

    status = 502


class UnreadablePdf(AppError):
    """A PDF given to verify cannot be read, or its signature is malformed: the caller's file."""

    status = 400
