"""Recognized words regrouped as the reader sees them: lines, and the columns a line spans.

Tesseract often reads a Decree 30 header as one line across both columns ("ỦY BAN NHÂN DÂN
CỘNG HÒA XÃ HỘI…"); the wide gap between the columns tells them apart again.
"""
from __future__ import annotations

import statistics
import unicodedata
from dataclasses import dataclass

from ocr import PageText, Word


@dataclass
class Line:
    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def box(self) -> list[int]:
        left = min(w.left for w in self.words)
        top = min(w.top for w in self.words)
        right = max(w.left + w.width for w in self.words)
        bottom = max(w.top + w.height for w in self.words)
        return [left, top, right - left, bottom - top]

    @property
    def centre_x(self) -> float:
        left, _, width, _ = self.box
        return left + width / 2

    def columns(self, page_width: int) -> list["Line"]:
        """The line cut at every gap wider than 2.5% of the page (and three times its usual gap)."""
        if len(self.words) < 2:
            return [self]
        gaps = [b.left - (a.left + a.width) for a, b in zip(self.words, self.words[1:])]
        # A space between words is under half the line's height; with two or three words the
        # median gap may be the wide one itself.
        usual = min(statistics.median(gaps), self.box[3] / 2)
        parts, current = [], [self.words[0]]
        for gap, word in zip(gaps, self.words[1:]):
            if gap > max(0.025 * page_width, 3 * usual):
                parts.append(Line(current))
                current = []
            current.append(word)
        return parts + [Line(current)]


def lines(page: PageText) -> list[Line]:
    """Tesseract's lines, top to bottom, words left to right."""
    grouped: dict[tuple[int, int, int], list[Word]] = {}
    for word in page.words:
        if not any(c.isdigit() or (c.isalpha() and unicodedata.category(c) != "Lm") for c in word.text):
            continue  # specks read as ˆ, ' or ~: they would bridge the gap between columns
        grouped.setdefault((word.block, word.par, word.line), []).append(word)
    result = [Line(sorted(ws, key=lambda w: w.left)) for ws in grouped.values()]
    return sorted(result, key=lambda line: line.box[1])
