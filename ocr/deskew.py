"""Skew and axis of text lines, by projection profiles.

A text page's rows of ink are sharpest (highest variance of the row sums)
when the lines are horizontal. Searching that score over angles, on the page
and on the page turned 90°, gives both the skew and whether the text runs
across or down the scan.
"""
from __future__ import annotations

import cv2
import numpy as np

MAX_SKEW = 15.0


def shrink(image: np.ndarray, width: int) -> np.ndarray:
    """The image `width` pixels wide (never wider than it is), each pixel the mean of those it covers.

    OpenCV averages whole blocks (a whole factor) ten times faster than a fractional area: a 300 dpi
    page is reduced by the largest whole factor first, and the last step, under a factor of two, is
    bilinear. Reductions were a tenth of a clean page's time around recognition."""
    h, w = image.shape[:2]
    width = min(width, w)
    height = max(1, round(h * width / w))
    if width == w:
        return image
    k = min(w // width, h // height)
    if k >= 2:
        image = cv2.resize(image[: h - h % k, : w - w % k], (w // k, h // k), interpolation=cv2.INTER_AREA)
        if image.shape[1] == width:
            return image
    return cv2.resize(image, (width, height), interpolation=cv2.INTER_LINEAR if k >= 2 else cv2.INTER_AREA)


def ink_mask(grey: np.ndarray) -> np.ndarray:
    """Binary ink (True) on paper. A local-mean threshold ignores shading; its offset keeps paper noise out."""
    block = 31 if grey.shape[1] >= 800 else 15
    return cv2.adaptiveThreshold(grey, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15).astype(bool)


LONG_LINE = 0.1  # of the page's height (width): a straight run of ink this long is a rule or a streak


def without_long_lines(ink: np.ndarray) -> np.ndarray:
    """The ink mask without long straight lines down or across it: a copier's drum streak and black
    edge run the length of a worn copy, and their spike in the profile down the page outweighed the
    lines of faint small print (a card copied on a sheet was set on its side). Letters are too short
    and too far apart to make such a run, even smudged sideways by a few pixels (a line a little skewed)."""
    h, w = ink.shape
    mask = ink.astype(np.uint8)
    smudged_x = cv2.dilate(mask, np.ones((1, 5), np.uint8))
    smudged_y = cv2.dilate(mask, np.ones((5, 1), np.uint8))
    down = cv2.morphologyEx(smudged_x, cv2.MORPH_OPEN, np.ones((max(3, round(LONG_LINE * h)), 1), np.uint8))
    across = cv2.morphologyEx(smudged_y, cv2.MORPH_OPEN, np.ones((1, max(3, round(LONG_LINE * w))), np.uint8))
    lines = cv2.dilate(down | across, np.ones((3, 3), np.uint8)).astype(bool)
    return ink & ~lines


BLANK_INK = 0.0005  # share of ink pixels below which a page holds no text


def is_blank(grey: np.ndarray) -> bool:
    """A page with (almost) no ink: nothing to turn, nothing to read a second time."""
    return not grey.size or float(ink_mask(shrink(grey, 1200)).mean()) < BLANK_INK


def ink_points(ink: np.ndarray, turned: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of ink pixels; `turned` gives them as in np.rot90(ink) (a quarter turn counter-clockwise)."""
    ys, xs = np.nonzero(ink)
    if len(xs) < 2:
        return np.zeros(2, np.float32), np.zeros(2, np.float32)  # a blank page: every angle scores 0
    xs, ys = xs.astype(np.float32), ys.astype(np.float32)
    if turned:
        xs, ys = ys, (ink.shape[1] - 1) - xs
    return xs, ys


def profile_score(xs: np.ndarray, ys: np.ndarray, angle: float) -> float:
    """Sharpness of the row profile once the points are turned back by `angle` (counter-clockwise) degrees.

    A line rising to the right by `angle` has y + x·tan(angle) constant, so its ink falls in one bin.
    """
    a = np.deg2rad(angle)
    rows = ys * np.float32(np.cos(a)) + xs * np.float32(np.sin(a))
    hist = np.bincount((rows - rows.min()).astype(np.int32))
    return float(np.square(np.diff(hist.astype(np.float32))).sum())


def best_angle(points: tuple[np.ndarray, np.ndarray], lo: float, hi: float, step: float) -> tuple[float, float]:
    angles = np.arange(lo, hi + step / 2, step)
    scores = [profile_score(*points, a) for a in angles]
    i = int(np.argmax(scores))
    angle = float(angles[i])
    if 0 < i < len(scores) - 1:  # the top of a parabola through the best three
        left, mid, right = scores[i - 1], scores[i], scores[i + 1]
        curve = left - 2 * mid + right
        if curve < 0:
            angle += step * 0.5 * (left - right) / curve
    return angle, float(scores[i])


def estimate_axis_and_skew(grey: np.ndarray) -> tuple[bool, float]:
    """(text runs down the scan, skew in degrees counter-clockwise of the text lines)."""
    if not grey.size or min(grey.shape) < 16:
        return False, 0.0
    small = shrink(grey, 1200)
    coarse = ink_mask(shrink(small, 500))
    lineless = without_long_lines(coarse)  # the axis is the text's; the skew is measured on all the ink
    _, across_score = best_angle(ink_points(lineless), -MAX_SKEW, MAX_SKEW, 0.5)
    _, down_score = best_angle(ink_points(lineless, turned=True), -MAX_SKEW, MAX_SKEW, 0.5)
    vertical = down_score > across_score
    angle, _ = best_angle(ink_points(coarse, turned=vertical), -MAX_SKEW, MAX_SKEW, 0.5)
    return vertical, _refine(ink_mask(small), vertical, angle)


def estimate_skew(grey: np.ndarray) -> float:
    """Skew in degrees counter-clockwise of text lines known to run across the scan."""
    if not grey.size or min(grey.shape) < 16:
        return 0.0
    small = shrink(grey, 1200)
    angle, _ = best_angle(ink_points(ink_mask(shrink(small, 500))), -MAX_SKEW, MAX_SKEW, 0.5)
    return _refine(ink_mask(small), False, angle)


def _refine(fine: np.ndarray, vertical: bool, angle: float) -> float:
    """The coarse angle to a fiftieth of a degree, on the finer ink mask."""
    if not fine.any():
        return 0.0
    points = ink_points(fine, turned=vertical)
    angle, _ = best_angle(points, angle - 0.6, angle + 0.6, 0.1)
    angle, _ = best_angle(points, angle - 0.1, angle + 0.1, 0.02)
    return angle


def rotate(image: np.ndarray, angle: float, fill: int | tuple = 255) -> np.ndarray:
    """Rotate counter-clockwise by `angle` degrees, growing the canvas so no corner is cut."""
    if abs(angle) < 0.01:
        return image
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos + 0.5), int(h * cos + w * sin + 0.5)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    if image.ndim == 3 and not isinstance(fill, tuple):
        fill = (fill, fill, fill)
    return cv2.warpAffine(image, m, (nw, nh), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=fill)
