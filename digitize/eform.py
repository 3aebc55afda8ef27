"""E-forms after extraction: staff corrections and confirmations as new versions.

Version 1 is what extraction wrote (documents/<code>/fields.json). Every correction writes the
whole e-form again as documents/<code>/fields.v<N>.json, object-locked like the rest, carrying
the changes it made (who, when, old and new value). Nothing is ever overwritten: two clerks
saving at once cannot both write version N, and the second is told to reload.

Signing off a version (the clerk's "Ký xác nhận") records who and when in a new version and signs
its exact bytes with the agency's key: a detached CAdES signature in fields.v<N>.json.p7s.
"""
from __future__ import annotations

import copy
import json
import re
import unicodedata
from datetime import datetime, timezone

from common.clock import iso_date
from signing.detached import sign_detached, verify_detached
from storage import StorageError, layout

from .archive import catalog_dates, fields_key
from .errors import ConflictError, InvalidFieldError, NotFoundError
from .services import Services

_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
_VERSION = re.compile(r"fields\.v(\d+)\.json$")
DATE_FIELDS = {"date", "date_of_birth", "issue_date", "registration_date"}
MAX_VALUE = 1000


def version_key(code: str, version: int) -> str:
    return fields_key(code, version)


def signature_key(code: str, version: int) -> str:
    return version_key(code, version) + ".p7s"


def versions(services: Services, code: str) -> list[int]:
    found = [int(m.group(1)) for key in services.store.list(layout.document_key(code, "fields."))
             if (m := _VERSION.search(key))]
    return [1, *sorted(found)]


def load(services: Services, code: str, version: int | None = None) -> dict:
    """An e-form version (the latest by default), with `version` and `versions` set."""
    known = versions(services, code)
    version = version or known[-1]
    if version not in known:
        raise NotFoundError("version_not_found", f"Không có phiên bản {version} của biểu mẫu.",
                        f"No e-form version {version}.")
    form = json.loads(services.store.get(version_key(code, version)))
    form.setdefault("corrections", [])
    form["version"], form["versions"] = version, known
    for f in form.get("fields", {}).values():
        f.setdefault("verified", f.get("source") == "human")
    return form


def correct(services: Services, code: str, *, based_on: int, values: dict[str, str], confirm: list[str],
            who: str, kind: str, sign_off: bool = False) -> dict:
    """A new version with `values` changed (source 'human') and `confirm`ed fields marked verified.

    `based_on` is the version the clerk was looking at; if another was saved since, nothing is
    written and the clerk is asked to reload.
    """
    current = load(services, code)
    if based_on != current["version"]:
        raise _conflict(current["version"])
    if not values and not confirm and not sign_off:
        raise InvalidFieldError("nothing_to_save", "Không có thay đổi nào để lưu.", "Nothing to change or confirm.")
    form = copy.deepcopy(current)
    fields = form.setdefault("fields", {})
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    changes = []
    for name, value in values.items():
        value = _checked(name, value)
        old = fields.get(name)
        if old is not None and old.get("value") == value:
            confirm = [*confirm, name]
            continue
        fields[name] = {**(old or {"raw": "", "page": 1, "box": None}), "value": value, "confidence": 1.0,
                        "source": "human", "verified": True, "verified_by": who, "verified_at": now,
                        "machine_value": (old or {}).get("machine_value", (old or {}).get("value"))}
        changes.append({"field": name, "old": old.get("value") if old else None, "new": value, "by": who, "at": now})
    for name in confirm:
        if name not in fields:
            raise InvalidFieldError("unknown_field", f"Biểu mẫu không có trường {name!r}.", f"The e-form has no field {name!r}.")
        if not fields[name].get("verified"):
            fields[name].update(verified=True, verified_by=who, verified_at=now)
            changes.append({"field": name, "old": fields[name]["value"], "new": fields[name]["value"], "by": who,
                            "at": now, "confirmed": True})
    form.update(kind=kind, version=current["version"] + 1, based_on=current["version"], saved_by=who, saved_at=now,
                corrections=changes)
    form.pop("versions", None)
    form.pop("signed_off", None)
    if sign_off:
        form["signed_off"] = {"by": who, "at": now}
    try:
        services.store.put(version_key(code, form["version"]), json.dumps(form, ensure_ascii=False).encode(),
                           "application/json", retain_years=services.settings.retention_for(kind))
    except StorageError as exc:
        if exc.code == "object_locked":  # somebody saved this version a moment ago
            raise _conflict(form["version"]) from exc
        raise
    if sign_off:
        data = services.store.get(version_key(code, form["version"]))
        services.store.put(signature_key(code, form["version"]), sign_detached(data, services.signer),
                           "application/pkcs7-signature", retain_years=services.settings.retention_for(kind))
    refresh_catalog_dates(services, code, form)
    return load(services, code, form["version"])


def signature(services: Services, code: str, version: int) -> dict | None:
    """The check of a signed-off version's signature, or None when that version was not signed off."""
    key = signature_key(code, version)
    if not services.store.exists(key):
        return None
    report = verify_detached(services.store.get(version_key(code, version)), services.store.get(key),
                             services.trust_roots)
    return {"version": version, **report.to_json()}


def refresh_catalog_dates(services: Services, code: str, form: dict) -> None:
    services.catalog.set_dates(code, **catalog_dates(form.get("fields", {})))


def history(services: Services, code: str) -> list[dict]:
    """Every version after the first: who saved it, when, what it changed, and its sign-off if any."""
    out = []
    for version in versions(services, code)[1:]:
        form = json.loads(services.store.get(version_key(code, version)))
        out.append({"version": version, "saved_by": form.get("saved_by"), "saved_at": form.get("saved_at"),
                    "corrections": form.get("corrections", []), "signed_off": form.get("signed_off")})
    return out


def _checked(name: str, value) -> str:
    if not _FIELD_NAME.match(name or ""):
        raise InvalidFieldError("invalid_field_name", f"Tên trường không hợp lệ: {name!r}.", f"Invalid field name: {name!r}.")
    if not isinstance(value, str) or len(value) > MAX_VALUE:
        raise InvalidFieldError("invalid_field_value", f"Giá trị của trường {name} không hợp lệ.",
                        f"The value of {name} must be text of at most {MAX_VALUE} characters.")
    value = " ".join(unicodedata.normalize("NFC", value).split())
    if name in DATE_FIELDS or (name == "expiry" and value != "Không thời hạn"):
        if iso_date(value) is None:
            raise InvalidFieldError("invalid_date", f"Ngày không hợp lệ ở trường {name}: {value!r} (dạng YYYY-MM-DD).",
                            f"Invalid date in {name}: {value!r} (YYYY-MM-DD expected).")
    return value


def _conflict(latest: int) -> ConflictError:
    return ConflictError("version_conflict", f"Biểu mẫu vừa được người khác lưu (phiên bản {latest}); hãy tải lại.",
                     f"The e-form was saved meanwhile (version {latest}); reload it.")
