"""The ledger's tables (SQLAlchemy 2): the curated records, their entries, the accounts and the
audit log.

A record is one TOML file of the curated records: an agreement, a group or an ATOP alliance's
status (``folder`` and ``key``, the file's folder and stem). Its top-level fields are columns;
its ``[[members]]`` and ``[[exits]]`` entries are :class:`Entry` rows, ``[[obligations]]``
:class:`ObligationRow` rows with their :class:`ConditionRow`, ``[[source]]`` :class:`SourceRow`
rows, each in file order. A field the file does not give is NULL, so a record exported
(:mod:`alliancekit.ledger.records`) is the table it was imported from. ``version`` is the row
version: an update that started from an older version fails instead of overwriting another
curator's change. The audit log is append-only: the database itself refuses to update or delete
its rows (the migration installs the triggers).
"""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

FOLDERS = ("agreements", "groups", "atop_status")
ROLES = ("viewer", "curator", "reviewer", "admin")


class Base(DeclarativeBase):
    """The ledger's declarative base."""



def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


class Record(Base):
    """One curated record (one TOML file)."""

    __tablename__ = "records"
    __table_args__ = (UniqueConstraint("folder", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    folder: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(100))
    comment: Mapped[str] = mapped_column(Text, default="")
    record_id: Mapped[str | None] = mapped_column(Text)
    atopid: Mapped[int | None] = mapped_column(Integer)
    name_en: Mapped[str | None] = mapped_column(Text)
    name_ar: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(Text)
    signed: Mapped[str | None] = mapped_column(String(10))
    in_force: Mapped[str | None] = mapped_column(String(10))
    ended: Mapped[str | None] = mapped_column(String(10))
    superseded_by: Mapped[str | None] = mapped_column(Text)
    concluded: Mapped[bool | None] = mapped_column(Boolean)
    cooperation_type: Mapped[str | None] = mapped_column(Text)
    institutions: Mapped[list[Any] | None] = mapped_column(JSON)
    evidence: Mapped[str | None] = mapped_column(Text)
    sources: Mapped[list[Any] | None] = mapped_column(JSON)
    notes: Mapped[str | None] = mapped_column(Text)
    gaps: Mapped[list[Any] | None] = mapped_column(JSON)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)

    entries: Mapped[list[Entry]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="Entry.position")
    obligations: Mapped[list[ObligationRow]] = relationship(
        back_populates="record", cascade="all, delete-orphan",
        order_by="ObligationRow.position")
    source_rows: Mapped[list[SourceRow]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="SourceRow.position")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own hook


class Entry(Base):
    """A ``[[members]]`` spell or an ``[[exits]]`` entry of a record."""

    __tablename__ = "entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_pk: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    list_name: Mapped[str] = mapped_column(String(10))  # members | exits
    position: Mapped[int] = mapped_column(Integer)
    ccode: Mapped[int | None] = mapped_column(Integer)  # a COW code ...
    state_text: Mapped[str | None] = mapped_column(Text)  # ... or a non-system id
    label: Mapped[str] = mapped_column(Text, default="")  # the comment naming the state
    entry: Mapped[str | None] = mapped_column(String(10))
    exit: Mapped[str | None] = mapped_column(String(10))
    certainty: Mapped[str | None] = mapped_column(Text)
    sources: Mapped[list[Any] | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    record: Mapped[Record] = relationship(back_populates="entries")


class ObligationRow(Base):
    """An ``[[obligations]]`` entry: who pledged what to whom."""

    __tablename__ = "obligations"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_pk: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    type: Mapped[str | None] = mapped_column(Text)
    pledged_by: Mapped[Any] = mapped_column(JSON, nullable=True)  # "all" or a list of states
    pledged_to: Mapped[Any] = mapped_column(JSON, nullable=True)
    text: Mapped[str | None] = mapped_column(Text)
    certainty: Mapped[str | None] = mapped_column(Text)
    sources: Mapped[list[Any] | None] = mapped_column(JSON)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    record: Mapped[Record] = relationship(back_populates="obligations")
    conditions: Mapped[ConditionRow | None] = relationship(
        back_populates="obligation", cascade="all, delete-orphan", uselist=False)


class ConditionRow(Base):
    """An obligation's ``[obligations.conditions]``: named adversaries, a location, whether it
    holds only against an unprovoked attack (NULL: the record does not say)."""

    __tablename__ = "conditions"

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_pk: Mapped[int] = mapped_column(ForeignKey("obligations.id", ondelete="CASCADE"),
                                               unique=True)
    adversary: Mapped[list[Any] | None] = mapped_column(JSON)
    location: Mapped[str | None] = mapped_column(Text)
    non_provocation: Mapped[bool | None] = mapped_column(Boolean)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    obligation: Mapped[ObligationRow] = relationship(back_populates="conditions")


class SourceRow(Base):
    """A ``[[source]]`` entry: where a fact is published and what it supports."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_pk: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    source_id: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(Text)
    supports: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    record: Mapped[Record] = relationship(back_populates="source_rows")


class User(Base):
    """An account: its role (:data:`ROLES`) and its password's Argon2 hash."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class AuditEntry(Base):
    """One event: who, when, what (the action and the record), before and after (each
    record's canonical TOML text). The database refuses to change or delete these rows."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    actor: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    folder: Mapped[str | None] = mapped_column(String(20))
    key: Mapped[str | None] = mapped_column(String(100))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str] = mapped_column(Text, default="")


PROPOSAL_ACTIONS = ("create", "update", "delete")
PROPOSAL_STATUSES = ("open", "approved", "rejected")
SCOPES = ("propose", "review", "admin")


class Proposal(Base):
    """A proposed change to one record: the record's whole new TOML text (none to delete it),
    the version it was made from, why, and the sources for it; open until a reviewer other
    than its proposer approves (publishing it) or rejects it."""

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    folder: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(10))
    text: Mapped[str | None] = mapped_column(Text)
    base_version: Mapped[int | None] = mapped_column(Integer)
    base_record: Mapped[int | None] = mapped_column(Integer)  # the row it was made from
    why: Mapped[str] = mapped_column(Text)
    sources: Mapped[list[Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="open")
    proposer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    review_comment: Mapped[str | None] = mapped_column(Text)
    created: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    decided: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)

    proposer: Mapped[User] = relationship(foreign_keys=[proposer_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own hook


class Token(Base):
    """An API token: only its SHA-256 digest is kept; scoped (:data:`SCOPES`) and revocable."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[Any]] = mapped_column(JSON)
    created: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    revoked: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()
