"""Detached CAdES signatures over any bytes (the e-form a clerk signs off), and their check."""
from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

from asn1crypto import cms
from pyhanko.sign import signers
from pyhanko.sign.general import SigningError as PyhankoSigningError
from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
from pyhanko_certvalidator import ValidationContext

from .errors import SigningServiceFailed, UnreadablePdf


@dataclass
class DetachedReport:
    intact: bool
    valid: bool
    trusted: bool
    signer: str
    signing_time: str | None

    def to_json(self) -> dict:
        return asdict(self)


def sign_detached(data: bytes, signer: signers.Signer) -> bytes:
    """A DER CMS SignedData over `data` (not embedded), CAdES signed attributes, SHA-256."""
    try:
        signed = asyncio.run(signer.async_sign_general_data(data, "sha256", detached=True, use_cades=True))
    except (PyhankoSigningError, OSError) as exc:
        raise SigningServiceFailed("signing_failed", "Không ký được biểu mẫu.", f"Signing the e-form failed: {exc}") from exc
    return signed.dump()


def verify_detached(data: bytes, signature: bytes, trust_roots: list | None = None) -> DetachedReport:
    try:
        signed_data = cms.ContentInfo.load(signature)["content"]
        context = ValidationContext(trust_roots=trust_roots or [], revocation_mode="soft-fail")
        status = asyncio.run(async_validate_detached_cms(data, signed_data, signer_validation_context=context))
    except (ValueError, KeyError, TypeError) as exc:
        raise UnreadablePdf("corrupt_signature", "Chữ ký của biểu mẫu bị hỏng.",
                           f"The e-form signature is corrupt: {exc}") from exc
    when = status.signer_reported_dt
    return DetachedReport(intact=bool(status.intact), valid=bool(status.valid), trusted=bool(status.trusted),
                          signer=status.signing_cert.subject.human_friendly,
                          signing_time=when.astimezone(timezone.utc).isoformat() if isinstance(when, datetime)
                          else None)
