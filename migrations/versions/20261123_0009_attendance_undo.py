"""attendance undo: an undo entry names the tap it takes back

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attendanceentry") as batch:
        batch.add_column(sa.Column("undoes_id", sa.Integer(), nullable=True))
        batch.create_index("ix_attendanceentry_undoes_id", ["undoes_id"], unique=False)
        batch.create_foreign_key(
            "fk_attendanceentry_undoes_id_attendanceentry",
            "attendanceentry",
            ["undoes_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("attendanceentry") as batch:
        batch.drop_constraint("fk_attendanceentry_undoes_id_attendanceentry", type_="foreignkey")
        batch.drop_index("ix_attendanceentry_undoes_id")
        batch.drop_column("undoes_id")
