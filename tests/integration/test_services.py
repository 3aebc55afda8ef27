"""Against the real services started by ./scripts/services: MinIO, PostgreSQL, Redis with an RQ worker."""
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from minio.error import S3Error
from rq.registry import StartedJobRegistry

from digitize.pipeline import Submission
from digitize.services import Services
from digitize.settings import Settings
from storage import Catalog, MinioObjectStore, StorageError, layout
from workers.queue import RqJobQueue

from ..conftest import ROOT, SAMPLES
from ..test_storage import allocate_concurrently


def _settings(live: dict, tmp_path, **over) -> Settings:
    values = dict(home=tmp_path / "home", redis_url=live["DIGITIZE_REDIS_URL"],
                  minio_endpoint=live["DIGITIZE_MINIO_ENDPOINT"], minio_access_key=live["DIGITIZE_MINIO_ACCESS_KEY"],
                  minio_secret_key=live["DIGITIZE_MINIO_SECRET_KEY"], catalog_url=live["DIGITIZE_CATALOG_URL"])
    return Settings(**{**values, **over})


def _store(live, bucket: str) -> MinioObjectStore:
    return MinioObjectStore(live["DIGITIZE_MINIO_ENDPOINT"], live["DIGITIZE_MINIO_ACCESS_KEY"],
                            live["DIGITIZE_MINIO_SECRET_KEY"], bucket)


def test_minio_locks_and_checks_objects(live):
    store = _store(live, f"t-{uuid.uuid4().hex[:12]}")
    assert store.client.get_object_lock_config(store.bucket) is not None
    store.put("documents/C/signed.pdf", b"%PDF-signed", "application/pdf", retain_years=1)
    assert store.get("documents/C/signed.pdf") == b"%PDF-signed"
    with pytest.raises(StorageError):  # overwrite with other content
        store.put("documents/C/signed.pdf", b"%PDF-other", "application/pdf")
    version = store.client.stat_object(store.bucket, "documents/C/signed.pdf").version_id
    with pytest.raises(S3Error):  # compliance retention: even the root user cannot delete the version
        store.client.remove_object(store.bucket, "documents/C/signed.pdf", version_id=version)


def test_minio_detects_a_corrupted_object(live):
    store = _store(live, f"t-{uuid.uuid4().hex[:12]}")
    import io

    # Written behind the store's back with a wrong recorded checksum, as a damaged copy would look.
    store.client.put_object(store.bucket, "documents/D/ocr.json", io.BytesIO(b"{}"), 2,
                            metadata={"sha256": "0" * 64})
    with pytest.raises(StorageError) as err:
        store.get("documents/D/ocr.json")
    assert err.value.code == "integrity_error"


def test_postgres_sequences_unique_across_processes(live):
    url = live["DIGITIZE_CATALOG_URL"]
    Catalog(url).engine.dispose()
    with Catalog(url).engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM code_sequences WHERE scope = 'DEMO/20261124'")
    numbers = allocate_concurrently(url)
    assert sorted(numbers) == list(range(1, 201))


def _run_workers(settings: Settings, *args: str) -> subprocess.CompletedProcess:
    """`python -m workers ARGS` as its own process, configured like the service."""
    env = {**os.environ, **{f"DIGITIZE_{k.upper()}": str(v) for k, v in {
        "home": settings.home, "redis_url": settings.redis_url, "minio_endpoint": settings.minio_endpoint,
        "minio_access_key": settings.minio_access_key, "minio_secret_key": settings.minio_secret_key,
        "minio_bucket": settings.minio_bucket, "catalog_url": settings.catalog_url,
        "queue_name": settings.queue_name}.items()}}
    return subprocess.run([sys.executable, "-m", "workers", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_reconciler_requeues_what_redis_lost_and_a_second_run_makes_no_second_document(live, tmp_path):
    from digitize.intake import finished_codes, submit
    from workers.jobs import process_receipt

    bucket = f"t-{uuid.uuid4().hex[:12]}"
    settings = _settings(live, tmp_path, minio_bucket=bucket, queue_name=f"q-{bucket}",
                         catalog_url=f"sqlite:///{tmp_path / 'catalog.sqlite3'}")
    services = Services(settings)
    q = RqJobQueue(settings)
    data = (SAMPLES / "sample-02-cong-van.jpg").read_bytes()
    receipt = submit(Submission(data, "cong-van.jpg", "001090012345"), services, q)
    q.rq.fetch_job(receipt.id).delete()  # Redis lost the job (restarted without its data, say)
    q.rq.empty()
    assert q.rq.fetch_job(receipt.id) is None

    reconciled = _run_workers(settings, "reconcile")
    assert reconciled.returncode == 0 and "1 receipt(s) queued again" in reconciled.stderr, reconciled.stderr
    assert _run_workers(settings, "reconcile").stderr.count("0 receipt(s) queued again") == 1  # queued: left alone
    assert _run_workers(settings, "--burst").returncode == 0
    codes = finished_codes(services, receipt.id)
    assert len(codes) == 1 and q.rq.fetch_job(receipt.id).is_finished
    code = codes[0]

    # A retry scheduled long ago that no scheduler moved (one died with Redis): queued again too.
    late = submit(Submission((SAMPLES / "sample-01-quyet-dinh.png").read_bytes(), "qd.png", "001090012345"),
                  services, q)
    job = q.rq.fetch_job(late.id)
    q.rq.remove(job)
    q.rq.schedule_job(job, datetime.now(timezone.utc) - timedelta(minutes=5))
    assert job.get_status(refresh=True) == "scheduled"
    assert "1 receipt(s) queued again" in _run_workers(settings, "reconcile").stderr
    assert q.rq.fetch_job(late.id).get_status() == "queued"
    assert _run_workers(settings, "--burst").returncode == 0 and finished_codes(services, late.id)

    # A worker died mid-job long ago and Redis already expired its execution record, though not the
    # job's list of executions: RQ's own delete fails on that one, the reconciler must not.
    dead = submit(Submission((SAMPLES / "sample-01-quyet-dinh.png").read_bytes(), "qd2.png", "001090012345"),
                  services, q)
    job = q.rq.fetch_job(dead.id)
    q.rq.remove(job)
    long_ago = datetime.now(timezone.utc) - timedelta(minutes=10)
    job.set_status("started")
    job.started_at = job.last_heartbeat = long_ago
    job.save()
    q.connection.zadd(job.execution_registry.key, {"gone": long_ago.timestamp() + 3600})
    q.connection.zadd(StartedJobRegistry(queue=q.rq).key, {f"{dead.id}:gone": long_ago.timestamp()})
    with pytest.raises(ValueError):  # what killed the reconciler in CI
        q.rq.fetch_job(dead.id).delete()
    reconciled = _run_workers(settings, "reconcile")
    assert "1 receipt(s) queued again" in reconciled.stderr, reconciled.stderr[-2000:]
    assert q.rq.fetch_job(dead.id).get_status() == "queued"
    assert _run_workers(settings, "--burst").returncode == 0
    assert finished_codes(services, dead.id) == finished_codes(services, late.id)  # the same paper again

    again = process_receipt(receipt.id, services)  # a duplicate delivery of the same job
    assert again["code"] == code
    assert services.catalog.count() == 2
    assert "0 receipt(s)" in _run_workers(settings, "reconcile").stderr  # finished: nothing to do


def test_rq_job_through_redis_lands_in_minio(live, tmp_path):
    from digitize.intake import submit

    bucket = f"t-{uuid.uuid4().hex[:12]}"
    settings = _settings(live, tmp_path, minio_bucket=bucket, queue_name=f"q-{bucket}")
    services = Services(settings)
    q = RqJobQueue(settings)
    data = (SAMPLES / "sample-01-quyet-dinh.png").read_bytes()
    receipt = submit(Submission(data, "sample-01-quyet-dinh.png", "001090012345", "admin"), services, q)
    assert services.store.exists(receipt.original_key)  # kept before any worker ran

    worker = _run_workers(settings, "--burst")
    assert worker.returncode == 0, worker.stderr[-2000:]

    job = q.rq.fetch_job(receipt.id)
    assert job.is_finished, worker.stderr[-2000:]
    result = job.return_value()
    assert job.meta["progress"] == {"stage": "ocr", "done": 1, "total": 1}
    code = result["code"]
    manifest = json.loads(services.store.get(layout.manifest_key(code)))
    assert manifest["original"]["key"] == receipt.original_key
    signed = services.store.get(manifest["objects"]["signed_pdf"]["key"])
    assert signed.startswith(b"%PDF") and manifest["objects"]["signed_pdf"]["sha256"] == result["sha256"]
    assert services.catalog.get(code)["owner_id"] == "001090012345"


def test_minio_encrypts_at_rest_and_keeps_each_kind_its_years(live, tmp_path):
    bucket = f"t-{uuid.uuid4().hex[:12]}"
    settings = _settings(live, tmp_path, minio_bucket=bucket, retention_by_kind="birth=75")
    services = Services(settings)
    store = services.store
    assert store.client.get_bucket_encryption(bucket).rule.sse_algorithm == "AES256"
    from digitize.pipeline import process

    sub = Submission((SAMPLES / "sample-01-quyet-dinh.png").read_bytes(), "a.png", owner_id="001090012345",
                     kind="birth")
    outcome = process(sub, services)
    key = outcome.manifest.objects.signed_pdf.key
    stat = store.client.stat_object(bucket, key)
    assert stat.metadata.get("x-amz-server-side-encryption") == "AES256"
    until = store.client.get_object_retention(bucket, key).retain_until_date
    assert 74 * 365 < (until - datetime.now(timezone.utc)).days < 76 * 365

    url = store.presigned_url(key, minutes=2)
    with urllib.request.urlopen(url) as response:
        assert response.read() == outcome.pdf
    with pytest.raises(urllib.error.HTTPError):  # a link whose signature was tampered with is refused
        urllib.request.urlopen(url.replace("X-Amz-Signature=", "X-Amz-Signature=0"))


def test_hot_folder_command_takes_a_scan_into_the_warehouse(live, tmp_path):
    import shutil
    import time

    from digitize.intake import load_receipt

    bucket = f"t-{uuid.uuid4().hex[:12]}"
    settings = _settings(live, tmp_path, minio_bucket=bucket, queue_name=f"q-{bucket}",
                         catalog_url=f"sqlite:///{tmp_path / 'catalog.sqlite3'}")
    services = Services(settings)
    inbox = tmp_path / "inbox"
    (inbox / "H40.27-261124-0005").mkdir(parents=True)
    env = {**os.environ, "DIGITIZE_HOME": str(settings.home), "DIGITIZE_REDIS_URL": settings.redis_url,
           "DIGITIZE_MINIO_ENDPOINT": settings.minio_endpoint, "DIGITIZE_MINIO_ACCESS_KEY": settings.minio_access_key,
           "DIGITIZE_MINIO_SECRET_KEY": settings.minio_secret_key, "DIGITIZE_MINIO_BUCKET": bucket,
           "DIGITIZE_CATALOG_URL": settings.catalog_url, "DIGITIZE_QUEUE_NAME": settings.queue_name}
    watcher = subprocess.Popen([sys.executable, "-m", "workers", "hotfolder", str(inbox), "--every", "0.2"],
                               env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        shutil.copy(SAMPLES / "sample-01-quyet-dinh.png", inbox / "H40.27-261124-0005" / "scan.png")
        for _ in range(100):
            done = list((inbox / "done").glob("*-scan.png"))
            if done:
                break
            time.sleep(0.1)
    finally:
        watcher.terminate()
        watcher.wait(10)
    assert done, watcher.stderr.read()[-2000:]
    receipt = load_receipt(services, done[0].name.split("-")[0])
    assert receipt.dossier_code == "H40.27-261124-0005" and services.store.exists(receipt.original_key)
    assert RqJobQueue(settings).rq.fetch_job(receipt.id) is not None  # queued for a worker


def test_a_file_broken_past_intake_fails_once_and_waits_for_a_person(live, tmp_path):
    """Through a real RQ worker: no retry is scheduled, the reconciler does not queue it again, and
    the job view gives the Vietnamese reason."""
    from rq.registry import FailedJobRegistry, ScheduledJobRegistry

    from digitize.intake import needs_attention, submit

    bucket = f"t-{uuid.uuid4().hex[:12]}"
    settings = _settings(live, tmp_path, minio_bucket=bucket, queue_name=f"q-{bucket}",
                         catalog_url=f"sqlite:///{tmp_path / 'catalog.sqlite3'}")
    services, q = Services(settings), RqJobQueue(settings)
    truncated = (SAMPLES / "sample-01-quyet-dinh.png").read_bytes()[:4000]  # its header reads fine
    receipt = submit(Submission(truncated, "cut.png", "001090012345"), services, q)

    assert _run_workers(settings, "--burst").returncode == 0
    assert receipt.id in FailedJobRegistry(queue=q.rq).get_job_ids()
    assert ScheduledJobRegistry(queue=q.rq).get_job_ids() == []  # no retry
    assert needs_attention(services, receipt.id).code == "corrupt_image"
    assert "0 receipt(s) queued again" in _run_workers(settings, "reconcile").stderr
    assert q.job(receipt.id).status == "failed"


def test_concurrent_eform_saves_on_minio_one_wins_the_rest_get_409_and_the_sign_off_verifies(live, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from digitize import eform
    from digitize.errors import ConflictError

    services = Services(_settings(live, tmp_path, minio_bucket=f"t-{uuid.uuid4().hex[:12]}"))
    code = "H40-261124-0042-X"
    machine = {"kind": "cccd", "classification": {"kind": "cccd", "confidence": 0.9, "evidence": []},
               "fields": {"full_name": {"value": "LÊ VĂN A", "raw": "LÊ VĂN A", "confidence": 0.7, "page": 1,
                                        "source": "ocr", "box": None}}}
    services.store.put(layout.document_key(code, "fields.json"), json.dumps(machine).encode(), "application/json")
    services.signer  # loaded once, not by eight threads at a time

    for last in (False, False, True):  # a race is won by chance: several rounds, each from a fresh version
        based_on = eform.load(services, code).version
        with ThreadPoolExecutor(8) as pool:  # signed off in the last round only: a signed-off form is final
            results = list(pool.map(lambda i: _save_on(services, code, based_on, i, last), range(8)))
        winners = [r for r in results if not isinstance(r, ConflictError)]
        assert len(winners) == 1, results
        assert all(r.status == 409 and r.code == "version_conflict" for r in results if r not in winners)
        stored = eform.load(services, code)
        assert stored.version == based_on + 1 and stored.saved_by == winners[0].saved_by
        assert stored.fields["full_name"].value == winners[0].fields["full_name"].value
        check = eform.signature(services, code, stored.version)
        if stored.signed_off is not None:
            assert check["intact"] and check["valid"], check
        else:
            assert check is None


def _save_on(services, code, based_on, i, sign):
    from digitize import eform
    from digitize.errors import ConflictError

    try:
        return eform.correct(services, code, based_on=based_on, values={"full_name": f"LÊ VĂN {chr(65 + i)}"},
                             confirm=[], who=f"clerk-{i}", kind="cccd", sign_off=sign and i % 2 == 0)
    except ConflictError as exc:
        return exc


def test_tampering_with_minio_objects_is_undone_or_refused_and_alerted(live, tmp_path, caplog):
    """Someone with write access adds a new version of a signed PDF holding another document's PDF
    (with a matching x-amz-meta-sha256), a tampered e-form, and delete markers: reads serve the version
    the manifest names (object lock kept it), log an integrity alert, and a document the catalog lists
    never answers 404."""
    import io
    import logging

    from digitize import archive
    from digitize.pipeline import process
    from storage import sha256_hex

    from ..data.record_words import RECORDED, small_page
    from ..fakes import ReplayEngine

    bucket = f"t-{uuid.uuid4().hex[:12]}"
    services = Services(_settings(live, tmp_path, minio_bucket=bucket))
    services.engine = ReplayEngine.from_json(RECORDED)
    lock = services.store.client.get_object_lock_config(bucket)
    assert (lock.mode, lock.duration, lock.duration_unit) == ("COMPLIANCE", 10, "Years")  # receipts and links are locked too
    v = process(Submission(small_page(), "v.png", "001090012345"), services)
    w = process(Submission(small_page(), "w.png", "002090012345"), services)
    client = services.store.client

    def behind_the_back(key: str, data: bytes) -> None:
        client.put_object(bucket, key, io.BytesIO(data), len(data), metadata={"sha256": sha256_hex(data)})

    caplog.set_level(logging.ERROR, logger="storage.objects")
    behind_the_back(f"documents/{v.code}/signed.pdf", w.pdf)
    assert archive.signed_pdf(services.store, v.code, v.sha256) == v.pdf
    form = archive.load_document(services.store, v.code).form
    behind_the_back(layout.document_key(v.code, "fields.json"), b'{"kind": "cccd", "fields": {}}')
    assert archive.load_document(services.store, v.code).form == form
    client.remove_object(bucket, f"documents/{w.code}/signed.pdf")  # a delete marker, allowed by the lock
    client.remove_object(bucket, layout.manifest_key(w.code))
    assert archive.signed_pdf(services.store, w.code, w.sha256) == w.pdf
    alerts = [r.getMessage() for r in caplog.records if "integrity alert" in r.getMessage()]
    assert any("replaced by a newer version" in a for a in alerts)
    assert any("hidden by a delete marker" in a for a in alerts)
    assert all(v.code not in a or "documents/" in a for a in alerts)  # keys only: no names, no ids

    # with no kept version holding the expected bytes, it is an integrity error, never a 404 or a 503
    behind_the_back("documents/X/ocr.json", b"{}")
    with pytest.raises(StorageError) as refused:
        services.store.get("documents/X/ocr.json", sha256="0" * 64)
    assert refused.value.code == "integrity_error" and refused.value.status == 500

    # a bit flipped on the drive: an integrity error at once (it used to hang 300 s, then say 503)
    import time
    from pathlib import Path

    stored = Path(live["DIGITIZE_TEST_MINIO_DATA"]) / bucket / "documents" / v.code / "ocr.json"
    damaged = max((p for p in stored.rglob("*") if p.is_file()), key=lambda p: p.stat().st_size)
    raw = bytearray(damaged.read_bytes())
    raw[len(raw) // 2] ^= 0x01
    damaged.write_bytes(bytes(raw))
    started = time.monotonic()
    with pytest.raises(StorageError) as flipped:
        archive.ocr_pages(services.store, v.code)
    assert flipped.value.code == "integrity_error" and time.monotonic() - started < 10
