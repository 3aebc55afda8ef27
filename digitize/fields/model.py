"""What every extractor returns: fields with their value, evidence and where they came from."""
from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass, field

from ..textlines import Line

SOURCES = ("qr", "mrz", "ocr", "human")


@dataclass
class Field:
    value: str
    raw: str
    confidence: float
    page: int
    source: str = "ocr"  # one of SOURCES
    box: list[int] | None = None  # [left, top, width, height] in the page image's pixels
    agrees: list[str] = field(default_factory=list)  # other sources that read the same value
    disagrees: dict[str, str] = field(default_factory=dict)  # other sources' different readings


def clean(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip(" _—-:|;,.“”\"'‘’")


def fold(text: str) -> str:
    """Upper case without diacritics, letters, digits and single spaces only: for comparing labels."""
    decomposed = unicodedata.normalize("NFD", text.upper().replace("Đ", "D").replace("đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", re.sub(r"[^A-Z0-9 ]", " ", plain)).strip()


def line_conf(line: Line) -> float:
    return round(statistics.fmean(w.conf for w in line.words) / 100, 3) if line.words else 0.0


def union(boxes: list[list[int]]) -> list[int]:
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    return [left, top, right - left, bottom - top]
