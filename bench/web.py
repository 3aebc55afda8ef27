"""`digitize bench web`: how long the web pages take with a catalog of N documents.

One sample is digitized for real (the review and archive pages need its PDF, words and fields);
the rest of the catalog is synthetic rows. Each page is timed on the server (in process, median
and slowest of several requests) and, when Chromium and Playwright are installed, as a real page
load in headless Chromium (navigation start to the load event, images and scripts included).
"""
from __future__ import annotations

import random
import shutil
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from common.clock import VIETNAM
from digitize.api import create_app
from digitize.jobqueue import MemoryJobQueue
from digitize.pipeline import Submission, process
from digitize.services import Services
from digitize.settings import Settings

from .catalog import synthetic_rows
from .loopback import serve

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "sample-01-quyet-dinh.png"
OWNER, DOSSIER, KEY = "001090012345", "H40.27-261124-0001", "bench-admin-key"


def run_web_bench(documents: int = 1000, repeats: int = 10, url: str | None = None) -> int:
    from fastapi.testclient import TestClient

    with tempfile.TemporaryDirectory() as tmp:
        services = Services(Settings(home=Path(tmp), api_keys=f"bench:admin:{KEY}", agency_id="H40.27",
                                     catalog_url=url or ""))
        if services.catalog.count():
            print("lỗi [catalog_not_empty]: catalog đã có dữ liệu | error: the benchmark needs an empty catalog")
            return 1
        code = process(Submission(SAMPLE.read_bytes(), SAMPLE.name, OWNER, None, DOSSIER), services).code
        _fill(services, documents - 1)
        print(f"catalog ({services.catalog.engine.dialect.name}): {services.catalog.count()} documents (1 digitized, the rest synthetic), "
              f"{len(services.catalog.recent_dossiers(1000))} dossiers")
        today = datetime.now(VIETNAM).date()
        pages = {
            "đăng nhập": "/dang-nhap",
            "tiếp nhận (hồ sơ)": f"/tiep-nhan?ho_so={DOSSIER}",
            "kiểm tra (danh sách)": "/kiem-tra",
            "kiểm tra (giấy tờ)": f"/kiem-tra/{code}",
            "tra cứu (mới nhất)": "/tra-cuu",
            "tra cứu (toàn văn)": "/tra-cuu?q=thu+tuc+hanh+chinh",
            "tra cứu (chủ hồ sơ)": f"/tra-cuu?chu_ho_so={OWNER}",
            "tra cứu (loại, ngày)": f"/tra-cuu?loai=admin&tu_ngay={today - timedelta(days=3650)}&den_ngay={today}",
            "lưu trữ (giấy tờ)": f"/luu-tru/{code}",
        }
        app = create_app(services, MemoryJobQueue())
        with TestClient(app) as client:
            client.post("/dang-nhap", data={"key": KEY})
            server = {name: _time_server(client, path, repeats) for name, path in pages.items()}
        browser = _time_browser(app, pages, max(3, repeats // 2))
    print(f"{'page':24} {'server median ms':>17} {'server max ms':>14} {'browser first ms':>17} "
          f"{'browser median ms':>18} {'browser max ms':>15}")
    for name in pages:
        b = [f"{v:.1f}" for v in browser[name]] if browser else ["-"] * 3
        print(f"{name:24} {server[name][0]:17.1f} {server[name][1]:14.1f} {b[0]:>17} {b[1]:>18} {b[2]:>15}")
    if browser is None:
        print("browser: not measured (Chromium or Playwright missing; ./scripts/test installs both)")
    return 0


def _fill(services: Services, count: int) -> None:
    rng = random.Random(11)
    now = datetime.now(timezone.utc)
    rows = synthetic_rows(1, count, max(1, count // 5), rng)
    for i, row in enumerate(rows):
        row["created_at"] = now - timedelta(minutes=i + 1)
    services.catalog.add_documents(rows)
    for i in range(200):
        services.catalog.add_dossier({"code": f"H40.27-261124-{i + 2:04d}", "owner_id": OWNER,
                                      "procedure": "Chứng thực bản sao", "created_at": now - timedelta(minutes=i),
                                      "created_by": "bench"})


def _time_server(client, path: str, repeats: int) -> tuple[float, float]:
    client.get(path)  # warm the templates and the database connection
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        res = client.get(path)
        times.append((time.perf_counter() - t) * 1000)
        if res.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {res.status_code}")
    return statistics.median(times), max(times)


def _time_browser(app, pages: dict, repeats: int) -> dict | None:
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not chromium:
        return None
    out = {}
    with serve(app) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True)
        page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        page.goto(base + "/dang-nhap")
        page.fill("#key", KEY)
        page.press("#key", "Enter")
        page.wait_for_load_state()
        for name, path in pages.items():
            page.goto(base + path, wait_until="load")  # first view: page pictures rendered now
            first = page.evaluate("performance.getEntriesByType('navigation')[0].duration")
            times = []
            for _ in range(repeats):
                page.goto(base + path, wait_until="load")
                times.append(page.evaluate("performance.getEntriesByType('navigation')[0].duration"))
            out[name] = (first, statistics.median(times), max(times))
        browser.close()
    return out
