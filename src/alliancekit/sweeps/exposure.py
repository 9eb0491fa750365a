"""The exposure atlas: for every state, year and potential attacker, who is pledged to come to
the state's defence, how likely any of them is to come, and the capabilities with and without
them.

One partition per year; the year stands for its last day (31 December), as on the explorer's
map. For each target state of the COW system on that day and each potential attacker (every
other member, or with ``attackers="neighbours,majors"`` the states contiguous to the target
(COW direct contiguity, land or water up to 400 miles) and the major powers):

- ``defenders``: the states pledged to defend the target (ATOP and the curated records, through
  the obligation engine) whose pledge applies or may apply against that attacker: a pledge
  limited to other named adversaries does not count, nor does the attacker itself.
  ``defenders_applying`` counts those with a pledge that applies outright (no condition left
  unchecked).
- ``p_any``, ``expected_joiners``: the chance at least one defender comes and how many are
  expected, under the simulation's honouring setting. Each state decides once for its pledges
  to the target (the simulation's ``together``), and each draw takes the era's honouring rate
  for defence pledges from its Beta distribution (``honoured="empirical"``), or a fixed rate.
  Given a draw's rate r, n defenders give 1 - (1 - r)^n exactly; the draws carry the rate's
  uncertainty. This is the simulation's estimate (``simulate`` with one attacker, one target and
  no cascade) computed without drawing each state, so with less noise.
- ``cinc_*`` and ``ratio_*``: CINC scores (COW NMC 7.0, each state's score in the latest NMC
  year at or before the year, as the simulation does; ``cinc_year`` in the summary) and the
  target side's capability over the attacker's: alone, with every pledged defender, and with
  the expected help. Missing when the target's or the attacker's score is missing; defenders
  without a score add nothing (``defenders_without_cinc`` counts them).

The ``summary`` table has one row per state-year: its most dangerous attacker (the lowest
expected capability ratio, ties to the lower COW code) with that attacker's figures, and the
number of states pledged to defend it against anyone.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.errors import UsageError
from alliancekit.obligations.engine import Obligations
from alliancekit.obligations.simulation import HONOURED
from alliancekit.panels.create import most_recent_year
from alliancekit.reliability.cases import era_of
from alliancekit.reliability.empirical import available as empirical_available
from alliancekit.reliability.empirical import era_parameters, parse_honoured
from alliancekit.sources.contiguity import load_contiguity
from alliancekit.sources.cow_states import load_cow_states
from alliancekit.sources.majors import load_majors
from alliancekit.sources.nmc import load_nmc
from alliancekit.sources.registry import find_source
from alliancekit.sweeps.runner import Sweep

ATTACKER_CHOICES = ("all", "neighbours", "majors")
TABLES = ("atlas", "summary")
MAX_DRAWS = 100_000


@dataclass(frozen=True)
class ExposureInputs:
    """What every partition reads, shipped once to each worker: the state system, the defence
    pledges (day numbers; adversaries as offsets into one array), CINC scores, contiguity and
    major-power spells, and the honouring setting."""

    system: np.ndarray  # COW membership spells: rows ccode, first day, last day
    giver: np.ndarray
    receiver: np.ndarray
    start: np.ndarray
    end: np.ndarray
    named: np.ndarray  # the pledge names adversaries
    exclusive: np.ndarray  # ... and applies only against them
    other: np.ndarray  # a condition no attacker settles (location, non-provocation, other)
    adversary_offsets: np.ndarray
    adversary_codes: np.ndarray
    cinc_year: np.ndarray
    cinc_ccode: np.ndarray
    cinc: np.ndarray
    contiguity: np.ndarray | None  # rows ccode1, ccode2, start day, end day
    majors: np.ndarray | None  # rows ccode, start day, end day
    attackers: tuple[str, ...]
    rates: Mapping[str, tuple[float, float]] | None  # era -> Beta(a, b) of defence pledges
    honoured: float
    draws: int

    @property
    def nbytes(self) -> int:
        """About how much memory the inputs take (what each worker holds)."""
        return sum(v.nbytes for v in vars(self).values() if isinstance(v, np.ndarray))


def check_attackers(text: str | Sequence[str]) -> tuple[str, ...]:
    """``all`` or any of ``neighbours``, ``majors``, checked."""
    chosen = tuple(dict.fromkeys(p.strip() for p in (text.split(",") if isinstance(text, str)
                                                        else text) if p.strip()))
    if not chosen or any(c not in ATTACKER_CHOICES for c in chosen) or (
            "all" in chosen and len(chosen) > 1):
        raise UsageError(f"attackers={','.join(chosen) or text!r}: give all, or neighbours, "
                         "majors or neighbours,majors")
    return chosen


def _days(values: pd.Series) -> np.ndarray:
    return values.to_numpy().astype("datetime64[D]").astype(np.int64)


def _open_ended(end: np.ndarray) -> np.ndarray:
    """Spells ending on the source's last day are taken as lasting (the source stops there,
    the spell does not): the state system's members are carried on the same way."""
    if len(end) == 0:
        return end
    return np.where(end >= end.max(), np.iinfo(np.int64).max, end)


def exposure_inputs(years: tuple[int, int], *, attackers: str | Sequence[str] = "all",
                    honoured: float | str = "empirical", draws: int = 1000,
                    engine: Obligations | None = None,
                    data_dir: Path | str | None = None) -> ExposureInputs:
    """Everything the atlas of ``years`` reads (see the module docstring); raises
    :class:`UsageError` for a bad argument or a source the choice needs that is not found."""
    chosen = check_attackers(attackers)
    if not 1 <= draws <= MAX_DRAWS:
        raise UsageError(f"draws={draws}: give 1 to {MAX_DRAWS:,}")
    first, last = years
    if first > last or first < 1816 or last > most_recent_year():
        raise UsageError(f"years={first}-{last}: the atlas covers 1816-{most_recent_year()} "
                         "(the state system to the last full year)")
    if find_source("cow_states", data_dir) is None:
        raise UsageError("the atlas needs the COW state system (cow_states); alliancekit data "
                         "list shows how to get it")
    rates: dict[str, tuple[float, float]] | None = None
    fixed = parse_honoured(honoured)
    if fixed is None:
        if not empirical_available(data_dir):
            raise UsageError("honoured=empirical needs ATOP and the COW war data; give a fixed "
                             f"rate such as --honoured {HONOURED}")
        rates = era_parameters("defence", data_dir)
        fixed = HONOURED
    spells = load_cow_states(data_dir)
    system = np.stack([spells["ccode"].to_numpy(np.int64), _days(spells["start"]),
                       _open_ended(_days(spells["end"]))], axis=1)
    engine = engine or Obligations(data_dir=data_dir)
    table = engine.table
    defence = table[table["obligation"] == "defence"]
    adversaries = [tuple(int(c) for c in a) if isinstance(a, tuple) and named else ()
                   for a, named in zip(defence["adversary"], defence["adversary_named"],
                                       strict=True)]
    offsets = np.zeros(len(adversaries) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(a) for a in adversaries])
    other = (defence["location"].fillna("").astype(str).str.len().to_numpy() > 0) \
        | (defence["non_provocation"].map(lambda v: v is True).to_numpy(dtype=bool)) \
        | (defence["other"].fillna("").astype(str).str.len().to_numpy() > 0)
    nmc = load_nmc("7.0", data_dir) if find_source("cow_nmc", data_dir) else None
    nmc = nmc[nmc["cinc"].notna()] if nmc is not None else None
    contiguity = majors = None
    if find_source("cow_contiguity", data_dir) is not None:
        spells = load_contiguity(data_dir)
        spells = spells[spells["conttype"].between(1, 5)]
        contiguity = np.stack([spells["ccode1"].to_numpy(np.int64),
                               spells["ccode2"].to_numpy(np.int64), _days(spells["stdate"]),
                               _open_ended(_days(spells["enddate"]))], axis=1)
    elif "neighbours" in chosen:
        raise UsageError("attackers=neighbours needs COW direct contiguity (cow_contiguity)")
    if find_source("cow_majors", data_dir) is not None:
        powers = load_majors(data_dir)
        majors = np.stack([powers["ccode"].to_numpy(np.int64), _days(powers["start"]),
                           _open_ended(_days(powers["end"]))], axis=1)
    elif "majors" in chosen:
        raise UsageError("attackers=majors needs the COW major powers (cow_majors)")
    return ExposureInputs(
        system=system,
        giver=defence["giver"].to_numpy(np.int64), receiver=defence["receiver"].to_numpy(np.int64),
        start=_days(defence["start"]),
        end=np.where(defence["end"].isna().to_numpy(), np.iinfo(np.int64).max,
                     _days(defence["end"].fillna(pd.Timestamp("2262-01-01")))),
        named=np.array([len(a) > 0 for a in adversaries], dtype=bool),
        exclusive=defence["adversary_exclusive"].to_numpy(dtype=bool)
        & np.array([len(a) > 0 for a in adversaries], dtype=bool),
        other=np.asarray(other, dtype=bool), adversary_offsets=offsets,
        adversary_codes=np.array([c for a in adversaries for c in a], dtype=np.int64),
        cinc_year=np.empty(0, np.int64) if nmc is None else nmc["year"].to_numpy(np.int64),
        cinc_ccode=np.empty(0, np.int64) if nmc is None else nmc["ccode"].to_numpy(np.int64),
        cinc=np.empty(0) if nmc is None else nmc["cinc"].to_numpy(np.float64),
        contiguity=contiguity, majors=majors, attackers=chosen, rates=rates, honoured=fixed,
        draws=draws)


def _in_force(start: np.ndarray, end: np.ndarray, day: int) -> np.ndarray:
    result: np.ndarray = (start <= day) & (day <= end)
    return result


def exposure_year(inputs: ExposureInputs, year: int, seed: int) -> dict[str, pd.DataFrame]:
    """The atlas and summary rows of ``year`` (see the module docstring); a pure function of
    its arguments."""
    day = int(np.datetime64(datetime.date(year, 12, 31), "D").astype(np.int64))
    # the members on the year's last day (COW's list ends in 2016; its members then are
    # taken as members since, as the explorer's map does)
    members = inputs.system[_in_force(inputs.system[:, 1], inputs.system[:, 2], day)]
    states = np.unique(members[:, 0])
    # the honouring rate's draws: P(at least one of n comes) and the expected share coming
    rng = np.random.default_rng(seed)
    era = era_of(year)
    if inputs.rates is not None and era in inputs.rates:
        rate = rng.beta(*inputs.rates[era], size=inputs.draws)
    else:
        rate = np.full(1, inputs.honoured)
    most = len(states) + len(np.unique(inputs.giver)) + 1  # defenders may be outside the system
    p_any_of = 1.0 - np.mean((1.0 - rate)[None, :] ** np.arange(most)[:, None], axis=1)
    mean_rate = float(rate.mean())
    # CINC of the latest NMC year at or before this one
    known = inputs.cinc_year[inputs.cinc_year <= year]
    cinc_year = int(known.max()) if len(known) else None
    cinc = np.full(len(states), np.nan)
    if cinc_year is not None:
        pick = inputs.cinc_year == cinc_year
        lookup = dict(zip(inputs.cinc_ccode[pick].tolist(), inputs.cinc[pick].tolist(),
                          strict=True))
        cinc = np.array([lookup.get(int(s), np.nan) for s in states])
    position = {int(s): k for k, s in enumerate(states)}
    neighbours: dict[int, set[int]] = {}
    if inputs.contiguity is not None:
        rows = inputs.contiguity[_in_force(inputs.contiguity[:, 2], inputs.contiguity[:, 3],
                                           day)]
        for a, b in rows[:, :2].tolist():
            neighbours.setdefault(a, set()).add(b)
    majors: set[int] = set()
    if inputs.majors is not None:
        rows = inputs.majors[_in_force(inputs.majors[:, 1], inputs.majors[:, 2], day)]
        majors = set(rows[:, 0].tolist())
    live = np.flatnonzero(_in_force(inputs.start, inputs.end, day))
    by_receiver: dict[int, np.ndarray] = {}
    if len(live):
        order = live[np.argsort(inputs.receiver[live], kind="stable")]
        values, first = np.unique(inputs.receiver[order], return_index=True)
        for value, group in zip(values.tolist(), np.split(order, first[1:]), strict=True):
            by_receiver[value] = group
    atlas: list[pd.DataFrame] = []
    summary = []
    for target in states.tolist():
        if "all" in inputs.attackers:
            foes = states[states != target]
        else:
            wanted: set[int] = set()
            if "neighbours" in inputs.attackers:
                wanted |= neighbours.get(target, set())
            if "majors" in inputs.attackers:
                wanted |= majors
            foes = np.array(sorted(s for s in wanted if s != target and s in position),
                            dtype=np.int64)
        pledges = by_receiver.get(target, np.empty(0, np.int64))
        frame, row = _target_rows(inputs, target, foes, pledges, cinc, position, p_any_of,
                                  mean_rate, neighbours, majors)
        atlas.append(frame)
        summary.append(row)
    out = pd.concat(atlas, ignore_index=True) if atlas else _target_rows(
        inputs, 0, np.empty(0, np.int64), np.empty(0, np.int64), cinc, position, p_any_of,
        mean_rate, neighbours, majors)[0]
    table = pd.DataFrame(summary, columns=SUMMARY_COLUMNS)
    table["cinc_year"] = pd.array([cinc_year] * len(table), dtype="Int16")
    return {"atlas": out, "summary": _summary_types(table)}


SUMMARY_COLUMNS = ["ccode", "attackers", "defenders_any", "most_dangerous",
                   "md_ratio_alone", "md_ratio_expected", "md_defenders", "md_p_any",
                   "md_expected_joiners"]


def _summary_types(table: pd.DataFrame) -> pd.DataFrame:
    return table.astype({"ccode": "int16", "attackers": "int16", "defenders_any": "int16",
                         "most_dangerous": "Int16", "md_defenders": "Int16",
                         "md_ratio_alone": "float64", "md_ratio_expected": "float64",
                         "md_p_any": "float64", "md_expected_joiners": "float64"})


def _target_rows(inputs: ExposureInputs, target: int, foes: np.ndarray, pledges: np.ndarray,
                 cinc: np.ndarray, position: Mapping[int, int], p_any_of: np.ndarray,
                 mean_rate: float, neighbours: Mapping[int, set[int]], majors: set[int]
                 ) -> tuple[pd.DataFrame, list[object]]:
    """One target's rows: a (pledge x attacker) table of which pledges count, reduced to
    one decision per defending state."""
    givers = inputs.giver[pledges]
    valid = givers[:, None] != foes[None, :]
    applying = valid & ~inputs.other[pledges][:, None]
    for k, index in enumerate(pledges.tolist()):
        if inputs.named[index]:
            named = inputs.adversary_codes[inputs.adversary_offsets[index]:
                                           inputs.adversary_offsets[index + 1]]
            against = np.isin(foes, named)
            applying[k] &= against
            if inputs.exclusive[index]:
                valid[k] &= against
    # one decision per defending state: any of its pledges to the target
    unique = np.unique(givers)
    order = np.argsort(givers, kind="stable")
    if len(givers):
        starts = np.searchsorted(givers[order], unique)
        defends = np.logical_or.reduceat(valid[order], starts, axis=0)
        applies = np.logical_or.reduceat(applying[order], starts, axis=0)
    else:
        defends = applies = np.zeros((0, len(foes)), dtype=bool)
    helper_cinc = np.array([cinc[position[g]] if g in position else np.nan
                            for g in unique.tolist()])
    count = defends.sum(axis=0)
    help_pledged = (np.nan_to_num(helper_cinc)[:, None] * defends).sum(axis=0)
    without = (np.isnan(helper_cinc)[:, None] & defends).sum(axis=0)
    own = cinc[position[target]] if target in position else np.nan
    foe_cinc = np.array([cinc[position[f]] for f in foes.tolist()])
    with np.errstate(divide="ignore", invalid="ignore"):
        usable = np.isfinite(foe_cinc) & (foe_cinc > 0) & np.isfinite(own)
        alone = np.where(usable, own / foe_cinc, np.nan)
        pledged = np.where(usable, (own + help_pledged) / foe_cinc, np.nan)
        expected = np.where(usable, (own + mean_rate * help_pledged) / foe_cinc, np.nan)
    p_any = p_any_of[count]
    frame = pd.DataFrame({
        "ccode": np.full(len(foes), target, dtype=np.int16),
        "attacker": foes.astype(np.int16),
        "defenders": count.astype(np.int16),
        "defenders_applying": applies.sum(axis=0).astype(np.int16),
        "p_any": p_any, "expected_joiners": count * mean_rate,
        "cinc_target": np.full(len(foes), own), "cinc_attacker": foe_cinc,
        "cinc_pledged_help": help_pledged, "defenders_without_cinc": without.astype(np.int16),
        "ratio_alone": alone, "ratio_pledged": pledged, "ratio_expected": expected,
        "attacker_neighbour": pd.array(
            [f in neighbours.get(target, set()) for f in foes.tolist()], dtype="boolean")
        if inputs.contiguity is not None else pd.array([None] * len(foes), dtype="boolean"),
        "attacker_major": pd.array([f in majors for f in foes.tolist()], dtype="boolean")
        if inputs.majors is not None else pd.array([None] * len(foes), dtype="boolean"),
    })
    worst: list[object] = [None] * 6
    if np.isfinite(expected).any():
        k = int(np.nanargmin(expected))  # the first (lowest code) of equal ratios
        worst = [int(foes[k]), float(alone[k]), float(expected[k]), int(count[k]),
                 float(p_any[k]), float(count[k] * mean_rate)]
    row: list[object] = [target, len(foes), len(unique), *worst]
    return frame, row


def exposure_sweep(years: tuple[int, int], *, attackers: str | Sequence[str] = "all",
                   honoured: float | str = "empirical", draws: int = 1000,
                   data_dir: Path | str | None = None) -> Sweep:
    """The exposure atlas of ``years`` as a :class:`~alliancekit.sweeps.runner.Sweep`, one
    partition per year."""
    inputs = exposure_inputs(years, attackers=attackers, honoured=honoured, draws=draws,
                             data_dir=data_dir)
    return Sweep("exposure", exposure_year, inputs, tuple(range(years[0], years[1] + 1)),
                 TABLES, {"years": list(years), "attackers": ",".join(inputs.attackers),
                          "honoured": "empirical" if inputs.rates is not None
                          else inputs.honoured, "draws": draws})
