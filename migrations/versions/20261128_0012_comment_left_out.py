"""comment left out: an organiser keeps a comment off the public page without deleting it

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("comment") as batch:
        batch.add_column(
            sa.Column("left_out", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("comment") as batch:
        batch.drop_column("left_out")
