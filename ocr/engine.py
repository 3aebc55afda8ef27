"""Pages in, recognized pages out: the OCR stages chained for one document."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Callable

from . import tesseract
from .model import PageText, SourcePage
from .prepare import prepare_page
from .textpdf import PageImage, PdfPage, encode_page_image

Progress = Callable[[int, int], None]  # (pages done, pages in all)


@dataclass
class PageResult:
    text: PageText
    image: PageImage | None  # None for born-digital pages kept as they are

    def pdf_page(self) -> PdfPage:
        return PdfPage(text=self.text, image=self.image)


def ocr_page(page: SourcePage, *, keep_image: bool = True) -> PageResult:
    if page.image is None:
        words = page.words or []
        text = PageText(index=page.index, width=round(page.width_pt), height=round(page.height_pt), dpi=72.0,
                        source="text-layer", orientation=0, skew=0.0, words=words)
        return PageResult(text=text, image=None)
    prepared = prepare_page(page)
    seconds = dict(prepared.seconds)
    t = time.perf_counter()
    words = tesseract.recognize(prepared.for_ocr, prepared.dpi)
    seconds["recognize"] = time.perf_counter() - t
    image = None
    if keep_image:
        t = time.perf_counter()
        image = encode_page_image(prepared.display, prepared.dpi, flattened=prepared.for_ocr)
        seconds["encode_image"] = time.perf_counter() - t
    h, w = prepared.display.shape[:2]
    text = PageText(index=page.index, width=w, height=h, dpi=prepared.dpi, source="ocr",
                    orientation=prepared.orientation, skew=prepared.skew, words=words, seconds=seconds)
    return PageResult(text=text, image=image)


def ocr_pages(pages: list[SourcePage], *, jobs: int = 2, keep_images: bool = True,
              progress: Progress | None = None) -> list[PageResult]:
    """All pages, in order. Threads suffice: OpenCV releases the GIL and Tesseract runs as its own process."""
    done = 0
    results: list[PageResult | None] = [None] * len(pages)
    with ThreadPoolExecutor(max_workers=max(1, min(jobs, len(pages)))) as pool:
        futures = {pool.submit(ocr_page, p, keep_image=keep_images): i for i, p in enumerate(pages)}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            done += 1
            if progress:
                progress(done, len(pages))
    return [r for r in results if r is not None]

