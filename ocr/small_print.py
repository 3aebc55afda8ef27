"""Small print read again, enlarged.

Tesseract's LSTM reads best when capitals are about 32 pixels tall (tesseract-ocr mailing list,
"optimal text size"). An id card photocopied at 300 dpi has 6-point print, capitals of about 18
pixels, and at 200 dpi about 12: the tone marks are a few pixels and get lost or mixed up
("Xóm Đông" read "Xóm Đồng"). Pages whose text is that small are read a second time with the
printed area cut out and enlarged, and the second reading is kept unless it is clearly worse.
Pages of ordinary print (a Decree 30 document is 13-14 point) are left alone.
"""
from __future__ import annotations

import statistics

import cv2
import numpy as np

from .engine import OcrEngine
from .model import Word, confident_chars

SMALL_MM = 1.6  # median letter width below which print counts as small: cards 1.0-1.2, documents 2.1-2.6
TARGET_PX = 22  # letter width aimed for: capitals of about 32 px
MAX_SCALE = 3.0
MIN_SCALE = 1.2  # an enlargement smaller than this reads no better: the page is left as read
SURE = 80  # words this confident measure the print; noise read as letters does not
KEEP_RATIO = 0.9  # the enlarged reading is kept unless it has a tenth fewer confident characters


def letter_width_mm(words: list[Word], dpi: float) -> float | None:
    """Median width per letter of confidently read words of three letters or more, in millimetres.

    Widths, not heights: on a noisy page Tesseract gives every word of a line the line's height,
    specks included, while the width of a word stays that of its letters.
    """
    widths = [w.width / len(w.text) for w in words if w.conf >= SURE and len(w.text) >= 3 and w.text.isalpha()]
    if len(widths) < 5:
        return None
    return statistics.median(widths) / dpi * 25.4


def reread_small_print(engine: OcrEngine, grey: np.ndarray, words: list[Word], dpi: float) -> list[Word]:
    """`words`, or the words of an enlarged second reading when the print is small."""
    width = letter_width_mm(words, dpi)
    if width is None or width >= SMALL_MM:
        return words
    scale = min(MAX_SCALE, TARGET_PX / (width / 25.4 * dpi))
    if scale < MIN_SCALE:  # small print, but large in pixels already (a card photographed up close)
        return words
    left, top, right, bottom = _printed_area(words, grey.shape, dpi)
    crop = cv2.resize(np.ascontiguousarray(grey[top:bottom, left:right]), None, fx=scale, fy=scale,
                      interpolation=cv2.INTER_CUBIC)
    second = [w.unscaled(scale, left, top) for w in engine.words(crop, dpi * scale)]
    if confident_chars(second) < KEEP_RATIO * confident_chars(words):
        return words
    return second


def _printed_area(words: list[Word], shape: tuple[int, ...], dpi: float) -> tuple[int, int, int, int]:
    """The box around every word, with a 5 mm margin, within the page."""
    margin = round(5 / 25.4 * dpi)
    left = max(0, min(w.left for w in words) - margin)
    top = max(0, min(w.top for w in words) - margin)
    right = min(shape[1], max(w.left + w.width for w in words) + margin)
    bottom = min(shape[0], max(w.top + w.height for w in words) + margin)
    return left, top, right, bottom
