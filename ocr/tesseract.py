"""Tesseract through pytesseract: words with boxes and confidences, orientation (OSD)."""
from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

import cv2
import numpy as np
import pytesseract

from .model import Word

# Tesseract's own threads fight over the two cores; pages run in parallel instead.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

LANG = os.environ.get("DIGITIZE_OCR_LANG", "vie")


def _write_temp(image: np.ndarray, suffix: str = ".pgm") -> str:
    # An uncompressed file costs milliseconds; pytesseract's default PNG costs a few hundred.
    fd, path = tempfile.mkstemp(suffix=suffix, prefix="digitize-")
    os.close(fd)
    cv2.imwrite(path, image)
    return path


def recognize(grey: np.ndarray, dpi: float, lang: str = LANG) -> list[Word]:
    """Words in reading order, NFC text, boxes in the image's pixels."""
    path = _write_temp(grey)
    try:
        data = pytesseract.image_to_data(
            path, lang=lang, config=f"--oem 1 --psm 3 --dpi {round(dpi)}", output_type=pytesseract.Output.DICT
        )
    finally:
        Path(path).unlink(missing_ok=True)
    words = []
    for i, text in enumerate(data["text"]):
        text = unicodedata.normalize("NFC", text.strip())
        if not text:
            continue
        words.append(Word(text=text, left=data["left"][i], top=data["top"][i], width=data["width"][i],
                          height=data["height"][i], conf=float(data["conf"][i]), block=data["block_num"][i],
                          par=data["par_num"][i], line=data["line_num"][i]))
    return words


_OSD_ROTATE = re.compile(r"Rotate:\s+(\d+)")
_OSD_CONF = re.compile(r"Orientation confidence:\s+([\d.]+)")


def detect_orientation(grey: np.ndarray, dpi: float) -> tuple[int, float]:
    """(clockwise degrees to turn the image upright, confidence) from Tesseract's OSD model."""
    path = _write_temp(grey)
    try:
        out = pytesseract.image_to_osd(path, config=f"--psm 0 --dpi {round(dpi)}")
    except pytesseract.TesseractError:
        return 0, 0.0  # too little text to tell
    finally:
        Path(path).unlink(missing_ok=True)
    rotate = _OSD_ROTATE.search(out)
    conf = _OSD_CONF.search(out)
    return (int(rotate.group(1)) if rotate else 0), (float(conf.group(1)) if conf else 0.0)
