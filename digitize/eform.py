"""E-forms after extraction: staff corrections and confirmations as new versions.

Version 1 is what extraction wrote (documents/<code>/fields.json). Every correction writes the
whole e-form again as documents/<code>/fields.v<N>.json, object-locked like the rest, carrying
the changes it made (who, when, old and new value). Nothing is ever overwritten: two clerks
saving at once cannot both write version N, and the second is told to reload.

Signing off a version (the clerk's "Ký xác nhận") records who and when in a new version and signs
its exact bytes with the agency's key: a detached CAdES signature in fields.v<N>.json.p7s.
"""
from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime, timezone

from common.clock import iso_date
from signing.detached import sign_detached, verify_detached
from storage import ObjectExists, layout

from .archive import ObjectRef, catalog_dates, fields_key
from .errors import ConflictError, InvalidFieldError, NotFoundError
from .fields.form import EForm, FieldChange, FormField, SignOff
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


def load(services: Services, code: str, version: int | None = None) -> EForm:
    """An e-form version (the latest by default), with `version` and `versions` set."""
    known = versions(services, code)
    version = version or known[-1]
    if version not in known:
        raise NotFoundError("version_not_found", f"Không có phiên bản {version} của biểu mẫu.",
                            f"No e-form version {version}.")
    form = EForm.model_validate_json(services.store.get(version_key(code, version)))
    form.corrections = list(form.corrections)  # always served, even for version 1 (none)
    form.version, form.versions = version, known
    for f in form.fields.values():
        if "verified" not in f.model_fields_set:
            f.verified = f.source == "human"
    return form


def correct(services: Services, code: str, *, based_on: int, values: dict[str, str], confirm: list[str],
            who: str, kind: str, sign_off: bool = False) -> EForm:
    """A new version with `values` changed (source 'human') and `confirm`ed fields marked verified.

    `based_on` is the version the clerk was looking at; if another was saved since, nothing is
    written and the clerk is asked to reload.
    """
    current = load(services, code)
    if based_on != current.version:
        raise _conflict(current.version)
    if current.signed_off is not None:
        raise ConflictError("signed_off", f"Biểu mẫu đã được {current.signed_off.by} ký xác nhận, không sửa được nữa.",
                            "The e-form was signed off; it cannot change.")
    if not values and not confirm and not sign_off:
        raise InvalidFieldError("nothing_to_save", "Không có thay đổi nào để lưu.", "Nothing to change or confirm.")
    form = current.model_copy(deep=True)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    changes = []
    for name, value in values.items():
        value = _checked(name, value)
        old = form.fields.get(name)
        if old is not None and old.value == value:
            confirm = [*confirm, name]
            continue
        base = old.model_dump(exclude_unset=True) if old else {"raw": "", "page": 1, "box": None}
        machine = old.machine_value if old and old.machine_value is not None else (old.value if old else None)
        form.fields[name] = FormField(**{**base, "value": value, "confidence": 1.0, "source": "human",
                                         "verified": True, "verified_by": who, "verified_at": now,
                                         "machine_value": machine})
        changes.append(FieldChange(field=name, old=old.value if old else None, new=value, by=who, at=now))
    for name in confirm:
        if name not in form.fields:
            raise InvalidFieldError("unknown_field", f"Biểu mẫu không có trường {name!r}.",
                                    f"The e-form has no field {name!r}.")
        field = form.fields[name]
        if not field.verified:
            field.verified, field.verified_by, field.verified_at = True, who, now
            changes.append(FieldChange(field=name, old=field.value, new=field.value, by=who, at=now, confirmed=True))
    unconfirmed = [name for name, f in form.fields.items() if not f.verified]
    if sign_off and unconfirmed:
        raise InvalidFieldError("unconfirmed_fields",
                                f"Còn {len(unconfirmed)} trường chưa xác nhận; hãy xác nhận hoặc sửa hết trước khi ký.",
                                f"{len(unconfirmed)} fields are not confirmed yet: {', '.join(unconfirmed[:10])}.")
    new = EForm(**{**form.model_dump(exclude_unset=True, exclude={"versions", "signed_off", "fields"}),
                   "fields": form.fields, "kind": kind, "version": current.version + 1,
                   "based_on": current.version, "saved_by": who, "saved_at": now, "corrections": changes,
                   **({"signed_off": SignOff(by=who, at=now)} if sign_off else {})})
    data = json.dumps(new.to_json(), ensure_ascii=False).encode()
    years = services.settings.retention_for(kind)
    # Signed before it is written: the sign-off covers exactly the bytes this save stores.
    signature = sign_detached(data, services.signer) if sign_off else None
    try:  # a create-once write: of two saves based on the same version, exactly one wins
        services.store.put(version_key(code, new.version), data, "application/json", retain_years=years)
    except ObjectExists as exc:
        raise _conflict(new.version) from exc
    if signature is not None:
        services.store.put(signature_key(code, new.version), signature, "application/pkcs7-signature",
                           retain_years=years)
    refresh_catalog_dates(services, code, new)
    return load(services, code, new.version)


def extracted_again(services: Services, code: str, fresh: EForm, *, who: str, note: str) -> ObjectRef:
    """A new e-form version from fields read again after the document's pages changed: what a
    person already verified stays as they verified it, the rest is the new reading."""
    current = load(services, code)
    fields = dict(fresh.fields)
    fields.update({name: f for name, f in current.fields.items() if f.verified})
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    new = EForm(kind=fresh.kind, classification=fresh.classification, fields=fields, version=current.version + 1,
                based_on=current.version, saved_by=f"{who} ({note})"[:200], saved_at=now, corrections=[])
    data = json.dumps(new.to_json(), ensure_ascii=False).encode()
    try:
        stored = services.store.put(version_key(code, new.version), data, "application/json",
                                    retain_years=services.settings.retention_for(fresh.kind))
    except ObjectExists as exc:
        raise _conflict(new.version) from exc
    refresh_catalog_dates(services, code, new)
    return ObjectRef(key=stored.key, sha256=stored.sha256, size=stored.size)


def signature(services: Services, code: str, version: int) -> dict | None:
    """The check of a signed-off version's signature, or None when that version was not signed off."""
    key = signature_key(code, version)
    if not services.store.exists(key):
        return None
    report = verify_detached(services.store.get(version_key(code, version)), services.store.get(key),
                             services.trust_roots)
    return {"version": version, **report.to_json()}


def refresh_catalog_dates(services: Services, code: str, form: EForm) -> None:
    services.catalog.set_dates(code, **catalog_dates(form.fields))


def history(services: Services, code: str) -> list[dict]:
    """Every version after the first: who saved it, when, what it changed, and its sign-off if any."""
    out = []
    for version in versions(services, code)[1:]:
        form = EForm.model_validate_json(services.store.get(version_key(code, version)))
        stored = form.to_json()
        out.append({"version": version, "saved_by": form.saved_by, "saved_at": form.saved_at,
                    "corrections": stored.get("corrections", []), "signed_off": stored.get("signed_off")})
    return out


def _checked(name: str, value) -> str:
    if not _FIELD_NAME.match(name or ""):
        raise InvalidFieldError("invalid_field_name", f"Tên trường không hợp lệ: {name!r}.", f"Invalid field name: {name!r}.")
    if not isinstance(value, str) or len(value) > MAX_VALUE:
        raise InvalidFieldError("invalid_field_value", f"Giá trị của trường {name} không hợp lệ.",
                        f"The value of {name} must be text of at most {MAX_VALUE} characters.")
    value = normalized(name, value)
    if name in DATE_FIELDS or (name == "expiry" and value != "Không thời hạn"):
        if iso_date(value) is None:
            raise InvalidFieldError("invalid_date", f"Ngày không hợp lệ ở trường {name}: {value!r} (dạng dd/mm/yyyy).",
                            f"Invalid date in {name}: {value!r} (dd/mm/yyyy or YYYY-MM-DD expected).")
    return value


_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def normalized(name: str, value: str) -> str:
    """A value as it is stored: NFC, single spaces; a date typed as people write it (dd/mm/yyyy)
    kept as an ISO date."""
    value = " ".join(unicodedata.normalize("NFC", value).split())
    if name in DATE_FIELDS or name == "expiry":
        if m := _DMY.fullmatch(value):
            value = f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
    return value


def _conflict(latest: int) -> ConflictError:
    return ConflictError("version_conflict", f"Biểu mẫu vừa được người khác lưu (phiên bản {latest}); hãy tải lại.",
                     f"The e-form was saved meanwhile (version {latest}); reload it.")
