"""Named staff accounts (argon2id password hashes), the web pages' sessions held on the server, and a
detail column on the audit trail."""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("display_name", sa.String(120)),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.Text),  # none for people who sign in through the province's SSO
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id_sha256", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("via", sa.String(10), nullable=False),  # key, password or sso
        sa.Column("key_sha256", sa.String(64), index=True),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, index=True),
    )
    op.create_index("web_sessions_name", "web_sessions", ["name"])
    # What an audit line is about besides a document: a receipt, an e-form version.
    op.add_column("audit_log", sa.Column("detail", sa.String(120)))
