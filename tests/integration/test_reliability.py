"""Nothing lost under load and faults, on the real services.

Documents of 1–5 pages (200 by default; DIGITIZE_RELIABILITY_DOCS to change) are uploaded
concurrently through the HTTP service (uvicorn, a real process) to two workers, with the
reconciler running. The warehouse is a MinIO of its own in erasure-coded mode on four drives.
During the run one busy worker is killed with SIGKILL (and only that one is started again, as
systemd would), Redis is restarted, MinIO is stopped for ten seconds, and one of the four drives
is destroyed (its directory deleted). No other process may die. At the end every document must be
stored exactly once, signed, indexed and listed for its owner, and read back and verified with the
drive still missing; then an empty drive is put back and MinIO heals it. The test prints pages per
minute and latency percentiles.
"""
import io
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import httpx
import pytest
from rq import Worker

from digitize.services import Services
from digitize.settings import Settings
from samples.admin_page import AdminPage, render, render_continuation
from signing import verify_pdf
from storage import layout
from workers.queue import RqJobQueue

from ..conftest import LIVE, ROOT

DOCS = int(LIVE.get("DIGITIZE_RELIABILITY_DOCS", "200"))  # conftest moves DIGITIZE_* into LIVE
API_PORT = 18765
MINIO_PORT = 19300
KEY = "reliability-key"
SERVICES = [str(ROOT / "scripts" / "services")]


def owner_of(i: int) -> str:
    return f"{1 + i % 96:03d}0{90 + i % 10}{i:06d}"


def make_document(i: int) -> tuple[bytes, int]:
    """One paper of one to five pages as a multi-page TIFF (150 dpi keeps the run short): a Decree 30
    first page, then pages numbered 2, 3… (one paper, so one document); its page count."""
    rng = random.Random(i)
    paper = AdminPage.random(rng, "liberation-serif", sentences=rng.randint(4, 7))
    total = rng.randint(1, 5)
    pages = [render(paper, 150)[0]] + [render_continuation(paper, 150, n, total, "top", n == total)
                                       for n in range(2, total + 1)]
    buf = io.BytesIO()
    pages[0].save(buf, format="TIFF", save_all=True, append_images=pages[1:], compression="tiff_lzw", dpi=(150, 150))
    return buf.getvalue(), len(pages)


class ErasureMinio:
    """MinIO on four drives (erasure coding: any two may be lost for reads), on a port of its own."""

    def __init__(self, root, live: dict):
        self.drives = [root / f"drive{n}" for n in range(1, 5)]
        self.log = open(root / "minio4.log", "ab")
        self.env = {**os.environ, "MINIO_ROOT_USER": live["DIGITIZE_MINIO_ACCESS_KEY"],
                    "MINIO_ROOT_PASSWORD": live["DIGITIZE_MINIO_SECRET_KEY"], "MINIO_BROWSER": "off",
                    "MINIO_KMS_SECRET_KEY": live["DIGITIZE_TEST_MINIO_KMS_KEY"],
                    "MINIO_CI_CD": "1"}  # four drives on the machine's root disk: refused without it
        self.binary, self.root = live["DIGITIZE_TEST_MINIO_BIN"], root
        for drive in self.drives:
            drive.mkdir()
        self.proc = None
        self.start()

    def start(self) -> None:
        pattern = str(self.root / "drive{1...4}")
        command = [self.binary, "server", "--address", f"127.0.0.1:{MINIO_PORT}", pattern]
        self.proc = subprocess.Popen(command, env=self.env, stdout=self.log, stderr=self.log)
        for _ in range(900):
            if self.proc.poll() is not None:  # the old server had not let go of the port yet: again
                time.sleep(1)
                self.proc = subprocess.Popen(command, env=self.env, stdout=self.log, stderr=self.log)
            try:
                if httpx.get(f"http://127.0.0.1:{MINIO_PORT}/minio/health/cluster", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise AssertionError("the four-drive MinIO did not start")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(30)

    def objects_on(self, drive) -> int:
        # os.walk, not rglob: MinIO removes its temporary files while we count, and walk skips a
        # directory that vanished instead of raising. Its own system files are not objects.
        count = 0
        for folder, subfolders, files in os.walk(drive):
            subfolders[:] = [name for name in subfolders if name != ".minio.sys"]
            count += "xl.meta" in files
        return count


class Fleet:
    """The API, two workers and the reconciler as real processes. Only a worker this test killed
    itself is started again; any other death is a failure (outages must be ridden out)."""

    def __init__(self, env: dict, log_dir):
        self.env, self.log_dir = env, log_dir
        self.workers: list[subprocess.Popen] = []
        self.killed: set[int] = set()
        self.restarts = 0
        self.deaths: list[str] = []
        self.stopping = threading.Event()
        self.api = self._start("api", [sys.executable, "-m", "digitize.api", "--port", str(API_PORT)])
        self.reconciler = self._start("reconciler", [sys.executable, "-m", "workers", "reconcile", "--every", "3"])
        self.workers = [self._worker(n) for n in range(2)]
        self.supervisor = threading.Thread(target=self._supervise, daemon=True)
        self.supervisor.start()

    def _start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}.log", "ab")
        return subprocess.Popen(args, env=self.env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True)

    def _worker(self, n: int) -> subprocess.Popen:
        return self._start(f"worker{n}", [sys.executable, "-m", "workers"])

    def _supervise(self) -> None:
        while not self.stopping.wait(1.0):
            for n, proc in enumerate(self.workers):
                if proc.poll() is not None and proc.pid in self.killed:
                    self.killed.discard(proc.pid)
                    self.workers[n] = self._worker(n)
                    self.restarts += 1
                elif proc.poll() is not None and f"worker{n}" not in self.deaths:
                    self.deaths.append(f"worker{n}")
            for name in ("api", "reconciler"):
                if getattr(self, name).poll() is not None and name not in self.deaths:
                    self.deaths.append(name)

    def kill_a_busy_worker(self, redis) -> bool:
        """SIGKILL to a worker in the middle of a job, and to the work horse doing the job."""
        ours = {p.pid for p in self.workers}
        for worker in Worker.all(connection=redis):
            if worker.pid in ours and worker.get_state() == "busy":
                # RQ runs each job in a forked "work horse" in a session of its own: kill both.
                horses = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True).stdout
                self.killed.add(worker.pid)
                for pid in [worker.pid, *map(int, horses.split())]:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                return True
        return False

    def stop(self) -> None:
        self.stopping.set()
        self.supervisor.join(5)
        for proc in [self.api, self.reconciler, *self.workers]:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for proc in [self.api, self.reconciler, *self.workers]:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def upload(client: httpx.Client, i: int, data: bytes) -> tuple[str, float]:
    """Upload with retries, as a counter's client does when the service says 'try again'."""
    started = time.time()
    for attempt in range(60):
        try:
            res = client.post("/v1/documents", headers={"X-API-Key": KEY},
                              files=[("files", (f"doc{i:03d}.tif", data, "image/tiff"))],
                              data={"owner_id": owner_of(i), "dossier_code": f"H40.27-261124-{i + 1:04d}"})
            if res.status_code == 202:
                return res.json()["receipts"][0]["id"], started
            assert res.status_code >= 500, res.text  # a 4xx here would be a bug in the test or the service
        except httpx.TransportError:
            pass
        time.sleep(min(5, 0.5 * (attempt + 1)))
    raise AssertionError(f"document {i} could not be uploaded")


@pytest.fixture
def minio(tmp_path, live):
    server = ErasureMinio(tmp_path, live)
    yield server
    server.stop()


def test_nothing_is_lost_under_load_and_faults(live, pg_database, tmp_path, capsys, minio):
    bucket = f"rel-{uuid.uuid4().hex[:10]}"
    endpoint = f"127.0.0.1:{MINIO_PORT}"
    settings = Settings(home=tmp_path / "home", redis_url=live["DIGITIZE_REDIS_URL"],
                        minio_endpoint=endpoint,
                        minio_access_key=live["DIGITIZE_MINIO_ACCESS_KEY"],
                        minio_secret_key=live["DIGITIZE_MINIO_SECRET_KEY"], minio_bucket=bucket,
                        catalog_url=pg_database, queue_name=bucket, api_keys=f"quay:admin:{KEY}", ocr_jobs=1)
    env = {**os.environ, **{k: v for k, v in LIVE.items()}, "DIGITIZE_HOME": str(settings.home),
           "DIGITIZE_MINIO_ENDPOINT": endpoint, "DIGITIZE_MINIO_BUCKET": bucket, "DIGITIZE_CATALOG_URL": pg_database, "DIGITIZE_QUEUE_NAME": bucket,
           "DIGITIZE_API_KEYS": settings.api_keys, "DIGITIZE_OCR_JOBS": "1"}
    services = Services(settings)
    assert services.store and services.catalog.count() == 0  # bucket and schema exist before the fleet starts
    documents = [make_document(i) for i in range(DOCS)]
    total_pages = sum(p for _, p in documents)
    fleet = Fleet(env, tmp_path)
    faults: list[str] = []
    try:
        client = httpx.Client(base_url=f"http://127.0.0.1:{API_PORT}", timeout=60)
        for _ in range(100):
            try:
                if client.get("/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        t0 = time.time()
        with ThreadPoolExecutor(8) as pool:
            uploads = list(pool.map(lambda i: upload(client, i, documents[i][0]), range(DOCS)))
        receipts = {rid: (i, started) for i, (rid, started) in enumerate(uploads)}
        assert len(receipts) == DOCS

        chaos = [(0.05, "kill"), (0.25, "redis"), (0.5, "minio"), (0.7, "drive")]
        deadline = time.time() + 60 * 45
        while True:
            done = sum(1 for k in services.store.list(layout.INTAKE_PREFIX) if k.endswith(".done.json"))
            while chaos and done >= chaos[0][0] * DOCS:
                _, fault = chaos.pop(0)
                faults.append(fault)
                if fault == "kill":
                    for _ in range(200):
                        if fleet.kill_a_busy_worker(RqJobQueue(settings).connection):
                            break
                        time.sleep(0.05)
                    else:
                        pytest.fail("no busy worker to kill")
                elif fault == "redis":
                    subprocess.run([*SERVICES, "stop", "redis"], check=True, capture_output=True)
                    time.sleep(2)
                    subprocess.run([*SERVICES, "start", "redis"], check=True, capture_output=True)
                elif fault == "minio":
                    minio.stop()
                    time.sleep(10)
                    minio.start()
                else:  # a disk dies: its directory is gone, and a file in its place keeps MinIO from remaking it
                    # Renamed away first (atomic): MinIO may still be writing into it while it is removed.
                    dead = minio.drives[2].with_name(minio.drives[2].name + ".dead")
                    minio.drives[2].rename(dead)
                    minio.drives[2].write_bytes(b"")
                    shutil.rmtree(dead, ignore_errors=True)
                with capsys.disabled():
                    print(f"\nreliability: fault at {done}/{DOCS} documents done: {fault}")
            if done == DOCS:
                break
            assert time.time() < deadline, f"only {done}/{DOCS} documents finished"
            time.sleep(2)
        wall = time.time() - t0
    finally:
        fleet.stop()

    # Every document stored exactly once, signed, indexed, listed for its owner.
    codes, latencies = {}, []
    for receipt_id, (i, started) in receipts.items():
        record = json.loads(services.store.get(layout.receipt_done_key(receipt_id)))
        codes[receipt_id] = record["code"]
        latencies.append(datetime.fromisoformat(record["finished_at"]).timestamp() - started)
    assert len(set(codes.values())) == DOCS  # one document per upload
    manifests = [k for k in services.store.list(layout.MANIFEST_PREFIX) if k.endswith("/manifest.json")]
    assert len(manifests) == DOCS  # no second document for any of them
    assert services.catalog.count() == DOCS
    for receipt_id, code in codes.items():
        i = receipts[receipt_id][0]
        manifest = json.loads(services.store.get(layout.manifest_key(code)))
        assert manifest["pages"] == documents[i][1] and manifest["owner_id"] == owner_of(i)
        report = verify_pdf(services.store.get(manifest["objects"]["signed_pdf"]["key"]))
        assert report.all_valid and report.document_code == code
        assert [d["code"] for d in services.catalog.documents_of_owner(owner_of(i))] == [code]
    assert faults == ["kill", "redis", "minio", "drive"]
    assert fleet.deaths == [], f"processes died during the outages: {fleet.deaths}"

    # An empty drive goes in where the dead one was; MinIO finds it and heals it from the other three.
    assert minio.drives[2].is_file()  # it was away for every read above
    minio.drives[2].unlink()
    minio.drives[2].mkdir()
    healed_by = time.time() + 600
    while minio.objects_on(minio.drives[2]) < minio.objects_on(minio.drives[0]):
        assert time.time() < healed_by, (f"drive 3 healed only {minio.objects_on(minio.drives[2])} of "
                                         f"{minio.objects_on(minio.drives[0])} objects")
        time.sleep(3)
    heal_s = time.time() - (healed_by - 600)
    minio.stop()

    ordered = sorted(latencies)
    pct = lambda p: ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]  # noqa: E731
    with capsys.disabled():
        print(f"\nreliability: {DOCS} documents, {total_pages} pages in {wall:.0f} s = "
              f"{total_pages / wall * 60:.1f} pages/min with 2 workers; worker restarts {fleet.restarts}; "
              f"latency upload→stored p50 {pct(0.5):.0f} s, p90 {pct(0.9):.0f} s, p99 {pct(0.99):.0f} s, "
              f"max {ordered[-1]:.0f} s, mean {statistics.fmean(ordered):.0f} s; "
              f"every document read and verified with one of four drives destroyed; a new drive healed "
              f"({minio.objects_on(minio.drives[0])} objects) in {heal_s:.0f} s")
