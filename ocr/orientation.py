"""Telling an upright page from an upside-down one, once its lines are level.

Vietnamese puts most diacritics above the letters (á à ả ã â ă ê ô ơ) and few
below (the dot of ạ, descenders of g p q y). On each text line, the ink above
the x-height band therefore outweighs the ink below it several times over;
turned upside down, the ratio inverts. When the page has too few lines or
the ratio is unclear, Tesseract's OSD model decides.
"""
from __future__ import annotations

import cv2
import numpy as np

from .engine import OcrEngine

CLEAR_RATIO = 1.5
MIN_LINES = 3


SPECK = 6  # pixels: a copier's toner specks are smaller than the dot of any letter


def without_specks(ink: np.ndarray) -> np.ndarray:
    """The binary ink without its tiny specks, which on a worn copy fill every gap between lines."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    keep = stats[:, cv2.CC_STAT_AREA] > SPECK
    keep[0] = False
    return keep[labels].astype(np.uint8)


def above_below_ratio(grey: np.ndarray) -> tuple[float, int]:
    """(ink above the x-height band / ink below it, number of text lines measured)."""
    _, ink = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    ink = without_specks(ink)
    rows = ink.sum(axis=1).astype(np.float64)
    if rows.max() <= 0:
        return 1.0, 0
    on = rows > max(2.0, 0.02 * rows.max())
    edges = np.flatnonzero(np.diff(np.r_[0, on.astype(np.int8), 0]))
    lines = [(a, b) for a, b in zip(edges[::2], edges[1::2]) if b - a > 5]
    if not lines:
        return 1.0, 0
    typical = float(np.median([b - a for a, b in lines]))
    above = below = 0.0
    counted = 0
    for a, b in lines:
        if not 0.6 * typical <= b - a <= 1.6 * typical:
            continue  # headings, rules, merged lines
        profile = rows[a:b]
        core = np.flatnonzero(profile >= 0.5 * profile.max())
        above += profile[: core[0]].sum()
        below += profile[core[-1] + 1:].sum()
        counted += 1
    return above / max(below, 1.0), counted


def is_upside_down(engine: OcrEngine, grey: np.ndarray, dpi: float) -> bool:
    ratio, lines = above_below_ratio(grey)
    if lines >= MIN_LINES and (ratio >= CLEAR_RATIO or ratio <= 1 / CLEAR_RATIO):
        return ratio < 1
    rotate, _conf = engine.orientation(grey, dpi)
    return rotate == 180
