"""Log in, log out, and the start page of each role."""
from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from .render import MENU, render
from .session import caller_of, check_csrf, log_in, may

router = APIRouter(include_in_schema=False)


def _home(request: Request) -> str:
    caller = caller_of(request)
    return next((path for path, _, roles in MENU if may(caller, *roles)), "/dang-nhap")


def _safe_next(target: str | None) -> str | None:
    """Only a path of this site (no //host, no scheme) may follow the login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


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
    return render(request, "login.html", {"next": _safe_next(tiep) or "", "error": None})


@router.post("/dang-nhap")
def login(request: Request, key: str = Form(""), tiep: str = Form("")):
    if log_in(request, key) is None:
        return render(request, "login.html", {"next": _safe_next(tiep) or "",
                                              "error": "Khóa truy cập không đúng."}, status=401)
    return RedirectResponse(_safe_next(tiep) or _home(request), status_code=303)


@router.post("/dang-xuat")
def logout(request: Request, csrf: str = Form("")):
    check_csrf(request, csrf)
    request.session.clear()
    return RedirectResponse("/dang-nhap", status_code=303)
