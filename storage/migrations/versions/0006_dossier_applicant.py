"""Who brought a dossier (name, phone, address) and the date its result is promised."""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.add_column("dossiers", sa.Column("applicant_name", sa.String(120)))
    op.add_column("dossiers", sa.Column("applicant_phone", sa.String(20)))
    op.add_column("dossiers", sa.Column("applicant_address", sa.String(300)))
    op.add_column("dossiers", sa.Column("promised_on", sa.Date))
