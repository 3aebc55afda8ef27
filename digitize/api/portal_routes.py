"""The public-service portal: a citizen's documents, reached only through the owner."""
from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from .. import archive, eform
from ..codes import check_kind, check_owner_id
from ..errors import NotFoundError
from ..http import state
from ..http.auth import Caller, require

router = APIRouter(prefix="/v1/owners/{owner_id}", tags=["cổng dịch vụ công (portal)"])


def _owned(request: Request, owner_id: str, code: str) -> dict:
    doc = state.document_or_404(request, code)
    if doc["owner_id"] != check_owner_id(owner_id):  # the same answer as for a code that does not exist
        raise NotFoundError("document_not_found", f"Không có giấy tờ mã {code}.", f"No document {code}.")
    return doc


@router.get("/documents", summary="Giấy tờ đã số hóa của một công dân hoặc tổ chức")
def documents_of_owner(owner_id: str, request: Request, kind: str | None = None,
                       valid_on: date | None = Query(None, description="còn hiệu lực vào ngày (YYYY-MM-DD)"),
                       caller: Caller = Depends(require("portal", "archivist"))) -> dict:
    catalog = state.services(request).catalog
    docs = catalog.documents_of_owner(check_owner_id(owner_id), check_kind(kind) if kind else None,
                                      valid_on=valid_on)
    return {"owner_id": owner_id, "documents": [state.summary(d) for d in docs]}


@router.get("/documents/{code}", summary="Bản kê (manifest) của một giấy tờ của công dân này")
def owner_manifest(owner_id: str, code: str, request: Request,
                   caller: Caller = Depends(require("portal", "archivist"))) -> dict:
    doc = _owned(request, owner_id, code)
    state.audit(request, caller, "read_manifest", doc)
    return archive.load_manifest(state.services(request).store, doc["code"]).to_json()


@router.get("/documents/{code}/fields", summary="Trường dữ liệu để điền sẵn biểu mẫu")
def prefill(owner_id: str, code: str, request: Request,
            caller: Caller = Depends(require("portal", "archivist"))) -> dict:
    doc = _owned(request, owner_id, code)
    state.audit(request, caller, "read_fields", doc)
    form = eform.load(state.services(request), doc["code"])
    return {"code": doc["code"], "kind": form.kind, "version": form.version, "fields": {
        name: {"value": f.value, "verified": f.verified, "confidence": f.confidence, "source": f.source}
        for name, f in form.fields.items()}}


@router.get("/documents/{code}/pdf", summary="Bản PDF đã ký số", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
def owner_pdf(owner_id: str, code: str, request: Request,
              caller: Caller = Depends(require("portal", "archivist"))) -> Response:
    doc = _owned(request, owner_id, code)
    state.audit(request, caller, "read_pdf", doc)
    return state.pdf_response(request, doc)
