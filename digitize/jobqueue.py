"""The job queue as the core sees it: put a receipt's work in, ask how a job is doing.

The core never imports a queue library: workers/queue.py implements this over RQ and Redis, and
the composition roots (the worker command, the HTTP service's start-up) hand it in.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Protocol

from common.errors import Unavailable

ENDED = ("finished", "failed", "canceled", "stopped")


@dataclass
class Receipt:
    """What was received and stored (intake/<id>.json): the work a job does."""

    id: str  # also the RQ job id
    original_key: str
    filename: str
    pages: int
    owner_id: str | None
    kind: str | None
    dossier_code: str | None
    received_at: str
    received_by: str | None = None  # the person or system that sent it (audit trail)
    split: bool = True  # find the papers in the file; False: the sender says it is one paper

    def to_json(self) -> dict:
        return asdict(self)


class QueueUnavailable(Unavailable):
    """The queue's server is away; a receipt already stored is queued later by the reconciler."""


@dataclass
class JobView:
    """What the counter is told about one job."""

    id: str
    status: str  # queued, started, scheduled, deferred, finished, failed, canceled, stopped
    filename: str | None = None
    progress: dict | None = None
    code: str | None = None  # the (first) document, once finished
    documents: list[dict] | None = None  # every paper the file held: code, kind, pages, source pages
    split_review: bool | None = None  # a clerk should confirm how the file was split
    split: dict | None = None  # the papers' pages in the file, its blank pages and sheets (split.SplitPlan)
    already_on_file: bool | None = None
    duplicate: str | None = None
    error: str | None = None  # the last line of the failure, once failed
    ended_at: str | None = None
    position: int | None = None  # 1 = next, while queued
    workers: int | None = None  # workers serving the queue now; 0: nobody will take the job yet
    retrying: bool | None = None  # a try failed on the server's side; another is scheduled

    def to_json(self) -> dict:
        view = {"id": self.id, "status": self.status, "filename": self.filename, "progress": self.progress,
                "position": self.position, "workers": self.workers, "retrying": self.retrying}
        if self.status == "finished":
            view.update(code=self.code, already_on_file=self.already_on_file, duplicate=self.duplicate,
                        documents=self.documents, split_review=self.split_review, split=self.split)
        if self.status == "failed":
            view["error"] = self.error
        return view


@dataclass
class StageReport:
    """A finished document's stage times, reported by the worker that made it."""

    pages: int
    seconds: dict[str, float] = field(default_factory=dict)


class JobQueue(Protocol):
    name: str

    def enqueue(self, receipt: Receipt) -> str:
        """Queue the work for a stored receipt; job id = receipt id. Raises QueueUnavailable."""

    def job(self, job_id: str) -> JobView | None:
        """The job as the queue knows it, or None if the queue does not (any longer)."""

    def failed(self, limit: int = 200) -> list[JobView]:
        """Jobs that failed for good, with their reasons."""

    def depth(self) -> int:
        """Jobs waiting."""

    def retry(self, job_id: str) -> bool:
        """Queue a job that failed for good once more; False if the queue holds no such failed job."""

    def failed_count(self) -> int: ...

    def workers(self) -> int:
        """Workers serving the queue now."""

    def ping(self) -> None:
        """Raises if the queue's server cannot be reached."""

    def report_stages(self, report: StageReport) -> None:
        """Called by a worker when a document is done, for the service's metrics."""

    def drain_stage_reports(self) -> list[StageReport]:
        """Every report since the last call (the metrics endpoint turns them into histograms)."""


class MemoryJobQueue:
    """A queue in this process's memory that nothing works off: for the web pages' unit tests and
    the web benchmark, which never wait for a worker."""

    def __init__(self, name: str = "memory") -> None:
        self.name = name
        self.receipts: list[str] = []
        self._reports: list[StageReport] = []

    def enqueue(self, receipt: Receipt) -> str:
        self.receipts.append(receipt.id)
        return receipt.id

    def job(self, job_id: str) -> JobView | None:
        return JobView(id=job_id, status="queued") if job_id in self.receipts else None

    def failed(self, limit: int = 200) -> list[JobView]:
        return []

    def depth(self) -> int:
        return len(self.receipts)

    def retry(self, job_id: str) -> bool:
        return False

    def failed_count(self) -> int:
        return 0

    def workers(self) -> int:
        return 0

    def ping(self) -> None:
        return None

    def report_stages(self, report: StageReport) -> None:
        self._reports.append(report)

    def drain_stage_reports(self) -> list[StageReport]:
        reports, self._reports = self._reports, []
        return reports
