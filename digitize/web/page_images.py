"""Pictures of a document's pages for the browser, rendered from its signed PDF with pdfium (the
renderer pdfplumber uses). Signed documents never change, so renderings are cached by code."""
from __future__ import annotations

import io
import threading
from functools import lru_cache
from typing import Callable

import pypdfium2 as pdfium

from .. import archive
from ..services import Services

THUMBNAIL, REVIEW = 160, 1000  # widths in pixels
_PDFIUM = threading.Lock()  # pdfium is not thread-safe, and pages are served from a thread pool


def render_page(pdf: bytes, page: int, width: int) -> bytes:
    """Page `page` (1-based) as a JPEG `width` pixels wide."""
    with _PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            sheet = document[page - 1]
            image = sheet.render(scale=width / sheet.get_width()).to_pil().convert("RGB")
        finally:
            document.close()
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def page_image_cache(services: Services, size: int = 256) -> Callable[[str, int, int], bytes]:
    @lru_cache(maxsize=size)
    def image(code: str, page: int, width: int) -> bytes:
        return render_page(archive.signed_pdf(services.store, code), page, width)

    return image
