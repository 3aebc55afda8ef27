"""PAdES signing and verification with pyHanko; keys from PKCS#12 files or PKCS#11 tokens; the visible stamp."""
from .devcert import DEV_COMMON_NAME, ensure_dev_pkcs12
from .errors import SigningError
from .keys import load_pkcs11_signer, load_pkcs12_signer
from .sign import LEVELS, Stamp, sign_pdf, signer_display_name
from .verify import SignatureReport, VerifyReport, load_certificates, verify_pdf

__all__ = ["DEV_COMMON_NAME", "SignatureReport", "SigningError", "Stamp", "VerifyReport", "ensure_dev_pkcs12",
           "LEVELS", "load_certificates", "load_pkcs11_signer", "load_pkcs12_signer", "sign_pdf", "signer_display_name", "verify_pdf"]
