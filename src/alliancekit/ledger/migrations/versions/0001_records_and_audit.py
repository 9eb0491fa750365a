"""The records, their entries, obligations, conditions and sources; accounts; the append-only
audit log (triggers refuse to update or delete its rows).

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

APPEND_ONLY = "the audit log is append-only"


def upgrade() -> None:
    op.create_table(
        "records",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("folder", sa.String(20), nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("record_id", sa.Text),
        sa.Column("atopid", sa.Integer),
        sa.Column("name_en", sa.Text),
        sa.Column("name_ar", sa.Text),
        sa.Column("kind", sa.Text),
        sa.Column("status", sa.Text),
        sa.Column("signed", sa.String(10)),
        sa.Column("in_force", sa.String(10)),
        sa.Column("ended", sa.String(10)),
        sa.Column("superseded_by", sa.Text),
        sa.Column("concluded", sa.Boolean),
        sa.Column("cooperation_type", sa.Text),
        sa.Column("institutions", sa.JSON),
        sa.Column("evidence", sa.Text),
        sa.Column("sources", sa.JSON),
        sa.Column("notes", sa.Text),
        sa.Column("gaps", sa.JSON),
        sa.Column("extra", sa.JSON),
        sa.Column("version", sa.Integer, nullable=False),
        sa.UniqueConstraint("folder", "key"),
    )
    op.create_table(
        "entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("record_pk", sa.Integer, sa.ForeignKey("records.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("list_name", sa.String(10), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("ccode", sa.Integer),
        sa.Column("state_text", sa.Text),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("entry", sa.String(10)),
        sa.Column("exit", sa.String(10)),
        sa.Column("certainty", sa.Text),
        sa.Column("sources", sa.JSON),
        sa.Column("note", sa.Text),
        sa.Column("extra", sa.JSON),
    )
    op.create_table(
        "obligations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("record_pk", sa.Integer, sa.ForeignKey("records.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("type", sa.Text),
        sa.Column("pledged_by", sa.JSON),
        sa.Column("pledged_to", sa.JSON),
        sa.Column("text", sa.Text),
        sa.Column("certainty", sa.Text),
        sa.Column("sources", sa.JSON),
        sa.Column("extra", sa.JSON),
    )
    op.create_table(
        "conditions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("obligation_pk", sa.Integer,
                  sa.ForeignKey("obligations.id", ondelete="CASCADE"), nullable=False,
                  unique=True),
        sa.Column("adversary", sa.JSON),
        sa.Column("location", sa.Text),
        sa.Column("non_provocation", sa.Boolean),
        sa.Column("extra", sa.JSON),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("record_pk", sa.Integer, sa.ForeignKey("records.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("source_id", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("published", sa.Text),
        sa.Column("publisher", sa.Text),
        sa.Column("supports", sa.Text),
        sa.Column("extra", sa.JSON),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("folder", sa.String(20)),
        sa.Column("key", sa.String(100)),
        sa.Column("before", sa.Text),
        sa.Column("after", sa.Text),
        sa.Column("comment", sa.Text, nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON "
                       f"audit_log BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END")
    else:
        op.execute("CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$ BEGIN "
                   f"RAISE EXCEPTION '{APPEND_ONLY}'; END $$ LANGUAGE plpgsql")
        op.execute("CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
                   "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()")
        op.execute("CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
                   "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()")


def downgrade() -> None:
    for table in ("audit_log", "users", "sources", "conditions", "obligations", "entries",
                  "records"):
        op.drop_table(table)
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
