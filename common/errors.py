"""The one error base: a stable English code, a Vietnamese message for people, an English one
for logs and API clients, and what the error means to HTTP and to the shell.

Each package derives its own errors from `AppError`, and each class states its status and exit
code where it is defined: the caller's fault is 4xx and exit 1, a server fault 5xx and exit 4.
"""
from __future__ import annotations

EXIT_BAD_INPUT = 1
EXIT_SERVER_FAULT = 4


class AppError(Exception):
    status: int = 400
    exit_code: int = EXIT_BAD_INPUT

    def __init__(self, code: str, message_vi: str, message_en: str):
        super().__init__(message_en)
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en

    def to_json(self) -> dict:
        return {"error": {"code": self.code, "message": self.message_vi, "message_en": self.message_en}}

    def __reduce__(self):  # crosses process boundaries (common.sandbox) with its three messages
        return type(self), (self.code, self.message_vi, self.message_en)


class ServerFault(AppError):
    """Not the caller's fault: configuration, a server or a component failed."""

    status = 500
    exit_code = EXIT_SERVER_FAULT


class Unavailable(ServerFault):
    """A server the work needs is away for now: try again later."""

    status = 503
