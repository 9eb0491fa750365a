"""Changing the records: a curator proposes, another person reviews, approval publishes.

A proposal carries a record's whole new TOML text (or none, to delete it), why, and the sources
for the change. It is checked as ``alliancekit data check`` checks a record file, its errors
named by field, and kept in the canonical form. A reviewer other than the proposer approves it
or rejects it with a comment. Approval writes the record in the same transaction, and only if
the record is still at the version the proposal started from: the record's row version makes a
second approval from the same starting point fail with :class:`Conflict` instead of silently
overwriting the first. Every step is in the audit log, with the record's text before and after.
"""

from __future__ import annotations

import datetime
import re
import tempfile
import tomllib
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from alliancekit.curated.records import known_states, parse_agreement, parse_atop_status
from alliancekit.errors import AlliancekitError, CurationError, UsageError
from alliancekit.ledger.auth import Denied, require
from alliancekit.ledger.models import (
    FOLDERS,
    AuditEntry,
    ObligationRow,
    Proposal,
    Record,
    User,
)
from alliancekit.ledger.records import record_from_text, record_text, replace_record
from alliancekit.locations import shipped_dir

_KEY = re.compile(r"^[a-z0-9_]{1,100}$")


class Conflict(AlliancekitError):
    """The record changed after the proposal was made (or the proposal was decided by
    someone else first): nothing was written."""

    status = 409


def _record(session: Session, folder: str, key: str) -> Record | None:
    return session.scalar(select(Record).where(Record.folder == folder, Record.key == key)
                          .options(selectinload(Record.entries),
                                   selectinload(Record.source_rows),
                                   selectinload(Record.obligations)
                                   .selectinload(ObligationRow.conditions)))


def checked_text(folder: str, key: str, text: str) -> str:
    """``text`` checked as a record file ``folder/key.toml`` and put in canonical form;
    :class:`CurationError` lists every problem by field."""
    if folder not in FOLDERS:
        raise UsageError(f"folder {folder!r}: choose from {', '.join(FOLDERS)}")
    if not _KEY.match(key):
        raise UsageError(f"key {key!r}: give lower-case letters, digits and '_' (the file name)")
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CurationError([f"{key}.toml: not TOML: {exc}"]) from None
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / f"{key}.toml"
        path.write_text(text, encoding="utf-8")
        parse = parse_atop_status if folder == "atop_status" else parse_agreement
        problems = parse(path, known_states(shipped_dir()))[1]
    if problems:
        raise CurationError(problems)
    try:
        canonical = record_text(record_from_text(folder, key, text))
        same = tomllib.loads(canonical) == tomllib.loads(text)
    except (ValueError, UnicodeError, tomllib.TOMLDecodeError) as exc:
        raise CurationError([f"{key}.toml: cannot be kept as a record: {exc}"]) from None
    if not same:
        raise CurationError([f"{key}.toml: a value the records cannot hold (keep to the "
                             "fields of the other records)"])
    return canonical


def propose(session: Session, user: User | None, folder: str, key: str, text: str | None, *,
            why: str, sources: Sequence[str]) -> Proposal:
    """A proposal to create or change record ``folder/key`` to ``text``, or to delete it
    (``text`` None), from the record's current version."""
    author = require(user, "propose")
    if not why.strip():
        raise UsageError("why: say why the record should change")
    given = [s.strip() for s in sources if s.strip()]
    if not given:
        raise UsageError("sources: give at least one source for the change")
    current = _record(session, folder, key)
    if current is None and folder != "atop_status" and session.scalar(select(Record.id).where(
            Record.folder.in_(("agreements", "groups")), Record.key == key)) is not None:
        raise UsageError(f"key {key!r}: an agreement or group of that id exists; an id names "
                         "one record")
    if text is None:
        if current is None:
            raise UsageError(f"{folder}/{key}: no such record to delete")
        action, canonical = "delete", None
    else:
        canonical = checked_text(folder, key, text)
        action = "update" if current is not None else "create"
        if current is not None and record_text(current) == canonical:
            raise UsageError(f"{folder}/{key}: the text is the record as it stands")
    proposal = Proposal(folder=folder, key=key, action=action, text=canonical,
                        base_version=None if current is None else current.version,
                        base_record=None if current is None else current.id,
                        why=why.strip(), sources=given, status="open", proposer_id=author.id)
    session.add(proposal)
    session.flush()
    session.add(AuditEntry(actor=author.name, action="propose", folder=folder, key=key,
                           before=None if current is None else record_text(current),
                           after=canonical, comment=f"proposal {proposal.id}: {why.strip()}"))
    return proposal


def decide(session: Session, user: User | None, proposal_id: int, *, approve: bool,
           comment: str = "") -> Proposal:
    """Approve (and publish) or reject proposal ``proposal_id``. The reviewer may not be its
    proposer; approval fails with :class:`Conflict` when the record is no longer at the
    version the proposal started from."""
    reviewer = require(user, "review")
    proposal = session.get(Proposal, proposal_id)
    if proposal is None:
        raise UsageError(f"proposal {proposal_id}: no such proposal")
    if proposal.status != "open":
        raise Conflict(f"proposal {proposal_id} is already {proposal.status}")
    if proposal.proposer_id == reviewer.id:
        raise Denied("nobody may review their own proposal; ask another reviewer")
    if approve and not comment.strip():
        comment = "approved"
    if not approve and not comment.strip():
        raise UsageError("comment: say why the proposal is rejected")
    conflict = _conflict(proposal)  # worded now: after a failed write the rows are gone
    current = _record(session, proposal.folder, proposal.key)
    before = None if current is None else record_text(current)
    if approve:
        _apply(session, proposal, current)
    proposal.status = "approved" if approve else "rejected"
    proposal.reviewer_id = reviewer.id
    proposal.review_comment = comment.strip()
    proposal.decided = datetime.datetime.now(datetime.UTC)
    session.add(AuditEntry(actor=reviewer.name, action="approve" if approve else "reject",
                           folder=proposal.folder, key=proposal.key, before=before,
                           after=proposal.text if approve else before,
                           comment=f"proposal {proposal.id}: {comment.strip()}"))
    try:
        session.flush()
    except (StaleDataError, IntegrityError):  # another approval wrote the record first
        raise conflict from None
    return proposal


def _conflict(proposal: Proposal) -> Conflict:
    return Conflict(f"proposal {proposal.id}: {proposal.folder}/{proposal.key} changed after "
                    f"the proposal was made (from version {proposal.base_version}); nothing "
                    "was written: propose the change again from the record as it is now")


def _apply(session: Session, proposal: Proposal, current: Record | None) -> None:
    """Write the proposal's record, checking the version it started from."""
    if proposal.action == "create":
        if current is not None:
            raise _conflict(proposal)
        assert proposal.text is not None
        session.add(record_from_text(proposal.folder, proposal.key, proposal.text))
        return
    if current is None or current.id != proposal.base_record or \
            current.version != proposal.base_version:
        raise _conflict(proposal)
    if proposal.action == "delete":
        session.delete(current)
        return
    assert proposal.text is not None
    replace_record(current, proposal.text)
