"""Verification of every signature in a PDF, reported the way an archivist needs it."""
from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pikepdf
from asn1crypto import pem, x509
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko_certvalidator import ValidationContext

from .errors import SigningError


@dataclass
class SignatureReport:
    field: str
    intact: bool
    valid: bool
    trusted: bool
    revoked: bool
    signer: str
    signing_time: str | None
    timestamp: str | None
    pades_level: str
    coverage: str
    modification_level: str
    changes_after_signing: bool
    summary: str


@dataclass
class VerifyReport:
    signatures: list[SignatureReport] = field(default_factory=list)
    document_code: str | None = None

    @property
    def all_valid(self) -> bool:
        return bool(self.signatures) and all(s.intact and s.valid and not s.revoked and not s.changes_after_signing
                                             for s in self.signatures)

    @property
    def all_trusted(self) -> bool:
        return self.all_valid and all(s.trusted for s in self.signatures)

    def to_json(self) -> dict:
        return {"valid": self.all_valid, "trusted": self.all_trusted, "document_code": self.document_code,
                "signatures": [asdict(s) for s in self.signatures]}


def load_certificates(paths: list[str]) -> list[x509.Certificate]:
    certs = []
    for p in paths:
        data = Path(p).read_bytes()
        if pem.detect(data):
            certs += [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
        else:
            certs.append(x509.Certificate.load(data))
    return certs


def verify_pdf(data: bytes, trust_roots: list[x509.Certificate] | None = None,
               validation_context: ValidationContext | None = None) -> VerifyReport:
    """Check each signature: intact, valid, trusted against `trust_roots`, what changed after it."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise SigningError("corrupt_pdf", "Tệp PDF bị hỏng, không kiểm tra được chữ ký.",
                           f"The PDF is corrupt: {exc}") from exc
    has_dss = "/DSS" in reader.root
    doc_timestamps = [s for s in embedded if s.sig_object.get("/Type") == "/DocTimeStamp"]
    report = VerifyReport(document_code=_document_code(data))
    for sig in embedded:
        if sig in doc_timestamps:
            continue
        vc = validation_context or ValidationContext(trust_roots=trust_roots or [], allow_fetching=False)
        status = validate_pdf_signature(sig, vc)
        ts = status.timestamp_validity
        level = "B-B"
        if ts is not None:
            level = "B-T"
            if has_dss:
                level = "B-LT"
                if any(d.signed_revision > sig.signed_revision for d in doc_timestamps):
                    level = "B-LTA"
        modification = status.modification_level.name if status.modification_level else "UNKNOWN"
        report.signatures.append(SignatureReport(
            field=sig.field_name,
            intact=bool(status.intact),
            valid=bool(status.valid),
            trusted=bool(status.trusted),
            revoked=bool(status.revoked),
            signer=status.signing_cert.subject.human_friendly,
            signing_time=status.signer_reported_dt.isoformat() if status.signer_reported_dt else None,
            timestamp=ts.timestamp.isoformat() if ts is not None else None,
            pades_level=level,
            coverage=status.coverage.name if status.coverage else "UNKNOWN",
            modification_level=modification,
            changes_after_signing=not (status.docmdp_ok in (True, None)) or modification not in (
                "NONE", "LTA_UPDATES", "FORM_FILLING"),
            summary=status.summary(),
        ))
    return report


def _document_code(data: bytes) -> str | None:
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            code = pdf.docinfo.get("/DocumentCode")
            return str(code) if code is not None else None
    except pikepdf.PdfError:
        return None
