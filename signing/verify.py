"""Verification of every signature in a PDF, reported the way an archivist needs it.

Offline by default: the chain is checked against the configured roots with the revocation data
embedded in the PDF (its DSS). A signature with a timestamp is judged at the time the timestamp
proves, so a B-T or B-LT signature stays valid after its certificate expires. `at` moves the
clock (to check what an archivist will see in years), `online` lets the check fetch OCSP/CRLs.
"""
from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pikepdf
from asn1crypto import pem, x509
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko_certvalidator import ValidationContext

from .errors import UnreadablePdf


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
    timestamp_valid: bool | None
    revocation_checked: bool
    validated_at: str
    pades_level: str
    coverage: str
    modification_level: str
    changes_after_signing: bool
    summary: str


@dataclass
class VerifyReport:
    signatures: list[SignatureReport] = field(default_factory=list)
    document_code: str | None = None  # as signed: from the bytes the first signature covers
    code_changed_after_signing: bool = False  # a later update says another code

    @property
    def all_valid(self) -> bool:
        return bool(self.signatures) and not self.code_changed_after_signing and all(
            s.intact and s.valid and not s.revoked and not s.changes_after_signing for s in self.signatures)

    @property
    def all_trusted(self) -> bool:
        return self.all_valid and all(s.trusted for s in self.signatures)

    def to_json(self) -> dict:
        return {"valid": self.all_valid, "trusted": self.all_trusted, "document_code": self.document_code,
                "code_changed_after_signing": self.code_changed_after_signing,
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


def verify_pdf(data: bytes, trust_roots: list[x509.Certificate] | None = None, *,
               at: datetime | None = None, online: bool = False) -> VerifyReport:
    """Check each signature: intact, valid, trusted against `trust_roots`, revoked, what changed after it."""
    whole_code = _document_code(data)  # also refuses an encrypted file, which pyHanko cannot judge
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise UnreadablePdf("corrupt_pdf", "Tệp PDF bị hỏng, không kiểm tra được chữ ký.",
                           f"The PDF is corrupt: {exc}") from exc
    now = at or datetime.now(timezone.utc)
    dss = _read_dss(reader)
    doc_timestamps = [s for s in embedded if s.sig_object.get("/Type") == "/DocTimeStamp"]
    signed_revision = _first_signed_revision(data, embedded)
    signed_code = whole_code if signed_revision == data else _document_code(signed_revision)
    report = VerifyReport(document_code=signed_code, code_changed_after_signing=whole_code != signed_code)
    for sig in embedded:
        if sig in doc_timestamps:
            continue
        report.signatures.append(_check(sig, trust_roots or [], now, online, dss, doc_timestamps))
    return report


def _context(roots: list, moment: datetime, online: bool, dss: DocumentSecurityStore | None,
             revinfo: bool) -> ValidationContext:
    kwargs = {"trust_roots": roots, "moment": moment, "allow_fetching": online,
              # Revocation data made when signing (just after the timestamp) speaks for that time.
              "retroactive_revinfo": True,
              "revocation_mode": "hard-fail" if revinfo or online else "soft-fail"}
    return dss.as_validation_context(kwargs) if dss is not None else ValidationContext(**kwargs)


def _check(sig, roots: list, now: datetime, online: bool, dss: DocumentSecurityStore | None,
           doc_timestamps: list) -> SignatureReport:
    revinfo = dss is not None and bool(dss.ocsps or dss.crls)
    # The timestamp proves the signature existed at its time: judge the signer's chain then.
    ts_time = _timestamp_time(sig)
    moment = ts_time if ts_time and ts_time < now else now
    # The timestamp token too is judged at its own time, with the TSA's revocation data from then;
    # checking it "now", years later, would need revocation data nobody can have offline.
    status = validate_pdf_signature(
        sig, signer_validation_context=_context(roots, moment, online, dss, revinfo),
        ts_validation_context=_context(roots, moment, online, dss, revinfo))
    ts = status.timestamp_validity
    level = "B-B"
    if ts is not None:
        level = "B-T"
        if revinfo:
            level = "B-LT"
            if any(d.signed_revision > sig.signed_revision for d in doc_timestamps):
                level = "B-LTA"
    modification = status.modification_level.name if status.modification_level else "UNKNOWN"
    return SignatureReport(
        field=sig.field_name,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        revoked=bool(status.revoked),
        signer=status.signing_cert.subject.human_friendly,
        signing_time=status.signer_reported_dt.isoformat() if status.signer_reported_dt else None,
        timestamp=ts.timestamp.isoformat() if ts is not None else None,
        timestamp_valid=(bool(ts.intact and ts.valid and ts.trusted) if ts is not None else None),
        revocation_checked=revinfo or online,
        validated_at=moment.isoformat(),
        pades_level=level,
        coverage=status.coverage.name if status.coverage else "UNKNOWN",
        modification_level=modification,
        changes_after_signing=not (status.docmdp_ok in (True, None)) or modification not in (
            "NONE", "LTA_UPDATES", "FORM_FILLING"),
        summary=status.summary(),
    )


def _timestamp_time(sig) -> datetime | None:
    """The time in the signature's timestamp token, if it has one (checked by validation later)."""
    try:
        for signed_data in extract_tst_data_iter(sig.signer_info, signed=False):
            return signed_data["encap_content_info"]["content"].parsed["gen_time"].native
    except (KeyError, ValueError, AttributeError):
        pass
    return None


def _read_dss(reader: PdfFileReader) -> DocumentSecurityStore | None:
    try:
        return DocumentSecurityStore.read_dss(reader)
    except (KeyError, NoDSSFoundError):
        return None


def _first_signed_revision(data: bytes, embedded: list) -> bytes:
    """The file as it was when its first signature was made: the code is read from bytes that
    signature covers, never from an update appended after it. Unsigned: the whole file."""
    signatures = sorted((s for s in embedded if s.sig_object.get("/Type") != "/DocTimeStamp"),
                        key=lambda s: s.signed_revision)
    if not signatures:
        return data
    start, first, second, length = signatures[0].byte_range
    return data[:int(second) + int(length)]


def _document_code(data: bytes) -> str | None:
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            code = pdf.docinfo.get("/DocumentCode")
            return str(code) if code is not None else None
    except pikepdf.PasswordError:
        raise UnreadablePdf("encrypted_pdf", "Tệp PDF được mã hóa hoặc có mật khẩu, không kiểm tra được chữ ký.",
                            "The PDF is encrypted or password-protected.") from None
    except pikepdf.PdfError:
        return None  # pyHanko says what is wrong with the file
