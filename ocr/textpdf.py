"""Searchable PDF: each page shows the scan and carries invisible text at the words' positions.

The text layer uses Tesseract's glyphless font (one empty glyph for every
character, 500/1000 em wide), as Tesseract and OCRmyPDF do: text is written as
UTF-16 code units with Identity-H, and each word is stretched (Tz) to the width
of its box so that selection in a viewer lines up with the scan. Born-digital
pages are copied unchanged.
"""
from __future__ import annotations

import glob
import io
import os
import zlib
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import cv2
import numpy as np
import pikepdf
from PIL import Image, ImageCms

from common.pdf_marks import STAMP_BAND

from .model import PageText, Word
from .sanitize import strip_active_content

GLYPH_WIDTH = 0.5  # the glyphless font's advance, as a fraction of the font size
DEFAULT_JPEG_QUALITY = 60  # DIGITIZE_JPEG_QUALITY


@dataclass
class PageImage:
    """A page picture ready to embed: encoded bytes and how to describe them in the PDF."""

    data: bytes
    width: int
    height: int
    dpi: float
    colour: bool
    bilevel: bool
    bits: int = 8  # per component; 1 (bilevel) and 4 (16 greys) are Flate, 8 is JPEG

    @property
    def flate(self) -> bool:
        return self.bits < 8


@dataclass
class PdfPage:
    text: PageText
    image: PageImage | None = None  # None: copy page `text.index` of the source PDF as it is


@dataclass
class PdfInfo:
    title: str
    author: str = ""
    subject: str = ""
    keywords: str = ""
    document_code: str = ""
    created: datetime | None = None


PAPER = 200  # on the light-flattened page, anything brighter is paper
INK = 70  # and anything darker is ink


def encode_page_image(image: np.ndarray, dpi: float, flattened: np.ndarray | None = None, *,
                      quality: int = DEFAULT_JPEG_QUALITY) -> PageImage:
    """The page as kept in the PDF: lossless 1-bit for black-and-white scans; otherwise, given the
    light-flattened grey view of the same page, paper made white, and a document page (paper and
    ink, no photograph) stored as 16 greys in Flate, as OCRmyPDF's optimizer does with pngquant:
    sharp text at a third of a JPEG's size. Photographs and colour stay JPEG."""
    colour = image.ndim == 3
    if not colour and _is_bilevel(image):
        bits = np.packbits(image < 128, axis=1)  # 1 = black with /Decode [1 0]
        return PageImage(zlib.compress(bits.tobytes(), 6), image.shape[1], image.shape[0], dpi, False, True, bits=1)
    if flattened is not None and flattened.shape == image.shape[:2]:
        image = whiten_paper(image, flattened)
        if not colour and is_document(flattened):
            return _sixteen_greys(image, flattened, dpi)
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="JPEG", quality=quality, optimize=True,
                                dpi=(round(dpi), round(dpi)))
    return PageImage(buf.getvalue(), image.shape[1], image.shape[0], dpi, colour, False)


def whiten_paper(image: np.ndarray, flattened: np.ndarray) -> np.ndarray:
    """Paper (noise, shading, scanner grain) becomes white; ink and seals keep their scanned tones."""
    paper = cv2.threshold(flattened, PAPER, 255, cv2.THRESH_BINARY)[1]
    if image.ndim == 2:
        return cv2.max(image, paper)
    # Red seal ink is paper-bright in the OCR view: keep it.
    red = cv2.subtract(image[:, :, 0], cv2.max(image[:, :, 1], image[:, :, 2])) >= 40
    paper[red] = 0
    return cv2.max(image, cv2.merge([paper, paper, paper]))


def is_document(flattened: np.ndarray) -> bool:
    """Mostly paper, few mid-tones: text and lines rather than a photograph."""
    sample = flattened[::4, ::4]
    paper = np.count_nonzero(sample > PAPER) / sample.size
    middle = np.count_nonzero((sample >= INK) & (sample <= PAPER)) / sample.size
    return paper > 0.6 and middle < 0.12


_TO_SIXTEEN = ((np.arange(256, dtype=np.uint16) * 15 + 127) // 255).astype(np.uint8)


def _sixteen_greys(grey: np.ndarray, flattened: np.ndarray, dpi: float) -> PageImage:
    not_ink = cv2.threshold(flattened, INK - 1, 255, cv2.THRESH_BINARY)[1]
    levels = cv2.bitwise_and(cv2.LUT(grey, _TO_SIXTEEN), not_ink)  # solid ink: no grain inside strokes
    if levels.shape[1] % 2:
        levels = np.pad(levels, ((0, 0), (0, 1)), constant_values=15)
    packed = (levels[:, 0::2] << 4) | levels[:, 1::2]
    return PageImage(zlib.compress(packed.tobytes(), 6), grey.shape[1], grey.shape[0], dpi, False, False, bits=4)


def _is_bilevel(grey: np.ndarray) -> bool:
    sample = grey[:: max(1, grey.shape[0] // 200), :: max(1, grey.shape[1] // 200)]
    return bool(np.isin(sample, (0, 255)).all()) and bool(np.isin(grey, (0, 255)).all())


def build_pdf(pages: list[PdfPage], info: PdfInfo, source_pdf: bytes | None = None) -> bytes:
    pdf = pikepdf.new()
    font = _glyphless_font(pdf)
    src = pikepdf.open(io.BytesIO(source_pdf)) if source_pdf else None
    all_ours = True
    for page in pages:
        if page.image is None:
            if src is None:
                raise ValueError("a born-digital page needs the source PDF")
            pdf.pages.append(src.pages[page.text.index])
            strip_active_content(pdf.pages[-1])  # listed for the manifest by sanitize.active_content
            all_ours = False
        else:
            pdf.pages.append(_image_page(pdf, page.image, page.text.words, font))
    _set_metadata(pdf, info, pdfa=all_ours)
    out = io.BytesIO()
    pdf.save(out, linearize=False, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    if src is not None:
        src.close()
    return out.getvalue()


def assemble_pdf(parts: list[tuple[bytes, int, int]], info: PdfInfo) -> bytes:
    """A new PDF from pages of PDFs this service made, signed ones included: (pdf, page index,
    clockwise quarter turns to add). What the signature added is left behind: its field, its
    stamp and the band made for the stamp. PDF/A when every page is one of our scanned pages."""
    pdf = pikepdf.new()
    sources: dict[int, pikepdf.Pdf] = {}
    all_ours = True
    try:
        for data, index, turns in parts:
            src = sources.get(id(data)) or sources.setdefault(id(data), pikepdf.open(io.BytesIO(data)))
            pdf.pages.append(src.pages[index])
            page = pdf.pages[-1]
            if "/Annots" in page.obj:
                del page.obj["/Annots"]
            if STAMP_BAND in page.obj:
                x0, y0, x1, y1 = (float(v) for v in page.mediabox)
                page.obj.MediaBox = pikepdf.Array([x0, y0, x1, y1 - float(page.obj[STAMP_BAND])])
                del page.obj[STAMP_BAND]
            if turns % 4:
                page.obj.Rotate = (int(page.obj.get("/Rotate", 0)) + 90 * turns) % 360
            resources = page.obj.get("/Resources", {})
            all_ours &= "/Im0" in resources.get("/XObject", {}) and "/F1" in resources.get("/Font", {})
        _set_metadata(pdf, info, pdfa=all_ours)
        out = io.BytesIO()
        pdf.save(out, linearize=False, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()
    finally:
        for src in sources.values():
            src.close()


def _image_page(pdf: pikepdf.Pdf, img: PageImage, words: list[Word], font: pikepdf.Object) -> pikepdf.Page:
    scale = 72.0 / img.dpi
    w_pt, h_pt = img.width * scale, img.height * scale
    xobject = _image_xobject(pdf, img)
    content = [f"q {w_pt:.3f} 0 0 {h_pt:.3f} 0 0 cm /Im0 Do Q".encode()]
    content.append(_text_layer(words, scale, h_pt))
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, round(w_pt, 3), round(h_pt, 3)],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=xobject),
                                     Font=pikepdf.Dictionary(F1=font)),
        Contents=pikepdf.Stream(pdf, b"\n".join(content)),
    )
    return pikepdf.Page(page)


def _image_xobject(pdf: pikepdf.Pdf, img: PageImage) -> pikepdf.Stream:
    stream = pikepdf.Stream(pdf, img.data)
    stream.Type = pikepdf.Name.XObject
    stream.Subtype = pikepdf.Name.Image
    stream.Width, stream.Height = img.width, img.height
    if img.flate:
        stream.ColorSpace = pikepdf.Name.DeviceGray
        stream.BitsPerComponent = img.bits
        if img.bilevel:
            stream.Decode = [1, 0]
        stream.Filter = pikepdf.Name.FlateDecode
    else:
        stream.ColorSpace = pikepdf.Name.DeviceRGB if img.colour else pikepdf.Name.DeviceGray
        stream.BitsPerComponent = 8
        stream.Filter = pikepdf.Name.DCTDecode
    return stream


def _text_layer(words: list[Word], scale: float, h_pt: float) -> bytes:
    """Invisible text (render mode 3), one stretched run per word, a space between words of a line."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        lines.setdefault((w.block, w.par, w.line), []).append(w)
    ops = ["BT", "3 Tr"]
    for line in lines.values():
        bottom = max(w.top + w.height for w in line)
        size = max(1.0, float(np.median([w.height for w in line])) * scale)
        baseline = h_pt - bottom * scale + size * 0.15
        ops.append(f"/F1 {size:.2f} Tf")
        for i, w in enumerate(line):
            last = i == len(line) - 1
            text = w.text if last else w.text + " "
            span = w.width if last else max(w.width, line[i + 1].left - w.left)
            natural = len(text.encode("utf-16-be")) / 2 * GLYPH_WIDTH * size
            stretch = 100.0 * span * scale / natural if natural else 100.0
            ops.append(f"{stretch:.1f} Tz 1 0 0 1 {w.left * scale:.2f} {baseline:.2f} Tm "
                       f"<{text.encode('utf-16-be').hex()}> Tj")
    ops.append("ET")
    return "\n".join(ops).encode()


_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


@lru_cache(maxsize=1)
def glyphless_font_path() -> str:
    candidates = [os.path.join(os.environ.get("TESSDATA_PREFIX", ""), "pdf.ttf")]
    candidates += sorted(glob.glob("/usr/share/tesseract-ocr/*/tessdata/pdf.ttf"))
    candidates += sorted(glob.glob("/usr/share/tessdata/pdf.ttf"))
    for path in candidates:
        if os.path.isfile(path):
            return path
    raise FileNotFoundError("Tesseract's glyphless font pdf.ttf was not found; install tesseract-ocr")


def _glyphless_font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    with open(glyphless_font_path(), "rb") as f:
        font_file = pikepdf.Stream(pdf, f.read())
    cid_to_gid = pikepdf.Stream(pdf, zlib.compress(b"\x00\x01" * 65536))
    cid_to_gid.Filter = pikepdf.Name.FlateDecode
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name.GlyphLessFont, Flags=5,
        FontBBox=[0, 0, 500, 1000], ItalicAngle=0, Ascent=1000, Descent=0, CapHeight=1000, StemV=80,
        FontFile2=font_file,
    )
    cid_font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2, BaseFont=pikepdf.Name.GlyphLessFont,
        CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"),
                                         Supplement=0),
        FontDescriptor=descriptor, DW=500, CIDToGIDMap=cid_to_gid,
    )
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name.GlyphLessFont,
        Encoding=pikepdf.Name("/Identity-H"), DescendantFonts=[pdf.make_indirect(cid_font)],
        ToUnicode=pikepdf.Stream(pdf, _TO_UNICODE),
    ))


@lru_cache(maxsize=1)
def _srgb_icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _set_metadata(pdf: pikepdf.Pdf, info: PdfInfo, *, pdfa: bool) -> None:
    created = info.created or datetime.now().astimezone()
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = info.title
        if info.author:
            meta["dc:creator"] = [info.author]
        if info.subject:
            meta["dc:description"] = info.subject
        if info.keywords:
            meta["pdf:Keywords"] = info.keywords
        if info.document_code:
            meta["dc:identifier"] = info.document_code
        meta["xmp:CreateDate"] = created.isoformat()
        meta["xmp:ModifyDate"] = created.isoformat()
        meta["xmp:CreatorTool"] = "digitize"
        meta["pdf:Producer"] = "digitize (pikepdf)"
        if pdfa:
            meta["pdfaid:part"] = "2"
            meta["pdfaid:conformance"] = "B"
    if info.document_code:
        pdf.docinfo[pikepdf.Name("/DocumentCode")] = info.document_code
    if pdfa:
        icc = pikepdf.Stream(pdf, _srgb_icc())
        icc.N = 3
        pdf.Root.OutputIntents = [pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1,
            OutputConditionIdentifier=pikepdf.String("sRGB"), Info=pikepdf.String("sRGB IEC61966-2.1"),
            DestOutputProfile=icc,
        )]
