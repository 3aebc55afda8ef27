"""Pages in, recognized pages out: the OCR stages chained for one document."""
from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from . import codes
from .cleanup import speckled, without_dark_edges
from .combine import CombinedEngine, card_shaped
from .engine import OcrEngine
from .lexicon import mend_marks
from .model import (
    FAIR_CONF,
    PageText,
    SourcePage,
    centre_inside,
    confident_chars,
    in_rows,
)
from .prepare import prepare_page
from .red_print import read_red_print
from .reread import mend_dates, reread_dates
from .small_print import reread_small_print
from .syllables import well_formed
from .tesserocr_engine import TesserocrEngine
from .textpdf import DEFAULT_JPEG_QUALITY, PageImage, PdfPage, encode_page_image

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (pages done, pages in all)


@dataclass
class PageResult:
    text: PageText
    image: PageImage | None  # None for born-digital pages kept as they are

    def pdf_page(self) -> PdfPage:
        return PdfPage(text=self.text, image=self.image)


def ocr_page(page: SourcePage, engine: OcrEngine | None = None, *, keep_image: bool = True,
             jpeg_quality: int = DEFAULT_JPEG_QUALITY) -> PageResult:
    """One page read: upright, level, cleaned, recognized, its codes found, its picture encoded.
    `engine` defaults to Tesseract with the Vietnamese model, and trueocr on pages it is unsure of."""
    engine = engine or CombinedEngine(TesserocrEngine())
    if page.image is None:
        words = page.words or []
        text = PageText(index=page.index, width=round(page.width_pt), height=round(page.height_pt), dpi=72.0,
                        source="text-layer", orientation=0, skew=0.0, words=words)
        return PageResult(text=text, image=None)
    prepared = prepare_page(page, engine)
    seconds = dict(prepared.seconds)
    t = time.perf_counter()
    found = codes.read_barcodes(prepared.display, prepared.dpi)
    if found and all(abs(c.orientation) >= 135 for c in found):
        # QR codes are printed upright with the text around them (an id card's back, a stamp, a sheet):
        # upside down, they say the page is too, where the orientation tests had little text to go by.
        log.info("page %d turned 180 degrees: its QR codes are upside down", page.index + 1)
        prepared = _turned(prepared)
        found = codes.read_barcodes(prepared.display, prepared.dpi)
    seconds["codes"] = time.perf_counter() - t
    t = time.perf_counter()
    words = engine.words(prepared.for_ocr, prepared.dpi)
    if len(words) < FEW_WORDS and (lighter := without_dark_edges(prepared.for_ocr)) is not None:
        # A copier's black edge set Tesseract's threshold above a faint card copy's print: nothing read.
        again = engine.words(lighter, prepared.dpi)
        if _readable(again) > _readable(words):
            log.info("page %d read again without its dark edge", page.index + 1)
            words, prepared = again, replace(prepared, for_ocr=lighter)
    if _doubtful(words):
        # Orientation guessed wrong on pages with little running text (an id card photocopy, a card's
        # back with its machine-readable zone): the page read upside down is garbage, of low
        # confidence from Tesseract, of few Vietnamese syllables from trueocr. Try it the other way up.
        turned = np.ascontiguousarray(np.rot90(prepared.for_ocr, 2))
        other = engine.words(turned, prepared.dpi)
        if _readable(other) > _readable(words):
            log.info("page %d read better turned 180 degrees", page.index + 1)
            words = other
            prepared = _turned(prepared)
            found = codes.read_barcodes(prepared.display, prepared.dpi)
    words = reread_small_print(engine, prepared.for_ocr, words, prepared.dpi)
    words = reread_dates(engine, prepared.for_ocr, words, prepared.dpi)
    words = mend_dates(engine, prepared.for_ocr, words, prepared.dpi)
    words = read_red_print(engine, prepared.display, words, prepared.dpi)
    words = _outside(found, words)
    if card_shaped(prepared.for_ocr):
        words = in_rows(words)
    if speckled(prepared.for_ocr):  # a worn copy, its marks thinned: judged by the words around them
        words = mend_marks(words)
    seconds["recognize"] = time.perf_counter() - t
    t = time.perf_counter()
    mrz = codes.read_mrz(engine, prepared.for_ocr, words, prepared.dpi)
    if mrz:
        found.append(mrz)
        words = codes.with_checked_zone(words, mrz)
    seconds["codes"] += time.perf_counter() - t
    image = None
    if keep_image:
        t = time.perf_counter()
        image = encode_page_image(prepared.display, prepared.dpi, flattened=prepared.for_ocr, quality=jpeg_quality)
        seconds["encode_image"] = time.perf_counter() - t
    h, w = prepared.display.shape[:2]
    text = PageText(index=page.index, width=w, height=h, dpi=prepared.dpi, source="ocr",
                    orientation=prepared.orientation, skew=prepared.skew, words=words, seconds=seconds,
                    codes=found)
    return PageResult(text=text, image=image)


def _turned(prepared):
    """The prepared page turned 180 degrees."""
    return replace(prepared, for_ocr=np.ascontiguousarray(np.rot90(prepared.for_ocr, 2)),
                   display=np.ascontiguousarray(np.rot90(prepared.display, 2)),
                   orientation=(prepared.orientation + 180) % 360)


def _outside(found: list[codes.Code], words: list) -> list:
    """The words that lie outside every QR code and are more than a ruled line: what an engine reads
    in a code's modules, or in a box's edge ('|'), is noise."""
    boxes = [c.box for c in found if c.kind != "mrz"]
    return [w for w in words if w.text.strip("|")
            and not any(centre_inside(w, x, y, x + bw, y + bh) for x, y, bw, bh in boxes)]


MIN_SYLLABLES = 0.6  # share of a reading's words that are Vietnamese syllables below which it is doubtful
FEW_WORDS = 10  # a page with ink read as fewer words than this may have lost its print to the threshold


def _doubtful(words: list) -> bool:
    confs = [w.conf for w in words if w.conf >= 0]
    if not confs or sum(confs) / len(confs) < FAIR_CONF:
        return True
    good, total = well_formed(" ".join(w.text for w in words))
    return total >= 5 and good / total < MIN_SYLLABLES


def _readable(words: list) -> tuple[int, int]:
    """How much of a page a reading got: its Vietnamese syllables, then its confident characters."""
    return well_formed(" ".join(w.text for w in words))[0], confident_chars(words)


def ocr_pages(pages: list[SourcePage], engine: OcrEngine | None = None, *, jobs: int = 2, keep_images: bool = True,
              jpeg_quality: int = DEFAULT_JPEG_QUALITY, progress: Progress | None = None) -> list[PageResult]:
    """All pages, in order. Threads suffice: OpenCV releases the GIL and Tesseract runs as its own process."""
    done = 0
    results: list[PageResult | None] = [None] * len(pages)
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(pages)))) as pool:
        futures = {pool.submit(ocr_page, p, engine, keep_image=keep_images, jpeg_quality=jpeg_quality): i for i, p in enumerate(pages)}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            done += 1
            if progress:
                progress(done, len(pages))
    return [r for r in results if r is not None]

