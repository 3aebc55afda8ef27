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

from common.errors import AppError
from storage import layout

from .audit import HOT_FOLDER, Actor, record
from .errors import NotFoundError
from .jobqueue import JobQueue, QueueUnavailable, Receipt
from .pipeline import Submission, receive
from .services import Services

log = logging.getLogger(__name__)


def submit(sub: Submission, services: Services, queue: JobQueue, by: Actor = HOT_FOLDER) -> Receipt:
    """Keep the original and its receipt, then queue the job; bad input raises before anything is kept."""
    received = receive(sub, services)
    sub = received.submission
    receipt = Receipt(id=uuid.uuid4().hex, original_key=layout.original_key(received.original_sha256),
                      filename=sub.filename, pages=received.file.pages, owner_id=sub.owner_id, kind=sub.kind,
                      dossier_code=sub.dossier_code, split=sub.split,
                      received_at=datetime.now(timezone.utc).isoformat(), received_by=by.name)
    services.store.put(layout.receipt_key(receipt.id), json.dumps(receipt.to_json()).encode(), "application/json")
    if sub.dossier_code:  # the dossier's page can show this file until it is done, even after a reload
        services.store.put(layout.dossier_receipt_key(sub.dossier_code, receipt.id), b"", "application/octet-stream")
    record(services, by, "received", owner_id=sub.owner_id, detail=f"receipt {receipt.id}")
    try:
        queue.enqueue(receipt)
    except QueueUnavailable as exc:  # the scan is safe in the warehouse; the reconciler will queue it
        log.warning("receipt %s kept but not queued (%s); the reconciler will queue it", receipt.id, exc.message_en)
    return receipt


def load_receipt(services: Services, receipt_id: str) -> Receipt:
    return Receipt(**json.loads(services.store.get(layout.receipt_key(receipt_id))))


def finished_codes(services: Services, receipt_id: str) -> list[str]:
    """The documents a receipt became (one per paper), once its job has finished; [] before."""
    key = layout.receipt_done_key(receipt_id)
    if not services.store.exists(key):
        return []
    record = json.loads(services.store.get(key))
    return record.get("codes") or [record["code"]]  # receipts done before batches were split: one code


def mark_finished(services: Services, receipt_id: str, codes: list[str], split: dict | None = None) -> None:
    """The receipt's result, kept: every paper's code, and how the file was split (each paper's pages,
    the blank pages and sheets left out), so that the images can be counted against the papers."""
    if not services.store.exists(layout.receipt_done_key(receipt_id)):
        record = {"receipt": receipt_id, "code": codes[0], "codes": codes, "split": split,
                  "finished_at": datetime.now(timezone.utc).isoformat()}
        services.store.put(layout.receipt_done_key(receipt_id), json.dumps(record).encode(), "application/json")


def confirm_split(services: Services, receipt_id: str, by: Actor) -> dict:
    """A clerk says the papers the file was split into are right (corrections before this are made
    with the page tools, as new versions). Recorded once, with who and when, and audited."""
    codes = finished_codes(services, receipt_id)
    if not codes:
        raise NotFoundError("job_not_finished", "Tệp này chưa số hóa xong.", f"Receipt {receipt_id} is not finished.")
    key = layout.receipt_confirmed_key(receipt_id)
    if not services.store.exists(key):
        record_ = {"receipt": receipt_id, "codes": codes, "by": by.name,
                   "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        services.store.put(key, json.dumps(record_).encode(), "application/json")
        for code in codes:
            record(services, by, "split_confirmed", code=code, detail=f"receipt {receipt_id}")
    return json.loads(services.store.get(key))


def split_confirmation(services: Services, receipt_id: str) -> dict | None:
    key = layout.receipt_confirmed_key(receipt_id)
    return json.loads(services.store.get(key)) if services.store.exists(key) else None


@dataclass
class NeedsAttention:
    """A receipt whose file cannot become a document, and why: shown to the clerk, never retried."""

    receipt: str
    code: str
    message_vi: str
    message_en: str
    failed_at: str


def mark_needs_attention(services: Services, receipt_id: str, error: AppError) -> NeedsAttention:
    record = NeedsAttention(receipt_id, error.code, error.message_vi, error.message_en,
                            datetime.now(timezone.utc).isoformat())
    if not services.store.exists(layout.receipt_failed_key(receipt_id)):
        services.store.put(layout.receipt_failed_key(receipt_id), json.dumps(asdict(record)).encode(),
                           "application/json")
    return record


def needs_attention(services: Services, receipt_id: str) -> NeedsAttention | None:
    key = layout.receipt_failed_key(receipt_id)
    if not services.store.exists(key):
        return None
    return NeedsAttention(**json.loads(services.store.get(key)))


def unfinished_of_dossier(services: Services, dossier_code: str) -> list[Receipt]:
    """The dossier's files not digitized yet: waiting, being read, or set aside for a person."""
    prefix = layout.dossier_receipt_key(dossier_code, "")
    pending = []
    for key in services.store.list(prefix):
        receipt_id = key[len(prefix):]
        if not services.store.exists(layout.receipt_done_key(receipt_id)):
            pending.append(load_receipt(services, receipt_id))
    return sorted(pending, key=lambda r: r.received_at)


def unfinished_receipts(services: Services) -> list[str]:
    """Receipts in the warehouse still to do: neither a document yet nor set aside for a person."""
    keys = set(services.store.list(layout.INTAKE_PREFIX))
    ended = (".done.json", ".failed.json", ".confirmed.json")
    return sorted(k[len(layout.INTAKE_PREFIX):-len(".json")] for k in keys
                  if k.endswith(".json") and not k.endswith(ended)
                  and not any(k[:-len(".json")] + end in keys for end in ended))
