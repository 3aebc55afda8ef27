"""What users install: the wheel in a fresh virtual environment outside the checkout, and the
container image. ./scripts/test builds both (build/wheelhouse, localhost/digitize:test) and names
them in DIGITIZE_WHEELHOUSE and DIGITIZE_IMAGE."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ..conftest import CLEAN_PAGE, LIVE, run

KEY = "installed-admin-key"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 60) -> tuple[int, str]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A venv in a temporary directory with the wheel installed offline (--no-index)."""
    wheelhouse = LIVE.get("DIGITIZE_WHEELHOUSE")
    if not wheelhouse:
        pytest.skip("no wheelhouse: ./scripts/test builds one (build/wheelhouse)")
    venv = tmp_path_factory.mktemp("installed") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    res = run(str(venv / "bin" / "pip"), "install", "-q", "--no-index", "--find-links", wheelhouse, "digitize")
    assert res.returncode == 0, res.stderr[-3000:]
    return venv


def _outside(tmp_path: Path) -> dict:
    """Run from a directory with no checkout in sight: only the installed package can be imported."""
    return {"cwd": tmp_path, "env": {"PATH": os.environ["PATH"], "HOME": str(tmp_path),
                                     "DIGITIZE_HOME": str(tmp_path / "home")}}


def test_the_installed_wheel_processes_and_verifies_a_page(installed, tmp_path):
    where = _outside(tmp_path)
    found = subprocess.run([str(installed / "bin" / "python"), "-c", "import digitize, ocr; print(digitize.__file__)"],
                           capture_output=True, text=True, **where)
    assert str(installed) in found.stdout, found.stdout + found.stderr  # the wheel's copy, not the checkout's
    digitize = str(installed / "bin" / "digitize")
    res = subprocess.run([digitize, "process", str(CLEAN_PAGE), "--out", "out", "--owner", "001090012345", "--json"],
                         capture_output=True, text=True, **where)
    assert res.returncode == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["kind"] == "admin" and doc["fields"]["number"]["value"] == "2059/KH-UBND"
    pdf = tmp_path / "out" / f"{doc['code']}.pdf"
    verify = subprocess.run([digitize, "verify", str(pdf), "--json"], capture_output=True, text=True, **where)
    assert verify.returncode == 3, verify.stderr  # intact; the development certificate is not trusted
    assert json.loads(verify.stdout)["document_code"] == doc["code"]
    bench = subprocess.run([digitize, "bench", "ocr", "."], capture_output=True, text=True, **where)
    assert bench.returncode == 1 and "[bench_not_installed]" in bench.stderr  # benchmarks stay in the checkout


def test_the_installed_service_answers_health_and_login(installed, live, tmp_path):
    port = _free_port()
    env = {**_outside(tmp_path)["env"], "DIGITIZE_REDIS_URL": live["DIGITIZE_REDIS_URL"],
           "DIGITIZE_API_KEYS": f"admin:admin:{KEY}"}
    api = subprocess.Popen([str(installed / "bin" / "python"), "-m", "digitize.api", "--port", str(port)],
                           cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        status, body = _get(f"http://127.0.0.1:{port}/healthz")
        assert status == 200 and json.loads(body)["status"] == "ok", body
        status, page = _get(f"http://127.0.0.1:{port}/dang-nhap")
        assert status == 200 and "Đăng nhập" in page and "/static/" in page  # templates and static files shipped
    finally:
        api.terminate()
        api.wait(20)


@pytest.fixture(scope="module")
def image() -> str:
    name = LIVE.get("DIGITIZE_IMAGE")
    if not name:
        pytest.skip("no image: ./scripts/test builds localhost/digitize:test with podman")
    return name


PODMAN = ["podman", "--runtime", "runc"]
# Podman asks for the host's full open-file and process limits, which this sandbox refuses to hand
# a container; the service needs far fewer.
LIMITS = ["--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096"]


def test_the_image_processes_a_page_that_pdfsig_accepts(image, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o777)  # the image runs as its own unprivileged user
    res = run(*PODMAN, "run", "--rm", *LIMITS, "--network", "none", "-v", f"{CLEAN_PAGE.parent}:/in:ro", "-v", f"{out}:/out",
              image, "digitize", "process", f"/in/{CLEAN_PAGE.name}", "--out", "/out", "--json")
    assert res.returncode == 0, res.stderr[-3000:]
    doc = json.loads(res.stdout)
    checked = run("pdfsig", str(out / f"{doc['code']}.pdf"))
    assert "Signature is Valid" in checked.stdout, checked.stdout + checked.stderr
    size = run(*PODMAN, "image", "inspect", "--format", "{{.Size}}", image).stdout.strip()
    print(f"\nimage {image}: {int(size) / 1e6:.0f} MB")


def test_the_image_serves_the_api(image, live):
    port = _free_port()
    name = f"digitize-test-{port}"
    res = run(*PODMAN, "run", "-d", "--rm", *LIMITS, "--name", name, "--network", "host",
              "-e", f"DIGITIZE_REDIS_URL={live['DIGITIZE_REDIS_URL']}", "-e", f"DIGITIZE_API_KEYS=admin:admin:{KEY}",
              image, "python", "-m", "digitize.api", "--host", "127.0.0.1", "--port", str(port))
    assert res.returncode == 0, res.stderr
    try:
        status, body = _get(f"http://127.0.0.1:{port}/healthz")
        assert status == 200 and json.loads(body)["checks"]["redis"] == "ok", body
    finally:
        run(*PODMAN, "stop", "-t", "5", name)
