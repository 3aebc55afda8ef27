"""Making a page easy to read for Tesseract: scanner borders cropped, grey, red seal ink
removed, lighting flattened."""
from __future__ import annotations

import weakref
from dataclasses import dataclass

import cv2
import numpy as np

from .grey_pattern import drop_grey_pattern


def to_grey(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)


def border_box(grey: np.ndarray, dark: int = 110, most: float = 0.15) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of the page inside the dark bands a scanner's lid or bed leaves.

    A band is a run of rows (or columns) from an edge that are dark on average; text rows never are.
    At most `most` of each side is cut, so a dark page is not cropped away.
    """
    h, w = grey.shape
    rows, cols = grey.mean(axis=1), grey.mean(axis=0)

    def run(values: np.ndarray, limit: int) -> int:
        n = 0
        while n < limit and values[n] < dark:
            n += 1
        return n

    top, bottom = run(rows, int(h * most)), run(rows[::-1], int(h * most))
    left, right = run(cols, int(w * most)), run(cols[::-1], int(w * most))
    return top, h - bottom, left, w - right


def crop_borders(image: np.ndarray) -> np.ndarray:
    top, bottom, left, right = border_box(to_grey(image))
    if (top, left) == (0, 0) and (bottom, right) == image.shape[:2]:
        return image
    return np.ascontiguousarray(image[top:bottom, left:right])


WHITE = 235  # mean grey from which a row or column is blank: paper, or what a rotation filled the corners with
EDGE_BAND = 0.005  # of the page's width (height): a copier's edge is 1-3%, a drum streak 3-9 pixels


def without_dark_edges(grey: np.ndarray, dark: int = 110, most: float = 0.15) -> np.ndarray | None:
    """The page with a copier's black edge painted white, or None when it has none. Slanted with the
    page, the edge was no band to crop_borders; levelled, it lies inside the white the rotation
    added. (Cropping it from every worn copy made Tesseract read them worse: its threshold leans on it.)"""
    out = None
    for axis in (0, 1):
        means = grey.mean(axis=axis)
        for reverse in (False, True):
            values = means[::-1] if reverse else means
            band = _dark_band(values, dark, int(len(values) * most))
            if band is None:
                continue
            start, end = (len(values) - band[1], len(values) - band[0]) if reverse else band
            out = grey.copy() if out is None else out
            (out if axis == 0 else out.T)[:, start:end] = 255  # columns, or (through the transpose) rows
    return out


def _dark_band(values: np.ndarray, dark: int, limit: int) -> tuple[int, int] | None:
    """(start, end) of a band of dark rows (columns) inside the blank ones at an edge, as wide as a
    copier's edge; None when there is none."""
    outside = 0
    while outside < limit and values[outside] >= WHITE:
        outside += 1
    dark_at = np.flatnonzero(values[outside:min(outside + 3, limit)] < dark)  # a rotation blurs its edge
    if not len(dark_at):
        return None
    start = end = outside + int(dark_at[0])
    while end < limit and values[end] < dark:
        end += 1
    return (start, end) if end - start >= EDGE_BAND * len(values) else None


RED = 40  # R above both G and B by this much: red ink


def redness(rgb: np.ndarray) -> np.ndarray:
    """How far each pixel's red stands above its green and blue (int16)."""
    return rgb[:, :, 0].astype(np.int16) - np.maximum(rgb[:, :, 1], rgb[:, :, 2]).astype(np.int16)


def drop_red_ink(rgb: np.ndarray) -> np.ndarray:
    """Grey page where red seal ink turns to paper but black text, even under the seal, stays.

    In the red channel red ink is as bright as paper, while black ink stays dark.
    Only clearly red pixels take that value, so blue ink and grey shading are untouched.
    """
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    red = redness(rgb) > RED
    if not red.any():
        return grey
    out = grey.copy()
    out[red] = rgb[:, :, 0][red]
    return out


GREEN = 5  # G above both R and B by this much: a pixel of a green security pattern
PALE = 60  # ... whose brightest channel is above this: pattern, not black print crossing it
PATTERNED = 0.03  # share of such pixels from which a page counts as printed on security paper
STRONG_GREEN = 12  # ... when this share of it is also this green: else it is a pale tint, no pattern


def green_pattern(rgb: np.ndarray) -> np.ndarray | None:
    """Where a security paper's green guilloche lies, or None on a page without one."""
    r, g, b = (rgb[:, :, k].astype(np.int16) for k in range(3))
    greenness = g - np.maximum(r, b)
    pattern = (greenness > GREEN) & (g > PALE)
    if pattern.mean() < PATTERNED or (greenness > STRONG_GREEN).mean() < PATTERNED:
        return None
    return pattern


def drop_green_pattern(rgb: np.ndarray, grey: np.ndarray) -> np.ndarray:
    """`grey` with a security paper's green guilloche turned to paper. The pattern's lines are green
    (G above R and B) and not dark in their brightest channel (`_pattern_floor`), while black print,
    even where it crosses the pattern, is dark in every channel; a red seal is red, and a warm colour cast or
    yellowed paper has R above G, so neither is touched. Tesseract took the pattern for a picture
    and read nothing of the page (100% CER) until it was gone. A pale green tint (an id card's
    ground) is no pattern: flatten_lighting lifts it, while wiping it ate the anti-aliased edges of
    the card's small print (a photographed card read at 28% CER, at 5% with them)."""
    pattern = green_pattern(rgb)
    if pattern is None:
        return grey
    brightest = rgb.max(axis=2)
    out = grey.copy()
    out[pattern & (brightest >= _pattern_floor(brightest[pattern]))] = 255
    return _drop_darkened_red(rgb, out)


BLURRED_INK = 40  # grey levels below the pattern's darkest lines from which a green pixel is print


def _pattern_floor(brightest: np.ndarray) -> int:
    """The brightest channel under which a green pixel is print, not pattern. On a scan the pattern's
    lines reach down to a dark green and black print is dark in every channel (PALE). In a phone
    photo the pattern is blurred to a light tint, and so are the edges and the thin strokes of the
    print on it: they are a dark green too, and wiping them broke the print apart."""
    counts = np.cumsum(np.bincount(brightest, minlength=256))
    fifth = int(np.searchsorted(counts, 0.05 * counts[-1]))  # the 5th percentile
    return max(PALE, fifth - BLURRED_INK)


DARK_RED = 20  # R above G and B by this much: red ink, even where the pattern under it darkened it
NEUTRAL = 20  # spread of a pixel's channels from which it is coloured ink, not black print
OUTLINE = 160  # grey level under which what is left beside a seal's strokes is their outline
SEAL_RADIUS = (0.05, 0.12)  # of the page's shorter side: a round seal's (18 mm on A4's 210 mm)
INNER_RING = 0.72  # a seal's inner ring's radius over its outer one's
RING_INKED = 0.5  # share of a circle's length on red ink from which it is a seal's ring
SEAL_MARGIN = 1.1  # the disc cleared reaches this far past the seal's outer ring


def _drop_darkened_red(rgb: np.ndarray, grey: np.ndarray) -> np.ndarray:
    """`grey` without the round red seals stamped over a green pattern. Ink multiplies: red over
    green is a dark maroon (84, 31, 28), too dark in the red channel for drop_red_ink, and Tesseract
    took the seal with the signer's name inside it for a picture and read neither. Only round seals
    go: other red print on the pattern (a specimen card's watermark) crosses black print, whose
    strokes would lose their edges. Black print under a seal stays: it is dark in every channel alike."""
    red = redness(rgb) > DARK_RED
    out = grey.copy()
    for x, y, r in _seal_discs(red):
        top, left = max(0, y - r), max(0, x - r)
        area = (slice(top, y + r + 1), slice(left, x + r + 1))
        disc = np.zeros(out[area].shape, np.uint8)
        cv2.circle(disc, (x - left, y - top), r, 1, -1)
        out[area] = _without_seal_ink(rgb[area], out[area], red[area] & disc.astype(bool))
    return out


def _without_seal_ink(rgb: np.ndarray, grey: np.ndarray, red: np.ndarray) -> np.ndarray:
    """`grey` with the seal's red ink (`red`) and its outline turned to paper."""
    # JPEG keeps colour at half resolution: the pixels along a red stroke's edges are dark and nearly
    # grey. The strokes grown by a pixel take them in; what is still left beside them is an outline
    # a pixel or two thin, which an opening removes while letters' strokes are thicker.
    red = cv2.dilate(red.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    spread = rgb.max(axis=2).astype(np.int16) - rgb.min(axis=2)
    seal = red & (spread >= NEUTRAL)
    out = grey.copy()
    out[seal] = 255
    beside = cv2.dilate(seal.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool) & ~seal
    dark = (out < OUTLINE).astype(np.uint8)
    thick = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)).astype(bool)
    out[beside & dark.astype(bool) & ~thick] = 255
    return out


def _seal_discs(red: np.ndarray) -> list[tuple[int, int, int]]:
    """(x, y, radius) of the round seals on a mask of red ink: circles (Hough's, on a quarter-size
    copy) most of whose length is inked, each reaching past the seal's outer ring."""
    h, w = red.shape
    f = 4
    small = cv2.resize(red.astype(np.uint8) * 255, (w // f, h // f), interpolation=cv2.INTER_AREA)
    side = min(h, w) / f
    found = cv2.HoughCircles(cv2.GaussianBlur(small, (5, 5), 0), cv2.HOUGH_GRADIENT, dp=1, minDist=side * 0.2,
                             param1=100, param2=20, minRadius=int(side * SEAL_RADIUS[0]),
                             maxRadius=int(side * SEAL_RADIUS[1]))
    if found is None:
        return []
    inked = cv2.dilate((small > 40).astype(np.uint8), np.ones((3, 3), np.uint8))

    def on_ink(x: float, y: float, r: float) -> float:
        t = np.linspace(0, 2 * np.pi, 180, endpoint=False)
        xs = np.clip((x + r * np.cos(t)).round().astype(int), 0, inked.shape[1] - 1)
        ys = np.clip((y + r * np.sin(t)).round().astype(int), 0, inked.shape[0] - 1)
        return float(inked[ys, xs].mean())

    # Whichever ring was found, the disc reaches past the outer one.
    return [(round(x * f), round(y * f), round(SEAL_MARGIN * r / INNER_RING * f)) for x, y, r in found[0][:4]
            if on_ink(x, y, r) >= RING_INKED]


EVEN_LIGHT = 24  # grey levels between the brightest and darkest paper below which light counts as even


def flatten_lighting(grey: np.ndarray) -> np.ndarray:
    """Divide by the paper's brightness so shadows and uneven light become white."""
    h, w = grey.shape
    scale = 0.25
    small = cv2.resize(grey, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
    # Closing removes the ink (narrower than the kernel) and leaves the paper's light.
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (15, 15)))
    paper = cv2.GaussianBlur(paper, (0, 0), 5)
    if int(paper.max()) - int(paper.min()) < EVEN_LIGHT:
        return grey
    paper = cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(grey, np.maximum(paper, 1), scale=255)


STREAK = 0.85  # a column whose paper is this much darker than its neighbours' lies under a streak


def even_out_streaks(grey: np.ndarray) -> np.ndarray:
    """Lift narrow dark vertical bands (a photocopier drum's streak) to the paper of their neighbours.

    In each column most pixels are paper, so a high percentile is the column's paper level; a band of
    columns much darker than the columns around it is brightened by the ratio, ink and all."""
    paper = np.percentile(grey[::4], 80, axis=0).astype(np.float32)  # every fourth row is plenty
    around = cv2.medianBlur(np.clip(paper, 0, 255).astype(np.uint8)[None, :], 31)[0].astype(np.float32)
    ratio = paper / np.maximum(around, 1)
    streak = ratio < STREAK
    if not streak.any() or streak.mean() > 0.05:  # nothing, or a dark page rather than a streak
        return grey
    gain = np.where(streak, 1 / np.maximum(ratio, 0.2), 1.0).astype(np.float32)
    return np.clip(grey.astype(np.float32) * gain[None, :], 0, 255).astype(np.uint8)


def letter_height(ink: np.ndarray) -> float | None:
    """The median height of the letters on a binary ink image (1 = ink), from its pieces of ink of a
    letter's size; None when there are too few to tell."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights = stats[1:count, cv2.CC_STAT_HEIGHT]
    widths = stats[1:count, cv2.CC_STAT_WIDTH]
    letters = heights[(heights >= 8) & (heights <= 200) & (widths <= 3 * heights)]
    return float(np.median(letters)) if len(letters) >= 50 else None


SPECK = 6  # pixels of ink: smaller than the dot of an i or of ạ at 200 dpi
SPECKLED = 0.3  # share of the ink's pieces that are specks: ~0 on a scan, 0.7-0.85 on a worn copy
SPECK_ROOM = 3  # pixels: a speck this close beside a letter may be part of it (a broken thin stroke)
SURVEY_MIN_HEIGHT = 400  # pixels: a smaller page is surveyed whole
MARK_ROOM = 0.4  # letter heights: a speck this far above or below a letter may be its tone mark or dot


@dataclass(frozen=True)
class InkPieces:
    """The page's ink cut into connected pieces."""

    labels: np.ndarray  # label image, 0 for paper
    speck: np.ndarray  # per label: whether the piece is a speck
    letter_height: float  # median height in pixels of the pieces that are no speck: the print's size

    @property
    def speckled(self) -> bool:
        """Whether most pieces are toner specks: a worn copy."""
        return bool(self.speck[1:].mean() >= SPECKLED)


def ink_pieces(grey: np.ndarray) -> InkPieces | None:
    """The page's ink pieces, or None for a page without ink."""
    _, ink = cv2.threshold(grey, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if count < 2:
        return None
    speck = stats[:, cv2.CC_STAT_AREA] <= SPECK
    speck[0] = False
    letters = stats[1:, cv2.CC_STAT_HEIGHT][~speck[1:]]
    return InkPieces(labels, speck, float(np.median(letters)) if letters.size else 0.0)


def survey(grey: np.ndarray) -> InkPieces | None:
    """The ink pieces of the middle half of the page's height: enough to tell a worn copy and the
    print's size, at half the cost of the whole page (each page is surveyed up to three times: by
    each engine, and for the worn copy's marks)."""
    h = grey.shape[0]
    return ink_pieces(grey[h // 4: h - h // 4] if h >= SURVEY_MIN_HEIGHT else grey)


_SPECKLED: dict[int, bool] = {}  # id of a live page image -> its verdict; the entry leaves with the image


def speckled(grey: np.ndarray) -> bool:
    """Whether most pieces of ink on the page are toner specks: a worn copy.

    Asked of the same page image by each engine and by the recognizer, the survey is made once while
    that image lives (a survey is a tenth of a second; page images are not changed in place)."""
    key = id(grey)
    verdict = _SPECKLED.get(key)
    if verdict is None:
        pieces = survey(grey)
        verdict = _SPECKLED[key] = pieces is not None and pieces.speckled
        weakref.finalize(grey, _SPECKLED.pop, key, None)
    return verdict


def without_lone_specks(grey: np.ndarray) -> np.ndarray:
    """A worn copy's toner specks turned to paper, when the page is speckled. A speck next to a letter
    is kept, since a thinned stroke breaks into pieces as small, and so is one just above or below a
    letter, where a faded tone mark or dot below is left as small (sparing them took a worn copy from
    4.8% to 2.2% CER). Tesseract read the specks between lines as letters and lost whole lines to them
    (a copy at 54% CER read at 3% without them)."""
    if not speckled(grey):
        return grey
    pieces = ink_pieces(grey)
    if pieces is None:
        return grey
    labels, speck = pieces.labels, pieces.speck
    letters = (~speck[labels]) & (labels > 0)
    above_below = max(SPECK_ROOM, round(MARK_ROOM * pieces.letter_height))
    room = np.ones((2 * above_below + 1, 2 * SPECK_ROOM + 1), np.uint8)
    near = cv2.dilate(letters.astype(np.uint8), room).astype(bool)
    out = grey.copy()
    out[speck[labels] & ~near] = 255
    return out


def clean_for_ocr(image: np.ndarray) -> np.ndarray:
    """The page the engines read: red ink and green security patterns dropped, a copier's streaks
    lifted, light flattened. Lone toner specks are removed by the Tesseract engines alone
    (`without_lone_specks`): trueocr reads a worn copy better with them (2.6% CER against 5%)."""
    grey = drop_green_pattern(image, drop_red_ink(image)) if image.ndim == 3 else image
    return drop_grey_pattern(flatten_lighting(even_out_streaks(grey)))
