"""A photographed page's curl undone: its lines of text made straight again.

A page lying on a desk bows, and in a phone photo its lines bow with it by 1-2% of the page's
height; Tesseract follows a straight baseline and loses the ends of bowed lines (a curled page read
at 34% CER). The lines are followed across the page in vertical strips (the rows where each strip
has ink), the vertical displacement of each line from its height in the middle of the page is
fitted by a smooth surface (cubic across the page, quadratic down it), and the page is resampled so
that every line runs level. Pages whose lines are straight already are left untouched.
"""
from __future__ import annotations

import cv2
import numpy as np

from .cleanup import letter_height

STRIPS = 24  # vertical strips the page is cut into to follow its lines
MIN_BOW = 0.25  # of a line's height: a smaller bow is not worth a resampling
MAX_BOW = 0.05  # of the page's height: a larger one is lines followed wrongly, not a curl (1-2%)
MIN_POINTS = 60  # line positions needed before a surface is fitted


def straighten(image: np.ndarray, grey: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(image, grey) with their lines made level, or as they were when the lines are straight."""
    shift = _displacement(grey)
    if shift is None:
        return image, grey
    h, w = grey.shape
    map_x = np.tile(np.arange(w, dtype=np.float32), (h, 1))
    map_y = np.arange(h, dtype=np.float32)[:, None] + shift

    def warp(a: np.ndarray) -> np.ndarray:
        return cv2.remap(a, map_x, map_y, cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    return warp(image), warp(grey)


def _displacement(grey: np.ndarray) -> np.ndarray | None:
    """For every pixel of the level page, how far down the curled page its content lies (float32),
    or None when the lines are straight or cannot be followed."""
    h, w = grey.shape
    _, ink = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    height = letter_height(ink)
    if height is None:
        return None
    tracks = _follow_lines(ink, height)
    # Every track starts in the middle strip: its first value is the line's height there.
    points = [(x, mid, y - mid) for track in tracks for mid in [next(iter(track.values()))]
              for x, y in track.items()]
    if len(points) < MIN_POINTS:
        return None
    xs, ys, ds = (np.array(v, np.float64) for v in zip(*points))
    terms = _terms(xs / w, ys / h)
    coef, *_ = np.linalg.lstsq(terms, ds, rcond=None)
    grid_x, grid_y = np.meshgrid(np.linspace(0, 1, 64), np.linspace(0, 1, 64))
    # Above the first line followed and below the last one the surface is held as it is there: a
    # quadratic carried on over a page's empty foot bends wildly (and was taken for a wrong fit).
    grid_y = np.clip(grid_y, ys.min() / h, ys.max() / h)
    small = (_terms(grid_x.ravel(), grid_y.ravel()) @ coef).reshape(64, 64)
    if not MIN_BOW * height <= np.abs(small).max() <= MAX_BOW * h:
        return None
    return cv2.resize(small.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)


def _terms(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x^i y^j for i <= 3 and j <= 2: a bow across the page that changes down it."""
    return np.stack([x ** i * y ** j for i in range(4) for j in range(3)], axis=1)


def _follow_lines(ink: np.ndarray, height: float) -> list[dict[int, float]]:
    """Each line of text as {x of a strip's middle: y of the line there}, followed strip by strip
    from the middle of the page outwards."""
    h, w = ink.shape
    edges = np.linspace(0, w, STRIPS + 1).astype(int)
    centres = [(a + b) // 2 for a, b in zip(edges, edges[1:])]
    peaks = [_line_rows(ink[:, a:b], height) for a, b in zip(edges, edges[1:])]
    mid = STRIPS // 2
    tracks = [{centres[mid]: float(y)} for y in peaks[mid]]
    for step in (1, -1):
        for track in tracks:
            last = track[centres[mid]]
            k = mid + step
            while 0 <= k < STRIPS:
                near = [y for y in peaks[k] if abs(y - last) <= 0.5 * height]
                if near:
                    last = min(near, key=lambda y: abs(y - last))
                    track[centres[k]] = float(last)
                k += step
    return [t for t in tracks if len(t) >= STRIPS // 2]


def _line_rows(strip: np.ndarray, height: float) -> list[int]:
    """The rows where a strip's lines of text have their middle: peaks of its ink per row."""
    profile = cv2.GaussianBlur(strip.sum(axis=1).astype(np.float32)[:, None], (1, 0), max(1.0, height / 3))[:, 0]
    if profile.max() <= 0:
        return []
    strong = profile > 0.25 * profile.max()
    around = cv2.dilate(profile[:, None], np.ones((max(3, int(height) | 1), 1), np.uint8))[:, 0]
    rows: list[int] = []
    for y in np.flatnonzero(strong & (profile >= around)):  # a flat top is one line, not several
        if not rows or y - rows[-1] > height / 2:
            rows.append(int(y))
    return rows
