"""Shared fixtures.

Unit tests run on the embedded defaults (local directory warehouse, SQLite,
development certificate) in a temporary home. The real services that
./scripts/services starts are announced through DIGITIZE_* variables; they are
set aside here for the integration tests and removed from the environment so
that no unit test talks to a server by accident.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from common.runtime import limit_threads

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CLEAN_PAGE = SAMPLES / "sample-01-quyet-dinh.png"  # a 300 dpi Decree 30 page; its body text in the .txt beside it

LIVE = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("DIGITIZE_")}
limit_threads()


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A fresh DIGITIZE_HOME: empty warehouse, empty catalog."""
    h = tmp_path / "home"
    monkeypatch.setenv("DIGITIZE_HOME", str(h))
    return h


@pytest.fixture(scope="session")
def live() -> dict:
    missing = [k for k in ("DIGITIZE_REDIS_URL", "DIGITIZE_MINIO_ENDPOINT", "DIGITIZE_CATALOG_URL") if k not in LIVE]
    if missing:
        pytest.skip(f"real services not started (run ./scripts/test, or ./scripts/services up): {missing}")
    return dict(LIVE)


@pytest.fixture
def pg_database(live):
    """A PostgreSQL database of its own on the test server (dropped afterwards): for tests that
    empty or fill a whole catalog."""
    import uuid

    import psycopg

    base = live["DIGITIZE_CATALOG_URL"]
    name = f"t_{uuid.uuid4().hex[:10]}"
    admin = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield base.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


def run(*args: str, env: dict | None = None, check: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), capture_output=True, text=True, env=env, check=check)


def catalog_answers(env: dict, queries: list[list[str]]) -> list[list[tuple]]:
    """`digitize find` for each query: (code, kind, pages, dossiers) of every document found."""
    import json
    import sys

    out = []
    for query in queries:
        res = run(sys.executable, "-m", "digitize", "find", *query, env=env)
        assert res.returncode == 0, res.stderr
        out.append([(d["code"], d["kind"], d["pages"], d["dossiers"]) for d in json.loads(res.stdout)["documents"]])
    return out
