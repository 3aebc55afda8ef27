"""Counter staff: upload scans into a dossier, follow the jobs."""
from __future__ import annotations

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile

from ..http import state
from ..http.auth import Caller, require
from ..http.uploads import JobId, job_event_stream, job_view, receive_files, retry_job

router = APIRouter(prefix="/v1", tags=["tiếp nhận (counter)"])


@router.post("/documents", status_code=202, summary="Nhận một hoặc nhiều tệp quét vào hồ sơ")
async def upload(request: Request, files: list[UploadFile] = File(..., description="PDF, TIFF, JPEG or PNG"),
                 owner_id: str | None = Form(None), kind: str | None = Form(None),
                 dossier_code: str | None = Form(None),
                 split: bool = Form(True, description="tách tệp thành từng giấy tờ (false: cả tệp là một giấy tờ)"),
                 caller: Caller = Depends(require("counter"))) -> dict:
    received = await receive_files(request, files, owner_id, kind, dossier_code, caller, split=split)
    for receipt in received["receipts"]:
        receipt["status_url"] = f"/v1/jobs/{receipt['id']}"
    return received


@router.get("/jobs/{job_id}", summary="Trạng thái và tiến độ của một công việc")
def job_status(request: Request, job_id: str = JobId, caller: Caller = Depends(require("counter"))) -> dict:
    return job_view(request, job_id)


@router.get("/jobs/{job_id}/events", summary="Tiến độ dạng server-sent events, đến khi xong")
async def job_events(request: Request, job_id: str = JobId, caller: Caller = Depends(require("counter"))):
    return job_event_stream(request, job_id)


@router.post("/jobs/{job_id}/retry", summary="Thử lại một công việc lỗi do máy chủ")
def retry(request: Request, job_id: str = JobId, caller: Caller = Depends(require("counter"))) -> dict:
    return retry_job(request, job_id)


@router.get("/jobs", summary="Công việc lỗi và lý do (failed-job view)")
def failed_jobs(request: Request, caller: Caller = Depends(require("counter"))) -> dict:
    q = state.queue(request)
    return {"failed": [{"id": j.id, "filename": j.filename, "error": j.error, "ended_at": j.ended_at}
                       for j in q.failed()],
            "queued": q.depth()}
