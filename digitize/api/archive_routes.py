"""Archivists: search, retrieval, verification, the audit trail."""
from __future__ import annotations

import asyncio
import json
from datetime import date, datetime, time

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import Response

from signing import verify_pdf
from storage import layout

from ..codes import check_kind, check_owner_id
from ..pipeline import VIETNAM
from . import state
from .auth import Caller, require

router = APIRouter(prefix="/v1", tags=["lưu trữ (archive)"])


@router.get("/search", summary="Tìm theo chủ hồ sơ, hồ sơ, loại, cơ quan, ngày, hoặc toàn văn không dấu")
def search(request: Request, q: str | None = None, owner_id: str | None = None, dossier_code: str | None = None,
           kind: str | None = None, agency_id: str | None = None, since: date | None = None,
           until: date | None = None, limit: int = 50, caller: Caller = Depends(require("archivist"))) -> dict:
    catalog = state.services(request).catalog
    limit = max(1, min(limit, 200))
    if q:
        docs = catalog.search(q, limit=limit)
    elif owner_id:
        docs = catalog.documents_of_owner(check_owner_id(owner_id), check_kind(kind) if kind else None, limit=limit)
    elif dossier_code:
        docs = catalog.documents_of_dossier(dossier_code.strip().upper())
    else:
        at = lambda d: datetime.combine(d, time(), VIETNAM) if d else None  # noqa: E731
        docs = catalog.find(agency_id=agency_id, kind=check_kind(kind) if kind else None, since=at(since),
                            until=at(until), limit=limit)
    return {"count": len(docs), "documents": [state.summary(d) for d in docs]}


@router.get("/documents/{code}", summary="Bản kê (manifest) của một giấy tờ")
def manifest(code: str, request: Request, caller: Caller = Depends(require("archivist"))) -> dict:
    doc = state.document_or_404(request, code)
    state.audit(request, caller, "read_manifest", doc)
    stored = json.loads(state.services(request).store.get(layout.manifest_key(doc["code"])))
    return {**stored, "dossiers": state.services(request).catalog.dossiers_of(doc["code"])}


@router.get("/documents/{code}/pdf", summary="Bản PDF đã ký số", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
def pdf(code: str, request: Request, caller: Caller = Depends(require("archivist"))) -> Response:
    doc = state.document_or_404(request, code)
    state.audit(request, caller, "read_pdf", doc)
    return state.pdf_response(request, doc)


@router.get("/documents/{code}/verify", summary="Kiểm tra chữ ký số của bản lưu trữ")
def verify_stored(code: str, request: Request, caller: Caller = Depends(require("archivist"))) -> dict:
    doc = state.document_or_404(request, code)
    state.audit(request, caller, "verify", doc)
    services = state.services(request)
    data = services.store.get(layout.document_key(doc["code"], "signed.pdf"))
    return verify_pdf(data, services.trust_roots).to_json()


@router.post("/verify", summary="Kiểm tra chữ ký số của một tệp PDF tải lên")
async def verify_upload(request: Request, file: UploadFile = File(...),
                        caller: Caller = Depends(require("archivist"))) -> dict:
    services = state.services(request)
    data = await state.read_limited(file, services.settings.max_file_bytes)
    report = await asyncio.to_thread(verify_pdf, data, services.trust_roots)
    return report.to_json()


@router.get("/documents/{code}/audit", summary="Nhật ký truy cập của một giấy tờ")
def audit_trail(code: str, request: Request, caller: Caller = Depends(require("archivist"))) -> dict:
    doc = state.document_or_404(request, code)
    rows = state.services(request).catalog.audit_trail(doc["code"])
    return {"code": doc["code"], "reads": [{**r, "at": r["at"].isoformat()} for r in rows]}
