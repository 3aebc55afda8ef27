"""Logging in to the web pages: a named account (username and password), the province's single
sign-on, or an API key. The session is held on the server (storage.people): the signed cookie holds
only its random id. Logging out, removing the account, or removing the key from the configuration
ends it at once. Every form and script sends back the session's CSRF token."""
from __future__ import annotations

import hmac
import os
import secrets
import tempfile
from pathlib import Path

from fastapi import Request

from storage.people import WebSession

from ..http.auth import Caller, client_of, web_session

ROLE_NAMES = {"counter": "Cán bộ một cửa", "portal": "Cổng dịch vụ công", "archivist": "Lưu trữ viên",
              "admin": "Quản trị"}


_UNSET = object()


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


def start_session(request: Request, *, name: str, role: str, via: str, key: str | None = None) -> None:
    """A fresh session (a new id, so one planted before the login is worthless)."""
    people = request.app.state.services.people
    session_id = people.open_session(name=name, role=role, via=via, key=key,
                                     hours=request.app.state.services.settings.session_hours)
    request.session.clear()
    request.session["sid"] = session_id
    request.state.web_session = people.session(session_id)


def end_session(request: Request) -> None:
    session_id = session_of(request).get("sid")
    if session_id:
        request.app.state.services.people.close_session(session_id)
    request.session.clear()
    request.state.web_session = None


def session_of(request: Request) -> dict:
    """The cookie's contents, or nothing for responses made outside the session middleware."""
    return request.scope.get("session") or {}


def current(request: Request) -> WebSession | None:
    """The server's record of this browser's session, if it is still open and its key still configured."""
    known = getattr(request.state, "web_session", _UNSET)
    if known is not _UNSET:
        return known
    found = web_session(request.app.state, session_of(request).get("sid"))
    request.state.web_session = found
    return found


def caller_of(request: Request) -> Caller | None:
    found = current(request)
    if found is None or found.role not in ROLE_NAMES:
        return None
    return Caller(name=found.name, role=found.role, client=client_of(request))


def csrf_of(request: Request) -> str:
    found = current(request)
    return found.csrf if found else ""


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
    expected = csrf_of(request)
    if not expected or not token or not hmac.compare_digest(expected, token):
        raise NotAllowed()


def may(caller: Caller | None, *roles: str) -> bool:
    return caller is not None and (caller.role in roles or caller.role == "admin")
