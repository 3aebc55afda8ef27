"""Dossiers opened at the counter (owner, procedure) and the last signature check of each document."""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.create_table(
        "dossiers",
        sa.Column("code", sa.String(80), primary_key=True),
        sa.Column("owner_id", sa.String(40), index=True),
        sa.Column("procedure", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("created_by", sa.String(120)),
    )
    op.create_table(
        "signature_checks",
        sa.Column("document_code", sa.String(80), primary_key=True),
        sa.Column("valid", sa.Boolean, nullable=False),
        sa.Column("trusted", sa.Boolean, nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
    )
