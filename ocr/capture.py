"""A page or card photographed on a desk, found and set flat: what the portal receives from phones.

A photo is told from a scan by its surround: a scan is paper to its edges (or a scanner's dark
band, which crop_borders removes), while a photo shows the page as one bright quadrilateral on a
darker or coloured desk. That quadrilateral's corners give the perspective; the page is warped to
a rectangle with the shape of the paper it is (A4, or an ID-1 card), which also gives the scale a
photo lacks (a phone writes 72 dpi into the file whatever the distance). The photo itself stays the
received original; the flat page is what goes into the signed PDF.

Not done here: page curl (lines bowed by a few millimetres are left to the line reader).
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .cleanup import letter_height

WORK_SIDE = 1000  # the outline is looked for on a copy this long
MIN_AREA, MAX_AREA = 0.1, 0.95  # share of the frame a photographed paper covers (a card: 15-30%)
A4_INCHES = (8.27, 11.69)
CARD_INCHES = (3.370, 2.125)  # ID-1, the CCCD's size
TARGET_DPI = 300  # a flat page is brought to this scale when the photo holds fewer pixels per inch
MAX_SCALE = 2.0


@dataclass
class Captured:
    image: np.ndarray  # the paper, flat and upright or a quarter turn off (orientation comes next)
    dpi: float
    corners: np.ndarray  # 4x2, in the photo's pixels: top-left, top-right, bottom-right, bottom-left
    card: bool = False  # an id card (stiff: it does not curl), not a sheet of paper


def find_paper(image: np.ndarray) -> np.ndarray | None:
    """The corners of one bright paper on a darker surround, or None for a scan."""
    h, w = image.shape[:2]
    scale = WORK_SIDE / max(h, w)
    small = cv2.resize(image, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    grey = small if small.ndim == 2 else cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    if not _framed(grey):
        return None
    grey = cv2.GaussianBlur(grey, (5, 5), 0)
    _, paper = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    paper = cv2.morphologyEx(paper, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))  # text holes closed
    contours, _ = cv2.findContours(paper, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    outline = max(contours, key=cv2.contourArea)
    share = cv2.contourArea(outline) / (grey.shape[0] * grey.shape[1])
    if not MIN_AREA <= share <= MAX_AREA:
        return None
    hull = cv2.convexHull(outline)
    quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    if len(quad) != 4:
        quad = cv2.boxPoints(cv2.minAreaRect(hull))
    return _ordered(quad.reshape(4, 2).astype(np.float32)) / scale


def _framed(grey: np.ndarray) -> bool:
    """Whether the picture's edges are a surround unlike its middle: darker than the paper all round."""
    rim = max(2, min(grey.shape) // 40)
    edges = np.concatenate([grey[:rim].ravel(), grey[-rim:].ravel(), grey[:, :rim].ravel(), grey[:, -rim:].ravel()])
    h, w = grey.shape
    middle = grey[h // 3: 2 * h // 3, w // 3: 2 * w // 3]
    return float(np.median(middle)) - float(np.median(edges)) > 50


def _ordered(points: np.ndarray) -> np.ndarray:
    """Top-left, top-right, bottom-right, bottom-left."""
    s, d = points.sum(axis=1), np.diff(points, axis=1).ravel()
    return np.float32([points[s.argmin()], points[d.argmin()], points[s.argmax()], points[d.argmax()]])


TRUSTED_DPI = 150  # a file claiming this or more came from a scanner, which knows its resolution


def flatten(image: np.ndarray, corners: np.ndarray, claimed_dpi: float) -> Captured:
    """The paper inside `corners` as a rectangle of its own shape, at TARGET_DPI when it can be.
    The scale is the file's own when a scanner wrote it, else the paper's size over its pixels."""
    tl, tr, br, bl = corners
    width = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    height = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    paper = _paper_inches(image, corners, width, height)
    if claimed_dpi >= TRUSTED_DPI:
        dpi, scale = claimed_dpi, 1.0
    else:
        dpi = max(width, height) / max(paper)
        scale = min(MAX_SCALE, max(1.0, TARGET_DPI / dpi))
    flat = _warp(image, corners, round(width * scale), round(height * scale))
    return Captured(image=flat, dpi=dpi * scale, corners=corners, card=paper == CARD_INCHES)


def _warp(image: np.ndarray, corners: np.ndarray, out_w: int, out_h: int) -> np.ndarray:
    target = np.float32([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]])
    m = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    return cv2.warpPerspective(image, m, (out_w, out_h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


SHEET_MOST = 1.45  # an upright outline less oblong than this is a sheet (A4 is 1.41)
CARD_LYING = 1.25  # a card is photographed lying across, a sheet upright: across, a little oblong may be one
CARD_LEAST = 1.62  # an outline more oblong than this is a card (ID-1 is 1.59)
CARD_LETTERS = 0.0115  # letters' height over the paper's long side: ~0.014 on a card, ~0.009 on A4
MEASURE_SIDE = 2000  # pixels: the long side of the flat copy the letters are measured on


def _paper_inches(image: np.ndarray, corners: np.ndarray, width: float, height: float) -> tuple[float, float]:
    """The paper the outline is: a card (ID-1) or an A4 sheet. Perspective changes an outline's
    proportions by up to a tenth (an A4 sheet read as 1.55 long, a card as 1.51), so between the
    clear cases the size of the print decides: a card's letters are large for its size."""
    ratio = max(width, height) / max(1.0, min(width, height))
    if ratio < (CARD_LYING if width > height else SHEET_MOST):
        return A4_INCHES
    if ratio > CARD_LEAST:
        return CARD_INCHES
    scale = MEASURE_SIDE / max(width, height)
    flat = _warp(image, corners, round(width * scale), round(height * scale))
    grey = flat if flat.ndim == 2 else cv2.cvtColor(flat, cv2.COLOR_RGB2GRAY)
    _, ink = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    letters = letter_height(ink)
    return CARD_INCHES if letters is not None and letters / MEASURE_SIDE > CARD_LETTERS else A4_INCHES


def capture(image: np.ndarray, claimed_dpi: float) -> Captured | None:
    """The photographed paper set flat, or None when the image is a scan (nothing to do). A scanner's
    file with a square-on page inside its dark bed is a scan: cleanup.crop_borders cuts the bed."""
    corners = find_paper(image)
    if corners is None or (claimed_dpi >= TRUSTED_DPI and _square_on(corners, image.shape[:2])):
        return None
    return flatten(image, corners, claimed_dpi)


def _square_on(corners: np.ndarray, shape: tuple[int, ...]) -> bool:
    """Whether the outline is an upright rectangle, up to 1% of the picture's size."""
    left, top = corners.min(axis=0)
    right, bottom = corners.max(axis=0)
    box = np.float32([[left, top], [right, top], [right, bottom], [left, bottom]])
    return bool(np.abs(corners - box).max() <= 0.01 * max(shape))
