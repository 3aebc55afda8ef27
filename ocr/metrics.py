"""The corpus metric: character error rate against the best-matching part of the OCR text."""
from __future__ import annotations

import re
import unicodedata

import edlib

_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-",
                         "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'"})


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_DASHES)
    return re.sub(r"\s+", " ", text).strip()


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def cer(truth: str, ocr_text: str, *, diacritics: bool = True) -> float:
    """Edit distance from the truth to the closest substring of the OCR text, over the truth's length."""
    truth, ocr_text = normalize(truth), normalize(ocr_text)
    if not diacritics:
        truth, ocr_text = strip_diacritics(truth), strip_diacritics(ocr_text)
    if not truth:
        return 0.0
    if not ocr_text:
        return 1.0
    # edlib works on symbols; map characters to code points so any Unicode is fine.
    result = edlib.align(truth, ocr_text, mode="HW", task="distance")
    return result["editDistance"] / len(truth)
