"""Typed data that flows through the OCR stages."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np


@dataclass
class SourcePage:
    """One page as received: pixels to OCR, or a born-digital PDF page with text."""

    index: int
    dpi: float
    image: np.ndarray | None = None  # RGB or grey uint8; None for born-digital pages
    words: list[Word] | None = None  # text layer of a born-digital page
    width_pt: float = 0.0  # born-digital page size in points
    height_pt: float = 0.0
    pdf_page_number: int | None = None  # position in the source PDF, for passthrough


@dataclass
class Word:
    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    block: int = 0
    par: int = 0
    line: int = 0
    # The second engine's reading of the same letters where its marks differ ("nền" for "nên"), on
    # pages both engines read: weighed by ocr/lexicon.py, never shown.
    other: str = ""

    def unscaled(self, scale: float, left: int = 0, top: int = 0) -> Word:
        """This word, read on a copy of the page scaled by `scale` (or on a crop of it at `left`,
        `top`), with its box in the page's own pixels."""
        return replace(self, left=left + round(self.left / scale), top=top + round(self.top / scale),
                       width=max(1, round(self.width / scale)), height=max(1, round(self.height / scale)))

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "box": [self.left, self.top, self.width, self.height],
            "conf": round(self.conf, 1),
            "block": self.block,
            "par": self.par,
            "line": self.line,
        }


@dataclass
class PreparedPage:
    """A page turned upright and deskewed, with a cleaned copy for recognition."""

    index: int
    dpi: float
    display: np.ndarray  # upright, deskewed, colour kept: goes into the PDF
    for_ocr: np.ndarray  # grey, lighting flattened, seal ink removed
    orientation: int  # clockwise degrees the scan was turned: 0, 90, 180, 270
    skew: float  # degrees counter-clockwise the text was tilted
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class PageText:
    """What recognition (or a born-digital text layer) found on one page."""

    index: int
    width: int  # pixels (or points for born-digital pages)
    height: int
    dpi: float
    source: str  # "ocr" or "text-layer"
    orientation: int
    skew: float
    words: list[Word]
    seconds: dict[str, float] = field(default_factory=dict)
    codes: list = field(default_factory=list)  # ocr.codes.Code: QR payloads and machine-readable zones

    @property
    def text(self) -> str:
        return words_to_text(self.words)

    @property
    def mean_conf(self) -> float:
        confs = [w.conf for w in self.words if w.conf >= 0]
        return round(sum(confs) / len(confs), 1) if confs else 0.0

    def to_json(self) -> dict:
        return {
            "page": self.index + 1,
            "width": self.width,
            "height": self.height,
            "dpi": round(self.dpi, 1),
            "source": self.source,
            "orientation": self.orientation,
            "skew": round(self.skew, 2),
            "mean_conf": self.mean_conf,
            "text": self.text,
            "words": [w.to_json() for w in self.words],
            "codes": [c.to_json() for c in self.codes],
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


def line_groups(words: list[Word]) -> list[list[int]]:
    """The indices of the words on each line Tesseract found, lines in reading order."""
    groups: dict[tuple[int, int, int], list[int]] = {}
    for i, w in enumerate(words):
        groups.setdefault((w.block, w.par, w.line), []).append(i)
    return list(groups.values())


def centre_inside(word: Word, left: float, top: float, right: float, bottom: float) -> bool:
    """Whether a word's centre lies in the box."""
    return left <= word.left + word.width / 2 <= right and top <= word.top + word.height / 2 <= bottom


ROW_OVERLAP = 0.3  # share of the lower height two words share from which they are on one row


def insert_by_position(out: list[Word], line: list[Word]) -> None:
    """Put a line one reading missed after the last word above it or on its row to its left (two
    labels side by side, the right one a little higher in a photo, stay in their order)."""
    top, bottom = min(w.top for w in line), max(w.top + w.height for w in line)
    left, middle = line[0].left, (top + bottom) / 2
    at = 0
    for k, w in enumerate(out):
        overlap = min(bottom, w.top + w.height) - max(top, w.top)
        same_row = overlap > ROW_OVERLAP * min(w.height, bottom - top)
        if (w.left + w.width <= left) if same_row else (w.top + w.height < middle):
            at = k + 1
    out[at:at] = line


def in_rows(words: list[Word]) -> list[Word]:
    """The lines in reading order by rows: top to bottom, lines on one row left to right. On an id
    card, a label's value beside another label's ("Có giá trị đến" under the photo, the residence to
    its right) is read with it, not as a block of its own before the card's title."""
    lines = []
    for members in line_groups(words):
        line = [words[i] for i in members]
        lines.append((min(w.top for w in line), max(w.top + w.height for w in line), line))
    lines.sort(key=lambda item: item[0] + item[1])
    rows: list[list[tuple[int, int, list[Word]]]] = []
    for top, bottom, line in lines:
        if rows:
            row_top, row_bottom = min(t for t, _, _ in rows[-1]), max(b for _, b, _ in rows[-1])
            if min(bottom, row_bottom) - max(top, row_top) > ROW_OVERLAP * min(bottom - top, row_bottom - row_top):
                rows[-1].append((top, bottom, line))
                continue
        rows.append([(top, bottom, line)])
    return [w for row in rows for _, _, line in sorted(row, key=lambda item: item[2][0].left) for w in line]


def words_to_text(words: list[Word]) -> str:
    """Lines joined by newlines, blocks separated by a blank line, reading order kept."""
    out: list[str] = []
    last_line = last_block = None
    for w in words:
        line_key = (w.block, w.par, w.line)
        if last_line is None:
            pass
        elif w.block != last_block:
            out.append("\n\n")
        elif line_key != last_line:
            out.append("\n")
        else:
            out.append(" ")
        out.append(w.text)
        last_line, last_block = line_key, w.block
    return "".join(out)


FAIR_CONF = 60  # below this Tesseract's words are as often wrong as right


def confident_chars(words: list[Word]) -> int:
    """Characters read with fair confidence: how much of a page a reading got."""
    return sum(len(w.text) for w in words if w.conf >= FAIR_CONF)
