"""The agreement schema shared by curated records and (later) the ATOP import.

An agreement has members with dated spells, obligations owed among them (with conditions where
known), institutions, an optional link to ATOP's ``atopid`` and the sources for every fact.
Dates carry their precision: ``"2015"``, ``"2015-12"`` or ``"2015-12-15"``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Literal

Precision = Literal["year", "month", "day"]
Certainty = Literal["certain", "inferred"]
KINDS = (
    "alliance_treaty",
    "collective_defence_organisation",
    "coalition",
    "defence_cooperation_agreement",
    "organisation",  # groups without defence obligations of their own (OIC, Arab League)
    "unilateral_commitment",  # one state's executive act, not a treaty (US order on Qatar, 2025)
    "designation",  # a status one state grants others, with no pledge (US Major Non-NATO Ally)
    "cooperation_arrangement",  # a body or arrangement for cooperation, with no pledge
)
# Kinds that never carry a pledge: their ties show as cooperation, never as alliances.
NO_PLEDGE_KINDS = ("coalition", "designation", "cooperation_arrangement", "organisation")
# What has become of an ATOP alliance since ATOP's last coding day (see AtopStatus).
STATUSES = ("in_force", "member_left", "ended", "superseded", "no_record")
OBLIGATION_TYPES = ("defence", "offence", "neutrality", "non_aggression", "consultation")
INSTITUTIONS = ("integrated_command", "bases", "standing_organisation", "military_aid")
# The ATOP column each obligation type corresponds to.
ATOP_COLUMN = {
    "defence": "atop_defense",
    "offence": "atop_offense",
    "neutrality": "atop_neutral",
    "non_aggression": "atop_nonagg",
    "consultation": "atop_consul",
}
StateId = int | str
"""A COW state code, or the identifier of a declared non-system member (``"PSE"``)."""


@dataclass(frozen=True)
class FuzzyDate:
    """A date known to a year, a month or a day."""

    text: str
    precision: Precision

    @property
    def first_day(self) -> datetime.date:
        """The earliest day the text can mean."""
        parts = [int(p) for p in self.text.split("-")]
        return datetime.date(parts[0], parts[1] if len(parts) > 1 else 1,
                             parts[2] if len(parts) > 2 else 1)

    @property
    def last_day(self) -> datetime.date:
        """The latest day the text can mean."""
        parts = [int(p) for p in self.text.split("-")]
        if len(parts) == 3:
            return datetime.date(parts[0], parts[1], parts[2])
        if len(parts) == 2:
            following = datetime.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return following - datetime.timedelta(days=1)
        return datetime.date(parts[0], 12, 31)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class SourceRef:
    """A public source: where it is, when it was published, and what it supports."""

    id: str
    url: str
    published: str
    publisher: str
    supports: str


@dataclass(frozen=True)
class MemberSpell:
    """A state's membership of an agreement, from ``entry`` to ``exit`` (open when None)."""

    state: StateId
    entry: FuzzyDate
    exit: FuzzyDate | None
    certainty: Certainty
    sources: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Conditions:
    """When an obligation applies; ``None`` means the record does not say (unknown)."""

    adversary: tuple[StateId, ...] | None = None
    location: str | None = None
    non_provocation: bool | None = None


@dataclass(frozen=True)
class Obligation:
    """An obligation of one type owed by ``pledged_by`` to ``pledged_to`` (``"all"``: every
    member, each to every other member)."""

    type: str
    pledged_by: tuple[StateId, ...] | Literal["all"]
    pledged_to: tuple[StateId, ...] | Literal["all"]
    conditions: Conditions
    text: str
    certainty: Certainty
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Agreement:
    """One alliance, coalition, collective-defence organisation or cooperation agreement."""

    id: str
    name_en: str
    kind: str
    signed: FuzzyDate | None
    in_force: FuzzyDate | None
    ended: FuzzyDate | None
    members: tuple[MemberSpell, ...]
    obligations: tuple[Obligation, ...]
    sources: tuple[SourceRef, ...]
    fact_sources: tuple[str, ...]
    name_ar: str = ""
    atopid: int | None = None
    institutions: tuple[str, ...] = ()
    notes: str = ""
    gaps: tuple[str, ...] = field(default=())
    cooperation_type: str = ""
    concluded: bool = True  # False: agreed in principle, never concluded (may have no members)
    path: str = ""


@dataclass(frozen=True)
class MemberExit:
    """A member leaving an ATOP alliance after 2018: ``exit`` is the day the exit took effect,
    its last day as a member (as ATOP's own exit days)."""

    state: StateId
    exit: FuzzyDate
    certainty: Certainty
    sources: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class AtopStatus:
    """What has become of an ATOP alliance since ATOP's last coding day, 31 December 2018.

    ``status`` is one of :data:`STATUSES`; ``ended`` (the alliance's last day) is set for
    ``ended`` and ``superseded``; ``exits`` lists members that left. A pledge ATOP codes as in
    force on 31 December 2018 is carried past it until ``ended`` or the exit of its giver or
    receiver."""

    atopid: int
    name_en: str
    status: str
    evidence: str
    sources: tuple[SourceRef, ...]
    fact_sources: tuple[str, ...]
    ended: FuzzyDate | None = None
    superseded_by: str = ""
    exits: tuple[MemberExit, ...] = ()
    notes: str = ""
    gaps: tuple[str, ...] = ()
    path: str = ""
