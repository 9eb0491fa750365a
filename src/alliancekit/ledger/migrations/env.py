"""Alembic's entry point for the ledger: runs the migrations on the connection the caller
passes (:func:`alliancekit.ledger.db.upgrade`)."""

from __future__ import annotations

from alembic import context

from alliancekit.ledger.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
