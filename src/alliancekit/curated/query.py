"""Questions asked of the curated records: who belongs to a group, who pledged what to whom.

Imprecise dates are read conservatively: a state counts as a member only from the last day its
entry date could mean (``"1969"`` counts from 31 December 1969) and until the first day its exit
date could mean.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import pandas as pd

from alliancekit.curated.model import Agreement, MemberSpell, StateId
from alliancekit.curated.records import known_states, load_agreements, load_groups
from alliancekit.errors import UsageError


def parse_day(text: str | datetime.date, argument: str = "--on") -> datetime.date:
    """A day from ``YYYY-MM-DD``; anything else is a usage error naming ``argument``."""
    if isinstance(text, datetime.date):
        return text
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{argument} {text!r}: give a day as YYYY-MM-DD") from None


def active(spell: MemberSpell, day: datetime.date) -> bool:
    """Whether ``spell`` certainly covers ``day``."""
    if spell.entry.last_day > day:
        return False
    return spell.exit is None or day <= spell.exit.first_day


def in_force(agreement: Agreement, day: datetime.date) -> bool:
    """Whether the agreement had been signed and had not ended on ``day``."""
    if agreement.signed is not None and agreement.signed.last_day > day:
        return False
    return agreement.ended is None or day <= agreement.ended.first_day


def members_on(agreement: Agreement, day: datetime.date) -> list[StateId]:
    """The members of ``agreement`` on ``day``, in the record's order, each once."""
    if not in_force(agreement, day):
        return []
    return list(dict.fromkeys(s.state for s in agreement.members if active(s, day)))


def get_group(name: str) -> Agreement:
    """The group or agreement called ``name`` (``oic``, ``arab_league``, ``gcc``, ``imctc``)."""
    groups = load_groups()
    if name in groups:
        return groups[name]
    for agreement in load_agreements():
        if agreement.id == name:
            return agreement
    known = sorted([*groups, *(a.id for a in load_agreements())])
    raise UsageError(f"unknown group {name!r}; known: {', '.join(known)}")


def group_members(name: str, on: str | datetime.date) -> pd.DataFrame:
    """The members of group ``name`` on day ``on``: ``state, name, in_system, entry, sources``.

    >>> sorted(group_members("gcc", "2020-01-01")["state"])
    [670, 690, 692, 694, 696, 698]
    """
    group = get_group(name)
    day = parse_day(on)
    states = known_states()
    rows = []
    for spell in group.members:
        if active(spell, day) and in_force(group, day):
            known = states[spell.state]
            rows.append({"state": spell.state, "name": known.name, "in_system": known.in_system,
                         "entry": str(spell.entry), "certainty": spell.certainty,
                         "sources": ", ".join(spell.sources)})
    frame = pd.DataFrame(rows, columns=["state", "name", "in_system", "entry", "certainty",
                                        "sources"])
    return frame.drop_duplicates("state").reset_index(drop=True)


def pledges_on(
    on: str | datetime.date, agreements: Iterable[Agreement] | None = None
) -> pd.DataFrame:
    """Every directed pledge in force on day ``on`` in the curated records.

    Columns: ``ccode1`` (pledges), ``ccode2`` (is pledged to), ``agreement``, ``obligation``,
    ``text``, ``certainty``, ``sources``. Non-system members keep their own identifier.

    >>> pledges = pledges_on("2025-10-01")
    >>> pledges[(pledges.ccode1 == 770) & (pledges.ccode2 == 670)].obligation.tolist()
    ['defence']
    """
    day = parse_day(on)
    rows = []
    for agreement in agreements if agreements is not None else load_agreements():
        members = members_on(agreement, day)
        for obligation in agreement.obligations:
            by = members if obligation.pledged_by == "all" else [
                s for s in obligation.pledged_by if s in members]
            to = members if obligation.pledged_to == "all" else [
                s for s in obligation.pledged_to if s in members]
            for giver in by:
                for receiver in to:
                    if giver != receiver:
                        rows.append({
                            "ccode1": giver, "ccode2": receiver, "agreement": agreement.id,
                            "obligation": obligation.type, "text": obligation.text,
                            "certainty": obligation.certainty,
                            "sources": ", ".join(obligation.sources),
                        })
    return pd.DataFrame(rows, columns=["ccode1", "ccode2", "agreement", "obligation", "text",
                                       "certainty", "sources"])
