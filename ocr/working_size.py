"""Large print read at a working size.

Tesseract's time grows with the page's pixels (binarising it, finding its lines and words), while
its reading does not: the LSTM sees every line scaled to a fixed height anyway. A 300 dpi scan of
13-14 point print has ink pieces about 30 pixels tall. Read with them at 24 pixels, held-out pages
of levels L0-L3 and L6 came out as well (0.08% CER against 0.07%), and a clean page took 0.95 of
plain Tesseract's time instead of 1.12-1.23. The aim is 22: at 24 a header's 'CTr' came out
'CTIT' on one page, at 20 a date's 10 came out 40, while 22 and full size read both right.
Small print is read at its own size, and enlarged again by
ocr/small_print.py; a worn copy is read at full size, since its faded marks are a few pixels
already; a photo keeps the scale its capture set (ocr/recognize.py). Words come back with boxes in
the page's pixels.
"""
from __future__ import annotations

import cv2
import numpy as np

from .cleanup import InkPieces, survey
from .engine import OcrEngine
from .model import Word

LETTER_PX = 22  # median height of the ink's pieces aimed for: capitals of about 30 pixels
MIN_SCALE = 0.5
WORTH_IT = 0.9  # a smaller shrink saves too little to be worth a resampling


def working_scale(pieces: InkPieces | None) -> float:
    """How much to shrink the page for reading: 1.0 for small print, a worn copy or a page without ink."""
    if pieces is None or pieces.speckled or pieces.letter_height <= 0:
        return 1.0
    scale = max(MIN_SCALE, LETTER_PX / pieces.letter_height)
    return scale if scale < WORTH_IT else 1.0


def read_words(engine: OcrEngine, grey: np.ndarray, dpi: float) -> list[Word]:
    """The page's words as `engine` reads them at the working size, boxed in the page's pixels."""
    scale = working_scale(survey(grey))
    if scale == 1.0:
        return engine.words(grey, dpi)
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return [w.unscaled(scale) for w in engine.words(small, dpi * scale)]
