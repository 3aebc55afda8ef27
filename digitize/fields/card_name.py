"""The card holder's name checked against the MRZ's spelling of it.

The MRZ spells the name without marks but with its word breaks, and its check digits do not cover
it: every reading of it is weighed against the printed name, which keeps its marks.
"""
from __future__ import annotations

from ocr import PageText

from ..textlines import lines
from .model import Field, clean, fold, line_conf
from .names import CHANGED, all_known_names, fix_name, fix_name_by


def name_against_mrz(fields: dict[str, Field], mrz_name: Field, mrz_names: list[str],
                     pages: list[PageText]) -> None:
    """The MRZ spells the name without marks but with its word breaks: it vouches for the printed
    name, puts back a space OCR lost ("THUSƠN") or a word it misread ("KIMI"), and finds the name
    when its label was unreadable. The name line has no check digit, so every reading of it is
    tried, and each with a K between names read as the '<' it may be ("KIMKHA")."""
    readings = mrz_names + [v for n in mrz_names for v in _k_as_filler(n)]
    name = fields.get("full_name")
    if name is None:
        spellings = {r.replace(" ", "") for r in readings}
        row = next((r for p in pages for r in lines(p) if "<" not in r.text and _letters(r.text) in spellings), None)
        if row is None:  # better an undiacritized name than none; staff will see it is unsure
            fields["full_name"] = Field(mrz_name.value, mrz_name.raw, 0.5, mrz_name.page, "mrz", mrz_name.box)
            return
        value = fix_name(clean(row.text).upper())
        name = fields["full_name"] = Field(value, row.text, min(line_conf(row), CHANGED), mrz_name.page, "ocr", row.box)
    plain = mrz_name.value = _closest_reading(readings, name.value) or mrz_name.value
    joined = name.value.replace(" ", "")
    if name.source == "ocr" and fold(name.value) != plain:  # the QR's name is the chip's: never changed
        if joined.isalpha() and _letters(joined) == plain.replace(" ", ""):
            if all_known_names(spaced := _spaced_as(joined, plain)):
                name.value = spaced
        elif (fixed := fix_name_by(name.value, plain)) != name.value:
            name.value, name.confidence = fixed, min(name.confidence, CHANGED)
    if name.source == "ocr" and _lost_to_ocr(name.value, plain):
        name.value, name.confidence = fix_name(plain), min(name.confidence, CHANGED)
    if _letters(name.value) == plain.replace(" ", ""):
        name.agrees.append("mrz")
    else:
        name.disagrees["mrz"] = plain
        name.confidence = round(name.confidence * 0.6, 3)


def _lost_to_ocr(printed: str, plain: str) -> bool:
    """Whether the printed name was read too badly to keep while the MRZ's is a name: words in it
    that are no name ("PHAN N MWN ÂM"), or only its start ("LÊ NGÔ" of LE NGOC HAI). The MRZ's
    name then takes its marks from the name lists."""
    if len(plain.split()) < 2 or not all_known_names(plain) or _letters(printed) == plain.replace(" ", ""):
        return False
    return not all_known_names(printed) or plain.replace(" ", "").startswith(_letters(printed))


def _k_as_filler(plain: str) -> list[str]:
    """`plain` with one K inside a given name read as the word break it may be: 'DANG KIMKHA' ->
    ['DANG KIM HA']."""
    family, _, given = plain.partition(" ")
    at = len(family) + 1
    return [plain[:at + i] + " " + plain[at + i + 1:] for i, c in enumerate(given)
            if c == "K" and 0 < i < len(given) - 1 and given[i - 1] != " " and given[i + 1] != " "]


def _letters(text: str) -> str:
    return fold(text).replace(" ", "")


def _spaced_as(joined: str, model: str) -> str:
    """`joined` (letters only) cut into words as long as `model`'s."""
    words, at = [], 0
    for word in model.split():
        words.append(joined[at:at + len(word)])
        at += len(word)
    return " ".join(words)


def _closest_reading(readings: list[str], printed: str) -> str | None:
    """The MRZ reading with the printed name's letters, as many words first; else one with as many
    words; else None."""
    words, letters = len(printed.split()), _letters(printed)
    same_letters = [r for r in readings if r.replace(" ", "") == letters]
    return (next((r for r in same_letters if len(r.split()) == words), None) or next(iter(same_letters), None)
            or next((r for r in readings if len(r.split()) == words), None))
