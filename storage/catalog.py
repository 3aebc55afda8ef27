"""The catalog: derived data that answers queries, rebuildable from the manifests (`digitize reindex`).

SQLite by default, PostgreSQL in production, through one SQLAlchemy Core code path; the schema is
kept by the Alembic migrations in storage/migrations. Full text is searched without diacritics
(FTS5 in SQLite, a GIN tsvector index in PostgreSQL); results that match with the exact
diacritics come first.
"""
from __future__ import annotations

import contextlib
import fcntl
import re
import unicodedata
from datetime import date, datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

HEAD = "0006"
SEARCH_CANDIDATES = 200  # rows the diacritic-free index hands over for ranking

metadata = sa.MetaData()

documents = sa.Table(
    "documents", metadata,
    sa.Column("code", sa.String(80), primary_key=True),
    sa.Column("owner_id", sa.String(40)),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("agency_id", sa.String(60), nullable=False),
    sa.Column("dossier_code", sa.String(80)),  # the dossier it was first submitted with
    sa.Column("original_sha256", sa.String(64), nullable=False),
    sa.Column("signed_sha256", sa.String(64), nullable=False),
    sa.Column("pages", sa.Integer, nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("text", sa.Text),
    sa.Column("issued_on", sa.Date),
    sa.Column("valid_until", sa.Date),
    sa.Column("search_text", sa.Text),
)

dossier_documents = sa.Table(
    "dossier_documents", metadata,
    sa.Column("dossier_code", sa.String(80), primary_key=True),
    sa.Column("document_code", sa.String(80), primary_key=True),
    sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
)

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("who", sa.String(120), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("document_code", sa.String(80)),
    sa.Column("owner_id", sa.String(40)),
    sa.Column("client", sa.String(80)),
    sa.Column("detail", sa.String(120)),
)

dossiers = sa.Table(
    "dossiers", metadata,
    sa.Column("code", sa.String(80), primary_key=True),
    sa.Column("owner_id", sa.String(40)),
    sa.Column("procedure", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(120)),
    sa.Column("applicant_name", sa.String(120)),  # who brought it: personal data, shown to counter staff only
    sa.Column("applicant_phone", sa.String(20)),
    sa.Column("applicant_address", sa.String(300)),
    sa.Column("promised_on", sa.Date),  # the day the result is promised
)

signature_checks = sa.Table(
    "signature_checks", metadata,
    sa.Column("document_code", sa.String(80), primary_key=True),
    sa.Column("valid", sa.Boolean, nullable=False),
    sa.Column("trusted", sa.Boolean, nullable=False),
    sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
)

code_sequences = sa.Table(
    "code_sequences", metadata,
    sa.Column("scope", sa.String(120), primary_key=True),
    sa.Column("last_value", sa.BigInteger, nullable=False),
)

SUMMARY_COLUMNS = [c for c in documents.c if c.name not in ("text", "search_text")]


def fold(text: str) -> str:
    """Lower case, no diacritics (đ → d), single spaces: what the search index holds."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s/.-]", " ", text)).strip()


class Catalog:
    def __init__(self, url: str):
        connect_args = {"timeout": 30} if url.startswith("sqlite") else {}
        # hide_parameters: an error logged or raised never carries OCR text or an owner id.
        self.engine: Engine = sa.create_engine(url, connect_args=connect_args, pool_pre_ping=True,
                                               hide_parameters=True)
        self.sqlite = self.engine.dialect.name == "sqlite"
        if self.sqlite:
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        migrate(self.engine)

    # --- writing -------------------------------------------------------------------------------

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

    def raise_sequence(self, scope: str, value: int, conn: sa.Connection | None = None) -> None:
        """Make sure the next number in `scope` is above `value` (after a rebuild)."""
        insert = _dialect_insert(self.engine)(code_sequences).values(scope=scope, last_value=value)
        with self._transaction(conn) as conn:
            conn.execute(insert.on_conflict_do_update(
                index_elements=["scope"], set_={"last_value": sa.func.max(code_sequences.c.last_value, value)}
                if self.sqlite else {"last_value": sa.func.greatest(code_sequences.c.last_value, value)}))

    def add_document(self, row: dict) -> None:
        """Insert once (a second call with the same code does nothing); links its first dossier."""
        self.add_documents([row])

    def add_documents(self, rows: list[dict], conn: sa.Connection | None = None) -> None:
        now = datetime.now(timezone.utc)
        rows = [{**{c.name: r.get(c.name) for c in documents.c}, "created_at": r.get("created_at") or now,
                 "search_text": fold(r.get("text") or "")} for r in rows]
        insert = _dialect_insert(self.engine)
        with self._transaction(conn) as conn:
            fresh = conn.execute(
                insert(documents).on_conflict_do_nothing(index_elements=["code"]).returning(documents.c.code),
                rows).scalars().all() if rows else []
            if self.sqlite and fresh:
                new = set(fresh)
                conn.execute(sa.text("INSERT INTO documents_fts (code, search_text) VALUES (:code, :search_text)"),
                             [{"code": r["code"], "search_text": r["search_text"]} for r in rows if r["code"] in new])
            links = [{"dossier_code": r["dossier_code"], "document_code": r["code"], "linked_at": r["created_at"]}
                     for r in rows if r.get("dossier_code")]
            if links:
                conn.execute(insert(dossier_documents).on_conflict_do_nothing(), links)

    def update_document(self, row: dict) -> None:
        """A new version of a stored document (page tools): its kind, title, pages, signed PDF, text
        and dates as they are now. Its code, owner, original and first dossier stay."""
        values = {k: row[k] for k in ("kind", "title", "pages", "signed_sha256", "text", "issued_on", "valid_until")
                  if k in row}
        values["search_text"] = fold(row.get("text") or "")
        with self.engine.begin() as conn:
            conn.execute(documents.update().where(documents.c.code == row["code"]).values(**values))
            if self.sqlite:
                conn.execute(sa.text("DELETE FROM documents_fts WHERE code = :code"), {"code": row["code"]})
                conn.execute(sa.text("INSERT INTO documents_fts (code, search_text) VALUES (:code, :search_text)"),
                             {"code": row["code"], "search_text": values["search_text"]})

    def set_dates(self, code: str, *, issued_on: date | None, valid_until: date | None) -> None:
        """Dates taken from the fields, after staff corrected them."""
        with self.engine.begin() as conn:
            conn.execute(documents.update().where(documents.c.code == code)
                         .values(issued_on=issued_on, valid_until=valid_until))

    def link(self, dossier_code: str, document_code: str, when: datetime | None = None,
             conn: sa.Connection | None = None) -> None:
        """The document is part of this dossier too (submitted again, stored once)."""
        row = {"dossier_code": dossier_code, "document_code": document_code,
               "linked_at": when or datetime.now(timezone.utc)}
        with self._transaction(conn) as conn:
            conn.execute(_dialect_insert(self.engine)(dossier_documents).values(**row).on_conflict_do_nothing())

    def add_dossier(self, record: dict, conn: sa.Connection | None = None) -> None:
        """A dossier opened at the counter: code, owner_id, procedure, created_at, created_by."""
        with self._transaction(conn) as conn:
            conn.execute(_dialect_insert(self.engine)(dossiers).values(
                **{c.name: record.get(c.name) for c in dossiers.c}).on_conflict_do_nothing())

    def record_signature_check(self, code: str, *, valid: bool, trusted: bool) -> None:
        """The outcome of the last full verification, shown beside search results."""
        row = {"document_code": code, "valid": valid, "trusted": trusted, "checked_at": datetime.now(timezone.utc)}
        with self.engine.begin() as conn:
            conn.execute(_dialect_insert(self.engine)(signature_checks).values(**row).on_conflict_do_update(
                index_elements=["document_code"], set_={k: v for k, v in row.items() if k != "document_code"}))

    def audit(self, *, who: str, role: str, action: str, document_code: str | None = None,
              owner_id: str | None = None, client: str | None = None, detail: str | None = None) -> None:
        """One line of the audit trail: who did or read what, when, from where. Reindex keeps it."""
        self.audit_many(who=who, role=role, action=action, client=client,
                        lines=[(document_code, owner_id, detail)])

    def audit_many(self, *, who: str, role: str, action: str, client: str | None,
                   lines: list[tuple[str | None, str | None, str | None]]) -> None:
        """Several lines of one event at once (document code, owner id, detail), e.g. a search's results."""
        now = datetime.now(timezone.utc)
        rows = [{"at": now, "who": who[:120], "role": role[:20], "action": action, "document_code": code,
                 "owner_id": owner, "client": client, "detail": (detail or None) and detail[:120]}
                for code, owner, detail in lines]
        if rows:
            with self.engine.begin() as conn:
                conn.execute(audit_log.insert(), rows)

    def audit_of(self, who: str, limit: int = 100) -> list[dict]:
        """A person's latest lines (logins, failed logins, reads), newest first."""
        q = sa.select(audit_log).where(audit_log.c.who == who).order_by(audit_log.c.id.desc()).limit(limit)
        return self._rows(q)

    def audit_trail(self, document_code: str) -> list[dict]:
        q = (sa.select(audit_log).where(audit_log.c.document_code == document_code)
             .order_by(audit_log.c.at, audit_log.c.id))
        return self._rows(q)

    @contextlib.contextmanager
    def rebuilding(self):
        """A transaction that replaces every document, link and dossier; yields its connection for the
        writing methods. Readers see the old catalog until it commits; an error leaves it untouched."""
        with self.engine.begin() as conn:
            self._clear(conn)
            yield conn

    @contextlib.contextmanager
    def _transaction(self, conn: sa.Connection | None):
        if conn is not None:
            yield conn
        else:
            with self.engine.begin() as conn:
                yield conn

    def _clear(self, conn: sa.Connection) -> None:
        """Forget every document (the sequences stay: codes are never reused)."""
        conn.execute(dossier_documents.delete())
        conn.execute(dossiers.delete())
        conn.execute(signature_checks.delete())
        conn.execute(documents.delete())
        if self.sqlite:
            conn.execute(sa.text("DELETE FROM documents_fts"))

    # --- reading -------------------------------------------------------------------------------

    def get(self, code: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(documents).where(documents.c.code == code)).mappings().first()
        return dict(row) if row else None

    def codes_starting(self, prefix: str, limit: int = 3) -> list[str]:
        """Document codes that begin with `prefix` (a code typed without its check characters)."""
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        q = sa.select(documents.c.code).where(documents.c.code.like(escaped + "%", escape="\\")).order_by(
            documents.c.code).limit(limit)
        with self.engine.connect() as conn:
            return list(conn.execute(q).scalars())

    def find_by_original(self, sha256: str, owner_id: str | None) -> list[dict]:
        """Documents already made from this exact file for this owner, newest first."""
        q = sa.select(*SUMMARY_COLUMNS).where(
            documents.c.original_sha256 == sha256,
            documents.c.owner_id.is_(None) if owner_id is None else documents.c.owner_id == owner_id)
        return self._rows(q.order_by(documents.c.created_at.desc()))

    def documents_of_owner(self, owner_id: str, kind: str | None = None, *, valid_on: date | None = None,
                           with_text: bool = False, limit: int = 100) -> list[dict]:
        """A citizen's or organisation's documents, newest first; `valid_on`: issued by then, not expired."""
        q = sa.select(*(documents.c if with_text else SUMMARY_COLUMNS)).where(documents.c.owner_id == owner_id)
        if kind:
            q = q.where(documents.c.kind == kind)
        if valid_on:
            q = q.where(sa.or_(documents.c.valid_until.is_(None), documents.c.valid_until >= valid_on),
                        sa.or_(documents.c.issued_on.is_(None), documents.c.issued_on <= valid_on))
        return self._rows(q.order_by(documents.c.created_at.desc()).limit(limit))

    def documents_of_dossier(self, dossier_code: str) -> list[dict]:
        q = (sa.select(*SUMMARY_COLUMNS).join(dossier_documents, dossier_documents.c.document_code == documents.c.code)
             .where(dossier_documents.c.dossier_code == dossier_code).order_by(dossier_documents.c.linked_at))
        return self._rows(q)

    def dossiers_of(self, document_code: str) -> list[str]:
        q = (sa.select(dossier_documents.c.dossier_code).where(dossier_documents.c.document_code == document_code)
             .order_by(dossier_documents.c.linked_at))
        with self.engine.connect() as conn:
            return list(conn.execute(q).scalars())

    def find(self, *, agency_id: str | None = None, kind: str | None = None, since: datetime | None = None,
             until: datetime | None = None, limit: int = 100) -> list[dict]:
        """By agency, kind and a range of digitization times (until excluded), newest first."""
        q = sa.select(*SUMMARY_COLUMNS)
        for column, value in ((documents.c.agency_id, agency_id), (documents.c.kind, kind)):
            if value:
                q = q.where(column == value)
        if since:
            q = q.where(documents.c.created_at >= since)
        if until:
            q = q.where(documents.c.created_at < until)
        return self._rows(q.order_by(documents.c.created_at.desc()).limit(limit))

    def search(self, query: str, *, limit: int = 20) -> list[dict]:
        """Full text without diacritics ("quyet dinh" finds "quyết định"); exact-diacritic matches first.

        Each result carries `exact` (the query appears as typed) and a `snippet` around the match.
        """
        folded = fold(query)
        if not folded:
            return []
        codes = self._search_codes(folded)
        if not codes:
            return []
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(sa.select(documents).where(documents.c.code.in_(codes))).mappings()]
        wanted = unicodedata.normalize("NFC", query).lower().strip()
        phrase = re.compile(r"(?<!\w)" + re.escape(folded) + r"(?!\w)")
        results = []
        for row in rows:
            text = unicodedata.normalize("NFC", row.pop("text") or "")
            searchable = row.pop("search_text") or ""
            if not phrase.search(searchable):
                continue  # the index matched the words, but not as a phrase
            exact = wanted in re.sub(r"\s+", " ", text.lower())
            results.append({**row, "exact": exact, "snippet": _snippet(text, wanted, folded)})
        results.sort(key=lambda r: (not r["exact"], -r["created_at"].timestamp()))
        return results[:limit]

    def _search_codes(self, folded: str) -> list[str]:
        with self.engine.connect() as conn:
            if self.sqlite:
                match = '"' + folded.replace('"', " ") + '"'
                sql = "SELECT code FROM documents_fts WHERE documents_fts MATCH :q LIMIT :n"
                return list(conn.execute(sa.text(sql), {"q": match, "n": SEARCH_CANDIDATES}).scalars())
            sql = ("SELECT code FROM documents WHERE to_tsvector('simple', search_text) "
                   "@@ phraseto_tsquery('simple', :q) LIMIT :n")
            return list(conn.execute(sa.text(sql), {"q": folded, "n": SEARCH_CANDIDATES}).scalars())

    def dossier(self, code: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(dossiers).where(dossiers.c.code == code)).mappings().first()
        return dict(row) if row else None

    def recent_dossiers(self, limit: int = 20) -> list[dict]:
        return self._rows(sa.select(dossiers).order_by(dossiers.c.created_at.desc()).limit(limit))

    def dossiers_between(self, start: datetime, end: datetime, limit: int = 500) -> list[dict]:
        """The dossiers opened in [start, end), newest first."""
        return self._rows(sa.select(dossiers).where(dossiers.c.created_at >= start, dossiers.c.created_at < end)
                          .order_by(dossiers.c.created_at.desc()).limit(limit))

    def signature_checks(self, codes: list[str]) -> dict[str, dict]:
        """code → {valid, trusted, checked_at} for those that were verified."""
        if not codes:
            return {}
        q = sa.select(signature_checks).where(signature_checks.c.document_code.in_(codes))
        return {r["document_code"]: r for r in self._rows(q)}

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(documents)).scalar_one()

    def _rows(self, query) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]


def _snippet(text: str, wanted: str, folded: str, width: int = 60) -> str:
    flat = re.sub(r"\s+", " ", text)
    at = flat.lower().find(wanted)
    if at < 0:  # locate through the folded text: same length per character except removed marks
        at = fold(flat).find(folded)
    at = max(0, at)
    return flat[max(0, at - width): at + len(wanted) + width].strip()


def _revision(conn: sa.Connection) -> str | None:
    """The schema's migration, as alembic records it (one head)."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Bring the schema to HEAD; one process at a time, and nothing to do when it already is."""
    with engine.connect() as conn:
        if _revision(conn) == HEAD:
            return
    from alembic import (
        command,  # only when there is something to migrate: alembic takes 0.5 s to import
    )
    from alembic.config import Config

    with _migration_lock(engine), engine.begin() as conn:
        if _revision(conn) == HEAD:
            return
        cfg = Config()
        cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        cfg.attributes["connection"] = conn
        if sa.inspect(conn).has_table("documents") and not sa.inspect(conn).has_table("alembic_version"):
            command.stamp(cfg, "0001")  # a catalog made before migrations existed
        command.upgrade(cfg, "head")


@contextlib.contextmanager
def _migration_lock(engine: Engine):
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_advisory_lock(724100)"))
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(724100)"))
                conn.commit()
        return
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
