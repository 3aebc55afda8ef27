"""Prometheus metrics. Workers report each finished document's stage times through the job queue
(digitize.jobqueue.JobQueue.report_stages); the service drains them into histograms when scraped,
so workers on other machines count too."""
from __future__ import annotations

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from ..jobqueue import JobQueue

STAGE_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120)


class Metrics:
    def __init__(self, queue: JobQueue) -> None:
        self.queue = queue
        self.registry = CollectorRegistry()
        Gauge("digitize_queue_depth", "Jobs waiting in the queue", registry=self.registry).set_function(queue.depth)
        Gauge("digitize_failed_jobs", "Jobs that failed for good", registry=self.registry).set_function(
            queue.failed_count)
        self.pages = Counter("digitize_pages", "Pages digitized", registry=self.registry)
        self.documents = Counter("digitize_documents", "Documents digitized", registry=self.registry)
        self.stage = Histogram("digitize_stage_seconds", "Time per pipeline stage and document", ["stage"],
                               buckets=STAGE_BUCKETS, registry=self.registry)
        self.requests = Histogram("digitize_http_request_seconds", "HTTP request latency", ["route", "status"],
                                  registry=self.registry)

    def render(self) -> bytes:
        for report in self.queue.drain_stage_reports():
            self.pages.inc(report.pages)
            self.documents.inc()
            for stage, seconds in report.seconds.items():
                self.stage.labels(stage).observe(seconds)
        return generate_latest(self.registry)
