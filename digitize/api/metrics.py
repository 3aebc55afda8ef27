"""Prometheus metrics. Workers push each finished document's stage times to a Redis list; the
service drains it into histograms when scraped, so workers on other machines count too."""
from __future__ import annotations

import json

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from rq.registry import FailedJobRegistry

STAGE_TIMES_KEY = "digitize:stage-seconds:{queue}"
STAGE_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120)


def report_stage_times(connection, queue_name: str, pages: int, seconds: dict) -> None:
    """Called by a worker when a document is done."""
    key = STAGE_TIMES_KEY.format(queue=queue_name)
    connection.rpush(key, json.dumps({"pages": pages, "seconds": seconds}))
    connection.ltrim(key, -100_000, -1)


class Metrics:
    def __init__(self, queue) -> None:
        self.queue = queue
        self.registry = CollectorRegistry()
        Gauge("digitize_queue_depth", "Jobs waiting in the queue", registry=self.registry).set_function(
            lambda: queue.count)
        Gauge("digitize_failed_jobs", "Jobs that failed for good", registry=self.registry).set_function(
            lambda: FailedJobRegistry(queue=queue).count)
        self.pages = Counter("digitize_pages", "Pages digitized", registry=self.registry)
        self.documents = Counter("digitize_documents", "Documents digitized", registry=self.registry)
        self.stage = Histogram("digitize_stage_seconds", "Time per pipeline stage and document", ["stage"],
                               buckets=STAGE_BUCKETS, registry=self.registry)
        self.requests = Histogram("digitize_http_request_seconds", "HTTP request latency", ["route", "status"],
                                  registry=self.registry)

    def render(self) -> bytes:
        self._drain()
        return generate_latest(self.registry)

    def _drain(self) -> None:
        connection = self.queue.connection
        while True:
            items = connection.lpop(STAGE_TIMES_KEY.format(queue=self.queue.name), 1000)
            if not items:
                return
            for item in items:
                record = json.loads(item)
                self.pages.inc(record.get("pages", 0))
                self.documents.inc()
                for stage, seconds in record.get("seconds", {}).items():
                    self.stage.labels(stage).observe(seconds)
