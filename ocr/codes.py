"""Machine-readable codes on a page: barcodes and QR codes (zxing-cpp), and ICAO machine-readable
zones re-read with an alphabet fit for them (Vietnamese recognition mangles '<<<' and 0/O)."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

from . import cleanup
from .engine import OcrEngine
from .model import Word, line_groups
from .mrz import checked_zone, find_td1, td1_start

MRZ_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
BLACK_PRINT = 80  # brightest channel under which a pixel is black print, not the pattern or coloured ink
_MRZ_LIKE = re.compile(r"<<|^[1Il]?[1I]DVNM", re.IGNORECASE)


@dataclass
class Code:
    kind: str  # "qr", another barcode format in lower case, or "mrz"
    text: str  # the payload; for an MRZ its lines joined by newlines
    box: list[int]  # [left, top, width, height] in the page image's pixels
    orientation: int = 0  # degrees the code is turned on the page (QR codes), 180: upside down

    def to_json(self) -> dict:
        return {"kind": self.kind, "text": self.text, "box": self.box}


def read_barcodes(image: np.ndarray, dpi: float = 300) -> list[Code]:
    """QR codes only: the other formats cost ten times as long on a full page and no paper here has them.

    At 200 dpi the modules of a card's QR code are three or four pixels wide and blur together;
    when nothing is found there, the page is read again at twice the size. On security paper, the
    pattern's lines cross the code's light modules: it is read again from its black print alone."""
    codes = _read_qr(image, 1)
    if not codes and image.ndim == 3 and cleanup.green_pattern(image[::8, ::8]) is not None:
        codes = _read_qr(np.where(image.max(axis=2) < BLACK_PRINT, 0, 255).astype(np.uint8), 1)
    if not codes and dpi < 250:
        grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
        codes = _read_qr(cv2.resize(grey, None, fx=2, fy=2, interpolation=cv2.INTER_LINEAR), 2)
    return codes


def _read_qr(image: np.ndarray, scale: int) -> list[Code]:
    codes = []
    for found in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
        xs = [p.x for p in (found.position.top_left, found.position.top_right, found.position.bottom_left,
                            found.position.bottom_right)]
        ys = [p.y for p in (found.position.top_left, found.position.top_right, found.position.bottom_left,
                            found.position.bottom_right)]
        kind = "qr" if found.format == zxingcpp.BarcodeFormat.QRCode else found.format.name.lower()
        box = [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]
        codes.append(Code(kind, found.text, [v // scale for v in box], int(found.orientation)))
    return codes


def read_mrz(engine: OcrEngine, grey: np.ndarray, words: list[Word], dpi: float) -> Code | None:
    """The machine-readable zone, if the page's recognized lines show one, re-read on its own."""
    lines = [[words[i] for i in group] for group in line_groups(words)]
    zone = [ws for ws in lines if _MRZ_LIKE.search("".join(w.text for w in ws))]
    if not zone:
        return None
    boxes = [w for ws in zone for w in ws]
    top = min(w.top for w in boxes)
    bottom = max(w.top + w.height for w in boxes)
    line_h = max(w.height for w in boxes)
    # The zone has three lines; the ones without '<' (a name that fills the line) may be missed above.
    top, bottom = max(0, top - 2 * line_h), min(grey.shape[0], bottom + 2 * line_h)
    left = max(0, min(w.left for w in boxes) - line_h)
    right = min(grey.shape[1], max(w.left + w.width for w in boxes) + line_h)
    text = engine.machine_text(np.ascontiguousarray(grey[top:bottom, left:right]), dpi, MRZ_ALPHABET)
    mrz_lines = [ln.replace(" ", "") for ln in text.splitlines() if len(ln.replace(" ", "")) >= 20]
    if not mrz_lines:
        return None
    return Code("mrz", "\n".join(mrz_lines), [left, top, right - left, bottom - top])


def with_checked_zone(words: list[Word], mrz: Code) -> list[Word]:
    """The page's words with the zone's three lines as its check digits vouch for them, each line one
    word over the words it replaces; the words as they were when the checks do not pass."""
    groups = line_groups(words)
    texts = ["".join(words[i].text for i in group) for group in groups]
    reread = find_td1(mrz.text.splitlines()) or []
    at = td1_start(texts)
    if at is None and reread:  # the page's reading mangled the zone's start (TDVNM): the line most like it
        likeness = [difflib.SequenceMatcher(None, t, reread[0]).ratio() for t in texts[:-2]]
        at = max(range(len(likeness)), key=likeness.__getitem__) if max(likeness, default=0) >= 0.7 else None
    checked = None if at is None else checked_zone(texts[at:at + 3], reread)
    if checked is None:
        return words
    zone = groups[at:at + 3]
    dropped = {i for group in zone for i in group[1:]}
    firsts = {group[0]: _one_word(line, [words[i] for i in group]) for group, line in zip(zone, checked)}
    return [firsts.get(i, w) for i, w in enumerate(words) if i not in dropped]


def _one_word(text: str, ws: list[Word]) -> Word:
    """`text` as one word over the words `ws` of a line."""
    left, top = min(w.left for w in ws), min(w.top for w in ws)
    right, bottom = max(w.left + w.width for w in ws), max(w.top + w.height for w in ws)
    return Word(text, left, top, right - left, bottom - top, 96.0, ws[0].block, ws[0].par, ws[0].line)
