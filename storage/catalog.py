"""The catalog: derived data that answers queries, rebuildable from the manifests.

SQLite by default, PostgreSQL in production, through one SQLAlchemy Core code path.
"""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Engine

metadata = sa.MetaData()

documents = sa.Table(
    "documents", metadata,
    sa.Column("code", sa.String(80), primary_key=True),
    sa.Column("owner_id", sa.String(40), index=True),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("agency_id", sa.String(60), nullable=False),
    sa.Column("dossier_code", sa.String(80), index=True),
    sa.Column("original_sha256", sa.String(64), nullable=False, index=True),
    sa.Column("signed_sha256", sa.String(64), nullable=False),
    sa.Column("pages", sa.Integer, nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("text", sa.Text),
)

code_sequences = sa.Table(
    "code_sequences", metadata,
    sa.Column("scope", sa.String(120), primary_key=True),
    sa.Column("last_value", sa.BigInteger, nullable=False),
)


class Catalog:
    def __init__(self, url: str):
        connect_args = {"timeout": 30} if url.startswith("sqlite") else {}
        self.engine: Engine = sa.create_engine(url, connect_args=connect_args, pool_pre_ping=True)
        if url.startswith("sqlite"):
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        metadata.create_all(self.engine)

    def next_sequence(self, scope: str) -> int:
        """The next number in `scope`, atomically: two processes never get the same one."""
        insert = _dialect_insert(self.engine)(code_sequences).values(scope=scope, last_value=0)
        with self.engine.begin() as conn:
            conn.execute(insert.on_conflict_do_nothing(index_elements=["scope"]))
            return conn.execute(
                code_sequences.update().where(code_sequences.c.scope == scope)
                .values(last_value=code_sequences.c.last_value + 1)
                .returning(code_sequences.c.last_value)
            ).scalar_one()

    def add_document(self, row: dict) -> None:
        row = dict(row)
        row.setdefault("created_at", datetime.now(timezone.utc))
        stmt = _dialect_insert(self.engine)(documents).values(**row).on_conflict_do_nothing(index_elements=["code"])
        with self.engine.begin() as conn:
            conn.execute(stmt)

    def find_by_original(self, sha256: str, owner_id: str | None) -> list[dict]:
        """Documents already made from this exact file for this owner, newest first."""
        q = sa.select(documents).where(documents.c.original_sha256 == sha256,
                                       documents.c.owner_id.is_(None) if owner_id is None
                                       else documents.c.owner_id == owner_id)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q.order_by(documents.c.created_at.desc())).mappings()]

    def get(self, code: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(documents).where(documents.c.code == code)).mappings().first()
        return dict(row) if row else None

    def documents_of_owner(self, owner_id: str, kind: str | None = None) -> list[dict]:
        q = sa.select(documents).where(documents.c.owner_id == owner_id)
        if kind:
            q = q.where(documents.c.kind == kind)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q.order_by(documents.c.created_at.desc())).mappings()]


def _dialect_insert(engine: Engine):
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()
