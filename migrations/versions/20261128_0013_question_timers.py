"""question timers: a question's countdown can be started, paused and extended

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28 17:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("question") as batch:
        batch.add_column(sa.Column("timer_started_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("timer_remaining_seconds", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("question") as batch:
        batch.drop_column("timer_remaining_seconds")
        batch.drop_column("timer_started_at")
