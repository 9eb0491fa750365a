"""A proposal remembers the row it was made from, not only its version: a record deleted and
created again starts at version 1 anew, and must not take a proposal made from the old one.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("proposals") as batch:
        batch.add_column(sa.Column("base_record", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("proposals") as batch:
        batch.drop_column("base_record")
