"""The searchable PDF: scan image plus invisible text that pdftotext reads back."""
import numpy as np
import pikepdf

from ocr import PageText, PdfInfo, PdfPage, Word, build_pdf
from ocr.textpdf import encode_page_image

from .conftest import run


def _page(words, image=None):
    image = image if image is not None else np.full((1100, 850), 255, np.uint8)
    text = PageText(index=0, width=image.shape[1], height=image.shape[0], dpi=100, source="ocr", orientation=0,
                    skew=0.0, words=words)
    return PdfPage(text=text, image=encode_page_image(image, 100))


def test_text_layer_reads_back_in_order(tmp_path):
    words = [Word("Quyết", 100, 100, 120, 30, 96, 1, 1, 1), Word("định", 240, 100, 90, 30, 95, 1, 1, 1),
             Word("số", 100, 150, 50, 30, 97, 1, 1, 2), Word("15/QĐ-BNV", 160, 150, 200, 30, 90, 1, 1, 2)]
    path = tmp_path / "t.pdf"
    path.write_bytes(build_pdf([_page(words)], PdfInfo(title="Thử", document_code="DEMO-261124-000001-T")))
    text = run("pdftotext", str(path), "-").stdout.split()
    assert text == ["Quyết", "định", "số", "15/QĐ-BNV"]
    assert run("qpdf", "--check", str(path)).returncode == 0


def test_page_size_follows_resolution_and_metadata_is_pdfa(tmp_path):
    data = build_pdf([_page([])], PdfInfo(title="Tờ trình", document_code="DEMO-1"))
    with pikepdf.open(__import__("io").BytesIO(data)) as pdf:
        assert [round(float(v)) for v in pdf.pages[0].mediabox] == [0, 0, 612, 792]  # 850x1100 px at 100 dpi
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert meta["dc:title"] == "Tờ trình"
        assert str(pdf.docinfo["/DocumentCode"]) == "DEMO-1"
        assert "/OutputIntents" in pdf.Root


def test_bilevel_scans_stay_lossless():
    img = np.full((200, 160), 255, np.uint8)
    img[50:60, 20:140] = 0
    encoded = encode_page_image(img, 200)
    assert encoded.bilevel and not encoded.colour
    grey = img.copy()
    grey[0, 0] = 128
    assert not encode_page_image(grey, 200).bilevel


def _decoded(page_image) -> np.ndarray:
    """The page image as a PDF viewer sees it."""
    pdf = build_pdf([PdfPage(PageText(index=0, width=page_image.width, height=page_image.height, dpi=100,
                                      source="ocr", orientation=0, skew=0.0, words=[]), page_image)],
                    PdfInfo(title="t"))
    with pikepdf.open(__import__("io").BytesIO(pdf)) as doc:
        return np.asarray(pikepdf.PdfImage(doc.pages[0].Resources.XObject.Im0).as_pil_image())


def test_document_pages_are_sixteen_greys_with_white_paper():
    rng = np.random.default_rng(1)
    flat = np.full((300, 240), 235, np.uint8)
    flat[100:110, 20:220] = 20  # a line of ink
    scan = np.clip(flat.astype(int) + rng.normal(0, 12, flat.shape), 0, 255).astype(np.uint8)  # paper grain
    encoded = encode_page_image(scan, 100, flattened=flat)
    assert encoded.bits == 4 and encoded.flate and not encoded.bilevel
    seen = _decoded(encoded)
    assert seen.shape == scan.shape
    assert (seen[:90] == 255).all()  # grain on the paper is gone
    assert (seen[102:108, 30:210] == 0).all()  # ink is solid


def test_photographs_stay_jpeg():
    photo = np.tile(np.linspace(0, 255, 240, dtype=np.uint8), (300, 1))  # every grey, no paper
    encoded = encode_page_image(photo, 100, flattened=photo)
    assert encoded.bits == 8 and not encoded.flate
    assert abs(int(_decoded(encoded)[150, 120]) - int(photo[150, 120])) < 10


def test_red_seal_survives_paper_whitening():
    rgb = np.full((100, 100, 3), 240, np.uint8)
    rgb[40:60, 40:60] = (214, 40, 48)
    flat = np.full((100, 100), 250, np.uint8)  # the OCR view: seal ink dropped, all paper
    out = encode_page_image(rgb, 100, flattened=flat)
    assert out.colour and out.bits == 8
    seen = _decoded(out)
    assert seen[50, 50, 0] > 150 and seen[50, 50, 1] < 100  # still red
    assert (seen[5, 5] > 245).all()  # paper white
