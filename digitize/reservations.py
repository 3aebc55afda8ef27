"""Codes reserved for the papers of a receipt before their documents are stored.

A worker can die between storing a document and recording that the receipt is done. The receipt
is then run again; its papers find their reserved codes here and finish the documents the dead run
began (or find them already stored) instead of making a second document under a new code.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Callable

from storage import layout
from storage.errors import ObjectExists

from .services import Services


@dataclass(frozen=True)
class Reservation:
    code: str
    scope: str
    sequence: int


def reserved(services: Services, receipt_id: str, pages: list[int]) -> Reservation | None:
    """The code an earlier run of this receipt reserved for the paper on these pages (0-based)."""
    key = _key(receipt_id, pages)
    return _load(services, key) if services.store.exists(key) else None


def reserve(services: Services, receipt_id: str, pages: list[int],
            allocate: Callable[[], tuple[str, str, int]]) -> Reservation:
    """A new code for the paper, recorded before anything is stored under it; when another run
    of the receipt recorded one first, that one."""
    code, scope, sequence = allocate()
    reservation = Reservation(code, scope, sequence)
    key = _key(receipt_id, pages)
    try:
        services.store.put(key, json.dumps(asdict(reservation)).encode(), "application/json")
    except ObjectExists:
        return _load(services, key)
    return reservation


def any_reserved(services: Services, receipt_id: str) -> bool:
    """Whether a run of this receipt has begun storing documents."""
    return next(iter(services.store.list(layout.reserved_prefix(receipt_id))), None) is not None


def _key(receipt_id: str, pages: list[int]) -> str:
    return layout.reserved_code_key(receipt_id, pages[0] + 1, pages[-1] + 1)


def _load(services: Services, key: str) -> Reservation:
    return Reservation(**json.loads(services.store.get(key)))
