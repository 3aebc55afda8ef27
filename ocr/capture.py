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
    if claimed_dpi >= TRUSTED_DPI:
        dpi, scale = claimed_dpi, 1.0
    else:
        dpi = max(width, height) / max(_paper_inches(width, height))
        scale = min(MAX_SCALE, max(1.0, TARGET_DPI / dpi))
    out_w, out_h = round(width * scale), round(height * scale)
    target = np.float32([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]])
    m = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    flat = cv2.warpPerspective(image, m, (out_w, out_h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    return Captured(image=flat, dpi=dpi * scale, corners=corners, card=_paper_inches(width, height) == CARD_INCHES)


CARD_OBLONG = 1.50  # between A4's 1.41 and ID-1's 1.59: an upright paper more oblong is a card
CARD_LYING = 1.25  # a card is photographed lying across, a sheet upright: across, a little oblong will do


def _paper_inches(width: float, height: float) -> tuple[float, float]:
    """The paper a rectangle of this shape is: a card when it is about as oblong as ID-1, else A4.
    Perspective changes the outline's proportions by up to a tenth (a card read as 1.45 long), so
    a card lying across the photo needs less to be taken for one."""
    ratio = max(width, height) / max(1.0, min(width, height))
    return CARD_INCHES if ratio >= (CARD_LYING if width > height else CARD_OBLONG) else A4_INCHES


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
