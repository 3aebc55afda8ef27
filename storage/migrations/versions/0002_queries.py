"""What the portal and archivists ask: validity dates, dossier links, diacritic-free full text."""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("issued_on", sa.Date))
        batch.add_column(sa.Column("valid_until", sa.Date))
        batch.add_column(sa.Column("search_text", sa.Text))
    op.create_index("ix_documents_owner_kind_created", "documents", ["owner_id", "kind", "created_at"])
    op.create_index("ix_documents_agency_kind_created", "documents", ["agency_id", "kind", "created_at"])
    op.create_table(
        "dossier_documents",
        sa.Column("dossier_code", sa.String(80), primary_key=True),
        sa.Column("document_code", sa.String(80), primary_key=True, index=True),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_documents_search ON documents USING gin (to_tsvector('simple', search_text))")
    else:
        op.execute("CREATE VIRTUAL TABLE documents_fts USING fts5(code UNINDEXED, search_text)")
