"""Dossiers opened at the counter: a code (given, or the next one for the agency and day), the owner,
the applicant (who brought it: name, phone, address), the procedure and the date its result is
promised. Each is kept in the warehouse (dossiers/<code>.json) and listed by the catalog.

A dossier's status is read from what happened to it, never set by hand, so it cannot drift:
received (nothing scanned yet), digitizing (files still being read), to check (papers whose
e-forms are not signed off), supplement (all checked, yet the procedure still lacks papers), done.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from common.clock import VIETNAM
from storage import layout

from .audit import Actor, record
from .codes import check_owner_id, format_dossier_code, parse_dossier_code, shown
from .errors import ConflictError, InvalidFieldError, NotFoundError
from .pipeline import link_dossier
from .procedures import catalogue, find
from .services import Services

STATUSES = {"received": "Đã tiếp nhận", "digitizing": "Đang số hóa", "to_check": "Cần kiểm tra",
            "supplement": "Chờ bổ sung giấy tờ", "done": "Đã số hóa xong"}
NAME_MAX, ADDRESS_MAX = 120, 300
_PHONE = re.compile(r"0\d{9,10}")  # 10 digits for mobiles, 11 for old landlines with area code


@dataclass(frozen=True)
class Applicant:
    """Who brought the dossier (người nộp hồ sơ): often the owner, sometimes a relative or an agent."""

    name: str | None = None
    phone: str | None = None
    address: str | None = None


def check_applicant(name: str = "", phone: str = "", address: str = "") -> Applicant:
    """The applicant as typed, tidied (NFC, single spaces); raises InvalidFieldError naming the field."""
    name, address = _text(name, NAME_MAX, "applicant_name"), _text(address, ADDRESS_MAX, "applicant_address")
    digits = re.sub(r"[\s.\-()]", "", phone or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    if digits and not (digits.isascii() and _PHONE.fullmatch(digits)):
        raise InvalidFieldError("invalid_applicant_phone",
                                f"Số điện thoại không hợp lệ: {shown(phone)} (10 chữ số, bắt đầu bằng 0).",
                                f"Invalid phone number: {shown(phone)} (10 digits starting with 0).")
    return Applicant(name, digits or None, address)


def _text(value: str, limit: int, field: str) -> str | None:
    value = " ".join(unicodedata.normalize("NFC", value or "").split())
    if any(unicodedata.category(ch).startswith("C") for ch in value) or len(value) > limit:
        raise InvalidFieldError(f"invalid_{field}", f"Nội dung không hợp lệ hoặc dài quá {limit} ký tự.",
                                f"{field} is malformed or longer than {limit} characters.")
    return value or None


def promised_date(received: date, working_days: int | None) -> date | None:
    """The day the result is promised: `working_days` after the day received, Saturdays and Sundays
    not counted (public holidays are the clerk's to move, on the printed receipt)."""
    if working_days is None:
        return None
    day, left = received, working_days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def open_dossier(services: Services, *, owner_id: str | None, procedure: str, who: str,
                 code: str | None = None, applicant: Applicant | None = None) -> dict:
    """Open (or, for a code that already exists, return) a dossier; `code` None allocates the next one.
    A procedure of the agency's catalogue (by name or code) is recorded by its name, and gives the
    promised date."""
    owner = check_owner_id(owner_id) if owner_id else None
    known = find(catalogue(services.settings.procedures_file), procedure)
    procedure = known.name if known else " ".join(procedure.split())[:300]
    if code:
        code = code.strip().upper()
        parse_dossier_code(code)
        known = services.catalog.dossier(code)
        if known is not None:
            if owner and known["owner_id"] and known["owner_id"] != owner:
                raise ConflictError("dossier_owner_mismatch", f"Hồ sơ {code} thuộc về chủ hồ sơ khác.",
                                    f"Dossier {code} belongs to another owner.")
            return known
    today = datetime.now(VIETNAM).date()
    if not code:
        seq = services.catalog.next_sequence(f"dossier:{services.agency_id}:{today:%y%m%d}")
        code = format_dossier_code(services.agency_id, today, seq)
    applicant = applicant or Applicant()
    record = {"code": code, "owner_id": owner, "procedure": procedure or None,
              "created_at": datetime.now(timezone.utc), "created_by": who,
              "applicant_name": applicant.name, "applicant_phone": applicant.phone,
              "applicant_address": applicant.address,
              "promised_on": promised_date(today, known.days if known else None)}
    body = {**record, "created_at": record["created_at"].isoformat(),
            "promised_on": record["promised_on"].isoformat() if record["promised_on"] else None}
    services.store.put(layout.dossier_key(code), json.dumps(body, ensure_ascii=False).encode(), "application/json",
                       retain_years=services.settings.retention_years)
    services.catalog.add_dossier(record)
    return record


def load_dossier_record(data: bytes) -> dict:
    """A stored dossier record as the catalog wants it (reindex)."""
    record = json.loads(data)
    promised = record.get("promised_on")
    return {**record, "created_at": datetime.fromisoformat(record["created_at"]),
            "promised_on": date.fromisoformat(promised) if promised else None}


def dossier_status(*, pending: int, signed_off: list[bool], missing: int) -> str:
    """Where a dossier stands (a key of STATUSES), from its unfinished files, whether each of its
    papers' e-forms is signed off, and how many required papers are missing."""
    if pending:
        return "digitizing"
    if not signed_off:
        return "received"
    if not all(signed_off):
        return "to_check"
    return "supplement" if missing else "done"


def reuse_on_file(services: Services, dossier_code: str, document_code: str, actor: Actor) -> dict:
    """Put a paper the same citizen already has on file into this dossier (no new scan, same code)."""
    dossier = services.catalog.dossier(dossier_code)
    if dossier is None:
        raise NotFoundError("dossier_not_found", "Chưa mở hồ sơ này.", f"No dossier {shown(dossier_code)}.")
    document = services.catalog.get(document_code)
    if document is None or not dossier["owner_id"] or document["owner_id"] != dossier["owner_id"]:
        # Another citizen's paper is answered as unknown, so that codes cannot be probed from here.
        raise NotFoundError("document_not_found", f"Chủ hồ sơ không có giấy tờ mã {shown(document_code)}.",
                            f"The dossier's owner has no document {shown(document_code)}.")
    link_dossier(services, document_code, dossier_code)
    record(services, actor, "linked_existing", code=document_code, owner_id=document["owner_id"],
           detail=f"dossier {dossier_code}")
    return document
