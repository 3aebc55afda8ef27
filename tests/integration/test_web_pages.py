"""The web pages end to end in Debian's Chromium (headless, through Playwright), against the real
stack: the service under uvicorn, an RQ worker on Redis, MinIO, PostgreSQL.

A clerk logs in to a named account (made with `digitize accounts add`) with the keyboard, opens a dossier, uploads a sample and waits for it, corrects a
field, confirms and signs off the e-form; an archivist finds it in search and opens it in the archive,
where the signature shows valid. Screenshots of every page go to test-artifacts/screenshots (or
$TEST_ARTIFACTS/screenshots).
"""
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from bench.loopback import serve
from digitize.api import create_app
from digitize.services import Services
from digitize.settings import Settings
from workers.queue import RqJobQueue

from ..conftest import ROOT, SAMPLES

KEYS = {"counter": "web-counter-key", "archivist": "web-archivist-key"}
ACCOUNTS = {"counter": ("lan.nguyen", "mật khẩu quầy số 1"), "archivist": ("minh.tran", "mật khẩu lưu trữ 2")}
OWNER = "001090012345"
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", ROOT / "test-artifacts")) / "screenshots"
SCREEN = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def settings(live, tmp_path_factory):
    home = tmp_path_factory.mktemp("web")
    return Settings(home=home, redis_url=live["DIGITIZE_REDIS_URL"], queue_name=f"web-{uuid.uuid4().hex[:8]}",
                    minio_endpoint=live["DIGITIZE_MINIO_ENDPOINT"], minio_access_key=live["DIGITIZE_MINIO_ACCESS_KEY"],
                    minio_secret_key=live["DIGITIZE_MINIO_SECRET_KEY"], minio_bucket=f"web-{uuid.uuid4().hex[:10]}",
                    catalog_url=live["DIGITIZE_CATALOG_URL"], agency_id="H40.27",
                    api_keys=",".join(f"{role}-user:{role}:{key}" for role, key in KEYS.items()))


@pytest.fixture(scope="module")
def server(settings):
    """The service on a loopback port, and a worker that stays up for the whole module."""
    env = {**os.environ, **{f"DIGITIZE_{k.upper()}": str(v) for k, v in settings.model_dump().items() if v != ""}}
    ARTIFACTS.parent.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS.parent / "web-worker.log", "w")  # a file, not a pipe nobody reads that could fill up
    for role, (username, password) in ACCOUNTS.items():
        made = subprocess.run([sys.executable, "-m", "digitize", "accounts", "add", username, "--role", role,
                               "--password-stdin"], input=password + "\n", env=env, cwd=ROOT, capture_output=True,
                              text=True)
        assert made.returncode == 0, made.stderr
    worker = subprocess.Popen([sys.executable, "-m", "workers"], env=env, cwd=ROOT, stdout=log, stderr=log)
    with serve(create_app(Services(settings), RqJobQueue(settings))) as base:
        yield base
    log.close()
    worker.terminate()
    try:
        worker.wait(20)
    except subprocess.TimeoutExpired:
        worker.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Debian's chromium is not installed (./scripts/test installs it)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=SCREEN, locale="vi-VN", accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SCREEN["width"], f"{name}: the page is {width} px wide, wider than a 1366×768 screen"


def log_in(page, base: str, role: str) -> None:
    """With the keyboard only: the username field has the focus, Tab to the password, Enter submits."""
    page.goto(base + "/")
    assert "/dang-nhap" in page.url
    page.wait_for_function("document.activeElement && document.activeElement.id === 'username'")  # autofocus
    username, password = ACCOUNTS[role]
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_clerk_to_archivist(server, page):
    base = server
    page.goto(base + "/")
    assert page.locator("h1").inner_text() == "Đăng nhập"
    shot(page, "01-dang-nhap")
    page.fill("#key", "not-a-key")
    with page.expect_navigation():
        page.press("#key", "Enter")
    assert "Khóa truy cập không đúng" in page.locator(".alert").inner_text()

    # Tiếp nhận: open a dossier, upload, follow the job until the document code shows.
    log_in(page, base, "counter")
    assert page.url.endswith("/tiep-nhan")
    page.fill("#owner_id", OWNER)
    page.fill("#procedure", "Chứng thực bản sao từ bản chính")
    page.click("button:text('Mở hồ sơ')")
    dossier = page.locator("#dossier-code").inner_text()
    assert dossier.startswith("H40.27-")
    page.set_input_files("#files", [str(SAMPLES / "sample-01-quyet-dinh.png")])
    page.click("#send")
    page.wait_for_selector("#jobs li .status")
    shot(page, "02-tiep-nhan-dang-xu-ly")
    result = page.wait_for_selector("#jobs li[data-status=finished] .result", timeout=240_000)
    code = result.query_selector("a.code").inner_text()
    page.wait_for_selector(f"#dossier-papers a.code:text('{code}')")  # the dossier's list follows
    page.wait_for_function("document.querySelector('.result .thumbs img').complete")
    assert page.locator(".result .thumbs img").first.evaluate("img => img.naturalWidth") > 0
    shot(page, "03-tiep-nhan-xong")
    page.set_input_files("#files", [str(SAMPLES / "sample-01-quyet-dinh.png")])  # the same paper again
    page.click("#send")
    page.wait_for_function("document.querySelectorAll('#jobs li .result').length === 2", timeout=240_000)
    again = page.query_selector("#jobs li:first-child .result")
    assert again.query_selector("a.code").inner_text() == code
    assert "Đã có trong kho" in again.inner_text()

    # Kiểm tra: a field's box shows on the page; correct one field, confirm another, then sign off.
    page.click(f"a.code:text('{code}')")
    page.wait_for_url(f"**/kiem-tra/{code}")
    assert page.locator("#v-number").input_value() == "2059/KH-UBND"
    page.locator("#v-number").focus()
    assert page.locator("#box").is_visible()
    page.locator("#v-signer").focus()  # low on a page taller than the screen: the outline is where it was read
    placed = page.evaluate("""() => {
        const b = document.getElementById('box').getBoundingClientRect();
        const i = document.querySelector('#sheet img').getBoundingClientRect();
        const [x, y] = document.querySelector('tr.field:has(#v-signer)').dataset.box.split(',').map(Number);
        const s = document.getElementById('sheet');
        return {top: (b.top - i.top) / i.height, want: y / Number(s.dataset.height),
                left: (b.left - i.left) / i.width, wantLeft: x / Number(s.dataset.width)}; }""")
    assert abs(placed["top"] - placed["want"]) < 0.005 and abs(placed["left"] - placed["wantLeft"]) < 0.005, placed
    shot(page, "04-kiem-tra")
    page.fill("#v-place", "Đồng Xoài")
    page.check("#c-number")
    page.click("button[value=save]")
    assert page.locator("p.ok[role=status]").inner_text() == "Đã lưu."
    assert page.locator("#v-place").input_value() == "Đồng Xoài"
    assert page.locator("tr.field:has(#v-place) .badge.ok").is_visible()
    assert page.locator("tr.field:has(#v-number) .badge.ok").is_visible()
    assert page.locator("#v-date").input_value() == "17/11/2020"  # dates as people write them
    page.check("#c-date")
    page.click("button[value=sign]")  # other fields are not confirmed yet: refused, said why
    assert "trường chưa xác nhận" in page.locator(".alert").inner_text()
    page.click("button[value=confirm_all]")
    assert page.locator("tr.field .badge.ok").count() == page.locator("tr.field").count()
    page.click("button[value=sign]")
    assert "chữ ký hợp lệ" in page.locator("p.ok >> nth=1").inner_text()
    assert page.locator("#v-place").get_attribute("readonly") is not None  # signed off: final
    assert page.locator("button[value=save]").count() == 0
    shot(page, "05-kiem-tra-da-ky")

    # The clerk may not open the archive pages.
    page.goto(base + "/tra-cuu")
    assert "Không được phép" in page.locator("h1").inner_text()
    page.click("text=Đăng xuất")

    # Tra cứu: full text without diacritics, then by dossier; the result carries its signature status.
    log_in(page, base, "archivist")
    assert page.url.endswith("/tra-cuu")
    page.fill("#q", "ke hoach ung dung dinh danh dien tu")
    page.click("button:text('Tìm')")
    assert page.locator(f"table.list a.code:text('{code}')").is_visible()
    shot(page, "06-tra-cuu")

    # Hồ sơ lưu trữ: signature valid, the signed PDF downloads, the corrections and reads are listed.
    page.click(f"a.code:text('{code}')")
    page.wait_for_url(f"**/luu-tru/{code}")
    assert page.locator("#signature-status").inner_text().startswith("Chữ ký hợp lệ")
    assert "Đồng Xoài" in page.locator("text=Lịch sử sửa biểu mẫu >> xpath=following-sibling::table[1]").inner_text()
    assert "lan.nguyen ký xác nhận" in page.locator("#form-signature").inner_text()
    assert "chữ ký hợp lệ" in page.locator("#form-signature").inner_text()
    page.wait_for_function("document.querySelector('#sheet img').complete")
    assert page.locator("#sheet img").evaluate("img => img.naturalWidth") >= 1000  # the page itself, not a thumbnail
    page.click("#zoom-in")
    page.click("#zoom-in")
    page.wait_for_function("document.querySelector('#sheet img').src.includes('rong=2400')")
    assert page.locator("#zoom-level").inner_text() == "200%"
    shot(page, "07-luu-tru")
    with page.expect_download() as download:
        page.click("text=Tải bản PDF đã ký số")
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"

    page.goto(f"{base}/tra-cuu?ho_so={dossier}")
    row = page.locator(f"tr:has(a.code:text('{code}'))")
    assert "Hợp lệ" in row.inner_text()  # checked just now in the archive view
    page.goto(base + "/luu-tru/KHONG-CO-MA")
    assert "Không có giấy tờ mã KHONG-CO-MA" in page.locator(".alert").inner_text()


def test_pages_work_from_the_keyboard(server, page):
    """Tab reaches the skip link first, then the menu; every page has one h1."""
    log_in(page, server, "counter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").startswith("Bỏ qua")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/tiep-nhan"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/kiem-tra")
    assert page.locator("h1").count() == 1
    shot(page, "08-kiem-tra-danh-sach")


def _batch_with_a_stray_page(path: Path) -> None:
    """A decision's first page, a birth certificate, then the decision's second page: fed in that
    order, the second page is taken as the certificate's (a page "2" continues the paper before it)."""
    import random

    from samples import admin_page, batch

    rng = random.Random(12)
    decision = admin_page.AdminPage.random(rng, "liberation-serif", sentences=6)
    first, _truth = admin_page.render(decision, 200)
    second = admin_page.render_continuation(decision, 200, 2, 2, "top", last=True)
    birth = batch.paper_pages("birth", rng, 200, "noto-serif")
    batch.save_pdf([batch._scan(p, rng, False) for p in [first, *birth, second]], path, dpi=200)
    batch._scan(first, rng, False).save(path.with_name("rescan.png"), dpi=(200, 200))


def test_clerk_confirms_a_split_moves_a_page_and_rescans_one(server, page, tmp_path):
    base = server
    batch_pdf = tmp_path / "lo-ho-so.pdf"
    _batch_with_a_stray_page(batch_pdf)
    log_in(page, base, "counter")
    page.fill("#owner_id", OWNER)
    page.fill("#procedure", "Đăng ký khai sinh")
    page.click("button:text('Mở hồ sơ')")
    assert page.locator("a:text('tờ tách giấy tờ')").get_attribute("href") == "/tiep-nhan/to-tach.pdf"
    page.set_input_files("#files", [str(batch_pdf)])
    page.click("#send")
    page.wait_for_selector("#jobs li[data-status=finished] .split-review", timeout=240_000)
    results = page.locator("#jobs li:first-child .result")
    assert results.count() == 2
    decision_code = results.nth(0).locator("a.code").inner_text()
    birth_code = results.nth(1).locator("a.code").inner_text()
    assert "trang 2, 3 của tệp" in results.nth(1).inner_text()  # the stray page went with the certificate
    shot(page, "09-tach-giay-to")
    page.click("button:text('Xác nhận cách tách')")
    page.wait_for_selector(".split-review p.ok")
    assert "Đã xác nhận cách tách (lan.nguyen" in page.locator(".split-review").inner_text()

    # The stray page goes back to the decision: both get a new version, their codes stay.
    page.goto(f"{base}/kiem-tra/{birth_code}")
    page.fill("#to-2", decision_code)
    page.click("#tool-page-2 button[value=move]")
    assert "Đã tạo phiên bản 2" in page.locator("p.ok[role=status]").inner_text()
    assert page.locator(".page-tools .page-list li").count() == 1
    page.goto(f"{base}/kiem-tra/{decision_code}")
    assert page.locator(".page-tools .page-list li").count() == 2
    assert "giấy tờ phiên bản 2" in page.locator("p.hint >> nth=0").inner_text()
    shot(page, "10-chuyen-trang")

    # One page rescanned: a third version of the decision, its first page replaced.
    page.set_input_files("#file-1", [str(tmp_path / "rescan.png")])
    page.click("#tool-page-1 button[value=rescan]")
    assert "Đã tạo phiên bản 3" in page.locator("p.ok[role=status]").inner_text()
    page.wait_for_function("document.querySelector('#tool-page-1 img').complete")
    assert page.locator("#tool-page-1 img").evaluate("img => img.naturalWidth") > 0
    shot(page, "11-quet-lai-trang")


def test_pages_fit_a_phone_and_the_skip_link_leads_to_the_file_picker(server, browser):
    """At 390×844 every page is one column no wider than the screen; on the intake page the skip
    link leads to the upload area, one Tab from the file picker."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, server, "counter")
    page.fill("#owner_id", OWNER)
    page.click("button:text('Mở hồ sơ')")
    for path in ("", "/kiem-tra"):
        if path:
            page.goto(server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path or '/tiep-nhan'} is {width} px wide on a 390 px screen"
    page.screenshot(path=str(ARTIFACTS / "12-dien-thoai-kiem-tra.png"), full_page=True)
    page.go_back()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").startswith("Bỏ qua")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "files"
    context.close()


def test_the_counter_day_applicant_checklist_reuse_and_the_day_list(server, page):
    """A dossier opened with its applicant; the procedure's checklist offers the paper the citizen
    already has on file, one click puts it in; the day's list shows the dossier with its status."""
    import random

    base = server
    owner = f"0{random.randint(1, 96):02d}{random.randint(0, 10**9 - 1):09d}"  # this test's own citizen
    phone = f"09{random.randint(0, 10**8 - 1):08d}"
    log_in(page, base, "counter")
    page.fill("#owner_id", owner)
    page.click("button:text('Mở hồ sơ')")
    page.set_input_files("#files", [str(SAMPLES / "sample-02-cong-van.jpg")])  # a paper of an earlier dossier
    page.click("#send")
    earlier = page.wait_for_selector("#jobs li[data-status=finished] .result a.code", timeout=240_000).inner_text()

    page.fill("#owner_id", owner)
    page.fill("#procedure", "Chứng thực bản sao từ bản chính")
    page.fill("#applicant_name", "Trần Văn Bình")
    page.fill("#applicant_phone", "12345")
    page.click("button:text('Mở hồ sơ')")
    assert "Số điện thoại không hợp lệ" in page.locator("#applicant_phone-error").inner_text()  # beside its field
    assert page.locator("#applicant_name").input_value() == "Trần Văn Bình"  # nothing typed is lost
    page.fill("#applicant_phone", f"{phone[:4]} {phone[4:7]} {phone[7:]}")
    page.click("button:text('Mở hồ sơ')")
    dossier = page.locator("#dossier-code").inner_text()
    assert f"người nộp Trần Văn Bình ({phone})" in page.locator("p.hint >> nth=1").inner_text()
    assert "hẹn trả kết quả ngày" in page.locator("p.hint >> nth=1").inner_text()
    assert page.locator("#dossier-status").get_attribute("data-status") == "received"

    offer = page.locator("table.checklist tr.on_file")
    assert "không cần nộp lại" in offer.inner_text() and earlier in offer.inner_text()
    shot(page, "13-ho-so-giay-to-da-co")
    offer.locator("button:text('Dùng cho hồ sơ này')").click()
    assert f"Đã đưa giấy tờ {earlier} vào hồ sơ" in page.locator("p.ok[role=status]").inner_text()
    assert page.locator("table.checklist tr.present").count() == 1
    assert page.locator(f"#dossier-papers a.code:text('{earlier}')").is_visible()
    assert page.locator("#dossier-status").get_attribute("data-status") == "to_check"

    page.click("nav[aria-label='Chức năng'] a:text('Hồ sơ trong ngày')")
    page.wait_for_url("**/ho-so")
    row = page.locator(f"#dossiers tr:has(a.code:text('{dossier}'))")
    assert "Trần Văn Bình" in row.inner_text() and phone in row.inner_text() and "Cần kiểm tra" in row.inner_text()
    shot(page, "14-ho-so-trong-ngay")
    page.fill("#tim", phone)
    page.click("button:text('Lọc')")
    assert page.locator("#dossiers tbody tr").count() == 1 and row.is_visible()
    page.select_option("#tinh_trang", "received")
    page.click("button:text('Lọc')")
    assert "Không có hồ sơ nào khớp bộ lọc" in page.locator("#dossiers").inner_text()  # it is past "received"


def test_the_page_viewer_zooms_and_the_field_box_stays_on_its_words(server, page):
    log_in(page, server, "counter")
    page.goto(server + "/kiem-tra")
    page.locator("table.list a.code").first.click()
    page.wait_for_function("document.querySelector('#sheet img').complete")
    row = page.locator("tr.field[data-box*=',']").first
    row.locator("input").first.focus()

    def placed() -> dict:
        return page.evaluate("""() => {
            const b = document.getElementById('box').getBoundingClientRect();
            const i = document.querySelector('#sheet img').getBoundingClientRect();
            const row = document.querySelector('tr.field.current');
            const [x, y] = row.dataset.box.split(',').map(Number);
            const s = document.getElementById('sheet');
            return {top: (b.top - i.top) / i.height, want: y / Number(s.dataset.height), width: i.width,
                    left: (b.left - i.left) / i.width, wantLeft: x / Number(s.dataset.width)}; }""")

    before = placed()
    page.click("#zoom-in")
    page.click("#zoom-in")
    assert page.locator("#zoom-level").inner_text() == "200%"
    page.wait_for_function("document.querySelector('#sheet img').src.includes('rong=2400')")
    page.wait_for_function("document.querySelector('#sheet img').complete")
    after = placed()
    assert abs(after["width"] / before["width"] - 2) < 0.05
    assert abs(after["top"] - after["want"]) < 0.005 and abs(after["left"] - after["wantLeft"]) < 0.005, after
    box_visible = page.evaluate("""() => { const b = document.getElementById('box').getBoundingClientRect();
        const s = document.getElementById('sheet').getBoundingClientRect();
        return b.top >= s.top - 1 && b.bottom <= s.bottom + 1; }""")
    assert box_visible  # scrolled to the field, not left off screen
    shot(page, "15-kiem-tra-phong-to")
    page.locator("#sheet").focus()
    page.keyboard.press("-")
    assert page.locator("#zoom-level").inner_text() == "150%"
    page.click("#zoom-fit")
    assert page.locator("#zoom-level").inner_text() == "100%"


def test_the_clerk_sees_a_file_wait_for_a_worker_then_finish(live, settings, browser, tmp_path):
    """No worker on the queue: the file is said to be kept and waiting for one, the queue panel says
    no worker runs; once a worker starts, the file finishes and the dossier's list follows."""
    quiet = settings.model_copy(update={"queue_name": f"idle-{uuid.uuid4().hex[:8]}"})
    env = {**os.environ, **{f"DIGITIZE_{k.upper()}": str(v) for k, v in quiet.model_dump().items() if v != ""}}
    context = browser.new_context(viewport=SCREEN, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    with serve(create_app(Services(quiet), RqJobQueue(quiet))) as base:
        log_in(page, base, "counter")
        assert "chưa có máy xử lý nào chạy" in page.locator("#queue-panel").inner_text()
        page.fill("#owner_id", OWNER)
        page.click("button:text('Mở hồ sơ')")
        page.set_input_files("#files", [str(SAMPLES / "sample-02-cong-van.jpg")])
        page.click("#send")
        page.wait_for_function("document.querySelector('#jobs li .status') && "
                               "document.querySelector('#jobs li .status').textContent.includes('chưa có máy xử lý')")
        assert "lưu an toàn" in page.locator("#jobs li .status").inner_text()
        page.reload()  # the file is still listed after a reload
        page.wait_for_selector("#jobs li .status")
        assert page.locator("#dossier-status").get_attribute("data-status") == "digitizing"
        shot(page, "16-cho-may-xu-ly")
        worker = subprocess.run([sys.executable, "-m", "workers", "--burst"], env=env, cwd=ROOT,
                                capture_output=True, text=True, timeout=300)
        assert worker.returncode == 0, worker.stderr[-2000:]
        page.wait_for_selector("#jobs li[data-status=finished] .result", timeout=60_000)
        page.wait_for_selector("#dossier-papers a.code")
        assert page.locator("#dossier-status").get_attribute("data-status") == "to_check"
        page.wait_for_function("document.getElementById('queue-panel').textContent.includes('0 tệp đang chờ')")
        shot(page, "17-may-xu-ly-chay-lai")
    context.close()
