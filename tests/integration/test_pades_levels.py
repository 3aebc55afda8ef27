"""PAdES levels against the real test PKI (certomancer, served on loopback by ./scripts/services):
timestamps, embedded revocation data, document timestamps, revocation, a second signature, a
key on a PKCS#11 token (SoftHSMv2), and validation years later with the clock moved forward."""
import io
import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from ocr import PageText, PdfInfo, PdfPage, build_pdf
from ocr.textpdf import encode_page_image
from signing import SigningError, Stamp, load_pkcs11_signer, sign_pdf, verify_pdf
from tests import pki as test_pki

from ..conftest import LIVE, SAMPLES, run

YEARS_LATER = datetime(2034, 6, 1, tzinfo=timezone.utc)  # the signer's certificate expired in 2028
SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"


@pytest.fixture(scope="module")
def pki():
    if "DIGITIZE_TEST_PKI_DIR" not in LIVE:
        pytest.skip("test PKI not started (run ./scripts/test, or ./scripts/services up)")
    return test_pki.load(Path(LIVE["DIGITIZE_TEST_PKI_DIR"]), LIVE["DIGITIZE_TEST_PKI_URL"])


@pytest.fixture(scope="module")
def pdf() -> bytes:
    image = np.full((1169, 827), 255, np.uint8)
    image[100:140, 100:700] = 90
    text = PageText(index=0, width=827, height=1169, dpi=100, source="ocr", orientation=0, skew=0.0, words=[])
    return build_pdf([PdfPage(text, encode_page_image(image, 100))], PdfInfo(title="t", document_code="TEST-1"))


STAMP = Stamp("BẢN SAO ĐIỆN TỬ", "UBND xã Thử Nghiệm", "Ủy ban nhân dân xã Thử Nghiệm", "TEST-1", "TEST-1")


def _sign(pki, pdf, level, label="signer", **kw) -> bytes:
    return sign_pdf(pdf, pki.signer(label), STAMP, timestamp_url=pki.tsa_url, level=level,
                    trust_roots=[pki.cert("root")], **kw)


@pytest.fixture(scope="module")
def signed(pki, pdf) -> dict[str, bytes]:
    return {level: _sign(pki, pdf, level) for level in ("B-T", "B-LT", "B-LTA")}


def test_levels_are_what_was_asked(pki, signed):
    for level, data in signed.items():
        report = verify_pdf(data, [pki.cert("root")])
        sig = report.signatures[0]
        assert report.all_trusted, (level, sig.summary)
        assert sig.pades_level == level
        assert sig.timestamp and sig.timestamp_valid
        assert sig.revocation_checked == (level != "B-T")
        assert report.document_code == "TEST-1"


def test_b_t_and_b_lt_validate_offline_years_later(pki, pdf, signed):
    roots = [pki.cert("root")]
    for level in ("B-T", "B-LT", "B-LTA"):
        report = verify_pdf(signed[level], roots, at=YEARS_LATER)
        sig = report.signatures[0]
        assert report.all_trusted, (level, sig.summary)
        # judged at the time the timestamp proves, when the certificate was still valid
        assert sig.validated_at == sig.timestamp
    lt = verify_pdf(signed["B-LT"], roots, at=YEARS_LATER).signatures[0]
    assert lt.revocation_checked and not lt.revoked
    # Without a timestamp nothing proves when it was signed: after expiry it is no longer trusted.
    plain = sign_pdf(pdf, pki.signer(), STAMP, level="B-B")
    assert verify_pdf(plain, roots).all_trusted
    later = verify_pdf(plain, roots, at=YEARS_LATER)
    assert later.all_valid and not later.all_trusted  # intact, but the chain has expired


def test_revoked_certificate_is_reported(pki, pdf):
    data = _sign(pki, pdf, "B-T", label="revoked")
    report = verify_pdf(data, [pki.cert("root")], online=True)
    sig = report.signatures[0]
    assert sig.revoked and sig.revocation_checked and not report.all_valid
    with pytest.raises(SigningError) as refused:  # embedding revocation data for it is refused
        _sign(pki, pdf, "B-LT", label="revoked")
    assert refused.value.code == "signer_not_valid"


def test_second_signature_keeps_the_first_valid(pki, signed):
    first = signed["B-LT"]
    both = sign_pdf(first, pki.signer("archivist"), STAMP, field_name="Archivist", timestamp_url=pki.tsa_url,
                    level="B-LT", trust_roots=[pki.cert("root")])
    report = verify_pdf(both, [pki.cert("root")])
    assert [s.field for s in report.signatures] == ["Signature1", "Archivist"]
    assert report.all_trusted, [s.summary for s in report.signatures]
    assert not report.signatures[0].changes_after_signing
    assert "Lưu trữ viên" in report.signatures[1].signer


def test_one_flipped_byte_and_an_added_page_are_reported(pki, signed, tmp_path):
    data = bytearray(signed["B-LT"])
    data[data.index(b"\xff\xd8\xff") + 500] ^= 0x01  # inside the page image, which the signature covers
    assert not verify_pdf(bytes(data), [pki.cert("root")]).all_valid

    writer = IncrementalPdfFileWriter(io.BytesIO(signed["B-LT"]))
    writer.insert_page(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Page"),
        generic.NameObject("/MediaBox"): generic.ArrayObject([generic.NumberObject(0)] * 2 + [
            generic.NumberObject(595), generic.NumberObject(842)])}))
    out = io.BytesIO()
    writer.write(out)
    report = verify_pdf(out.getvalue(), [pki.cert("root")])
    assert report.signatures[0].changes_after_signing and not report.all_valid
    with pikepdf.open(io.BytesIO(out.getvalue())) as doc:
        assert len(doc.pages) == 2


def test_pdfsig_agrees(signed, tmp_path):
    for level, data in signed.items():
        path = tmp_path / f"{level}.pdf"
        path.write_bytes(data)
        res = run("pdfsig", str(path))
        assert "Signature is Valid" in res.stdout, (level, res.stdout)


@pytest.fixture
def softhsm_token(pki, tmp_path, monkeypatch):
    """A SoftHSMv2 token holding the signer's key and certificate, as an agency's USB token would."""
    if not Path(SOFTHSM_MODULE).exists():
        pytest.fail(f"softhsm2 is not installed ({SOFTHSM_MODULE}); ./scripts/test installs it")
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    token, pin = "digitize-test", "123456"
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", token, "--pin", pin, "--so-pin", "654321"],
                   check=True, capture_output=True, env=env)
    key = tmp_path / "signer.key.pem"
    key.write_bytes(pki.key_pem("signer"))
    subprocess.run(["softhsm2-util", "--import", str(key), "--token", token, "--label", "signer", "--id", "01",
                    "--pin", pin], check=True, capture_output=True, env=env)
    cert = tmp_path / "signer.der"
    cert.write_bytes(pki.cert("signer").dump())
    subprocess.run(["pkcs11-tool", "--module", SOFTHSM_MODULE, "--token-label", token, "--login", "--pin", pin,
                    "--write-object", str(cert), "--type", "cert", "--label", "signer", "--id", "01"],
                   check=True, capture_output=True, env=env)
    return token, pin


def test_key_on_a_pkcs11_token_signs(pki, pdf, softhsm_token):
    token, pin = softhsm_token
    signer = load_pkcs11_signer(SOFTHSM_MODULE, token, "signer", pin, chain=[pki.cert("interm")])
    data = sign_pdf(pdf, signer, STAMP, timestamp_url=pki.tsa_url, level="B-T")
    report = verify_pdf(data, [pki.cert("root")])
    assert report.all_trusted, report.signatures[0].summary
    assert "Thử Nghiệm" in report.signatures[0].signer
    with pytest.raises(SigningError) as wrong_pin:
        load_pkcs11_signer(SOFTHSM_MODULE, token, "signer", "000000")
    assert wrong_pin.value.code == "token_unavailable"


def test_process_signs_b_lt_and_verify_passes_years_later(pki, tmp_path):
    """The whole job with a PKCS#12 key from the CA, a TSA and B-LT, then `digitize verify --at`."""
    root = tmp_path / "root.pem"
    root.write_bytes(pki.pem("root"))
    env = {**os.environ, "DIGITIZE_HOME": str(tmp_path / "home"),
           "DIGITIZE_SIGNER_PKCS12": str(pki.pkcs12("signer", tmp_path / "signer.p12", b"mat-khau")),
           "DIGITIZE_SIGNER_PASSWORD": "mat-khau", "DIGITIZE_TIMESTAMP_URL": pki.tsa_url,
           "DIGITIZE_SIGNATURE_LEVEL": "B-LT", "DIGITIZE_TRUST_ROOTS": str(root)}
    res = run(sys.executable, "-m", "digitize", "process", str(SAMPLES / "sample-01-quyet-dinh.png"),
              "--out", str(tmp_path / "out"), "--owner", "001090012345", "--json", env=env)
    assert res.returncode == 0, res.stderr
    pdf = tmp_path / "out" / f"{json.loads(res.stdout)['code']}.pdf"
    res = run(sys.executable, "-m", "digitize", "verify", str(pdf), "--at", "2034-06-01", "--json", env=env)
    assert res.returncode == 0, res.stdout + res.stderr
    report = json.loads(res.stdout)
    assert report["trusted"] and report["signatures"][0]["pades_level"] == "B-LT"
    assert report["signatures"][0]["revocation_checked"] and not report["signatures"][0]["revoked"]
