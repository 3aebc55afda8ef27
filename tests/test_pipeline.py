"""The whole pipeline in-process with a replayed OCR engine: no Tesseract, fast enough for every run.
The real engine runs in tests/test_cli.py and tests/integration/ on the same sample page."""
import io

import numpy as np
import pdfplumber
import pikepdf
import pytest

from digitize import archive
from digitize.pipeline import Submission, process
from digitize.services import Services
from digitize.settings import Settings
from ocr import Word
from ocr.reread import mend_dates, reread_dates
from signing import Stamp, sign_pdf

from .data.record_words import RECORDED, small_page
from .fakes import ReplayEngine

OWNER = "001090012345"


@pytest.fixture
def services(tmp_path) -> Services:
    services = Services(Settings(home=tmp_path, ocr_jobs=1))
    services.engine = ReplayEngine.from_json(RECORDED)
    # Once per process or home, not part of a document's time: the development certificate, the
    # catalog's migrations, and the first signature's imports and font.
    services.catalog.count()
    blank = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(blank)
    sign_pdf(blank.getvalue(), services.signer, Stamp("", "", "", "", ""))
    return services


def test_pipeline_with_the_replayed_engine_stores_and_finds_its_document(services):
    page = small_page()
    outcome = process(Submission(page, "trang.png", OWNER, None, "H40.27-261124-0001"), services)
    assert outcome.manifest.kind == "admin" and outcome.form.value("number") == "2059/KH-UBND"
    assert "words" in services.engine.calls
    stored = archive.load_document(services.store, outcome.code)
    assert stored.manifest.objects == outcome.manifest.objects and stored.pdf == outcome.pdf
    assert stored.manifest.objects.signed_pdf.sha256 == outcome.sha256
    assert services.catalog.get(outcome.code)["signed_sha256"] == outcome.sha256
    with pdfplumber.open(io.BytesIO(outcome.pdf)) as pdf:  # the replayed words became the text layer
        assert "Dương Văn Trung" in " ".join((pdf.pages[0].extract_text() or "").split())
    again = process(Submission(page, "trang.png", OWNER), services)
    assert again.already_on_file and again.duplicate == "same_file" and again.code == outcome.code


def _date_line(conf: float) -> list[Word]:
    texts = ["Kon", "Tum,", "ngày", "06", "tháng", "10", "năm", "2022"]
    return [Word(t, 100 + 60 * i, 50, 50, 20, conf if t == "06" else 96.0, 1, 1, 1) for i, t in enumerate(texts)]


def test_an_unsure_number_of_the_date_line_is_read_again_enlarged():
    grey = np.full((200, 800), 255, np.uint8)
    engine = ReplayEngine([], lines=["Kon Tum, ngày 08 tháng 10 năm 2022"])
    words = reread_dates(engine, grey, _date_line(94.0), 300)
    assert [w.text for w in words][3] == "08" and engine.calls == ["line"]


def test_a_sure_date_line_or_a_disagreeing_reread_keeps_the_first_reading():
    grey = np.full((200, 800), 255, np.uint8)
    sure = ReplayEngine([], lines=["Kon Tum, ngày 08 tháng 10 năm 2022"])
    assert [w.text for w in reread_dates(sure, grey, _date_line(96.0), 300)][3] == "06" and sure.calls == []
    other = ReplayEngine([], lines=["Kon Turn, ngày 08 tháng 10 năm 2022"])  # another word differs: not trusted
    assert [w.text for w in reread_dates(other, grey, _date_line(90.0), 300)][3] == "06"


def test_a_date_whose_slash_was_lost_or_read_as_an_i_is_mended_only_into_a_real_date():
    grey = np.full((200, 800), 255, np.uint8)
    texts = ["Ngày:", "29I10I2008", "1608/2021.", "1540/2022", "32I13I2020", "1608/2021"]
    words = [Word(t, 100 + 110 * i, 50, 100, 20, 90.0, 1, 1, 1) for i, t in enumerate(texts)]
    engine = ReplayEngine([], lines=["16/08/2021", "1540/2022", "16O8/2021"])  # one per word read again
    mended = [w.text for w in mend_dates(engine, grey, words, 300)]
    # an I between numbers is a slash; a lost slash is read again on its own; no day 32, no month 22 or 13
    assert mended == ["Ngày:", "29/10/2008", "16/08/2021.", "1540/2022", "32I13I2020", "1608/2021"]
    assert engine.calls == ["line"] * 3


def test_an_object_swapped_with_a_consistent_checksum_is_an_integrity_error(services):
    """Someone with write access to the warehouse puts another document's PDF, with its own correct
    checksum, in place of this one's: the manifest and the catalog still say what was signed."""
    import json

    from storage import StorageError

    first = process(Submission(small_page(), "a.png", OWNER), services)
    other = process(Submission(small_page(), "b.png", "002090012345"), services)  # another owner: another document
    root = services.settings.warehouse_dir
    target = root / "documents" / first.code / "signed.pdf"
    target.write_bytes(other.pdf)
    meta = root / ".meta" / "documents" / first.code / "signed.pdf.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "sha256": other.sha256}))
    assert services.store.get(f"documents/{first.code}/signed.pdf") == other.pdf  # the store alone is fooled
    for read in (lambda: archive.signed_pdf(services.store, first.code),
                 lambda: archive.load_document(services.store, first.code)):
        with pytest.raises(StorageError) as swapped:
            read()
        assert swapped.value.code == "integrity_error" and swapped.value.status == 500
    with pytest.raises(StorageError):  # a manifest that disagrees with the catalog is refused too
        archive.signed_pdf(services.store, other.code, catalog_sha256=first.sha256)
    assert archive.signed_pdf(services.store, other.code, services.catalog.get(other.code)["signed_sha256"])
