"""An id card's front and back sent as two files: the back joins the front's document.

A file holding only the back of a card (its MRZ, no name or birth date) becomes a document first,
like any paper; then, when the same dossier (or the same owner) has a one-page card document with
the same id number, the back is merged into it with the page tools: one paper, one code, the back's
own document kept and marked as merged.
"""
from __future__ import annotations

import logging
from dataclasses import replace

from common.errors import AppError

from . import archive, eform, page_tools
from .audit import Actor
from .pipeline import Outcome, UploadOutcome
from .services import Services

log = logging.getLogger(__name__)


def join_card_backs(services: Services, upload: UploadOutcome, by: Actor) -> UploadOutcome:
    """The upload with each lone card back joined to its front's document, when that is on file."""
    joined = []
    for paper, outcome in zip(upload.plan.papers, upload.documents):
        front = None
        if paper.card_side == "back" and not outcome.already_on_file and outcome.manifest.kind == "cccd":
            front = _front_of(services, outcome)
        if front is None:
            joined.append(outcome)
            continue
        try:
            merged = page_tools.merge(services, front, outcome.code,
                                      based_on=archive.latest_version(services.store, front), by=by)
        except AppError as exc:  # a clerk edited the front meanwhile: the back stays its own document
            if exc.status >= 500:
                raise
            log.info("card back %s not joined to %s: %s", outcome.code, front, exc.code)
            joined.append(outcome)
            continue
        log.info("card back %s joined to its front %s", outcome.code, front)
        joined.append(replace(merged, duplicate="card_back_joined"))
    return replace(upload, documents=joined)


def _front_of(services: Services, back: Outcome) -> str | None:
    """A one-page card document of the same dossier or owner with the same id number."""
    number = back.form.value("id")
    if not number:
        return None
    manifest = back.manifest
    if manifest.dossier_code:
        candidates = services.catalog.documents_of_dossier(manifest.dossier_code)
    elif manifest.owner_id:
        candidates = services.catalog.documents_of_owner(manifest.owner_id, "cccd")
    else:
        return None
    for doc in candidates:
        if doc["code"] == back.code or doc["kind"] != "cccd" or doc["pages"] != 1:
            continue
        front = archive.load_manifest(services.store, doc["code"])
        if front.merged_into is None and eform.load(services, doc["code"]).value("id") == number:
            return doc["code"]
    return None
