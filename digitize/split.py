"""One scanner pass, many papers: where each paper of a batch begins.

A plain function over recognized pages. What each page shows is read first (`PageSignals`); the
boundaries follow from it, strongest evidence first:
1. a separator or dossier cover sheet printed by the service (`sheets.py`) lies between two pages;
2. a page carries the QR code of a document digitized earlier (our stamp's code);
3. a printed page number: 1 starts a paper, a later number continues one ("2", "- 2 -", "Trang 2/3");
4. the back of an id card right after its front continues the card;
5. a page that opens a paper: the national motto at its top (Decree 30 headers, birth
   certificates, applications), or an id card;
6. anything else continues the paper before it.
Blank pages (a sheet's empty back) belong to no paper but are recorded, since the image count must
match the paper count (Circular 01/2023).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from ocr import PageText

from .fields.cccd import is_card_qr
from .fields.labels import has_label
from .fields.model import fold
from .sheets import SheetMark, read_mark

MOTTO = "CONG HOA XA HOI CHU NGHIA VIET NAM"
HEADER_LINES = 8  # the motto opens a paper only near the top of its page
CARD_FRONT = ["CĂN CƯỚC", "Full name", "Date of birth", "Citizen Identity Card", "IDENTITY CARD"]
# Marks of one side only (the 2021 front also prints the residence and the expiry, the 2024 back the QR).
CARD_BACK = ["Đặc điểm nhân dạng", "Ngón trỏ", "Date, month, year", "Date of issue", "Place of birth"]
MIN_WORDS = 3  # fewer sure words than this, and no code: a blank page (show-through, specks)
_PAGE_NUMBER = re.compile(r"(?:TRANG )?(\d{1,2})(?: \d{1,2})?")  # "2", "- 2 -", "Trang 2/3", folded


@dataclass
class PageSignals:
    """What one page of a batch shows that tells where papers begin."""

    index: int
    blank: bool = False
    sheet: SheetMark | None = None
    earlier_code: str | None = None  # a document digitized before, by the QR code on this page
    number: int | None = None  # the page number printed on it
    opens: str | None = None  # why this page looks like a paper's first: "motto" or "card"
    card_side: str | None = None  # "front", "back" or "both"


@dataclass
class Paper:
    pages: list[int]  # indices in the batch, in scan order
    reason: str  # why it starts where it does
    dossier_code: str | None = None  # from the cover sheet before it, if any
    earlier_code: str | None = None  # the paper is already on file under this code
    card_side: str | None = None  # an id card's "front", "back" or "both" sides in this paper


@dataclass
class SplitPlan:
    papers: list[Paper]
    blank: list[int] = field(default_factory=list)
    sheets: list[int] = field(default_factory=list)

    @property
    def boundaries(self) -> list[int]:
        """The first page of every paper after the first: what the benchmark scores."""
        return [p.pages[0] for p in self.papers[1:]]

    def to_json(self) -> dict:
        return {"papers": [{"pages": [i + 1 for i in p.pages], "reason": p.reason, "dossier_code": p.dossier_code,
                            "earlier_code": p.earlier_code} for p in self.papers],
                "blank_pages": [i + 1 for i in self.blank], "sheet_pages": [i + 1 for i in self.sheets]}


def signals(page: PageText, is_document_code: Callable[[str], bool] = lambda _c: False) -> PageSignals:
    """What `page` shows; `is_document_code` says whether a QR payload is one of our documents' codes."""
    found = PageSignals(index=page.index)
    qrs = [c.text for c in page.codes if c.kind == "qr"]
    marks = [m for m in map(read_mark, qrs) if m is not None]
    if marks:
        found.sheet = marks[0]
        return found
    found.earlier_code = next((q.strip().upper() for q in qrs if is_document_code(q)), None)
    sure = [w for w in page.words if w.conf >= 50 and len(w.text.strip()) > 1]
    if len(sure) < MIN_WORDS and not page.codes:
        found.blank = True
        return found
    lines = [ln for ln in page.text.splitlines() if ln.strip()]
    found.number = _page_number(lines)
    front = sum(any(has_label(ln, fold(label)) for ln in lines) for label in CARD_FRONT)
    back = sum(any(has_label(ln, fold(label)) for ln in lines) for label in CARD_BACK) + \
        2 * any(c.kind == "mrz" for c in page.codes)
    card_qr = any(is_card_qr(q) for q in qrs)
    if front >= 2 or back >= 2 or card_qr:
        found.card_side = "both" if front >= 2 and back >= 2 else "front" if front >= 2 else \
            "back" if back >= 2 else "front"
        found.opens = "card"
    elif any(MOTTO in fold(ln) for ln in lines[:HEADER_LINES]):
        found.opens = "motto"
    return found


def _page_number(lines: list[str]) -> int | None:
    """A line of its own at the top or foot of the page holding only a page number."""
    for line in lines[:2] + lines[-2:]:
        m = _PAGE_NUMBER.fullmatch(fold(line))
        if m and 0 < int(m[1]) < 100:
            return int(m[1])
    return None


def plan(pages: list[PageSignals], dossier_code: str | None = None) -> SplitPlan:
    """The papers of a batch, from each page's signals in scan order."""
    result = SplitPlan(papers=[])
    dossier = dossier_code
    current: Paper | None = None
    previous: PageSignals | None = None
    after_sheet: str | None = None
    for page in pages:
        if page.sheet is not None:
            result.sheets.append(page.index)
            if page.sheet.kind == "cover":
                dossier = page.sheet.dossier_code
            after_sheet = page.sheet.kind
            current = None
            continue
        if page.blank:
            result.blank.append(page.index)
            continue
        reason = after_sheet if current is None else _starts(page, previous)
        if current is None and reason is None:
            reason = "first"
        if reason is not None:
            current = Paper(pages=[], reason=reason, dossier_code=dossier, earlier_code=page.earlier_code)
            result.papers.append(current)
        current.pages.append(page.index)
        current.card_side = _sides(current.card_side, page.card_side)
        previous, after_sheet = page, None
    return result


def _sides(paper: str | None, page: str | None) -> str | None:
    if paper is None or page is None or paper == page:
        return paper or page
    return "both"


def _starts(page: PageSignals, previous: PageSignals | None) -> str | None:
    """Why `page` begins a new paper after `previous`, or None when it continues it."""
    if page.earlier_code is not None and (previous is None or previous.earlier_code != page.earlier_code):
        return "earlier_code"
    if page.number is not None:
        return "page_number" if page.number == 1 else None
    if page.card_side == "back" and previous is not None and previous.card_side == "front":
        return None
    if page.opens is not None:
        return "motto" if page.opens == "motto" else "card"
    return None
