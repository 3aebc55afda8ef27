"""Dossier codes (Circular 03/2025/TT-VPCP art. 13) and reusable document codes.

A document code is made from a template such as `{agency}-{date:%y%m%d}-{seq:06d}-{check}`:
the agency's electronic id and the date make it unique without coordination
between counters, the sequence comes from an atomic counter per agency and
day, and the ISO 7064 MOD 37,36 check character catches every single wrong
character and every swap of two neighbours.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date, datetime

from .errors import ConfigurationError, UserError

# ASCII only (re.ASCII): Python's \d also matches fullwidth and other scripts' digits, which would file
# the same id under a second spelling. Codes and ids are matched whole (fullmatch), never up to a newline.
AGENCY_ID = re.compile(r"[A-Z0-9]{1,6}(?:\.[A-Z0-9]{1,6}){0,5}", re.ASCII)
DOSSIER_CODE = re.compile(
    r"(?P<agency>[A-Z0-9]{1,6}(?:\.[A-Z0-9]{1,6}){0,5})-(?P<date>\d{6})-(?:(?P<ministry>\d{2})-)?(?P<seq>\d{4,8})",
    re.ASCII)
MAX_CODE_LENGTH = 64  # the catalog's code columns hold 80
DEFAULT_TEMPLATE = "{agency}-{date:%y%m%d}-{seq:06d}-{check}"  # e.g. H40.27-261124-000123-BB
_DATE_FORMATS = {"%y%m%d": r"\d{6}", "%Y%m%d": r"\d{8}", "%Y": r"\d{4}", "%y": r"\d{2}"}


def shown(value: str, limit: int = 40) -> str:
    """User input quoted in a message: escaped, and cut short."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def bad_code(kind: str, value: str) -> UserError:
    return UserError(f"invalid_{kind}_code", f"Mã không hợp lệ: {shown(value)}.", f"Invalid {kind} code: {shown(value)}.")


def check_agency_id(agency: str) -> str:
    agency = agency.strip().upper()
    if not AGENCY_ID.fullmatch(agency):
        raise ConfigurationError("invalid_agency_id", f"Mã định danh cơ quan không hợp lệ: {agency!r}.",
                        f"Invalid agency electronic id: {agency!r}.")
    return agency


def parse_dossier_code(code: str) -> dict:
    """The parts of a dossier code `<agency>-<YYMMDD>-<sequence>`; raises on anything else."""
    m = DOSSIER_CODE.fullmatch(code.strip().upper()) if len(code) <= MAX_CODE_LENGTH else None
    if not m:
        raise bad_code("dossier", code)
    try:
        day = datetime.strptime(m["date"], "%y%m%d").date()
    except ValueError:
        raise bad_code("dossier", code) from None
    return {"agency": m["agency"], "date": day, "ministry": m["ministry"], "sequence": int(m["seq"])}


def format_dossier_code(agency: str, day: date, sequence: int) -> str:
    return f"{check_agency_id(agency)}-{day:%y%m%d}-{sequence:04d}"


_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_MODULUS = 1271  # 31 × 41: coprime with the radix 36 and with 35, hence every substitution and swap shows


def check_character(body: str) -> str:
    """Two check characters over the code's letters and digits (ISO 7064 MOD 1271-36, a pure system)."""
    total = 0
    for ch in _alnum(body):
        total = (total + _ALPHABET.index(ch)) * 36 % _MODULUS
    value = (1 - total * 36) % _MODULUS  # so that the whole code, check included, sums to 1
    return _ALPHABET[value // 36] + _ALPHABET[value % 36]


def _alnum(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", text.upper())


@dataclass(frozen=True)
class DocumentCodeFormat:
    template: str = DEFAULT_TEMPLATE

    def format(self, *, agency: str, day: date, sequence: int, kind: str = "") -> str:
        fields = {"agency": check_agency_id(agency), "date": day, "seq": sequence, "kind": kind.upper()}
        body = self.template.replace("{check}", "\x00").format(**fields)
        return body.replace("\x00", check_character(body.replace("\x00", "")))

    def scope(self, *, agency: str, day: date, kind: str = "") -> str:
        """What the sequence counts within: everything in the code except the sequence and check."""
        parts = [agency, day.strftime("%Y%m%d")]
        if "{kind" in self.template:
            parts.append(kind.upper())
        return "/".join(parts)

    def validate(self, code: str) -> str:
        """The code, normalized, if it fits the template and its check character; raises otherwise."""
        normalized = code.strip().upper()
        m = self._regex().fullmatch(normalized) if len(normalized) <= MAX_CODE_LENGTH else None
        if not m:
            raise bad_code("document", code)
        body = normalized[: m.start("check")] + normalized[m.end("check"):]
        if check_character(body) != m["check"]:
            raise bad_code("document", code)
        return normalized

    def _regex(self) -> re.Pattern:
        pattern = ""
        for literal, name, spec, _conv in string.Formatter().parse(self.template):
            pattern += re.escape(literal)
            if name is None:
                continue
            if name == "agency":
                pattern += r"(?P<agency>[A-Z0-9]{1,6}(?:\.[A-Z0-9]{1,6}){0,5})"
            elif name == "date":
                pattern += "(?P<date>" + _DATE_FORMATS.get(spec or "%y%m%d", r"\d+") + ")"
            elif name == "seq":
                width = int(spec.strip("0d") or 1) if spec else 1
                pattern += rf"(?P<seq>\d{{{width},}})"
            elif name == "kind":
                pattern += r"(?P<kind>[A-Z0-9]+)"
            elif name == "check":
                pattern += r"(?P<check>[0-9A-Z]{2})"
            else:
                raise ValueError(f"unknown field {{{name}}} in the code template")
        return re.compile(pattern, re.ASCII)


KINDS = ("admin", "cccd", "birth", "other")
_CCCD = re.compile(r"\d{12}", re.ASCII)
_TAX_CODE = re.compile(r"\d{10}(?:-\d{3})?", re.ASCII)


def check_owner_id(owner_id: str) -> str:
    """A citizen's 12-digit personal id (province 001–096) or an organisation's tax code."""
    owner_id = owner_id.strip()
    if _CCCD.fullmatch(owner_id) and 1 <= int(owner_id[:3]) <= 96:
        return owner_id
    if _TAX_CODE.fullmatch(owner_id):
        return owner_id
    raise UserError("invalid_owner_id",
                    f"Mã chủ hồ sơ không hợp lệ: {shown(owner_id)} (số định danh 12 chữ số hoặc mã số thuế).",
                    f"Invalid owner id: {shown(owner_id)} (a 12-digit personal id or a tax code).")


def check_kind(kind: str) -> str:
    kind = kind.strip().lower()
    if kind not in KINDS:
        raise UserError("invalid_kind", f"Loại giấy tờ không hợp lệ: {shown(kind)} (chọn: {', '.join(KINDS)}).",
                        f"Invalid document kind: {shown(kind)} (one of: {', '.join(KINDS)}).")
    return kind
