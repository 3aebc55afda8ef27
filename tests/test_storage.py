"""The local directory warehouse and the SQLite catalog."""
import multiprocessing as mp

import pytest

from storage import Catalog, LocalObjectStore, StorageError


def test_put_get_checks_sha256(tmp_path):
    store = LocalObjectStore(tmp_path)
    obj = store.put("documents/X/ocr.json", b"{}", "application/json", retain_years=10)
    assert store.get("documents/X/ocr.json") == b"{}" and len(obj.sha256) == 64
    (tmp_path / "documents/X/ocr.json").write_bytes(b"{tampered}")
    with pytest.raises(StorageError) as err:
        store.get("documents/X/ocr.json")
    assert err.value.code == "integrity_error"


def test_same_content_is_idempotent_other_content_is_refused(tmp_path):
    store = LocalObjectStore(tmp_path)
    store.put("a/b", b"one", "text/plain")
    store.put("a/b", b"one", "text/plain")
    with pytest.raises(StorageError) as err:
        store.put("a/b", b"two", "text/plain")
    assert err.value.code == "object_locked"
    assert list(store.list("a/")) == ["a/b"]


def test_path_tricks_in_keys_are_refused(tmp_path):
    with pytest.raises(ValueError):
        LocalObjectStore(tmp_path).put("../escape", b"x", "text/plain")


def _allocate(url: str, n: int, out) -> None:
    catalog = Catalog(url)
    out.put([catalog.next_sequence("DEMO/20261124") for _ in range(n)])


def allocate_concurrently(url: str, processes: int = 4, each: int = 50) -> list[int]:
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    Catalog(url)  # create the schema once, before the race
    workers = [ctx.Process(target=_allocate, args=(url, each, out)) for _ in range(processes)]
    for w in workers:
        w.start()
    numbers = [n for _ in workers for n in out.get(timeout=120)]
    for w in workers:
        w.join()
    return numbers


def test_sequences_are_unique_across_processes_sqlite(tmp_path):
    numbers = allocate_concurrently(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    assert sorted(numbers) == list(range(1, 201))


def test_documents_of_owner(tmp_path):
    catalog = Catalog(f"sqlite:///{tmp_path / 'c.sqlite3'}")
    row = {"code": "C1", "owner_id": "001090012345", "kind": "admin", "agency_id": "DEMO", "dossier_code": None,
           "original_sha256": "a" * 64, "signed_sha256": "b" * 64, "pages": 1, "title": "t", "text": "x"}
    catalog.add_document(row)
    catalog.add_document(row)  # idempotent
    assert [d["code"] for d in catalog.documents_of_owner("001090012345")] == ["C1"]
    assert [d["code"] for d in catalog.find_by_original("a" * 64, "001090012345")] == ["C1"]
    assert catalog.find_by_original("a" * 64, None) == []
