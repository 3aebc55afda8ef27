"""Job functions run by RQ workers. They only wire storage to the pipeline."""
from __future__ import annotations

import logging

from rq import get_current_job

from digitize.pipeline import Submission, process
from digitize.services import Services

log = logging.getLogger(__name__)


def process_original(original_key: str, filename: str, owner_id: str | None = None, kind: str | None = None,
                     dossier_code: str | None = None) -> dict:
    """Digitize an original already in the warehouse; running it twice makes no second document."""
    services = Services()
    data = services.store.get(original_key)
    job = get_current_job()

    def progress(stage: str, done: int, total: int) -> None:
        if job is not None:
            job.meta["progress"] = {"stage": stage, "done": done, "total": total}
            job.save_meta()

    outcome = process(Submission(data, filename, owner_id, kind, dossier_code), services, progress)
    log.info("document %s stored (%d pages) from %s", outcome.code, outcome.pages, original_key)
    return outcome.summary()
