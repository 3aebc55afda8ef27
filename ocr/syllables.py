"""Is a word a Vietnamese syllable? A check of its shape: onset, vowels, final, at most one tone.

Used to weigh two readings of a line (ocr/combine.py): an engine that slipped on a diacritic or a
letter usually leaves a word no Vietnamese syllable can be ("nguòi", "thàmh", "đươc̣").
"""
from __future__ import annotations

import re
import unicodedata

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
_ONSETS = "ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnpqrstvx]"
# The vowel cores Vietnamese writes (tone marks removed, vowel-shape marks kept), longest first.
_NUCLEI = ("uyê|ươi|ươu|uôi|oai|oay|oao|oeo|uây|uya|yêu|iêu|uyu|"
           "ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|ua|uâ|uê|ui|uô|uơ|ưa|ưi|ươ|ưu|uy|yê|"
           "a|ă|â|e|ê|i|o|ô|ơ|u|ư|y")
_FINALS = "ch|ng|nh|[cmnpt]"
_SYLLABLE = re.compile(rf"(?:{_ONSETS})?(?:{_NUCLEI})(?:{_FINALS})?")
_LETTERS = re.compile(r"[^\W\d_]+")
_ABBREVIATION = re.compile(r"[A-ZĐ]{2,}")


def split_tone(word: str) -> tuple[str, str]:
    """(the word without tone marks, lower case, NFC; its tone marks, in order: one in a syllable)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = "".join(c for c in decomposed if c in TONES)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES)), tones


def is_syllable(word: str) -> bool:
    """True for a well-formed Vietnamese syllable ("người", "Quyết"); False for a misread one."""
    bare, tones = split_tone(word)
    return len(tones) <= 1 and _SYLLABLE.fullmatch(bare) is not None


def well_formed(text: str) -> tuple[int, int]:
    """(syllables, words made of letters) in a text. Words in plain capitals that are no syllable
    (UBND, HĐND, CCCD) are abbreviations and are not counted."""
    good = total = 0
    for word in _LETTERS.findall(text):
        if _ABBREVIATION.fullmatch(word) and not is_syllable(word):
            continue
        total += 1
        good += is_syllable(word)
    return good, total
