"""RQ queues over Redis: how a stored original becomes a job, and how lost jobs come back.

`RqJobQueue` is the core's JobQueue (digitize/jobqueue.py) over RQ: the only place, with the
worker command, that knows RQ and Redis.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from redis import Redis
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry as RedisRetry
from rq import Queue, Retry, Worker
from rq.exceptions import NoSuchJobError
from rq.executions import Execution
from rq.job import Job, JobStatus
from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry

from digitize.jobqueue import JobView, QueueUnavailable, StageReport
from digitize.settings import Settings

from .backoff import is_outage

if TYPE_CHECKING:
    from digitize.jobqueue import Receipt
    from digitize.services import Services

log = logging.getLogger(__name__)
BASE_TIMEOUT_S, PER_PAGE_TIMEOUT_S = 120, 30
LIVE_STATES = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED}
HEARTBEAT_S = 5  # a working job's heartbeat (the worker's job_monitoring_interval)
ABANDONED_AFTER_S = 60  # no heartbeat, or a retry overdue, for this long: the job is stuck
STAGE_TIMES_KEY = "digitize:stage-seconds:{queue}"


def connect(settings: Settings, *, patient: bool = False) -> Redis:
    """A Redis client. A patient one (workers, the reconciler, the hot folder) retries each command
    with backoff for about 100 s, so a Redis restart does not end a job half-way; the HTTP service's
    is not patient: a request answers 503 at once instead of hanging."""
    if not patient:
        return Redis.from_url(settings.redis_url)
    return Redis.from_url(settings.redis_url, retry=RedisRetry(ExponentialBackoff(cap=8, base=0.5), 16),
                          retry_on_error=[RedisConnectionError, RedisTimeoutError], socket_connect_timeout=5,
                          health_check_interval=30)


class RqJobQueue:
    """The job queue over RQ; `rq` is the RQ queue itself, for the worker and the reconciler."""

    def __init__(self, settings: Settings, connection: Redis | None = None) -> None:
        self.rq = Queue(settings.queue_name, connection=connection or connect(settings))
        self.name = self.rq.name

    @property
    def connection(self) -> Redis:
        return self.rq.connection

    def enqueue(self, receipt: Receipt) -> str:
        """The job for a receipt (job id = receipt id); the timeout grows with the page count."""
        try:
            job = self.rq.enqueue(
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
        except RedisError as exc:
            raise _unavailable(exc) from exc
        return job.id

    def job(self, job_id: str) -> JobView | None:
        try:
            job = Job.fetch(job_id, connection=self.connection)
        except NoSuchJobError:
            return None
        except RedisError as exc:
            raise _unavailable(exc) from exc
        status = job.get_status(refresh=True)
        view = JobView(id=job_id, status=str(status.value if hasattr(status, "value") else status),
                       filename=job.meta.get("filename"), progress=job.meta.get("progress"))
        if view.status == "finished":
            result = job.return_value() or {}
            view.code, view.already_on_file = result.get("code"), result.get("already_on_file")
            view.duplicate = result.get("duplicate")
            view.documents, view.split_review = result.get("documents"), result.get("split_review")
            view.split = result.get("split")
        if view.status == "failed":
            view.error = failure_reason(job)
        if view.status in ("queued", "scheduled", "deferred"):
            view.position = (self.rq.get_job_position(job_id) or 0) + 1 if view.status == "queued" else None
            view.workers = Worker.count(queue=self.rq)
            view.retrying = view.status == "scheduled" and job.retries_left is not None and job.retries_left < 3
        return view

    def retry(self, job_id: str) -> bool:
        """A job in the failed registry queued again (a failure on the server's side, retries spent)."""
        registry = FailedJobRegistry(queue=self.rq)
        try:
            if job_id not in registry.get_job_ids():
                return False
            registry.requeue(job_id)
        except RedisError as exc:
            raise _unavailable(exc) from exc
        return True

    def failed(self, limit: int = 200) -> list[JobView]:
        jobs = []
        for job_id in FailedJobRegistry(queue=self.rq).get_job_ids()[:limit]:
            try:
                job = Job.fetch(job_id, connection=self.connection)
            except NoSuchJobError:
                continue
            jobs.append(JobView(id=job_id, status="failed", filename=job.meta.get("filename"),
                                error=failure_reason(job),
                                ended_at=job.ended_at.isoformat() if job.ended_at else None))
        return jobs

    def depth(self) -> int:
        return self.rq.count

    def failed_count(self) -> int:
        return FailedJobRegistry(queue=self.rq).count

    def workers(self) -> int:
        try:
            return Worker.count(queue=self.rq)
        except RedisError as exc:
            raise _unavailable(exc) from exc

    def ping(self) -> None:
        self.connection.ping()

    def report_stages(self, report: StageReport) -> None:
        key = STAGE_TIMES_KEY.format(queue=self.name)
        self.connection.rpush(key, json.dumps({"pages": report.pages, "seconds": report.seconds}))
        self.connection.ltrim(key, -100_000, -1)

    def drain_stage_reports(self) -> list[StageReport]:
        reports = []
        while items := self.connection.lpop(STAGE_TIMES_KEY.format(queue=self.name), 1000):
            for item in items:
                record = json.loads(item)
                reports.append(StageReport(record.get("pages", 0), record.get("seconds", {})))
        return reports


def failure_reason(job: Job) -> str:
    latest = job.latest_result()
    text = (latest.exc_string if latest is not None else None) or ""
    return text.strip().splitlines()[-1] if text.strip() else "unknown"


def _unavailable(exc: Exception) -> QueueUnavailable:
    return QueueUnavailable("queue_unavailable", "Hàng đợi công việc tạm thời không truy cập được.",
                            f"The job queue is unavailable ({type(exc).__name__}).")


def reconcile(services: Services, q: RqJobQueue) -> list[str]:
    """Queue again every receipt without a result whose job is gone (Redis lost it) or failed for
    good; a job still queued or running is left alone. Returns the receipts queued again."""
    from digitize.intake import finished_codes, load_receipt, unfinished_receipts

    requeued = []
    for receipt_id in unfinished_receipts(services):
        try:
            job = Job.fetch(receipt_id, connection=q.connection)
            status = job.get_status(refresh=True)
        except NoSuchJobError:
            job, status = None, None
        if status in LIVE_STATES and not _stuck(q.rq, job, status):
            continue
        if status == JobStatus.FINISHED and finished_codes(services, receipt_id):
            continue  # it finished between the listing and now
        try:
            if job is not None:
                _discard(job)
            q.enqueue(load_receipt(services, receipt_id))
        except Exception as exc:
            if is_outage(exc):
                raise
            # One receipt that cannot be queued must not stop the others; the next round tries again.
            log.error("receipt %s could not be queued again: %s", receipt_id, type(exc).__name__)
            continue
        log.warning("receipt %s queued again (job was %s)", receipt_id, status or "lost")
        requeued.append(receipt_id)
    return requeued


def _discard(job: Job) -> None:
    """Delete a job that will not move again. A worker that died leaves entries in the job's list of
    executions whose records Redis already expired, and RQ's delete fails on those: they go first."""
    connection = job.connection
    for execution_id in job.execution_registry.get_execution_ids():
        execution = Execution(execution_id, job.id, connection)
        if not connection.exists(execution.key):
            connection.zrem(job.execution_registry.key, execution_id)
            connection.zrem(StartedJobRegistry(queue=Queue(job.origin, connection=connection)).key,
                            execution.composite_key)
    job.delete()


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
