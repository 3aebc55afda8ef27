"""trueocr: the second OCR engine, and the page orientation model the pipeline asks first.

trueocr (PyPI, Apache-2.0, pinned in pyproject.toml) carries four small ONNX models in its wheel: a
text-line detector, a CTC recogniser with the whole Vietnamese alphabet, a quarter-turn orientation
classifier and a reading-order model. They run on the CPU with onnxruntime, one thread each, and
need no network. We use its pieces, not its `TrueOCR.predict`: the page it is given is already
upright, level and cleaned by our own stages, so its own deskew would only cost time.

It reads damaged pages (photocopies, photos) far better than Tesseract, but slips on diacritics
of clean print; ocr/combine.py takes each line from the engine that read it better.
It gives boxes per line, not per word: word boxes are cut from the line's own ink gaps.

The only module that imports trueocr.
"""
from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import trueocr
from trueocr.page import VERTICAL, PageEngine, orient_input
from trueocr.recognizer import Recognizer

from .model import Word

MODELS = Path(trueocr.__file__).parent / "models"
SURE_TURN = 0.95  # the classifier's probability above which its quarter turn is taken
VERSION = trueocr.__version__

_lock = threading.Lock()
_models: tuple[PageEngine, Recognizer] | None = None


def _loaded() -> tuple[PageEngine, Recognizer]:
    """The models, loaded once per process (onnxruntime sessions may be shared between threads)."""
    global _models
    with _lock:
        if _models is None:
            _models = (PageEngine(MODELS, threads=1), Recognizer(MODELS, threads=1))
        return _models


def quarter_turns(grey: np.ndarray) -> int | None:
    """Quarter turns counter-clockwise that the text on a level page is turned by (0–3), or None when
    the classifier is not sure. `np.rot90(grey, -k)` sets it upright."""
    return turn_of(grey)[0]


def turn_of(grey: np.ndarray) -> tuple[int | None, bool]:
    """(quarter_turns, whether the classifier is sure the lines run up and down though not which way
    up: the page then wants a quarter turn, and the upside-down test says which)."""
    page, _ = _loaded()
    p = page.orient.run(None, {"x": orient_input(grey)[None, None]})[0][0]
    k = int(p.argmax())
    return (k if k != VERTICAL and p[k] >= SURE_TURN else None), float(p[1] + p[3]) >= SURE_TURN


@dataclass
class Line:
    """One line the detector found and the recogniser read: box in page pixels, confidence 0–100."""

    text: str
    left: int
    top: int
    right: int
    bottom: int
    conf: float
    words: list[Word] = field(default_factory=list)


def read_lines(grey: np.ndarray) -> list[Line]:
    """Every text line of an upright, level grey page, in reading order, with its words."""
    page, recognizer = _loaded()
    h, w = grey.shape
    boxes = []
    for x0, y0, x1, y1, _score in page.detect(grey):
        box = (max(0, int(x0)), max(0, int(y0)), min(w, int(np.ceil(x1))), min(h, int(np.ceil(y1))))
        if box[2] > box[0] and box[3] > box[1]:
            boxes.append(box)
    if not boxes:
        return []
    predictions = recognizer.predict([grey[t:b, left:r] for left, t, r, b in boxes])
    order = page.reading_order(np.asarray(boxes, np.float32).reshape(-1, 4), [p.text for p in predictions], (w, h))
    lines = []
    for n, i in enumerate(order):
        left, top, right, bottom = boxes[i]
        text = unicodedata.normalize("NFC", predictions[i].text)
        if not text:
            continue
        line = Line(text, left, top, right, bottom, round(100 * predictions[i].confidence, 1))
        line.words = word_boxes(grey, line, block=n + 1)
        lines.append(line)
    return lines


def word_boxes(grey: np.ndarray, line: Line, *, block: int, par: int = 1, number: int = 1) -> list[Word]:
    """The line's words with boxes: the widest gaps in its ink, one fewer than the words, cut it; where
    the ink does not show that many gaps, the line is shared out by characters."""
    texts = line.text.split()
    crop = grey[line.top:line.bottom, line.left:line.right]
    width = line.right - line.left
    cuts = _ink_gaps(crop, len(texts) - 1) if len(texts) > 1 and crop.size else None
    if cuts is None:
        total = sum(len(t) + 1 for t in texts) - 1 or 1
        cuts, at = [], 0
        for t in texts[:-1]:
            at += len(t) + 1
            cuts.append((round(width * (at - 1) / total), round(width * at / total)))
    bounds = [0, *(x for gap in cuts for x in gap), width]  # word i runs from bounds[2i] to bounds[2i+1]
    words = []
    for i, text in enumerate(texts):
        start, end = int(bounds[2 * i]), max(int(bounds[2 * i]) + 1, int(bounds[2 * i + 1]))
        words.append(Word(text=text, left=line.left + start, top=line.top, width=end - start,
                          height=line.bottom - line.top, conf=line.conf, block=block, par=par, line=number))
    return words


def _ink_gaps(crop: np.ndarray, wanted: int) -> list[tuple[int, int]] | None:
    """The `wanted` widest runs of ink-free columns inside the line, left to right, or None."""
    _, ink = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    columns = ink.sum(axis=0) > max(1, 0.04 * crop.shape[0])  # a toner speck does not fill a gap
    inked = np.flatnonzero(columns)
    if len(inked) < 2:
        return None
    inside = ~columns[inked[0]:inked[-1] + 1]
    edges = np.flatnonzero(np.diff(np.r_[0, inside.astype(np.int8), 0]))
    gaps = [(a + inked[0], b + inked[0]) for a, b in zip(edges[::2], edges[1::2])]
    if len(gaps) < wanted:
        return None
    widest = sorted(sorted(gaps, key=lambda g: g[1] - g[0], reverse=True)[:wanted])
    # A word gap is wider than the gaps between letters; if the chosen ones are not, the ink lies.
    if wanted and min(b - a for a, b in widest) < 0.15 * crop.shape[0]:
        return None
    return widest


@dataclass(frozen=True)
class TrueOcrEngine:
    """trueocr behind the engine interface (ocr/engine.py)."""

    name: str = f"trueocr-{VERSION}"

    def words(self, grey: np.ndarray, dpi: float) -> list[Word]:
        return [w for line in read_lines(grey) for w in line.words]

    def line(self, grey: np.ndarray, dpi: float) -> str:
        _, recognizer = _loaded()
        return unicodedata.normalize("NFC", recognizer.predict([grey])[0].text)

    def machine_text(self, grey: np.ndarray, dpi: float, alphabet: str) -> str:
        allowed = set(alphabet)
        return "\n".join("".join(c for c in line.text.upper() if c in allowed) for line in read_lines(grey))

    def orientation(self, grey: np.ndarray, dpi: float) -> tuple[int, float]:
        k = quarter_turns(grey)
        # Our convention: clockwise degrees to turn the image upright.
        return (0, 0.0) if k is None else ((90 * k) % 360, 1.0)
