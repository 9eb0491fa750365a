"""Where the ledger lives and how to open it: ``ALLIANCEKIT_DB`` (a SQLAlchemy URL such as
``postgresql+psycopg://user@host/ledger``) or, by default, a SQLite file in the user data
directory; the schema is created and upgraded by the Alembic migrations shipped with the
package (:func:`upgrade`)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DB_SETTING = "ALLIANCEKIT_DB"


def database_url(url: str | None = None) -> str:
    """``url``, else ``ALLIANCEKIT_DB``, else the SQLite file ``ledger.sqlite3`` in the user
    data directory."""
    found = url or os.environ.get(DB_SETTING)
    if found:
        return found
    folder = Path(platformdirs.user_data_dir("alliancekit"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'ledger.sqlite3'}"


def _sqlite_pragmas(connection: Any, record: Any) -> None:
    connection.isolation_level = None  # transactions begun below, not by the driver
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 30000")  # writers wait for each other, not fail
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # Take the write lock when the transaction starts, so two writers run one after the
    # other and the second reads what the first wrote (its row-version check then fails
    # cleanly) instead of failing to upgrade a stale read.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def connect(url: str | None = None) -> Engine:
    """An engine on the ledger at ``url`` (see :func:`database_url`)."""
    engine = create_engine(database_url(url))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def migrations() -> Config:
    """The Alembic configuration of the shipped migrations."""
    config = Config()
    config.set_main_option("script_location",
                           str(resources.files("alliancekit.ledger") / "migrations"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the ledger's tables to ``revision`` (all migrations by default)."""
    config = migrations()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed at the end of the block, or rolled back entirely when
    the block fails."""
    with sessionmaker(engine)() as session, session.begin():
        yield session
