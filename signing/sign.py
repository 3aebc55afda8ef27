"""PAdES signing with pyHanko and the visible stamp of a digitized copy (Decree 30/2020).

Levels: B-B (signature only), B-T (plus a timestamp from a TSA), B-LT (plus the chain's OCSP
responses or CRLs, fetched now and embedded, so the signature can be checked offline after the
certificate expires), B-LTA (plus a document timestamp over all that, renewable by archives).

The stamp sits at the top right of page 1, has no picture, and states the copy
type, the agency, the signer and the signing time (ISO 8601, +07:00) in a
Times-compatible font, with the document code as text and as a QR code.
"""
from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from pyhanko.pdf_utils import text as pdf_text
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.general import SigningError as PyhankoSigningError
from pyhanko.stamp import QRPosition, QRStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

from common.clock import VIETNAM

from . import placement
from .errors import SigningError, SigningServiceFailed

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
    font: str = ""  # a TrueType file (DIGITIZE_STAMP_FONT); empty: the first of FONT_CANDIDATES found


def stamp_font_path(configured: str = "") -> str:
    for path in ([configured] if configured else []) + list(FONT_CANDIDATES):
        if path and Path(path).is_file():
            return _with_1000_units_per_em(path)
    raise SigningError("font_missing", "Thiếu phông chữ cho dấu chữ ký (cài fonts-liberation2).",
                       "No TrueType font for the signature stamp (install fonts-liberation2).")


@lru_cache(maxsize=4)
def _with_1000_units_per_em(path: str) -> str:
    """pyHanko lays text out as if every font had 1000 units per em; rescale others once, kept in the
    temporary directory for the next process."""
    font = TTFont(path)
    if font["head"].unitsPerEm == 1000:
        return path
    cache = Path(tempfile.gettempdir()) / f"digitize-fonts-{os.getuid()}"
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


LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")


def sign_pdf(pdf: bytes, signer: signers.Signer, stamp: Stamp, *, field_name: str = "Signature1",
             timestamp_url: str | None = None, level: str | None = None,
             trust_roots: list | None = None, signing_time: datetime | None = None) -> bytes:
    """The PDF with one more PAdES signature at `level` (default: B-T with a TSA, else B-B).

    B-LT and B-LTA fetch revocation data for the signer's chain from the URLs in its certificates
    and need `trust_roots` to build that chain; a revoked or untrusted certificate is refused.
    """
    level = level or ("B-T" if timestamp_url else "B-B")
    if level not in LEVELS:
        raise SigningError("bad_level", f"Mức chữ ký {level} không hợp lệ (B-B, B-T, B-LT, B-LTA).",
                           f"Unknown PAdES level {level}; use one of {', '.join(LEVELS)}")
    if level != "B-B" and not timestamp_url:
        raise SigningError("no_timestamp_authority", f"Mức {level} cần máy chủ dấu thời gian (DIGITIZE_TIMESTAMP_URL).",
                           f"PAdES {level} needs a timestamp authority (DIGITIZE_TIMESTAMP_URL)")
    long_term = level in ("B-LT", "B-LTA")
    when = (signing_time or datetime.now(VIETNAM)).astimezone(VIETNAM).replace(microsecond=0)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=stamp.copy_type,
        location=stamp.agency,
        name=stamp.signer_name,
        embed_validation_info=long_term,
        use_pades_lta=level == "B-LTA",
        validation_context=ValidationContext(trust_roots=trust_roots or [], allow_fetching=True)
        if long_term else None,
    )
    spec, pdf = _new_field(pdf, field_name)
    pdf_signer = signers.PdfSigner(
        meta, signer=signer, stamp_style=_stamp_style(stamp_font_path(stamp.font)),
        new_field_spec=spec,
        timestamper=timestamps.HTTPTimeStamper(timestamp_url) if timestamp_url else None,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    try:
        out = pdf_signer.sign_pdf(writer, appearance_text_params={
            "url": stamp.qr_payload,
            "copy_type": stamp.copy_type,
            "agency": stamp.agency,
            "signer": stamp.signer_name,
            "signing_time": when.strftime("%d/%m/%Y %H:%M") + " (giờ Việt Nam, +07:00)",
            "code": stamp.document_code,
        })
    except (PathValidationError, PathBuildingError) as exc:
        raise SigningError("signer_not_valid", "Chứng thư số ký không hợp lệ, đã bị thu hồi hoặc không tin cậy.",
                           f"The signing certificate does not validate: {exc}") from exc
    except (PyhankoSigningError, OSError) as exc:
        if isinstance(exc.__cause__, (PathValidationError, PathBuildingError)):
            raise SigningError("signer_not_valid", "Chứng thư số ký không hợp lệ, đã bị thu hồi hoặc không tin cậy.",
                               f"The signing certificate does not validate: {exc.__cause__}") from exc
        raise SigningServiceFailed("signing_failed", "Không ký được tài liệu (máy chủ dấu thời gian hoặc thu hồi).",
                           f"Signing failed: {exc}") from exc
    return out.getvalue()


def _new_field(pdf: bytes, field_name: str) -> tuple[fields.SigFieldSpec, bytes]:
    """The first signature gets the visible stamp, in free space at the top of page 1 (a band is
    added above the page when there is none); later ones (e.g. an archivist's) are invisible."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        acro = doc.Root.get("/AcroForm")
        if acro is not None and any(str(f.get("/FT")) == "/Sig" for f in acro.get("/Fields", [])):
            return fields.SigFieldSpec(field_name), pdf
        x0, _y0, x1, _y1 = (float(v) for v in doc.pages[0].mediabox)
    width = min(STAMP_WIDTH, (x1 - x0) - 2 * MARGIN)
    pdf, box = placement.place(pdf, width, STAMP_HEIGHT, MARGIN)
    return fields.SigFieldSpec(field_name, on_page=0, box=box), pdf