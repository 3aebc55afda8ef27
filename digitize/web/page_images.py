"""Pictures of a document's pages for the browser, rendered from its signed PDF with pdfium (the
renderer pdfplumber uses), without the band added above page 1 for the stamp, so that the picture
is the page the fields' boxes were measured on. A signed PDF never changes (the page tools make a
new one), so renderings are cached by the signed PDF's checksum."""
from __future__ import annotations

import io
import threading
from functools import lru_cache
from typing import Callable

import pikepdf
import pypdfium2 as pdfium

from common.pdf_marks import STAMP_BAND

from .. import archive
from ..services import Services

THUMBNAIL, REVIEW, ZOOM = 160, 1000, 2400  # widths in pixels; ZOOM for card print read up close
_PDFIUM = threading.Lock()  # pdfium is not thread-safe, and pages are served from a thread pool


def render_page(pdf: bytes, page: int, width: int) -> bytes:
    """Page `page` (1-based) as a JPEG `width` pixels wide."""
    with _PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            sheet = document[page - 1]
            scale = width / sheet.get_width()
            turned = bool(sheet.get_rotation())  # a turned page's band is at its side: left in place
            image = sheet.render(scale=scale).to_pil().convert("RGB")
        finally:
            document.close()
    band = _stamp_band(pdf) if page == 1 and not turned else 0.0
    if band:
        image = image.crop((0, round(band * scale), image.width, image.height))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _stamp_band(pdf: bytes) -> float:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return float(doc.pages[0].obj.get(STAMP_BAND, 0))


def page_image_cache(services: Services, size: int = 256) -> Callable[[str, str, int, int], bytes]:
    @lru_cache(maxsize=size)
    def image(code: str, signed_sha256: str, page: int, width: int) -> bytes:
        return render_page(archive.signed_pdf(services.store, code, signed_sha256), page, width)

    return image
