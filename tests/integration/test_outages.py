"""Redis and MinIO away for a minute each, with no supervisor: the worker, the reconciler and the hot
folder, started once as plain processes, are still running afterwards and every scan dropped into the
hot folder (some during the outages) ends as a stored document."""
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid

import pytest

from digitize.services import Services
from digitize.settings import Settings
from samples.admin_page import AdminPage, render
from storage import layout

from ..conftest import LIVE, ROOT

SERVICES = [str(ROOT / "scripts" / "services")]
OUTAGE_S = int(LIVE.get("DIGITIZE_OUTAGE_SECONDS", "60"))


def _scan(i: int) -> bytes:
    page = render(AdminPage.random(random.Random(1000 + i), "liberation-serif", sentences=3), 150)[0]
    buf = io.BytesIO()
    page.save(buf, format="PNG", dpi=(150, 150))
    return buf.getvalue()


def _drop(folder, i: int) -> None:
    part = folder / f"scan{i:02d}.png.part"  # written aside, then renamed, as scanners do
    part.write_bytes(_scan(i))
    part.rename(folder / f"scan{i:02d}.png")


def _done(services: Services) -> int:
    return sum(1 for k in services.store.list(layout.INTAKE_PREFIX) if k.endswith(".done.json"))


def test_worker_reconciler_and_hot_folder_ride_out_a_minute_without_redis_then_without_minio(live, tmp_path,
                                                                                              capsys):
    bucket = f"out-{uuid.uuid4().hex[:10]}"
    settings = Settings(home=tmp_path / "home", redis_url=live["DIGITIZE_REDIS_URL"], minio_bucket=bucket,
                        minio_endpoint=live["DIGITIZE_MINIO_ENDPOINT"], queue_name=bucket,
                        minio_access_key=live["DIGITIZE_MINIO_ACCESS_KEY"],
                        minio_secret_key=live["DIGITIZE_MINIO_SECRET_KEY"], catalog_url=live["DIGITIZE_CATALOG_URL"])
    services = Services(settings)
    assert services.store  # the bucket exists before the processes start
    env = {**os.environ, **LIVE, "DIGITIZE_HOME": str(settings.home), "DIGITIZE_MINIO_BUCKET": bucket,
           "DIGITIZE_QUEUE_NAME": bucket}
    folder = tmp_path / "scanner"
    folder.mkdir()
    commands = {"worker": ["-m", "workers"], "reconciler": ["-m", "workers", "reconcile", "--every", "3"],
                "hotfolder": ["-m", "workers", "hotfolder", str(folder), "--every", "0.5"]}
    logs = {name: open(tmp_path / f"{name}.log", "wb") for name in commands}
    procs = {name: subprocess.Popen([sys.executable, *args], env=env, cwd=ROOT, stdout=logs[name],
                                    stderr=subprocess.STDOUT, start_new_session=True)
             for name, args in commands.items()}
    try:
        for i in range(2):
            _drop(folder, i)
        _wait(lambda: _done(services) >= 1, 240, "the first scan before any outage")

        subprocess.run([*SERVICES, "stop", "redis"], check=True, capture_output=True)
        for i in range(2, 4):  # scans arrive while Redis is away
            _drop(folder, i)
        time.sleep(OUTAGE_S)
        _all_alive(procs, "after a minute without Redis")
        subprocess.run([*SERVICES, "start", "redis"], check=True, capture_output=True)
        _wait(lambda: _done(services) >= 3, 300, "scans after Redis came back")

        subprocess.run([*SERVICES, "stop", "minio"], check=True, capture_output=True)
        for i in range(4, 6):  # and while MinIO is away
            _drop(folder, i)
        time.sleep(OUTAGE_S)
        _all_alive(procs, "after a minute without MinIO")
        subprocess.run([*SERVICES, "start", "minio"], check=True, capture_output=True)
        _wait(lambda: _done(services) == 6, 420, "every scan after MinIO came back")
        _all_alive(procs, "at the end")
    finally:
        subprocess.run([*SERVICES, "start", "redis"], capture_output=True)
        subprocess.run([*SERVICES, "start", "minio"], capture_output=True)
        for proc in procs.values():
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for proc in procs.values():
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        for log in logs.values():
            log.close()
    assert sorted(p.name.split("-", 1)[1] for p in (folder / "done").iterdir()) == [f"scan{i:02d}.png"
                                                                                     for i in range(6)]
    codes = {json.loads(services.store.get(k))["code"] for k in services.store.list(layout.INTAKE_PREFIX)
             if k.endswith(".done.json")}
    assert len(codes) == 6
    waited = {name: (tmp_path / f"{name}.log").read_text(errors="replace").count("trying again")
              for name in commands}
    with capsys.disabled():
        print(f"\noutages: {OUTAGE_S} s without Redis, then {OUTAGE_S} s without MinIO; every process still up; "
              f"backoff waits logged: {waited}")


def _all_alive(procs: dict, when: str) -> None:
    dead = {name: proc.returncode for name, proc in procs.items() if proc.poll() is not None}
    assert not dead, f"{when}: processes ended: {dead}"


def _wait(condition, seconds: float, what: str) -> None:
    deadline = time.time() + seconds
    while not condition():
        if time.time() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(1)
