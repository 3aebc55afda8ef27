"""Pages in, words out: loading, orientation, deskew, cleanup, Tesseract, text-layer PDF.

This package knows nothing of storage, queues or signatures.
"""
import cv2

# One thread per page, as for Tesseract: pages and worker processes run in parallel instead, and
# OpenCV's own thread pool would only fight them for the two cores (measured by `bench --throughput`).
cv2.setNumThreads(1)

from .engine import PageResult, ocr_page, ocr_pages
from .errors import PageInputError
from .codes import Code
from .model import PageText, SourcePage, Word
from .pages import load_pages, sniff_type
from .textpdf import PdfInfo, PdfPage, build_pdf

__all__ = ["Code", "PageInputError", "PageResult", "PageText", "PdfInfo", "PdfPage", "SourcePage", "Word",
           "build_pdf", "load_pages", "ocr_page", "ocr_pages", "sniff_type"]
