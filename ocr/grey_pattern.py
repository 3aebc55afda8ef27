"""A security paper's guilloche where its colour is gone: a black-and-white copy or a grey scan of a
birth certificate. Told apart by its structure, not its colour.

The pattern is thin lines of a middle grey over the whole page, margins and all, while text is dark
and covers a small share of it. On a page with its light flattened (cleanup.flatten_lighting), the
share of thin middle-grey pixels is 35-50% on such copies, and at most 10% on any other generated
page (worn copies, photos and scans of every level). Tesseract took the pattern for pictures: a
grey copy was read at 20 s a page, by trueocr for the most part.
"""
from __future__ import annotations

import cv2
import numpy as np

MIDDLE = (90, 225)  # grey levels of the pattern's lines on flattened paper; text is darker
THIN = 20  # darker than the light around it (a 5-pixel closing) by this much: a thin line or stroke
PATTERNED = 0.2  # share of thin middle-grey pixels from which the page is printed on a pattern
CORE = 45  # text's strokes are darker than this at their core; where two lines cross is not


def thin_middle_grey(grey: np.ndarray) -> np.ndarray:
    """Pixels of a middle grey on thin dark lines."""
    lines = cv2.morphologyEx(grey, cv2.MORPH_BLACKHAT, np.ones((5, 5), np.uint8)) > THIN
    return lines & (grey > MIDDLE[0]) & (grey < MIDDLE[1])


def is_patterned(grey: np.ndarray) -> bool:
    """Whether the page is printed on a guilloche, judged on every other pixel."""
    return grey.size > 0 and float(thin_middle_grey(grey[::2, ::2]).mean()) >= PATTERNED


def drop_grey_pattern(grey: np.ndarray) -> np.ndarray:
    """`grey` with a colourless guilloche turned to paper; the page unchanged when it has none.

    What is kept is each piece of ink darker than the pattern's lines that holds a dark core, with
    the grey edges around it: a letter or a tone mark. Where two lines of the pattern cross, they
    are as dark as ink but have no core (ink multiplies: two lines of grey 123 cross at 59)."""
    if not is_patterned(grey):
        return grey
    ink = (grey < MIDDLE[0]).astype(np.uint8)
    count, labels = cv2.connectedComponents(ink, connectivity=8)
    cored = np.zeros(count, bool)
    cored[labels[grey < CORE]] = True
    cored[0] = False
    kept = cv2.dilate(cored[labels].astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    out = grey.copy()
    out[~kept] = 255
    return out
