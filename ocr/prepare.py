"""Orientation, deskew and cleanup of one page."""
from __future__ import annotations

import time

import numpy as np

from . import cleanup, deskew, orientation
from .engine import OcrEngine
from .model import PreparedPage, SourcePage

# Below this a line drifts by less than a third of a millimetre across an A4 page: turning the
# image would cost a full-page resampling and blur it for nothing.
MIN_ROTATION = 0.1


def prepare_page(page: SourcePage, engine: OcrEngine) -> PreparedPage:
    """Upright, level page; `orientation` and `skew` say what was undone (counter-clockwise degrees)."""
    assert page.image is not None, "born-digital pages are not prepared"
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    source = cleanup.crop_borders(page.image)
    grey = cleanup.to_grey(source)
    vertical, skew = deskew.estimate_axis_and_skew(grey)
    seconds["deskew_estimate"] = time.perf_counter() - t

    t = time.perf_counter()
    # np.rot90 turns counter-clockwise: text that ran down the scan is now upright or upside down.
    image = np.ascontiguousarray(np.rot90(source)) if vertical else source
    if abs(skew) >= MIN_ROTATION:
        image = deskew.rotate(image, -skew)
    for_ocr = cleanup.clean_for_ocr(image)
    seconds["cleanup"] = time.perf_counter() - t

    t = time.perf_counter()
    upside_down = orientation.is_upside_down(engine, for_ocr, page.dpi)
    if upside_down:
        image = np.ascontiguousarray(np.rot90(image, 2))
        for_ocr = np.ascontiguousarray(np.rot90(for_ocr, 2))
    seconds["orientation"] = time.perf_counter() - t

    turned = ((270 if vertical else 0) + (180 if upside_down else 0)) % 360
    return PreparedPage(index=page.index, dpi=page.dpi, display=image, for_ocr=for_ocr,
                        orientation=turned, skew=skew, seconds=seconds)
