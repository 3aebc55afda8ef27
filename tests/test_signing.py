"""PAdES signing and verification with a development certificate; poppler's pdfsig agrees."""
import io

import numpy as np
import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from ocr import PageText, PdfInfo, PdfPage, build_pdf
from ocr.textpdf import encode_page_image
from signing import Stamp, ensure_dev_pkcs12, load_pkcs12_signer, sign_pdf, verify_pdf

from .conftest import run


@pytest.fixture(scope="module")
def signer(tmp_path_factory):
    p12 = ensure_dev_pkcs12(tmp_path_factory.mktemp("pki") / "dev.p12", "UBND xã Thử Nghiệm")
    return load_pkcs12_signer(str(p12), None)


@pytest.fixture(scope="module")
def signed(signer) -> bytes:
    image = np.full((1169, 827), 255, np.uint8)
    image[100:140, 100:700] = 90  # grey: stored as JPEG
    text = PageText(index=0, width=827, height=1169, dpi=100, source="ocr", orientation=0, skew=0.0, words=[])
    pdf = build_pdf([PdfPage(text, encode_page_image(image, 100))], PdfInfo(title="t", document_code="DEMO-1"))
    stamp = Stamp("BẢN SAO ĐIỆN TỬ", "UBND xã Thử Nghiệm", "Nguyễn Văn A", "DEMO-1", "DEMO-1")
    return sign_pdf(pdf, signer, stamp)


def test_signature_is_intact_and_reports_code_and_level(signed):
    report = verify_pdf(signed)
    assert report.all_valid and not report.all_trusted  # the dev certificate is never trusted
    sig = report.signatures[0]
    assert sig.intact and sig.pades_level == "B-B" and sig.coverage == "ENTIRE_FILE"
    assert report.document_code == "DEMO-1"


def test_trusted_when_its_root_is_configured(signed, signer):
    from asn1crypto import x509

    root = x509.Certificate.load(signer.signing_cert.dump())
    assert verify_pdf(signed, trust_roots=[root]).all_trusted


def test_pdfsig_and_qpdf_accept_the_signed_file(signed, tmp_path):
    path = tmp_path / "s.pdf"
    path.write_bytes(signed)
    out = run("pdfsig", str(path)).stdout
    assert "Signature is Valid" in out
    assert run("qpdf", "--check", str(path)).returncode == 0


def test_one_flipped_byte_is_reported(signed):
    data = bytearray(signed)
    i = data.index(b"\xff\xd8\xff") + 40  # inside the scan's JPEG data: the file still parses
    data[i] ^= 0x01
    report = verify_pdf(bytes(data))
    assert not report.all_valid and not report.signatures[0].intact


def test_page_added_after_signing_is_reported(signed):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Page"),
        generic.NameObject("/MediaBox"): generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 595, 842)]),
        generic.NameObject("/Resources"): generic.DictionaryObject(),
    })
    writer.insert_page(page)
    buf = io.BytesIO()
    writer.write(buf)
    report = verify_pdf(buf.getvalue())
    assert report.signatures[0].intact  # the signed bytes are untouched...
    assert report.signatures[0].changes_after_signing and not report.all_valid  # ...but a page was added


def test_the_document_code_is_read_from_the_signed_bytes_only(signed):
    """An update appended after signing that changes /DocumentCode shows as a change, not as the code."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    info = writer.trailer["/Info"].get_object()
    info[generic.NameObject("/DocumentCode")] = generic.TextStringObject("FORGED-9")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    forged = out.getvalue()
    import pikepdf

    with pikepdf.open(io.BytesIO(forged)) as whole:  # read as a whole, the file says the forged code
        assert str(whole.docinfo["/DocumentCode"]) == "FORGED-9"
    report = verify_pdf(forged)
    assert report.document_code == "DEMO-1" and report.code_changed_after_signing and not report.all_valid
    assert not verify_pdf(signed).code_changed_after_signing


def _page_pdf(image: np.ndarray, dpi: int = 100) -> bytes:
    text = PageText(index=0, width=image.shape[1], height=image.shape[0], dpi=dpi, source="ocr", orientation=0,
                    skew=0.0, words=[])
    return build_pdf([PdfPage(text, encode_page_image(image, dpi))], PdfInfo(title="t", document_code="DEMO-1"))


def _stamp_box(signed_pdf: bytes) -> tuple[list[float], list[float]]:
    import pikepdf

    with pikepdf.open(io.BytesIO(signed_pdf)) as doc:
        page = doc.pages[0]
        widget = next(a for a in page.obj.Annots if a.get("/FT") == "/Sig" or "/Parent" in a or "/AP" in a)
        return [float(v) for v in widget.Rect], [float(v) for v in page.mediabox]


def test_the_stamp_goes_in_free_space_at_the_top_right(signer):
    image = np.full((1169, 827), 255, np.uint8)
    image[100:130, 60:380] = 0  # the agency, top left; the top right is free
    image[300:1100, 60:770] = 0  # the body
    signed = sign_pdf(_page_pdf(image), signer, Stamp("BẢN SAO", "UBND", "A", "DEMO-1", "DEMO-1"))
    (x0, y0, x1, y1), box = _stamp_box(signed)
    assert box == [0, 0, 595.44, 841.68]  # no band: the page keeps its size
    assert x0 > box[2] / 2 and y1 > box[3] - 0.25 * box[3]  # top right
    top_px, bottom_px = (box[3] - y1) * 100 / 72, (box[3] - y0) * 100 / 72
    left_px, right_px = x0 * 100 / 72, x1 * 100 / 72
    assert image[int(top_px):int(bottom_px) + 1, int(left_px):int(right_px) + 1].min() == 255  # covers nothing


def test_a_page_with_no_room_gets_a_band_above_it_for_the_stamp(signer):
    image = np.full((1169, 827), 255, np.uint8)
    image[40:1120:30, 40:790] = 0  # ruled from top to bottom: no free rectangle anywhere
    signed = sign_pdf(_page_pdf(image), signer, Stamp("BẢN SAO", "UBND", "A", "DEMO-1", "DEMO-1"))
    (x0, y0, x1, y1), box = _stamp_box(signed)
    assert box[3] > 841.68 + 64 and y0 >= 841.68  # the page grew at the top; the stamp sits in the band
    assert verify_pdf(signed).signatures[0].intact
