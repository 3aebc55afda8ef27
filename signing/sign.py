"""PAdES signing with pyHanko and the visible stamp of a digitized copy (Decree 30/2020).

The stamp sits at the top right of page 1, has no picture, and states the copy
type, the agency, the signer and the signing time (ISO 8601, +07:00) in a
Times-compatible font, with the document code as text and as a QR code.
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from pyhanko.pdf_utils import text as pdf_text
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps
from pyhanko.stamp import QRPosition, QRStampStyle

from .errors import SigningError

VIETNAM = timezone(timedelta(hours=7), "ICT")
STAMP_WIDTH, STAMP_HEIGHT, MARGIN = 280.0, 64.0, 6.0
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",  # Times New Roman's metric twin
    "/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
)
STAMP_TEXT = (
    "%(copy_type)s\n"
    "Ký bởi: %(signer)s\n"
    "Cơ quan: %(agency)s\n"
    "Thời gian ký: %(signing_time)s\n"
    "Mã giấy tờ: %(code)s"
)


@dataclass
class Stamp:
    copy_type: str
    agency: str
    signer_name: str
    document_code: str
    qr_payload: str


@lru_cache(maxsize=4)
def load_pkcs12_signer(path: str, passphrase: bytes | None) -> signers.SimpleSigner:
    try:
        signer = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase)
    except (OSError, ValueError) as exc:
        raise SigningError("signer_unreadable", "Không đọc được chứng thư số ký (tệp PKCS#12).",
                           f"Cannot read the PKCS#12 signing credentials at {path}: {exc}") from exc
    if signer is None:
        raise SigningError("signer_unreadable", "Không đọc được chứng thư số ký (tệp PKCS#12).",
                           f"Cannot read the PKCS#12 signing credentials at {path}")
    return signer


def stamp_font_path() -> str:
    configured = os.environ.get("DIGITIZE_STAMP_FONT")
    for path in ([configured] if configured else []) + list(FONT_CANDIDATES):
        if path and Path(path).is_file():
            return _with_1000_units_per_em(path)
    raise SigningError("font_missing", "Thiếu phông chữ cho dấu chữ ký (cài fonts-liberation2).",
                       "No TrueType font for the signature stamp (install fonts-liberation2).")


@lru_cache(maxsize=4)
def _with_1000_units_per_em(path: str) -> str:
    """pyHanko lays text out as if every font had 1000 units per em; rescale others once, cached."""
    font = TTFont(path)
    if font["head"].unitsPerEm == 1000:
        return path
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "digitize" / "fonts"
    target = cache / f"{Path(path).stem}-upem1000.ttf"
    if not target.exists():
        cache.mkdir(parents=True, exist_ok=True)
        scale_upem(font, 1000)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        font.save(tmp)
        tmp.replace(target)
    return str(target)


@lru_cache(maxsize=2)
def _stamp_style(font_path: str) -> QRStampStyle:
    return QRStampStyle(
        stamp_text=STAMP_TEXT,
        text_box_style=pdf_text.TextBoxStyle(font=GlyphAccumulatorFactory(font_path), font_size=10, leading=11),
        border_width=1,
        background=None,
        qr_position=QRPosition.LEFT_OF_TEXT,
        innsep=3,
    )


def signer_display_name(signer: signers.Signer) -> str:
    cert = signer.signing_cert
    return cert.subject.native.get("common_name") or cert.subject.human_friendly


def sign_pdf(pdf: bytes, signer: signers.Signer, stamp: Stamp, *, field_name: str = "Signature1",
             timestamp_url: str | None = None, signing_time: datetime | None = None) -> bytes:
    """The PDF with one more PAdES signature (B-B, or B-T when a timestamp authority is given)."""
    when = (signing_time or datetime.now(VIETNAM)).astimezone(VIETNAM).replace(microsecond=0)
    box = _top_right_box(pdf)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=stamp.copy_type,
        location=stamp.agency,
        name=stamp.signer_name,
    )
    pdf_signer = signers.PdfSigner(
        meta, signer=signer, stamp_style=_stamp_style(stamp_font_path()),
        new_field_spec=fields.SigFieldSpec(field_name, on_page=0, box=box),
        timestamper=timestamps.HTTPTimeStamper(timestamp_url) if timestamp_url else None,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = pdf_signer.sign_pdf(writer, appearance_text_params={
        "url": stamp.qr_payload,
        "copy_type": stamp.copy_type,
        "agency": stamp.agency,
        "signer": stamp.signer_name,
        "signing_time": when.isoformat(),
        "code": stamp.document_code,
    })
    return out.getvalue()


def _top_right_box(pdf: bytes) -> tuple[float, float, float, float]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        x0, y0, x1, y1 = (float(v) for v in doc.pages[0].mediabox)
    width = min(STAMP_WIDTH, (x1 - x0) - 2 * MARGIN)
    return (x1 - MARGIN - width, y1 - MARGIN - STAMP_HEIGHT, x1 - MARGIN, y1 - MARGIN)
