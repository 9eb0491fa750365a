"""What the explorer serves from: the sources found, loaded once, shared by API and pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alliancekit.curated.pledges import ATOP_END
from alliancekit.errors import AlliancekitError
from alliancekit.locations import records_stamp
from alliancekit.measures.network import graph_measures, yearly_graphs
from alliancekit.measures.profile import cooperation_profile
from alliancekit.names import state_name, state_names
from alliancekit.obligations.engine import Obligations
from alliancekit.panels.create import most_recent_year
from alliancekit.reliability.cases import reliability_cases
from alliancekit.reliability.empirical import empirical_rates
from alliancekit.sources import REGISTRY, find_source
from alliancekit.sources.cow_states import load_cow_states
from alliancekit.sources.nmc import load_nmc
from alliancekit.sources.sipri import load_sipri_milex
from alliancekit.sweeps.store import manifest as read_manifest
from alliancekit.sweeps.store import read as read_sweep

TIE_RANK = {"defence": 5, "offence": 4, "neutrality": 3, "consultation": 2,
            "non_aggression": 1}


@dataclass
class Explorer:
    """The data behind one running explorer. ``data_dir`` as everywhere; the curated records
    always serve, the research datasets when found."""

    data_dir: Path | str | None = None
    atlas_dir: Path | str | None = None
    stamp: int = field(default_factory=records_stamp)

    def refresh(self) -> None:
        """Drop what was read from the curated records when they have been published anew
        (the ledger's approvals), so the next question reads the published state."""
        stamp = records_stamp()
        if stamp != self.stamp:
            self.stamp = stamp
            for name in ("engine", "states", "case_store"):
                self.__dict__.pop(name, None)

    @cached_property
    def atlas(self) -> pd.DataFrame | None:
        """The exposure atlas's state-year summary (``alliancekit sweep exposure``) when the
        server was pointed at one, else None; the years it holds are the years computed."""
        if self.atlas_dir is None:
            return None
        found = read_sweep(self.atlas_dir, "summary")
        return found if len(found) else None

    @cached_property
    def atlas_settings(self) -> dict[str, Any]:
        """The atlas's parameters (years, attackers, honoured, draws) and seed."""
        if self.atlas_dir is None:
            return {}
        found = read_manifest(self.atlas_dir)
        return {**found.get("parameters", {}), "seed": found.get("seed")}

    @cached_property
    def available(self) -> dict[str, bool]:
        return {name: find_source(name, self.data_dir) is not None for name in REGISTRY}

    @cached_property
    def engine(self) -> Obligations:
        return Obligations(("atop", "curated"), data_dir=self.data_dir)

    @cached_property
    def case_store(self) -> dict[str, pd.DataFrame]:
        """The reliability cases of each kind of event, made on first use."""
        return {}

    def reliability_cases(self, events: str) -> pd.DataFrame:
        """The (event, pledge) cases of ``events`` (``wars`` or ``ucdp``), kept once made."""
        if events not in self.case_store:
            self.case_store[events] = reliability_cases(events, engine=self.engine,
                                                        data_dir=self.data_dir)
        return self.case_store[events]

    @cached_property
    def states(self) -> pd.DataFrame:
        """Every state the records know: ``ccode, abbreviation, iso3, name``."""
        return pd.DataFrame([{"ccode": s.ccode, "abbreviation": s.abbreviation,
                              "iso3": s.iso3, "name": state_name(s.ccode)}
                             for s in state_names()])

    def warm(self) -> None:
        """Load what the pages read beyond the pledges (the network's dyad-year table, the
        capability, spending and cooperation sources), so first views are quick. The server
        runs it in the background once it is answering; a source that fails to load is left
        for the page that needs it to report."""
        try:
            if self.available.get("cow_states"):
                sources = ("atop", "curated") if self.available.get("atop_ddyr") else \
                    ("curated",)
                year = self.last_year()
                for graph in yearly_graphs((year, year), sources=sources,
                                           data_dir=self.data_dir):
                    graph_measures(graph)  # the network page's default view
            if self.available.get("cow_nmc"):
                load_nmc("7.0", self.data_dir)
            if self.available.get("sipri_milex"):
                load_sipri_milex(self.data_dir)
            if self.available.get("cow_states"):
                cooperation_profile(670, (1980, self.last_year()), data_dir=self.data_dir)
            # the scenario page's default rates
            empirical_rates(datetime.date.today(), self.data_dir)
        except (AlliancekitError, OSError, ValueError):
            return  # the page that needs the source reports the problem itself

    def members_on(self, day: datetime.date) -> set[int] | None:
        """The COW system's members on ``day`` (None without the COW state list); COW's list
        ends in 2016, and its members then are taken as members since."""
        if not self.available.get("cow_states"):
            return None
        spells = self.state_spells
        last = spells["end"].max()
        ends = spells["end"].where(spells["end"] < last, pd.Timestamp.max)
        stamp = pd.Timestamp(day)
        return set(spells.loc[(spells["start"] <= stamp) & (stamp <= ends), "ccode"].astype(int))

    @cached_property
    def state_spells(self) -> pd.DataFrame:
        """COW's membership spells (``ccode, start, end``)."""
        return load_cow_states(self.data_dir)

    def panel_last_year(self) -> int:
        """The latest year of a dyad-year panel (similarity): the last full year when the COW
        state system is on the server (its members are carried to the last full year), else
        the explorer's last year."""
        if self.available.get("cow_states"):
            return min(self.last_year(), most_recent_year())
        return self.last_year()

    def last_year(self) -> int:
        """The latest year the explorer can answer for, on every page: today's year (its day is
        today; the network draws the pledges in force so far this year)."""
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
        engine = self.engine
        touches = (engine.givers == state) | (engine.receivers == state)
        mask = touches & (engine.types == "defence")
        other = np.where(engine.givers[mask] == state, engine.receivers[mask],
                         engine.givers[mask])
        starts, ends = engine.starts[mask], engine.ends[mask]
        out = []
        for year in range(first, last + 1):
            day = np.datetime64(self.day_for(year), "D").astype(np.int64)
            live = (starts <= day) & (day <= ends)
            out.append((year, float(len(set(other[live].tolist())))))
        return out

    def ties(self, state: int, day: datetime.date) -> pd.DataFrame:
        """Each partner of ``state`` on ``day``: ``ccode, name, strongest, given, received,
        agreements, carried`` (the strongest tie rests only on ATOP pledges carried past
        2018), strongest tie first (defence > offence > neutrality > consultation >
        non_aggression), read straight from the pledge table."""
        engine = self.engine
        live = engine.in_force(day) & ((engine.givers == state) | (engine.receivers == state))
        after_atop = day > ATOP_END
        rows: dict[int, dict[str, Any]] = {}
        for giver, receiver, kind, agreement, carried in zip(
                engine.givers[live], engine.receivers[live], engine.types[live],
                engine.table["agreement"].to_numpy()[live],
                engine.carried[live], strict=True):
            given = giver == state
            partner = receiver if given else giver
            if not isinstance(partner, int | np.integer):
                continue  # a member outside the state system (Palestine)
            entry = rows.setdefault(int(partner), {"given": set(), "received": set(),
                                                   "agreements": set(), "kinds": {}})
            entry["given" if given else "received"].add(str(kind))
            entry["agreements"].add(str(agreement))
            # A tie of one kind rests on carried pledges when no pledge of that kind is not.
            entry["kinds"][str(kind)] = entry["kinds"].get(str(kind), True) and \
                bool(carried and after_atop)
        out = []
        for partner, entry in rows.items():
            strongest = max(entry["given"] | entry["received"], key=TIE_RANK.__getitem__)
            out.append({"ccode": partner, "name": state_name(partner, day),
                        "strongest": strongest,
                        "rank": TIE_RANK[strongest],
                        "carried": entry["kinds"][strongest],
                        "given": ", ".join(sorted(entry["given"])),
                        "received": ", ".join(sorted(entry["received"])),
                        "agreements": ", ".join(sorted(entry["agreements"]))})
        frame = pd.DataFrame(out, columns=["ccode", "name", "strongest", "rank", "carried",
                                           "given", "received", "agreements"])
        frame = frame.sort_values(["rank", "name"], ascending=[False, True], ignore_index=True)
        return frame.drop(columns="rank")

