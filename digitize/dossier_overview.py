"""Everything about one dossier the counter shows at once: its papers, its files still being read,
the procedure's checklist and, from those, its status."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from common.errors import AppError

from . import eform
from .dossiers import STATUSES, dossier_status
from .intake import unfinished_of_dossier
from .jobqueue import Receipt
from .procedures import ChecklistLine, Procedure, checklist, find
from .services import Services

log = logging.getLogger(__name__)


@dataclass
class DossierOverview:
    record: dict
    documents: list[dict]
    pending: list[Receipt]
    procedure: Procedure | None
    checklist: list[ChecklistLine]
    signed_off: dict[str, bool]  # document code → its e-form is signed off

    @property
    def missing(self) -> list[str]:
        return [line.paper.name for line in self.checklist if line.state == "missing"]

    @property
    def status(self) -> str:
        return dossier_status(pending=len(self.pending), signed_off=list(self.signed_off.values()),
                              missing=len(self.missing))

    @property
    def status_words(self) -> str:
        return STATUSES[self.status]


def overview(services: Services, record: dict, procedures: tuple[Procedure, ...]) -> DossierOverview:
    catalog = services.catalog
    documents = catalog.documents_of_dossier(record["code"])
    procedure = find(procedures, record["procedure"])
    lines = []
    if procedure:
        owner_docs = catalog.documents_of_owner(record["owner_id"], limit=200) if record["owner_id"] else []
        lines = checklist(procedure, documents, owner_docs)
    return DossierOverview(record, documents, unfinished_of_dossier(services, record["code"]), procedure, lines,
                           {d["code"]: _signed_off(services, d["code"]) for d in documents})


def _signed_off(services: Services, code: str) -> bool:
    try:
        return eform.load(services, code).signed_off is not None
    except AppError as exc:  # unreadable: counted as not checked (the integrity alert is logged where it failed)
        log.warning("e-form of %s unreadable for its dossier's status: %s", code, exc.code)
        return False
