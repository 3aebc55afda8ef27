"""Where the visible stamp goes on page 1: in free space at the top right as Decree 30 asks, never
over the content (the motto, the agency, the document's own number). Page 1 is rendered small and
the top of it searched for an empty rectangle of the stamp's size, right side first; when there is
none, a white band is added above the page and the stamp goes there."""
from __future__ import annotations

import io

import numpy as np
import pikepdf
import pypdfium2

from common.pdf_marks import STAMP_BAND

RENDER_SCALE = 0.5  # 36 dpi: one pixel is two points, enough to see lines of text
INK = 170  # darker than this is content
SEARCH_DEPTH = 0.4  # the share of the page, from its top, where the stamp may go
SPECKS = 0.002  # a scanner's specks: this share of the box may be dark and still count as empty


def place(pdf: bytes, width: float, height: float, margin: float) -> tuple[bytes, tuple[float, float, float, float]]:
    """The PDF (with a band added above page 1 when the page has no room) and the stamp's box
    (x0, y0, x1, y1) in page 1's points."""
    box = _free_box(pdf, width, height, margin)
    if box is not None:
        return pdf, box
    return _with_band(pdf, height + 2 * margin, width, height, margin)


def _free_box(pdf: bytes, width: float, height: float, margin: float) -> tuple[float, float, float, float] | None:
    doc = pypdfium2.PdfDocument(pdf)
    try:
        page = doc[0]
        if page.get_rotation():  # the picture is turned against the page's own axes: use a band
            return None
        x0, y0, x1, y1 = page.get_mediabox()
        ink = page.render(scale=RENDER_SCALE, grayscale=True).to_numpy()
    finally:
        doc.close()
    if ink.ndim == 3:
        ink = ink[..., 0]
    dark = (ink < INK).astype(np.int32)
    sums = np.pad(dark.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    w, h = round(width * RENDER_SCALE), round(height * RENDER_SCALE)
    m = round(margin * RENDER_SCALE)
    rows, cols = dark.shape
    allowed = int(w * h * SPECKS)
    bottom_limit = round(rows * SEARCH_DEPTH)
    for columns in (range(cols - m - w, cols // 2 - 1, -2), range(cols // 2 - 2, m - 1, -2)):
        for top in range(m, max(m, bottom_limit - h) + 1, 2):
            for left in columns:
                if top + h > rows or left < 0 or left + w > cols:
                    continue
                inked = sums[top + h, left + w] - sums[top, left + w] - sums[top + h, left] + sums[top, left]
                if inked <= allowed:
                    scale = 1 / RENDER_SCALE
                    return (x0 + left * scale, y1 - (top + h) * scale, x0 + (left + w) * scale, y1 - top * scale)
    return None


def _with_band(pdf: bytes, band: float, width: float, height: float,
               margin: float) -> tuple[bytes, tuple[float, float, float, float]]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        page.obj.MediaBox = pikepdf.Array([x0, y0, x1, y1 + band])
        page.obj[STAMP_BAND] = band
        if "/CropBox" in page.obj:
            del page.obj["/CropBox"]
        out = io.BytesIO()
        doc.save(out)
    top = y1 + band - margin
    return out.getvalue(), (x1 - margin - width, top - height, x1 - margin, top)
