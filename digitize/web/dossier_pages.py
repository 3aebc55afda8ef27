"""Hồ sơ: the day's dossiers with their status, a dossier's papers, the citizen's receipt, the cover
sheet, and papers already on file put into a dossier without scanning them again."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from common.clock import VIETNAM

from .. import sheets
from ..dossier_overview import overview
from ..dossiers import STATUSES, reuse_on_file
from ..errors import NotFoundError
from ..fields.model import fold
from ..http import state
from ..http.auth import Caller
from ..procedures import catalogue
from .render import local_time, render
from .session import check_csrf, require_page

router = APIRouter(include_in_schema=False)
counter = require_page("counter")


def procedures_of(services):
    return catalogue(services.settings.procedures_file)


def dossier_or_404(request: Request, code: str) -> dict:
    dossier = state.services(request).catalog.dossier(code.strip().upper()[:80])
    if dossier is None:
        raise NotFoundError("dossier_not_found", "Chưa mở hồ sơ này.", f"No dossier {code[:80]!r}.")
    return dossier


@router.get("/ho-so")
def day_list(request: Request, ngay: str = "", tinh_trang: str = "", thu_tuc: str = "", tim: str = "",
             caller: Caller = Depends(counter)):
    """The dossiers opened on one day (today unless `ngay` = dd/mm/yyyy), filtered by status,
    procedure, and a code, owner id or applicant name typed in `tim`."""
    services = state.services(request)
    day, error = _day(ngay)
    start = datetime.combine(day, time(), VIETNAM).astimezone(timezone.utc)
    procedures = procedures_of(services)
    rows = [overview(services, record, procedures)
            for record in services.catalog.dossiers_between(start, start + timedelta(days=1))]
    counts = {key: sum(1 for r in rows if r.status == key) for key in STATUSES}
    wanted = fold(tim.strip())
    rows = [r for r in rows if (not tinh_trang or r.status == tinh_trang)
            and (not thu_tuc or fold(r.record["procedure"] or "") == fold(thu_tuc))
            and (not wanted or any(wanted in fold(r.record.get(k) or "")
                                   for k in ("code", "owner_id", "applicant_name", "applicant_phone")))]
    return render(request, "dossier_list.html", {
        "rows": rows, "day": day, "today": datetime.now(VIETNAM).date(), "counts": counts, "statuses": STATUSES,
        "procedures": procedures, "filters": {"ngay": day.strftime("%d/%m/%Y"), "tinh_trang": tinh_trang,
                                              "thu_tuc": thu_tuc, "tim": tim},
        "error": error}, status=422 if error else 200)


def _day(typed: str) -> tuple[date, str | None]:
    today = datetime.now(VIETNAM).date()
    if not typed.strip():
        return today, None
    try:
        return datetime.strptime(typed.strip(), "%d/%m/%Y").date(), None
    except ValueError:
        return today, f"Ngày không hợp lệ: {typed[:20]!r} (viết theo dạng ngày/tháng/năm, ví dụ 02/12/2026)."


@router.get("/tiep-nhan/ho-so/{dossier_code}/giay-to")
def dossier_papers(request: Request, dossier_code: str, caller: Caller = Depends(counter)):
    """The dossier's status and papers, for the intake page to refresh as files finish."""
    services = state.services(request)
    view = overview(services, dossier_or_404(request, dossier_code), procedures_of(services))
    return render(request, "dossier_papers.html", {"view": view})


@router.post("/tiep-nhan/ho-so/{dossier_code}/dung-lai")
def reuse(request: Request, dossier_code: str, csrf: str = Form(""), document: str = Form(""),
          caller: Caller = Depends(counter)):
    """A paper the citizen already has on file joins the dossier: not asked for, not scanned again."""
    check_csrf(request, csrf)
    dossier = dossier_or_404(request, dossier_code)
    reuse_on_file(state.services(request), dossier["code"], document.strip().upper()[:80], caller)
    return RedirectResponse(f"/tiep-nhan?ho_so={dossier['code']}&dung_lai={document.strip().upper()[:80]}",
                            status_code=303)


@router.get("/tiep-nhan/ho-so/{dossier_code}/bien-nhan.pdf")
def dossier_receipt(request: Request, dossier_code: str, caller: Caller = Depends(counter)):
    """The receipt to print for the citizen (giấy tiếp nhận hồ sơ và hẹn trả kết quả): the applicant,
    the papers received with their page counts, those still missing, and the promised date."""
    services = state.services(request)
    view = overview(services, dossier_or_404(request, dossier_code), procedures_of(services))
    record = view.record
    image = sheets.dossier_receipt_image(sheets.ReceiptContent(
        agency=services.settings.agency_name, dossier_code=record["code"], owner_id=record["owner_id"],
        applicant=", ".join(x for x in (record.get("applicant_name"), record.get("applicant_phone")) if x) or None,
        address=record.get("applicant_address"), procedure=record["procedure"],
        papers=[f"{d['title'] or d['code']}: {d['pages']} trang — mã {d['code']}" for d in view.documents],
        missing=view.missing, clerk=caller.name, when=local_time(datetime.now(timezone.utc)),
        promised=local_time(record.get("promised_on")) or None))
    return Response(sheets.as_pdf([image], dpi=150), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="bien-nhan-{record["code"]}.pdf"'})


@router.get("/tiep-nhan/bia/{dossier_code}.pdf")
def cover_sheet(request: Request, dossier_code: str, caller: Caller = Depends(counter)):
    """A dossier's cover sheet to print: laid before its papers when several dossiers go in one pass."""
    dossier = dossier_or_404(request, dossier_code)
    return Response(sheets.as_pdf([sheets.cover_image(dossier["code"])]), media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="bia-{dossier["code"]}.pdf"'})

