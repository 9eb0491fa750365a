"""Crisis scenarios: who is pledged to each side, who is torn, how strong each side is.

A scenario names the attackers, the targets, a day and optionally a location::

    attackers: [AUH]
    targets: [SER]          # COW 345 is Serbia (Yugoslavia)
    on: 1914-07-28
    location: Balkans       # optional

**Sides.** The target side gains every state with a defence pledge to a target that applies or
is conditional (conditions checked against the attackers); the attacker side every state with
an offence pledge to an attacker. States with a neutrality pledge to either side are listed as
neutral. A state is *cross-pressured* when it has pledges to both sides, or a non-aggression
pact with an attacker while pledged to defend a target.

**Capabilities** are CINC scores (COW NMC 7.0) from the latest year at or before the day, and
the answer says which year was used. Sides' totals count the belligerents and the states whose
pledges apply (``certain``) or apply or are conditional (``possible``).

The Monte Carlo simulation of who joins is :mod:`alliancekit.obligations.simulation`.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from alliancekit.curated.query import parse_day
from alliancekit.errors import UsageError
from alliancekit.names import resolve_state, state_name
from alliancekit.obligations.engine import (
    Obligations,
    check_conditions,
    explain,
    pledge_status,
    status_rank,
)
from alliancekit.obligations.wording import ENGLISH, Wording
from alliancekit.settings import limit
from alliancekit.sources.nmc import load_nmc
from alliancekit.sources.registry import find_source
from alliancekit.sources.sipri import load_sipri_milex

MAX_SCENARIO_BYTES = limit("MAX_SCENARIO_BYTES", 64 * 1024)


class _NoAliases(yaml.SafeLoader):
    """YAML's safe loader without anchors and aliases, which a scenario never needs."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (*name) are not accepted in a scenario", mark)
        return super().compose_node(parent, index)


def _excerpt(error: BaseException, limit: int = 200) -> str:
    """An error's message cut to ``limit`` characters."""
    if isinstance(error, RecursionError):
        return "nested too deeply"
    text = " ".join(str(error).split())
    return text if len(text) <= limit else text[:limit] + " ..."


@dataclass(frozen=True)
class Scenario:
    """Attackers and targets (COW codes), the day, and an optional location."""

    attackers: tuple[int, ...]
    targets: tuple[int, ...]
    on: datetime.date
    location: str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], where: str = "scenario") -> Scenario:
        """A scenario from a parsed YAML/JSON mapping; bad fields are errors naming them.

        The day may be given as ``on`` or ``date`` (YAML 1.1 reads a bare ``on`` key as
        ``True``; that is accepted too)."""
        data = dict(data)
        for alias in ("date", True):
            if "on" not in data and alias in data:
                data["on"] = data.pop(alias)
        missing = [k for k in ("attackers", "targets", "on") if k not in data]
        if missing:
            raise UsageError(f"{where}: missing {', '.join(missing)}")

        def states(key: str) -> tuple[int, ...]:
            value = data[key]
            items = value if isinstance(value, list) else [value]
            if not items:
                raise UsageError(f"{where}: {key} is empty")
            return tuple(resolve_state(v, f"{where}: {key}") for v in items)

        attackers, targets = states("attackers"), states("targets")
        if set(attackers) & set(targets):
            raise UsageError(f"{where}: a state cannot be both attacker and target")
        location = data.get("location")
        return cls(attackers, targets, parse_day(str(data["on"]), f"{where}: on"),
                   None if location in (None, "") else str(location))

    @classmethod
    def from_file(cls, path: Path | str) -> Scenario:
        """A scenario from a ``.yaml``/``.yml`` or ``.json`` file of at most
        :data:`MAX_SCENARIO_BYTES`. YAML anchors and aliases are refused (a few hundred bytes of
        nested aliases expand to gigabytes), and an error quotes at most a short excerpt."""
        path = Path(path)
        try:
            size = path.stat().st_size
            if size > MAX_SCENARIO_BYTES:
                raise UsageError(f"{path}: {size:,} bytes; a scenario file is at most "
                                 f"{MAX_SCENARIO_BYTES:,}")
            text = path.read_bytes().decode("utf-8")
        except OSError as exc:
            raise UsageError(f"{path}: cannot read ({exc.strerror})") from None
        except UnicodeDecodeError as exc:
            raise UsageError(f"{path}: not a text file (byte {exc.start} is not UTF-8)") from None
        kind = "JSON" if path.suffix.lower() == ".json" else "YAML"
        try:
            data = json.loads(text) if kind == "JSON" else yaml.load(text, Loader=_NoAliases)
        except (json.JSONDecodeError, yaml.YAMLError, ValueError, RecursionError) as exc:
            raise UsageError(f"{path}: not valid {kind}: {_excerpt(exc)}") from None
        if not isinstance(data, dict):
            raise UsageError(f"{path}: give a mapping with attackers, targets and on")
        return cls.from_mapping(data, str(path))

    def describe(self) -> str:
        names = ", ".join(state_name(a, self.on) for a in self.attackers)
        victims = ", ".join(state_name(t, self.on) for t in self.targets)
        return f"{names} attacks {victims} on {self.on}" + (
            f" in {self.location}" if self.location else "")


@dataclass
class Assessment:
    """The sides of a scenario: one row per state with its role, plus capability totals."""

    scenario: Scenario
    states: pd.DataFrame
    pledges: pd.DataFrame
    capabilities: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def _pledges_to(engine: Obligations, receivers: Sequence[int], obligation: str,
                day: datetime.date) -> pd.DataFrame:
    mask = (engine.in_force(day) & np.isin(engine.receivers, list(receivers))
            & (engine.types == obligation))
    return pd.DataFrame(engine.table[mask])


def assess(engine: Obligations, scenario: Scenario, *, data_dir: Path | str | None = None,
           words: Wording = ENGLISH) -> Assessment:
    """Who is pledged to which side of ``scenario`` and how strong each side is."""
    day = scenario.on
    belligerents = set(scenario.attackers) | set(scenario.targets)
    rows = []
    for obligation, receivers, side in (
            ("defence", scenario.targets, "target"),
            ("offence", scenario.attackers, "attacker"),
            ("neutrality", scenario.targets, "neutral"),
            ("neutrality", scenario.attackers, "neutral"),
            ("non_aggression", scenario.attackers, "non-aggression with attacker"),
            ("defence", scenario.attackers, "defence of attacker")):
        for pledge in _pledges_to(engine, receivers, obligation, day).to_dict("records"):
            if pledge["giver"] in belligerents:
                continue
            attackers = scenario.attackers if side == "target" else scenario.targets
            conditions = [check_conditions(pledge, attacker=a, location=scenario.location,
                                           on=scenario.on, words=words)
                          for a in attackers]
            best = min(conditions, key=status_rank)
            status = pledge_status(best)
            rows.append({"state": pledge["giver"], "side": side,
                         "receiver": pledge["receiver"], "obligation": obligation,
                         "agreement": pledge["agreement"], "status": status,
                         "explanation": explain(pledge, best, status, on=day, words=words),
                         "citation": pledge["citation"]})
    pledges = pd.DataFrame(rows, columns=["state", "side", "receiver", "obligation",
                                          "agreement", "status", "explanation", "citation"])
    states = _roles(scenario, pledges)
    capabilities, notes = _capabilities(scenario, states, data_dir)
    return Assessment(scenario, states, pledges, capabilities, notes)


def _roles(scenario: Scenario, pledges: pd.DataFrame) -> pd.DataFrame:
    rows = [{"state": s, "role": "attacker", "certain": True, "possible": True}
            for s in scenario.attackers]
    rows += [{"state": s, "role": "target", "certain": True, "possible": True}
             for s in scenario.targets]
    live = pledges[pledges["status"] != "does not apply"]
    for state, group in live.groupby("state", sort=True):
        sides = set(group["side"])
        to_target = "target" in sides
        to_attacker = bool(sides & {"attacker", "defence of attacker"})
        if to_target and (to_attacker or "non-aggression with attacker" in sides):
            role = "cross-pressured"
        elif to_target:
            role = "defends target"
        elif "attacker" in sides:
            role = "joins attacker"
        elif "neutral" in sides:
            role = "neutral"
        else:
            continue
        certain = role in ("defends target", "joins attacker") and bool(
            (group["status"] == "applies").any())
        rows.append({"state": state, "role": role, "certain": certain,
                     "possible": role in ("defends target", "joins attacker")})
    frame = pd.DataFrame(rows, columns=["state", "role", "certain", "possible"])
    frame.insert(1, "state_name", [state_name(int(s), scenario.on) for s in frame["state"]])
    return frame


def _capabilities(scenario: Scenario, states: pd.DataFrame, data_dir: Path | str | None
                  ) -> tuple[dict[str, Any], list[str]]:
    if find_source("cow_nmc", data_dir) is None:
        return {}, ["capabilities: NMC 7.0 not found, so no CINC totals"]
    nmc = load_nmc("7.0", data_dir)
    nmc = nmc[(nmc["year"] <= scenario.on.year) & nmc["cinc"].notna()]
    if nmc.empty:
        return {}, ["capabilities: no CINC score at or before the day"]
    year = int(nmc["year"].max())
    cinc = nmc[nmc["year"] == year].set_index("ccode")["cinc"]
    states["cinc"] = [float(cinc.get(s, np.nan)) for s in states["state"]]

    def total(roles: set[str], column: str) -> float | None:
        chosen = states[states["role"].isin(roles) & states[column]]
        value = float(chosen["cinc"].sum(min_count=1))  # no score at all is missing, not 0
        return None if np.isnan(value) else value

    out: dict[str, Any] = {"cinc_year": year}
    for level in ("certain", "possible"):
        attack = total({"attacker", "joins attacker"}, level)
        defend = total({"target", "defends target"}, level)
        out[level] = {"attacker_side": attack, "target_side": defend,
                      "ratio_target_to_attacker":
                          defend / attack if attack and defend is not None else None}
    notes = [f"capabilities: CINC from COW NMC 7.0, year {year} (the latest at or before "
             f"{scenario.on})"]
    if year < scenario.on.year:
        notes.append(f"capabilities: NMC 7.0 ends in {year}; {scenario.on.year} uses {year}")
    notes += _spending(scenario, states, out, data_dir)
    return out, notes


def _spending(scenario: Scenario, states: pd.DataFrame, out: dict[str, Any],
              data_dir: Path | str | None) -> list[str]:
    """Add SIPRI military spending (constant 2022 US$ m, each state's latest year at or before
    the day) to ``states`` and the side totals to ``out``; the notes say which years."""
    if find_source("sipri_milex", data_dir) is None:
        return ["spending: SIPRI military expenditure not found, so no spending totals"]
    milex = load_sipri_milex(data_dir)
    milex = milex[milex["year"] <= scenario.on.year]
    latest = milex.sort_values("year").groupby("ccode").tail(1).set_index("ccode")
    states["milex_usd2022_m"] = [float(latest["milex_usd2022_m"].get(s, np.nan))
                                 for s in states["state"]]
    states["milex_year"] = pd.array([latest["year"].get(s, pd.NA) for s in states["state"]],
                                    dtype="Int64")
    for level in ("certain", "possible"):
        for side, roles in (("attacker_side", {"attacker", "joins attacker"}),
                            ("target_side", {"target", "defends target"})):
            chosen = states[states["role"].isin(roles) & states[level]]
            value = float(chosen["milex_usd2022_m"].sum(min_count=1))
            out[level][f"{side}_milex_usd2022_m"] = None if np.isnan(value) else value
    years = states["milex_year"].dropna()
    if years.empty:
        return ["spending: SIPRI has no figure at or before the day for these states"]
    missing = states[states["milex_year"].isna()]["state_name"].tolist()
    return [f"spending: SIPRI constant 2022 US$ millions, each state's latest year at or "
            f"before {scenario.on}: {int(years.min())}-{int(years.max())}"
            + (f"; no figure for {', '.join(missing)}" if missing else "")]

