"""Kiểm tra: the page beside its fields; correct, confirm, sign off. Also the page pictures."""
from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from common.errors import AppError

from .. import archive, eform
from ..codes import check_owner_id
from ..errors import ConflictError, NotFoundError, UserError
from ..http import state
from ..http.auth import Caller
from .labels import LOW_CONFIDENCE
from .page_images import REVIEW, THUMBNAIL, ZOOM
from .render import render
from .session import check_csrf, require_page

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
counter = require_page("counter")
readers = require_page("counter", "archivist")


@router.get("/kiem-tra")
def review_list(request: Request, ma: str = "", caller: Caller = Depends(counter)):
    services = state.services(request)
    typed = ma.strip().upper()
    owner = _owner_id(typed)
    if typed and owner is None:
        return RedirectResponse(f"/kiem-tra/{typed}", status_code=303)
    # A personal id or tax code typed instead: that citizen's or organisation's papers.
    documents = services.catalog.documents_of_owner(owner, limit=200) if owner else services.catalog.find(limit=50)
    return render(request, "review_list.html", {"documents": documents, "owner": owner,
                                                "status": {d["code"]: _status(services, d["code"]) for d in documents}})


def _owner_id(typed: str) -> str | None:
    try:
        digits = typed.replace("-", "")
        return check_owner_id(typed) if digits.isascii() and digits.isdigit() else None
    except UserError:
        return None


def _status(services, code: str) -> tuple[str, str]:
    """(words, css class) for where a document's e-form stands."""
    try:
        form = eform.load(services, code)
    except AppError as exc:  # one unreadable e-form must not hide the list (an integrity alert is logged)
        log.warning("e-form of %s unreadable for the review list: %s", code, exc.code)
        return "Không đọc được biểu mẫu", "warn"
    if form.signed_off is not None:
        return "Đã ký xác nhận", "ok"
    unsure = [f for f in form.fields.values() if not f.verified and (f.confidence or 0) < LOW_CONFIDENCE]
    if unsure:
        return f"Cần kiểm tra ({len(unsure)} trường)", "warn"
    if all(f.verified for f in form.fields.values()):
        return "Đã xác nhận, chưa ký", "ok"
    return "Chưa xác nhận", ""


@router.get("/kiem-tra/{code}")
def review(request: Request, code: str, trang: int = Query(1, ge=1), caller: Caller = Depends(counter)):
    return review_page(request, code, trang, caller)


@router.post("/kiem-tra/{code}")
async def save(request: Request, code: str, caller: Caller = Depends(counter)):
    """The form sends value:<field> for every field, confirm:<field> for the ticked ones, and the version."""
    form = await request.form()
    check_csrf(request, form.get("csrf"))
    return await asyncio.to_thread(_save, request, code, list(form.multi_items()), caller)


def _save(request: Request, code: str, items: list[tuple[str, str]], caller: Caller):
    doc = state.document_or_404(request, code)
    services = state.services(request)
    posted = dict(items)
    page, sign_off = _int(posted.get("page"), 1), posted.get("action") == "sign"
    try:
        current = eform.load(services, doc["code"], _int(posted.get("version"), 1))
        values = {name[6:]: str(value) for name, value in items if name.startswith("value:")
                  and eform.normalized(name[6:], str(value)) != current.value(name[6:])}
        confirm = [name[8:] for name, _ in items if name.startswith("confirm:")]
        if posted.get("action") == "confirm_all":
            confirm = list(current.fields)
        saved = eform.correct(services, doc["code"], based_on=current.version, values=values, confirm=confirm,
                              who=caller.name, kind=doc["kind"], sign_off=sign_off)
    except UserError as exc:
        return review_page(request, doc["code"], page, caller, error=exc.message_vi,
                            status=409 if isinstance(exc, ConflictError) else 422)
    state.audit(request, caller, "correct_fields", doc, detail=f"version {saved.version}")
    if sign_off:
        state.audit(request, caller, "sign_off_fields", doc, detail=f"version {saved.version}")
    return RedirectResponse(f"/kiem-tra/{doc['code']}?trang={page}&xong={'ky' if sign_off else 'luu'}",
                            status_code=303)


def _int(text: str | None, default: int) -> int:
    return int(text) if text and text.isdigit() else default


def review_page(request: Request, code: str, page: int, caller: Caller, *, error: str | None = None,
                 status: int = 200):
    doc = state.document_or_404(request, code)
    services = state.services(request)
    state.audit(request, caller, "read_fields", doc)
    form = eform.load(services, doc["code"])
    manifest = archive.load_manifest(services.store, doc["code"])
    sizes = _page_sizes(services, doc["code"])
    page = min(page, len(sizes)) or 1
    done = request.query_params.get("xong")
    return render(request, "review.html", {
        "doc": doc, "form": form, "page": page, "pages": len(sizes), "size": sizes[page - 1] if sizes else None,
        "error": error, "saved": {"luu": "Đã lưu.", "ky": "Đã lưu và ký xác nhận.",
                                  "trang": f"Đã tạo phiên bản {manifest.version} của giấy tờ (bản cũ vẫn được lưu).",
                                  "tach": "Đã tách thành giấy tờ mới này."}.get(done),
        "manifest": manifest, "next_code": _next_in_dossier(services, doc),
        "signature": eform.signature(services, doc["code"], form.version) if form.signed_off else None,
        "review_width": REVIEW, "zoom_width": ZOOM,
    }, status=status)


def _next_in_dossier(services, doc: dict) -> str | None:
    """The dossier's paper after this one, for the clerk going through a dossier."""
    if not doc.get("dossier_code"):
        return None
    codes = [d["code"] for d in services.catalog.documents_of_dossier(doc["dossier_code"])]
    at = codes.index(doc["code"]) if doc["code"] in codes else -1
    return codes[at + 1] if 0 <= at < len(codes) - 1 else None


def _page_sizes(services, code: str) -> list[tuple[int, int]]:
    """Each page's pixel size, the frame the fields' boxes are measured in."""
    pages = archive.ocr_pages(services.store, code)
    return [(p.get("width") or 1, p.get("height") or 1) for p in pages]


@router.get("/tai-lieu/{code}/trang/{page}.jpg")
def page_image(request: Request, code: str, page: int, rong: int = Query(THUMBNAIL),
               caller: Caller = Depends(readers)):
    doc = state.document_or_404(request, code)
    if rong not in (THUMBNAIL, REVIEW, ZOOM) or not 1 <= page <= doc["pages"]:
        raise NotFoundError("not_found", "Không có trang này.", "No such page.")
    data = request.app.state.page_image(doc["code"], doc["signed_sha256"], page, rong)
    state.audit(request, caller, "read_page_image", doc, detail=f"page {page}")
    return Response(data, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=86400"})
