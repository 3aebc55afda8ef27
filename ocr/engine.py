"""The OCR engine interface: what the page stages ask of a recogniser.

`ocr/tesserocr_engine.py` implements it with Tesseract in-process (the default),
`ocr/tesseract.py` with a Tesseract process per call, `ocr/trueocr_engine.py` with trueocr's ONNX
models, and `ocr/combine.py` with two of them read line by line; tests replay stored word lists
through it (tests/fakes.py). Another engine plugs in here: implement these four methods.
"""
from __future__ import annotations

from typing import Protocol

import numpy as np

from .model import Word


class OcrEngine(Protocol):
    name: str

    def words(self, grey: np.ndarray, dpi: float) -> list[Word]:
        """Every word of a page (or of a part of one) in reading order: NFC text, a box in the image's
        pixels, a confidence from 0 to 100, and block, paragraph and line numbers."""

    def line(self, grey: np.ndarray, dpi: float) -> str:
        """The text of an image holding one line of print."""

    def machine_text(self, grey: np.ndarray, dpi: float, alphabet: str) -> str:
        """Lines of machine-readable print (an ICAO zone) using only the characters of `alphabet`."""

    def orientation(self, grey: np.ndarray, dpi: float) -> tuple[int, float]:
        """(clockwise degrees to turn the image upright: 0, 90, 180 or 270; confidence).
        (0, 0.0) when there is too little text to tell."""
