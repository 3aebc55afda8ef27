"""Birth certificates (Giấy khai sinh): the child, the parents and the registration."""
from __future__ import annotations

import re

from ocr import PageText

from ..textlines import Line, lines
from .gazetteer import UNKNOWN_PLACE, fix_authority, fix_place, place_known
from .labels import continuation, find_date, split_labelled
from .model import Field, clean, fold, line_conf, union
from .names import CHANGED, fix_ethnicity, fix_name

# (field, label, how the value reads): "text", "place" (an address), "authority" (an address that
# may wrap onto the next line), "name" (upper case), "date", "number"
SINGLE = [
    ("child_name", "Họ, chữ đệm, tên", "name"),
    ("date_of_birth", "Ngày, tháng, năm sinh", "date"),
    ("place_of_birth", "Nơi sinh", "place"),
    ("mother_name", "Họ, chữ đệm, tên người mẹ", "name"),
    ("father_name", "Họ, chữ đệm, tên người cha", "name"),
    ("registering_authority", "Nơi đăng ký khai sinh", "authority"),
    ("registration_date", "Ngày, tháng, năm đăng ký", "date"),
    ("registration_number", "Số", "number"),
    ("registration_book", "Quyển số", "text"),
]
INLINE = {"sex": "Giới tính", "ethnicity": "Dân tộc", "nationality": "Quốc tịch"}


def extract_birth(pages: list[PageText]) -> dict[str, Field]:
    if not pages:
        return {}
    page = pages[0]
    fields: dict[str, Field] = {}
    # Whole lines, not columns: a label and its value can sit far apart on the printed form.
    rows = lines(page)
    for name, label, how in SINGLE:
        found = _row_with(rows, label)
        if found is None:
            continue
        row, after = found
        taken = [row] + (continuation(rows, row, page.width) if how in ("text", "authority") else [])
        read = clean(" ".join([after] + [r.text for r in taken[1:]]))
        value = _value(read, how)
        if value:
            sure = min(line_conf(r) for r in taken)
            if how == "name" and value != read.upper():
                sure = min(sure, CHANGED)
            if how == "place" and not place_known(value):  # a misread name: flagged for the clerk
                sure = min(sure, UNKNOWN_PLACE)
            fields[name] = Field(value, "\n".join(r.text for r in taken), sure, page.index + 1, "ocr",
                                 union([r.box for r in taken]))
    inline_row = next((r for r in rows if fold(r.text).replace(" ", "").startswith("GIOITINH")), None)
    if inline_row is not None:
        for name, (value, words) in _inline(inline_row).items():
            fields[name] = Field(value, " ".join(w.text for w in words),
                                 round(sum(w.conf for w in words) / len(words) / 100, 3), page.index + 1, "ocr",
                                 union([[w.left, w.top, w.width, w.height] for w in words]))
    return fields


def _row_with(rows: list[Line], label: str) -> tuple[Line, str] | None:
    """The line whose text is the label, a colon and its value, and the value's text; failing that,
    a line that starts with the label's words and goes on with the value (a worn copy loses colons)."""
    wanted = fold(label)
    for row in rows:
        if ":" in row.text and fold(row.text.split(":", 1)[0]) == wanted:
            return row, row.text.split(":", 1)[1]
    for row in rows:
        words = row.text.split()
        for n in range(1, len(words)):
            if fold(" ".join(words[:n])) == wanted:
                return row, " ".join(words[n:])
    return None


def _inline(row: Line) -> dict[str, tuple[str, list]]:
    found = split_labelled(row, list(INLINE.values()))
    out = {}
    for name, label in INLINE.items():
        if label in found:
            value, words = found[label]
            value = value.lstrip(": ")
            if name == "sex":
                value = {"NAM": "Nam", "NU": "Nữ"}.get(fold(value), value)
            elif name == "nationality" and fold(value) == "VIET NAM":
                value = "Việt Nam"
            elif name == "ethnicity":
                value = fix_ethnicity(value)
            out[name] = (value, words)
    return out


def _value(raw: str, how: str) -> str:
    if how == "date":
        found = find_date(raw)
        return found[0] if found else ""
    if how == "number":
        m = re.match(r"\d+", raw.replace(" ", ""))
        return m.group() if m else ""
    if how == "name":
        return fix_name(raw.upper())
    if how == "place":
        return fix_place(raw)
    if how == "authority":
        return fix_authority(raw)
    return raw
