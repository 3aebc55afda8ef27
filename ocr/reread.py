"""A second, closer reading of the lines that carry dates, and dates whose slashes were lost.

Tesseract's LSTM reads whole lines; in an italic date line at normal size it sometimes takes an
8 for a 6 with high confidence ("ngày 06 tháng 10" for "ngày 08 tháng 10"). The same line cut out,
enlarged and read as a single line gets the digits right. Only whole numbers are taken from
the second reading, and only when it agrees with the first on every other word. Only the first
date line is read again (the date of issue, in a Decree 30 header), and only when one of its
numbers was read with less than full confidence: each second reading costs a tenth of a second.

In a card's small print a date's thin slash is lost ("1608/2021") or read as an I ("15I10I2023").
A date with a slash read as I is mended as it is; one that lost a slash is read again on its own,
where Tesseract sees the slash. Either is kept only as a real day and month.
"""
from __future__ import annotations

import re
from dataclasses import replace

import cv2
import numpy as np

from .engine import OcrEngine
from .model import Word, line_groups

_DATE_LINE = re.compile(r"ngày\s+\S{1,3}\s+tháng\s+\S{1,3}\s+năm\s+\S{4}", re.IGNORECASE)
SCALE = 1.5  # 1.5 to 3 times all read the corpus's troublesome line right; 1.5 costs least
SURE = 96  # Tesseract's LSTM tops out at 96 on clean digits; below that a number gets a second look
_NUMBER = re.compile(r"\d{1,4}")


def reread_dates(engine: OcrEngine, grey: np.ndarray, words: list[Word], dpi: float) -> list[Word]:
    members = next((m for m in line_groups(words) if _DATE_LINE.search(" ".join(words[i].text for i in m))), None)
    if members is None:
        return words
    line = [words[i] for i in members]
    if all(w.conf >= SURE for w in line if _NUMBER.fullmatch(w.text)):
        return words
    second = _read_line(engine, grey, line, dpi)
    if len(second) != len(line):
        return words
    numbers = [bool(_NUMBER.fullmatch(a.text) and _NUMBER.fullmatch(b)) for a, b in zip(line, second)]
    if any(a.text != b for a, b, number in zip(line, second, numbers) if not number):
        return words
    words = list(words)
    for i, text, number in zip(members, second, numbers):
        if number and words[i].text != text:
            words[i] = replace(words[i], text=text)
    return words


def _read_line(engine: OcrEngine, grey: np.ndarray, line: list[Word], dpi: float) -> list[str]:
    pad = max(w.height for w in line) // 2
    top = max(0, min(w.top for w in line) - pad)
    bottom = min(grey.shape[0], max(w.top + w.height for w in line) + pad)
    left = max(0, min(w.left for w in line) - pad)
    right = min(grey.shape[1], max(w.left + w.width for w in line) + pad)
    crop = cv2.resize(np.ascontiguousarray(grey[top:bottom, left:right]), None, fx=SCALE, fy=SCALE,
                      interpolation=cv2.INTER_CUBIC)
    return engine.line(crop, dpi * SCALE).split()


_LOST_SLASH = re.compile(r"\d{4}/\d{4}")  # ddmm/yyyy
_SLASH_AS_LETTER = re.compile(r"(?<=\d)[Il|](?=\d)")
_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
_TRAILING = re.compile(r"^(.*?)([.,;:)]*)$")
WORD_PAD = 0.3  # of the word's height, around a date read on its own


def mend_dates(engine: OcrEngine, grey: np.ndarray, words: list[Word], dpi: float) -> list[Word]:
    """`words` with dates whose slashes were lost or read as an I written dd/mm/yyyy."""
    out = list(words)
    for i, word in enumerate(words):
        core, trail = _TRAILING.match(word.text).groups()
        mended = _as_date(core)
        if mended is None and _LOST_SLASH.fullmatch(core):
            mended = _as_date(_read_word(engine, grey, word, dpi))
        if mended is not None and mended != core:
            out[i] = replace(word, text=mended + trail)
    return out


def _as_date(text: str) -> str | None:
    """`text` as dd/mm/yyyy with I for a slash put right, if it is a date with a real day and month."""
    text = _SLASH_AS_LETTER.sub("/", text.strip())
    found = _DATE.fullmatch(text)
    return text if found and 1 <= int(found[1]) <= 31 and 1 <= int(found[2]) <= 12 else None


def _read_word(engine: OcrEngine, grey: np.ndarray, word: Word, dpi: float) -> str:
    pad = max(1, round(word.height * WORD_PAD))
    crop = grey[max(0, word.top - pad): word.top + word.height + pad,
                max(0, word.left - pad): word.left + word.width + pad]
    return engine.line(np.ascontiguousarray(crop), dpi)
