"""The web pages without a browser (the end-to-end run in Chromium is tests/integration/test_web_pages.py):
login and roles, CSRF, dossiers, review saves and sign-off, search filters, errors as pages."""
import re
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient

from digitize import eform
from digitize.api import create_app
from digitize.dossiers import open_dossier
from digitize.jobqueue import MemoryJobQueue
from digitize.pipeline import Submission, process
from digitize.reindex import reindex
from digitize.services import Services
from digitize.settings import Settings
from signing.detached import verify_detached

from .conftest import SAMPLES

OWNER = "001090012345"
CLERK, KEEPER, PORTAL = "kc-7Hq2xZ9", "ka-7Hq2xZ9", "kp-7Hq2xZ9"
KEYS = f"clerk:counter:{CLERK},keeper:archivist:{KEEPER},portal:portal:{PORTAL}"


@pytest.fixture(scope="module")
def services(tmp_path_factory) -> Services:
    return Services(Settings(home=tmp_path_factory.mktemp("web"), api_keys=KEYS, agency_id="H40.27",
                             throttle_url="memory://"))


@pytest.fixture(scope="module")
def code(services) -> str:
    sub = Submission((SAMPLES / "sample-01-quyet-dinh.png").read_bytes(), "s1.png", OWNER, None,
                     "H40.27-261124-0042")
    return process(sub, services).code


@pytest.fixture
def client(services):
    with TestClient(create_app(services, MemoryJobQueue())) as c:
        yield c


def login(client, key: str) -> str:
    res = client.post("/dang-nhap", data={"key": key}, follow_redirects=False)
    assert res.status_code == 303
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/kiem-tra" if key == CLERK else "/tra-cuu").text)[1]


def test_login_roles_and_logout(client):
    assert client.get("/tra-cuu", follow_redirects=False).headers["location"] == "/dang-nhap?tiep=/tra-cuu"
    bad = client.post("/dang-nhap", data={"key": "wrong"})
    assert bad.status_code == 401 and "Khóa truy cập không đúng" in bad.text
    res = client.post("/dang-nhap", data={"key": CLERK, "tiep": "//evil.example/x"}, follow_redirects=False)
    assert res.headers["location"] == "/tiep-nhan"  # never off-site after login
    assert CLERK not in client.cookies.get("digitize_session", "")  # the key itself is not kept
    assert client.get("/tra-cuu").status_code == 403
    assert client.get("/tiep-nhan").status_code == 200
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/tiep-nhan").text)[1]
    assert client.post("/dang-xuat", data={"csrf": "forged"}).status_code == 403
    client.post("/dang-xuat", data={"csrf": csrf})
    assert client.get("/tiep-nhan", follow_redirects=False).status_code == 303
    login(client, KEEPER)
    assert client.get("/tiep-nhan").status_code == 403
    client.post("/dang-nhap", data={"key": PORTAL})
    assert "chỉ dùng giao diện lập trình" in client.get("/").text


def test_dossiers_are_allocated_kept_and_rebuilt(client, services):
    csrf = login(client, CLERK)
    assert client.post("/tiep-nhan/ho-so", data={"csrf": "x", "owner_id": OWNER}).status_code == 403
    res = client.post("/tiep-nhan/ho-so", data={"csrf": csrf, "owner_id": OWNER, "procedure": "  Đăng ký  khai sinh "},
                      follow_redirects=False)
    first = res.headers["location"].split("=")[1]
    assert re.fullmatch(r"H40\.27-\d{6}-\d{4}", first)
    page = client.get(res.headers["location"]).text
    assert "Đăng ký khai sinh" in page and 'id="files"' in page
    second = client.post("/tiep-nhan/ho-so", data={"csrf": csrf, "owner_id": OWNER},
                         follow_redirects=False).headers["location"].split("=")[1]
    assert int(second[-4:]) == int(first[-4:]) + 1
    bad = client.post("/tiep-nhan/ho-so", data={"csrf": csrf, "code": "H40-2611-1"})
    assert bad.status_code == 422 and "Mã không hợp lệ" in bad.text and 'id="code-error"' in bad.text
    wrong_owner = client.post("/tiep-nhan/ho-so", data={"csrf": csrf, "owner_id": "０７９"})
    assert wrong_owner.status_code == 422 and 'id="owner_id-error"' in wrong_owner.text  # beside its field
    other = client.post("/tiep-nhan/ho-so", data={"csrf": csrf, "code": first, "owner_id": "079200000001"})
    assert other.status_code == 422 and "chủ hồ sơ khác" in other.text and 'id="owner_id-error"' in other.text
    reindex(services)  # the catalog forgets, the warehouse remembers
    assert services.catalog.dossier(first)["procedure"] == "Đăng ký khai sinh"
    assert open_dossier(services, owner_id=OWNER, procedure="", who="t")["code"] > second  # never handed out twice


def test_review_saves_confirms_signs_and_refuses_stale_versions(client, services, code):
    csrf = login(client, CLERK)
    page = client.get(f"/kiem-tra/{code}").text
    assert 'id="v-number" name="value:number" value="2059/KH-UBND"' in page
    assert 'name="value:date" value="17/11/2020"' in page  # dates as people write them
    assert re.search(r'data-page="1" data-box="\d+,\d+,\d+,\d+"', page)  # boxes for the highlight
    version = eform.load(services, code).version
    form = {"csrf": csrf, "version": str(version), "page": "1", "value:number": "2059/KH-UBND",
            "value:date": "17/11/2020", "value:place": "Đồng Xoài", "confirm:date": "on", "action": "sign"}
    early = client.post(f"/kiem-tra/{code}", data=form, follow_redirects=False)
    assert early.status_code == 422 and "trường chưa xác nhận" in early.text  # nothing signed half-checked
    assert eform.load(services, code).version == version
    res = client.post(f"/kiem-tra/{code}", data={**form, "action": "save"}, follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"].endswith("xong=luu")
    saved = eform.load(services, code)
    assert saved.value("place") == "Đồng Xoài" and saved.fields["date"].verified
    assert saved.value("date") == "2020-11-17"  # kept as an ISO date
    assert [c.field for c in saved.corrections] == ["place", "date"]  # unchanged number and date not "corrected"
    stale = client.post(f"/kiem-tra/{code}", data={**form, "action": "save"})
    assert stale.status_code == 409 and "người khác lưu" in stale.text
    everything = client.post(f"/kiem-tra/{code}", data={**form, "version": str(saved.version), "action": "confirm_all"},
                             follow_redirects=False)
    assert everything.status_code == 303 and all(f.verified for f in eform.load(services, code).fields.values())
    bad_date = client.post(f"/kiem-tra/{code}", data={**form, "version": str(saved.version + 1),
                                                      "value:date": "31/02/2020", "action": "save"})
    assert bad_date.status_code == 422 and "Ngày không hợp lệ" in bad_date.text
    signed = client.post(f"/kiem-tra/{code}", data={**form, "version": str(saved.version + 1)}, follow_redirects=False)
    assert signed.status_code == 303 and signed.headers["location"].endswith("xong=ky")
    final = eform.load(services, code)
    assert final.signed_off.by == "clerk" and eform.signature(services, code, final.version)["intact"]
    data = services.store.get(eform.version_key(code, final.version))
    signature = services.store.get(eform.signature_key(code, final.version))
    assert not verify_detached(data.replace("Đồng Xoài".encode(), "Đồng Xoàj".encode()), signature).intact
    after = client.post(f"/kiem-tra/{code}", data={**form, "version": str(final.version), "action": "save",
                                                   "value:place": "Bình Phước"})
    assert after.status_code == 409 and "không sửa được nữa" in after.text
    assert "readonly" in client.get(f"/kiem-tra/{code}").text


def test_search_filters_and_signature_status(client, services, code):
    login(client, KEEPER)
    assert code in client.get("/tra-cuu", params={"q": "ke hoach ung dung"}).text
    assert code not in client.get("/tra-cuu", params={"q": "ke hoach ung dung", "loai": "cccd"}).text
    assert code in client.get("/tra-cuu", params={"chu_ho_so": OWNER, "loai": "admin"}).text
    assert code in client.get("/tra-cuu", params={"ho_so": "h40.27-261124-0042"}).text
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=2)).date().isoformat()
    assert code not in client.get("/tra-cuu", params={"tu_ngay": tomorrow}).text
    assert "Ngày không hợp lệ" in client.get("/tra-cuu", params={"ma": code, "tu_ngay": "hôm qua"}).text
    assert "chưa kiểm tra lại" in client.get("/tra-cuu", params={"ma": code}).text
    archive = client.get(f"/luu-tru/{code}").text
    assert "Chữ ký hợp lệ" in archive and "Kiểm tra chữ ký" in archive  # the read is in the audit trail
    assert "Hợp lệ (chưa tin cậy)" in client.get("/tra-cuu", params={"ma": code}).text
    pdf = client.get(f"/luu-tru/{code}/ban-ky.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")


def test_errors_are_pages_for_browsers_and_json_for_the_api(client, code, services):
    login(client, KEEPER)
    page = client.get("/luu-tru/KHONG-CO", headers={"accept": "text/html"})
    assert page.status_code == 404 and "<html" in page.text and "Không có giấy tờ mã KHONG-CO" in page.text
    api = client.get("/v1/documents/KHONG-CO", headers={"X-API-Key": KEEPER, "accept": "text/html"})
    assert api.json()["error"]["code"] == "document_not_found"
    image = client.get(f"/tai-lieu/{code}/trang/1.jpg")
    assert image.headers["content-type"] == "image/jpeg" and image.content[:2] == b"\xff\xd8"
    last = services.catalog.audit_trail(code)[-1]  # a page image is a read of the document too
    assert (last["who"], last["action"], last["detail"]) == ("keeper", "read_page_image", "page 1")
    assert client.get(f"/tai-lieu/{code}/trang/9.jpg").status_code == 404
    assert client.get(f"/tai-lieu/{code}/trang/1.jpg", params={"rong": 5000}).status_code == 404


def test_no_body_is_read_before_the_caller_is_known(services):
    """A stranger announcing 400 MB gets 401 at once, before sending a byte of it; a known caller
    announcing more than the cap (500 MB) gets 413, also before the body."""
    import socket

    from bench.loopback import serve

    def ask(base: str, headers: str, length: int) -> str:
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as conn:
            conn.sendall(("POST /v1/documents HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                          f"{headers}Content-Length: {length}\r\n\r\n").encode())
            answer = b""  # the whole answer arrives without the body ever being sent
            while b"\r\n\r\n" not in answer or len(answer.partition(b"\r\n\r\n")[2]) < int(
                    re.search(rb"content-length: (\d+)", answer.partition(b"\r\n\r\n")[0])[1]):
                answer += conn.recv(4096)
            return answer.decode("utf-8", "replace")

    with serve(create_app(services, MemoryJobQueue())) as base:
        stranger = ask(base, "", 400_000_000)
        assert stranger.startswith("HTTP/1.1 401") and "unauthenticated" in stranger
        clerk = ask(base, f"X-API-Key: {CLERK}\r\n", 600_000_000)
        assert clerk.startswith("HTTP/1.1 413") and "request_too_large" in clerk


def test_an_empty_or_short_api_key_is_a_configuration_error():
    from common.errors import ServerFault
    from digitize.http.auth import parse_keys

    for spec in ("clerk:counter:", "clerk:counter", "clerk:counter:short", "clerk:boss:long-enough-key"):
        with pytest.raises(ServerFault) as bad:
            parse_keys(spec)
        assert bad.value.code == "invalid_api_keys" and "long-enough" not in bad.value.message_en
    assert len(parse_keys(KEYS)) == 3


def test_the_session_cookie_is_secure_when_told_so(tmp_path):
    secure = Services(Settings(home=tmp_path, api_keys=KEYS, secure_cookies=True))
    with TestClient(create_app(secure, MemoryJobQueue()), base_url="https://testserver") as client:
        res = client.post("/dang-nhap", data={"key": CLERK}, follow_redirects=False)
        assert res.status_code == 303 and "secure" in res.headers["set-cookie"].lower()


def _csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page)[1]


def test_a_session_ends_at_logout_and_when_its_key_is_removed(services):
    with TestClient(create_app(services, MemoryJobQueue())) as clerk:
        csrf = login(clerk, CLERK)
        stolen = dict(clerk.cookies)  # a copy of the cookie, as an attacker or a shared PC would keep
        clerk.post("/dang-xuat", data={"csrf": csrf})
    with TestClient(create_app(services, MemoryJobQueue()), cookies=stolen) as replay:
        res = replay.post("/tiep-nhan/ho-so", data={"csrf": csrf, "owner_id": OWNER}, follow_redirects=False)
        assert res.status_code == 303 and res.headers["location"].startswith("/dang-nhap")

    with TestClient(create_app(services, MemoryJobQueue())) as clerk:
        csrf = login(clerk, CLERK)
        kept = dict(clerk.cookies)
        assert clerk.get("/tiep-nhan").status_code == 200
    without_clerk = Services(services.settings.model_copy(update={"api_keys": f"keeper:archivist:{KEEPER}"}))
    with TestClient(create_app(without_clerk, MemoryJobQueue()), cookies=kept) as after_removal:
        assert after_removal.get("/tiep-nhan", follow_redirects=False).status_code == 303
        res = after_removal.post("/tiep-nhan/ho-so", data={"csrf": csrf, "owner_id": OWNER}, follow_redirects=False)
        assert res.status_code == 303 and res.headers["location"].startswith("/dang-nhap")


def test_named_accounts_log_in_lock_after_failures_and_end_with_removal(services):
    people = services.people
    people.save_account("lan.nguyen", "counter", password="mật khẩu đủ dài 2026", display_name="Nguyễn Thị Lan")
    stored = people.list_accounts()[0]
    assert stored.username == "lan.nguyen" and stored.has_password
    with people.engine.connect() as conn:  # argon2id, never the password
        digest = conn.exec_driver_sql("SELECT password_hash FROM accounts").scalar_one()
    assert digest.startswith("$argon2id$") and "2026" not in digest

    with TestClient(create_app(services, MemoryJobQueue())) as client:
        res = client.post("/dang-nhap", data={"username": "Lan.Nguyen", "password": "mật khẩu đủ dài 2026"},
                          follow_redirects=False)
        assert res.status_code == 303 and res.headers["location"] == "/tiep-nhan"
        assert "lan.nguyen" in client.get("/tiep-nhan").text
        kept = dict(client.cookies)
        people.deactivate("lan.nguyen")  # the account is removed: its open session ends now
        assert client.get("/tiep-nhan", follow_redirects=False).status_code == 303
    with TestClient(create_app(services, MemoryJobQueue()), cookies=kept) as replay:
        assert replay.get("/tiep-nhan", follow_redirects=False).status_code == 303

    people.save_account("minh.tran", "archivist", password="một mật khẩu khác 99")
    with TestClient(create_app(services, MemoryJobQueue())) as client:
        for _ in range(5):
            wrong = client.post("/dang-nhap", data={"username": "minh.tran", "password": "đoán thử 123456"})
            assert wrong.status_code == 401 and "không đúng" in wrong.text
        locked = client.post("/dang-nhap", data={"username": "minh.tran", "password": "một mật khẩu khác 99"})
        assert locked.status_code == 429 and "tạm khóa" in locked.text
    actions = [line["action"] for line in services.catalog.audit_of("minh.tran")]
    assert actions == ["login_refused"] + ["login_failed"] * 5
    assert [line["action"] for line in services.catalog.audit_of("lan.nguyen")] == ["login"]


def test_guessing_api_keys_is_throttled_per_address(tmp_path):
    settings = Settings(home=tmp_path, api_keys=KEYS, throttle_url="memory://", failures_per_client="10 per minute")
    with TestClient(create_app(Services(settings), MemoryJobQueue())) as client:
        codes = [client.get("/v1/search", params={"q": "x"}, headers={"X-API-Key": f"guess-{i:04d}"}).status_code
                 for i in range(12)]
        assert codes == [401] * 10 + [429] * 2
        refused = client.get("/v1/search", params={"q": "x"}, headers={"X-API-Key": KEEPER})
        assert refused.status_code == 429 and refused.json()["error"]["code"] == "too_many_attempts"


def test_review_list_says_where_each_form_stands_and_the_dossier_list_follows(client, services, code):
    from digitize.dossiers import open_dossier

    login(client, CLERK)
    listing = client.get("/kiem-tra").text
    assert "Tình trạng" in listing
    row = listing[listing.index(code):].split("</tr>")[0]
    assert any(words in row for words in ("Cần kiểm tra", "Chưa xác nhận", "Đã xác nhận", "Đã ký xác nhận"))
    assert "QUYẾT ĐỊNH" in row or "KẾ HOẠCH" in row  # the title is what the paper is, not a file name
    open_dossier(services, owner_id=OWNER, procedure="Chứng thực", who="t", code="H40.27-261124-0042")
    papers = client.get("/tiep-nhan/ho-so/H40.27-261124-0042/giay-to")
    assert papers.status_code == 200 and code in papers.text
    assert client.get("/tiep-nhan/ho-so/H40.27-261124-0999/giay-to").status_code == 404


def test_a_code_without_its_check_characters_gets_a_hint(client, code):
    login(client, CLERK)
    typed = code.rsplit("-", 1)[0]
    page = client.get(f"/kiem-tra/{typed}")
    assert page.status_code == 404 and f"Có phải mã {code}?" in page.text


def test_every_refused_file_is_named_with_its_reason(client):
    csrf = login(client, CLERK)
    client.post("/tiep-nhan/ho-so", data={"csrf": csrf, "code": "H40.27-261124-0077", "owner_id": OWNER})
    res = client.post("/tiep-nhan/tai-len", headers={"X-CSRF-Token": csrf},
                      data={"dossier_code": "H40.27-261124-0077"},
                      files=[("files", ("a.txt", b"hello", "text/plain")), ("files", ("b.png", b"\x89PNG\r\n", "image/png"))])
    message = res.json()["error"]["message"]
    assert res.status_code >= 400 and "a.txt:" in message and "b.png:" in message


def test_the_dossier_shows_the_papers_its_procedure_needs(client, services, code):
    from digitize.dossiers import open_dossier

    login(client, CLERK)
    record = open_dossier(services, owner_id=OWNER, procedure="Đăng ký khai sinh", who="t")
    page = client.get(f"/tiep-nhan?ho_so={record['code']}").text
    assert "Giấy tờ cần nộp: Đăng ký khai sinh" in page and "Còn thiếu" in page
    assert '<option value="Đăng ký thường trú">' in page  # the catalogue offered when opening a dossier


def test_a_clerk_looks_up_a_citizen_by_id(client, code):
    login(client, CLERK)
    found = client.get("/kiem-tra", params={"ma": OWNER})
    assert found.status_code == 200 and f"Giấy tờ của chủ hồ sơ {OWNER}" in found.text and code in found.text
    other = client.get("/kiem-tra", params={"ma": "079200000001"}).text
    assert code not in other


def test_the_citizen_gets_a_printed_receipt_with_what_is_missing(client, services, code):
    import io

    import pdfplumber

    from digitize.dossiers import open_dossier

    login(client, CLERK)
    record = open_dossier(services, owner_id=OWNER, procedure="Đăng ký khai sinh", who="t")
    pdf = client.get(f"/tiep-nhan/ho-so/{record['code']}/bien-nhan.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert client.get("/tiep-nhan/ho-so/H40.27-261124-0998/bien-nhan.pdf").status_code == 404
    with pdfplumber.open(io.BytesIO(pdf.content)) as doc:
        assert len(doc.pages) == 1
    import numpy as np
    import pypdfium2
    import zxingcpp

    picture = np.asarray(pypdfium2.PdfDocument(pdf.content)[0].render(scale=2).to_pil().convert("L"))
    assert [r.text for r in zxingcpp.read_barcodes(picture)] == [f"MOTCUA-HOSO:{record['code']}"]  # scannable back


def test_the_intake_page_says_how_the_queue_stands(client):
    login(client, CLERK)
    page = client.get("/tiep-nhan").text
    assert "Hàng đợi: 0 tệp đang chờ" in page and "chưa có máy xử lý nào chạy" in page  # the memory queue has none
