"""Dossiers at the counter: who brought them, the promised date, a status read from what happened,
the day's list with its filters, papers on file reused, and the citizen's receipt."""
import io
import re
from datetime import date

import numpy as np
import pypdfium2
import pytesseract
import pytest
from fastapi.testclient import TestClient

from common.clock import VIETNAM
from digitize import eform
from digitize.api import create_app
from digitize.dossier_overview import overview
from digitize.dossiers import (
    check_applicant,
    dossier_status,
    open_dossier,
    promised_date,
)
from digitize.errors import InvalidFieldError
from digitize.jobqueue import MemoryJobQueue
from digitize.pipeline import Submission, process
from digitize.procedures import catalogue
from digitize.reindex import reindex
from digitize.services import Services
from digitize.settings import Settings

from .conftest import SAMPLES

OWNER, OTHER = "001090012345", "079200000001"
CLERK = "kc-dossier-1"


def test_the_applicant_is_tidied_and_a_bad_phone_is_named():
    who = check_applicant("  Nguyễn   Thị Lan ", "+84 912.345.678", "Số 5, phường Tân Phú")
    assert (who.name, who.phone, who.address) == ("Nguyễn Thị Lan", "0912345678", "Số 5, phường Tân Phú")
    decomposed = "Nguye\u0302\u0303n"  # typed with combining marks: stored as NFC
    assert check_applicant(decomposed).name == "Nguyễn"
    assert check_applicant().phone is None
    for phone in ("12345", "０９１２３４５６７８", "0912-345-678-999"):
        with pytest.raises(InvalidFieldError) as err:
            check_applicant("A", phone)
        assert err.value.code == "invalid_applicant_phone" and err.value.status == 422
    with pytest.raises(InvalidFieldError):
        check_applicant("A\x00B")
    with pytest.raises(InvalidFieldError):
        check_applicant("A", "", "x" * 301)


def test_the_promised_date_counts_working_days():
    friday = date(2026, 12, 4)
    assert promised_date(friday, 0) == friday
    assert promised_date(friday, 1) == date(2026, 12, 7)  # Monday: the weekend is not counted
    assert promised_date(friday, 7) == date(2026, 12, 15)
    assert promised_date(friday, None) is None


def test_the_status_follows_what_happened():
    assert dossier_status(pending=0, signed_off=[], missing=2) == "received"
    assert dossier_status(pending=1, signed_off=[True], missing=0) == "digitizing"
    assert dossier_status(pending=0, signed_off=[True, False], missing=0) == "to_check"
    assert dossier_status(pending=0, signed_off=[True], missing=1) == "supplement"
    assert dossier_status(pending=0, signed_off=[True, True], missing=0) == "done"


@pytest.fixture(scope="module")
def services(tmp_path_factory) -> Services:
    return Services(Settings(home=tmp_path_factory.mktemp("dossiers"), api_keys=f"clerk:counter:{CLERK}",
                             agency_id="H40.27", throttle_url="memory://"))


@pytest.fixture(scope="module")
def on_file(services) -> str:
    """A decision the citizen brought with an earlier dossier."""
    sub = Submission((SAMPLES / "sample-01-quyet-dinh.png").read_bytes(), "s1.png", OWNER, None)
    return process(sub, services).code


@pytest.fixture
def client(services):
    with TestClient(create_app(services, MemoryJobQueue())) as c:
        c.post("/dang-nhap", data={"key": CLERK})
        yield c


def csrf_of(client) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/tiep-nhan").text)[1]


def test_a_dossier_opened_with_its_applicant_is_listed_with_its_status(client, services):
    opened = client.post("/tiep-nhan/ho-so", data={
        "csrf": csrf_of(client), "owner_id": OWNER, "procedure": "Đăng ký thường trú",
        "applicant_name": "Trần Văn Bình", "applicant_phone": "0912 345 678", "applicant_address": "Tổ 3, Tân Phú"},
        follow_redirects=False)
    assert opened.status_code == 303
    code = opened.headers["location"].split("ho_so=")[1]
    record = services.catalog.dossier(code)
    assert record["applicant_name"] == "Trần Văn Bình" and record["applicant_phone"] == "0912345678"
    # the procedure's 7 working days, from the day it is in Vietnam (after 17:00 UTC, the next one)
    assert record["promised_on"] == promised_date(record["created_at"].astimezone(VIETNAM).date(), 7)
    page = client.get(f"/tiep-nhan?ho_so={code}").text
    assert "người nộp Trần Văn Bình (0912345678)" in page
    assert f"hẹn trả kết quả ngày <strong>{record['promised_on']:%d/%m/%Y}</strong>" in page
    assert 'data-status="received"' in page

    listing = client.get("/ho-so")
    assert listing.status_code == 200 and code in listing.text and "Trần Văn Bình" in listing.text
    assert code in client.get("/ho-so", params={"tim": "tran van binh"}).text  # without diacritics
    assert code in client.get("/ho-so", params={"tinh_trang": "received", "thu_tuc": "Đăng ký thường trú"}).text
    assert code not in client.get("/ho-so", params={"tinh_trang": "done"}).text
    assert code not in client.get("/ho-so", params={"ngay": "01/01/2025"}).text
    bad = client.get("/ho-so", params={"ngay": "2026-12-02"})
    assert bad.status_code == 422 and "ngày/tháng/năm" in bad.text

    # The stored record carries the applicant, so a catalog rebuilt from the warehouse keeps it.
    reindex(services)
    assert services.catalog.dossier(code)["applicant_phone"] == "0912345678"


def test_a_bad_phone_is_said_beside_its_field_and_nothing_is_opened(client, services):
    before = len(services.catalog.recent_dossiers(1000))
    res = client.post("/tiep-nhan/ho-so", data={"csrf": csrf_of(client), "owner_id": OWNER,
                                                "applicant_name": "Lê Thị Hoa", "applicant_phone": "12345"})
    assert res.status_code == 422
    assert 'id="applicant_phone-error"' in res.text and "Số điện thoại không hợp lệ" in res.text
    assert 'value="Lê Thị Hoa"' in res.text  # what was typed stays
    assert len(services.catalog.recent_dossiers(1000)) == before


def test_a_paper_on_file_joins_the_dossier_and_the_status_moves_on(client, services, on_file):
    csrf = csrf_of(client)
    code = client.post("/tiep-nhan/ho-so", data={"csrf": csrf, "owner_id": OWNER,
                                                 "procedure": "Chứng thực bản sao từ bản chính"},
                       follow_redirects=False).headers["location"].split("ho_so=")[1]
    page = client.get(f"/tiep-nhan?ho_so={code}").text
    assert "Công dân đã nộp trước đây" in page and f'name="document" value="{on_file}"' in page

    other = process(Submission((SAMPLES / "sample-02-cong-van.jpg").read_bytes(), "o.jpg", OTHER), services).code
    refused = client.post(f"/tiep-nhan/ho-so/{code}/dung-lai", data={"csrf": csrf, "document": other})
    assert refused.status_code == 404  # another citizen's paper: answered as unknown
    assert client.post(f"/tiep-nhan/ho-so/{code}/dung-lai", data={"csrf": "wrong", "document": on_file}
                       ).status_code == 403

    used = client.post(f"/tiep-nhan/ho-so/{code}/dung-lai", data={"csrf": csrf, "document": on_file})
    assert used.status_code == 200 and f"Đã đưa giấy tờ {on_file} vào hồ sơ" in used.text
    assert [d["code"] for d in services.catalog.documents_of_dossier(code)] == [on_file]
    assert services.store.exists(f"documents/{on_file}/dossiers/{code}.json")  # in the warehouse, not only the catalog
    assert any(r["action"] == "linked_existing" for r in services.catalog.audit_trail(on_file))

    view = overview(services, services.catalog.dossier(code), catalogue())
    assert view.status == "to_check" and view.missing == ["Căn cước công dân"]
    form = eform.load(services, on_file)
    eform.correct(services, on_file, based_on=form.version, values={}, confirm=list(form.fields), who="t",
                  kind="admin", sign_off=True)
    view = overview(services, services.catalog.dossier(code), catalogue())
    assert view.status == "supplement"  # checked, but the id card is still missing
    assert 'data-status="supplement"' in client.get(f"/tiep-nhan/ho-so/{code}/giay-to").text


def test_the_receipt_names_the_applicant_and_the_promised_date(client, services):
    record = open_dossier(services, owner_id=OWNER, procedure="Xác nhận nơi cư trú", who="t",
                          applicant=check_applicant("Phạm Minh Đức", "0987654321"))
    pdf = client.get(f"/tiep-nhan/ho-so/{record['code']}/bien-nhan.pdf")
    assert pdf.status_code == 200
    picture = pypdfium2.PdfDocument(io.BytesIO(pdf.content))[0].render(scale=300 / 72).to_pil().convert("L")
    text = " ".join(pytesseract.image_to_string(np.asarray(picture), lang="vie").split())
    assert "HẸN TRẢ KẾT QUẢ" in text
    assert "Phạm Minh Đức" in text and "0987654321" in text
    assert f"Ngày hẹn trả kết quả: {record['promised_on']:%d/%m/%Y}" in text
    assert "Đơn đề nghị xác nhận nơi cư trú" in text  # still missing, said on the receipt


def test_the_api_opens_a_dossier_and_says_where_it_stands(services, on_file):
    with TestClient(create_app(services, MemoryJobQueue())) as api:
        headers = {"X-API-Key": CLERK}
        made = api.post("/v1/dossiers", headers=headers, json={
            "owner_id": OWNER, "procedure": "1.004227", "applicant_name": "Võ Thị Mai", "applicant_phone": "0901234567"})
        assert made.status_code == 201, made.text
        body = made.json()
        assert body["status"] == "received" and body["status_vi"] == "Đã tiếp nhận"
        assert body["applicant"]["name"] == "Võ Thị Mai" and body["promised_on"]
        assert [line["state"] for line in body["checklist"]] == ["missing", "missing", "missing"]
        assert api.get(f"/v1/dossiers/{body['code']}", headers=headers).json() == body
        bad = api.post("/v1/dossiers", headers=headers, json={"owner_id": OWNER, "applicant_phone": "abc"})
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_applicant_phone"
        assert api.get("/v1/dossiers/H40.27-261124-0999", headers=headers).status_code == 404
        assert api.get(f"/v1/dossiers/{body['code']}").status_code == 401
