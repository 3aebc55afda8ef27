"""Where the signing key lives: a PKCS#12 file, or a PKCS#11 token (agencies' USB tokens, HSMs)."""
from __future__ import annotations

from functools import lru_cache

from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.sign import signers

from .errors import SigningError


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


def load_pkcs11_signer(module: str, token_label: str, key_label: str, pin: str, *,
                       cert_label: str | None = None, chain: list | None = None) -> signers.Signer:
    """A signer whose key never leaves the token; the session stays open for the process's life.

    `chain`: the intermediate CA certificates to embed, when the token holds only the signer's own.
    """
    from pkcs11.exceptions import PKCS11Error
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    try:
        session = open_pkcs11_session(module, token_criteria=TokenCriteria(label=token_label), user_pin=pin)
        # Hashing here and signing the digest raw works on every token (SoftHSM has no CKM_ECDSA_SHA256).
        signer = PKCS11Signer(session, key_label=key_label, cert_label=cert_label or key_label,
                              use_raw_mechanism=True, ca_chain=chain or None)
        signer.signing_cert  # noqa: B018 - read the certificate now, so a wrong label fails here
        return signer
    except (PKCS11Error, OSError, ValueError) as exc:
        raise SigningError("token_unavailable", "Không mở được thiết bị ký số (token PKCS#11): kiểm tra token, nhãn khóa và mã PIN.",
                           f"Cannot use PKCS#11 token {token_label!r} key {key_label!r} via {module}: "
                           f"{type(exc).__name__} {exc}") from exc
