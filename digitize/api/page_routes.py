"""Counter staff: the pages of a stored document (split, move, merge, reorder, rotate, delete,
rescan: each a new version under the same code), a batch's split confirmed, and the sheets to
print for scanning many papers or dossiers in one pass."""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Body, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from .. import archive, page_tools, sheets
from ..codes import parse_dossier_code
from ..http import state
from ..http.auth import Caller, require
from ..http.uploads import JobId
from ..intake import confirm_split

router = APIRouter(prefix="/v1", tags=["trang giấy tờ (page tools)"])
counter = require("counter")


class PageEdit(BaseModel):
    based_on: int = Field(..., ge=1, description="phiên bản giấy tờ đang xem; bị từ chối (409) nếu đã có bản mới hơn")
    order: list[int] | None = Field(None, description="các trang giữ lại theo thứ tự mới (trang bỏ ra là trang xóa)")
    rotate: dict[int, int] = Field(default_factory=dict, description="trang → số lần xoay 90° theo chiều kim đồng hồ")


class SplitAt(BaseModel):
    based_on: int = Field(..., ge=1)
    at: int = Field(..., ge=2, description="trang đầu của giấy tờ mới")


class MovePages(BaseModel):
    based_on: int = Field(..., ge=1)
    pages: list[int] = Field(..., min_length=1)
    to: str = Field(..., max_length=80, description="mã giấy tờ nhận các trang")
    to_based_on: int | None = Field(None, ge=1)


class MergeWith(BaseModel):
    based_on: int = Field(..., ge=1)
    other: str = Field(..., max_length=80, description="mã giấy tờ có các trang được gộp vào")


def _version(outcome) -> dict:
    m = outcome.manifest
    return {"code": outcome.code, "version": m.version, "pages": m.pages, "kind": m.kind, "change": m.change,
            "changed_by": m.changed_by, "sha256": m.objects.signed_pdf.sha256}


@router.get("/documents/{code}/versions", summary="Các phiên bản của giấy tờ: ai sửa trang, khi nào, sửa gì")
def versions(code: str, request: Request, caller: Caller = Depends(require("counter", "archivist"))) -> dict:
    doc = state.document_or_404(request, code)
    store = state.services(request).store
    latest = archive.latest_version(store, doc["code"])
    state.audit(request, caller, "read_manifest", doc)
    return {"code": doc["code"], "versions": [
        {k: v for k, v in archive.load_manifest(store, doc["code"], n).to_json().items()
         if k in ("version", "pages", "created_at", "change", "changed_by", "page_sources", "merged_into")}
        for n in range(1, latest + 1)]}


@router.post("/documents/{code}/pages", summary="Sắp xếp lại, xoay, xóa trang: một phiên bản mới, cùng mã")
async def edit_pages(code: str, request: Request, body: PageEdit = Body(...), caller: Caller = Depends(counter)) -> dict:
    doc = state.document_or_404(request, code)
    outcome = await asyncio.to_thread(page_tools.edit, state.services(request), doc["code"], based_on=body.based_on,
                                      by=caller, order=body.order, rotate=body.rotate)
    return _version(outcome)


@router.post("/documents/{code}/pages/{page}/rescan", summary="Thay một trang bằng bản quét lại")
async def rescan_page(code: str, page: int, request: Request, based_on: int = Form(..., ge=1),
                      file: UploadFile = File(..., description="một trang: PDF, TIFF, JPEG hoặc PNG"),
                      caller: Caller = Depends(counter)) -> dict:
    doc = state.document_or_404(request, code)
    services = state.services(request)
    data = await state.read_limited(file, services.settings.max_file_bytes)
    outcome = await asyncio.to_thread(page_tools.edit, services, doc["code"], based_on=based_on, by=caller,
                                      rescans={page: data})
    return _version(outcome)


@router.post("/documents/{code}/split", summary="Tách giấy tờ: từ trang `at` thành một giấy tờ mới (mã mới)")
async def split(code: str, request: Request, body: SplitAt = Body(...), caller: Caller = Depends(counter)) -> dict:
    doc = state.document_or_404(request, code)
    kept, new = await asyncio.to_thread(page_tools.split, state.services(request), doc["code"], body.at,
                                        based_on=body.based_on, by=caller)
    return {"document": _version(kept), "new_document": _version(new)}


@router.post("/documents/{code}/move", summary="Chuyển trang sang giấy tờ khác (cả hai có phiên bản mới)")
async def move(code: str, request: Request, body: MovePages = Body(...), caller: Caller = Depends(counter)) -> dict:
    doc = state.document_or_404(request, code)
    target = state.document_or_404(request, body.to)
    shrunk, grown = await asyncio.to_thread(page_tools.move, state.services(request), doc["code"], body.pages,
                                            target["code"], based_on=body.based_on, by=caller,
                                            to_based_on=body.to_based_on)
    return {"document": _version(shrunk), "to": _version(grown)}


@router.post("/documents/{code}/merge", summary="Gộp giấy tờ khác vào giấy tờ này")
async def merge(code: str, request: Request, body: MergeWith = Body(...), caller: Caller = Depends(counter)) -> dict:
    doc = state.document_or_404(request, code)
    other = state.document_or_404(request, body.other)
    outcome = await asyncio.to_thread(page_tools.merge, state.services(request), doc["code"], other["code"],
                                      based_on=body.based_on, by=caller)
    return _version(outcome)


@router.post("/jobs/{job_id}/confirm-split", summary="Xác nhận cách tách tệp thành các giấy tờ")
def confirm(request: Request, job_id: str = JobId, caller: Caller = Depends(counter)) -> dict:
    return confirm_split(state.services(request), job_id, caller)


@router.get("/sheets/separator.pdf", summary="Tờ tách giấy tờ để in (đặt giữa hai giấy tờ khi quét một lượt)")
def separator_sheet(caller: Caller = Depends(counter)) -> Response:
    return Response(sheets.as_pdf([sheets.separator_image()]), media_type="application/pdf")


@router.get("/sheets/cover/{dossier_code}.pdf", summary="Tờ bìa hồ sơ để in (mã hồ sơ dạng chữ và QR)")
def cover_sheet(dossier_code: str, caller: Caller = Depends(counter)) -> Response:
    code = dossier_code.strip().upper()
    parse_dossier_code(code)
    return Response(sheets.as_pdf([sheets.cover_image(code)]), media_type="application/pdf")
