"""Printed forms: find a label ("Họ và tên / Full name:") among the recognized lines, however OCR
spelled it, and the value after it on its line or in the lines just below it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import edlib

from ocr import PageText

from ..textlines import Line, lines
from .model import clean, fold

_DATE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
# '/' read as I, l, | or 1 between two-digit day and month: "18I12I2023", "18112/2023".
_SLASH_MISREAD = re.compile(r"(?<!\d)(\d{2})[/|Il1!]{1,2}(\d{2})[/|Il1!]{1,2}(\d{4})(?!\d)")
# The first '/' lost altogether: "2403/2015", and the second read as a 1: "280612008" (a year of this
# century or the last, since an old nine-digit id could pass for one).
_SLASH_LOST = re.compile(r"(?<![\d/])(\d{2})(\d{2})(?:[/|Il!]|1(?=(?:19|20)\d{2}(?!\d)))(\d{4})(?!\d)")
_DIGITISH = str.maketrans({"O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "|": "1", "S": "5", "B": "8",
                           "Z": "2", "ó": "6", "G": "6"})


SPECK_CONF = 50  # Tesseract's confidence in specks read as letters; real words below it are rare


@dataclass
class Form:
    """A page's text as columns (a line cut at wide gaps), top to bottom."""
    page: PageText
    columns: list[Line]

    @classmethod
    def of(cls, page: PageText) -> Form:
        cols = [col for ln in lines(page) for col in ln.columns(page.width)]
        return cls(page, _rejoined(sorted(cols, key=lambda c: (c.box[1], c.box[0])), page.width))

    def find(self, label: str, after: int = -1) -> int | None:
        """Index of the first column (after `after`) that carries `label` (folded, fuzzily).

        Unsure words before the label are cut off that column: on a card they are specks of the
        photo or the emblem read as letters, and would move its left edge away from the values.
        """
        wanted = fold(label)
        for i, col in enumerate(self.columns):
            if i > after and has_label(col.text, wanted):
                start = 0
                while (start + 1 < len(col.words) and col.words[start].conf < SPECK_CONF
                       and has_label(Line(col.words[start + 1:]).text, wanted)):
                    start += 1
                self.columns[i] = Line(col.words[start:])
                return i
        return None

    def beside(self, i: int) -> list[Line]:
        """Columns on column i's row, right of it, nearest first: a value read apart from its label
        (a lost "/ Nationality" left a wide gap) or, on a skewed card, as if on the line above."""
        label = self.columns[i]
        end = label.box[0] + label.box[2]
        return sorted((c for c in self.columns if c is not label and c.box[0] >= end and _same_row(label, c)),
                      key=lambda c: c.box[0])

    def below(self, i: int, stop: list[str], limit: int = 3) -> list[Line]:
        """Lines under column i, starting where it starts, up to one that carries a label in `stop`.
        A line with words left of that start (specks of the card's photo) is taken from the start on."""
        label = self.columns[i]
        left, top, _, height = label.box
        picked: list[Line] = []
        bottom = top + height
        for col in self.columns[i + 1:]:
            if col.box[1] + col.box[3] / 2 < bottom:  # on the label's row, or above it (by its middle:
                continue  # a mark or speck over the value's first line makes its box start higher)
            col = _from(col, left, 0.03 * self.page.width)
            if col is None:
                continue
            if col.box[1] - bottom > 2.5 * height or any(has_label(col.text, fold(s)) for s in stop):
                break
            picked.append(col)
            bottom = col.box[1] + col.box[3]
            if len(picked) == limit:
                break
        return picked


def _from(col: Line, left: int, slack: float) -> Line | None:
    """The part of `col` from its first word that starts within `slack` of `left`, or None."""
    start = next((n for n, w in enumerate(col.words) if abs(w.left - left) <= slack), None)
    return None if start is None else Line(col.words[start:])


def _rejoined(cols: list[Line], page_width: int) -> list[Line]:
    """Columns with pieces of one printed line put back together: on a skewed small-print card
    Tesseract sometimes reads a line's last words ("Bình Định") as a line of their own."""
    out: list[Line] = []
    for col in cols:
        host = next((c for c in out if _same_row(c, col) and 0 <= col.box[0] - (c.box[0] + c.box[2])
                     <= 0.025 * page_width), None)
        if host is None:
            out.append(col)
        else:
            out[out.index(host)] = Line(host.words + col.words)
    return out


def _same_row(a: Line, b: Line) -> bool:
    """Whether two lines overlap by more than half the smaller height."""
    top, bottom = max(a.box[1], b.box[1]), min(a.box[1] + a.box[3], b.box[1] + b.box[3])
    return bottom - top > min(a.box[3], b.box[3]) / 2


SPACELESS_LETTERS = 8  # a label this long is compared without spaces (a shorter one, "Số / No", would
# then be found inside words: "Tây Sơn")


def has_label(text: str, folded_label: str) -> bool:
    """Whether `text` carries the label, up to one misread letter in ten. Long labels are compared
    without spaces: worn copies lose and gain them ("Nơi cưfrú", "Date ofexpiry")."""
    folded, label = fold(text), folded_label
    if label in folded:
        return True
    if len(label.replace(" ", "")) >= SPACELESS_LETTERS:
        folded, label = folded.replace(" ", ""), label.replace(" ", "")
    allowed = max(1, len(label) // 10)
    if len(folded) < len(label) - allowed:
        return False
    found = edlib.align(label, folded, mode="HW", task="distance", k=allowed)
    return found["editDistance"] != -1


def after_colon(text: str) -> str:
    return clean(text.rsplit(":", 1)[1]) if ":" in text else ""


def find_date(text: str) -> tuple[str, str] | None:
    """(ISO date, the text read) of the first dd/mm/yyyy in text, letter-for-digit slips undone."""
    m = (_DATE.search(text) or _DATE.search(text.translate(_DIGITISH)) or _SLASH_MISREAD.search(text)
         or _SLASH_LOST.search(text))
    if not m:
        return None
    day, month, year = (int(g) for g in m.groups())
    try:
        return date(year, month, day).isoformat(), m.group(0)
    except ValueError:
        return None


def continuation(rows: list[Line], row: Line, page_width: int) -> list[Line]:
    """The lines a value wrapped onto: right under `row`, starting at its left edge, with no label."""
    out: list[Line] = []
    last = row
    for nxt in rows[rows.index(row) + 1:]:
        gap = nxt.box[1] - (last.box[1] + last.box[3])
        if ":" in nxt.text or abs(nxt.box[0] - row.box[0]) > 0.02 * page_width or gap > last.box[3]:
            break
        out.append(nxt)
        last = nxt
    return out


def field_key(label: str) -> str:
    """The field name a printed label gets: 'Số điện thoại' -> 'so_dien_thoai'."""
    return fold(label).lower().replace(" ", "_")


def key_values(page: PageText) -> dict[str, tuple[str, str, list[Line]]]:
    """Every 'Label: value' on a page (with the lines its value wrapped onto), keyed by the label
    folded to snake case: (label, value, lines)."""
    found: dict[str, tuple[str, str, list[Line]]] = {}
    rows = lines(page)
    for row in rows:
        label, sep, value = row.text.partition(":")
        label = clean(label)
        if sep and clean(value) and 0 < len(label.split()) <= 8:
            key = field_key(label)
            taken = [row, *continuation(rows, row, page.width)]
            if key and key not in found:
                found[key] = (label, clean(" ".join([value] + [r.text for r in taken[1:]])), taken)
    return found


def split_labelled(line: Line, labels: list[str]) -> dict[str, tuple[str, list]]:
    """A line holding several 'Label: value' pairs ("Giới tính: Nam  Dân tộc: Kinh  Quốc tịch: …"):
    each label's value and its words. Labels are matched without diacritics or spaces, since OCR
    sometimes runs two words together ("Giớitính")."""
    # "tính:Nữ": a label and its value run together are two tokens, both with that word's box.
    tokens = [(part, w) for w in line.words for part in re.split(r"(?<=:)(?=\S)", w.text)]
    joined, owner = "", []  # the line's letters without spaces, and which token each came from
    for i, (text, _) in enumerate(tokens):
        letters = fold(text).replace(" ", "")
        joined += letters
        owner += [i] * len(letters)
    spans: list[tuple[int, int, str]] = []  # (first word of the label, first word after it, label)
    for label in labels:
        at = joined.find(fold(label).replace(" ", ""))
        if at >= 0:
            spans.append((owner[at], owner[at + len(fold(label).replace(" ", "")) - 1] + 1, label))
    spans.sort()
    out: dict[str, tuple[str, list]] = {}
    for n, (_, after, label) in enumerate(spans):
        end = spans[n + 1][0] if n + 1 < len(spans) else len(tokens)
        value = clean(" ".join(text for text, _ in tokens[after:end]))
        if value:
            out[label] = (value, list({id(w): w for _, w in tokens[after:end]}.values()))
    return out
