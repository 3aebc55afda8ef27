"""E-forms: the fields extracted from a document, corrected and confirmed by counter staff."""
from __future__ import annotations

from fastapi import APIRouter, Body, Depends, Query, Request
from pydantic import BaseModel, Field

from .. import eform
from ..http import state
from ..http.auth import Caller, require

router = APIRouter(prefix="/v1/documents/{code}/fields", tags=["biểu mẫu điện tử (e-form)"])


class Correction(BaseModel):
    version: int = Field(..., ge=1, description="phiên bản đang xem; lưu bị từ chối (409) nếu đã có bản mới hơn")
    values: dict[str, str] = Field(default_factory=dict, description="trường → giá trị đúng (ngày dạng YYYY-MM-DD)")
    confirm: list[str] = Field(default_factory=list, description="các trường xác nhận là đúng, không sửa")
    sign: bool = Field(False, description="ký xác nhận phiên bản mới bằng khóa của cơ quan (chữ ký CAdES tách rời)")


@router.get("", summary="Biểu mẫu điện tử: trường, độ tin cậy, nguồn, vị trí trên trang")
def read(code: str, request: Request, version: int | None = Query(None, ge=1),
         caller: Caller = Depends(require("counter", "archivist"))) -> dict:
    doc = state.document_or_404(request, code)
    state.audit(request, caller, "read_fields", doc)
    services = state.services(request)
    form = eform.load(services, doc["code"], version)
    return {"code": doc["code"], **form.to_json(), "signature": eform.signature(services, doc["code"], form.version)}


@router.patch("", summary="Sửa và xác nhận trường: lưu thành phiên bản mới (ai, khi nào, giá trị cũ và mới)")
def correct(code: str, request: Request, body: Correction = Body(...),
            caller: Caller = Depends(require("counter"))) -> dict:
    doc = state.document_or_404(request, code)
    form = eform.correct(state.services(request), doc["code"], based_on=body.version, values=body.values,
                         confirm=body.confirm, who=caller.name, kind=doc["kind"], sign_off=body.sign)
    state.audit(request, caller, "correct_fields", doc, detail=f"version {form.version}")
    if body.sign:
        state.audit(request, caller, "sign_off_fields", doc, detail=f"version {form.version}")
    return {"code": doc["code"], **form.to_json()}


@router.get("/history", summary="Lịch sử sửa trường của giấy tờ")
def history(code: str, request: Request, caller: Caller = Depends(require("counter", "archivist"))) -> dict:
    doc = state.document_or_404(request, code)
    state.audit(request, caller, "read_fields_history", doc)
    return {"code": doc["code"], "versions": eform.history(state.services(request), doc["code"])}
