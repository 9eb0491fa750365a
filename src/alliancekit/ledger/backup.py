"""Backing up the ledger to one file and restoring it, on any database.

A backup is a zip file: ``manifest.json`` (the schema revision, the alliancekit version, the
row counts) and one JSON Lines file per table, every row with every column. It is written
atomically and read back into an empty ledger in one transaction, so a restore gives the same
records, accounts, proposals and audit log, whichever database either side runs on (a SQLite
backup restores into PostgreSQL).
"""

from __future__ import annotations

import datetime
import json
import zipfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine

from alliancekit import __version__
from alliancekit.errors import UsageError
from alliancekit.io import atomic_path
from alliancekit.ledger.models import AuditEntry, Base

FORMAT = 1


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime):  # kept in UTC, with its offset
        aware = value if value.tzinfo else value.replace(tzinfo=datetime.UTC)
        return aware.astimezone(datetime.UTC).isoformat()
    return value


def _typed(table: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
    """A backed-up row with its date-times read back (by column type, not by the values'
    shape, so a record's own data is never taken for one)."""
    for column in table.columns:
        if isinstance(column.type, sa.DateTime) and isinstance(row.get(column.name), str):
            row[column.name] = datetime.datetime.fromisoformat(row[column.name])
    return row


def _revision(connection: sa.Connection) -> str | None:
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def backup(engine: Engine, path: Path) -> dict[str, int]:
    """Write every table of the ledger to the zip file ``path``; the row count of each."""
    counts: dict[str, int] = {}
    # one snapshot of every table (PostgreSQL: a repeatable-read transaction; SQLite's are)
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" \
        else {}
    with atomic_path(path) as temporary, \
            engine.connect().execution_options(**options) as connection, \
            connection.begin(), \
            zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        revision = _revision(connection)
        if revision is None:
            raise UsageError(f"{engine.url.render_as_string(hide_password=True)}: no ledger "
                             "there to back up")
        for table in Base.metadata.sorted_tables:
            rows = connection.execute(sa.select(table).order_by(*table.primary_key.columns))
            lines = [json.dumps({k: _plain(v) for k, v in row._mapping.items()},
                                ensure_ascii=False, sort_keys=True) for row in rows]
            counts[table.name] = len(lines)
            archive.writestr(f"{table.name}.jsonl", "".join(line + "\n" for line in lines))
        archive.writestr("manifest.json", json.dumps(
            {"format": FORMAT, "revision": revision, "alliancekit": __version__,
             "counts": counts}, indent=2, sort_keys=True))
    return counts


def restore(engine: Engine, path: Path) -> dict[str, int]:
    """Load the backup ``path`` into the ledger at ``engine``, which must be empty and at the
    backup's schema revision; all or nothing."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise UsageError(f"{path}: not a ledger backup ({exc})") from None
    with archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except (KeyError, ValueError) as exc:
            raise UsageError(f"{path}: not a ledger backup (no manifest: {exc})") from None
        if manifest.get("format") != FORMAT:
            raise UsageError(f"{path}: backup format {manifest.get('format')!r}; this version "
                             f"reads format {FORMAT}")
        with engine.begin() as connection:
            revision = _revision(connection)
            if revision != manifest["revision"]:
                raise UsageError(f"{path}: the backup is at schema {manifest['revision']}, the "
                                 f"ledger at {revision}; run alliancekit ledger init first")
            for table in Base.metadata.sorted_tables:
                if connection.execute(sa.select(sa.func.count()).select_from(table)).scalar():
                    raise UsageError(f"the ledger's {table.name} table is not empty; restore "
                                     "into a new ledger")
            counts = {}
            for table in Base.metadata.sorted_tables:
                text = archive.read(f"{table.name}.jsonl").decode("utf-8")
                rows = [_typed(table, json.loads(line)) for line in text.splitlines() if line]
                if rows:
                    connection.execute(table.insert(), rows)
                counts[table.name] = len(rows)
                if counts[table.name] != manifest["counts"].get(table.name):
                    raise UsageError(f"{path}: {table.name} holds {counts[table.name]} rows, "
                                     f"the manifest says {manifest['counts'].get(table.name)}")
            connection.execute(sa.insert(AuditEntry).values(
                at=datetime.datetime.now(datetime.UTC), actor="ledger", action="restore",
                comment=f"{path.name}: {sum(counts.values())} rows"))
            if connection.dialect.name == "postgresql":  # the id sequences follow the rows
                for table in Base.metadata.sorted_tables:
                    connection.execute(sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
    return counts
