"""The review page's page tools: turn, move up or down, delete, split here, move to another
document, rescan one page, merge another document in. Each makes a new version (page_tools.py)."""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from .. import page_tools
from ..errors import ConflictError, UserError
from ..http import state
from ..http.auth import Caller
from .review_pages import review_page
from .session import check_csrf, require_page

router = APIRouter(include_in_schema=False)
counter = require_page("counter")
ACTIONS = ("rotate", "up", "down", "delete", "split", "move", "rescan", "merge")


@router.post("/kiem-tra/{code}/trang")
async def page_tool(request: Request, code: str, caller: Caller = Depends(counter)):
    """The form sends the action, the page, the version the clerk saw, and for some a code or a file."""
    form = await request.form()
    check_csrf(request, form.get("csrf"))
    doc = state.document_or_404(request, code)
    action, page, based_on = str(form.get("action", "")), _int(form.get("page")), _int(form.get("based_on"))
    other = str(form.get("to") or "").strip().upper()
    upload = form.get("file")
    data = await upload.read() if hasattr(upload, "read") else b""
    try:
        if action not in ACTIONS:
            raise UserError("unknown_action", "Không rõ thao tác.", f"Unknown page action {action!r}.")
        target = await asyncio.to_thread(_apply, request, doc, action, page, based_on, other, data, caller)
    except UserError as exc:
        return review_page(request, doc["code"], max(page, 1), caller, error=exc.message_vi,
                           status=409 if isinstance(exc, ConflictError) else 422)
    code, shown, done = target
    return RedirectResponse(f"/kiem-tra/{code}?trang={shown}&xong={done}", status_code=303)


def _apply(request: Request, doc: dict, action: str, page: int, based_on: int, other: str, data: bytes,
           caller: Caller) -> tuple[str, int, str]:
    """(the document to show, its page, the message) after the action."""
    services, code, pages = state.services(request), doc["code"], doc["pages"]
    order = list(range(1, pages + 1))
    if action == "rotate":
        page_tools.edit(services, code, based_on=based_on, by=caller, rotate={page: 1})
    elif action in ("up", "down"):
        to = page - 1 if action == "up" else page + 1
        if not 1 <= to <= pages:
            raise UserError("bad_page", "Trang đã ở đầu hoặc cuối giấy tờ.", "The page is first or last already.")
        order[page - 1], order[to - 1] = order[to - 1], order[page - 1]
        page_tools.edit(services, code, based_on=based_on, by=caller, order=order)
        page = to
    elif action == "delete":
        page_tools.edit(services, code, based_on=based_on, by=caller, order=[n for n in order if n != page])
        page = max(1, page - 1)
    elif action == "split":
        _kept, new = page_tools.split(services, code, page, based_on=based_on, by=caller)
        return new.code, 1, "tach"
    elif action == "move":
        target = state.document_or_404(request, other or "-")
        page_tools.move(services, code, [page], target["code"], based_on=based_on, by=caller)
        page = max(1, page - 1)
    elif action == "rescan":
        if not data:
            raise UserError("no_file", "Hãy chọn tệp quét lại của trang.", "Choose the rescanned page's file.")
        page_tools.edit(services, code, based_on=based_on, by=caller, rescans={page: data})
    elif action == "merge":
        target = state.document_or_404(request, other or "-")
        page_tools.merge(services, code, target["code"], based_on=based_on, by=caller)
    return code, page, "trang"


def _int(value) -> int:
    text = str(value or "")
    return int(text) if text.isdigit() else 0
