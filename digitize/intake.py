"""Intake for service mode: validate, keep the original, then queue the work.

The original is in the warehouse before the job exists, so nothing received
is lost if a worker or Redis dies afterwards.
"""
from __future__ import annotations

from dataclasses import dataclass

from storage import layout

from .pipeline import Submission, receive
from .services import Services


@dataclass
class Receipt:
    job_id: str
    original_key: str
    pages: int


def submit(sub: Submission, services: Services, q) -> Receipt:
    from workers.queue import enqueue_document

    sub, pages, sha = receive(sub, services)
    key = layout.original_key(sha)
    job_id = enqueue_document(q, original_key=key, filename=sub.filename, pages=len(pages), owner_id=sub.owner_id,
                              kind=sub.kind, dossier_code=sub.dossier_code)
    return Receipt(job_id=job_id, original_key=key, pages=len(pages))
