"""PAdES signing and verification with pyHanko; keys from PKCS#12 files; the visible stamp."""
from .devcert import DEV_COMMON_NAME, ensure_dev_pkcs12
from .errors import SigningError
from .sign import Stamp, load_pkcs12_signer, sign_pdf, signer_display_name
from .verify import SignatureReport, VerifyReport, load_certificates, verify_pdf

__all__ = ["DEV_COMMON_NAME", "SignatureReport", "SigningError", "Stamp", "VerifyReport", "ensure_dev_pkcs12",
           "load_certificates", "load_pkcs12_signer", "sign_pdf", "signer_display_name", "verify_pdf"]
