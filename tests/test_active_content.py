"""Born-digital PDFs from strangers: scripts, actions, links, attachments and old signature boxes do
not reach the copy we sign; the manifest lists what was left out and the signatures the file had."""
import io

import pikepdf
import pytest
from fpdf import FPDF

from digitize.pipeline import Submission, process
from digitize.services import Services
from digitize.settings import Settings
from signing import Stamp, ensure_dev_pkcs12, load_pkcs12_signer, sign_pdf, verify_pdf

TEXT = "Giấy xác nhận cư trú của công dân, cấp tại Bộ phận Một cửa ngày 24 tháng 11 năm 2026."
OWNER = "001090012345"


def _born_digital() -> bytes:
    maker = FPDF(format="A4")
    maker.add_page()
    maker.add_font("dejavu", fname="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    maker.set_font("dejavu", size=12)
    maker.multi_cell(0, 8, TEXT)
    return bytes(maker.output())


def _with_active_content(data: bytes) -> bytes:
    pdf = pikepdf.open(io.BytesIO(data))
    page = pdf.pages[0]

    def link(action: dict) -> pikepdf.Dictionary:
        return pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                                                    Rect=[50, 50, 200, 70], A=pikepdf.Dictionary(action)))

    attachment = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FileAttachment, Rect=[10, 10, 20, 20],
        FS=pikepdf.Dictionary(Type=pikepdf.Name.Filespec, F="payload.exe")))
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([
        link({"/S": pikepdf.Name.Launch, "/F": "cmd.exe"}),
        link({"/S": pikepdf.Name.URI, "/URI": "http://dich-vu-cong.example/dang-nhap"}),
        link({"/S": pikepdf.Name.JavaScript, "/JS": "app.alert('x')"}),
        link({"/S": pikepdf.Name.GoTo, "/D": pikepdf.Array([page.obj, pikepdf.Name.Fit])}),  # harmless: kept
        attachment]))
    page.obj.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert('open')"))
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.launchURL('x')")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.fixture
def services(tmp_path) -> Services:
    return Services(Settings(home=tmp_path))


def test_active_content_is_left_out_of_the_signed_copy_and_listed(services):
    outcome = process(Submission(_with_active_content(_born_digital()), "x.pdf", OWNER), services)
    for marker in (b"/Launch", b"cmd.exe", b"/JavaScript", b"/URI", b"dich-vu-cong", b"/FileAttachment",
                   b"payload.exe", b"/OpenAction"):
        assert marker not in outcome.pdf, marker
    removed = outcome.manifest.removed_content
    assert len(removed) == 5 and any("Launch" in r for r in removed) and any("page actions" in r for r in removed)
    with pikepdf.open(io.BytesIO(outcome.pdf)) as pdf:  # the harmless jump and the text stay
        links = [a for a in pdf.pages[0].obj.get("/Annots", []) if a.get("/Subtype") == pikepdf.Name.Link]
        assert len(links) == 1 and links[0].A.S == pikepdf.Name.GoTo
    assert verify_pdf(outcome.pdf).all_valid


def test_a_signed_input_is_reported_and_our_copy_carries_only_our_signature(services, tmp_path):
    signer = load_pkcs12_signer(str(ensure_dev_pkcs12(tmp_path / "other.p12", "UBND phường Khác")), None)
    signed_before = sign_pdf(_born_digital(), signer, Stamp("BẢN CHÍNH", "UBND phường Khác", "Người ký", "X-1", "X-1"))
    outcome = process(Submission(signed_before, "signed.pdf", OWNER), services)
    [before] = outcome.manifest.input_signatures
    assert before.intact and before.valid and not before.trusted
    report = verify_pdf(outcome.pdf)
    assert [s.field for s in report.signatures] == ["Signature1"] and report.all_valid  # no broken old box
    assert services.store.get(outcome.manifest.original.key) == signed_before  # the original, untouched
