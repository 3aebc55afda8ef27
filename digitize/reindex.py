"""`digitize reindex`: rebuild the catalog from the warehouse, which is the system of record."""
from __future__ import annotations

import json
import logging
from typing import Callable

from storage import layout

from . import archive, eform
from .codes import parse_dossier_code
from .dossiers import load_dossier_record
from .services import Services

log = logging.getLogger(__name__)
BATCH = 500


def reindex(services: Services, progress: Callable[[int], None] | None = None) -> int:
    """Forget the catalog's documents and read every manifest back; returns how many were indexed.

    Code sequences are raised to the highest number found, so no code is ever handed out twice.
    """
    store, catalog = services.store, services.catalog
    catalog.clear()
    rows, links, highest, done = [], [], {}, 0
    for key in store.list(layout.MANIFEST_PREFIX):
        if not key.endswith("/manifest.json"):
            if "/dossiers/" in key:
                links.append(json.loads(store.get(key)))
            continue
        manifest = archive.Manifest.model_validate(json.loads(store.get(key)))
        pages = json.loads(store.get(manifest.objects.ocr.key))["pages"]
        fields = eform.load(services, manifest.code)  # the latest version, with staff corrections
        rows.append(archive.catalog_row(manifest, "\n\f".join(p.get("text", "") for p in pages), fields))
        if manifest.code_scope:
            scope = manifest.code_scope
            highest[scope] = max(highest.get(scope, 0), int(manifest.code_sequence or 0))
        if len(rows) >= BATCH:
            catalog.add_documents(rows)
            done += len(rows)
            rows = []
            if progress:
                progress(done)
    catalog.add_documents(rows)
    done += len(rows)
    for link in links:
        catalog.link(link["dossier_code"], link["document_code"])
    for key in store.list(layout.DOSSIER_PREFIX):
        record = load_dossier_record(store.get(key))
        catalog.add_dossier(record)
        highest_dossier(highest, services.agency_id, record["code"])
    for scope, value in highest.items():
        catalog.raise_sequence(scope, value)
    log.info("reindexed %d documents, %d extra dossier links", done, len(links))
    return done


def highest_dossier(highest: dict, agency: str, code: str) -> None:
    """Dossier numbers allocated here must not be handed out again after a rebuild."""
    parts = parse_dossier_code(code)
    if parts["agency"] == agency and parts["ministry"] is None:
        scope = f"dossier:{agency}:{parts['date']:%y%m%d}"
        highest[scope] = max(highest.get(scope, 0), parts["sequence"])
