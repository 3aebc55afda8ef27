"""Archivists: search, retrieval, verification, the audit trail."""
from __future__ import annotations

import asyncio
from datetime import date

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import Response

from signing import verify_pdf

from .. import archive
from ..http import state
from ..http.auth import Caller, require
from ..pipeline import verify_untrusted
from ..search import SearchQuery
from ..search import search as find_documents

router = APIRouter(prefix="/v1", tags=["lưu trữ (archive)"])


@router.get("/search", summary="Tìm theo chủ hồ sơ, hồ sơ, loại, cơ quan, ngày, hoặc toàn văn không dấu")
def search(request: Request, q: str | None = None, owner_id: str | None = None, dossier_code: str | None = None,
           kind: str | None = None, agency_id: str | None = None, since: date | None = None,
           until: date | None = None, limit: int = 50, caller: Caller = Depends(require("archivist"))) -> dict:
    docs = find_documents(state.services(request).catalog, SearchQuery(
        text=q, owner_id=owner_id, dossier_code=dossier_code, kind=kind, agency_id=agency_id, since=since,
        until=until, limit=limit))
    state.audit_results(request, caller, docs)
    return {"count": len(docs), "documents": [state.summary(d) for d in docs]}


@router.get("/documents/{code}", summary="Bản kê (manifest) của một giấy tờ")
def manifest(code: str, request: Request, caller: Caller = Depends(require("archivist"))) -> dict:
    doc = state.document_or_404(request, code)
    state.audit(request, caller, "read_manifest", doc)
    stored = archive.load_manifest(state.services(request).store, doc["code"]).to_json()
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
    return verify_pdf(archive.signed_pdf(services.store, doc["code"], doc.get("signed_sha256")), services.trust_roots).to_json()


@router.post("/verify", summary="Kiểm tra chữ ký số của một tệp PDF tải lên")
async def verify_upload(request: Request, file: UploadFile = File(...),
                        caller: Caller = Depends(require("archivist"))) -> dict:
    services = state.services(request)
    data = await state.read_limited(file, services.settings.max_file_bytes)
    report = await asyncio.to_thread(verify_untrusted, data, services.trust_roots, services.settings)
    return report.to_json()


@router.get("/documents/{code}/audit", summary="Nhật ký truy cập của một giấy tờ")
def audit_trail(code: str, request: Request, caller: Caller = Depends(require("archivist"))) -> dict:
    doc = state.document_or_404(request, code)
    rows = state.services(request).catalog.audit_trail(doc["code"])
    return {"code": doc["code"], "reads": [{**r, "at": r["at"].isoformat()} for r in rows]}
