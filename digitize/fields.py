"""Field extraction for e-forms. This first version reads the header of administrative
documents (Decree 30/2020): number and symbol, place and date of issue, document type."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date

from ocr import PageText

DOC_TYPES = {
    "NGHỊ QUYẾT": "NQ", "QUYẾT ĐỊNH": "QĐ", "CHỈ THỊ": "CT", "QUY CHẾ": "QC", "QUY ĐỊNH": "QyĐ",
    "THÔNG CÁO": "TC", "THÔNG BÁO": "TB", "HƯỚNG DẪN": "HD", "CHƯƠNG TRÌNH": "CTr", "KẾ HOẠCH": "KH",
    "PHƯƠNG ÁN": "PA", "ĐỀ ÁN": "ĐA", "DỰ ÁN": "DA", "BÁO CÁO": "BC", "BIÊN BẢN": "BB", "TỜ TRÌNH": "TTr",
    "HỢP ĐỒNG": "HĐ", "CÔNG ĐIỆN": "CĐ", "BẢN GHI NHỚ": "BGN", "BẢN THỎA THUẬN": "BTT",
    "GIẤY ỦY QUYỀN": "GUQ", "GIẤY MỜI": "GM", "GIẤY GIỚI THIỆU": "GGT", "GIẤY NGHỈ PHÉP": "GNP",
    "PHIẾU GỬI": "PG", "PHIẾU CHUYỂN": "PC", "PHIẾU BÁO": "PB", "BẢN SAO Y": "SY", "BẢN TRÍCH SAO": "TrS",
    "BẢN SAO LỤC": "SL",
}
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"

_NUMBER = re.compile(r"Số\s*[:.]?\s*(\d+\s*/\s*[0-9A-ZĐa-zđ]+(?:\s*-\s*[0-9A-ZĐa-zđ]+)*)")
_WORD = r"[A-ZĐÀ-Ỹ][a-zđà-ỹ]*\.?"
_PLACE_DATE = re.compile(rf"(?<!\S)((?:{_WORD}\s){{0,4}}{_WORD})\s*,\s*ngày\s+(\d{{1,2}})\s+tháng\s+(\d{{1,2}})\s+năm\s+(\d{{4}})")


@dataclass
class Field:
    value: str
    raw: str
    confidence: float
    page: int
    source: str = "ocr"


def classify(pages: list[PageText]) -> tuple[str, float]:
    """(kind, confidence). Only administrative documents are recognised for now; the rest is 'other'."""
    first = _fold(pages[0].text) if pages else ""
    if _fold(MOTTO) in first and _NUMBER.search(pages[0].text):
        return "admin", 0.95
    return "other", 0.5


def extract_admin(pages: list[PageText]) -> dict[str, Field]:
    text = pages[0].text if pages else ""
    fields: dict[str, Field] = {}
    conf = pages[0].mean_conf / 100 if pages else 0.0
    if m := _NUMBER.search(text):
        value = re.sub(r"\s+", "", m.group(1))
        fields["number"] = Field(value, m.group(0), conf, 1)
    if m := _PLACE_DATE.search(text):
        try:
            issued = date(int(m.group(4)), int(m.group(3)), int(m.group(2)))
            fields["place"] = Field(m.group(1).strip(), m.group(0), conf, 1)
            fields["date"] = Field(issued.isoformat(), m.group(0), conf, 1)
        except ValueError:
            pass
    for line in text.splitlines():
        name = line.strip().upper()
        if name in DOC_TYPES:
            fields["doc_type"] = Field(name, line.strip(), conf, 1)
            break
    return fields


def extract_fields(pages: list[PageText], kind: str | None = None) -> dict:
    detected, confidence = classify(pages)
    kind = kind or detected
    fields = extract_admin(pages) if kind == "admin" else {}
    return {
        "kind": kind,
        "classification": {"kind": detected, "confidence": confidence},
        "fields": {name: asdict(f) for name, f in fields.items()},
    }


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).upper()
