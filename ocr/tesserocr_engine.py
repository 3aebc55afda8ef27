"""Tesseract in-process through tesserocr (its C API): the OCR engine the service reads pages with.

pytesseract (ocr/tesseract.py) starts a `tesseract` process for every call, which loads the model
and reads the image back from a file; a page costs ~0.13 s of that before any recognition, and a page
makes several calls (the page, the re-reads of small print and dates, the orientation check). Here
each thread keeps its loaded models and hands the image over in memory. The wheel carries its own
libtesseract; the models are Debian's (tesseract-ocr-vie, -eng, -osd). Options match the CLI engine,
plus `tessedit_do_invert=0`: Tesseract would otherwise try every doubtful line again inverted (white
on black), which our pages never are after cleanup, for ~15% of the page's time.

The only module that imports tesserocr.
"""
from __future__ import annotations

import re
import subprocess
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import tesserocr
from PIL import Image

from .cleanup import without_lone_specks
from .model import Word
from .tesseract import MACHINE_LANG, TesseractEngine

IN_PROCESS_MAX_PIXELS = 9_500_000  # A4 at 300 dpi is 8.7 MP; larger pages are read by a tesseract process

_TESSDATA_CANDIDATES = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                        "/usr/share/tessdata", "/usr/local/share/tessdata")


@lru_cache(maxsize=1)
def tessdata_dir() -> str:
    """Where the installed models are: the `tesseract` command's own answer, else the usual places."""
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=10).stdout
        found = re.search(r'"([^"]+)"', out)
        if found and Path(found.group(1)).is_dir():
            return found.group(1).rstrip("/") + "/"
    except (OSError, subprocess.SubprocessError):
        pass
    for candidate in _TESSDATA_CANDIDATES:
        if (Path(candidate) / "osd.traineddata").exists() or any(Path(candidate).glob("*.traineddata")):
            return candidate + "/"
    raise FileNotFoundError("no Tesseract models (tessdata) found; install tesseract-ocr-vie")


def _text(source, *level) -> str:
    """The recognised text; tesserocr raises "No text returned" where Tesseract found a box but no text."""
    try:
        return source.GetUTF8Text(*level) or ""
    except RuntimeError:
        return ""


def _read_words(api: tesserocr.PyTessBaseAPI) -> list[Word]:
    """The recognised words, numbered as Tesseract's TSV does: blocks over the page, paragraphs in a
    block, lines in a paragraph."""
    words: list[Word] = []
    block = par = line = 0
    iterator = api.GetIterator()
    level = tesserocr.RIL.WORD
    if iterator is None:
        return words
    for item in tesserocr.iterate_level(iterator, level):
        if item.IsAtBeginningOf(tesserocr.RIL.BLOCK):
            block, par, line = block + 1, 0, 0
        if item.IsAtBeginningOf(tesserocr.RIL.PARA):
            par, line = par + 1, 0
        if item.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
            line += 1
        text = unicodedata.normalize("NFC", _text(item, level).strip())
        box = item.BoundingBox(level)
        if not text or box is None:
            continue
        x1, y1, x2, y2 = box
        words.append(Word(text=text, left=x1, top=y1, width=x2 - x1, height=y2 - y1,
                          conf=float(item.Confidence(level)), block=block, par=par, line=line))
    return words


@dataclass(frozen=True)
class TesserocrEngine:
    lang: str = "vie"
    name: str = "tesseract"
    _local: threading.local = field(default_factory=threading.local, compare=False, repr=False)

    def _api(self, lang: str, psm: int) -> tesserocr.PyTessBaseAPI:
        """This thread's API for `lang`, loaded once (an API is not shared between threads; one per
        language, not per mode, so that each model is in memory once a thread), set to mode `psm`."""
        apis = self._local.__dict__.setdefault("apis", {})
        api = apis.get(lang)
        if api is None:
            api = tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang=lang, psm=psm, oem=tesserocr.OEM.LSTM_ONLY)
            api.SetVariable("tessedit_do_invert", "0")
            apis[lang] = api
        api.SetPageSegMode(psm)
        return api

    def _run(self, api: tesserocr.PyTessBaseAPI, grey: np.ndarray, dpi: float) -> None:
        api.SetImage(Image.fromarray(np.ascontiguousarray(grey)))
        api.SetSourceResolution(max(70, round(dpi)))
        api.Recognize()

    def words(self, grey: np.ndarray, dpi: float) -> list[Word]:
        if grey.size > IN_PROCESS_MAX_PIXELS:
            # Tesseract's working copies of a page grow with it; in a process of its own they are
            # freed with it, and the worker stays small (a 12 MP page peaked at 504 MB in-process).
            return TesseractEngine(lang=self.lang).words(grey, dpi)
        api = self._api(self.lang, tesserocr.PSM.AUTO)
        self._run(api, without_lone_specks(grey), dpi)
        try:
            return _read_words(api)
        finally:
            api.Clear()  # the page's image and layout, held until the next call otherwise

    def line(self, grey: np.ndarray, dpi: float) -> str:
        api = self._api(self.lang, tesserocr.PSM.SINGLE_LINE)
        self._run(api, grey, dpi)
        return unicodedata.normalize("NFC", _text(api).strip())

    def machine_text(self, grey: np.ndarray, dpi: float, alphabet: str) -> str:
        api = self._api(MACHINE_LANG, tesserocr.PSM.SINGLE_BLOCK)
        api.SetVariable("tessedit_char_whitelist", alphabet)
        try:
            self._run(api, grey, dpi)
            return _text(api)
        finally:
            api.SetVariable("tessedit_char_whitelist", "")

    def orientation(self, grey: np.ndarray, dpi: float) -> tuple[int, float]:
        api = self._api("osd", tesserocr.PSM.OSD_ONLY)
        api.SetImage(Image.fromarray(np.ascontiguousarray(grey)))
        api.SetSourceResolution(max(70, round(dpi)))
        found = api.DetectOrientationScript()
        if not found:
            return 0, 0.0  # too little text to tell
        # Tesseract reports the page's orientation; the clockwise turn that makes it upright is its opposite.
        return (360 - int(found["orient_deg"])) % 360, float(found["orient_conf"])
