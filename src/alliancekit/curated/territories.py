"""Which state of a given day each modern territory on the world map stands for.

The map's shapes are today's countries (ISO 3166 alpha-2). A historical state is drawn over the
modern territories that succeeded it, from the curated ``map_territories.csv``: one row per
spell in which a modern territory was part of another state (``mode = part``: Ukraine was part
of the Soviet Union from 30 December 1922 to 26 December 1991) or shared by two states of the
day (``mode = shared``: the shape of today's Germany held both German states from 1949 to 1990),
each with its source. Outside every spell a territory stands for its own state. The shapes are
therefore approximate (the Soviet Union drawn over its fifteen successors is close; Bavaria,
with no modern country of its own, cannot be drawn at all), and the map says so.
"""

from __future__ import annotations

import csv
import datetime
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from alliancekit.locations import curated_dir

TERRITORY_FILE = "map_territories.csv"


@dataclass(frozen=True)
class TerritorySpell:
    """Modern territory ``territory`` (alpha-2) stood for COW state ``ccode`` from ``start``
    to ``end`` (inclusive); ``mode`` ``part`` (the whole shape is that state) or ``shared``
    (the shape holds it beside another state)."""

    territory: str
    ccode: int
    start: datetime.date
    end: datetime.date
    mode: str
    source_url: str
    note: str


@cache
def territory_spells() -> tuple[TerritorySpell, ...]:
    """Every spell of ``map_territories.csv``."""
    path = curated_dir() / TERRITORY_FILE
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    spells = []
    for number, row in enumerate(rows, start=2):
        try:
            spell = TerritorySpell(row["territory"].strip().lower(), int(row["ccode"]),
                                   datetime.date.fromisoformat(row["start"]),
                                   datetime.date.fromisoformat(row["end"]), row["mode"],
                                   row["source_url"], row["note"])
        except (KeyError, ValueError) as exc:
            raise ValueError(f"{path}, row {number}: {exc}") from None
        if spell.mode not in ("part", "shared") or spell.end < spell.start:
            raise ValueError(f"{path}, row {number}: mode must be part or shared and the end "
                             "not before the start")
        spells.append(spell)
    return tuple(spells)


def territories_on(day: datetime.date) -> dict[str, tuple[int, ...]]:
    """For each modern territory with a spell covering ``day``: the state(s) it stands for."""
    out: dict[str, list[int]] = defaultdict(list)
    for spell in territory_spells():
        if spell.start <= day <= spell.end:
            out[spell.territory].append(spell.ccode)
    return {territory: tuple(codes) for territory, codes in out.items()}
