"""One scan pass, many papers: the split rules on their own, then a generated dossier batch through
the whole pipeline with real Tesseract (each paper its own signed document, the batch kept whole)."""
import io
import random

import pypdfium2
import pytest
from PIL import Image

from digitize import archive, sheets
from digitize.pipeline import Submission, process_upload
from digitize.services import Services
from digitize.settings import Settings
from digitize.split import PageSignals, plan, signals
from ocr import Code, PageText, Word
from samples import batch

DOSSIER = "H40.27-261124-0001"


def _page(index: int, lines: list[str], codes: list[Code] | None = None) -> PageText:
    words = [Word(text=t, left=100 + 60 * k, top=100 + 50 * n, width=50, height=30, conf=95.0, block=1, par=1,
                  line=n) for n, line in enumerate(lines) for k, t in enumerate(line.split())]
    return PageText(index=index, width=2480, height=3508, dpi=300, source="ocr", orientation=0, skew=0.0,
                    words=words, codes=codes or [])


BODY = ["Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "Xét đề nghị của Giám đốc Sở Nội vụ tỉnh về việc kiện toàn tổ chức bộ máy."]
HEADER = ["ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TỈNH KON TUM Độc lập - Tự do - Hạnh phúc"]


def test_what_a_page_shows():
    assert signals(_page(0, HEADER + BODY)).opens == "motto"
    assert signals(_page(0, BODY)).opens is None
    assert signals(_page(0, ["2"] + BODY)).number == 2
    assert signals(_page(0, BODY + ["- 3 -"])).number == 3
    assert signals(_page(0, BODY + ["Trang 2/3"])).number == 2
    assert signals(_page(0, ["..", "'"])).blank
    separator = signals(_page(0, [], [Code("qr", sheets.SEPARATOR, [0, 0, 9, 9])]))
    assert separator.sheet == sheets.SheetMark("separator") and not separator.blank
    cover = signals(_page(0, [], [Code("qr", sheets.COVER_PREFIX + DOSSIER, [0, 0, 9, 9])]))
    assert cover.sheet == sheets.SheetMark("cover", DOSSIER)
    front = signals(_page(0, ["CĂN CƯỚC CÔNG DÂN", "Họ và tên / Full name:", "Ngày sinh / Date of birth: 01/01/1990"]))
    front_2021 = signals(_page(0, ["CĂN CƯỚC CÔNG DÂN", "Họ và tên / Full name:", "Ngày sinh / Date of birth:",
                                   "Nơi thường trú / Place of residence: Thôn 1", "Có giá trị đến / Date of expiry"]))
    assert front_2021.card_side == "front"
    back = signals(_page(0, ["Nơi cư trú / Place of residence: Thôn 1", "Ngày, tháng, năm cấp / Date of issue:"],
                         [Code("mrz", "IDVNM0790123456<<<\n9001011M3001019VNM<<<<<<<<<<<\nNGUYEN<<VAN<A", [0, 0, 9, 9])]))
    assert (front.card_side, back.card_side) == ("front", "back")
    known = signals(_page(0, BODY, [Code("qr", "DEMO-261201-000001-X9", [0, 0, 9, 9])]), lambda c: c.startswith("DEMO"))
    assert known.earlier_code == "DEMO-261201-000001-X9"


def _s(index: int, **kw) -> PageSignals:
    return PageSignals(index=index, **kw)


def test_boundaries_from_sheets_numbers_headers_and_cards():
    pages = [
        _s(0, opens="motto"), _s(1, number=2), _s(2, blank=True), _s(3, number=3),  # one document, 3 pages + a blank back
        _s(4, opens="motto"),  # an application
        _s(5, opens="card", card_side="front"), _s(6, opens="card", card_side="back"),  # one card, two pages
        _s(7, sheet=sheets.SheetMark("separator")), _s(8),  # a paper with no header after a separator
        _s(9, number=1), _s(10, number=2),  # page numbers start and continue a paper
        _s(11, sheet=sheets.SheetMark("cover", "H40.27-261124-0009")), _s(12, opens="motto"),
        _s(13, earlier_code="DEMO-261201-000001-X9"), _s(14),
    ]
    found = plan(pages, DOSSIER)
    assert [p.pages for p in found.papers] == [[0, 1, 3], [4], [5, 6], [8], [9, 10], [12], [13, 14]]
    assert [p.reason for p in found.papers] == ["first", "motto", "card", "separator", "page_number", "cover",
                                                "earlier_code"]
    assert found.blank == [2] and found.sheets == [7, 11]
    assert [p.dossier_code for p in found.papers] == [DOSSIER] * 5 + ["H40.27-261124-0009"] * 2
    assert found.papers[-1].earlier_code == "DEMO-261201-000001-X9"
    assert found.boundaries == [4, 5, 8, 9, 12, 13]


def test_a_card_front_after_a_front_is_another_card():
    found = plan([_s(0, opens="card", card_side="front"), _s(1, opens="card", card_side="front")])
    assert [p.pages for p in found.papers] == [[0], [1]]


@pytest.fixture
def services(tmp_path) -> Services:
    return Services(Settings(home=tmp_path, ocr_jobs=2))


def _pdf(images: list[Image.Image]) -> bytes:
    buf = io.BytesIO()
    batch.save_pdf(images, buf)
    return buf.getvalue()


def test_a_dossier_batch_becomes_one_document_per_paper(services):
    rng = random.Random(7)
    scan = lambda img, upside_down=False: batch._scan(img, rng, upside_down)  # noqa: E731
    images = [scan(p) for p in batch.paper_pages("admin", rng, 300, "liberation-serif", pages=2, numbering="top")]
    images += [batch._blank(300, rng)]  # a blank back
    images += [scan(p, upside_down=True) for p in batch.paper_pages("birth", rng, 300, "noto-serif")]
    images += [scan(p) for p in batch.paper_pages("cccd-2pages", rng, 300, "liberation-sans")]
    images += [scan(sheets.separator_image(300)), scan(sheets.cover_image("H40.27-261124-0002", 300))]
    images += [scan(p) for p in batch.paper_pages("other", rng, 300, "dejavu-serif")]
    data = _pdf(images)

    upload = process_upload(Submission(data, "lo-ho-so.pdf", "001090012345", None, DOSSIER), services)

    assert [p.pages for p in upload.plan.papers] == [[0, 1], [3], [4, 5], [8]]
    assert upload.plan.blank == [2] and upload.plan.sheets == [6, 7]
    assert [o.manifest.kind for o in upload.documents] == ["admin", "birth", "cccd", "other"]
    assert len({o.code for o in upload.documents}) == 4 and upload.needs_review
    assert [o.manifest.original.pages for o in upload.documents] == [[1, 2], [4], [5, 6], [9]]
    assert [o.pages for o in upload.documents] == [2, 1, 2, 1]
    assert [o.manifest.dossier_code for o in upload.documents] == [DOSSIER] * 3 + ["H40.27-261124-0002"]
    for outcome in upload.documents:  # each its own signed PDF, with only its pages, all from the one original
        stored = archive.load_document(services.store, outcome.code)
        assert stored.manifest.original.sha256 == upload.documents[0].manifest.original.sha256
        assert len(pypdfium2.PdfDocument(stored.pdf)) == outcome.pages
    assert services.store.get(upload.documents[0].manifest.original.key) == data  # the batch kept whole
    assert services.catalog.documents_of_dossier(DOSSIER) and \
        {d["code"] for d in services.catalog.documents_of_dossier("H40.27-261124-0002")} == {upload.documents[3].code}
    birth = upload.documents[1].form
    assert birth.fields["child_name"].page == 1  # fields count pages within their own paper

    # The same file again: the same four documents, no new code.
    again = process_upload(Submission(data, "lo-ho-so.pdf", "001090012345"), services)
    assert [o.code for o in again.documents] == [o.code for o in upload.documents]
    assert all(o.duplicate == "same_file" for o in again.documents)

    # A printed copy of a signed document, scanned into another dossier: its QR links it, no new document.
    signed = pypdfium2.PdfDocument(upload.documents[1].pdf)
    signed.init_forms()  # the stamp is the signature's appearance: printed as a viewer shows it
    printed = signed[0].render(scale=300 / 72, may_draw_forms=True).to_pil()
    fresh = [scan(p) for p in batch.paper_pages("other", rng, 300, "noto-sans")]
    later = process_upload(Submission(_pdf(fresh + [printed.convert("RGB")]), "lan-sau.pdf", "001090012345", None,
                                      "H40.27-261124-0003"), services)
    assert [o.duplicate for o in later.documents] == [None, "earlier_code"]
    assert later.documents[1].code == upload.documents[1].code
    assert upload.documents[1].code in {d["code"] for d in services.catalog.documents_of_dossier("H40.27-261124-0003")}


def test_a_card_back_sent_as_its_own_file_joins_the_front(services):
    from digitize.audit import Actor
    from digitize.card_sides import join_card_backs
    from samples import cccd_card, identity

    rng = random.Random(21)
    person = identity.citizen(rng)
    pages = []
    for side in cccd_card.sides(person, "2024", 300, "noto-sans"):
        sheet = Image.new("RGB", (2480, 3508), (255, 255, 255))
        sheet.paste(side, (1240 - side.width // 2, 470))
        pages.append(batch._scan(sheet, rng, False))
    clerk = Actor("can-bo", "counter")
    front = join_card_backs(services, process_upload(
        Submission(_pdf(pages[:1]), "mat-truoc.pdf", person.id12, None, DOSSIER), services), clerk)
    back = join_card_backs(services, process_upload(
        Submission(_pdf(pages[1:]), "mat-sau.pdf", person.id12, None, DOSSIER), services), clerk)
    assert back.plan.papers[0].card_side == "back"
    joined = back.documents[0]
    assert joined.code == front.documents[0].code and joined.duplicate == "card_back_joined"
    assert joined.pages == 2 and joined.manifest.version == 2
    assert joined.form.value("id") == person.id12 and joined.form.value("residence")  # the back's fields too
    alone = [d for d in services.catalog.documents_of_dossier(DOSSIER) if d["code"] != joined.code]
    assert [archive.load_manifest(services.store, d["code"]).merged_into for d in alone] == [joined.code]


def test_titles_say_what_the_paper_is():
    from digitize.fields import EForm, FormField
    from digitize.pipeline import title_of

    admin = EForm(kind="admin", fields={"doc_type": FormField(value="QUYẾT ĐỊNH"), "number": FormField(value="12/QĐ-UBND")})
    card = EForm(kind="cccd", fields={"full_name": FormField(value="NGUYỄN VĂN AN")})
    form = _page(0, ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "TỜ KHAI ĐĂNG KÝ THƯỜNG TRÚ"])
    assert title_of(admin, "scan.pdf") == "QUYẾT ĐỊNH 12/QĐ-UBND"
    assert title_of(card, "scan.pdf") == "Căn cước công dân — NGUYỄN VĂN AN"
    assert title_of(EForm(kind="other"), "scan.pdf", [form]) == "TỜ KHAI ĐĂNG KÝ THƯỜNG TRÚ"
    assert title_of(EForm(kind="other"), "scan.pdf", [_page(0, ["lời viết tay"])]) == "scan.pdf"
