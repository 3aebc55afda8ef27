"""The archival PDF of `digitize process`: PDF/A-2b by veraPDF, text read back by pdfplumber,
size of a 300 dpi grey page, and born-digital pages kept as they are."""
import json
import os
import sys

import pdfplumber
import pikepdf
import pytest
from fpdf import FPDF

from ocr.metrics import cer

from .conftest import CLEAN_PAGE, LIVE, run

DIGITIZE = [sys.executable, "-m", "digitize"]
BORN_DIGITAL_TEXT = "Quyết định về việc số hóa hồ sơ tại Bộ phận Một cửa, ngày 24 tháng 11 năm 2026."


def _process(home, out, path) -> dict:
    res = run(*DIGITIZE, "process", str(path), "--out", str(out), "--owner", "001090012345", "--json",
              env={**os.environ, "DIGITIZE_HOME": str(home)})
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


@pytest.fixture(scope="module")
def clean_page_pdf(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pdfa")
    doc = _process(tmp / "home", tmp / "out", CLEAN_PAGE)
    return tmp / "out" / f"{doc['code']}.pdf"


def test_veradpf_says_pdfa_2b(clean_page_pdf):
    verapdf = LIVE.get("DIGITIZE_VERAPDF")
    if not verapdf:
        pytest.skip("veraPDF not installed here; ./scripts/test fetches it from Maven Central "
                    "(the structural PDF/A checks are in test_textpdf.py)")
    res = run(verapdf, "--flavour", "2b", "--format", "text", str(clean_page_pdf))
    assert res.stdout.startswith("PASS"), res.stdout + res.stderr


def test_grey_300dpi_page_is_small_and_pdfplumber_reads_the_text(clean_page_pdf):
    assert clean_page_pdf.stat().st_size <= 400 * 1024
    with pdfplumber.open(clean_page_pdf) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    truth = CLEAN_PAGE.with_suffix(".txt").read_text(encoding="utf-8")
    assert cer(truth, text) <= 0.005


def test_born_digital_pdf_is_not_rasterized(tmp_path):
    maker = FPDF(format="A4")
    maker.add_page()
    maker.add_font("dejavu", fname="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    maker.set_font("dejavu", size=12)
    maker.multi_cell(0, 8, BORN_DIGITAL_TEXT)
    source = tmp_path / "born-digital.pdf"
    source.write_bytes(bytes(maker.output()))

    doc = _process(tmp_path / "home", tmp_path / "out", source)
    out = tmp_path / "out" / f"{doc['code']}.pdf"
    assert BORN_DIGITAL_TEXT in " ".join(run("pdftotext", str(out), "-").stdout.split())
    with pikepdf.open(out) as pdf:
        page = pdf.pages[0]
        assert not page.get_images()  # no page picture: the vector text is kept
        fonts = [str(f.BaseFont) for f in page.Resources.Font.values()]
        assert fonts and all("DejaVuSans" in f for f in fonts)  # nor an OCR text layer on top
    stored = json.loads((tmp_path / "home" / "warehouse" / "documents" / doc["code"] / "ocr.json").read_text())
    assert stored["pages"][0]["source"] == "text-layer"
