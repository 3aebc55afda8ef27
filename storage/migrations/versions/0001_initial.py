"""Documents and code sequences, as the first catalog had them."""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "documents",
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
    op.create_table(
        "code_sequences",
        sa.Column("scope", sa.String(120), primary_key=True),
        sa.Column("last_value", sa.BigInteger, nullable=False),
    )
