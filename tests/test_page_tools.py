"""Page tools make new versions under the same code, never lose a page, and keep what a person
verified. The OCR engine is replayed (every page reads as the recorded sample), which is enough to
follow pages: each page of the test documents is told apart by its picture's size."""
import io

import pikepdf
import pytest
from PIL import Image

from digitize import archive, eform, page_tools
from digitize.audit import Actor
from digitize.pipeline import Submission, process
from digitize.services import Services
from digitize.settings import Settings
from signing import verify_pdf

from .data.record_words import RECORDED, small_page
from .fakes import ReplayEngine

OWNER = "001090012345"
CLERK = Actor("can-bo-mot-cua", "counter")


@pytest.fixture
def services(tmp_path) -> Services:
    services = Services(Settings(home=tmp_path, ocr_jobs=1))
    services.engine = ReplayEngine.from_json(RECORDED)
    return services


def _tiff(widths: list[int]) -> bytes:
    """Pages of the sample picture, each cut to another width so that it can be recognised later."""
    page = Image.open(io.BytesIO(small_page())).convert("L")
    frames = [page.crop((0, 0, w, page.height)) for w in widths]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:], dpi=(150, 150))
    return buf.getvalue()


def _widths(pdf: bytes) -> list[int]:
    """Each page's picture width in pixels (the page tools copy pictures, never re-encode them)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return [int(p.Resources.XObject.Im0.Width) for p in doc.pages]


def _rotations(pdf: bytes) -> list[int]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return [int(p.obj.get("/Rotate", 0)) for p in doc.pages]


@pytest.fixture
def document(services):
    return process(Submission(_tiff([1200, 1100, 1000]), "ba-trang.tif", OWNER), services)


def test_rotate_reorder_delete_make_versions_and_the_old_ones_stay(services, document):
    code = document.code
    assert _widths(document.pdf) == [1200, 1100, 1000]
    form = eform.load(services, code)
    eform.correct(services, code, based_on=form.version, values={}, confirm=["number"], who="can-bo", kind=form.kind)

    v2 = page_tools.edit(services, code, based_on=1, by=CLERK, order=[3, 1, 2], rotate={3: 1})
    assert v2.code == code and v2.manifest.version == 2
    assert _widths(v2.pdf) == [1000, 1200, 1100] and _rotations(v2.pdf) == [90, 0, 0]
    assert v2.manifest.page_sources == [f"{code} v1 p3", f"{code} v1 p1", f"{code} v1 p2"]
    assert verify_pdf(v2.pdf).signatures[0].intact and len(verify_pdf(v2.pdf).signatures) == 1
    assert v2.form.fields["number"].verified  # a person confirmed it: it stays confirmed

    v3 = page_tools.edit(services, code, based_on=2, by=CLERK, order=[1, 3])  # page 2 of v2 deleted
    assert _widths(v3.pdf) == [1000, 1100] and v3.manifest.pages == 2

    # The code names the latest version everywhere; every earlier one is still there, intact.
    assert archive.load_manifest(services.store, code).version == 3
    assert services.catalog.get(code)["pages"] == 2
    assert services.catalog.get(code)["signed_sha256"] == v3.manifest.objects.signed_pdf.sha256
    assert archive.signed_pdf(services.store, code, services.catalog.get(code)["signed_sha256"]) == v3.pdf
    first = archive.load_manifest(services.store, code, 1)
    assert _widths(archive.version_pdf(services.store, first)) == [1200, 1100, 1000]
    assert [a["action"] for a in services.catalog.audit_trail(code)].count("new_version") == 2

    # The stamp's band above page 1 is made for each version's page 1, never stacked on an old one.
    for pdf in (document.pdf, v2.pdf, v3.pdf):
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            page = doc.pages[0]
            picture = float(page.Resources.XObject.Im0.Height) * 72 / 150
            assert float(page.mediabox[3]) <= picture + 64 + 2 * 6 + 1

    with pytest.raises(Exception) as stale:  # the clerk was looking at version 2
        page_tools.edit(services, code, based_on=2, by=CLERK, rotate={1: 2})
    assert stale.value.code == "version_conflict" and stale.value.status == 409
    with pytest.raises(Exception) as empty:
        page_tools.edit(services, code, based_on=3, by=CLERK, order=[])
    assert empty.value.code == "no_pages_left" and empty.value.status == 400


def test_split_move_and_merge(services, document):
    code = document.code
    kept, new = page_tools.split(services, code, 3, based_on=1, by=CLERK)
    assert _widths(kept.pdf) == [1200, 1100] and _widths(new.pdf) == [1000]
    assert new.code != code and new.manifest.version == 1 and new.manifest.original.sha256 == document.manifest.original.sha256
    assert services.catalog.get(new.code) is not None

    shrunk, grown = page_tools.move(services, code, [2], new.code, based_on=2, by=CLERK)
    assert _widths(shrunk.pdf) == [1200] and _widths(grown.pdf) == [1000, 1100]

    merged = page_tools.merge(services, code, new.code, based_on=3, by=CLERK)
    assert _widths(merged.pdf) == [1200, 1000, 1100]
    gone = archive.load_manifest(services.store, new.code)
    assert gone.merged_into == code and archive.load_document(services.store, new.code).pdf == grown.pdf
    with pytest.raises(Exception) as refused:
        page_tools.edit(services, new.code, based_on=gone.version, by=CLERK, rotate={1: 1})
    assert refused.value.code == "merged_document"


def test_a_page_rescanned_replaces_the_old_one(services, document):
    rescan = _tiff([900])
    v2 = page_tools.edit(services, document.code, based_on=1, by=CLERK, rescans={2: rescan})
    assert _widths(v2.pdf) == [1200, 900, 1000]
    assert v2.manifest.page_sources[1] == "rescan"
    with pytest.raises(Exception) as two_pages:
        page_tools.edit(services, document.code, based_on=2, by=CLERK, rescans={1: _tiff([900, 800])})
    assert two_pages.value.code == "rescan_one_page"
