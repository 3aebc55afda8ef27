"""Every error as JSON with a stable English code and a Vietnamese message; never a traceback."""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import describe

log = logging.getLogger(__name__)

# Project error codes that are the caller's fault map to 4xx; the rest of describe()'s are 5xx.
STATUS = {"not_found": 404, "unsupported_type": 415, "empty_file": 400, "file_too_large": 413, "too_many_pages": 413, "image_too_large": 413,
          "storage_unavailable": 503, "integrity_error": 500, "signing_failed": 502, "signer_not_valid": 500,
          "token_unavailable": 500, "font_missing": 500, "signer_unreadable": 500, "version_conflict": 409,
          "version_not_found": 404, "unknown_field": 422, "invalid_field_name": 422, "invalid_field_value": 422,
          "invalid_date": 422, "nothing_to_save": 422,
          "dossier_not_found": 404, "dossier_owner_mismatch": 409}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message_vi: str, message_en: str):
        super().__init__(message_en)
        self.status, self.code, self.message_vi, self.message_en = status, code, message_vi, message_en


def body(code: str, vi: str, en: str) -> dict:
    return {"error": {"code": code, "message": vi, "message_en": en}}


def install(app: FastAPI) -> None:
    def respond(request: Request, status: int, code: str, vi: str, en: str):
        """JSON, except for a browser opening a web page: then the page says it (app.state.error_page)."""
        page = getattr(app.state, "error_page", None)
        if page and "text/html" in request.headers.get("accept", "") and not request.url.path.startswith("/v1/"):
            return page(request, status, vi)
        return JSONResponse(body(code, vi, en), status_code=status)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError):
        return respond(request, exc.status, exc.code, exc.message_vi, exc.message_en)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        where = "; ".join(".".join(str(p) for p in e.get("loc", ())) + ": " + e.get("msg", "") for e in exc.errors())
        return respond(request, 422, "invalid_request", f"Yêu cầu không hợp lệ: {where}", f"Invalid request: {where}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return respond(request, exc.status_code, code, "Không tìm thấy hoặc không hỗ trợ.", str(exc.detail))

    async def described(request: Request, exc: Exception):
        code, vi, en = describe(exc)
        return respond(request, STATUS.get(code, 400), code, vi, en)

    for error_class in _project_errors():
        app.add_exception_handler(error_class, described)

    @app.exception_handler(Exception)
    async def anything(request: Request, exc: Exception):
        log.exception("unexpected error")
        return respond(request, 500, "internal_error", "Lỗi nội bộ, vui lòng báo cho quản trị hệ thống.",
                       f"Internal error: {type(exc).__name__}")


def _project_errors() -> list[type]:
    from ocr.errors import PageInputError
    from signing.errors import SigningError
    from storage.errors import StorageError

    from ..errors import UserError

    return [UserError, PageInputError, StorageError, SigningError]
