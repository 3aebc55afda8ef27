"""What the routes share: services and queue from `request.app.state`, documents, the audit, uploads."""
from __future__ import annotations

from fastapi import Request, UploadFile
from fastapi.responses import Response

from .. import archive
from ..errors import NotFoundError, TooLargeError
from ..services import Services
from .auth import Caller


def services(request: Request) -> Services:
    return request.app.state.services


def queue(request: Request):
    return request.app.state.queue


def document_or_404(request: Request, code: str) -> dict:
    catalog = services(request).catalog
    doc = catalog.get(code.strip().upper())
    if doc is None:
        typed = code.strip().upper()[:80]
        near = catalog.codes_starting(typed + "-", limit=3) if typed and typed.isprintable() else []
        hint = f" Có phải mã {' hoặc '.join(near)}? (mã đủ có hai ký tự kiểm tra ở cuối)" if near else ""
        raise NotFoundError("document_not_found", f"Không có giấy tờ mã {code}.{hint}",
                            f"No document {code}." + (f" Did you mean {', '.join(near)}?" if near else ""))
    return doc


def audit(request: Request, caller: Caller, action: str, doc: dict, detail: str | None = None) -> None:
    """Every read of a document leaves one line: who, what, when, from where."""
    services(request).catalog.audit(who=caller.name, role=caller.role, action=action, document_code=doc["code"],
                                    owner_id=doc.get("owner_id"), client=caller.client, detail=detail)


def audit_results(request: Request, caller: Caller, docs: list[dict]) -> None:
    """A search shows each result's title and snippet: one line per document shown."""
    services(request).catalog.audit_many(who=caller.name, role=caller.role, action="read_snippet",
                                         client=caller.client,
                                         lines=[(d["code"], d.get("owner_id"), None) for d in docs])


def audit_event(request: Request, *, who: str, role: str, action: str, client: str | None,
                code: str | None = None) -> None:
    """A line of the audit trail that is not a document read: logins, failed logins, logouts."""
    services(request).catalog.audit(who=who[:120], role=role, action=action, document_code=code, client=client)


CHUNK = 1024 * 1024


async def read_limited(upload: UploadFile, limit: int) -> bytes:
    """The upload, refused as soon as it passes `limit` bytes (it is not read to the end first)."""
    parts, size = [], 0
    while chunk := await upload.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise TooLargeError("file_too_large", f"Tệp {upload.filename} quá lớn (tối đa {limit // CHUNK} MB).",
                           f"{upload.filename} is larger than {limit} bytes.")
        parts.append(chunk)
    return b"".join(parts)


def pdf_response(request: Request, doc: dict) -> Response:
    data = archive.signed_pdf(services(request).store, doc["code"], doc.get("signed_sha256"))
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{doc["code"]}.pdf"'})


def summary(doc: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in doc.items()
            if k not in ("text", "search_text", "original_sha256")}
