"""`digitize reindex`: rebuild the catalog from the warehouse, which is the system of record."""
from __future__ import annotations

import json
import logging
from typing import Callable

from storage import layout

from . import archive, eform
from .codes import parse_dossier_code
from .dossiers import load_dossier_record
from .errors import ConflictError
from .services import Services

log = logging.getLogger(__name__)
BATCH = 500


def reindex(services: Services, progress: Callable[[int], None] | None = None, *,
            allow_empty: bool = False) -> int:
    """Replace the catalog's documents with every manifest read back; returns how many were indexed.

    The rebuild runs in one catalog transaction: until it commits, readers see the old catalog, and any
    failure (an unreadable manifest, the warehouse going away) leaves the old catalog as it was. A
    warehouse with no documents does not replace a catalog that has some, unless `allow_empty`.
    Code sequences are raised to the highest number found, so no code is ever handed out twice.
    """
    store, catalog = services.store, services.catalog
    manifests = [key for key in store.list(layout.MANIFEST_PREFIX) if key.endswith("/manifest.json")]
    if not manifests and catalog.count() and not allow_empty:
        raise ConflictError("reindex_found_nothing",
                            "Kho lưu trữ không có giấy tờ nào; danh mục hiện có được giữ nguyên.",
                            "The warehouse lists no documents; the catalog was left as it was.")
    highest, done = {}, 0
    with catalog.rebuilding() as conn:
        rows, links = [], []
        for key in store.list(layout.MANIFEST_PREFIX):
            if not key.endswith("/manifest.json"):
                if "/dossiers/" in key:
                    links.append(json.loads(store.get(key)))
                continue
            manifest = archive.load_manifest(store, key.split("/")[1])  # its latest version
            pages = json.loads(store.get(manifest.objects.ocr.key))["pages"]
            fields = eform.load(services, manifest.code)  # the latest version, with staff corrections
            rows.append(archive.catalog_row(manifest, "\n\f".join(p.get("text", "") for p in pages), fields))
            if manifest.code_scope:
                scope = manifest.code_scope
                highest[scope] = max(highest.get(scope, 0), int(manifest.code_sequence or 0))
            if len(rows) >= BATCH:
                catalog.add_documents(rows, conn)
                done += len(rows)
                rows = []
                if progress:
                    progress(done)
        catalog.add_documents(rows, conn)
        done += len(rows)
        for link in links:
            catalog.link(link["dossier_code"], link["document_code"], conn=conn)
        for key in store.list(layout.DOSSIER_PREFIX):
            record = load_dossier_record(store.get(key))
            catalog.add_dossier(record, conn)
            highest_dossier(highest, services.agency_id, record["code"])
        for scope, value in highest.items():
            catalog.raise_sequence(scope, value, conn)
    log.info("reindexed %d documents, %d extra dossier links", done, len(links))
    return done


def highest_dossier(highest: dict, agency: str, code: str) -> None:
    """Dossier numbers allocated here must not be handed out again after a rebuild."""
    parts = parse_dossier_code(code)
    if parts["agency"] == agency and parts["ministry"] is None:
        scope = f"dossier:{agency}:{parts['date']:%y%m%d}"
        highest[scope] = max(highest.get(scope, 0), parts["sequence"])
