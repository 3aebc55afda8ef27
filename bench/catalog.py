"""`digitize bench catalog`: fill a catalog with synthetic documents and time the portal's and
archivists' queries (median and 99th percentile), on SQLite or PostgreSQL.

The catalog must be empty (a fresh SQLite file by default, or an empty PostgreSQL database):
the benchmark never touches real data.
"""
from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from digitize.codes import check_character
from samples.texts import PROVINCES, SENTENCES
from storage.catalog import Catalog

KINDS = ["admin", "admin", "cccd", "birth", "other"]
SEARCHES = ["quyết định", "quyet dinh", "bộ phận một cửa", "bo phan mot cua", "dữ liệu điện tử",
            "thu tuc hanh chinh", "chữ ký số", "kho du lieu"]


def owner_id(n: int) -> str:
    return f"{1 + n % 96:03d}{n:09d}"[-12:].rjust(12, "0")


def code_of(i: int) -> str:
    body = f"DEMO{i % 50:02d}-{i:012d}"
    return f"{body}-{check_character(body)}"


def dossier_of(i: int) -> str:
    return f"H{i % 63:02d}.{i % 97:02d}-{i // 1000:06d}-0001"


def synthetic_rows(start: int, count: int, owners: int, rng: random.Random) -> list[dict]:
    base = datetime(2024, 1, 1, tzinfo=timezone.utc)
    rows = []
    for i in range(start, start + count):
        kind = rng.choice(KINDS)
        issued = date(2015, 1, 1) + timedelta(days=rng.randrange(4000))
        words = " ".join(rng.sample(SENTENCES, 3))  # real phrases, so searches find many documents
        rows.append({
            "code": code_of(i), "owner_id": owner_id(rng.randrange(owners)), "kind": kind,
            "agency_id": f"DEMO{i % 50:02d}", "dossier_code": dossier_of(i),
            "original_sha256": f"{i:064x}", "signed_sha256": f"{i + 1:064x}", "pages": rng.randint(1, 5),
            "title": f"Giấy tờ số {i}", "created_at": base + timedelta(minutes=i),
            "text": f"{rng.choice(PROVINCES)} {words}", "issued_on": issued,
            "valid_until": issued + timedelta(days=3650) if kind == "cccd" else None,
        })
    return rows


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p99 * 1000


def run_catalog_bench(rows: int, url: str | None = None, *, queries: int = 300, seed: int = 7) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        catalog = Catalog(url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        if catalog.count():
            print("lỗi [catalog_not_empty]: catalog đã có dữ liệu | error: the benchmark needs an empty catalog")
            return 1
        rng = random.Random(seed)
        owners = max(1, rows // 5)
        t = time.perf_counter()
        for start in range(0, rows, 5000):
            catalog.add_documents(synthetic_rows(start, min(5000, rows - start), owners, rng))
        fill = time.perf_counter() - t
        print(f"{catalog.engine.dialect.name}: {rows} documents, {owners} owners, filled in {fill:.0f} s "
              f"({rows / fill:.0f} rows/s)")
        _measure(catalog, rows, owners, queries, rng)
        catalog.engine.dispose()
    return 0


def _measure(catalog: Catalog, rows: int, owners: int, queries: int, rng: random.Random) -> None:
    today = date(2026, 11, 24)
    cases = {
        "owner": lambda: catalog.documents_of_owner(owner_id(rng.randrange(owners))),
        "owner+kind+valid_on": lambda: catalog.documents_of_owner(owner_id(rng.randrange(owners)), "cccd",
                                                                  valid_on=today),
        "by code": lambda: [d for d in [catalog.get(code_of(rng.randrange(rows)))] if d],
        "by dossier": lambda: catalog.documents_of_dossier(dossier_of(rng.randrange(rows))),
        "agency+kind+dates": lambda: catalog.find(
            agency_id=f"DEMO{rng.randrange(50):02d}", kind=rng.choice(KINDS),
            since=datetime(2024, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=rng.randrange(rows)),
            until=datetime(2024, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=rng.randrange(rows) + 10000)),
        "full text": lambda: catalog.search(rng.choice(SEARCHES)),
    }
    print(f"{'query':22} {'median ms':>10} {'p99 ms':>8} {'results':>8}")
    for name, call in cases.items():
        call()  # warm the cache and the connection pool
        times, found = [], 0
        for _ in range(queries if name != "full text" else max(50, queries // 3)):
            t = time.perf_counter()
            found += len(call())
            times.append(time.perf_counter() - t)
        median, p99 = _percentiles(times)
        print(f"{name:22} {median:10.2f} {p99:8.2f} {found / len(times):8.1f}")
