"""What the API's intake routes and the intake web page share: receiving files, a job's view."""
from __future__ import annotations

import asyncio
import json

from fastapi import Path, Request, UploadFile
from fastapi.responses import StreamingResponse

from common.errors import AppError

from ..errors import ConflictError, NotFoundError, TooLargeError
from ..intake import finished_codes, load_receipt, needs_attention, submit
from ..jobqueue import ENDED
from ..pipeline import Submission, clean_filename
from . import state
from .auth import Caller

JobId = Path(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="the receipt id returned by the upload")


async def receive_files(request: Request, files: list[UploadFile], owner_id: str | None, kind: str | None,
                        dossier_code: str | None, caller: Caller, *, split: bool = True) -> dict:
    """Each file stored and queued (a receipt), or refused with its reason; all refused is an error."""
    services = state.services(request)
    settings = services.settings
    if len(files) > settings.max_upload_files:
        raise TooLargeError("too_many_files", f"Quá nhiều tệp (tối đa {settings.max_upload_files}).",
                            f"At most {settings.max_upload_files} files per upload.")
    receipts, refused = [], []
    for upload_file in files:
        name = clean_filename(upload_file.filename)
        data = await state.read_limited(upload_file, settings.max_file_bytes)
        sub = Submission(data, name, owner_id, kind, dossier_code, split)
        try:
            receipt = await asyncio.to_thread(submit, sub, services, state.queue(request), caller)
        except AppError as exc:  # one bad file does not sink the others; each gets its reason
            refused.append((name, exc))
            continue
        receipts.append(receipt.to_json())
    if len(refused) == 1 and not receipts:
        raise refused[0][1]
    if refused and not receipts:  # every file refused: each with its name and reason, one line each
        first = refused[0][1]
        raise type(first)(first.code, " ".join(f"{name}: {e.message_vi}" for name, e in refused),
                          "; ".join(f"{name}: {e.message_en}" for name, e in refused))
    return {"receipts": receipts,
            "rejected": [{"file": name, "code": e.code, "message": e.message_vi, "message_en": e.message_en}
                         for name, e in refused]}


def job_view(request: Request, job_id: str) -> dict:
    """The job as the queue knows it; once the queue has forgotten it, its result from the warehouse."""
    services = state.services(request)
    view = state.queue(request).job(job_id)
    stopped = needs_attention(services, job_id) if view is None or view.status == "failed" else None
    if stopped is not None:  # the file's fault: said in Vietnamese, never retried
        return {"id": job_id, "status": "failed", "filename": view.filename if view else None,
                "progress": view.progress if view else None, "error": stopped.message_vi,
                "error_code": stopped.code, "needs_attention": True}
    if view is None:
        codes = finished_codes(services, job_id)
        if not codes:
            raise NotFoundError("job_not_found", "Không có công việc này.", f"No job {job_id}.")
        return {"id": job_id, "status": "finished", "code": codes[0], "documents": [{"code": c} for c in codes],
                "progress": None}
    return view.to_json()


def retry_job(request: Request, job_id: str) -> dict:
    """A job that failed on the server's side, queued once more; a receipt whose job the queue lost,
    queued again. A file set aside as broken is not retried: it would fail the same way."""
    services, queue = state.services(request), state.queue(request)
    if needs_attention(services, job_id) is not None:
        raise ConflictError("needs_attention", "Tệp này bị lỗi do chính tệp; hãy quét lại thay vì thử lại.",
                            "The file itself is broken; scan it again instead of retrying.")
    if finished_codes(services, job_id):
        return job_view(request, job_id)
    if not queue.retry(job_id) and queue.job(job_id) is None:
        queue.enqueue(load_receipt(services, job_id))
    return job_view(request, job_id)


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
            if view["status"] in ENDED or await request.is_disconnected():
                return
            await asyncio.sleep(0.5)

    return StreamingResponse(events(), media_type="text/event-stream")
