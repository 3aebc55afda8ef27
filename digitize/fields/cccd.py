"""Citizen id cards (CCCD 2021, Căn cước 2024), front and back on one or more pages.

The QR code is read first (its payload is what the card's chip holds), the MRZ second (its check
digits vouch for it), the printed text last; every field says which source it came from and which
others agreed. The id's structure is checked against the sex and birth year read with it.
"""
from __future__ import annotations

import re
from datetime import date

from ocr import PageText

from . import citizen_id
from .labels import Form, after_colon, find_date
from .model import Field, clean, fold, line_conf, union
from .mrz import Td1, find_td1, parse_td1
from .names import CHANGED, fix_name

NO_EXPIRY = "Không thời hạn"
# Printed labels, both card models; the order is the order of precedence when several match.
LABELS = {
    "id": ["Số định danh cá nhân", "Số / No"],
    "full_name": ["Họ, chữ đệm và tên khai sinh", "Họ và tên"],
    "date_of_birth": ["Ngày, tháng, năm sinh", "Ngày sinh / Date of birth"],
    "sex": ["Giới tính"],
    "nationality": ["Quốc tịch"],
    "place_of_origin": ["Quê quán"],
    "place_of_birth": ["Nơi đăng ký khai sinh"],
    "residence": ["Nơi thường trú", "Nơi cư trú"],
    "expiry": ["Ngày, tháng, năm hết hạn", "Có giá trị đến"],
    "issue_date": ["Ngày, tháng, năm cấp", "Date, month, year"],
}
_ALL_LABELS = [label for names in LABELS.values() for label in names] + ["Đặc điểm nhân dạng"]
QR_CONFIDENCE, MRZ_CONFIDENCE = 0.99, 0.97


def is_card_qr(payload: str) -> bool:
    return bool(re.match(r"^\d{12}\|", payload))


def extract_cccd(pages: list[PageText]) -> dict[str, Field]:
    readings: dict[str, list[Field]] = {}
    for page in pages:
        for source in (_from_qr(page), _from_mrz(page), _from_print(page)):
            for name, f in source.items():
                readings.setdefault(name, []).append(f)
    fields = {name: _agree(found) for name, found in readings.items()}
    _check_id(fields)
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


def _from_mrz(page: PageText) -> dict[str, Field]:
    code = next((c for c in page.codes if c.kind == "mrz"), None)
    zone = find_td1(code.text.splitlines()) if code else None
    if zone is None:
        return {}
    td1 = parse_td1(zone)
    f = lambda value, conf=MRZ_CONFIDENCE: Field(value, code.text, conf, page.index + 1, "mrz", code.box)  # noqa: E731
    out: dict[str, Field] = {}
    if td1.checks["document_number"] and td1.id12:
        out["id"] = f(td1.id12)
    if td1.checks["birth"] and (born := _yymmdd(td1.birth, td1)):
        out["date_of_birth"] = f(born)
    if td1.checks["expiry"]:
        out["expiry"] = f(_yymmdd(td1.expiry, td1, future=True) or NO_EXPIRY if td1.expiry else NO_EXPIRY)
    if td1.checks["composite"]:
        if td1.sex:
            out["sex"] = f(td1.sex)
        if td1.nationality == "VNM":
            out["nationality"] = f("Việt Nam")
    # The name has no diacritics here: kept to vouch for the printed one, never as the value.
    out["mrz_name"] = f(td1.name, 0.9 if td1.valid else 0.6)
    return {k: v for k, v in out.items() if v.value}


def _from_print(page: PageText) -> dict[str, Field]:
    form = Form.of(page)
    out: dict[str, Field] = {}

    def at(name: str) -> int | None:
        found = [i for label in LABELS[name] if (i := form.find(label)) is not None]
        return found[0] if found else None

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
        for col in [form.columns[i], *form.below(i, _ALL_LABELS, 1)]:
            if name == "expiry" and "THOI HAN" in fold(col.text) and "KHONG" in fold(col.text):
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
        rest = fold(form.columns[i].text).split("QUOC TICH", 1)[-1]
        if rest.endswith("VIET NAM"):
            out["nationality"] = field("Việt Nam", [form.columns[i]])
        elif value := after_colon(form.columns[i].text):
            out["nationality"] = field(value, [form.columns[i]])
    for name in ("full_name", "place_of_origin", "place_of_birth", "residence"):
        if (i := at(name)) is None:
            continue
        cols = form.below(i, _ALL_LABELS, 1 if name == "full_name" else 3)
        cols = cols[:next((n for n, c in enumerate(cols) if ":" in c.text or find_date(c.text)), len(cols))]
        if cols:
            value = clean(" ".join(c.text for c in cols))
            out[name] = field(fix_name(value.upper()) if name == "full_name" else value, cols)
            if name == "full_name" and out[name].value != value.upper():
                out[name].confidence = min(out[name].confidence, CHANGED)
    return out


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


def _check_id(fields: dict[str, Field]) -> None:
    """Name against the MRZ's spelling; id against sex and birth year: mismatches lower confidence."""
    mrz_name = fields.pop("mrz_name", None)
    name = fields.get("full_name")
    if name and mrz_name:
        if fold(name.value) == mrz_name.value:
            name.agrees.append("mrz")
        else:
            name.disagrees["mrz"] = mrz_name.value
            name.confidence = round(name.confidence * 0.6, 3)
    if name is None and mrz_name:  # better an undiacritized name than none; staff will see it is unsure
        fields["full_name"] = Field(mrz_name.value, mrz_name.raw, 0.5, mrz_name.page, "mrz", mrz_name.box)
    card_id = fields.get("id")
    if card_id is None:
        return
    sex = fields.get("sex")
    born = fields.get("date_of_birth")
    found = citizen_id.problems(card_id.value, sex=sex.value if sex else None,
                                birth_year=int(born.value[:4]) if born else None)
    if found:
        card_id.disagrees["structure"] = ",".join(found)
        card_id.confidence = round(card_id.confidence * 0.5, 3)


def _same(a: str, b: str) -> bool:
    return clean(a).upper() == clean(b).upper()


def _ddmmyyyy(text: str) -> str:
    try:
        return date(int(text[4:]), int(text[2:4]), int(text[:2])).isoformat()
    except ValueError:
        return ""


def _yymmdd(text: str, td1: Td1, future: bool = False) -> str:
    """A six-digit MRZ date with its century: from the id's century digit for the birth date,
    the nearest plausible one for the expiry."""
    try:
        yy, mm, dd = int(text[:2]), int(text[2:4]), int(text[4:6])
    except ValueError:
        return ""
    if future:
        century = 2000
    elif td1.id12:
        century = citizen_id.century(int(td1.id12[3]))
    else:
        century = 2000 if yy <= date.today().year % 100 else 1900
    try:
        return date(century + yy, mm, dd).isoformat()
    except ValueError:
        return ""
