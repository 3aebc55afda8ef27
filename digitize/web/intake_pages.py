"""Tiếp nhận: open or pick a dossier, drop the scans, follow each file live, see what it became."""
from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, Header, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from common.errors import AppError

from .. import archive, eform, sheets
from ..codes import KINDS
from ..dossier_overview import overview
from ..dossiers import check_applicant, open_dossier
from ..errors import NotFoundError, UserError
from ..http import state
from ..http.auth import Caller
from ..http.uploads import JobId, job_event_stream, job_view, receive_files, retry_job
from ..intake import confirm_split, split_confirmation
from .dossier_pages import procedures_of
from .render import render
from .session import check_csrf, require_page

router = APIRouter(include_in_schema=False)
counter = require_page("counter")


def _queue_panel(request: Request) -> dict | None:
    """Files waiting, workers running, jobs failed: what the clerk needs to know the service is
    working. None when the queue cannot be reached (the scans are still kept)."""
    queue = state.queue(request)
    try:
        return {"waiting": queue.depth(), "workers": queue.workers(), "failed": queue.failed_count()}
    except AppError:
        return None


@router.get("/tiep-nhan")
def intake(request: Request, ho_so: str | None = None, dung_lai: str | None = None,
           caller: Caller = Depends(counter)):
    return _intake_page(request, ho_so.strip().upper()[:80] if ho_so else None, reused=dung_lai)


def _intake_page(request: Request, dossier_code: str | None, *, error: str | None = None,
                 form: dict | None = None, status: int = 200, reused: str | None = None):
    services = state.services(request)
    dossier = services.catalog.dossier(dossier_code) if dossier_code else None
    procedures = procedures_of(services)
    view = overview(services, dossier, procedures) if dossier else None
    pending = [{"id": r.id, "filename": r.filename} for r in view.pending] if view else []
    return render(request, "intake.html", {"dossier": dossier, "view": view, "kinds": KINDS, "pending": pending,
                                           "procedures": procedures, "queue": _queue_panel(request),
                                           "reused": reused, "recent": services.catalog.recent_dossiers(15),
                                           "error": error, "form": form}, status=status)


@router.post("/tiep-nhan/ho-so")
def create_dossier(request: Request, csrf: str = Form(""), code: str = Form(""), owner_id: str = Form(""),
                   procedure: str = Form(""), applicant_name: str = Form(""), applicant_phone: str = Form(""),
                   applicant_address: str = Form(""), caller: Caller = Depends(counter)):
    check_csrf(request, csrf)
    try:
        applicant = check_applicant(applicant_name, applicant_phone, applicant_address)
        record = open_dossier(state.services(request), owner_id=owner_id.strip() or None, procedure=procedure,
                              who=caller.name, code=code.strip() or None, applicant=applicant)
    except UserError as exc:  # said beside the field it is about
        field = {"invalid_owner_id": "owner_id", "dossier_owner_mismatch": "owner_id"}.get(exc.code) or (
            exc.code.removeprefix("invalid_") if exc.code.startswith("invalid_applicant") else
            "code" if "dossier" in exc.code or exc.code == "invalid_code" else None)
        return _intake_page(request, None, error=None if field else exc.message_vi, status=422,
                            form={"code": code, "owner_id": owner_id, "procedure": procedure,
                                  "applicant_name": applicant_name, "applicant_phone": applicant_phone,
                                  "applicant_address": applicant_address,
                                  "error_field": field, "field_error": exc.message_vi if field else None})
    return RedirectResponse(f"/tiep-nhan?ho_so={record['code']}", status_code=303)


@router.post("/tiep-nhan/tai-len")
async def upload(request: Request, files: list[UploadFile] = File(...), dossier_code: str = Form(...),
                 kind: str = Form(""), x_csrf_token: str | None = Header(None), caller: Caller = Depends(counter)):
    """The scans of one dossier; answers the receipts (JSON) for the page's script to follow."""
    check_csrf(request, x_csrf_token)
    dossier = state.services(request).catalog.dossier(dossier_code.strip().upper())
    if dossier is None:
        raise NotFoundError("dossier_not_found", "Chưa mở hồ sơ này.", f"No dossier {dossier_code}.")
    return await receive_files(request, files, dossier["owner_id"], kind or None, dossier["code"], caller)


@router.get("/tiep-nhan/hang-doi")
def queue_panel(request: Request, caller: Caller = Depends(counter)):
    """The queue panel again, for the page to refresh as files finish and workers come and go."""
    return render(request, "queue_panel.html", {"queue": _queue_panel(request)})


@router.get("/tiep-nhan/cong-viec/{job_id}")
async def job_events(request: Request, job_id: str = JobId, caller: Caller = Depends(counter)):
    return job_event_stream(request, job_id)


@router.post("/tiep-nhan/cong-viec/{job_id}/thu-lai")
def retry(request: Request, job_id: str = JobId, x_csrf_token: str | None = Header(None),
          caller: Caller = Depends(counter)):
    check_csrf(request, x_csrf_token)
    return retry_job(request, job_id)


@router.get("/tiep-nhan/ket-qua/{job_id}")
def job_result(request: Request, job_id: str = JobId, caller: Caller = Depends(counter)):
    """What a finished file became: a document per paper (its code, kind, pages, which pages of the
    file), the blank pages and sheets left out, and whether the clerk confirmed the split."""
    view = job_view(request, job_id)
    services = state.services(request)
    codes = [d["code"] for d in view.get("documents") or []] or ([view["code"]] if view.get("code") else [])
    briefs = {d["code"]: d for d in view.get("documents") or []}
    papers = []
    for code in codes:
        doc = services.catalog.get(code)
        if doc is not None:
            manifest = archive.load_manifest(services.store, code)
            papers.append({"doc": doc, "source_pages": manifest.original.pages, "form": eform.load(services, code),
                           "already_on_file": (briefs.get(code) or view).get("already_on_file")})
    if not papers:
        return Response(status_code=204)
    return render(request, "intake_result.html", {
        "papers": papers, "view": view, "job_id": job_id, "split": view.get("split") or {},
        "review": len(papers) > 1 or bool(view.get("split_review")),
        "confirmed": split_confirmation(services, job_id)})


@router.post("/tiep-nhan/ket-qua/{job_id}/xac-nhan")
def confirm(request: Request, job_id: str = JobId, csrf: str = Form(""), x_csrf_token: str | None = Header(None),
            caller: Caller = Depends(counter)):
    """The clerk confirms the papers the file was split into; answers the result again."""
    check_csrf(request, x_csrf_token or csrf)
    confirm_split(state.services(request), job_id, caller)
    return job_result(request, job_id, caller)


@router.get("/tiep-nhan/to-tach.pdf")
def separator_sheet(caller: Caller = Depends(counter)):
    """The separator sheet to print: laid between two papers scanned in one pass."""
    return Response(sheets.as_pdf([sheets.separator_image()]), media_type="application/pdf",
                    headers={"Content-Disposition": 'inline; filename="to-tach-giay-to.pdf"'})
