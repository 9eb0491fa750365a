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
)
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
    path: str = ""
