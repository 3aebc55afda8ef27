"""Pages in, words out: loading, orientation, deskew, cleanup, Tesseract, text-layer PDF.

This package knows nothing of storage, queues or signatures.
"""
from .codes import Code
from .combine import CombinedEngine
from .engine import OcrEngine
from .errors import PageInputError
from .model import PageText, SourcePage, Word
from .pages import FileInfo, inspect, load_pages, sniff_type
from .recognize import PageResult, ocr_page, ocr_pages
from .sanitize import active_content
from .stored import page_text
from .tesseract import TesseractEngine
from .tesserocr_engine import TesserocrEngine
from .trueocr_engine import TrueOcrEngine

ENGINES = ("tesserocr", "tesseract-cli", "trueocr")


def make_engine(kind: str = "tesserocr", lang: str = "vie", *, second: bool = True) -> OcrEngine:
    """Tesseract in-process (tesserocr, the default) or as a command per call (pytesseract), with
    trueocr as the second reader of the pages Tesseract is unsure of (ocr/combine.py) unless
    `second` is False; or trueocr alone."""
    if kind not in ENGINES:
        raise ValueError(f"unknown OCR engine {kind!r}; choose one of {', '.join(ENGINES)}")
    if kind == "trueocr":
        return TrueOcrEngine()
    first = TesserocrEngine(lang=lang) if kind == "tesserocr" else TesseractEngine(lang=lang)
    return CombinedEngine(first) if second else first
from .textpdf import PdfInfo, PdfPage, assemble_pdf, build_pdf

__all__ = ["Code", "CombinedEngine", "TrueOcrEngine", "OcrEngine", "PageInputError", "PageResult", "TesseractEngine", "TesserocrEngine", "make_engine", "PageText", "PdfInfo", "PdfPage", "SourcePage", "Word",
           "FileInfo", "active_content", "assemble_pdf", "build_pdf", "inspect", "load_pages", "ocr_page", "ocr_pages", "page_text", "sniff_type"]
