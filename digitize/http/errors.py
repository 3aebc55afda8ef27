"""Every error as JSON with a stable English code and a Vietnamese message; never a traceback.

The status comes from the error class itself (common.errors.AppError and its subclasses)."""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from common.errors import AppError

log = logging.getLogger(__name__)


class Unauthenticated(AppError):
    status = 401


class Forbidden(AppError):
    status = 403


def body(code: str, vi: str, en: str) -> dict:
    return {"error": {"code": code, "message": vi, "message_en": en}}


def install(app: FastAPI) -> None:
    def respond(request: Request, status: int, code: str, vi: str, en: str):
        """JSON, except for a browser opening a web page: then the page says it (app.state.error_page)."""
        page = getattr(app.state, "error_page", None)
        if page and "text/html" in request.headers.get("accept", "") and not request.url.path.startswith("/v1/"):
            return page(request, status, vi)
        return JSONResponse(body(code, vi, en), status_code=status)

    @app.exception_handler(AppError)
    async def app_error(request: Request, exc: AppError):
        if exc.status >= 500:
            log.warning("%s on %s: %s", exc.code, request.url.path, exc.message_en)
        return respond(request, exc.status, exc.code, exc.message_vi, exc.message_en)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        where = "; ".join(".".join(str(p) for p in e.get("loc", ())) + ": " + e.get("msg", "") for e in exc.errors())
        return respond(request, 422, "invalid_request", f"Yêu cầu không hợp lệ: {where}", f"Invalid request: {where}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return respond(request, exc.status_code, code, "Không tìm thấy hoặc không hỗ trợ.", str(exc.detail))

    @app.exception_handler(Exception)
    async def anything(request: Request, exc: Exception):
        log.exception("unexpected error")
        return respond(request, 500, "internal_error", "Lỗi nội bộ, vui lòng báo cho quản trị hệ thống.",
                       f"Internal error: {type(exc).__name__}")
