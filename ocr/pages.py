"""Pages in: PNG, JPEG, multi-page TIFF and PDF become SourcePage objects.

The type is decided from the file's first bytes, never from its name.
"""
from __future__ import annotations

import io
import logging
import unicodedata
import warnings
from dataclasses import dataclass

import numpy as np
import pdfplumber
import pikepdf
import pypdfium2
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import InputTooLarge, PageInputError, UnsupportedFileType
from .model import SourcePage, Word

log = logging.getLogger(__name__)

MAX_PIXELS = 40_000_000  # one page: A4 at 600 dpi is 35 MP, A3 at 400 dpi 31 MP; beyond is a bomb or a mistake
MAX_PAGES = 500
RENDER_DPI = 300
RENDER_MAX_PIXELS = 12_000_000  # A4 at 350 dpi; larger vector pages are rendered at a lower resolution
A4_LONG_SIDE_IN = 11.69

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def sniff_type(data: bytes) -> str:
    """'pdf', 'tiff', 'png', 'jpeg', or raise for anything else."""
    if not data:
        raise PageInputError("empty_file", "Tệp rỗng, không có dữ liệu.", "The file is empty.")
    head = data[:8]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    raise UnsupportedFileType(
        "unsupported_type",
        "Định dạng tệp không được hỗ trợ (chỉ nhận PDF, TIFF, JPEG, PNG).",
        "Unsupported file type (PDF, TIFF, JPEG and PNG are accepted).",
    )


@dataclass(frozen=True)
class FileInfo:
    type: str  # pdf, tiff, png or jpeg
    pages: int
    pixels: int  # all pages decoded (PDF pages counted at the rendering resolution)


def inspect(data: bytes, max_pages: int = MAX_PAGES) -> FileInfo:
    """The file's type and page count, checked cheaply at intake: headers and the PDF's page tree
    are read, no page is decoded or rendered (the worker does that, `load_pages`)."""
    kind = sniff_type(data)
    sizes = _pdf_page_sizes(data, max_pages) if kind == "pdf" else _frame_sizes(data, max_pages)
    if not sizes:
        raise PageInputError("no_pages", "Tệp không có trang nào.", "The file has no pages.")
    return FileInfo(kind, len(sizes), sum(w * h for w, h in sizes))


def _pdf_page_sizes(data: bytes, max_pages: int) -> list[tuple[int, int]]:
    with _open_pdf(data) as pdf:
        if len(pdf.pages) > max_pages:
            raise _too_many_pages(max_pages)
        return [_render_size(*_page_points(page)) for page in pdf.pages]


def _frame_sizes(data: bytes, max_pages: int) -> list[tuple[int, int]]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            frames = getattr(img, "n_frames", 1)
            if frames > max_pages:
                raise _too_many_pages(max_pages)
            sizes = []
            for i in range(frames):
                img.seek(i)  # reads the frame's header only
                if img.width * img.height > MAX_PIXELS:
                    raise _too_large()
                sizes.append((img.width, img.height))
            return sizes
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        if isinstance(exc, PageInputError):
            raise
        raise _corrupt_image(exc) from exc


def load_pages(data: bytes, max_pages: int = MAX_PAGES, wanted: range | None = None) -> list[SourcePage]:
    """The pages' pixels (or a born-digital page's words); only the pages in `wanted` (0-based)
    when given, so that a long batch is decoded a few pages at a time."""
    kind = sniff_type(data)
    pages = _load_pdf(data, max_pages, wanted) if kind == "pdf" else _load_image(data, max_pages, wanted)
    if not pages and not wanted:
        raise PageInputError("no_pages", "Tệp không có trang nào.", "The file has no pages.")
    return pages


# --- images -------------------------------------------------------------------

def _load_image(data: bytes, max_pages: int, wanted: range | None = None) -> list[SourcePage]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            pages = []
            for i, frame in enumerate(_frames(img, wanted)):
                if i >= max_pages:
                    raise _too_many_pages(max_pages)
                if frame is None:
                    continue
                pages.append(SourcePage(index=i, dpi=_image_dpi(frame), image=to_array(frame)))
            return pages
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, PageInputError):
            raise
        raise _corrupt_image(exc) from exc


def _frames(img: Image.Image, wanted: range | None = None):
    """Every frame of a (multi-page) image, loaded; None for a frame not `wanted`."""
    n = getattr(img, "n_frames", 1)
    for i in range(n):
        if wanted is not None and i not in wanted:
            yield None
            continue
        img.seek(i)
        if img.width * img.height > MAX_PIXELS:
            raise _too_large()
        frame = img.copy()
        frame.load()
        frame.info = dict(img.info)
        yield frame


def to_array(img: Image.Image) -> np.ndarray:
    """RGB or grey uint8 array from any Pillow mode (CMYK, 16-bit, alpha, 1-bit, palette)."""
    img = ImageOps.exif_transpose(img)
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(img, dtype=np.float64)
        hi = arr.max() or 1.0
        return (arr * (255.0 / hi)).clip(0, 255).astype(np.uint8)
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(background, rgba).convert("RGB")
    if img.mode in ("1", "L"):
        return np.asarray(img.convert("L"))
    return np.asarray(img.convert("RGB"))


def _image_dpi(img: Image.Image) -> float:
    dpi = img.info.get("dpi")
    if dpi and float(dpi[0]) >= 50:
        return float(dpi[0])
    # No resolution recorded: assume the page is A4, the usual counter paper.
    return max(img.width, img.height) / A4_LONG_SIDE_IN


# --- PDF ----------------------------------------------------------------------

def _open_pdf(data: bytes) -> pikepdf.Pdf:
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise _encrypted()
    except pikepdf.PdfError as exc:
        log.debug("unreadable PDF: %s", exc)
        raise PageInputError("corrupt_pdf", "Tệp PDF bị hỏng, không đọc được.", "The PDF is corrupt.") from exc
    if pdf.is_encrypted:
        pdf.close()
        raise _encrypted()
    return pdf


def _load_pdf(data: bytes, max_pages: int, wanted: range | None = None) -> list[SourcePage]:
    with _open_pdf(data) as pdf:
        if len(pdf.pages) > max_pages:
            raise _too_many_pages(max_pages)
        if len(pdf.pages) == 0:
            return []
        text_pages = _text_layers(_rewritten(pdf), wanted)
        rendered = None
        pages = []
        for i, page in enumerate(pdf.pages):
            if wanted is not None and i not in wanted:
                continue
            w_pt, h_pt = _page_points(page)
            words = text_pages.get(i)
            if words:
                pages.append(SourcePage(index=i, dpi=72.0, words=words, width_pt=w_pt, height_pt=h_pt,
                                        pdf_page_number=i))
                continue
            single = _single_page_image(page, w_pt, h_pt)
            if single is not None:
                image, dpi = single
            else:
                rendered = rendered or pypdfium2.PdfDocument(data)
                image, dpi = _render(rendered, i)
            pages.append(SourcePage(index=i, dpi=dpi, image=image))
        return pages


def _single_page_image(page: pikepdf.Page, w_pt: float, h_pt: float) -> tuple[np.ndarray, float] | None:
    """The scan itself, when the page is one image and nothing else (the usual scanner PDF)."""
    images = list(page.get_images().values())
    if len(images) != 1:
        return None
    try:
        pdfimage = pikepdf.PdfImage(images[0])
        if pdfimage.width * pdfimage.height > MAX_PIXELS:
            raise _too_large()
        pil = pdfimage.as_pil_image()
    except (pikepdf.PdfError, NotImplementedError, pikepdf.models.image.UnsupportedImageTypeError, OSError):
        return None
    if _rotated(page):
        return None  # let the renderer apply the page rotation
    dpi = pil.width / (w_pt / 72.0) if w_pt else RENDER_DPI
    if abs(dpi - pil.height / (h_pt / 72.0)) > max(2.0, dpi * 0.02):
        return None  # image does not fill the page: render to keep the layout
    return to_array(pil), dpi


def _rotated(page: pikepdf.Page) -> bool:
    """A /Rotate that turns the page; a malformed one (a name, a fraction) counts as turned, so the
    renderer, which ignores it, decides."""
    if "/Rotate" not in page.obj:
        return False
    try:
        return int(page.obj.Rotate) % 360 != 0
    except (TypeError, ValueError):
        return True


def _page_points(page: pikepdf.Page) -> tuple[float, float]:
    box = page.mediabox
    return abs(float(box[2]) - float(box[0])), abs(float(box[3]) - float(box[1]))


def _render_dpi(w_pt: float, h_pt: float) -> float:
    """300 dpi, or less for a page so large that 300 dpi would pass RENDER_MAX_PIXELS."""
    full = (w_pt / 72 * RENDER_DPI) * (h_pt / 72 * RENDER_DPI)
    return RENDER_DPI if full <= RENDER_MAX_PIXELS else RENDER_DPI * (RENDER_MAX_PIXELS / max(full, 1)) ** 0.5


def _render_size(w_pt: float, h_pt: float) -> tuple[int, int]:
    dpi = _render_dpi(w_pt, h_pt)
    return round(w_pt / 72 * dpi), round(h_pt / 72 * dpi)


def _render(doc: pypdfium2.PdfDocument, index: int) -> tuple[np.ndarray, float]:
    page = doc[index]
    dpi = _render_dpi(*page.get_size())
    bitmap = page.render(scale=dpi / 72)
    return np.asarray(bitmap.to_pil().convert("RGB")), dpi


def _rewritten(pdf: pikepdf.Pdf) -> bytes:
    """The PDF as qpdf writes it back: reference loops and broken cross-references resolved, which
    pdfminer would otherwise chase forever (the repair OCRmyPDF also runs first)."""
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _text_layers(data: bytes, wanted: range | None = None) -> dict[int, list[Word]]:
    """Words of pages that carry real, readable text (not VNI/TCVN3 garbage, not OCR of ours)."""
    found: dict[int, list[Word]] = {}
    try:
        with pdfplumber.open(io.BytesIO(data)) as doc:
            for i, page in enumerate(doc.pages):
                if wanted is not None and i not in wanted:
                    continue
                words = page.extract_words(keep_blank_chars=False, use_text_flow=True, extra_attrs=["size"])
                text = " ".join(w["text"] for w in words)
                if len(text) < 20 or is_garbage_text(text):
                    continue
                found[i] = _plumber_words(words)
    except Exception as exc:  # pdfminer raises many kinds; a broken text layer just means OCR
        log.info("text layer unreadable, pages will be OCRed: %s", type(exc).__name__)
    return found


def _plumber_words(words: list[dict]) -> list[Word]:
    out: list[Word] = []
    line, last_top = 0, None
    for w in words:
        if last_top is not None and abs(w["top"] - last_top) > w["size"] * 0.5:
            line += 1
        last_top = w["top"]
        out.append(Word(text=unicodedata.normalize("NFC", w["text"]), left=round(w["x0"]), top=round(w["top"]),
                        width=round(w["x1"] - w["x0"]), height=round(w["bottom"] - w["top"]),
                        conf=100.0, block=1, par=1, line=line))
    return out


# Latin-1 letters that never occur in Vietnamese but fill text extracted from VNI and TCVN3 fonts.
_FOREIGN_LATIN1 = set("¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿ÄÅÆÇËÎÏÑÖ×ØÛÜÞßäåæçëîïñö÷øûüþÿ")


def is_garbage_text(text: str) -> bool:
    """True for text that a legacy 8-bit Vietnamese font turned into mojibake."""
    if "(cid:" in text:
        return True
    letters = [c for c in text if not c.isspace()]
    if not letters:
        return True
    odd = sum(1 for c in letters if c in _FOREIGN_LATIN1 or c == "\ufffd" or ord(c) < 32)
    return odd / len(letters) > 0.02


# --- errors -------------------------------------------------------------------

def _corrupt_image(exc: Exception) -> PageInputError:
    return PageInputError("corrupt_image", "Tệp ảnh bị hỏng hoặc không đọc được.",
                          f"The image is corrupt or unreadable ({exc}).")


def _encrypted() -> PageInputError:
    return PageInputError("encrypted_pdf", "Tệp PDF được mã hóa hoặc có mật khẩu, không xử lý được.",
                          "The PDF is encrypted or password-protected.")


def _too_large() -> PageInputError:
    return InputTooLarge("image_too_large", "Ảnh quá lớn (vượt giới hạn số điểm ảnh).",
                          f"The image is too large (over {MAX_PIXELS} pixels).")


def _too_many_pages(limit: int) -> PageInputError:
    return InputTooLarge("too_many_pages", f"Tệp có quá nhiều trang (tối đa {limit}).",
                          f"Too many pages (at most {limit}).")
