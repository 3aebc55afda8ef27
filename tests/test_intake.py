"""Intake checks cheaply and keeps the original; a file that only the worker finds broken is set
aside for a person with its reason, and never queued again."""
import hashlib
import io
import random

import pytest

from digitize import archive
from digitize.intake import finished_codes, needs_attention, submit, unfinished_receipts
from digitize.jobqueue import MemoryJobQueue
from digitize.pipeline import Submission
from digitize.services import Services
from digitize.settings import Settings
from ocr import PageInputError
from samples import batch
from workers.jobs import process_receipt

from .conftest import CLEAN_PAGE


@pytest.fixture
def services(tmp_path) -> Services:
    return Services(Settings(home=tmp_path))


def test_a_file_broken_past_its_header_needs_attention_and_is_not_queued_again(services):
    truncated = CLEAN_PAGE.read_bytes()[:4000]  # a PNG whose header reads fine and whose pixels stop short
    queue = MemoryJobQueue()
    receipt = submit(Submission(truncated, "scan\x00.png", "001090012345"), services, queue)
    assert queue.receipts == [receipt.id] and receipt.pages == 1 and receipt.filename == "scan.png"
    assert services.store.exists(receipt.original_key)  # kept, whatever happens next

    with pytest.raises(PageInputError) as broken:
        process_receipt(receipt.id, services)
    assert broken.value.code == "corrupt_image"
    record = needs_attention(services, receipt.id)
    assert record.code == "corrupt_image" and "hỏng" in record.message_vi
    assert receipt.id not in unfinished_receipts(services)  # the reconciler leaves it to a person


def test_intake_refuses_before_keeping_anything(services):
    queue = MemoryJobQueue()
    for sub, code in [(Submission(b"%PDF-1.4\n1 0 obj <<\n", "a.pdf"), "corrupt_pdf"),
                      (Submission(CLEAN_PAGE.read_bytes(), "a.png", "０７９０９００１２３４５"), "invalid_owner_id"),
                      (Submission(CLEAN_PAGE.read_bytes(), "a.png", None, None, "H40-261124-" + "9" * 80),
                       "invalid_dossier_code")]:
        with pytest.raises(Exception) as refused:
            submit(sub, services, queue)
        assert refused.value.code == code
    assert queue.receipts == [] and not list(services.store.list("originals/"))


class _Killed(BaseException):
    """A worker killed mid-job: nothing in the job function catches it, as with SIGKILL."""


def _dies_on_call(n: int, real):
    calls = []

    def wrapped(*args, **kwargs):
        calls.append(1)
        if len(calls) == n:
            raise _Killed
        return real(*args, **kwargs)
    return wrapped


def _manifests(services: Services) -> list[str]:
    return [k for k in services.store.list("documents/") if k.endswith("/manifest.json")]


def test_a_receipt_run_again_after_its_worker_died_finishes_the_same_documents(services, monkeypatch):
    rng = random.Random(11)
    pages = batch.paper_pages("admin", rng, 300, "liberation-serif", pages=1, numbering="top")
    pages += batch.paper_pages("other", rng, 300, "dejavu-serif")
    buf = io.BytesIO()
    batch.save_pdf([batch._scan(p, rng, False) for p in pages], buf)
    receipt = submit(Submission(buf.getvalue(), "lo.pdf", "001090012345"), services, MemoryJobQueue())

    # The worker dies with the first paper stored and catalogued, the second's objects stored and
    # its manifest not yet written.
    monkeypatch.setattr(archive, "write_manifest", _dies_on_call(2, archive.write_manifest))
    with pytest.raises(_Killed):
        process_receipt(receipt.id, services)
    monkeypatch.undo()
    first = _manifests(services)[0].split("/")[1]
    assert len(_manifests(services)) == 1 and services.catalog.get(first)
    half_done = [k for k in services.store.list("documents/") if first not in k]
    assert {k.rsplit("/", 1)[1] for k in half_done} == {"signed.pdf", "ocr.json", "fields.json"}

    again = process_receipt(receipt.id, services)  # the reconciler queues it again

    codes = [d["code"] for d in again["documents"]]
    assert codes[0] == first and codes[1] == half_done[0].split("/")[1]  # the codes the dead run had
    assert not any(d["already_on_file"] for d in again["documents"])  # its own documents, not duplicates
    assert sorted(k.split("/")[1] for k in _manifests(services)) == sorted(codes)
    assert all(services.catalog.get(c) for c in codes)
    for code in codes:  # whole documents: the manifest names the objects the dead run stored
        stored = archive.load_document(services.store, code)
        assert stored.manifest.objects.signed_pdf.sha256 == hashlib.sha256(stored.pdf).hexdigest()
    assert finished_codes(services, receipt.id) == codes
    assert services.catalog.next_sequence(archive.load_manifest(services.store, codes[0]).code_scope) == 3


def test_a_receipt_stored_but_not_catalogued_when_its_worker_died_is_catalogued_on_the_rerun(services, monkeypatch):
    receipt = submit(Submission(CLEAN_PAGE.read_bytes(), "a.png", "001090012345"), services, MemoryJobQueue())
    monkeypatch.setattr(services.catalog, "add_document", _dies_on_call(1, services.catalog.add_document))
    with pytest.raises(_Killed):
        process_receipt(receipt.id, services)
    monkeypatch.undo()
    (stored,) = _manifests(services)

    again = process_receipt(receipt.id, services)

    assert again["code"] == stored.split("/")[1] and _manifests(services) == [stored]
    assert services.catalog.get(again["code"])["owner_id"] == "001090012345"
