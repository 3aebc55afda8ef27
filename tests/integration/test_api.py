"""The HTTP service against real Redis (local warehouse and SQLite catalog for speed): roles on every
endpoint, one audit line per read, the upload → worker → portal path, and bad input as 4xx JSON."""
import io
import json
import os
import subprocess
import sys
import time
import uuid

import pikepdf
import pytest
from fastapi.testclient import TestClient

from digitize.api import create_app
from digitize.services import Services
from digitize.settings import Settings
from workers.queue import RqJobQueue

from ..conftest import ROOT, SAMPLES

OWNER = "001090012345"
KEYS = {"counter": "k-counter", "portal": "k-portal", "archivist": "k-archivist", "admin": "k-admin-0"}
ALLOWED = {  # (method, path) → roles besides admin
    ("post", "/v1/documents"): {"counter"},
    ("get", "/v1/jobs/{job_id}"): {"counter"},
    ("get", "/v1/jobs/{job_id}/events"): {"counter"},
    ("get", "/v1/jobs"): {"counter"},
    ("get", "/v1/owners/{owner_id}/documents"): {"portal", "archivist"},
    ("get", "/v1/owners/{owner_id}/documents/{code}"): {"portal", "archivist"},
    ("get", "/v1/owners/{owner_id}/documents/{code}/fields"): {"portal", "archivist"},
    ("get", "/v1/owners/{owner_id}/documents/{code}/pdf"): {"portal", "archivist"},
    ("get", "/v1/search"): {"archivist"},
    ("get", "/v1/documents/{code}"): {"archivist"},
    ("get", "/v1/documents/{code}/pdf"): {"archivist"},
    ("get", "/v1/documents/{code}/verify"): {"archivist"},
    ("post", "/v1/verify"): {"archivist"},
    ("get", "/v1/documents/{code}/audit"): {"archivist"},
    ("get", "/v1/documents/{code}/fields"): {"counter", "archivist"},
    ("patch", "/v1/documents/{code}/fields"): {"counter"},
    ("get", "/v1/documents/{code}/fields/history"): {"counter", "archivist"},
    ("get", "/v1/documents/{code}/versions"): {"counter", "archivist"},
    ("post", "/v1/documents/{code}/pages"): {"counter"},
    ("post", "/v1/documents/{code}/pages/{page}/rescan"): {"counter"},
    ("post", "/v1/documents/{code}/split"): {"counter"},
    ("post", "/v1/documents/{code}/move"): {"counter"},
    ("post", "/v1/documents/{code}/merge"): {"counter"},
    ("post", "/v1/jobs/{job_id}/confirm-split"): {"counter"},
    ("post", "/v1/jobs/{job_id}/retry"): {"counter"},
    ("get", "/v1/sheets/separator.pdf"): {"counter"},
    ("get", "/v1/sheets/cover/{dossier_code}.pdf"): {"counter"},
    ("post", "/v1/dossiers"): {"counter"},
    ("get", "/v1/dossiers/{code}"): {"counter"},
}


@pytest.fixture(scope="module")
def settings(live, tmp_path_factory):
    home = tmp_path_factory.mktemp("api")
    return Settings(home=home, redis_url=live["DIGITIZE_REDIS_URL"], queue_name=f"api-{uuid.uuid4().hex[:8]}",
                    api_keys=",".join(f"{role}-user:{role}:{key}" for role, key in KEYS.items()),
                    max_file_bytes=20 * 1024 * 1024, max_pages=6,
                    failures_per_client="500 per minute")  # the role test sends a wrong key to every endpoint


@pytest.fixture(scope="module")
def client(settings):
    services = Services(settings)
    with TestClient(create_app(services, RqJobQueue(settings))) as c:
        yield c


def _h(role):
    return {"X-API-Key": KEYS[role]}


def _run_worker(settings) -> None:
    env = {**os.environ, "DIGITIZE_HOME": str(settings.home), "DIGITIZE_REDIS_URL": settings.redis_url,
           "DIGITIZE_QUEUE_NAME": settings.queue_name}
    res = subprocess.run([sys.executable, "-m", "workers", "--burst"], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]


@pytest.fixture(scope="module")
def stored(client, settings) -> str:
    """One sample uploaded through the API and digitized by a real worker; its code."""
    with open(SAMPLES / "sample-01-quyet-dinh.png", "rb") as f:
        res = client.post("/v1/documents", headers=_h("counter"),
                          files=[("files", ("../../etc/sample.png", f, "image/png"))],
                          data={"owner_id": OWNER, "dossier_code": "H40.27-261124-0001"})
    assert res.status_code == 202, res.text
    receipt = res.json()["receipts"][0]
    assert receipt["filename"] == "sample.png"  # no path tricks
    assert client.get(receipt["status_url"], headers=_h("counter")).json()["status"] == "queued"
    _run_worker(settings)
    job = client.get(receipt["status_url"], headers=_h("counter")).json()
    assert job["status"] == "finished" and job["progress"]["done"] == 1, job
    events = client.get(f"{receipt['status_url']}/events", headers=_h("counter")).text
    assert events.startswith("data: ") and '"finished"' in events
    return job["code"]


def _url(path: str, code: str) -> str:
    return path.replace("{owner_id}", OWNER).replace("{code}", code).replace("{job_id}", "nope")


def test_every_endpoint_refuses_the_wrong_roles(client, stored):
    spec = client.get("/openapi.json").json()
    routes = {(m, p) for p, ops in spec["paths"].items() for m in ops if p not in ("/healthz", "/metrics")}
    assert routes == set(ALLOWED)  # a new endpoint must be given its roles here
    for (method, path), roles in ALLOWED.items():
        url = _url(path, stored)
        assert client.request(method, url).status_code == 401
        assert client.request(method, url, headers={"X-API-Key": "wrong"}).status_code == 401
        for role in KEYS:
            res = client.request(method, url, headers=_h(role))
            if role in roles or role == "admin":
                assert res.status_code not in (401, 403), (method, path, role, res.text)
            else:
                assert res.status_code == 403 and res.json()["error"]["code"] == "forbidden", (method, path, role)


def test_portal_reads_through_the_owner_and_every_read_is_audited(client, stored, settings):
    listing = client.get(f"/v1/owners/{OWNER}/documents", headers=_h("portal")).json()
    assert [d["code"] for d in listing["documents"]] == [stored]
    before = len(client.get(f"/v1/documents/{stored}/audit", headers=_h("archivist")).json()["reads"])
    manifest = client.get(f"/v1/owners/{OWNER}/documents/{stored}", headers=_h("portal")).json()
    assert manifest["code"] == stored and manifest["objects"]["signed_pdf"]["sha256"]
    fields = client.get(f"/v1/owners/{OWNER}/documents/{stored}/fields", headers=_h("portal")).json()
    assert fields["fields"]["number"]["verified"] is False and fields["fields"]["number"]["value"]
    pdf = client.get(f"/v1/owners/{OWNER}/documents/{stored}/pdf", headers={"Authorization": f"Bearer {KEYS['portal']}"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # another citizen's id does not open this document
    assert client.get(f"/v1/owners/079201000001/documents/{stored}/pdf", headers=_h("portal")).status_code == 404
    client.get(f"/v1/documents/{stored}", headers=_h("archivist"))
    report = client.get(f"/v1/documents/{stored}/verify", headers=_h("archivist")).json()
    assert report["valid"] and report["document_code"] == stored
    reads = client.get(f"/v1/documents/{stored}/audit", headers=_h("archivist")).json()["reads"]
    assert [(r["who"], r["action"]) for r in reads[before:]] == [
        ("portal-user", "read_manifest"), ("portal-user", "read_fields"), ("portal-user", "read_pdf"), ("archivist-user", "read_manifest"),
        ("archivist-user", "verify")]
    assert all(r["at"] and (r["client"] or r["role"] == "system") for r in reads)
    assert [(r["who"], r["action"]) for r in reads[:3]] == [("digitize-worker", "received"),
                                                            ("digitize-worker", "digitized"),
                                                            ("digitize-worker", "signed")]
    assert "from counter-user" in reads[0]["detail"]  # who handed the scan in
    found = client.get("/v1/search", params={"q": "uy ban nhan dan"}, headers=_h("archivist")).json()["documents"]
    assert stored in [d["code"] for d in found]
    trail = client.get(f"/v1/documents/{stored}/audit", headers=_h("archivist")).json()["reads"]
    assert (trail[-1]["who"], trail[-1]["action"]) == ("archivist-user", "read_snippet")
    uploads = Services(settings).catalog.audit_of("counter-user")
    assert any(line["action"] == "received" and line["detail"].startswith("receipt ") for line in uploads)


def test_counter_staff_correct_and_confirm_fields_and_the_portal_sees_them_verified(client, stored):
    form = client.get(f"/v1/documents/{stored}/fields", headers=_h("counter")).json()
    assert form["kind"] == "admin" and form["classification"]["kind"] == "admin"
    assert {"value", "raw", "confidence", "page", "box", "source"} <= set(form["fields"]["number"])
    version = form["version"]
    res = client.patch(f"/v1/documents/{stored}/fields", headers=_h("counter"),
                       json={"version": version, "values": {"summary": "Về việc số hóa hồ sơ"}, "confirm": ["number"]})
    assert res.status_code == 200, res.text
    saved = res.json()
    assert saved["version"] == version + 1 and saved["fields"]["summary"]["source"] == "human"
    stale = client.patch(f"/v1/documents/{stored}/fields", headers=_h("counter"),
                         json={"version": version, "values": {"summary": "x"}})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "version_conflict"
    bad = client.patch(f"/v1/documents/{stored}/fields", headers=_h("counter"),
                       json={"version": version + 1, "values": {"date": "31/02/2024"}})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_date"
    prefill = client.get(f"/v1/owners/{OWNER}/documents/{stored}/fields", headers=_h("portal")).json()
    assert prefill["version"] == version + 1
    assert prefill["fields"]["number"]["verified"] and prefill["fields"]["summary"]["verified"]
    assert not prefill["fields"]["place"]["verified"]
    history = client.get(f"/v1/documents/{stored}/fields/history", headers=_h("archivist")).json()["versions"]
    assert history[-1]["saved_by"] == "counter-user"
    assert {c["field"] for c in history[-1]["corrections"]} == {"summary", "number"}
    assert client.get(f"/v1/documents/{stored}/fields", headers=_h("counter")).json()["signature"] is None
    early = client.patch(f"/v1/documents/{stored}/fields", headers=_h("counter"),
                         json={"version": version + 1, "confirm": ["place"], "sign": True})
    assert early.status_code == 422 and early.json()["error"]["code"] == "unconfirmed_fields"
    every = list(client.get(f"/v1/documents/{stored}/fields", headers=_h("counter")).json()["fields"])
    signed = client.patch(f"/v1/documents/{stored}/fields", headers=_h("counter"),
                          json={"version": version + 1, "confirm": every, "sign": True})
    assert signed.status_code == 200 and signed.json()["signed_off"]["by"] == "counter-user"
    final = client.patch(f"/v1/documents/{stored}/fields", headers=_h("counter"),
                         json={"version": version + 2, "values": {"summary": "y"}})
    assert final.status_code == 409 and final.json()["error"]["code"] == "signed_off"
    check = client.get(f"/v1/documents/{stored}/fields", headers=_h("archivist")).json()["signature"]
    assert check["version"] == version + 2 and check["intact"] and check["valid"]


def test_search_and_verify_an_upload(client, stored):
    found = client.get("/v1/search", params={"q": "uy ban nhan dan"}, headers=_h("archivist")).json()
    assert stored in [d["code"] for d in found["documents"]]
    by_dossier = client.get("/v1/search", params={"dossier_code": "H40.27-261124-0001"}, headers=_h("archivist"))
    assert [d["code"] for d in by_dossier.json()["documents"]] == [stored]
    pdf = client.get(f"/v1/documents/{stored}/pdf", headers=_h("archivist")).content
    res = client.post("/v1/verify", headers=_h("archivist"), files={"file": ("x.pdf", pdf, "application/pdf")})
    assert res.json()["valid"] is True
    tampered = bytearray(pdf)
    tampered[tampered.index(b"/Filter") + 2000] ^= 1
    res = client.post("/v1/verify", headers=_h("archivist"), files={"file": ("x.pdf", bytes(tampered), "application/pdf")})
    assert res.status_code == 200 and res.json()["valid"] is False


def test_hostile_files_cannot_hold_the_service(client):
    """A PDF that hangs pdfminer, and an encrypted one to verify: answered at once, in a child
    process under limits, and the service still answers afterwards."""
    from tests import hostile_files

    started = time.perf_counter()
    locked = client.post("/v1/verify", headers=_h("archivist"),
                         files={"file": ("locked.pdf", hostile_files.encrypted(), "application/pdf")})
    assert locked.status_code == 400 and locked.json()["error"]["code"] == "encrypted_pdf"
    uploads = [client.post("/v1/documents", headers=_h("counter"),
                           files=[("files", ("loop.pdf", hostile_files.mediabox_loop(), "application/pdf"))])
               for _ in range(8)]  # more than the thread pool once hung on
    assert all(u.status_code == 202 for u in uploads)  # kept: the worker sets it aside with its reason
    assert client.get("/healthz").status_code == 200 and time.perf_counter() - started < 30


def _tiff(pages: int) -> bytes:
    from PIL import Image

    images = [Image.new("L", (200, 280), 255) for _ in range(pages)]
    buf = io.BytesIO()
    images[0].save(buf, format="TIFF", save_all=True, append_images=images[1:])
    return buf.getvalue()


def _bomb() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (12000, 12000), 1).save(buf, format="PNG")  # 144 Mpx in a few kilobytes
    return buf.getvalue()


def _encrypted_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(owner="o", user="u"))
    return out.getvalue()


@pytest.mark.parametrize("files, data, status, code", [
    ([("files", ("notes.png", b"just text", "image/png"))], {}, 415, "unsupported_type"),
    ([("files", ("locked.pdf", _encrypted_pdf(), "application/pdf"))], {}, 400, "encrypted_pdf"),
    ([("files", ("broken.pdf", b"%PDF-1.4\n1 0 obj <<\n", "application/pdf"))], {}, 400, "corrupt_pdf"),
    ([("files", ("bomb.png", _bomb(), "image/png"))], {}, 413, "image_too_large"),
    ([("files", ("long.tif", _tiff(7), "image/tiff"))], {}, 413, "too_many_pages"),
    ([("files", (f"p{i}.png", b"x", "image/png")) for i in range(51)], {}, 413, "too_many_files"),
    ([("files", ("a.png", (SAMPLES / "sample-01-quyet-dinh.png").read_bytes(), "image/png"))],
     {"owner_id": "12345"}, 400, "invalid_owner_id"),
    ([("files", ("a.png", (SAMPLES / "sample-01-quyet-dinh.png").read_bytes(), "image/png"))],
     {"dossier_code": "not-a-code"}, 400, "invalid_dossier_code"),
    ([], {}, 422, "invalid_request"),
])
def test_bad_uploads_get_a_stable_code_and_a_vietnamese_message(client, files, data, status, code):
    res = client.post("/v1/documents", headers=_h("counter"), files=files or None, data=data)
    assert res.status_code == status, res.text
    error = res.json()["error"]
    assert error["code"] == code and error["message"] and error["message_en"]


def test_too_large_and_unknown_things(client, settings):
    big = b"\x89PNG\r\n\x1a\n" + b"0" * (settings.max_file_bytes + 1)
    res = client.post("/v1/documents", headers=_h("counter"), files=[("files", ("big.png", big, "image/png"))])
    assert res.status_code == 413 and res.json()["error"]["code"] == "file_too_large"
    assert client.get("/v1/documents/NOT-A-CODE", headers=_h("archivist")).json()["error"]["code"] == \
        "document_not_found"
    assert client.get("/v1/jobs/nope", headers=_h("counter")).status_code == 404
    assert client.get("/v1/owners/123/documents", headers=_h("portal")).status_code == 400


def test_health_and_metrics(client, stored):
    assert client.get("/healthz").json()["status"] == "ok"
    text = client.get("/metrics").text
    assert "digitize_queue_depth" in text and "digitize_failed_jobs" in text
    assert 'digitize_stage_seconds_count{stage="ocr"}' in text
    assert "digitize_pages_total 1.0" in text


def test_a_batch_is_split_into_papers_confirmed_and_a_page_rotated(client, settings):
    """Three papers and a separator sheet in one PDF: one upload, three documents linked to the
    dossier; the clerk confirms the split, then turns a page: a new version under the same code."""
    import random

    from digitize import sheets
    from samples import batch

    rng = random.Random(5)
    images = [batch._scan(p, rng, False) for p in batch.paper_pages("other", rng, 200, "noto-serif")]
    images += [batch._scan(sheets.separator_image(200), rng, False)]
    images += [batch._scan(p, rng, False) for p in batch.paper_pages("birth", rng, 200, "liberation-serif")]
    images += [batch._scan(p, rng, False) for p in batch.paper_pages("admin", rng, 200, "dejavu-serif", pages=1)]
    buf = io.BytesIO()
    batch.save_pdf(images, buf, dpi=200)
    separator = client.get("/v1/sheets/separator.pdf", headers=_h("counter"))
    assert separator.status_code == 200 and separator.content.startswith(b"%PDF")
    cover = client.get("/v1/sheets/cover/H40.27-261124-0005.pdf", headers=_h("counter"))
    assert cover.status_code == 200 and client.get("/v1/sheets/cover/nope.pdf", headers=_h("counter")).status_code == 400

    res = client.post("/v1/documents", headers=_h("counter"), files=[("files", ("lo.pdf", buf.getvalue(), "application/pdf"))],
                      data={"owner_id": OWNER, "dossier_code": "H40.27-261124-0005"})
    receipt = res.json()["receipts"][0]
    _run_worker(settings)
    job = client.get(receipt["status_url"], headers=_h("counter")).json()
    assert job["status"] == "finished" and job["split_review"], job
    papers = job["documents"]
    assert [p["kind"] for p in papers] == ["other", "birth", "admin"] and [p["source_pages"] for p in papers] == [[1], [3], [4]]
    assert job["code"] == papers[0]["code"]
    from digitize.services import Services
    from storage import layout

    done = json.loads(Services(settings).store.get(layout.receipt_done_key(receipt["id"])))
    assert done["split"]["sheet_pages"] == [2] and done["split"]["papers"][1]["pages"] == [3]  # kept for the count
    confirmed = client.post(f"/v1/jobs/{receipt['id']}/confirm-split", headers=_h("counter")).json()
    assert confirmed["codes"] == [p["code"] for p in papers] and confirmed["by"] == "counter-user"

    birth = papers[1]["code"]
    turned = client.post(f"/v1/documents/{birth}/pages", headers=_h("counter"), json={"based_on": 1, "rotate": {"1": 2}})
    assert turned.status_code == 200 and turned.json()["version"] == 2, turned.text
    stale = client.post(f"/v1/documents/{birth}/pages", headers=_h("counter"), json={"based_on": 1, "rotate": {"1": 1}})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "version_conflict"
    history = client.get(f"/v1/documents/{birth}/versions", headers=_h("archivist")).json()["versions"]
    assert [v["version"] for v in history] == [1, 2] and history[1]["changed_by"] == "counter-user"
    pdf = client.get(f"/v1/documents/{birth}/pdf", headers=_h("archivist"))
    assert pdf.status_code == 200 and pdf.content == client.get(
        f"/v1/owners/{OWNER}/documents/{birth}/pdf", headers=_h("portal")).content
    with pikepdf.open(io.BytesIO(pdf.content)) as doc:
        assert int(doc.pages[0].obj.get("/Rotate", 0)) == 180
    verified = client.get(f"/v1/documents/{birth}/verify", headers=_h("archivist")).json()
    assert verified["valid"], verified


def test_a_waiting_job_says_its_place_and_that_no_worker_runs_and_comes_back_when_lost(client, settings):
    """No worker is running in this test: the clerk is told the scan is queued, its place, and that
    nobody is working the queue; the dossier still lists the file after a reload; a job the queue
    lost is queued again by "Thử lại"."""
    from digitize.intake import unfinished_of_dossier
    from digitize.services import Services

    dossier = "H40.27-261124-0061"
    with open(SAMPLES / "sample-01-quyet-dinh.png", "rb") as f:
        res = client.post("/v1/documents", headers=_h("counter"), files=[("files", ("cho.png", f, "image/png"))],
                          data={"owner_id": OWNER, "dossier_code": dossier})
    receipt = res.json()["receipts"][0]
    view = client.get(receipt["status_url"], headers=_h("counter")).json()
    assert view["status"] == "queued" and view["position"] >= 1 and view["workers"] == 0, view
    assert [r.id for r in unfinished_of_dossier(Services(settings), dossier)] == [receipt["id"]]
    RqJobQueue(settings).rq.fetch_job(receipt["id"]).delete()  # Redis lost it
    again = client.post(f"/v1/jobs/{receipt['id']}/retry", headers=_h("counter"))
    assert again.status_code == 200 and again.json()["status"] == "queued"
    _run_worker(settings)
    assert client.get(receipt["status_url"], headers=_h("counter")).json()["status"] == "finished"
    assert unfinished_of_dossier(Services(settings), dossier) == []
