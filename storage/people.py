"""Staff accounts and web sessions, kept in the catalog's database (not rebuilt by reindex: they are
not derived from the warehouse). Passwords are stored as argon2id hashes; a session is stored under
the SHA-256 of its id, so a copy of the table does not let anyone in."""
from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Engine

metadata = sa.MetaData()

accounts = sa.Table(
    "accounts", metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("display_name", sa.String(120)),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("password_hash", sa.Text),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

web_sessions = sa.Table(
    "web_sessions", metadata,
    sa.Column("id_sha256", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("via", sa.String(10), nullable=False),
    sa.Column("key_sha256", sa.String(64)),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)

_hasher = PasswordHasher()  # argon2id with the library's current defaults


@functools.cache
def _dummy_hash() -> str:
    """A hash to check a wrong username against, so that it costs a password's time (made once, when
    first needed: 0.2 s that no command but a login should pay)."""
    return _hasher.hash(secrets.token_hex(16))


@dataclass(frozen=True)
class Account:
    username: str
    display_name: str | None
    role: str
    active: bool
    has_password: bool


@dataclass(frozen=True)
class WebSession:
    name: str
    role: str
    via: str  # key, password or sso
    key_sha256: str | None
    csrf: str


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _account(row) -> Account:
    return Account(row["username"], row["display_name"], row["role"], row["active"], bool(row["password_hash"]))


class People:
    def __init__(self, engine: Engine):
        self.engine = engine

    # --- accounts ------------------------------------------------------------------------------

    def save_account(self, username: str, role: str, *, password: str | None, display_name: str | None = None) -> None:
        """Create the account, or change its role, name and password; it becomes active, and sessions
        opened before the change end."""
        values = {"role": role, "display_name": display_name, "active": True,
                  "password_hash": _hasher.hash(password) if password else None}
        with self.engine.begin() as conn:
            updated = conn.execute(accounts.update().where(accounts.c.username == username).values(**values))
            if updated.rowcount == 0:
                conn.execute(accounts.insert().values(username=username, created_at=datetime.now(timezone.utc),
                                                      **values))
            conn.execute(web_sessions.delete().where(web_sessions.c.name == username, web_sessions.c.via != "key"))

    def deactivate(self, username: str) -> bool:
        """The account can no longer log in, and its open sessions end now."""
        with self.engine.begin() as conn:
            found = conn.execute(accounts.update().where(accounts.c.username == username).values(active=False))
            conn.execute(web_sessions.delete().where(web_sessions.c.name == username,
                                                     web_sessions.c.via != "key"))
        return found.rowcount > 0

    def account(self, username: str) -> Account | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(accounts).where(accounts.c.username == username)).mappings().first()
        return _account(row) if row is not None else None

    def list_accounts(self) -> list[Account]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(accounts).order_by(accounts.c.username)).mappings().all()
        return [_account(r) for r in rows]

    def check_password(self, username: str, password: str) -> Account | None:
        """The active account if the password is right; None otherwise, in about the same time."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(accounts).where(accounts.c.username == username)).mappings().first()
        stored = row["password_hash"] if row is not None and row["active"] and row["password_hash"] else None
        try:
            _hasher.verify(stored or _dummy_hash(), password)
        except (VerificationError, InvalidHashError):
            return None
        if stored is None:
            return None
        if _hasher.check_needs_rehash(stored):
            with self.engine.begin() as conn:
                conn.execute(accounts.update().where(accounts.c.username == username)
                             .values(password_hash=_hasher.hash(password)))
        return _account(row)

    # --- sessions ------------------------------------------------------------------------------

    def open_session(self, *, name: str, role: str, via: str, hours: float, key: str | None = None) -> str:
        """A new session; returns its id (kept by the browser, stored here only as a hash)."""
        session_id = secrets.token_urlsafe(32)
        now = datetime.now(timezone.utc)
        with self.engine.begin() as conn:
            conn.execute(web_sessions.delete().where(web_sessions.c.expires_at < now))
            conn.execute(web_sessions.insert().values(
                id_sha256=_digest(session_id), name=name, role=role, via=via,
                key_sha256=_digest(key) if key else None,
                csrf=secrets.token_urlsafe(24), created_at=now, expires_at=now + timedelta(hours=hours)))
        return session_id

    def session(self, session_id: str) -> WebSession | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(web_sessions).where(
                web_sessions.c.id_sha256 == _digest(session_id),
                web_sessions.c.expires_at > datetime.now(timezone.utc))).mappings().first()
        if row is None:
            return None
        return WebSession(row["name"], row["role"], row["via"], row["key_sha256"], row["csrf"])

    def close_session(self, session_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(web_sessions.delete().where(web_sessions.c.id_sha256 == _digest(session_id)))
