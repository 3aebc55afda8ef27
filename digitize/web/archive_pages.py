"""Hồ sơ lưu trữ: a document with the check of its signatures, the signed PDF, the audit trail."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from signing import verify_pdf

from .. import archive as documents
from .. import eform
from ..http import state
from ..http.auth import Caller
from .page_images import REVIEW, ZOOM
from .render import render
from .session import require_page

router = APIRouter(include_in_schema=False)
archivist = require_page("archivist")


@router.get("/luu-tru")
def archive_index(request: Request, ma: str = "", caller: Caller = Depends(archivist)):
    if ma.strip():
        return RedirectResponse(f"/luu-tru/{ma.strip().upper()}", status_code=303)
    return render(request, "archive_index.html", {})


@router.get("/luu-tru/{code}")
def archive(request: Request, code: str, caller: Caller = Depends(archivist)):
    doc = state.document_or_404(request, code)
    services = state.services(request)
    state.audit(request, caller, "read_archive_page", doc)
    manifest = documents.load_manifest(services.store, doc["code"]).to_json()
    years = services.settings.retention_for(doc["kind"])
    report = verify_pdf(documents.signed_pdf(services.store, doc["code"], doc.get("signed_sha256")), services.trust_roots)
    services.catalog.record_signature_check(doc["code"], valid=report.all_valid, trusted=report.all_trusted)
    history = eform.history(services, doc["code"])
    signed = next((h for h in reversed(history) if h["signed_off"]), None)
    return render(request, "archive.html", {
        "doc": doc, "manifest": manifest, "report": report, "form": eform.load(services, doc["code"]),
        "form_signature": eform.signature(services, doc["code"], signed["version"]) if signed else None,
        "signed_off": signed["signed_off"] if signed else None,
        "dossiers": services.catalog.dossiers_of(doc["code"]), "history": history,
        "trail": services.catalog.audit_trail(doc["code"])[-100:], "retention_years": years,
        "retain_until": _years_after(doc["created_at"], years), "review_width": REVIEW, "zoom_width": ZOOM,
    })


def _years_after(when, years: int):
    try:
        return when.replace(year=when.year + years)
    except ValueError:  # 29 February
        return when.replace(year=when.year + years, day=28)


@router.get("/luu-tru/{code}/ban-ky.pdf")
def download(request: Request, code: str, caller: Caller = Depends(archivist)):
    doc = state.document_or_404(request, code)
    state.audit(request, caller, "read_pdf", doc)
    return state.pdf_response(request, doc)
