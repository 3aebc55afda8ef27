"""Words whose letters OCR read right but whose marks it may not have: snapped to the known word
with the same letters and the nearest marks ("NGUYÊN" -> "NGUYỄN", "Cấm Xuyên" -> "Cẩm Xuyên").
A word that is itself known is left alone, so real words are never "corrected" into others."""
from __future__ import annotations

import unicodedata

import edlib

from .model import fold


def by_letters(known: list[str]) -> dict[str, list[str]]:
    """Known words grouped by their letters without marks, case ignored."""
    index: dict[str, list[str]] = {}
    for k in sorted(set(known)):
        index.setdefault(fold(k), []).append(k)
    return index


def snap(word: str, known: dict[str, list[str]], prefer: frozenset[str] = frozenset()) -> str:
    """`word` if it is known or nothing known has its letters; else the known one with the
    closest marks (of those as close, one in `prefer`)."""
    same_letters = known.get(fold(word), [])
    if word in same_letters or not same_letters:
        return word
    return nearest(word, same_letters, prefer)


def nearest(word: str, candidates: list[str], prefer: frozenset[str] = frozenset()) -> str:
    """The candidate closest to `word`, marks counted as letters; of those as close, one in `prefer`."""
    nfd = unicodedata.normalize("NFD", word)
    return min(candidates, key=lambda k: (edlib.align(unicodedata.normalize("NFD", k), nfd)["editDistance"],
                                          k not in prefer, k))
