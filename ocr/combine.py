"""Two readings of a page made one, line by line: Tesseract's and trueocr's.

Tesseract reads clean print almost perfectly, diacritics included, and says how sure it is of every
word; on a worn copy or a photo it loses whole lines. trueocr reads damaged lines well but slips on
diacritics of clean print. For each line trueocr found, the Tesseract words inside its box are the
other reading of it:
- the same text, or a text that differs only in its marks while Tesseract was sure: Tesseract's
  words stay (its word boxes are exact);
- otherwise the reading with more well-formed Vietnamese syllables wins, then the surer one.
Tesseract words outside every trueocr line stay only when Tesseract was fairly sure of them (on a
damaged page the rest is noise read as letters); trueocr lines with no Tesseract word in them are
added when trueocr was sure of them. A page either engine lost as a whole (far more of its words
no Vietnamese syllable than of the other's) is the other engine's.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from .cleanup import speckled
from .deskew import is_blank
from .engine import OcrEngine
from .metrics import strip_diacritics
from .model import FAIR_CONF, Word, centre_inside, insert_by_position, line_groups
from .syllables import is_syllable, well_formed
from .trueocr_engine import Line, read_lines

SURE_TESSERACT = 93  # mean word confidence of a line above which Tesseract is kept when the shapes tie
SURE_SECOND = 90  # trueocr's line confidence above which a line Tesseract missed is added
DOUBTFUL = 85  # a page whose words Tesseract read below this (mean), or with many words below FAIR_CONF,
DOUBTFUL_SHARE = 0.08  # ... is read by trueocr too
GUTTER = 2.5  # line heights: a gap this wide between two pieces of a line is a column gutter
SPLIT_LINES = 3  # printed lines cut in two by Tesseract from which a page is read by trueocr too
CARD_SHAPE = (1.5, 1.7)  # width over height of a page that is an id card (ID-1: 1.59)


def needs_second_reading(words: list[Word]) -> bool:
    """Whether a page is worth reading with the second engine: Tesseract was unsure of it, or cut
    its lines in two (a drum streak read as a column gutter puts every line's halves apart)."""
    confs = [w.conf for w in words if w.conf >= 0]
    if len(confs) < 5:
        return True
    unsure = sum(c < FAIR_CONF for c in confs) / len(confs)
    return sum(confs) / len(confs) < DOUBTFUL or unsure > DOUBTFUL_SHARE or _cut_lines(words) >= SPLIT_LINES


def card_shaped(grey: np.ndarray) -> bool:
    """Whether the page is an id card on its own (lying across, as capture sets it flat)."""
    h, w = grey.shape[:2]
    return w > h and CARD_SHAPE[0] <= w / h <= CARD_SHAPE[1]


def _cut_lines(words: list[Word]) -> int:
    """Lines of Tesseract's that continue, at the same height and a word gap away, in another block."""
    boxes = []
    for members in line_groups(words):
        ws = [words[i] for i in members]
        boxes.append((ws[0].block, min(w.left for w in ws), min(w.top for w in ws),
                      max(w.left + w.width for w in ws), max(w.top + w.height for w in ws)))
    cut = 0
    for block, left, top, right, bottom in boxes:
        height = bottom - top
        cut += any(b != block and min(bottom, y1) - max(top, y0) > 0.5 * height and 0 <= x0 - right <= GUTTER * height
                   for b, x0, y0, _x1, y1 in boxes)
    return cut


@dataclass
class _Pair:
    line: Line
    members: list[int]  # indices of the Tesseract words inside the line, left to right

    def tesseract_text(self, words: list[Word]) -> str:
        return " ".join(words[i].text for i in self.members)

    def tesseract_conf(self, words: list[Word]) -> float:
        return sum(words[i].conf for i in self.members) / len(self.members) if self.members else 0.0


def prefer_second(first: str, first_conf: float, second: str, second_conf: float) -> bool:
    """Whether the second engine's reading of a line is the better one: fewer words that are no
    Vietnamese syllable; if as many, Tesseract unless it was unsure and trueocr surer."""
    if " ".join(first.split()) == " ".join(second.split()):
        return False
    good_1, all_1 = well_formed(first)
    good_2, all_2 = well_formed(second)
    bad_1, bad_2 = all_1 - good_1, all_2 - good_2
    if bad_1 != bad_2:
        return bad_2 < bad_1
    return first_conf < SURE_TESSERACT and second_conf > first_conf


_EDGES = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)


def _key(token: str) -> str:
    """A word as both engines should agree on it: no marks, no case, no punctuation around it."""
    return strip_diacritics(_EDGES.match(token).group(2)).lower()


def _same_letters(a: list[Word], b: list[Word]) -> list[tuple[int, int]]:
    """(i, j) for the words a[i] and b[j] the two engines read as the same letters, in order."""
    keys_a, keys_b = [_key(w.text) for w in a], [_key(w.text) for w in b]
    return [(a0 + k, b0 + k)
            for tag, a0, a1, b0, _b1 in difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes()
            if tag == "equal" for k in range(a1 - a0) if keys_a[a0 + k]]


def fuse(second: list[Word], first: list[Word]) -> list[Word]:
    """trueocr's words for a line, with Tesseract's marks wherever Tesseract read the same letters
    fairly surely and made a syllable of them: trueocr's slips are mostly on marks (ề read ế)."""
    out = list(second)
    for i, j in _same_letters(second, first):
        core = _EDGES.match(first[j].text).group(2)
        lead, mine, trail = _EDGES.match(out[i].text).groups()
        if core != mine and first[j].conf >= FAIR_CONF and is_syllable(core):
            out[i] = replace(out[i], text=lead + core + trail)
    return out


def with_other_marks(kept: list[Word], other: list[Word]) -> list[Word]:
    """`kept` with, on each word the other engine read as the same letters with other marks, that
    reading as its `other` (the words' cores, without the punctuation around them), where it has
    none yet."""
    out = list(kept)
    for i, j in _same_letters(kept, other):
        mine, theirs = _EDGES.match(out[i].text).group(2), _EDGES.match(other[j].text).group(2)
        if mine.lower() != theirs.lower() and not out[i].other:
            out[i] = replace(out[i], other=theirs)
    return out


def combine(words: list[Word], lines: list[Line]) -> list[Word]:
    """One reading of the page, in Tesseract's reading order, each line from the better engine."""
    owner, pairs = _paired(words, lines)
    words = list(words)
    for pair in pairs:
        for k, w in zip(pair.members, with_other_marks([words[k] for k in pair.members], pair.line.words)):
            words[k] = w
    first, second = " ".join(w.text for w in words), " ".join(line.text for line in lines)
    if _lost(second, first):  # trueocr lost the page: Tesseract's as it is
        return words
    if _lost(first, second):  # Tesseract lost it (a pattern taken for a picture, noise read as letters):
        # trueocr's page, in its reading order, with Tesseract's marks where it read the same letters
        return [replace(x, block=n + 1, par=1, line=1) for n, p in enumerate(pairs)
                for x in fuse(p.line.words, [words[k] for k in p.members])]
    second = [bool(p.members) and prefer_second(p.tesseract_text(words), p.tesseract_conf(words), p.line.text,
                                                  p.line.conf) for p in pairs]
    whole = [_one_printed_line(words, p.members) for p in pairs]
    anchor = [_anchor(words, p.members) if taken else None for p, taken in zip(pairs, second)]
    out: list[Word] = []
    placed: set[int] = set()
    for i, w in enumerate(words):
        j = owner[i]
        if j is None:
            if w.conf >= FAIR_CONF:
                out.append(w)
        elif not second[j]:
            if not whole[j]:
                out.append(w)
            elif j not in placed:  # a line Tesseract cut in two (at a copier's streak) is read as one
                placed.add(j)
                out.extend(replace(words[k], block=w.block, par=w.par, line=w.line) for k in pairs[j].members)
        elif i == anchor[j]:
            theirs = [words[k] for k in pairs[j].members]
            # trueocr's words, with Tesseract's marks where it was sure: the marks either engine read
            # and the line does not show are its `other`
            fused = with_other_marks(with_other_marks(fuse(pairs[j].line.words, theirs), pairs[j].line.words), theirs)
            out.extend(replace(x, block=w.block, par=w.par, line=w.line) for x in fused)
    _add_missed(out, words, pairs)
    return out


def _anchor(words: list[Word], members: list[int]) -> int:
    """Where a line taken from trueocr goes in Tesseract's order: at the first of its words on the
    Tesseract line most of them are on (a stray ':' Tesseract put on the line above does not pull it up)."""
    lines = Counter((words[i].block, words[i].par, words[i].line) for i in members)
    main = lines.most_common(1)[0][0]
    return min(i for i in members if (words[i].block, words[i].par, words[i].line) == main)


def add_missed(words: list[Word], lines: list[Line]) -> list[Word]:
    """Tesseract's reading as it is, with the lines it missed that trueocr was sure of."""
    out = list(words)
    _add_missed(out, words, _paired(words, lines)[1])
    return out


def _paired(words: list[Word], lines: list[Line]) -> tuple[list[int | None], list[_Pair]]:
    """Which trueocr line each Tesseract word lies in (None: none), and each line with its words."""
    owner: list[int | None] = [None] * len(words)
    for j, line in enumerate(lines):
        for i, w in enumerate(words):
            if owner[i] is None and centre_inside(w, line.left, line.top, line.right, line.bottom):
                owner[i] = j
    pairs = [_Pair(line, sorted((i for i in range(len(words)) if owner[i] == j), key=lambda i: words[i].left))
             for j, line in enumerate(lines)]
    return owner, pairs


def _add_missed(out: list[Word], words: list[Word], pairs: list[_Pair]) -> None:
    """Insert into `out` the trueocr lines with no Tesseract word in them that trueocr was sure of."""
    next_block = max((w.block for w in words), default=0) + 1
    for j, pair in enumerate(pairs):
        if not pair.members and pair.line.conf >= SURE_SECOND and pair.line.words:
            insert_by_position(out, [replace(x, block=next_block + j, par=1, line=1) for x in pair.line.words])


LOST = 0.15  # share of misread words in one reading from which it lost the page ...
LOST_RATIO = 2.0  # ... when that is also this many times the other reading's share


def _lost(reading: str, other: str) -> bool:
    """Whether one reading of a page is lost next to the other: far more of its words are no
    Vietnamese syllable. (trueocr loses some photographed card backs this way, the card's pattern
    and fingerprint boxes read as letters, while Tesseract reads them well.)"""
    good_1, all_1 = well_formed(reading)
    good_2, all_2 = well_formed(other)
    if not all_2:
        return False
    bad_1 = 1 - good_1 / all_1 if all_1 else 1.0
    bad_2 = 1 - good_2 / all_2
    return bad_1 > max(LOST, LOST_RATIO * bad_2)


def _one_printed_line(words: list[Word], members: list[int]) -> bool:
    """Whether words Tesseract put on different lines are one printed line: no gap between them wider
    than a column gutter (the two halves of a header, side by side, stay apart)."""
    if len({(words[i].block, words[i].par, words[i].line) for i in members}) < 2:
        return False
    gaps = [words[b].left - (words[a].left + words[a].width) for a, b in zip(members, members[1:])]
    return max(gaps) <= GUTTER * max(words[i].height for i in members)


@dataclass(frozen=True)
class CombinedEngine:
    """An engine (Tesseract) with trueocr as its second reader on pages it was unsure of and on worn copies
    (the engine interface of ocr/engine.py); everything but whole pages goes to the first engine."""

    first: OcrEngine

    @property
    def name(self) -> str:
        return f"{self.first.name}+trueocr"

    def words(self, grey: np.ndarray, dpi: float) -> list[Word]:
        words = self.first.words(grey, dpi)
        if not words and is_blank(grey):
            return words
        # A worn copy is read twice even when Tesseract was sure: it is sure of misread marks there.
        if needs_second_reading(words) or speckled(grey):
            return combine(words, read_lines(grey))
        if card_shaped(grey):
            # Tesseract's layout took the labels under a card's fingerprint boxes for part of a picture:
            # trueocr adds the lines it missed, and Tesseract keeps its own (trueocr runs a card's
            # bilingual labels together: "Date ofbirth").
            return add_missed(words, read_lines(grey))
        return words

    def line(self, grey: np.ndarray, dpi: float) -> str:
        return self.first.line(grey, dpi)

    def machine_text(self, grey: np.ndarray, dpi: float, alphabet: str) -> str:
        return self.first.machine_text(grey, dpi, alphabet)

    def orientation(self, grey: np.ndarray, dpi: float) -> tuple[int, float]:
        return self.first.orientation(grey, dpi)
