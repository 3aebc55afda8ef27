"""RQ queues over Redis: how a stored original becomes a job, and how lost jobs come back."""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from redis import Redis
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry

from digitize.settings import Settings

if TYPE_CHECKING:
    from digitize.intake import Receipt
    from digitize.services import Services

log = logging.getLogger(__name__)
BASE_TIMEOUT_S, PER_PAGE_TIMEOUT_S = 120, 30
LIVE_STATES = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED}
HEARTBEAT_S = 5  # a working job's heartbeat (the worker's job_monitoring_interval)
ABANDONED_AFTER_S = 60  # no heartbeat, or a retry overdue, for this long: the job is stuck


def connect(settings: Settings) -> Redis:
    return Redis.from_url(settings.redis_url)


def queue(settings: Settings, connection: Redis | None = None) -> Queue:
    return Queue(settings.queue_name, connection=connection or connect(settings))


def enqueue_receipt(q: Queue, receipt: Receipt) -> str:
    """Queue the job for a receipt (job id = receipt id); the timeout grows with the page count."""
    job = q.enqueue(
        "workers.jobs.process_receipt",
        kwargs={"receipt_id": receipt.id},
        job_id=receipt.id,
        job_timeout=BASE_TIMEOUT_S + PER_PAGE_TIMEOUT_S * receipt.pages,
        retry=Retry(max=3, interval=[10, 30, 90]),
        result_ttl=7 * 24 * 3600,
        failure_ttl=30 * 24 * 3600,
        meta={"filename": receipt.filename, "pages": receipt.pages,
              "progress": {"stage": "queued", "done": 0, "total": receipt.pages}},
    )
    return job.id


def reconcile(services: Services, q: Queue) -> list[str]:
    """Queue again every receipt without a result whose job is gone (Redis lost it) or failed for
    good; a job still queued or running is left alone. Returns the receipts queued again."""
    from digitize.intake import load_receipt, unfinished_receipts

    requeued = []
    for receipt_id in unfinished_receipts(services):
        try:
            job = Job.fetch(receipt_id, connection=q.connection)
            status = job.get_status(refresh=True)
        except NoSuchJobError:
            job, status = None, None
        if status in LIVE_STATES and not _stuck(q, job, status):
            continue
        if job is not None:
            job.delete()
        enqueue_receipt(q, load_receipt(services, receipt_id))
        log.warning("receipt %s queued again (job was %s)", receipt_id, status or "lost")
        requeued.append(receipt_id)
    return requeued


def _stuck(q: Queue, job: Job | None, status) -> bool:
    """A job that will not move on its own: started but its worker died (no heartbeat), or scheduled
    for a retry that is long overdue (no scheduler running, e.g. after Redis restarted under it)."""
    if job is None:
        return False
    if status == JobStatus.STARTED:
        since = job.last_heartbeat or job.started_at
    elif status == JobStatus.SCHEDULED:
        try:
            since = ScheduledJobRegistry(queue=q).get_scheduled_time(job)
        except NoSuchJobError:
            return True  # scheduled, yet in no schedule: nothing will ever run it
    else:
        return False
    if since is None:
        return False
    since = since if since.tzinfo else since.replace(tzinfo=timezone.utc)
    return (datetime.now(timezone.utc) - since).total_seconds() > ABANDONED_AFTER_S
