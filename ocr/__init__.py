"""Pages in, words out: loading, orientation, deskew, cleanup, Tesseract, text-layer PDF.

This package knows nothing of storage, queues or signatures.
"""
from .codes import Code
from .engine import OcrEngine
from .errors import PageInputError
from .model import PageText, SourcePage, Word
from .pages import FileInfo, inspect, load_pages, sniff_type
from .recognize import PageResult, ocr_page, ocr_pages
from .sanitize import active_content
from .tesseract import TesseractEngine
from .tesserocr_engine import TesserocrEngine

ENGINES = ("tesserocr", "tesseract-cli")


def make_engine(kind: str = "tesseract-cli", lang: str = "vie") -> OcrEngine:
    """Tesseract as a command per call (pytesseract, the default) or in-process (tesserocr)."""
    if kind not in ENGINES:
        raise ValueError(f"unknown OCR engine {kind!r}; choose one of {', '.join(ENGINES)}")
    return TesserocrEngine(lang=lang) if kind == "tesserocr" else TesseractEngine(lang=lang)
from .textpdf import PdfInfo, PdfPage, build_pdf

__all__ = ["Code", "OcrEngine", "PageInputError", "PageResult", "TesseractEngine", "TesserocrEngine", "make_engine", "PageText", "PdfInfo", "PdfPage", "SourcePage", "Word",
           "FileInfo", "active_content", "build_pdf", "inspect", "load_pages", "ocr_page", "ocr_pages", "sniff_type"]
