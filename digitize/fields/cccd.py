"""Citizen id cards (CCCD 2021, Căn cước 2024), front and back on one or more pages.

The QR code is read first (its payload is what the card's chip holds), the MRZ second (its check
digits vouch for it), the printed text last; every field says which source it came from and which
others agreed. The id's structure is checked against the sex and birth year read with it.
"""
from __future__ import annotations

import re
from datetime import date

from ocr import PageText
from ocr.mrz import Td1, find_td1, parse_td1, td1_start

from ..textlines import Line, lines
from . import citizen_id
from .card_name import name_against_mrz
from .gazetteer import UNKNOWN_PLACE, fix_place, is_province, place_known
from .labels import Form, after_colon, find_date
from .model import Field, clean, fold, line_conf, union
from .names import CHANGED, all_known_names, fix_name

NO_EXPIRY = "Không thời hạn"
# Printed labels, both card models; the order is the order of precedence when several match.
LABELS = {
    "id": ["Số định danh cá nhân", "Số / No"],
    "full_name": ["Họ, chữ đệm và tên khai sinh", "Họ và tên", "Full name"],
    "date_of_birth": ["Ngày, tháng, năm sinh", "Ngày sinh / Date of birth"],
    "sex": ["Giới tính"],
    "nationality": ["Quốc tịch"],
    "place_of_origin": ["Quê quán", "Place of origin"],
    "place_of_birth": ["Nơi đăng ký khai sinh", "Place of birth"],
    "residence": ["Nơi thường trú", "Nơi cư trú", "Place of residence"],
    "expiry": ["Ngày, tháng, năm hết hạn", "Có giá trị đến", "Date of expiry"],
    "issue_date": ["Ngày, tháng, năm cấp", "Date, month, year", "Date of issue", "Ngày, tháng, năm"],
}
# A label that also matches these is another field's ("Ngày, tháng, năm" is in three of them).
NOT_LABELS = {"issue_date": ["sinh", "hết hạn", "birth", "expiry"]}
_ALL_LABELS = [label for names in LABELS.values() for label in names] + ["Đặc điểm nhân dạng"]
QR_CONFIDENCE, MRZ_CONFIDENCE = 0.99, 0.97
UNCHECKED_NATIONALITY = 0.8  # the zone's VNM where its line's composite check failed but its birth date's passed


def is_card_qr(payload: str) -> bool:
    return bool(re.match(r"^\d{12}\|", payload))


def extract_cccd(pages: list[PageText]) -> dict[str, Field]:
    readings: dict[str, list[Field]] = {}
    mrz_names: list[str] = []  # every reading's, best first: the name line has no check digit
    for page in pages:
        zones = _mrz_readings(page)
        mrz_names += [td1.name for td1, _, _ in zones]
        for source in (_from_qr(page), _from_mrz(page, zones), _from_print(page)):
            for name, f in source.items():
                readings.setdefault(name, []).append(f)
    fields = {name: _agree(found) for name, found in readings.items()}
    _cross_check(fields, pages, mrz_names)
    if "expiry" not in fields and (expiry := _last_date_after(pages, fields)):
        fields["expiry"] = expiry
    return fields


def _from_qr(page: PageText) -> dict[str, Field]:
    code = next((c for c in page.codes if c.kind == "qr" and is_card_qr(c.text)), None)
    if code is None:
        return {}
    parts = [clean(p) for p in code.text.split("|")]
    f = lambda value: Field(value, code.text, QR_CONFIDENCE, page.index + 1, "qr", code.box)  # noqa: E731
    out = {"id": f(parts[0])}
    if len(parts) > 1 and re.fullmatch(r"\d{9}", parts[1]):
        out["old_id"] = f(parts[1])
    dates = [p for p in parts[1:] if re.fullmatch(r"\d{8}", p)]
    texts = [p for p in parts[1:] if p and not p.isdigit()]
    if dates:
        out["date_of_birth"] = f(_ddmmyyyy(dates[0]))
    if len(dates) > 1:
        out["issue_date"] = f(_ddmmyyyy(dates[-1]))
    if sex := next((p for p in texts if p in ("Nam", "Nữ")), None):
        out["sex"] = f(sex)
        texts.remove(sex)
    if texts:
        out["full_name"] = f(texts[0].upper())
    if len(texts) > 1:
        out["residence"] = f(texts[1])
    return {k: v for k, v in out.items() if v.value}


MrzReading = tuple[Td1, str, list[int] | None]  # the zone parsed, the text read, its box


def _from_mrz(page: PageText, zones: list[MrzReading]) -> dict[str, Field]:
    """Each field from the first (best) reading whose check digit vouches for it."""
    if not zones:
        return {}
    out: dict[str, Field] = {}

    def take(name: str, value: str, zone: MrzReading, confidence: float = MRZ_CONFIDENCE) -> None:
        if value and name not in out:
            out[name] = Field(value, zone[1], confidence, page.index + 1, "mrz", zone[2])

    id12 = next((z[0].id12 for z in zones if z[0].checks["document_number"] and z[0].id12), None)
    for zone in zones:
        td1 = zone[0]
        if td1.checks["document_number"] and td1.id12:
            take("id", td1.id12, zone)
        if td1.checks["birth"]:
            take("date_of_birth", _yymmdd(td1.birth, id12), zone)
        # An expiry of '<<<<<<' passes its check digit when the digit reads 0: noise reads as filler.
        if td1.checks["expiry"] and (td1.expiry or td1.checks["composite"]):
            take("expiry", _yymmdd(td1.expiry, id12, future=True) if td1.expiry else NO_EXPIRY, zone)
        if td1.checks["composite"]:
            take("sex", td1.sex, zone)
            take("nationality", "Việt Nam" if td1.nationality == "VNM" else "", zone)
        elif td1.checks["birth"] and td1.nationality == "VNM":  # the line is in register where VNM stands
            take("nationality", "Việt Nam", zone, UNCHECKED_NATIONALITY)
    # The name has no diacritics here: kept to vouch for the printed one, never as the value.
    best, raw, box = zones[0]
    out["mrz_name"] = Field(best.name, raw, 0.9 if best.valid else 0.6, page.index + 1, "mrz", box)
    return out


def _mrz_readings(page: PageText) -> list[MrzReading]:
    """The zone's readings, the one passing the most check digits first: the zone read again on its
    own (OCR stage), and the lines of the page's own reading, which on small print is sometimes the
    better."""
    readings: list[MrzReading] = []
    for code in (c for c in page.codes if c.kind == "mrz"):
        if zone := find_td1(code.text.splitlines()):
            readings.append((parse_td1(zone), code.text, code.box))
    rows = lines(page)
    if (at := td1_start([r.text for r in rows])) is not None:
        zone_rows = rows[at:at + 3]
        readings.append((parse_td1(find_td1([r.text for r in zone_rows])), "\n".join(r.text for r in zone_rows),
                         union([r.box for r in zone_rows])))
    return sorted(readings, key=lambda r: -sum(r[0].checks.values()))


def _from_print(page: PageText) -> dict[str, Field]:
    form = Form.of(page)
    out: dict[str, Field] = {}

    def at(name: str) -> int | None:
        for label in LABELS[name]:
            i = form.find(label)
            while i is not None and _other_label(form.columns[i].text, name):
                i = form.find(label, after=i)
            if i is not None:
                return i
        return None

    def field(value: str, cols) -> Field:
        return Field(value, " / ".join(c.text for c in cols), min(line_conf(c) for c in cols), page.index + 1,
                     "ocr", union([c.box for c in cols]))

    if (i := at("id")) is not None:
        for col in [form.columns[i], *form.below(i, _ALL_LABELS, 1)]:
            if m := re.search(r"(?<!\d)\d{12}(?!\d)", col.text.replace(" ", "")):
                out["id"] = field(m.group(), [col])
                break
    for name in ("date_of_birth", "expiry", "issue_date"):
        if (i := at(name)) is None:
            continue
        for col in [form.columns[i], *form.beside(i)[:1], *form.below(i, _ALL_LABELS, 1)]:
            if name == "expiry" and re.search(r"KHONG ?THOI ?HA", fold(col.text)):  # its last letter may be lost
                out[name] = field(NO_EXPIRY, [col])
                break
            if found := find_date(col.text):
                out[name] = field(found[0], [col])
                break
    if (i := at("sex")) is not None:
        rest = fold(form.columns[i].text).split("GIOI TINH", 1)[-1]
        if m := re.search(r"\b(NAM|NU)\b", rest):
            out["sex"] = field("Nam" if m.group(1) == "NAM" else "Nữ", [form.columns[i]])
    if (i := at("nationality")) is not None:
        for cols in ([form.columns[i]], [form.columns[i], *form.beside(i)[:1]]):  # its value read apart
            text = " ".join(c.text for c in cols)
            if fold(text).split("QUOC TICH", 1)[-1].endswith("VIET NAM"):
                out["nationality"] = field("Việt Nam", cols)
                break
            if value := after_colon(text):
                out["nationality"] = field(value, cols)
                break
    for name in ("full_name", "place_of_origin", "place_of_birth", "residence"):
        if (i := at(name)) is None:
            continue
        cols = form.below(i, _ALL_LABELS, 1 if name == "full_name" else 3)
        # Up to the next label's line: a colon inside it (one at the end of a value is a speck) or a date.
        cols = cols[:next((n for n, c in enumerate(cols) if ":" in c.text.rstrip(":. ") or find_date(c.text)),
                          len(cols))]
        if name != "full_name":
            cols = _one_address(cols)
        if cols:
            value = clean(" ".join(c.text for c in cols))
            out[name] = field(fix_name(value.upper()) if name == "full_name" else fix_place(value), cols)
            if name == "full_name" and out[name].value != value.upper():
                out[name].confidence = min(out[name].confidence, CHANGED)
            elif name != "full_name" and not place_known(out[name].value):
                out[name].confidence = min(out[name].confidence, UNKNOWN_PLACE)
    if "full_name" not in out and (name_col := _name_under_the_id(form, at("id"), at("date_of_birth"))):
        out["full_name"] = field(fix_name(name_col.text.upper()), [name_col])
        out["full_name"].confidence = min(out["full_name"].confidence, CHANGED)
    return out


def _name_under_the_id(form: Form, id_at: int | None, born_at: int | None) -> Line | None:
    """The full name when its label was read too badly to be found: the line of known name words
    in capitals between the id and the date of birth, where both cards print it."""
    if id_at is None or born_at is None:
        return None
    for col in form.columns[id_at + 1:born_at]:
        words = col.text.split()
        if len(words) >= 2 and all(w.isalpha() and w.isupper() for w in words) and all_known_names(col.text):
            return col
    return None


def _one_address(cols: list[Line]) -> list[Line]:
    """The lines up to the one that ends with a province: an address ends there, and what follows
    is the next label, read too badly to be recognized, and its value."""
    for n in range(1, len(cols) + 1):
        if is_province(clean(" ".join(c.text for c in cols[:n])).rpartition(",")[2].strip()):
            return cols[:n]
    return cols


def _other_label(text: str, name: str) -> bool:
    return any(fold(other) in fold(text) for other in NOT_LABELS.get(name, []))


def _agree(found: list[Field]) -> Field:
    """The reading from the most trusted source, with which of the others agree."""
    order = {"qr": 0, "mrz": 1, "ocr": 2}
    found = sorted(found, key=lambda f: (order[f.source], -f.confidence))
    best = found[0]
    for other in found[1:]:
        if _same(other.value, best.value):
            best.agrees.append(other.source)
        else:
            best.disagrees[other.source] = other.value
    if best.disagrees and best.source == "ocr":
        best.confidence = round(best.confidence * 0.7, 3)
    return best


def _cross_check(fields: dict[str, Field], pages: list[PageText], mrz_names: list[str]) -> None:
    """The printed name against the MRZ's; the id against sex and birth year (and the sex, if no
    source gave it, from the id's sex digit). Mismatches lower confidence."""
    mrz_name = fields.pop("mrz_name", None)
    if mrz_name:
        name_against_mrz(fields, mrz_name, mrz_names, pages)
    card_id = fields.get("id")
    if card_id is None:
        return
    sex = fields.get("sex")
    if "date_of_birth" not in fields and (born := _date_of_the_ids_year(pages, card_id, fields)):
        fields["date_of_birth"] = born
    born = fields.get("date_of_birth")
    found = citizen_id.problems(card_id.value, sex=sex.value if sex else None,
                                birth_year=int(born.value[:4]) if born else None)
    if found:
        card_id.disagrees["structure"] = ",".join(found)
        card_id.confidence = round(card_id.confidence * 0.5, 3)
    elif sex is None:
        fields["sex"] = Field(citizen_id.sex(card_id.value), card_id.value, round(card_id.confidence * 0.95, 3),
                              card_id.page, card_id.source, card_id.box)


def _date_of_the_ids_year(pages: list[PageText], card_id: Field, fields: dict[str, Field]) -> Field | None:
    """The birth date when its label was read too badly to be found: the one date on the card in
    the year of birth the id gives, other than the dates of issue and expiry."""
    if citizen_id.problems(card_id.value):
        return None
    year = citizen_id.year_of_birth(card_id.value)
    taken = {f.value for name, f in fields.items() if name in ("issue_date", "expiry")}
    found = {d: at for d, at in _dates_read(pages).items() if d[:4] == str(year) and d not in taken}
    if len(found) != 1:
        return None
    (value, (col, page)), = found.items()
    return Field(value, col.text, round(min(card_id.confidence, line_conf(col)) * 0.8, 3), page.index + 1, "ocr",
                 col.box)


def _last_date_after(pages: list[PageText], fields: dict[str, Field]) -> Field | None:
    """The expiry when its label was read too badly to be found: the last date on the card, after
    the birth date and the issue date, whichever of them were read (a card ends after both)."""
    known = [f.value for name, f in fields.items() if name in ("date_of_birth", "issue_date")]
    later = {d: at for d, at in _dates_read(pages).items() if known and d > max(known)}
    if not later:
        return None
    value = max(later)
    col, page = later[value]
    return Field(value, col.text, round(line_conf(col) * 0.8, 3), page.index + 1, "ocr", col.box)


def _dates_read(pages: list[PageText]) -> dict[str, tuple[Line, PageText]]:
    """Every date read on the card (ISO), with the column and page where it was first read."""
    found: dict[str, tuple[Line, PageText]] = {}
    for page in pages:
        for col in Form.of(page).columns:
            if date_read := find_date(col.text):
                found.setdefault(date_read[0], (col, page))
    return found


def _same(a: str, b: str) -> bool:
    return clean(a).upper() == clean(b).upper()


def _ddmmyyyy(text: str) -> str:
    try:
        return date(int(text[4:]), int(text[2:4]), int(text[:2])).isoformat()
    except ValueError:
        return ""


def _yymmdd(text: str, id12: str | None, future: bool = False) -> str:
    """A six-digit MRZ date with its century: from the id's century digit for the birth date,
    the nearest plausible one for the expiry."""
    try:
        yy, mm, dd = int(text[:2]), int(text[2:4]), int(text[4:6])
    except ValueError:
        return ""
    if future:
        century = 2000
    elif id12:
        century = citizen_id.century(int(id12[3]))
    else:
        century = 2000 if yy <= date.today().year % 100 else 1900
    try:
        return date(century + yy, mm, dd).isoformat()
    except ValueError:
        return ""
