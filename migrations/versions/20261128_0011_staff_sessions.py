"""staff sessions: a signed-in browser is a row, deleted on sign-out or a new password

Revision ID: 0011
Revises: 0009
Create Date: 2026-11-28 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staffsession",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_staffsession_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staffsession")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staffsession_token_hash")),
    )
    with op.batch_alter_table("staffsession") as batch:
        batch.create_index(batch.f("ix_staffsession_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("staffsession") as batch:
        batch.drop_index(batch.f("ix_staffsession_user_id"))
    op.drop_table("staffsession")
