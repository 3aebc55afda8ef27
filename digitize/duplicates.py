"""Papers already on file: the same file sent again, or the same paper scanned again.

The catalog is derived data: a document it lists counts only if its manifest is in the warehouse.
"""
from __future__ import annotations

import logging

import edlib

import ocr
from storage.catalog import fold

from . import archive
from .services import Services

log = logging.getLogger(__name__)
RESCAN_SIMILARITY = 0.9  # share of the text two scans of one paper have in common, at least
MIN_TEXT = 40  # too little text to tell two papers apart


def same_file(services: Services, original_sha: str, owner_id: str | None, kind: str | None) -> list[str]:
    """The codes of the documents made earlier from this very file for this owner (one per paper
    the file held), in the order of their pages."""
    found = []
    for existing in reversed(services.catalog.find_by_original(original_sha, owner_id)):  # oldest first
        if kind is not None and kind != existing["kind"]:
            continue
        if archive.has_document(services.store, existing["code"]):
            found.append(existing["code"])
        else:
            log.warning("catalog lists %s but its manifest is not in the warehouse", existing["code"])
    return found


def rescan_of(services: Services, owner_id: str | None, kind: str, pages: list[ocr.PageText]) -> str | None:
    """The code of the owner's document of this kind whose text is nearly the same."""
    if not owner_id:
        return None
    new = fold("\n".join(p.text for p in pages))
    if len(new) < MIN_TEXT:
        return None
    for existing in services.catalog.documents_of_owner(owner_id, kind, with_text=True, limit=50):
        old = fold(existing.get("text") or "")
        if old and text_similarity(new, old) >= RESCAN_SIMILARITY and \
                archive.has_document(services.store, existing["code"]):
            log.info("rescan of %s recognised", existing["code"])
            return existing["code"]
    return None


def text_similarity(a: str, b: str) -> float:
    """1 minus the edit distance over the longer text's length."""
    if not a or not b:
        return 0.0
    if min(len(a), len(b)) < 0.8 * max(len(a), len(b)):
        return 0.0
    return 1 - edlib.align(a, b, task="distance")["editDistance"] / max(len(a), len(b))
