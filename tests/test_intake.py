"""Intake checks cheaply and keeps the original; a file that only the worker finds broken is set
aside for a person with its reason, and never queued again."""
import pytest

from digitize.intake import needs_attention, submit, unfinished_receipts
from digitize.jobqueue import MemoryJobQueue
from digitize.pipeline import Submission
from digitize.services import Services
from digitize.settings import Settings
from ocr import PageInputError
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
