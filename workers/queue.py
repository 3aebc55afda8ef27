"""RQ queues over Redis: how a stored original becomes a job."""
from __future__ import annotations

from redis import Redis
from rq import Queue, Retry

from digitize.settings import Settings

BASE_TIMEOUT_S, PER_PAGE_TIMEOUT_S = 120, 30


def connect(settings: Settings) -> Redis:
    return Redis.from_url(settings.redis_url)


def queue(settings: Settings, connection: Redis | None = None) -> Queue:
    return Queue(settings.queue_name, connection=connection or connect(settings))


def enqueue_document(q: Queue, *, original_key: str, filename: str, pages: int, owner_id: str | None,
                     kind: str | None, dossier_code: str | None) -> str:
    """Queue the job for a stored original; the timeout grows with the page count."""
    job = q.enqueue(
        "workers.jobs.process_original",
        kwargs={"original_key": original_key, "filename": filename, "owner_id": owner_id, "kind": kind,
                "dossier_code": dossier_code},
        job_timeout=BASE_TIMEOUT_S + PER_PAGE_TIMEOUT_S * pages,
        retry=Retry(max=3, interval=[10, 30, 90]),
        result_ttl=7 * 24 * 3600,
        failure_ttl=30 * 24 * 3600,
        meta={"filename": filename, "pages": pages, "progress": {"stage": "queued", "done": 0, "total": pages}},
    )
    return job.id
