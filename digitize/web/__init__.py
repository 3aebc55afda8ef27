"""The counter and archive web pages (server-rendered, Vietnamese), served by the HTTP service.

Tiếp nhận (intake), Kiểm tra (review), Tra cứu (search), Hồ sơ lưu trữ (archive). People log in
with a staff account, the province's single sign-on, or an API key; the pages then admit the same
roles as the API routes they stand for.
"""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from . import (
    archive_pages,
    dossier_pages,
    intake_pages,
    page_tool_pages,
    review_pages,
    search_pages,
    session_pages,
    sso,
)
from .page_images import page_image_cache
from .render import render
from .session import LoginRequired, NotAllowed, session_secret

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI) -> None:
    services = app.state.services
    app.state.page_image = page_image_cache(services)
    app.state.error_page = lambda request, status, message: render(
        request, "error.html", {"title": "Không thực hiện được", "message": message}, status=status)
    settings = services.settings
    # The cookie holds the server-side session's id (and, during a single sign-on, its state).
    # same_site=lax: the province's sign-on sends the browser back here from another site.
    app.add_middleware(SessionMiddleware, secret_key=session_secret(settings.session_secret, settings.home),
                       session_cookie="digitize_session", max_age=int(settings.session_hours * 3600),
                       same_site="lax", https_only=settings.secure_cookies)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (session_pages, intake_pages, dossier_pages, review_pages, page_tool_pages, search_pages, archive_pages):
        app.include_router(module.router)
    sso.install(app, settings)

    @app.exception_handler(LoginRequired)
    async def login_first(request: Request, _: LoginRequired):
        return RedirectResponse(f"/dang-nhap?tiep={request.url.path}", status_code=303)

    @app.exception_handler(NotAllowed)
    async def not_allowed(request: Request, _: NotAllowed):
        return render(request, "error.html", {"title": "Không được phép",
                                              "message": "Vai trò của bạn không được mở trang này."}, status=403)
