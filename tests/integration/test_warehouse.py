"""The warehouse on the real servers: MinIO as the system of record, a PostgreSQL catalog that
`digitize reindex` rebuilds from it with the same answers, and migrations racing safely."""
import multiprocessing
import os
import sys
import uuid

import sqlalchemy as sa

from storage.catalog import HEAD, Catalog

from ..conftest import SAMPLES, catalog_answers, run

OWNER = "001090012345"


def _env(live, tmp_path, catalog_url) -> dict:
    return {**os.environ, **live, "DIGITIZE_HOME": str(tmp_path / "home"), "DIGITIZE_CATALOG_URL": catalog_url,
            "DIGITIZE_MINIO_BUCKET": f"t-{uuid.uuid4().hex[:12]}"}


def _answers(env) -> list:
    return catalog_answers(env, [["--owner", OWNER], ["--owner", OWNER, "--kind", "admin"],
                                 ["--dossier", "H40.27-261124-0007"], ["--text", "uy ban nhan dan"],
                                 ["--agency", "DEMO"]])


def test_reindex_from_minio_restores_the_postgres_catalog(live, tmp_path, pg_database):
    env = _env(live, tmp_path, pg_database)
    files = [SAMPLES / "sample-01-quyet-dinh.png", SAMPLES / "sample-02-cong-van.jpg"]
    res = run(sys.executable, "-m", "digitize", "process", *map(str, files), "--out", str(tmp_path / "out"),
              "--owner", OWNER, "--dossier", "H40.27-261124-0007", "--json", env=env)
    assert res.returncode == 0, res.stderr
    before = _answers(env)
    assert len(before[0]) == 2 and before[2] and before[3]

    engine = sa.create_engine(pg_database)
    with engine.begin() as conn:  # lose the catalog entirely
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()
    res = run(sys.executable, "-m", "digitize", "reindex", env=env)
    assert res.returncode == 0, res.stderr
    assert _answers(env) == before


def _open_catalog(url: str, out) -> None:
    out.put(Catalog(url).engine.dialect.name)


def test_migrations_race_safely(pg_database):
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_open_catalog, args=(pg_database, out)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    engine = sa.create_engine(pg_database)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == HEAD
    engine.dispose()
