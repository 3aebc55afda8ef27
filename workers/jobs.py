"""Job functions run by RQ workers. They only wire storage to the pipeline."""
from __future__ import annotations

import logging

from redis.exceptions import RedisError
from rq import get_current_job

from common.errors import AppError
from digitize.audit import SERVICE, record
from digitize.card_sides import join_card_backs
from digitize.intake import (
    finished_codes,
    load_receipt,
    mark_finished,
    mark_needs_attention,
)
from digitize.jobqueue import StageReport
from digitize.pipeline import Submission, load_outcome, process_upload
from digitize.services import Services

from .queue import RqJobQueue

log = logging.getLogger(__name__)


def process_receipt(receipt_id: str, services: Services | None = None) -> dict:
    """Digitize a received original, a document per paper it holds; running it twice makes no
    second document and no second code."""
    services = services or Services()
    done = finished_codes(services, receipt_id)
    if done:  # a retry or a reconciler run after the work was in fact finished
        outcomes = [load_outcome(code, services) for code in done]
        return {**outcomes[0].summary(), "documents": [o.brief() for o in outcomes]}
    receipt = load_receipt(services, receipt_id)
    data = services.store.get(receipt.original_key)
    job = get_current_job()

    def progress(stage: str, done: int, total: int) -> None:
        if job is None:
            return
        job.meta["progress"] = {"stage": stage, "done": done, "total": total}
        try:
            job.save_meta()
        except RedisError as exc:  # progress is a courtesy: Redis away must not fail the document
            log.warning("progress of %s not saved: %s", receipt_id, exc)

    try:
        upload = process_upload(Submission(data, receipt.filename, receipt.owner_id, receipt.kind,
                                           receipt.dossier_code, receipt.split, receipt_id), services, progress)
    except AppError as exc:
        if exc.status >= 500:
            raise  # a server's fault: retried, and queued again by the reconciler
        mark_needs_attention(services, receipt_id, exc)  # the file's fault: a person decides, no retry
        if job is not None:
            job.retries_left = None
        log.warning("receipt %s needs attention: %s", receipt_id, exc.code)
        raise
    owner, detail = receipt.owner_id, f"receipt {receipt_id}"
    for outcome in upload.documents:
        if outcome.already_on_file:
            record(services, SERVICE, "linked_existing", code=outcome.code, owner_id=owner, detail=detail)
            continue
        # The intake's own line names no document yet: the document's trail starts with its receipt.
        record(services, SERVICE, "received", code=outcome.code, owner_id=owner,
               detail=f"{detail} from {receipt.received_by or 'unknown'} at {receipt.received_at[:19]}"[:120])
        record(services, SERVICE, "digitized", code=outcome.code, owner_id=owner, detail=detail)
        record(services, SERVICE, "signed", code=outcome.code, owner_id=owner,
               detail=f"sha256 {outcome.sha256[:16]}")
        if job is not None:
            try:
                RqJobQueue(services.settings, job.connection).report_stages(StageReport(outcome.pages,
                                                                                        outcome.seconds))
            except RedisError as exc:  # metrics are a courtesy too
                log.warning("stage times of %s not reported: %s", receipt_id, exc)
    upload = join_card_backs(services, upload, SERVICE)
    mark_finished(services, receipt_id, [o.code for o in upload.documents], upload.plan.to_json())
    log.info("receipt %s: %d document(s), %d pages, from %s", receipt_id, len(upload.documents), upload.pages,
             receipt.original_key)
    return upload.summary()
