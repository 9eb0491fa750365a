"""The curated records as directed dyad-years, in ATOP's shape, and how they compare with ATOP.

A state counts as a member of an agreement in every year its membership spell touches (ATOP's
dyad-year files count a year in which an alliance was in effect on any day), read from the
spell's widest reading: ``"2015"`` touches 2015. A directed dyad-year (a, b, year) carries the
obligations ``a`` owed ``b`` that year under any curated agreement; ``atop_alliance`` is 1 when
the two belonged to one agreement that carries at least one obligation, as ATOP's ``atopally``
(coalitions and cooperation agreements without a pledge are not alliances). Members outside the
state system (``"PSE"``) are left out: the panels are built on COW codes.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.curated.model import ATOP_COLUMN, Agreement
from alliancekit.curated.records import load_agreements
from alliancekit.sources.atop import ATOP, load_atop_members

OBLIGATION_COLUMNS = tuple(ATOP_COLUMN.values())
DYAD_COLUMNS = ("ccode1", "ccode2", "year", "atop_alliance", *OBLIGATION_COLUMNS)
LAST_YEAR = 2100  # open spells run to the current year; this only bounds the arithmetic


def member_years(agreement: Agreement, until: int) -> pd.DataFrame:
    """``state, year`` for each year a state-system member belonged to ``agreement``."""
    first_allowed = agreement.signed.first_day.year if agreement.signed else 0
    last_allowed = agreement.ended.last_day.year if agreement.ended else until
    rows: list[tuple[int, int]] = []
    for spell in agreement.members:
        if isinstance(spell.state, str):
            continue
        first = max(spell.entry.first_day.year, first_allowed)
        last = min(spell.exit.last_day.year if spell.exit else until, last_allowed, until)
        rows += [(spell.state, year) for year in range(first, last + 1)]
    frame = pd.DataFrame(rows, columns=["state", "year"], dtype=np.int64)
    return frame.drop_duplicates(ignore_index=True)


def _pairs(members: pd.DataFrame, by: object, to: object) -> pd.DataFrame:
    """Directed pairs (giver, receiver, year) among ``members`` for one obligation."""
    givers = members if by == "all" else members[members["state"].isin(list(by))]  # type: ignore[call-overload]
    receivers = members if to == "all" else members[members["state"].isin(list(to))]  # type: ignore[call-overload]
    pairs = givers.merge(receivers, on="year", suffixes=("1", "2"))
    pairs = pairs[pairs["state1"] != pairs["state2"]]
    return pairs.rename(columns={"state1": "ccode1", "state2": "ccode2"})


def curated_dyad_years(
    agreements: Iterable[Agreement] | None = None, *, until: int | None = None
) -> pd.DataFrame:
    """Directed dyad-years of the curated obligations, one row per dyad-year with any.

    Columns: ``ccode1, ccode2, year, atop_alliance, atop_defense, atop_offense, atop_neutral,
    atop_nonagg, atop_consul`` (int8 0/1). ``until`` caps open spells (default: this year).

    >>> smda = [a for a in load_agreements() if a.id == "saudi_pakistan_smda"]
    >>> d = curated_dyad_years(smda, until=2025)
    >>> d[["ccode1", "ccode2", "year", "atop_defense"]].values.tolist()
    [[670, 770, 2025, 1], [770, 670, 2025, 1]]
    """
    until = until or datetime.date.today().year
    parts = []
    for agreement in load_agreements() if agreements is None else agreements:
        if not agreement.obligations:
            continue
        members = member_years(agreement, until)
        shared = _pairs(members, "all", "all").assign(atop_alliance=1)
        parts.append(shared)
        for obligation in agreement.obligations:
            pairs = _pairs(members, obligation.pledged_by, obligation.pledged_to)
            parts.append(pairs.assign(**{ATOP_COLUMN[obligation.type]: 1}))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=np.int64 if c in ("ccode1", "ccode2", "year")
                                          else np.int8) for c in DYAD_COLUMNS})
    stacked = pd.concat(parts, ignore_index=True)
    for column in DYAD_COLUMNS[3:]:
        if column not in stacked:
            stacked[column] = 0
    out = (stacked.fillna(0).groupby(["ccode1", "ccode2", "year"], as_index=False)
           [list(DYAD_COLUMNS[3:])].max())
    out = out.astype({c: np.int8 for c in DYAD_COLUMNS[3:]})
    return out.sort_values(["ccode1", "ccode2", "year"], ignore_index=True)[list(DYAD_COLUMNS)]


def keep_certain(agreements: Iterable[Agreement]) -> tuple[Agreement, ...]:
    """``agreements`` without the obligations marked inferred (those a source does not state
    outright)."""
    return tuple(dataclasses.replace(a, obligations=tuple(
        o for o in a.obligations if o.certainty == "certain")) for a in agreements)


def atop_disagreements(
    data_dir: Path | str | None = None, agreements: Iterable[Agreement] | None = None
) -> pd.DataFrame:
    """Where a curated record and the ATOP alliance it links to (``atopid``) disagree, 1815-2018.

    Compared state by state and year by year: membership, and each obligation a member owes
    under the agreement (ATOP's member file says which obligations a member undertook, not to
    whom, so the comparison is per member). Consecutive years that disagree the same way are
    one row: ``agreement, atopid, ccode, what, curated, atop, first_year, last_year``. Empty
    when they agree.
    """
    low, high = ATOP.coverage
    atop = load_atop_members(data_dir)
    rows = []
    for agreement in load_agreements() if agreements is None else agreements:
        if agreement.atopid is None:
            continue
        ours = _member_obligations(agreement, high)
        theirs = _atop_member_obligations(atop[atop["atopid"] == agreement.atopid], high)
        both = ours.merge(theirs, on=["state", "year"], how="outer", suffixes=("_c", "_a"))
        both = both[(both["year"] >= low) & (both["year"] <= high)].fillna(0)
        for what in ("member", *ATOP_COLUMN):
            differ = both[both[f"{what}_c"] != both[f"{what}_a"]]
            for key, years in differ.groupby(["state", f"{what}_c", f"{what}_a"])["year"]:
                state, curated, atop_value = (int(v) for v in key)  # type: ignore[call-overload]
                for first, last in _runs(sorted(int(y) for y in years)):
                    rows.append({"agreement": agreement.id, "atopid": agreement.atopid,
                                 "ccode": state, "what": what, "curated": curated,
                                 "atop": atop_value, "first_year": first, "last_year": last})
    columns = ["agreement", "atopid", "ccode", "what", "curated", "atop", "first_year",
               "last_year"]
    return pd.DataFrame(rows, columns=columns).sort_values(
        ["agreement", "ccode", "what", "first_year"], ignore_index=True)


def _member_obligations(agreement: Agreement, until: int) -> pd.DataFrame:
    members = member_years(agreement, until).assign(member=1)
    for type_ in ATOP_COLUMN:
        members[type_] = 0
    for obligation in agreement.obligations:
        if obligation.pledged_by == "all":
            givers = members["state"].notna()
        else:
            givers = members["state"].isin(list(obligation.pledged_by))
        members.loc[givers, obligation.type] = 1
    return members


def _atop_member_obligations(rows: pd.DataFrame, until: int) -> pd.DataFrame:
    out = []
    for row in rows.to_dict("records"):
        last = until if row["yrexit"] == 0 else int(row["yrexit"])
        for year in range(int(row["yrent"]), last + 1):
            out.append({"state": row["member"], "year": year, "member": 1,
                        **{t: row[c.removeprefix("atop_")] for t, c in ATOP_COLUMN.items()}})
    frame = pd.DataFrame(out, columns=["state", "year", "member", *ATOP_COLUMN])
    return frame.groupby(["state", "year"], as_index=False).max()


def _runs(years: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for year in years:
        if runs and runs[-1][1] == year - 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return runs
