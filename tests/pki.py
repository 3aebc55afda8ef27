"""The test PKI: root, intermediate, signer (and a revoked one), OCSP responder, CRLs and a
time-stamping authority, declared for certomancer and served over HTTP on loopback.

    python -m tests.pki serve --dir DIR --port 19080   # started by ./scripts/services up

DIR gets the keys (made on first start) and the certomancer config; tests load the same
directory with `load(DIR, url)` to get certificates and signers.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

ARCH = "digitize"
KEYS = ["root", "interm", "ocsp", "tsa", "signer", "archivist", "revoked"]
SIGNER_VALIDITY = {"valid-from": "2025-01-01T00:00:00+0000", "valid-to": "2028-01-01T00:00:00+0000"}
LONG_VALIDITY = {"valid-from": "2020-01-01T00:00:00+0000", "valid-to": "2060-01-01T00:00:00+0000"}


def _key_usage(*usages: str) -> dict:
    return {"id": "key_usage", "critical": True, "smart-value": {"schema": "key-usage", "params": list(usages)}}


def _crl_from(repo: str) -> dict:
    return {"id": "crl_distribution_points", "smart-value": {"schema": "crl-dist-url",
                                                               "params": {"crl-repo-names": [repo]}}}


SIGNER_EXTENSIONS = [
    _key_usage("digital_signature", "non_repudiation"),
    _crl_from("interm"),
    {"id": "authority_information_access",
     "smart-value": {"schema": "aia-urls", "params": {"ocsp-responder-names": ["interm"]}}},
]


def config(url: str) -> dict:
    entities = {
        "root": {"common-name": "Root CA thử nghiệm"},
        "interm": {"common-name": "CA cấp dưới thử nghiệm"},
        "ocsp": {"common-name": "OCSP thử nghiệm"},
        "tsa": {"common-name": "Máy chủ dấu thời gian thử nghiệm"},
        "signer": {"common-name": "Ủy ban nhân dân xã Thử Nghiệm", "organizational-unit-name": "Bộ phận Một cửa"},
        "archivist": {"common-name": "Lưu trữ viên Thử Nghiệm", "organizational-unit-name": "Lưu trữ"},
        "revoked": {"common-name": "Chứng thư đã thu hồi", "organizational-unit-name": "Bộ phận Một cửa"},
    }
    certs = {
        "root": {"subject": "root", "issuer": "root", "validity": LONG_VALIDITY, "extensions": [
            {"id": "basic_constraints", "critical": True, "value": {"ca": True}},
            _key_usage("digital_signature", "key_cert_sign", "crl_sign")]},
        "interm": {"issuer": "root", "validity": LONG_VALIDITY, "extensions": [
            {"id": "basic_constraints", "critical": True, "value": {"ca": True, "path-len-constraint": 0}},
            _key_usage("digital_signature", "key_cert_sign", "crl_sign"), _crl_from("root")]},
        "ocsp": {"issuer": "interm", "validity": LONG_VALIDITY, "extensions": [
            _key_usage("digital_signature"),
            {"id": "extended_key_usage", "critical": True, "value": ["ocsp_signing"]},
            {"id": "ocsp_no_check"}]},
        "tsa": {"issuer": "root", "validity": LONG_VALIDITY, "extensions": [
            _key_usage("digital_signature"),
            {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]}, _crl_from("root")]},
        "signer": {"issuer": "interm", "validity": SIGNER_VALIDITY, "extensions": SIGNER_EXTENSIONS},
        "archivist": {"template": "signer", "subject": "archivist", "subject-key": "archivist"},
        "revoked": {"template": "signer", "subject": "revoked", "subject-key": "revoked",
                    "revocation": {"revoked-since": "2025-06-01T00:00:00+0000", "reason": "key_compromise"}},
    }
    return {
        "external-url-prefix": url,
        "keysets": {ARCH: {"path-prefix": "keys", "keys": {k: {"path": f"{k}.key.pem"} for k in KEYS}}},
        "pki-architectures": {ARCH: {
            "keyset": ARCH,
            "entity-defaults": {"country-name": "VN", "organization-name": "Thử nghiệm Digitize"},
            "entities": entities,
            "certs": certs,
            "services": {
                "ocsp": {"interm": {"for-issuer": "interm", "responder-cert": "ocsp", "signing-key": "ocsp"}},
                "crl-repo": {"root": {"for-issuer": "root", "signing-key": "root", "simulated-update-schedule": "P90D"},
                             "interm": {"for-issuer": "interm", "signing-key": "interm",
                                        "simulated-update-schedule": "P7D"}},
                "cert-repo": {"root": {"for-issuer": "root", "publish-issued-certs": True},
                              "interm": {"for-issuer": "interm", "publish-issued-certs": True}},
                "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}},
            },
        }},
    }


def write(directory: Path, url: str) -> Path:
    """Keys (once) and the config for `url`; returns the config file."""
    keys = directory / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    for name in KEYS:
        path = keys / f"{name}.key.pem"
        if not path.exists():
            key = ec.generate_private_key(ec.SECP256R1())
            path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    cfg = directory / "certomancer.yml"
    cfg.write_text(yaml.safe_dump(config(url), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return cfg


@dataclass
class TestPki:
    url: str
    arch: object  # certomancer.registry.PKIArchitecture
    directory: Path

    @property
    def tsa_url(self) -> str:
        return f"{self.url}/{ARCH}/tsa/tsa"

    def cert(self, label: str):
        return self.arch.get_cert(label)

    def pem(self, label: str) -> bytes:
        from asn1crypto import pem
        return pem.armor("CERTIFICATE", self.cert(label).dump())

    def signer(self, label: str = "signer"):
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        return signers.SimpleSigner(
            signing_cert=self.cert(label), signing_key=self.arch.key_set.get_private_key(label),
            cert_registry=SimpleCertificateStore.from_certs([self.cert("root"), self.cert("interm")]))

    def pkcs12(self, label: str, path: Path, password: bytes) -> Path:
        """The signer's key, certificate and chain as a PKCS#12 file, as a CA would hand it out."""
        from cryptography import x509 as cx509
        from cryptography.hazmat.primitives.serialization import (
            BestAvailableEncryption,
            load_pem_private_key,
            pkcs12,
        )

        key = load_pem_private_key(self.key_pem(label), None)
        cert, chain = (cx509.load_der_x509_certificate(self.cert(n).dump()) for n in (label, "interm"))
        path.write_bytes(pkcs12.serialize_key_and_certificates(label.encode(), key, cert, [chain],
                                                               BestAvailableEncryption(password)))
        return path

    def key_pem(self, label: str) -> bytes:
        return (self.directory / "keys" / f"{label}.key.pem").read_bytes()


def load(directory: Path, url: str) -> TestPki:
    from certomancer.registry import CertomancerConfig

    cfg = CertomancerConfig.from_file(str(directory / "certomancer.yml"), key_search_dir=str(directory))
    return TestPki(url=url, arch=cfg.get_pki_arch(ARCH), directory=directory)


def serve(directory: Path, port: int) -> None:
    from certomancer.integrations.animator import Animator, AnimatorArchStore
    from certomancer.registry import CertomancerConfig
    from werkzeug.serving import make_server

    url = f"http://127.0.0.1:{port}"
    cfg_path = write(directory, url)
    cfg = CertomancerConfig.from_file(str(cfg_path), key_search_dir=str(directory))
    app = Animator(AnimatorArchStore(cfg.pki_archs), with_web_ui=False)
    make_server("127.0.0.1", port, app, threaded=True).serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--dir", type=Path, required=True)
    s.add_argument("--port", type=int, default=19080)
    args = parser.parse_args()
    serve(args.dir, args.port)


if __name__ == "__main__":
    main()
