"""Intake for service mode: validate, keep the original and a receipt, then queue the work.

The original and its receipt are in the warehouse before the job exists, so nothing received
is lost if a worker or Redis dies afterwards: the reconciler (`python -m workers reconcile`)
queues again every receipt that has no result.
"""
from __future__ import annotations

import json
import logging
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

from redis.exceptions import RedisError

from storage import layout

from .pipeline import Submission, receive
from .services import Services


log = logging.getLogger(__name__)


@dataclass
class Receipt:
    id: str  # also the RQ job id
    original_key: str
    filename: str
    pages: int
    owner_id: str | None
    kind: str | None
    dossier_code: str | None
    received_at: str

    def to_json(self) -> dict:
        return asdict(self)


def submit(sub: Submission, services: Services, q) -> Receipt:
    """Keep the original and its receipt, then queue the job; bad input raises before anything is kept."""
    from workers.queue import enqueue_receipt

    sub, pages, sha = receive(sub, services)
    receipt = Receipt(id=uuid.uuid4().hex, original_key=layout.original_key(sha), filename=sub.filename,
                      pages=len(pages), owner_id=sub.owner_id, kind=sub.kind, dossier_code=sub.dossier_code,
                      received_at=datetime.now(timezone.utc).isoformat())
    services.store.put(layout.receipt_key(receipt.id), json.dumps(receipt.to_json()).encode(), "application/json")
    try:
        enqueue_receipt(q, receipt)
    except RedisError as exc:  # the scan is safe in the warehouse; the reconciler will queue it
        log.warning("receipt %s kept but not queued (Redis: %s); the reconciler will queue it", receipt.id, exc)
    return receipt


def load_receipt(services: Services, receipt_id: str) -> Receipt:
    return Receipt(**json.loads(services.store.get(layout.receipt_key(receipt_id))))


def finished_code(services: Services, receipt_id: str) -> str | None:
    """The document a receipt became, once its job has finished."""
    key = layout.receipt_done_key(receipt_id)
    if not services.store.exists(key):
        return None
    return json.loads(services.store.get(key))["code"]


def mark_finished(services: Services, receipt_id: str, code: str) -> None:
    if not services.store.exists(layout.receipt_done_key(receipt_id)):
        record = {"receipt": receipt_id, "code": code, "finished_at": datetime.now(timezone.utc).isoformat()}
        services.store.put(layout.receipt_done_key(receipt_id), json.dumps(record).encode(), "application/json")


def unfinished_receipts(services: Services) -> list[str]:
    """Receipts in the warehouse without a result: received, but not (yet) a document."""
    keys = set(services.store.list(layout.INTAKE_PREFIX))
    return sorted(k[len(layout.INTAKE_PREFIX):-len(".json")] for k in keys
                  if k.endswith(".json") and not k.endswith(".done.json")
                  and k[:-len(".json")] + ".done.json" not in keys)
