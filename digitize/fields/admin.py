"""Administrative documents (Decree 30/2020 layout): issuing agency
and its parent body, number and symbol, type, place and date of issue, summary, signer's title and
name, recipients; each with its raw text, confidence, page and box."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date

import edlib

from ocr import PageText

from ..textlines import Line, lines
from .gazetteer import fix_agency, fix_province
from .model import Field, fold, line_conf, union
from .names import CHANGED, fix_name, join_split_words, with_family_initial

DOC_TYPES = {
    "NGHỊ QUYẾT": "NQ", "QUYẾT ĐỊNH": "QĐ", "CHỈ THỊ": "CT", "QUY CHẾ": "QC", "QUY ĐỊNH": "QyĐ",
    "THÔNG CÁO": "TC", "THÔNG BÁO": "TB", "HƯỚNG DẪN": "HD", "CHƯƠNG TRÌNH": "CTr", "KẾ HOẠCH": "KH",
    "PHƯƠNG ÁN": "PA", "ĐỀ ÁN": "ĐA", "DỰ ÁN": "DA", "BÁO CÁO": "BC", "BIÊN BẢN": "BB", "TỜ TRÌNH": "TTr",
    "HỢP ĐỒNG": "HĐ", "CÔNG ĐIỆN": "CĐ", "BẢN GHI NHỚ": "BGN", "BẢN THỎA THUẬN": "BTT",
    "GIẤY ỦY QUYỀN": "GUQ", "GIẤY MỜI": "GM", "GIẤY GIỚI THIỆU": "GGT", "GIẤY NGHỈ PHÉP": "GNP",
    "PHIẾU GỬI": "PG", "PHIẾU CHUYỂN": "PC", "PHIẾU BÁO": "PB", "BẢN SAO Y": "SY", "BẢN TRÍCH SAO": "TrS",
    "BẢN SAO LỤC": "SL",
}
_TYPES_BY_LETTERS = {fold(name): name for name in DOC_TYPES}  # no two types have the same letters
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"

_SO = "S[oóòỏõọôốồổỗộơớờởỡợ]"  # "Số", its mark often misread ("Sổ: 527/CT-UBND")
_NUMBER = re.compile(_SO + r"\s*[:.]?\s*(\d+\s*/\s*[0-9A-ZĐa-zđ]+(?:\s*-\s*[0-9A-ZĐa-zđ]+)*)")
# The slash lost: "Số: 776CT-UBND".
_NUMBER_NO_SLASH = re.compile(_SO + r"\s*[:.]?\s*(\d+)([A-ZĐ][0-9A-ZĐa-zđ]*(?:\s*-\s*[0-9A-ZĐa-zđ]+)+)")
_WORD = r"[A-ZĐÀ-Ỹ][a-zđà-ỹ]*\.?"
# Italic dates are where OCR confuses digits with letters (1Š for 15, II for 11, Ø7 for 07).
_DIGITISH = "[0-9OoØIl|SŠBZ]"
_AS_DIGITS = str.maketrans({"O": "0", "o": "0", "Ø": "0", "I": "1", "l": "1", "|": "1", "S": "5", "Š": "5",
                            "B": "8", "Z": "2"})
# The place starts after a space, or after a speck read as ':' ("2776/CTr-UBND :Lâm Đồng, ngày …").
_PLACE_DATE = re.compile(rf"(?<![\w/-])((?:{_WORD}\s){{0,4}}{_WORD})\s*,\s*ngày\s+({_DIGITISH}{{1,2}})\s+tháng\s+"
                         rf"({_DIGITISH}{{1,2}})\s+năm\s+({_DIGITISH}{{4}})")


def extract_admin(pages: list[PageText]) -> dict[str, Field]:
    if not pages:
        return {}
    first, last = pages[0], pages[-1]
    text = first.text
    fields: dict[str, Field] = {}
    page_lines = lines(first)
    number_at = None
    for i, line in enumerate(page_lines):
        if m := _NUMBER.search(line.text.replace("Ð", "Đ")):
            fields["number"] = Field(re.sub(r"\s+", "", m.group(1)), m.group(0), line_conf(line), 1, box=line.box)
        elif m := _NUMBER_NO_SLASH.search(line.text.replace("Ð", "Đ")):
            fields["number"] = Field(m.group(1) + "/" + re.sub(r"\s+", "", m.group(2)), m.group(0),
                                     round(line_conf(line) * 0.8, 3), 1, box=line.box)
        if m:
            number_at = i
            break
    if m := _PLACE_DATE.search(text):
        line = next((ln for ln in page_lines if "ngày" in ln.text and m.group(4) in ln.text), None)
        day, month, year = (m.group(i).translate(_AS_DIGITS) for i in (2, 3, 4))
        try:
            issued = date(int(year), int(month), int(day))
            box, c = (line.box, line_conf(line)) if line else (None, first.mean_conf / 100)
            if (day, month, year) != (m.group(2), m.group(3), m.group(4)):
                c = round(c * 0.8, 3)  # read through letter-for-digit corrections: less sure
            fields["place"] = Field(fix_province(m.group(1).strip()), m.group(0), c, 1, box=box)
            fields["date"] = Field(issued.isoformat(), m.group(0), c, 1, box=box)
        except ValueError:
            pass
    type_at = None
    for i, line in enumerate(page_lines):
        name = _TYPES_BY_LETTERS.get(fold(_clean(line.text)))  # marks misread: "CHÍ THỊ", "KẾ HOẶCH"
        if name:
            fields["doc_type"] = Field(name, line.text, line_conf(line), 1, box=line.box)
            type_at = i
            break
    if "number" in fields:
        expected = DOC_TYPES.get(fields["doc_type"].value) if "doc_type" in fields else None
        fields["number"].value = _number_symbol(fields["number"].value, expected)
    if number_at is not None:
        agency = _agency(page_lines[:number_at], first.width)
        if agency:
            parent, own = agency
            value = fix_agency(_agency_spacing(" ".join(_clean(ln.text).upper() for ln in own)))
            fields["agency"] = Field(value, " / ".join(ln.text for ln in own), min(line_conf(ln) for ln in own), 1,
                                     box=union([ln.box for ln in own]))
            if parent:
                fields["parent_agency"] = Field(fix_agency(_agency_spacing(_clean(parent.text).upper())), parent.text,
                                                line_conf(parent), 1,
                                                box=parent.box)
    if type_at is not None and type_at + 1 < len(page_lines):
        summary = _summary(page_lines[type_at], page_lines[type_at + 1:], first.width)
        if summary:
            fields["summary"] = Field(" ".join(_clean(ln.text) for ln in summary), "\n".join(ln.text for ln in summary),
                                      min(line_conf(ln) for ln in summary), 1, box=union([ln.box for ln in summary]))
    fields.update(_signature(lines(last), last.width, len(pages)))
    return fields


_SIGN_TITLE = re.compile(r"^(TM|KT|TL|TUQ|Q|T)[.,]|CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG|THỦ TRƯỞNG", re.IGNORECASE)
_NAME = re.compile(r"^([A-ZĐÀ-Ỹ][a-zđà-ỹ]+\s){1,5}[A-ZĐÀ-Ỹ][a-zđà-ỹ]+$")


_ABBREVIATIONS = set(DOC_TYPES.values())


def _number_symbol(number: str, expected: str | None = None) -> str:
    """'1/QĐĐ-UBND' or '19/GCT-UBND' -> the type abbreviation OCR doubled or prefixed, put right.
    `expected` is the abbreviation of the type printed under the header, trusted when the reading is
    one letter from it, even if the reading is another official one; without it, only a reading
    that is no official abbreviation is changed."""
    head, _, symbol = number.partition("/")
    abbr, dash, rest = symbol.partition("-")
    if not dash or abbr == expected:
        return number
    if expected and edlib.align(expected, abbr, task="distance", k=1)["editDistance"] != -1:
        return f"{head}/{expected}-{rest}"  # even another type's ("CT" for the CTr of a CHƯƠNG TRÌNH)
    if abbr in _ABBREVIATIONS:
        return number
    candidates = [re.sub(r"(.)\1", r"\1", abbr), abbr[1:], abbr.replace("I", "T")]
    fixed = next((c for c in candidates if c in _ABBREVIATIONS), None)
    return f"{head}/{fixed}-{rest}" if fixed else number


def _agency(header: list[Line], width: int) -> tuple[Line | None, list[Line]] | None:
    """The left header column above the number: parent body (if two or more lines) and the agency.

    As in the corpus, an "ỦY BAN NHÂN DÂN" line followed by its province or district is one agency."""
    left = [first for ln in header for first in [_before_right_column(ln.columns(width)[0])]
            if first.centre_x < width * 0.45]
    left = [ln for ln in left if _clean(ln.text) and fold(ln.text) not in fold(MOTTO)]
    if not left:
        return None
    if len(left) >= 2 and fold(_agency_spacing(_clean(left[0].text))) in ("UY BAN NHAN DAN", "UBND"):
        return None, left[:2]
    return (left[0], left[1:]) if len(left) >= 2 else (None, left)


_RIGHT_COLUMN = [("CONG", "HOA"), ("DOC", "LAP")]  # the national name and the motto, folded


def _before_right_column(line: Line) -> Line:
    """The words of a header line before the national name or the motto: where the gap between the
    two header columns was read too narrow, the agency and the right column come as one line."""
    keys = [fold(w.text) for w in line.words]
    for k in range(len(keys) - 1):
        head, _, tail = keys[k].rpartition(" ")  # a rule read in the gap glued the two: "ĐÂN_CỘNG"
        if (tail, keys[k + 1]) in _RIGHT_COLUMN and (k or head):
            glued = line.words[k]
            kept = [replace(glued, text=re.sub(r"[\W_]+\w+$", "", glued.text))] if head else []
            return Line(line.words[:k] + kept)
    return line


def _summary(type_line: Line, after_type: list[Line], width: int) -> list[Line]:
    """Lines centred under the type and clearly narrower than the body (trích yếu), up to the body."""
    widest = max((ln.box[2] for ln in after_type), default=0)
    picked = []
    for line in after_type[:3]:
        centred = abs(line.centre_x - type_line.centre_x) < 0.04 * width
        if not centred or line.box[2] > 0.75 * widest or line.text.strip().startswith(("Căn cứ", "-", "Điều")):
            break
        picked.append(line)
    return picked


def _signature(page_lines: list[Line], width: int, pages: int) -> dict[str, Field]:
    """Signer's name: the last name-like line in the right half; the title lines just above it."""
    right = [cols[-1] for ln in page_lines for cols in [ln.columns(width)] if cols[-1].centre_x > width * 0.5]
    fields: dict[str, Field] = {}
    for i in range(len(right) - 1, -1, -1):
        name = join_split_words(_signature_line(right[i].text))
        if _NAME.match(name):
            checked = fix_name(name.upper())
            sure = line_conf(right[i]) if checked == name.upper() else min(line_conf(right[i]), CHANGED)
            name = checked.title() if checked != name.upper() else name
            fields["signer"] = Field(name, right[i].text, sure, pages, box=right[i].box)
            titles = [ln for ln in right[max(0, i - 3):i] if _SIGN_TITLE.search(_clean(ln.text))]
            if titles:
                fields["signer_title"] = Field(" ".join(_clean(t.text) for t in titles),
                                               "\n".join(t.text for t in titles), min(line_conf(t) for t in titles),
                                               pages, box=union([t.box for t in titles]))
            break
    recipients = [ln for ln in page_lines if fold(ln.text).startswith("NOI NHAN")]
    if recipients:
        start = page_lines.index(recipients[0])
        items = [ln for ln in page_lines[start + 1:start + 12] if ln.text.strip().startswith(("-", "+", "•"))]
        if items:
            fields["recipients"] = Field("; ".join(_clean(ln.text).lstrip("-+• ").rstrip(";.") for ln in items),
                                         "\n".join(ln.text for ln in items), min(line_conf(ln) for ln in items), pages,
                                         box=union([ln.box for ln in items]))
    return fields


def _signature_line(text: str) -> str:
    """A signer's line without quotes and the specks of the seal read before it ("Š Phan …"), with
    names a lost space ran together apart again ("ThịLan"), and a family name's L read as I ("I.ý")."""
    text = "".join(c + " " if c.islower() and after.isupper() else c for c, after in zip(text, text[1:] + " "))
    words = re.sub(r"['‘’`\"]", "", _clean(text)).split()
    while len(words) > 2 and len(words[0]) == 1 and not words[1][:1].islower():
        words = words[1:]
    if words:
        words[0] = with_family_initial(words[0])
    return " ".join(words)


# Uppercase headers are tightly set, and OCR sometimes runs their words together ("BANNHÂN").
_AGENCY_PHRASES = ["ỦY BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN", "VĂN PHÒNG", "SỞ NỘI VỤ", "SỞ TƯ PHÁP", "CÔNG AN"]
_PHRASE_PATTERNS = [(re.compile(r"\s*".join(map(re.escape, p.split()))), p) for p in _AGENCY_PHRASES]


def _agency_spacing(text: str) -> str:
    for pattern, phrase in _PHRASE_PATTERNS:
        text = pattern.sub(phrase, text)
    text = re.sub(r"\b(TỈNH|HUYỆN|QUẬN|XÃ|PHƯỜNG)(?=[A-ZĐÀ-Ỹ]{2})", r"\1 ", text)  # "TỈNHLONG AN"
    return re.sub(r"\s+", " ", text).strip()


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip(" _—-:|")
