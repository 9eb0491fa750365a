"""Day-accurate directed pledges from ATOP and the curated records, in one table.

One row is one obligation one state owed another under one agreement over an interval of days:
``giver, receiver, obligation, agreement, name, source, start, end`` (``end`` NaT: open) and the
pledge's conditions: ``adversary`` (the attackers it is limited to, a tuple of COW codes; None:
no such condition), ``adversary_named`` (whether states are named) and ``adversary_exclusive``
(whether the pledge holds against those states only: true for curated conditions; false for
ATOP, whose threat states ``statthr1``/``statthr2`` belong to the alliance phase and do not say
that other attackers are excluded),
``location``, ``non_provocation``, ``other`` (conditions that cannot be checked, in words),
plus ``certainty``, ``text``, ``citation``, ``carried`` and ``carried_note`` (see below) and
``kind`` (the curated record's kind, such as ``unilateral_commitment`` for a commitment made by
executive act; ``atop_alliance`` for ATOP's rows).

From ATOP: who owes what to whom comes from the member file checked against the directed
dyad-year file (for asymmetric alliances the member file does not say to whom a member's pledge
is owed: a pledge from a to b is kept only where the dyad-year file has a owing b that
obligation in a year of their common membership); the dates (to the day, an unknown day read as
the month's last day on entry and first day on exit, so never longer than coded) and the
conditions come from the member file of the pledging member.

Carried pledges. ATOP's last day is 31 December 2018. With ``carry_forward`` (the default when
ATOP and the curated records are used together) a pledge ATOP codes as in force on that day
continues past it, marked ``carried``, until a status record (``atop_status/atopNNNN.toml``:
what has become of the alliance since 2018) ends it or a member's exit ends it for that member's
pledges; ``carried_note`` says what the record found. Alliances a curated agreement links to
(its ``atopid``) are not carried: their record speaks from 2019. Without carrying (or with ATOP
alone, which stays ATOP as published) ATOP's pledges end on 31 December 2018.
From the curated records: each obligation between members with overlapping spells, dates read
conservatively as in :mod:`alliancekit.curated.query`. A curated record linked to ATOP (its
``atopid``) is used only after 2018 when ATOP is used too, so the two never count one pledge
twice.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.curated.model import ATOP_COLUMN, Agreement, AtopStatus, StateId
from alliancekit.curated.records import known_states, load_agreements, load_atop_statuses
from alliancekit.errors import UsageError
from alliancekit.locations import curated_dir
from alliancekit.sources.atop import load_atop_ddyr, load_atop_members
from alliancekit.sources.parsed_cache import load_or_build_keyed
from alliancekit.sources.registry import find_source, sha256_of, source_path

ATOP_END = datetime.date(2018, 12, 31)
CARRY_START = ATOP_END + datetime.timedelta(days=1)
COLUMNS = ("giver", "receiver", "obligation", "agreement", "atopid", "name", "source", "start",
           "end", "adversary", "adversary_named", "adversary_exclusive", "location",
           "non_provocation", "other", "certainty", "text", "citation", "carried",
           "carried_note", "kind")
CERTAINTIES = ("any", "certain")
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
                        "citation": citation, "carried": False, "carried_note": "",
                        "kind": agreement.kind,
                    })
    return _frame(rows)


def _frame(rows: Sequence[Mapping[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["start"] = pd.to_datetime(frame["start"]).astype("datetime64[ns]")
    frame["end"] = pd.to_datetime(frame["end"]).astype("datetime64[ns]")
    frame["atopid"] = frame["atopid"].astype("Int64")
    frame["carried"] = frame["carried"].astype(bool)
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
    files = (source_path("atop", "atop5_1m.csv", data_dir),
             source_path("atop_ddyr", "atop5_1_ddyr_obligations.csv.gz", data_dir))
    # Keyed by the files found and their state, so another data directory is another table.
    key = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    return _atop_pledges(key, data_dir).copy()


@cache
def _atop_pledges(key: tuple[tuple[str, int, int], ...], data_dir: Path | str | None
                  ) -> pd.DataFrame:
    members = load_atop_members(data_dir, conditions=True)
    entry, exit_ = _member_dates(members)
    members = members.assign(start=entry, end=exit_)
    ddyr = load_atop_ddyr(data_dir)
    owed: dict[str, set[tuple[int, int, int]]] = {}
    names = _atop_names()
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
        # Only the columns read below: converting the member file's hundred-odd columns to
        # dictionaries would take most of the time.
        needed = ["member", "member_to", "atopid", "phase", "asymm", "obvary", "start", "end",
                  "statthr1", "statthr2",
                  *(c for c in (adv, loc, con, num, dem, npr) if c is not None)]
        start_days = chosen["start"].to_numpy("datetime64[ns]")
        end_days = chosen["end"].to_numpy("datetime64[ns]")
        chosen = chosen[needed].assign(start=chosen["start"].dt.year,
                                       end=chosen["end"].dt.year)
        for position, row in enumerate(chosen.to_dict("records")):
            giver, receiver = int(row["member"]), int(row["member_to"])
            if row["asymm"] == 1 or row["obvary"] == 1:
                years = range(row["start"], row["end"] + 1)
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
                "source": "atop", "start": start_days[position], "end": end_days[position],
                "adversary": adversary, "adversary_named": named,
                "adversary_exclusive": False,
                "location": ("a location ATOP codes but does not name"
                             if loc and row.get(loc) == 1 else None),
                "non_provocation": True if npr and row.get(npr) == 1 else None,
                "other": "; ".join(other), "certainty": "certain",
                "text": f"ATOP 5.1 codes a {obligation} obligation (phase {int(row['phase'])})",
                "citation": f"ATOP 5.1 (Leeds et al. 2002), atopid {int(row['atopid'])}",
                "carried": False, "carried_note": "", "kind": "atop_alliance",
            })
    return _frame(rows)


def _atop_names() -> dict[int, str]:
    """Names of the ATOP alliances a curated record links to or reviews (ATOP itself has no
    names)."""
    names = {atopid: status.name_en for atopid, status in load_atop_statuses().items()}
    return names | {a.atopid: a.name_en for a in load_agreements() if a.atopid is not None}


def carry_forward(atop: pd.DataFrame, statuses: Mapping[int, AtopStatus],
                  linked: set[int]) -> pd.DataFrame:
    """``atop`` with each pledge in force on 31 December 2018 carried past it (see the module
    docstring): its ``end`` moved to the day its alliance ended or its giver or receiver left
    (open when none is recorded), ``carried`` set and ``carried_note`` saying why.

    >>> pledge = _frame([{"giver": 432, "receiver": 452, "obligation": "defence",
    ...     "agreement": "atop5055", "atopid": 5055, "source": "atop",
    ...     "start": pd.Timestamp("2005-03-31"), "end": pd.Timestamp("2018-12-31"),
    ...     "carried": False, "carried_note": ""}])
    >>> carried = carry_forward(pledge, {}, linked=set())
    >>> bool(carried["carried"][0]), carried["end"][0]
    (True, NaT)
    """
    out = atop.copy()
    candidates = (out["end"] == pd.Timestamp(ATOP_END)) & ~out["atopid"].isin(list(linked))
    ends, notes = [], []
    for atopid, giver, receiver in zip(out.loc[candidates, "atopid"],
                                       out.loc[candidates, "giver"],
                                       out.loc[candidates, "receiver"], strict=True):
        end, note = _carried_end(statuses.get(int(atopid)), int(giver), int(receiver))
        ends.append(end)
        notes.append(note)
    end_values = pd.to_datetime(pd.Series(ends, index=out.index[candidates], dtype=object))
    keep = end_values.isna() | (end_values >= pd.Timestamp(CARRY_START))
    carried_index = end_values.index[keep.to_numpy()]
    out.loc[carried_index, "end"] = end_values[keep]
    out.loc[carried_index, "carried"] = True
    out.loc[carried_index, "carried_note"] = pd.Series(notes, index=end_values.index)[keep]
    return out


def _carried_end(status: AtopStatus | None, giver: int, receiver: int
                 ) -> tuple[datetime.date | None, str]:
    """The last day a pledge is carried to (None: open) and why."""
    base = "in force at ATOP's last coding, 31 December 2018"
    if status is None:
        return None, f"{base}; no later record found, so it is carried on"
    ends: list[tuple[datetime.date, str]] = []
    if status.ended is not None:
        word = "superseded" if status.status == "superseded" else "ended"
        ends.append((status.ended.first_day, f"the alliance {word} on {status.ended}"))
    for leaving in status.exits:
        if leaving.state in (giver, receiver):
            ends.append((leaving.exit.first_day,
                         f"{_state_label(leaving.state)} left on {leaving.exit}"))
    evidence = f" Since 2018: {status.evidence}"
    if not ends:
        return None, f"{base}; no later record ends it.{evidence}"
    day, why = min(ends)
    return day, f"{base}; carried until {why}.{evidence}"


def _state_label(state: StateId) -> str:
    known = known_states().get(state)
    return known.name if known else str(state)


def check_alliance_sources(sources: Sequence[str]) -> set[str]:
    """The alliance sources asked for, checked: one or both of ``atop`` and ``curated``."""
    wanted = set(sources)
    if isinstance(sources, str) or not wanted or not wanted <= {"atop", "curated"}:
        raise UsageError(f"sources={tuple(sources) if not isinstance(sources, str) else sources!r}"
                         ": give one or both of 'atop' and 'curated'")
    return wanted


def check_certainty(certainty: str) -> str:
    """``certainty`` checked: ``any`` keeps every pledge, ``certain`` drops inferred ones."""
    if certainty not in CERTAINTIES:
        raise UsageError(f"certainty={certainty!r}: give 'any' or 'certain' (keep only pledges "
                         "a source states outright)")
    return certainty


def pledge_table(sources: Sequence[str] = ("atop", "curated"), *,
                 data_dir: Path | str | None = None,
                 records: Path | None = None, carry: bool = True,
                 certainty: str = "any") -> tuple[pd.DataFrame, list[str]]:
    """All directed pledges from ``sources`` and the sources used (ATOP is skipped, with the
    reason in the returned list's absence, when its files are not found).

    ``carry``: carry ATOP's pledges in force on 31 December 2018 past it (only when ATOP and the
    curated records are both used). ``certainty="certain"`` keeps only the pledges a source
    states outright, dropping those marked inferred.

    The table is built once per set of inputs (the sha256 of ATOP's files, the content of the
    curated records, the code that builds it) and kept in the user cache as an Arrow file, so a
    later process loads it in milliseconds instead of building it (see :func:`pledge_index`)."""
    wanted = check_alliance_sources(sources)
    check_certainty(certainty)
    use_atop = "atop" in wanted and find_source("atop", data_dir) is not None \
        and find_source("atop_ddyr", data_dir) is not None
    used: list[str] = [s for s in ("atop", "curated") if s in wanted and (s != "atop" or use_atop)]
    frame = pledge_index(tuple(used), data_dir=data_dir, records=records,
                         carry=carry and "curated" in wanted)
    if certainty == "certain":
        frame = frame[frame["certainty"] == "certain"].reset_index(drop=True)
    return frame, used


def pledge_index(used: tuple[str, ...], *, data_dir: Path | str | None = None,
                 records: Path | None = None, carry: bool = True) -> pd.DataFrame:
    """The pledge table of the sources ``used`` (found, checked), from the cache when its
    inputs are unchanged: kept in memory for this process and on disk for the next."""
    key = _index_key(used, data_dir, records, carry)
    found = _MEMORY.get(key)
    if found is None:
        found = _from_arrow(load_or_build_keyed(
            "pledges", key, lambda: _to_arrow(_build(used, data_dir, records, carry))))
        _MEMORY.clear()  # one table at a time: a new set of inputs replaces the old
        _MEMORY[key] = found
    return found.copy(deep=False)  # copy-on-write: a caller's change never reaches the cache


_MEMORY: dict[tuple[str, ...], pd.DataFrame] = {}
# The modules whose code shapes the table: a change to any of them is a new table.
_CODE = ("curated/pledges.py", "curated/records.py", "curated/model.py", "sources/atop.py",
         "sources/_table.py")


def _index_key(used: tuple[str, ...], data_dir: Path | str | None, records: Path | None,
               carry: bool) -> tuple[str, ...]:
    return (",".join(used), f"carry={carry}", inputs_digest("atop" in used, data_dir, records))


def inputs_digest(atop: bool, data_dir: Path | str | None = None,
                  records: Path | None = None) -> str:
    """A digest of everything the pledges are built from: the code that builds them, ATOP's
    files (their sha256, when ``atop``) and every curated record's content. Tables derived
    from the pledges are kept while it is unchanged."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for name in _CODE:
        digest.update((package / name).read_bytes())
    if atop:
        for name, file in (("atop", "atop5_1m.csv"),
                           ("atop_ddyr", "atop5_1_ddyr_obligations.csv.gz")):
            digest.update(sha256_of(source_path(name, file, data_dir)).encode())
    root = records or curated_dir()
    # Every record counts: agreements, status records and the state list (names in notes).
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _build(used: tuple[str, ...], data_dir: Path | str | None, records: Path | None,
           carry: bool) -> pd.DataFrame:
    parts = []
    agreements = load_agreements(records) if "curated" in used else ()
    if "atop" in used:
        atop = atop_pledges(data_dir)
        if carry and "curated" in used:
            linked = {a.atopid for a in agreements if a.atopid is not None}
            atop = carry_forward(atop, load_atop_statuses(records), linked)
        parts.append(atop)
    if "curated" in used:
        parts.append(curated_pledges(agreements, after_atop_for_linked="atop" in used))
    return pd.concat(parts, ignore_index=True) if parts else _frame([])


def _to_arrow(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` in a form Arrow stores: adversaries as lists of tagged text, non-provocation
    as a nullable boolean, states as tagged text when some are not COW codes."""
    adversary: list[list[str] | None] = [None if v is None else [_tag(s) for s in v]
                                         for v in frame["adversary"]]
    out = frame.assign(
        adversary=pd.Series(adversary, index=frame.index, dtype=object),
        non_provocation=frame["non_provocation"].astype("boolean"))
    for column in ("giver", "receiver"):
        if out[column].dtype != np.int64:
            out[column] = [_tag(v) for v in out[column]]
    return out


def _from_arrow(frame: pd.DataFrame) -> pd.DataFrame:
    """The table back from :func:`_to_arrow`'s form."""
    adversary = np.empty(len(frame), dtype=object)
    adversary[:] = [None if v is None else tuple(_untag(s) for s in v)
                    for v in frame["adversary"]]
    non_provocation = np.empty(len(frame), dtype=object)
    non_provocation[:] = [None if pd.isna(v) else bool(v) for v in frame["non_provocation"]]
    out = frame.assign(adversary=adversary, non_provocation=non_provocation)
    for column in ("giver", "receiver"):
        if out[column].dtype != np.int64:
            values = np.empty(len(out), dtype=object)
            values[:] = [_untag(v) for v in out[column]]
            out[column] = values
    return out


def _tag(state: object) -> str:
    """A state id as text that keeps its type: ``"i:670"`` or ``"s:EU"``."""
    return f"i:{state}" if isinstance(state, int | np.integer) else f"s:{state}"


def _untag(text: str) -> StateId:
    return int(text[2:]) if text.startswith("i:") else text[2:]


def carried_dyad_years(data_dir: Path | str | None = None, records: Path | None = None, *,
                       certainty: str = "any", until: int | None = None) -> pd.DataFrame:
    """ATOP's pledges carried past 2018 as directed dyad-years, 2019 to ``until`` (default:
    this year), in ATOP's shape: ``ccode1, ccode2, year, atop_alliance, atop_defense ...
    atop_consul`` (int8 0/1). A year counts when the pledge was carried on any day of it, as
    ATOP counts a year its alliance was in effect on any day; ``atop_alliance`` is 1 for both
    directions of a pair that shares a carried alliance. Empty when ATOP is not found."""
    until = until or datetime.date.today().year
    table, _ = pledge_table(("atop", "curated"), data_dir=data_dir, records=records,
                            carry=True, certainty=certainty)
    carried = table[table["carried"].to_numpy(bool)]
    keys = ["ccode1", "ccode2", "year"]
    columns = [*keys, "atop_alliance", *ATOP_COLUMN.values()]
    if carried.empty or until <= ATOP_END.year:
        return pd.DataFrame({c: pd.Series(dtype=np.int64 if c in keys else np.int8)
                             for c in columns})
    last = carried["end"].dt.year.fillna(until).clip(upper=until).to_numpy(np.int64)
    first = ATOP_END.year + 1
    spans = np.maximum(last - first + 1, 0)
    years = np.concatenate([np.arange(first, first + n) for n in spans]) if spans.sum() else \
        np.array([], dtype=np.int64)
    expanded = pd.DataFrame({
        "ccode1": np.repeat(carried["giver"].to_numpy(np.int64), spans),
        "ccode2": np.repeat(carried["receiver"].to_numpy(np.int64), spans),
        "year": years.astype(np.int64),
        "column": np.repeat(carried["obligation"].map(ATOP_COLUMN).to_numpy(), spans),
    })
    wide = (expanded.assign(value=np.int8(1))
            .pivot_table(index=keys, columns="column", values="value", aggfunc="max",
                         fill_value=0))
    wide = wide.reindex(columns=list(ATOP_COLUMN.values()), fill_value=0).reset_index()
    shared = pd.concat([expanded[keys],
                        expanded[keys].rename(columns={"ccode1": "ccode2",
                                                       "ccode2": "ccode1"})])
    wide = wide.merge(shared.drop_duplicates().assign(atop_alliance=np.int8(1)), on=keys,
                      how="outer")
    wide = wide.fillna(0).astype({c: np.int8 for c in columns[3:]})
    wide = wide.astype({c: np.int64 for c in keys})
    return wide.sort_values(keys, ignore_index=True)[columns]
