"""Orientation, deskew and cleanup of one page."""
from __future__ import annotations

import time

import cv2
import numpy as np

from . import (
    capture,
    cleanup,
    deskew,
    dewarp,
    grey_pattern,
    orientation,
    trueocr_engine,
)
from .engine import OcrEngine
from .model import PreparedPage, SourcePage

# Below this a line drifts by less than a third of a millimetre across an A4 page: turning the
# image would cost a full-page resampling and blur it for nothing.
MIN_ROTATION = 0.1


def prepare_page(page: SourcePage, engine: OcrEngine) -> PreparedPage:
    """Upright, level page; `orientation` and `skew` say what was undone (counter-clockwise degrees).

    A photographed paper is first found on the desk and set flat (ocr/capture.py), and once level
    and cleaned, its curl is undone (ocr/dewarp.py).
    The axis and skew come from projection profiles (ocr/deskew.py); trueocr's orientation model
    then looks at the page as they would set it and may turn it further. Profiles alone took the
    copier's black edge and drum streak on a photocopy for text running down the page. When the
    model is unsure, the upside-down test of ocr/orientation.py decides, as before.
    """
    assert page.image is not None, "born-digital pages are not prepared"
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    photo = capture.capture(page.image, page.dpi)
    image, dpi = (photo.image, photo.dpi) if photo else (page.image, page.dpi)
    seconds["capture"] = time.perf_counter() - t

    t = time.perf_counter()
    source = cleanup.crop_borders(image)
    grey = _without_pattern(source)
    vertical, skew = deskew.estimate_axis_and_skew(grey)
    turns = 1 if vertical else 0  # quarter turns counter-clockwise (np.rot90) that set the text upright
    seconds["deskew_estimate"] = time.perf_counter() - t

    t = time.perf_counter()
    blank = deskew.is_blank(grey)  # no text to turn by: neither the model nor Tesseract's OSD is asked
    more, across = (None, False) if blank else trueocr_engine.turn_of(_content(_as_set(grey, turns, skew)))
    if more is None and across:  # a card's MRZ fooled the profiles; which way up is the upside-down test's
        turns = (turns - 1) % 4
        skew = deskew.estimate_skew(np.ascontiguousarray(np.rot90(grey, turns)))
    elif more:
        turns = (turns - more) % 4
        if more % 2:  # the lines run the other way than the profiles said: measure their skew again
            skew = deskew.estimate_skew(np.ascontiguousarray(np.rot90(grey, turns)))
    seconds["orientation"] = time.perf_counter() - t

    t = time.perf_counter()
    image = np.ascontiguousarray(np.rot90(source, turns)) if turns else source
    if abs(skew) >= MIN_ROTATION:
        image = deskew.rotate(image, -skew)
    for_ocr = cleanup.clean_for_ocr(image)
    seconds["cleanup"] = time.perf_counter() - t
    if photo and not photo.card:  # a sheet on a desk curls; a card is stiff
        t = time.perf_counter()
        image, for_ocr = dewarp.straighten(image, for_ocr)
        seconds["dewarp"] = time.perf_counter() - t

    if more is None and not blank:
        t = time.perf_counter()
        if orientation.is_upside_down(engine, for_ocr, dpi):
            turns = (turns + 2) % 4
            image = np.ascontiguousarray(np.rot90(image, 2))
            for_ocr = np.ascontiguousarray(np.rot90(for_ocr, 2))
        seconds["orientation"] += time.perf_counter() - t

    return PreparedPage(index=page.index, dpi=dpi, display=image, for_ocr=for_ocr,
                        orientation=(-90 * turns) % 360, skew=skew, seconds=seconds)


def _without_pattern(source: np.ndarray) -> np.ndarray:
    """The page in grey to measure its axis and skew on: on security paper, without the guilloche,
    whose waves and lattice the profiles took for lines (a card copy's page was turned on its side,
    or levelled 6 degrees off). The pattern is looked for on every eighth pixel and dropped from every
    other one, where its thin lines keep their colour (the profiles are taken 1200 pixels wide).
    A pattern without colour (a black-and-white copy) is dropped by its structure instead."""
    if source.ndim == 3 and cleanup.green_pattern(source[::8, ::8]) is not None:
        half = np.ascontiguousarray(source[::2, ::2])
        return cleanup.drop_green_pattern(half, cleanup.to_grey(half))
    return grey_pattern.drop_grey_pattern(cleanup.to_grey(source))


def _content(small: np.ndarray) -> np.ndarray:
    """The part of the page that carries ink (with a margin): a card photocopied on an A4 sheet fills
    the orientation model's view instead of a speck of it, and the model is sure of it."""
    ink = small < min(128, int(cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[0]))
    ys, xs = np.nonzero(ink)
    if len(ys) < 50:
        return small
    (y0, y1), (x0, x1) = np.percentile(ys, [0.5, 99.5]).astype(int), np.percentile(xs, [0.5, 99.5]).astype(int)
    m = max(10, (y1 - y0) // 20)
    return small[max(0, y0 - m): y1 + m + 1, max(0, x0 - m): x1 + m + 1]


def _as_set(grey: np.ndarray, turns: int, skew: float) -> np.ndarray:
    """A small copy of the page turned and levelled as planned, for the orientation model."""
    small = deskew.shrink(grey, 1000)
    small = np.ascontiguousarray(np.rot90(small, turns)) if turns else small
    return deskew.rotate(small, -skew) if abs(skew) >= MIN_ROTATION else small
