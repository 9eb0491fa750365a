"""Day-accurate directed pledges from ATOP and the curated records, in one table.

One row is one obligation one state owed another under one agreement over an interval of days:
``giver, receiver, obligation, agreement, name, source, start, end`` (``end`` NaT: open) and the
pledge's conditions: ``adversary`` (the attackers it is limited to, a tuple of COW codes; None:
no such condition), ``adversary_named`` (whether states are named) and ``adversary_exclusive``
(whether the pledge holds against those states only: true for curated conditions; false for
ATOP, whose threat states ``statthr1``/``statthr2`` belong to the alliance phase and do not say
that other attackers are excluded),
``location``, ``non_provocation``, ``other`` (conditions that cannot be checked, in words),
plus ``certainty``, ``text`` and ``citation``.

From ATOP: who owes what to whom comes from the member file checked against the directed
dyad-year file (for asymmetric alliances the member file does not say to whom a member's pledge
is owed: a pledge from a to b is kept only where the dyad-year file has a owing b that
obligation in a year of their common membership); the dates (to the day, an unknown day read as
the month's last day on entry and first day on exit, so never longer than coded) and the
conditions come from the member file of the pledging member. ATOP's last day is 31 December
2018: pledges still in force then end there, and after that only the curated records speak.
From the curated records: each obligation between members with overlapping spells, dates read
conservatively as in :mod:`alliancekit.curated.query`. A curated record linked to ATOP (its
``atopid``) is used only after 2018 when ATOP is used too, so the two never count one pledge
twice.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.curated.model import ATOP_COLUMN, Agreement
from alliancekit.curated.records import load_agreements

ATOP_END = datetime.date(2018, 12, 31)
COLUMNS = ("giver", "receiver", "obligation", "agreement", "atopid", "name", "source", "start",
           "end", "adversary", "adversary_named", "adversary_exclusive", "location",
           "non_provocation", "other", "certainty", "text", "citation")
# ATOP's condition columns by obligation: (adversary, location, conflict, number, demand,
# non-provocation); None where ATOP has no such column.
_CONDITION_COLUMNS = {
    "defence": ("defcoadv", "defcoloc", "defcocon", "defconum", "defcodem", "defconpr"),
    "offence": ("offcoadv", "offcoloc", "offcocon", "offconum", "offcodem", None),
    "neutrality": ("neucoadv", "neucoloc", "neucocon", "neuconum", "neucodem", "neuconpr"),
    "consultation": ("concoadv", "concoloc", "concocon", None, None, None),
    "non_aggression": (None, None, None, None, None, None),
}


def _day(date: datetime.date | None) -> object:
    return pd.NaT if date is None else pd.Timestamp(date)


def curated_pledges(agreements: Sequence[Agreement], *, after_atop_for_linked: bool
                    ) -> pd.DataFrame:
    """The curated records' directed pledges (state-system members and others alike)."""
    rows = []
    for agreement in agreements:
        signed = agreement.signed.last_day if agreement.signed else None
        ended = agreement.ended.first_day if agreement.ended else None
        floor = ATOP_END + datetime.timedelta(days=1) \
            if after_atop_for_linked and agreement.atopid is not None else None
        citation = "; ".join(f"{s.publisher}, {s.published}: {s.url}"
                             for s in agreement.sources if s.id in agreement.fact_sources)
        for obligation in agreement.obligations:
            for giver in agreement.members:
                if obligation.pledged_by != "all" and giver.state not in obligation.pledged_by:
                    continue
                for receiver in agreement.members:
                    if receiver.state == giver.state or (
                            obligation.pledged_to != "all"
                            and receiver.state not in obligation.pledged_to):
                        continue
                    starts = [giver.entry.last_day, receiver.entry.last_day,
                              *(d for d in (signed, floor) if d is not None)]
                    ends = [d for d in (giver.exit.first_day if giver.exit else None,
                                        receiver.exit.first_day if receiver.exit else None,
                                        ended) if d is not None]
                    start, end = max(starts), min(ends) if ends else None
                    if end is not None and end < start:
                        continue
                    conditions = obligation.conditions
                    rows.append({
                        "giver": giver.state, "receiver": receiver.state,
                        "obligation": obligation.type, "agreement": agreement.id,
                        "atopid": agreement.atopid, "name": agreement.name_en,
                        "source": "curated", "start": _day(start), "end": _day(end),
                        "adversary": conditions.adversary,
                        "adversary_named": conditions.adversary is not None,
                        "adversary_exclusive": conditions.adversary is not None,
                        "location": conditions.location,
                        "non_provocation": conditions.non_provocation, "other": "",
                        "certainty": obligation.certainty, "text": obligation.text,
                        "citation": citation,
                    })
    return _frame(rows)


def _frame(rows: Sequence[Mapping[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    frame["atopid"] = frame["atopid"].astype("Int64")
    return frame


def _member_dates(members: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Entry and exit days of ATOP member rows, read so a spell is never longer than coded."""
    def days(year: pd.Series, month: pd.Series, day: pd.Series, first: bool) -> pd.Series:
        month = month.clip(lower=1)
        start_of_month = pd.to_datetime(dict(year=year, month=month, day=1))
        known = day.notna() & (day >= 1)
        fallback = start_of_month if first else start_of_month + pd.offsets.MonthEnd(0)
        exact = pd.to_datetime(dict(year=year, month=month, day=day.where(known, 1)))
        return exact.where(known, fallback)

    entry = days(members["yrent"], members["moent"], members["dayent"], first=False)
    open_ = members["yrexit"] == 0
    exit_year = members["yrexit"].where(~open_, ATOP_END.year)
    exit_month = members["moexit"].where(~open_, 12)
    exit_day = members["dayexit"].where(~open_, 31)
    exit_ = days(exit_year, exit_month, exit_day, first=True)
    return entry, exit_


def atop_pledges(data_dir: Path | str | None = None) -> pd.DataFrame:
    """ATOP 5.1's directed pledges, 1815-2018 (see the module docstring)."""
    from alliancekit.sources.registry import source_path

    files = (source_path("atop", "atop5_1m.csv", data_dir),
             source_path("atop_ddyr", "atop5_1_ddyr_obligations.csv.gz", data_dir))
    # Keyed by the files found and their state, so another data directory is another table.
    key = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    return _atop_pledges(key, data_dir).copy()


@cache
def _atop_pledges(key: tuple[tuple[str, int, int], ...], data_dir: Path | str | None
                  ) -> pd.DataFrame:
    from alliancekit.sources.atop import load_atop_ddyr, load_atop_members

    members = load_atop_members(data_dir, conditions=True)
    entry, exit_ = _member_dates(members)
    members = members.assign(start=entry, end=exit_)
    ddyr = load_atop_ddyr(data_dir)
    owed: dict[str, set[tuple[int, int, int]]] = {}
    names = _linked_names()
    pairs = members.merge(members, on=["atopid", "phase"], suffixes=("", "_to"))
    pairs = pairs[pairs["member"] != pairs["member_to"]]
    pairs = pairs.assign(start=np.maximum(pairs["start"], pairs["start_to"]),
                         end=np.minimum(pairs["end"], pairs["end_to"]))
    pairs = pairs[pairs["end"] >= pairs["start"]]
    rows = []
    for obligation, column in ATOP_COLUMN.items():
        atop_name = column.removeprefix("atop_")
        chosen = pairs[pairs[atop_name] == 1]
        if chosen.empty:
            continue
        owed[obligation] = set(zip(ddyr.loc[ddyr[column] == 1, "ccode1"],
                                   ddyr.loc[ddyr[column] == 1, "ccode2"],
                                   ddyr.loc[ddyr[column] == 1, "year"], strict=True))
        adv, loc, con, num, dem, npr = _CONDITION_COLUMNS[obligation]
        for row in chosen.to_dict("records"):
            giver, receiver = int(row["member"]), int(row["member_to"])
            if row["asymm"] == 1 or row["obvary"] == 1:
                years = range(row["start"].year, row["end"].year + 1)
                if not any((giver, receiver, y) in owed[obligation] for y in years):
                    continue
            adversary, named = None, False
            if adv and row.get(adv) == 1:
                threats = tuple(int(row[c]) for c in ("statthr1", "statthr2")
                                if pd.notna(row[c]) and row[c] > 0)
                adversary, named = threats, bool(threats)
            other = [text for flag, text in (
                (con, "a specific conflict"), (num, "the number of attackers"),
                (dem, "demands made of the ally")) if flag and row.get(flag) == 1]
            if adv and row.get(adv) == 1 and not named:
                other.append("a specific adversary ATOP does not name as a state")
            rows.append({
                "giver": giver, "receiver": receiver, "obligation": obligation,
                "agreement": f"atop{int(row['atopid'])}", "atopid": int(row["atopid"]),
                "name": names.get(int(row["atopid"]), f"ATOP alliance {int(row['atopid'])}"),
                "source": "atop", "start": row["start"], "end": row["end"],
                "adversary": adversary, "adversary_named": named,
                "adversary_exclusive": False,
                "location": ("a location ATOP codes but does not name"
                             if loc and row.get(loc) == 1 else None),
                "non_provocation": True if npr and row.get(npr) == 1 else None,
                "other": "; ".join(other), "certainty": "certain",
                "text": f"ATOP 5.1 codes a {obligation} obligation (phase {int(row['phase'])})",
                "citation": f"ATOP 5.1 (Leeds et al. 2002), atopid {int(row['atopid'])}",
            })
    return _frame(rows)


def _linked_names() -> dict[int, str]:
    """Names of the ATOP alliances a curated record links to (ATOP itself has no names)."""
    return {a.atopid: a.name_en for a in load_agreements() if a.atopid is not None}


def pledge_table(sources: Sequence[str] = ("atop", "curated"), *,
                 data_dir: Path | str | None = None,
                 records: Path | None = None) -> tuple[pd.DataFrame, list[str]]:
    """All directed pledges from ``sources`` and the sources used (ATOP is skipped, with the
    reason in the returned list's absence, when its files are not found)."""
    from alliancekit.panels.atop import check_alliance_sources
    from alliancekit.sources.registry import find_source

    wanted = check_alliance_sources(sources)
    use_atop = "atop" in wanted and find_source("atop", data_dir) is not None \
        and find_source("atop_ddyr", data_dir) is not None
    parts, used = [], []
    if use_atop:
        parts.append(atop_pledges(data_dir))
        used.append("atop")
    if "curated" in wanted:
        parts.append(curated_pledges(load_agreements(records), after_atop_for_linked=use_atop))
        used.append("curated")
    frame = pd.concat(parts, ignore_index=True) if parts else _frame([])
    return frame, used
