"""Hostile files, made by the test suite itself: what strangers send to break a parser."""
from __future__ import annotations

import io

import pikepdf
from PIL import Image


def _raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF written by hand, object by object, with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def mediabox_loop() -> bytes:
    """Under 500 bytes: the page's /MediaBox is object 4, which is `5 0 R`, which is `4 0 R`."""
    return _raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox 4 0 R /Contents 6 0 R >>",
                     b"5 0 R", b"4 0 R", b"<< /Length 0 >>\nstream\n\nendstream"])


def _saved(pdf: pikepdf.Pdf, **options) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **options)
    return out.getvalue()


def huge_blank_page() -> bytes:
    """One blank page of 2399 × 2399 points (85 cm): 100 million pixels at 300 dpi."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(2399, 2399))
    return _saved(pdf)


def many_blank_pages(count: int = 500) -> bytes:
    """As many blank A4 pages as the page limit allows: 4.3 billion pixels at 300 dpi."""
    pdf = pikepdf.new()
    for _ in range(count):
        pdf.add_blank_page(page_size=(595, 842))
    return _saved(pdf)


def huge_frames(count: int = 12) -> bytes:
    """About 80 KB: a TIFF of 12 blank 1-bit frames of 10000 × 9999."""
    frames = [Image.new("1", (10000, 9999), 1) for _ in range(count)]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", compression="group4", save_all=True, append_images=frames[1:])
    return out.getvalue()


def odd_rotate() -> bytes:
    """/Rotate /Ninety: a name where a number must be."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.pages[0].obj.Rotate = pikepdf.Name("/Ninety")
    return _saved(pdf)


def encrypted() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    return _saved(pdf, encryption=pikepdf.Encryption(owner="o", user="u"))


def truncated_png(page: bytes) -> bytes:
    """A real page's PNG cut short: its header reads fine, its pixels stop."""
    return page[:4000]
