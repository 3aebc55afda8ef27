"""Which marks a worn copy's syllables really have, judged by the words around them: a small
language model.

On a worn photocopy the strokes of the marks are thinned or lost, and Tesseract reads the letters
right and the marks wrong, as sure of the wrong mark as of a right one ("tô chức", "hô sơ", "giây
tờ"): each reading is a real syllable, so the syllable check of ocr/syllables.py cannot tell them
apart. The words around it can. Along a run of words, each word may take any marks over the same
letters; the run chosen (Viterbi) is the one that scores best on:
- how common each syllable is in Vietnamese (wordfreq's frequencies, log10);
- a bonus for each pair of neighbours that is part of a dictionary word (underthesea's Viet74K:
  "tổ chức", "hồ sơ", "thẩm quyền");
- a cost for each mark changed from what the engine read, a fifth of it towards the marks the
  second engine read over the same letters (`Word.other`, from ocr/combine.py): trueocr misses
  other marks than Tesseract ("hướng dẫn" where Tesseract read "hướng dân"), and the words around
  decide between the two.
A word that makes a dictionary word with a neighbour as read keeps its marks unless the second
engine read others. Names, places and headings
are never changed, since neither list knows them: words in capitals, and capitalised words next to
another capitalised one; a capitalised word heading a phrase ("Tô chức" at a sentence's start,
"Vấn phòng") is weighed like the rest. A misread that is no syllable at all ("nguõn") is weighed
too, as a reading the tables do not know.
Only worn copies are mended. On a clean page Tesseract's marks are right, and the model, which knows
words but not phrases, would trade right readings for commoner ones ("địa bàn tỉnh năm" made
"bàn tính", "của cổng dịch vụ" made "của công").
Tone marks may sit on either vowel of "oa", "oe", "uy" ("hóa", "hoá"): syllables are compared
whatever vowel their tone sits on, and a syllable the engine read keeps its own.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import metadata

from .metrics import strip_diacritics
from .model import Word
from .syllables import TONES, is_syllable, split_tone

# Weighed on one generated set (seed 131), checked on two others (seeds 97 and 263).
PAIR_BONUS = 2.5  # log10 units: a neighbour pair that makes a dictionary word
MARK_COST = 2.5  # log10 units per mark changed from the engine's reading (a tone, a vowel's shape, đ)
OTHER_MARK_COST = 0.5  # ... to the marks the second engine read over the same letters
UNKNOWN = -8.0  # log10 frequency of a syllable wordfreq does not list
CANDIDATES = 8  # readings weighed per syllable, the most common first
_SHAPED = set("ăâêôơư")
_EDGES = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)


@lru_cache(maxsize=65536)
def _canonical(syllable: str) -> str:
    """A syllable as the tables hold it: its letters and vowel shapes, then its tone."""
    bare, tones = split_tone(syllable)
    return bare + tones[:1]


@lru_cache(maxsize=None)
def _rendered(canonical: str) -> str:
    """The syllable written out, its tone on the vowel the usual (older) rule puts it on: the shaped
    vowel (ơ of ươ); else the last vowel before a final consonant; else the middle of three vowels,
    the first of two ("hòa", "thủy", "ngoài")."""
    tone = canonical[-1] if canonical[-1:] in TONES else ""
    bare = canonical[: len(canonical) - len(tone)]
    if not tone:
        return bare
    start = 2 if bare.startswith(("qu", "gi")) and len(bare) > 2 and bare[2] in "aăâeêioôơuưy" else 0
    vowels = [i for i in range(start, len(bare)) if bare[i] in "aăâeêioôơuưy"]
    if not vowels:
        return bare
    cluster = [i for i in vowels if i <= vowels[0] + 2 and all(j in vowels for j in range(vowels[0], i + 1))]
    shaped = [i for i in cluster if bare[i] in _SHAPED]
    if shaped:
        at = shaped[-1]
    elif cluster[-1] < len(bare) - 1:
        at = cluster[-1]
    else:
        at = cluster[len(cluster) // 2] if len(cluster) == 3 else cluster[0]
    return unicodedata.normalize("NFC", bare[: at + 1] + tone + bare[at + 1:])


@dataclass(frozen=True)
class Lexicon:
    log_freq: dict[str, float]  # canonical syllable -> log10 frequency
    pairs: frozenset[tuple[str, str]]  # neighbour syllables inside a dictionary word
    variants: dict[str, list[str]]  # letters without marks -> canonical syllables, most common first

    def score(self, canonical: str) -> float:
        return self.log_freq.get(canonical, UNKNOWN)


def _dictionary_words() -> list[str]:
    """Viet74K, the word list underthesea ships (read as a file: underthesea itself is not imported)."""
    files = metadata.files("underthesea") or []
    path = next(f for f in files if str(f).endswith("corpus/data/Viet74K.txt"))
    return path.locate().read_text(encoding="utf-8").splitlines()


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    import wordfreq

    freq: dict[str, float] = {}
    for word, f in wordfreq.get_frequency_dict("vi").items():
        if is_syllable(word):
            key = _canonical(unicodedata.normalize("NFC", word))
            freq[key] = freq.get(key, 0.0) + f
    pairs: set[tuple[str, str]] = set()
    for line in _dictionary_words():
        parts = [_canonical(s) for s in unicodedata.normalize("NFC", line).lower().split()]
        pairs.update(zip(parts, parts[1:]))
    variants: dict[str, list[str]] = {}
    for key in sorted(freq, key=freq.get, reverse=True):
        variants.setdefault(strip_diacritics(key), []).append(key)
    return Lexicon(log_freq={k: math.log10(f) for k, f in freq.items()}, pairs=frozenset(pairs),
                   variants={k: v[:CANDIDATES] for k, v in variants.items()})


def _marks_changed(a: str, b: str) -> int:
    """Marks that differ between two canonical syllables over the same letters: the tone (one
    change, whichever two tones), each vowel shape, đ for d."""
    (bare_a, tone_a), (bare_b, tone_b) = split_tone(a), split_tone(b)
    shapes = sum(x != y for x, y in zip(bare_a, bare_b))
    return shapes + (tone_a != tone_b)


@dataclass
class _Slot:
    index: int  # the word's place on the page
    core: str  # the word as read, without the punctuation around it
    read: str  # canonical, as the engine read it
    other: str = ""  # canonical, as the second engine read it with other marks (a syllable), or ""
    options: list[str] = field(default_factory=list)  # canonical readings weighed, the engine's first


def _runs(words: list[Word]) -> list[list[_Slot]]:
    """Runs of neighbouring words of letters in a block of text, broken by punctuation and numbers."""
    runs: list[list[_Slot]] = []
    current: list[_Slot] = []
    last_block = None
    for i, w in enumerate(words):
        before, core, after = _EDGES.match(w.text).groups()
        if w.block != last_block or before or not core.isalpha():
            current = []
            runs.append(current)
        last_block = w.block
        if core.isalpha():
            other = _canonical(w.other.lower()) if w.other.isalpha() and is_syllable(w.other.lower()) else ""
            current.append(_Slot(i, core, _canonical(core), other if other != _canonical(core) else ""))
        if after:
            current = []
            runs.append(current)
    return [r for r in runs if len(r) >= 2]


def _open_to_change(run: list[_Slot], k: int, lex: Lexicon) -> bool:
    """Whether a word may take other marks than the engines read: its case allows it (`_may_change`),
    and it makes no dictionary word with a neighbour as read."""
    before = run[k - 1] if k else None
    after = run[k + 1] if k + 1 < len(run) else None
    slot = run[k]
    if (before and (before.read, slot.read) in lex.pairs) or (after and (slot.read, after.read) in lex.pairs):
        return False
    return _may_change(run, k)


def _may_change(run: list[_Slot], k: int) -> bool:
    """Whether a word's case lets it change: lower case, or capitalised at the head of a phrase (a
    sentence's first word, "Văn phòng"), not in a run of capitals (a name, a place) or all capitals
    (a heading)."""
    slot = run[k]
    before = run[k - 1] if k else None
    after = run[k + 1] if k + 1 < len(run) else None
    if slot.core.islower():
        return True
    capitalised = slot.core[0].isupper() and slot.core[1:].islower()
    return capitalised and after is not None and after.core.islower() and \
        (before is None or not before.core[0].isupper())


def _weigh(run: list[_Slot], lex: Lexicon) -> None:
    """Each word's readings to weigh: as read, then the commonest others over the same letters."""
    for k, slot in enumerate(run):
        slot.options = [slot.read]
        if _open_to_change(run, k, lex):
            slot.options += [v for v in lex.variants.get(strip_diacritics(slot.read), []) if v != slot.read]
        if slot.other and slot.other not in slot.options and _may_change(run, k):
            slot.options.append(slot.other)


def _best(run: list[_Slot], lex: Lexicon) -> list[str]:
    """The most likely readings along a run (Viterbi over the slots' options)."""
    def emit(slot: _Slot, option: str) -> float:
        cost = OTHER_MARK_COST if option == slot.other else MARK_COST
        return lex.score(option) - cost * _marks_changed(option, slot.read)

    scores = [emit(run[0], o) for o in run[0].options]
    back: list[list[int]] = []
    for prev, slot in zip(run, run[1:]):
        step, links = [], []
        for option in slot.options:
            totals = [s + (PAIR_BONUS if (p, option) in lex.pairs else 0.0) for s, p in zip(scores, prev.options)]
            k = max(range(len(totals)), key=totals.__getitem__)
            step.append(totals[k] + emit(slot, option))
            links.append(k)
        scores = step
        back.append(links)
    k = max(range(len(scores)), key=scores.__getitem__)
    chosen = [k]
    for links in reversed(back):
        k = links[k]
        chosen.append(k)
    chosen.reverse()
    return [slot.options[k] for slot, k in zip(run, chosen)]


_GLUED = re.compile(r"^(\w+[:;,.])([^\W\d_]+\W*)$")  # "gửi:Úy", "2024,toàn", "định.Hồ": a space lost
_SPECK_BEFORE_NUMBER = re.compile(r"^([^\W\d_]+)\.(\d\S*)$")  # "ngày.25", "số.30/2020/NĐ-CP": a speck as a full stop
_LONE_SPECK = re.compile(r"^[.,:;'`^˜]+$")  # a token of nothing but a speck's punctuation: "25 . hằng", "nghị : phản"


def _glued_parts(text: str, lex: Lexicon) -> tuple[str, str] | None:
    """The two words a lost space glued together, or None. At a punctuation mark: a full stop glued
    to a lower-case letter is no lost space ("gov.vn"), and one between a word and a number is a
    speck. Without one: two known syllables, one of them marked, that are no word together
    ("quétcho"; "kitô" is a word, and English words have no marks)."""
    if m := _SPECK_BEFORE_NUMBER.match(text):
        return m[1], m[2]
    if m := _GLUED.match(text):
        return None if m[1].endswith(".") and not m[2][0].isupper() else (m[1], m[2])
    before, core, after = _EDGES.match(text).groups()
    if not core.isalpha() or not core.islower() or core.isascii() or is_syllable(core) or _is_a_word(core):
        return None
    cuts = [(_canonical(core[:i]), _canonical(core[i:]), i) for i in range(1, len(core))
            if is_syllable(core[:i]) and is_syllable(core[i:])]
    known = [(lex.log_freq[a] + lex.log_freq[b], i) for a, b, i in cuts if a in lex.log_freq and b in lex.log_freq]
    if not known:
        return None
    i = max(known)[1]
    return before + core[:i], core[i:] + after


def _is_a_word(text: str) -> bool:
    import wordfreq

    return wordfreq.zipf_frequency(text, "vi") > 0


def split_glued(words: list[Word]) -> list[Word]:
    """The words with two words a lost space glued together cut apart, their box shared out by
    letters ("Kính gửi:Úy ban" hid "Ủy" from its neighbour "ban")."""
    lex = lexicon()
    out = []
    for w in words:
        parts = _glued_parts(w.text, lex)
        if parts is None:
            out.append(w)
            continue
        first, second = parts
        cut = round(w.width * (len(w.text) - len(second)) / len(w.text))
        out += [replace(w, text=first, width=max(1, cut), other=""),
                replace(w, text=second, left=w.left + cut, width=max(1, w.width - cut), other="")]
    return out


def without_lone_specks(words: list[Word]) -> list[Word]:
    """The words without specks read as punctuation standing alone before a lower-case word: no
    full stop, comma or colon stands alone in running text, and a sentence goes on in lower case."""
    return [w for w, after in zip(words, [*words[1:], None])
            if not (_LONE_SPECK.match(w.text) and after is not None and after.text[:1].islower())]


def mend_marks(words: list[Word]) -> list[Word]:
    """The words, each open to change (`_open_to_change`) with the marks its neighbours make most likely."""
    lex = lexicon()
    words = split_glued(without_lone_specks(words))
    out = list(words)
    for run in _runs(words):
        _weigh(run, lex)
        for slot, choice in zip(run, _best(run, lex)):
            if choice != slot.read:
                w = words[slot.index]
                before, _, after = _EDGES.match(w.text).groups()
                written = _rendered(choice)
                if slot.core[0].isupper():
                    written = written[0].upper() + written[1:]
                out[slot.index] = replace(w, text=before + written + after)
    return out
