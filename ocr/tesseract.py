"""Tesseract through pytesseract: the OCR engine (ocr/engine.py) the service reads pages with.

The only module that imports pytesseract; every Tesseract option is set here. OMP_THREAD_LIMIT=1
is set once at process start (common.runtime.limit_threads): pages run in parallel instead.
"""
from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import cv2
import numpy as np
import pytesseract

from .cleanup import without_lone_specks
from .model import Word

OEM_LSTM = 1
PSM_AUTO = 3  # a whole page: find the blocks and lines
PSM_BLOCK = 6  # one uniform block of text (the machine-readable zone)
PSM_LINE = 7  # a single line
PSM_OSD = 0  # orientation and script detection only
MACHINE_LANG = "eng"  # machine-readable zones are Latin capitals, digits and '<'


@contextmanager
def _image_file(image: np.ndarray) -> Iterator[str]:
    """The image as an uncompressed temporary file: milliseconds, where pytesseract's PNG costs
    a few hundred."""
    fd, path = tempfile.mkstemp(suffix=".pgm" if image.ndim == 2 else ".ppm", prefix="digitize-")
    os.close(fd)
    try:
        cv2.imwrite(path, image)
        yield path
    finally:
        Path(path).unlink(missing_ok=True)


_OSD_ROTATE = re.compile(r"Rotate:\s+(\d+)")
_OSD_CONF = re.compile(r"Orientation confidence:\s+([\d.]+)")


@dataclass(frozen=True)
class TesseractEngine:
    lang: str = "vie"
    name: str = "tesseract"

    def _config(self, psm: int, dpi: float, extra: str = "") -> str:
        return f"--oem {OEM_LSTM} --psm {psm} --dpi {round(dpi)} {extra}".strip()

    def words(self, grey: np.ndarray, dpi: float) -> list[Word]:
        with _image_file(without_lone_specks(grey)) as path:
            data = pytesseract.image_to_data(path, lang=self.lang, config=self._config(PSM_AUTO, dpi),
                                             output_type=pytesseract.Output.DICT)
        words = []
        for i, text in enumerate(data["text"]):
            text = unicodedata.normalize("NFC", text.strip())
            if not text:
                continue
            words.append(Word(text=text, left=data["left"][i], top=data["top"][i], width=data["width"][i],
                              height=data["height"][i], conf=float(data["conf"][i]), block=data["block_num"][i],
                              par=data["par_num"][i], line=data["line_num"][i]))
        return words

    def line(self, grey: np.ndarray, dpi: float) -> str:
        with _image_file(grey) as path:
            text = pytesseract.image_to_string(path, lang=self.lang, config=self._config(PSM_LINE, dpi))
        return unicodedata.normalize("NFC", text.strip())

    def machine_text(self, grey: np.ndarray, dpi: float, alphabet: str) -> str:
        with _image_file(grey) as path:
            return pytesseract.image_to_string(
                path, lang=MACHINE_LANG, config=self._config(PSM_BLOCK, dpi, f"-c tessedit_char_whitelist={alphabet}"))

    def orientation(self, grey: np.ndarray, dpi: float) -> tuple[int, float]:
        with _image_file(grey) as path:
            try:
                out = pytesseract.image_to_osd(path, config=f"--psm {PSM_OSD} --dpi {round(dpi)}")
            except pytesseract.TesseractError:
                return 0, 0.0  # too little text to tell
        rotate = _OSD_ROTATE.search(out)
        conf = _OSD_CONF.search(out)
        return (int(rotate.group(1)) if rotate else 0), (float(conf.group(1)) if conf else 0.0)
