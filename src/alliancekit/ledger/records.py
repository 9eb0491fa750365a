"""The curated records in and out of the ledger: import a records directory (the package's, by
default) in one transaction, and export the ledger back to TOML files in the canonical form
(:mod:`alliancekit.curated.writer`), so import followed by export gives the same files byte for
byte."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified

from alliancekit.curated.records import check_records, known_states
from alliancekit.curated.writer import leading_comment, record_toml, state_labels
from alliancekit.errors import CurationError, UsageError
from alliancekit.io import atomic_path
from alliancekit.ledger.db import transaction
from alliancekit.ledger.models import (
    FOLDERS,
    AuditEntry,
    ConditionRow,
    Entry,
    ObligationRow,
    Record,
    SourceRow,
)
from alliancekit.locations import shipped_dir

# TOML key -> column, for the fields that have a column of their own; others go to ``extra``.
TOP = {"id": "record_id", **{k: k for k in (
    "atopid", "name_en", "name_ar", "kind", "status", "signed", "in_force", "ended",
    "superseded_by", "concluded", "cooperation_type", "institutions", "evidence", "sources",
    "notes", "gaps")}}
ENTRY = {k: k for k in ("entry", "exit", "certainty", "sources", "note")}
OBLIGATION = {k: k for k in ("type", "pledged_by", "pledged_to", "text", "certainty",
                             "sources")}
CONDITION = {k: k for k in ("adversary", "location", "non_provocation")}
SOURCE = {"id": "source_id", **{k: k for k in ("url", "published", "publisher", "supports")}}


def _columns(table: Mapping[str, Any], names: Mapping[str, str], skip: tuple[str, ...] = ()
             ) -> dict[str, Any]:
    values = {column: table[key] for key, column in names.items() if key in table}
    extra = {k: v for k, v in table.items() if k not in names and k not in skip}
    values["extra"] = extra or None
    return values


def _fields(row: Any, names: Mapping[str, str]) -> dict[str, Any]:
    out = {key: getattr(row, column) for key, column in names.items()
           if getattr(row, column) is not None}
    out.update(row.extra or {})
    return out


@dataclass
class Parts:
    """A record's rows from its TOML text, not yet attached to a record row: the record's
    columns and its entries, obligations and sources in file order."""

    columns: dict[str, Any]
    entries: list[Entry]
    obligations: list[ObligationRow]
    sources: list[SourceRow]


def parts_from_text(text: str) -> Parts:
    """The rows of a record whose TOML text is ``text``."""
    data = tomllib.loads(text)
    labels = state_labels(text)
    parts = Parts({"comment": leading_comment(text),
                   **_columns(data, TOP, ("members", "exits", "obligations", "source"))},
                  [], [], [])
    for list_name in ("members", "exits"):
        for position, raw in enumerate(data.get(list_name, [])):
            state = raw.get("state")
            given = labels.get(list_name, [])
            parts.entries.append(Entry(
                list_name=list_name, position=position,
                ccode=state if isinstance(state, int) and not isinstance(state, bool) else None,
                state_text=state if isinstance(state, str) else None,
                label=given[position] if position < len(given) else "",
                **_columns(raw, ENTRY, ("state",))))
    for position, raw in enumerate(data.get("obligations", [])):
        row = ObligationRow(position=position, **_columns(raw, OBLIGATION, ("conditions",)))
        if "conditions" in raw:
            row.conditions = ConditionRow(**_columns(raw["conditions"], CONDITION))
        parts.obligations.append(row)
    for position, raw in enumerate(data.get("source", [])):
        parts.sources.append(SourceRow(position=position, **_columns(raw, SOURCE)))
    return parts


def replace_record(record: Record, text: str) -> None:
    """Give ``record`` the rows of ``text`` in place: the same row, so its version goes up
    when it is written (and a change made from an older version fails)."""
    parts = parts_from_text(text)
    for column, value in parts.columns.items():
        setattr(record, column, value)
    flag_modified(record, "comment")  # the row is written, and its version checked, always
    record.entries = parts.entries
    record.obligations = parts.obligations
    record.source_rows = parts.sources


def record_from_text(folder: str, key: str, text: str) -> Record:
    """A new record row (``folder/key.toml``) with the rows of its TOML ``text``."""
    parts = parts_from_text(text)
    return Record(folder=folder, key=key, **parts.columns, entries=parts.entries,
                  obligations=parts.obligations, source_rows=parts.sources)


def record_data(record: Record) -> dict[str, Any]:
    """The record as ``tomllib`` reads its file."""
    data = _fields(record, TOP)
    for list_name in ("members", "exits"):
        entries = [e for e in record.entries if e.list_name == list_name]
        if entries:
            data[list_name] = [
                {"state": e.ccode if e.ccode is not None else e.state_text,
                 **_fields(e, ENTRY)} if (e.ccode is not None or e.state_text is not None)
                else _fields(e, ENTRY) for e in entries]
    if record.obligations:
        data["obligations"] = []
        for row in record.obligations:
            entry = _fields(row, OBLIGATION)
            if row.conditions is not None:
                entry["conditions"] = _fields(row.conditions, CONDITION)
            data["obligations"].append(entry)
    if record.source_rows:
        data["source"] = [_fields(s, SOURCE) for s in record.source_rows]
    return data


def record_text(record: Record, names: Mapping[Any, str] | None = None) -> str:
    """The record's canonical TOML text."""
    labels = {list_name: [e.label for e in record.entries if e.list_name == list_name]
              for list_name in ("members", "exits")}
    return record_toml(record_data(record), comment=record.comment, labels=labels,
                       names=names if names is not None else _names())


def _names() -> dict[Any, str]:
    return {k: v.name for k, v in known_states(shipped_dir()).items()}


def _files(directory: Path) -> dict[tuple[str, str], Path]:
    return {(folder, path.stem): path for folder in FOLDERS
            for path in sorted((directory / folder).glob("*.toml"))}


@dataclass
class ImportReport:
    """What an import changed: records added, changed, removed and left as they were."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def _load_all(session: Session) -> dict[tuple[str, str], Record]:
    found = session.scalars(select(Record).options(
        selectinload(Record.entries), selectinload(Record.source_rows),
        selectinload(Record.obligations).selectinload(ObligationRow.conditions)))
    return {(r.folder, r.key): r for r in found}


def import_records(engine: Engine, directory: Path | None = None, *, actor: str,
                   comment: str = "") -> ImportReport:
    """Make the ledger hold exactly the records of ``directory`` (the package's by default):
    every record checked first as ``alliancekit data check`` checks it, then all of them
    written in one transaction, each change in the audit log. Nothing is written when any
    record is wrong."""
    root = directory or shipped_dir()
    problems = check_records(root)
    if problems:
        raise CurationError([f"{root}: nothing imported", *problems])
    files = _files(root)
    if not files:
        raise UsageError(f"{root}: no records (agreements/, groups/, atop_status/ *.toml)")
    names = _names()
    report = ImportReport()
    with transaction(engine) as session:
        existing = _load_all(session)
        for (folder, key), path in files.items():
            text = path.read_text(encoding="utf-8")
            record = record_from_text(folder, key, text)
            after = record_text(record, names)
            old = existing.get((folder, key))
            if old is None:
                session.add(record)
                report.added.append(f"{folder}/{key}")
                session.add(AuditEntry(actor=actor, action="import", folder=folder, key=key,
                                       before=None, after=after, comment=comment))
                continue
            before = record_text(old, names)
            if before == after:
                report.unchanged += 1
                continue
            replace_record(old, text)
            report.changed.append(f"{folder}/{key}")
            session.add(AuditEntry(actor=actor, action="import", folder=folder, key=key,
                                   before=before, after=after, comment=comment))
        for (folder, key), old in existing.items():
            if (folder, key) not in files:
                session.add(AuditEntry(actor=actor, action="import-remove", folder=folder,
                                       key=key, before=record_text(old, names), after=None,
                                       comment=comment))
                session.delete(old)
                report.removed.append(f"{folder}/{key}")
    return report


def export_records(engine: Engine, directory: Path) -> list[Path]:
    """Write every record of the ledger to ``directory`` (``agreements/``, ``groups/``,
    ``atop_status/``), each file atomically, and remove the record files there that the
    ledger no longer holds; the other files of ``directory`` are left alone."""
    if not sa.inspect(engine).has_table("records"):
        raise UsageError(f"{engine.url.render_as_string(hide_password=True)}: no ledger there "
                         "yet; create it with alliancekit ledger init (or ledger import)")
    names = _names()
    with transaction(engine) as session:
        texts = {(r.folder, r.key): record_text(r, names) for r in _load_all(session).values()}
    written = []
    for (folder, key), text in sorted(texts.items()):
        path = directory / folder / f"{key}.toml"
        with atomic_path(path) as temporary:
            temporary.write_text(text, encoding="utf-8")
        written.append(path)
    for (folder, key), path in _files(directory).items():
        if (folder, key) not in texts:
            path.unlink()
    return written
