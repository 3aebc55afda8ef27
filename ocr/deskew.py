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


def ink_mask(grey: np.ndarray, width: int) -> np.ndarray:
    """Binary ink (1) on paper (0), scaled to `width` pixels wide."""
    scale = width / grey.shape[1]
    small = cv2.resize(grey, (width, max(1, round(grey.shape[0] * scale))), interpolation=cv2.INTER_AREA)
    background = cv2.medianBlur(small, 31 if width >= 600 else 15)
    flat = cv2.divide(small, background, scale=255)
    _, ink = cv2.threshold(flat, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink.astype(np.float32)


def profile_score(ink: np.ndarray, angle: float) -> float:
    """Sharpness of row sums after rotating the ink by `angle` degrees counter-clockwise... back."""
    h, w = ink.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    rotated = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)
    rows = rotated.sum(axis=1)
    return float(np.square(np.diff(rows)).sum())


def best_angle(ink: np.ndarray, lo: float, hi: float, step: float) -> tuple[float, float]:
    angles = np.arange(lo, hi + step / 2, step)
    scores = [profile_score(ink, a) for a in angles]
    i = int(np.argmax(scores))
    return float(angles[i]), float(scores[i])


def estimate_axis_and_skew(grey: np.ndarray) -> tuple[bool, float]:
    """(text runs down the scan, skew in degrees counter-clockwise of the text lines)."""
    coarse = ink_mask(grey, 500)
    across_angle, across_score = best_angle(coarse, -MAX_SKEW, MAX_SKEW, 0.5)
    turned = np.ascontiguousarray(np.rot90(coarse))
    down_angle, down_score = best_angle(turned, -MAX_SKEW, MAX_SKEW, 0.5)
    vertical = down_score > across_score
    angle = down_angle if vertical else across_angle

    fine = ink_mask(np.ascontiguousarray(np.rot90(grey)) if vertical else grey, 1200)
    angle, _ = best_angle(fine, angle - 0.6, angle + 0.6, 0.1)
    angle, _ = best_angle(fine, angle - 0.1, angle + 0.1, 0.02)
    return vertical, angle


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
