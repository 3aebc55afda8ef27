"""Log in (account and password, API key, or the province's single sign-on), log out, and the start
page of each role. Every login, failed login and logout leaves an audit line."""
from __future__ import annotations

import logging

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from ..http.auth import client_of, identify
from ..http.state import audit_event
from ..http.throttle import TooManyAttempts
from .render import MENU, render
from .session import caller_of, check_csrf, end_session, may, start_session

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)


def _home(request: Request) -> str:
    caller = caller_of(request)
    return next((path for path, _, roles in MENU if may(caller, *roles)), "/dang-nhap")


def safe_next(target: str | None) -> str | None:
    """Only a path of this site (no //host, no scheme) may follow the login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def login_page(request: Request, next_path: str, error: str | None, status: int = 200):
    return render(request, "login.html", {"next": safe_next(next_path) or "", "error": error,
                                          "sso": request.app.state.sso is not None,
                                          "sso_label": request.app.state.services.settings.oidc_label},
                  status=status)


@router.get("/")
def start(request: Request):
    if caller_of(request) is None:
        return RedirectResponse("/dang-nhap", status_code=303)
    home = _home(request)
    if home == "/dang-nhap":
        return render(request, "error.html", {"title": "Không có trang cho vai trò này",
                                              "message": "Vai trò cổng dịch vụ công chỉ dùng giao diện lập trình (API)."})
    return RedirectResponse(home, status_code=303)


@router.get("/dang-nhap")
def login_form(request: Request, tiep: str | None = None):
    return login_page(request, tiep or "", None)


@router.post("/dang-nhap")
def login(request: Request, username: str = Form(""), password: str = Form(""), key: str = Form(""),
          tiep: str = Form("")):
    """With `username` and `password` (a person), or with `key` (an API key of the service)."""
    username, client = username.strip().lower()[:64], client_of(request)
    throttle = request.app.state.throttle
    try:
        throttle.check(client=client, account=username or None)
    except TooManyAttempts as exc:
        audit_event(request, who=username or "?", role="-", action="login_refused", client=client)
        return login_page(request, tiep, exc.message_vi, status=429)
    if username:
        account = request.app.state.services.people.check_password(username, password)
        who = (account.username, account.role) if account else None
        via, wrong = "password", "Tên đăng nhập hoặc mật khẩu không đúng."
    else:
        who = identify(request.app.state.api_keys, key.strip()) if key.strip() else None
        via, wrong = "key", "Khóa truy cập không đúng."
    if who is None:
        throttle.failed(client=client, account=username or None)
        log.warning("failed web login (%s)", "password" if username else "API key")
        audit_event(request, who=username or "?", role="-", action="login_failed", client=client)
        return login_page(request, tiep, wrong, status=401)
    if username:
        throttle.succeeded(account=username)
    start_session(request, name=who[0], role=who[1], via=via, key=key.strip() if via == "key" else None)
    audit_event(request, who=who[0], role=who[1], action="login", client=client)
    return RedirectResponse(safe_next(tiep) or _home(request), status_code=303)


@router.post("/dang-xuat")
def logout(request: Request, csrf: str = Form("")):
    check_csrf(request, csrf)
    caller = caller_of(request)
    end_session(request)
    if caller:
        audit_event(request, who=caller.name, role=caller.role, action="logout", client=caller.client)
    return RedirectResponse("/dang-nhap", status_code=303)
