"""Logging in to the web pages with an API key: the session remembers the caller's name and role
(a signed cookie, never the key) and a token that every form and script sends back (CSRF)."""
from __future__ import annotations

import hmac
import os
import secrets
import tempfile
from pathlib import Path

from fastapi import Request

from ..http.auth import Caller, identify

ROLE_NAMES = {"counter": "Cán bộ một cửa", "portal": "Cổng dịch vụ công", "archivist": "Lưu trữ viên",
              "admin": "Quản trị"}


class LoginRequired(Exception):
    """Not logged in: the page sends the browser to the login form."""


class NotAllowed(Exception):
    """Logged in with a role that may not open this page."""


def session_secret(configured: str, home: Path) -> str:
    """The configured secret, else one made on first use and kept in `home` (same for every worker)."""
    if configured:
        return configured
    path = Path(home) / "web-session.key"
    if not path.exists():  # written aside, then linked: processes starting together all read one whole key
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return path.read_text().strip()


def log_in(request: Request, key: str) -> Caller | None:
    found = identify(request.app.state.api_keys, key.strip())
    if found is None:
        return None
    request.session.clear()
    request.session.update(name=found[0], role=found[1], csrf=secrets.token_urlsafe(24))
    return caller_of(request)


def session_of(request: Request) -> dict:
    """The session, or nothing for responses made outside the session middleware (server errors)."""
    return request.scope.get("session") or {}


def caller_of(request: Request) -> Caller | None:
    session = session_of(request)
    name, role = session.get("name"), session.get("role")
    if not name or role not in ROLE_NAMES:
        return None
    return Caller(name=name, role=role, client=request.client.host if request.client else None)


def require_page(*roles: str):
    """A dependency for pages: the logged-in caller, if their role (or admin) may open it."""
    allowed = set(roles) | {"admin"}

    def check(request: Request) -> Caller:
        caller = caller_of(request)
        if caller is None:
            raise LoginRequired()
        if caller.role not in allowed:
            raise NotAllowed()
        return caller

    return check


def check_csrf(request: Request, token: str | None) -> None:
    expected = session_of(request).get("csrf")
    if not expected or not token or not hmac.compare_digest(expected, token):
        raise NotAllowed()


def may(caller: Caller | None, *roles: str) -> bool:
    return caller is not None and (caller.role in roles or caller.role == "admin")
