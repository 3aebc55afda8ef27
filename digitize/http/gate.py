"""Who sends, and how much, decided before a request body is read (an ASGI middleware).

Without it a stranger could stream hundreds of megabytes into temporary files before the API key
is even looked at. Here a request that sends a body (POST, PUT, PATCH) must first show a valid
API key (the API) or an open session (the web pages, except the login form), and its declared
length must fit; a body longer than it declared, or than the cap, is cut off.
"""
from __future__ import annotations

import json

import anyio

from .auth import identify, web_session
from .clients import client_address

OPEN_PATHS = {"/dang-nhap"}  # the login form posts a key, not a session
BODY_METHODS = {"POST", "PUT", "PATCH"}


class BodyGate:
    def __init__(self, app, *, app_state, max_bytes: int) -> None:
        self.app, self.state, self.max_bytes = app, app_state, max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS or scope["path"] in OPEN_PATHS:
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        if not await self._known(scope, headers):
            if not scope["path"].startswith("/v1/"):  # a web page: to the login form, as its GET would
                return await _redirect(send, f"/dang-nhap?tiep={scope['path']}")
            return await _refuse(send, 401, "unauthenticated", "Cần khóa truy cập hoặc đăng nhập.",
                                 "An API key or a login is required before sending a body.")
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            return await _refuse(send, 413, "request_too_large", _too_large_vi(self.max_bytes),
                                 f"The request is larger than {self.max_bytes} bytes.")
        await self.app(scope, self._capped(receive), send)

    async def _known(self, scope, headers: dict) -> bool:
        if scope["path"].startswith("/v1/"):
            presented = headers.get("x-api-key") or _bearer(headers.get("authorization", ""))
            if not presented:
                return False
            if identify(self.state.api_keys, presented) is not None:
                return True
            throttle, client = self.state.throttle, client_address(scope, self.state.proxies)
            await anyio.to_thread.run_sync(lambda: throttle.failed(client=client))
            return False
        session_id = (scope.get("session") or {}).get("sid")
        if not session_id:
            return False
        return await anyio.to_thread.run_sync(lambda: web_session(self.state, session_id)) is not None

    def _capped(self, receive):
        seen = 0

        async def capped():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:  # more than declared, or no length declared: stop reading
                return {"type": "http.disconnect"}
            return message

        return capped


def _bearer(value: str) -> str | None:
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _too_large_vi(limit: int) -> str:
    return f"Yêu cầu quá lớn (tối đa {limit // (1024 * 1024)} MB)."


async def _redirect(send, location: str) -> None:
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode("latin-1", "replace")), (b"content-length", b"0"),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": b""})


async def _refuse(send, status: int, code: str, vi: str, en: str) -> None:
    body = json.dumps({"error": {"code": code, "message": vi, "message_en": en}}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
