"""Counter systems: open a dossier, and read where it stands (its papers, its checklist, its status)."""
from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from ..dossier_overview import overview
from ..dossiers import STATUSES, check_applicant, open_dossier
from ..errors import NotFoundError
from ..http import state
from ..http.auth import Caller, require
from ..procedures import catalogue

router = APIRouter(prefix="/v1/dossiers", tags=["hồ sơ (counter)"])


class NewDossier(BaseModel):
    owner_id: str | None = Field(None, description="số định danh cá nhân (12 chữ số) hoặc mã số thuế")
    procedure: str = Field("", description="tên hoặc mã thủ tục hành chính")
    code: str | None = Field(None, description="mã hồ sơ đã có (để trống: cấp mã mới)")
    applicant_name: str = ""
    applicant_phone: str = ""
    applicant_address: str = ""


@router.post("", status_code=201, summary="Mở hồ sơ: chủ hồ sơ, người nộp, thủ tục; ngày hẹn trả theo thủ tục")
def create(request: Request, body: NewDossier, caller: Caller = Depends(require("counter"))) -> dict:
    applicant = check_applicant(body.applicant_name, body.applicant_phone, body.applicant_address)
    record = open_dossier(state.services(request), owner_id=body.owner_id, procedure=body.procedure, who=caller.name,
                          code=body.code, applicant=applicant)
    return read(request, record["code"], caller)


@router.get("/{code}", summary="Tình trạng hồ sơ, giấy tờ đã có, giấy tờ còn thiếu, ngày hẹn trả")
def read(request: Request, code: str, caller: Caller = Depends(require("counter"))) -> dict:
    services = state.services(request)
    record = services.catalog.dossier(code.strip().upper()[:80])
    if record is None:
        raise NotFoundError("dossier_not_found", "Chưa mở hồ sơ này.", f"No dossier {code[:80]!r}.")
    view = overview(services, record, catalogue(services.settings.procedures_file))
    return {
        "code": record["code"], "owner_id": record["owner_id"], "procedure": record["procedure"],
        "applicant": {"name": record.get("applicant_name"), "phone": record.get("applicant_phone"),
                      "address": record.get("applicant_address")},
        "received_at": record["created_at"].isoformat(),
        "promised_on": _iso(record.get("promised_on")),
        "status": view.status, "status_vi": STATUSES[view.status],
        "documents": [{"code": d["code"], "kind": d["kind"], "title": d["title"], "pages": d["pages"],
                       "signed_off": view.signed_off[d["code"]]} for d in view.documents],
        "pending_receipts": [r.id for r in view.pending],
        "checklist": [{"paper": line.paper.name, "kind": line.paper.kind, "original": line.paper.original,
                       "copies": line.paper.copies, "state": line.state, "present": line.present,
                       "on_file": line.on_file} for line in view.checklist],
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
