"""What every route reaches through `request.app.state`: services, the queue, metrics; and the audit."""
from __future__ import annotations

from fastapi import Request

from ..services import Services
from .auth import Caller
from .errors import ApiError


def services(request: Request) -> Services:
    return request.app.state.services


def queue(request: Request):
    return request.app.state.queue


def document_or_404(request: Request, code: str) -> dict:
    doc = services(request).catalog.get(code.strip().upper())
    if doc is None:
        raise ApiError(404, "document_not_found", f"Không có giấy tờ mã {code}.", f"No document {code}.")
    return doc


def audit(request: Request, caller: Caller, action: str, doc: dict) -> None:
    """Every read of a document leaves one line: who, what, when, from where."""
    services(request).catalog.audit(who=caller.name, role=caller.role, action=action, document_code=doc["code"],
                                    owner_id=doc.get("owner_id"), client=caller.client)
