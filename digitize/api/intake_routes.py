"""Counter staff: upload scans into a dossier, follow the jobs."""
from __future__ import annotations

import asyncio
import json
from pathlib import PurePath

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.responses import StreamingResponse
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry

from ..intake import finished_code, submit
from ..pipeline import Submission
from . import state
from .auth import Caller, require
from .errors import STATUS, ApiError

router = APIRouter(prefix="/v1", tags=["tiếp nhận (counter)"])
JobId = Path(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="the receipt id returned by the upload")


def _safe_name(name: str | None) -> str:
    """Only the last part of what the client calls the file: no directories, no path tricks."""
    base = PurePath((name or "").replace("\\", "/")).name.strip().lstrip(".")
    return base[:200] or "upload"


@router.post("/documents", status_code=202, summary="Nhận một hoặc nhiều tệp quét vào hồ sơ")
async def upload(request: Request, files: list[UploadFile] = File(..., description="PDF, TIFF, JPEG or PNG"),
                 owner_id: str | None = Form(None), kind: str | None = Form(None),
                 dossier_code: str | None = Form(None), caller: Caller = Depends(require("counter"))) -> dict:
    received = await receive_files(request, files, owner_id, kind, dossier_code)
    for receipt in received["receipts"]:
        receipt["status_url"] = f"/v1/jobs/{receipt['id']}"
    return received


async def receive_files(request: Request, files: list[UploadFile], owner_id: str | None, kind: str | None,
                        dossier_code: str | None) -> dict:
    """Each file stored and queued (a receipt), or refused with its reason; all refused is an error."""
    services = state.services(request)
    settings = services.settings
    if len(files) > settings.max_upload_files:
        raise ApiError(413, "too_many_files", f"Quá nhiều tệp (tối đa {settings.max_upload_files}).",
                       f"At most {settings.max_upload_files} files per upload.")
    receipts, errors = [], []
    for upload_file in files:
        name = _safe_name(upload_file.filename)
        data = await state.read_limited(upload_file, settings.max_file_bytes)
        sub = Submission(data, name, owner_id, kind, dossier_code)
        try:
            receipt = await asyncio.to_thread(submit, sub, services, state.queue(request))
        except Exception as exc:  # one bad file does not sink the others; each gets its reason
            from ..errors import describe

            described = describe(exc)
            if described is None:
                raise
            errors.append({"file": name, "code": described[0], "message": described[1], "message_en": described[2]})
            continue
        receipts.append(receipt.to_json())
    if not receipts and errors:
        first = errors[0]
        raise ApiError(STATUS.get(first["code"], 400), first["code"], first["message"], first["message_en"])
    return {"receipts": receipts, "rejected": errors}


def job_view(request: Request, job_id: str) -> dict:
    services = state.services(request)
    try:
        job = Job.fetch(job_id, connection=state.queue(request).connection)
    except NoSuchJobError:
        code = finished_code(services, job_id)
        if code is None:
            raise ApiError(404, "job_not_found", "Không có công việc này.", f"No job {job_id}.") from None
        return {"id": job_id, "status": "finished", "code": code, "progress": None}
    status = job.get_status(refresh=True)
    view = {"id": job_id, "status": str(status.value if hasattr(status, "value") else status),
            "filename": job.meta.get("filename"), "progress": job.meta.get("progress")}
    if view["status"] == "finished":
        result = job.return_value() or {}
        view.update(code=result.get("code"), already_on_file=result.get("already_on_file"),
                    duplicate=result.get("duplicate"))
    if view["status"] == "failed":
        view["error"] = _failure_reason(job)
    return view


def _failure_reason(job: Job) -> str:
    latest = job.latest_result()
    text = (latest.exc_string if latest is not None else None) or ""
    return text.strip().splitlines()[-1] if text.strip() else "unknown"


@router.get("/jobs/{job_id}", summary="Trạng thái và tiến độ của một công việc")
def job_status(request: Request, job_id: str = JobId, caller: Caller = Depends(require("counter"))) -> dict:
    return job_view(request, job_id)


@router.get("/jobs/{job_id}/events", summary="Tiến độ dạng server-sent events, đến khi xong")
async def job_events(request: Request, job_id: str = JobId, caller: Caller = Depends(require("counter"))):
    return job_event_stream(request, job_id)


def job_event_stream(request: Request, job_id: str) -> StreamingResponse:
    """The job's view each time it changes, as server-sent events, until it ends."""
    job_view(request, job_id)  # 404 now rather than inside the stream

    async def events():
        last = None
        while True:
            view = await asyncio.to_thread(job_view, request, job_id)
            if view != last:
                yield f"data: {json.dumps(view, ensure_ascii=False)}\n\n"
                last = view
            if view["status"] in ("finished", "failed", "canceled", "stopped") or await request.is_disconnected():
                return
            await asyncio.sleep(0.5)

    return StreamingResponse(events(), media_type="text/event-stream")


@router.get("/jobs", summary="Công việc lỗi và lý do (failed-job view)")
def failed_jobs(request: Request, caller: Caller = Depends(require("counter"))) -> dict:
    q = state.queue(request)
    registry = FailedJobRegistry(queue=q)
    jobs = []
    for job_id in registry.get_job_ids()[:200]:
        try:
            job = Job.fetch(job_id, connection=q.connection)
        except NoSuchJobError:
            continue
        jobs.append({"id": job_id, "filename": job.meta.get("filename"), "error": _failure_reason(job),
                     "ended_at": job.ended_at.isoformat() if job.ended_at else None})
    return {"failed": jobs, "queued": q.count}
