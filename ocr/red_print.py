"""Print in red, read on its own: an id card's title (CĂN CƯỚC CÔNG DÂN), a heading printed red.

Cleanup turns red ink into paper, so that a seal does not hide the black text under it, and red
print goes with it. Red regions shaped like a line of print (long and low, where a seal is round)
are cut out of the colour page with nothing but their red ink in them, made dark on white from
the green channel (where red ink is dark), and read; their words replace whatever the engine made
of the remains of that ink on the cleaned page.
"""
from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np

from .cleanup import RED, redness
from .engine import OcrEngine
from .model import Word, centre_inside, insert_by_position

EDGE = 20  # ... and this much at the ink's anti-aliased edge
LINE_MM = (2.2, 12.0)  # heights of a line of print, capitals included
OBLONG = 4.0  # a line of print is at least this many times as wide as it is high; a seal is round
INKED = (0.12, 0.75)  # share of a line's box that is red ink: print, not a filled band or a hairline
SURE = 60  # mean confidence from which a red line's reading is kept


def red_lines(rgb: np.ndarray, dpi: float) -> list[tuple[int, int, int, int]]:
    """(left, top, right, bottom) of each line of red print on the page."""
    if rgb.ndim != 3:
        return []
    red = redness(rgb) > RED
    if red.mean() < 1e-4:
        return []
    mm = dpi / 25.4
    joined = cv2.morphologyEx(red.astype(np.uint8), cv2.MORPH_CLOSE,
                              cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, round(4 * mm)), max(1, round(0.4 * mm)))))
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    lines = []
    for left, top, width, height, _area in stats[1:count]:
        if not LINE_MM[0] * mm <= height <= LINE_MM[1] * mm or width < OBLONG * height:
            continue
        inked = red[top:top + height, left:left + width].mean()
        if INKED[0] <= inked <= INKED[1]:
            lines.append((int(left), int(top), int(left + width), int(top + height)))
    return lines


def read_red_print(engine: OcrEngine, rgb: np.ndarray, words: list[Word], dpi: float) -> list[Word]:
    """`words` with the lines of red print read from the colour page in place of their remains."""
    lines = red_lines(rgb, dpi)
    if not lines:
        return words
    ink = _only_red_ink(rgb)
    out = list(words)
    next_block = max((w.block for w in words), default=0) + 1
    margin = round(dpi / 25.4)
    for n, (left, top, right, bottom) in enumerate(lines):
        x0, y0 = max(0, left - margin), max(0, top - margin)
        x1, y1 = min(rgb.shape[1], right + margin), min(rgb.shape[0], bottom + margin)
        read = [replace(w, left=w.left + x0, top=w.top + y0, block=next_block + n, par=1, line=1)
                for w in engine.words(np.ascontiguousarray(ink[y0:y1, x0:x1]), dpi) if w.text.strip()]
        if not read or sum(w.conf for w in read) / len(read) < SURE:
            continue
        out = [w for w in out if not centre_inside(w, left, top, right, bottom)]
        insert_by_position(out, read)
    return out


def _only_red_ink(rgb: np.ndarray) -> np.ndarray:
    """Grey page with the red ink dark (its green channel, stretched) and everything else white."""
    near_red = cv2.dilate((redness(rgb) > EDGE).astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    green = rgb[:, :, 1]
    out = np.full(green.shape, 255, np.uint8)
    out[near_red] = green[near_red]
    return out
