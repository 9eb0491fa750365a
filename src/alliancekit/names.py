"""States by COW code, COW abbreviation, ISO 3166 alpha-3 code or English name.

``resolve_state("SAU")``, ``resolve_state("saudi arabia")`` and ``resolve_state(670)`` are all
670. Three-letter codes are matched as COW abbreviations and as ISO codes; where those name
different states (``AUS`` is Austria in COW and Australia in ISO) the answer is ambiguous and
the error lists both. A name matches exactly (ignoring case), else as the only name containing
the text; several candidates or none are an error that lists what it could mean.
"""

from __future__ import annotations

import bisect
import csv
import datetime
from dataclasses import dataclass
from functools import cache, lru_cache

from alliancekit.errors import UsageError
from alliancekit.locations import curated_dir

# Common English names COW spells differently.
ALIASES = {
    "united states": 2, "us": 2, "america": 2, "uk": 200, "britain": 200,
    "great britain": 200, "turkiye": 640, "türkiye": 640, "persia": 630, "russian federation": 365,
    "soviet union": 365, "ussr": 365, "north korea": 731, "south korea": 732, "burma": 775,
    "cote d'ivoire": 437, "côte d'ivoire": 437, "eswatini": 572, "czechia": 316,
    "north macedonia": 343, "timor-leste": 860, "cabo verde": 402, "drc": 490,
    "uae": 696, "emirates": 696, "west germany": 260, "east germany": 265, "serbia": 345,
}


@dataclass(frozen=True)
class StateName:
    """A state the resolver knows: COW code, COW abbreviation, ISO3 code (or ``""``), name."""

    ccode: int
    abbreviation: str
    iso3: str
    name: str

    def label(self) -> str:
        iso = f", ISO {self.iso3}" if self.iso3 else ""
        return f"{self.name} ({self.ccode}, COW {self.abbreviation}{iso})"


@cache
def state_names() -> tuple[StateName, ...]:
    """Every COW state with its codes, from the curated ``states.csv``."""
    with (curated_dir() / "states.csv").open(newline="", encoding="utf-8") as handle:
        return tuple(StateName(int(r["ccode"]), r["stateabb"], r.get("iso3", "") or "",
                               r["name"]) for r in csv.DictReader(handle))


@cache
def _names_by_code() -> dict[int, str]:
    return {s.ccode: s.name for s in state_names()}


@cache
def name_periods() -> dict[int, tuple[tuple[datetime.date, datetime.date | None, str], ...]]:
    """The dated English names of COW codes whose common name changed under one code
    (``state_name_periods.csv``: Serbia, Yugoslavia, Serbia for 345; Russia, Soviet Union,
    Russia for 365; ...), each period ``(first day, last day or None, name)``, with its source
    in the file."""
    periods: dict[int, list[tuple[datetime.date, datetime.date | None, str]]] = {}
    with (curated_dir() / "state_name_periods.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            end = datetime.date.fromisoformat(row["end"]) if row["end"] else None
            periods.setdefault(int(row["ccode"]), []).append(
                (datetime.date.fromisoformat(row["start"]), end, row["name"]))
    return {code: tuple(sorted(found)) for code, found in periods.items()}


@cache
def _era_bounds() -> tuple[datetime.date, ...]:
    days = set()
    for periods in name_periods().values():
        for first, last, _ in periods:
            days.add(first)
            if last is not None:
                days.add(last + datetime.timedelta(days=1))
    return tuple(sorted(days))


def name_era(on: datetime.date) -> int:
    """A number shared by all days on which every state had the same name: two days with
    the same era name every state alike."""
    return bisect.bisect_right(_era_bounds(), on)


def state_name(ccode: int, on: datetime.date | None = None) -> str:
    """The English name of COW state ``ccode`` on day ``on`` (Serbia for 345 in 1914, the
    Soviet Union for 365 in 1960); without a day, or outside the dated names, the latest name
    (Serbia for 345 today). The code itself when unknown."""
    periods = name_periods().get(ccode)
    if periods:
        if on is None:
            return periods[-1][2]
        for first, last, name in periods:
            if first <= on and (last is None or on <= last):
                return name
        return periods[0][2] if on < periods[0][0] else periods[-1][2]
    return _names_by_code().get(ccode, str(ccode))


MAX_STATE_TEXT = 60  # the longest state name is 32 characters


@lru_cache(maxsize=4096)
def resolve_state(text: str | int, argument: str = "state") -> int:
    """The COW code ``text`` stands for; an unknown or ambiguous name lists the candidates.
    (Answers are remembered: a server resolves the same few names again and again.)"""
    states = state_names()
    by_code = {s.ccode: s for s in states}
    raw = str(text).strip()
    if not raw:
        raise UsageError(f"{argument}: give a state (a COW code such as 670, a COW or ISO "
                         "abbreviation such as SAU, or an English name)")
    if len(raw) > MAX_STATE_TEXT:
        raise UsageError(f"{argument} {raw[:20]!r}...: {len(raw)} characters; a state is at most "
                         f"{MAX_STATE_TEXT}")
    if raw.isascii() and raw.isdigit():  # only 0-9: "²" is a digit to str.isdigit()
        if len(raw) <= 4 and int(raw) in by_code:
            return int(raw)
        raise UsageError(f"{argument} {raw}: no COW state has this code")
    key = raw.casefold()
    if len(raw) == 3 and raw.isalpha():
        found = {s.ccode for s in states if key in (s.abbreviation.casefold(), s.iso3.casefold())}
        if len(found) == 1:
            return found.pop()
        if len(found) > 1:
            raise UsageError(f"{argument} {raw!r} is ambiguous: "
                             + "; ".join(by_code[c].label() for c in sorted(found))
                             + ". Give the COW code or the name")
    if key in ALIASES:
        return ALIASES[key]
    exact = [s for s in states if s.name.casefold() == key]
    if len(exact) == 1:
        return exact[0].ccode
    partial = [s for s in states if key in s.name.casefold()]
    if len(partial) == 1:
        return partial[0].ccode
    if partial:
        raise UsageError(f"{argument} {raw!r} is ambiguous: "
                         + "; ".join(s.label() for s in partial) + ". Give the COW code")
    raise UsageError(f"{argument} {raw!r}: no state by this code or name (try a COW code such "
                     "as 670, a COW or ISO abbreviation such as SAU, or an English name)")
