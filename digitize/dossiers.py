"""Dossiers opened at the counter: a code (given, or the next one for the agency and day), the owner
and the procedure. Each is kept in the warehouse (dossiers/<code>.json) and listed by the catalog."""
from __future__ import annotations

import json
from datetime import datetime, timezone

from common.clock import VIETNAM
from storage import layout

from .codes import check_owner_id, format_dossier_code, parse_dossier_code
from .errors import ConflictError
from .services import Services


def open_dossier(services: Services, *, owner_id: str | None, procedure: str, who: str,
                 code: str | None = None) -> dict:
    """Open (or, for a code that already exists, return) a dossier; `code` None allocates the next one."""
    owner = check_owner_id(owner_id) if owner_id else None
    procedure = " ".join(procedure.split())[:300]
    if code:
        code = code.strip().upper()
        parse_dossier_code(code)
        known = services.catalog.dossier(code)
        if known is not None:
            if owner and known["owner_id"] and known["owner_id"] != owner:
                raise ConflictError("dossier_owner_mismatch", f"Hồ sơ {code} thuộc về chủ hồ sơ khác.",
                                f"Dossier {code} belongs to another owner.")
            return known
    else:
        today = datetime.now(VIETNAM).date()
        seq = services.catalog.next_sequence(f"dossier:{services.agency_id}:{today:%y%m%d}")
        code = format_dossier_code(services.agency_id, today, seq)
    record = {"code": code, "owner_id": owner, "procedure": procedure or None,
              "created_at": datetime.now(timezone.utc), "created_by": who}
    body = {**record, "created_at": record["created_at"].isoformat()}
    services.store.put(layout.dossier_key(code), json.dumps(body, ensure_ascii=False).encode(), "application/json",
                       retain_years=services.settings.retention_years)
    services.catalog.add_dossier(record)
    return record


def load_dossier_record(data: bytes) -> dict:
    """A stored dossier record as the catalog wants it (reindex)."""
    record = json.loads(data)
    return {**record, "created_at": datetime.fromisoformat(record["created_at"])}
