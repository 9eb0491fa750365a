"""What the explorer serves from: the sources found, loaded once, shared by API and pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from alliancekit.obligations.engine import Obligations


@dataclass
class Explorer:
    """The data behind one running explorer. ``data_dir`` as everywhere; the curated records
    always serve, the research datasets when found."""

    data_dir: Path | str | None = None
    _cache: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def available(self) -> dict[str, bool]:
        from alliancekit.sources import REGISTRY, find_source

        return {name: find_source(name, self.data_dir) is not None for name in REGISTRY}

    @cached_property
    def engine(self) -> Obligations:
        return Obligations(("atop", "curated"), data_dir=self.data_dir)

    @cached_property
    def states(self) -> pd.DataFrame:
        """Every state the records know: ``ccode, abbreviation, iso3, name``."""
        from alliancekit.obligations.names import state_names

        return pd.DataFrame([{"ccode": s.ccode, "abbreviation": s.abbreviation,
                              "iso3": s.iso3, "name": s.name} for s in state_names()])

    def last_year(self) -> int:
        """The latest year the explorer can answer for (today's year with curated records)."""
        return datetime.date.today().year

    def first_year(self) -> int:
        """The earliest year: ATOP's first when ATOP is found, else the curated records'."""
        if self.available.get("atop"):
            return 1816
        table = self.engine.table
        return int(table["start"].dt.year.min()) if len(table) else 1945

    def day_for(self, year: int) -> datetime.date:
        """The day a year stands for: 31 December, or today in the current year."""
        today = datetime.date.today()
        return today if year >= today.year else datetime.date(year, 12, 31)

    def defence_partners(self, state: int, first: int, last: int) -> list[tuple[int, float]]:
        """How many states ``state`` was tied to by a defence pledge (either way) on each
        year's day, ``first`` to ``last``, straight from the pledge table."""
        import numpy as np

        engine = self.engine
        touches = (engine._giver == state) | (engine._receiver == state)
        mask = touches & (engine._obligation == "defence")
        other = np.where(engine._giver[mask] == state, engine._receiver[mask],
                         engine._giver[mask])
        starts, ends = engine._start[mask], engine._end[mask]
        out = []
        for year in range(first, last + 1):
            day = np.datetime64(self.day_for(year), "D").astype(np.int64)
            live = (starts <= day) & (day <= ends)
            out.append((year, float(len(set(other[live].tolist())))))
        return out

    def ties(self, state: int, day: datetime.date) -> pd.DataFrame:
        """Each partner of ``state`` on ``day``: ``ccode, name, strongest, given, received,
        agreements`` (strongest: defence > offence > neutrality > consultation >
        non_aggression)."""
        given = self.engine.pledges_by(state, day).frame
        received = self.engine.pledges_to(state, day).frame
        rows: dict[int, dict[str, Any]] = {}
        rank = {"defence": 5, "offence": 4, "neutrality": 3, "consultation": 2,
                "non_aggression": 1}
        for frame, direction, partner_column in ((given, "given", "counterpart"),
                                                 (received, "received", "state")):
            for row in frame.itertuples(index=False):
                partner = int(getattr(row, partner_column))
                entry = rows.setdefault(partner, {"ccode": partner, "given": set(),
                                                  "received": set(), "agreements": set()})
                entry[direction].add(str(row.obligation))
                entry["agreements"].add(str(row.agreement))
        out = []
        for entry in rows.values():
            kinds = entry["given"] | entry["received"]
            out.append({"ccode": entry["ccode"],
                        "name": _name(entry["ccode"]),
                        "strongest": max(kinds, key=lambda k: rank.get(k, 0)),
                        "given": ", ".join(sorted(entry["given"])),
                        "received": ", ".join(sorted(entry["received"])),
                        "agreements": ", ".join(sorted(entry["agreements"]))})
        frame = pd.DataFrame(out, columns=["ccode", "name", "strongest", "given", "received",
                                           "agreements"])
        return frame.sort_values(["strongest", "name"], ignore_index=True)


def _name(code: int) -> str:
    from alliancekit.obligations.names import state_name

    return state_name(code)
