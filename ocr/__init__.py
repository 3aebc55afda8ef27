"""Pages in, words out: loading, orientation, deskew, cleanup, Tesseract, text-layer PDF.

This package knows nothing of storage, queues or signatures.
"""
from .engine import PageResult, ocr_page, ocr_pages
from .errors import PageInputError
from .model import PageText, SourcePage, Word
from .pages import load_pages, sniff_type
from .textpdf import PdfInfo, PdfPage, build_pdf

__all__ = ["PageInputError", "PageResult", "PageText", "PdfInfo", "PdfPage", "SourcePage", "Word",
           "build_pdf", "load_pages", "ocr_page", "ocr_pages", "sniff_type"]
