"""Catalog queries, duplicates and rebuilding the catalog from the warehouse (SQLite here;
tests/integration/test_warehouse.py runs the same against PostgreSQL and MinIO)."""
import json
import os
import sys
from datetime import date, datetime, timedelta, timezone

import pytest

from digitize.pipeline import Submission, process
from digitize.services import Services
from digitize.settings import Settings
from storage import LocalObjectStore
from storage.catalog import Catalog, fold

from .conftest import SAMPLES, catalog_answers, run

OWNER = "001090012345"


def _row(code, **over):
    row = {"code": code, "owner_id": OWNER, "kind": "admin", "agency_id": "DEMO", "dossier_code": None,
           "original_sha256": code.ljust(64, "0")[:64], "signed_sha256": "b" * 64, "pages": 1, "title": code,
           "text": "", "created_at": datetime(2026, 11, 1, tzinfo=timezone.utc)}
    return {**row, **over}


@pytest.fixture
def catalog(tmp_path) -> Catalog:
    return Catalog(f"sqlite:///{tmp_path / 'c.sqlite3'}")


def test_fold_removes_diacritics_and_case():
    assert fold("Quyết  ĐỊNH số 15/QĐ-UBND") == "quyet dinh so 15/qd-ubnd"


def test_search_without_diacritics_ranks_exact_matches_first(catalog):
    day = datetime(2026, 11, 1, tzinfo=timezone.utc)
    catalog.add_documents([
        _row("A", text="Kế hoạch quyết định số hóa hồ sơ", created_at=day),
        _row("B", text="Quyet dinh viet khong dau trong ban quet cu", created_at=day + timedelta(days=2)),
        _row("C", text="Báo cáo kết quả tháng mười", created_at=day),
    ])
    found = catalog.search("quyết định")
    assert [d["code"] for d in found] == ["A", "B"]  # B is newer, but A matches as typed
    assert found[0]["exact"] and not found[1]["exact"]
    assert "quyết định" in found[0]["snippet"]
    assert [d["code"] for d in catalog.search("quyet dinh")] == ["B", "A"]  # both fold-match; B typed so
    assert catalog.search("dinh quyet") == []  # a phrase, not a bag of words
    assert catalog.search("   ") == []


def test_owner_query_filters_kind_and_validity(catalog):
    catalog.add_documents([
        _row("OLD", kind="cccd", issued_on=date(2015, 1, 1), valid_until=date(2025, 1, 1)),
        _row("NEW", kind="cccd", issued_on=date(2025, 1, 2), valid_until=date(2040, 1, 1),
             created_at=datetime(2026, 11, 2, tzinfo=timezone.utc)),
        _row("ADM", kind="admin", issued_on=date(2026, 3, 1)),
        _row("OTHER", owner_id="079201000001"),
    ])
    mine = [d["code"] for d in catalog.documents_of_owner(OWNER)]
    assert mine[0] == "NEW" and sorted(mine[1:]) == ["ADM", "OLD"]  # newest first
    assert [d["code"] for d in catalog.documents_of_owner(OWNER, "cccd", valid_on=date(2026, 11, 24))] == ["NEW"]
    assert [d["code"] for d in catalog.documents_of_owner(OWNER, "cccd", valid_on=date(2020, 6, 1))] == ["OLD"]
    assert "text" not in catalog.documents_of_owner(OWNER)[0]


def test_dossier_agency_and_date_queries(catalog):
    catalog.add_documents([
        _row("D1", dossier_code="H40.27-261124-0001", created_at=datetime(2026, 11, 20, tzinfo=timezone.utc)),
        _row("D2", agency_id="OTHER", created_at=datetime(2026, 11, 23, tzinfo=timezone.utc)),
    ])
    catalog.link("H40.27-261124-0002", "D1")
    assert [d["code"] for d in catalog.documents_of_dossier("H40.27-261124-0001")] == ["D1"]
    assert [d["code"] for d in catalog.documents_of_dossier("H40.27-261124-0002")] == ["D1"]
    assert catalog.dossiers_of("D1") == ["H40.27-261124-0001", "H40.27-261124-0002"]
    since = datetime(2026, 11, 21, tzinfo=timezone.utc)
    assert [d["code"] for d in catalog.find(since=since)] == ["D2"]
    assert [d["code"] for d in catalog.find(agency_id="DEMO")] == ["D1"]


def test_same_file_twice_is_stored_once_and_linked_to_both_dossiers(home):
    services = Services(Settings())
    data = (SAMPLES / "sample-01-quyet-dinh.png").read_bytes()
    first = process(Submission(data, "a.png", OWNER, None, "H40.27-261124-0001"), services)
    again = process(Submission(data, "b.png", OWNER, None, "H40.27-261124-0002"), services)
    assert again.code == first.code and again.duplicate == "same_file"
    assert services.catalog.dossiers_of(first.code) == ["H40.27-261124-0001", "H40.27-261124-0002"]
    assert services.catalog.count() == 1
    assert len(list(services.store.list("originals/"))) == 1


def test_rescan_of_the_same_paper_is_already_on_file(home):
    from PIL import Image

    services = Services(Settings())
    source = SAMPLES / "sample-01-quyet-dinh.png"
    first = process(Submission(source.read_bytes(), "a.png", OWNER), services)
    rescan = Image.open(source).rotate(1.2, expand=True, fillcolor=255)  # other pixels, same paper
    path = home.parent / "rescan.png"
    rescan.save(path, dpi=(300, 300))
    second = process(Submission(path.read_bytes(), "rescan.png", OWNER, None, "H40.27-261124-0003"), services)
    assert second.code == first.code and second.duplicate == "rescan"
    assert services.catalog.dossiers_of(first.code) == ["H40.27-261124-0003"]
    other_owner = process(Submission(path.read_bytes(), "rescan.png", "079201000001"), services)
    assert other_owner.code != first.code and other_owner.duplicate is None


def test_reindex_rebuilds_the_same_answers(home):
    env = {**os.environ, "DIGITIZE_HOME": str(home)}
    files = [SAMPLES / "sample-01-quyet-dinh.png", SAMPLES / "sample-02-cong-van.jpg"]
    res = run(sys.executable, "-m", "digitize", "process", *map(str, files), "--out", str(home.parent / "out"),
              "--owner", OWNER, "--dossier", "H40.27-261124-0009", "--json", env=env)
    assert res.returncode == 0, res.stderr

    def answers():
        return catalog_answers(env, [["--owner", OWNER], ["--dossier", "H40.27-261124-0009"],
                                     ["--text", "uy ban nhan dan"], ["--agency", "DEMO"]])

    before = answers()
    assert all(before) and len(before[0]) == 2
    (home / "catalog.sqlite3").unlink()
    for extra in home.glob("catalog.sqlite3-*"):
        extra.unlink()
    assert answers()[0] == []  # an empty catalog knows nothing
    r = run(sys.executable, "-m", "digitize", "reindex", env=env)
    assert r.returncode == 0 and "2" in r.stdout, r.stderr
    assert answers() == before
    # sequences were raised: the next document gets a new number, not a reused one
    r = run(sys.executable, "-m", "digitize", "process", str(SAMPLES / "sample-03-ke-hoach.tif"), "--out",
            str(home.parent / "out"), "--owner", "079201000001", "--json", env=env)
    assert json.loads(r.stdout)["code"] not in {row[0] for row in before[0]}


def test_catalog_benchmark_runs_and_refuses_a_catalog_with_data(tmp_path):
    res = run(sys.executable, "-m", "digitize", "bench", "catalog", "--rows", "500", "--queries", "10")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].startswith("sqlite: 500 documents")
    assert [line.split()[0] for line in lines[2:]] == ["owner", "owner+kind+valid_on", "by", "by",
                                                       "agency+kind+dates", "full"]
    full_text = lines[-1].split()
    assert float(full_text[-1]) > 0  # the searches find documents

    url = f"sqlite:///{tmp_path / 'real.sqlite3'}"
    Catalog(url).add_document(_row("REAL"))
    res = run(sys.executable, "-m", "digitize", "bench", "catalog", "--rows", "10", "--url", url)
    assert res.returncode == 1 and "catalog_not_empty" in res.stdout
    assert Catalog(url).count() == 1


def test_a_reindex_that_fails_midway_leaves_the_catalog_as_it_was(home, monkeypatch):
    from digitize import reindex as reindexing
    from digitize.errors import ConflictError

    services = Services(Settings())
    for name in ("sample-01-quyet-dinh.png", "sample-02-cong-van.jpg"):
        path = SAMPLES / name
        process(Submission(path.read_bytes(), name, OWNER, None, "H40.27-261124-0010"), services)
    before = sorted(d["code"] for d in services.catalog.documents_of_owner(OWNER))
    assert len(before) == 2

    real_load, calls = reindexing.eform.load, []

    def breaks_on_the_second(services_, code):
        calls.append(code)
        if len(calls) == 2:
            raise OSError("the warehouse went away")
        return real_load(services_, code)

    monkeypatch.setattr(reindexing.eform, "load", breaks_on_the_second)
    with pytest.raises(OSError):
        reindexing.reindex(services)
    assert sorted(d["code"] for d in services.catalog.documents_of_owner(OWNER)) == before
    assert services.catalog.dossiers_of(before[0]) == ["H40.27-261124-0010"]

    monkeypatch.setattr(reindexing.eform, "load", real_load)
    empty = Services(Settings())
    empty.__dict__["store"] = LocalObjectStore(home / "empty-warehouse")
    with pytest.raises(ConflictError) as refused:
        reindexing.reindex(empty)
    assert refused.value.code == "reindex_found_nothing"
    assert services.catalog.count() == 2
    assert reindexing.reindex(services) == 2
