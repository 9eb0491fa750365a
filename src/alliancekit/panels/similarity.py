"""``add_similarity``: alliance-portfolio similarity for every dyad-year of a panel.

The formulas are in :mod:`alliancekit.measures.similarity`; this module builds each year's
portfolios (ties from ATOP's directed dyad-years and/or the curated records), its scope (the
system members of the year, a region, a group) and capability weights (CINC), then reads the
measures of the panel's dyads off the year's matrices.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.curated.dyadyears import member_years
from alliancekit.curated.pledges import (
    carried_dyad_years,
    check_alliance_sources,
    check_certainty,
    inputs_digest,
)
from alliancekit.curated.query import get_group
from alliancekit.errors import UsageError
from alliancekit.measures.similarity import (
    MEASURES,
    Tables,
    check_measures,
    contingency,
    measure_of_table,
    to_binary,
    valued_ties,
)
from alliancekit.panels.atop import curated_alliance_table
from alliancekit.panels.create import create_stateyears
from alliancekit.panels.frame import add_sources, key_array, require
from alliancekit.sources.atop import ATOP_DDYR, load_atop_ddyr
from alliancekit.sources.nmc import load_nmc
from alliancekit.sources.registry import find_source

# COW's regions by state code, as in the COW and MID data: the Americas, Europe, Africa, the
# Middle East, Asia and Oceania.
REGIONS = ((1, 199, "americas"), (200, 399, "europe"), (400, 626, "africa"),
           (630, 699, "middle_east"), (700, 999, "asia"))


def region_of(codes: np.ndarray) -> np.ndarray:
    """The COW region index (0-4) of each state code."""
    bounds = np.array([high for _, high, _ in REGIONS])
    return np.searchsorted(bounds, codes)


@dataclass(frozen=True)
class Year:
    """One year's portfolios: the states (sorted), their n x n valued ties (row i: what i
    pledged; diagonal 3) and their weights (None when CINC is missing for the whole year)."""

    year: int
    states: np.ndarray
    ties: np.ndarray
    weights: np.ndarray | None


OBLIGATION_COLUMNS = tuple(f"atop_{o}" for o in
                           ("defense", "offense", "neutral", "nonagg", "consul"))


def obligation_table(sources: Sequence[str], records: Path | None,
                     data_dir: Path | str | None, *, carry_forward: bool = True,
                     certainty: str = "any", until: int | None = None
                     ) -> tuple[pd.DataFrame, list[str]]:
    """Directed dyad-year obligations (``ccode1, ccode2, year, atop_defense ... atop_consul``)
    from ATOP and/or the curated records, as :func:`add_atop_alliance` combines them (ATOP's
    pledges carried past 2018 with ``carry_forward``, to ``until``), and the sources used.

    Kept in memory for the process while its inputs are unchanged (see
    :func:`~alliancekit.curated.pledges.inputs_digest`): the explorer asks for it on every
    network view."""
    wanted = check_alliance_sources(sources)
    check_certainty(certainty)
    atop = "atop" in wanted and find_source("atop_ddyr", data_dir) is not None
    key = (tuple(sorted(wanted)), str(records), str(data_dir), carry_forward, certainty, until,
           inputs_digest(atop and find_source("atop", data_dir) is not None, data_dir, records))
    found = _TABLES.get(key)
    if found is None:
        found = _obligation_table(wanted, records, data_dir, carry_forward=carry_forward,
                                  certainty=certainty, until=until)
        if len(_TABLES) >= 4:
            _TABLES.clear()
        _TABLES[key] = found
    table, used = found
    return table.copy(deep=False), list(used)


_TABLES: dict[tuple[object, ...], tuple[pd.DataFrame, list[str]]] = {}


def _obligation_table(wanted: set[str], records: Path | None, data_dir: Path | str | None, *,
                      carry_forward: bool, certainty: str, until: int | None
                      ) -> tuple[pd.DataFrame, list[str]]:
    parts, used = [], []
    if "atop" in wanted:
        parts.append(load_atop_ddyr(data_dir))
        used.append("atop_ddyr")
    if "curated" in wanted:
        parts.append(curated_alliance_table(records, exclude_atop_years="atop" in wanted,
                                            certainty=certainty))
        used.append("curated")
    if carry_forward and wanted == {"atop", "curated"}:
        carried = carried_dyad_years(data_dir, records, certainty=certainty, until=until)
        if len(carried):
            parts.append(carried)
            used.append("atop_carried")
    keys = ["ccode1", "ccode2", "year"]
    table = pd.concat([p[[*keys, *OBLIGATION_COLUMNS]] for p in parts], ignore_index=True)
    if len(parts) > 1:
        table = table.groupby(keys, as_index=False)[list(OBLIGATION_COLUMNS)].max()
    return table.sort_values(["year", "ccode1", "ccode2"], ignore_index=True), used


def tie_table(sources: Sequence[str], records: Path | None,
              data_dir: Path | str | None, *, carry_forward: bool = True,
              certainty: str = "any", until: int | None = None
              ) -> tuple[pd.DataFrame, list[str]]:
    """Directed dyad-year valued ties (``ccode1, ccode2, year, tie``) and the sources used."""
    table, used = obligation_table(sources, records, data_dir, carry_forward=carry_forward,
                                   certainty=certainty, until=until)
    tie = valued_ties(*(table[c].to_numpy() for c in OBLIGATION_COLUMNS))
    return table[["ccode1", "ccode2", "year"]].assign(tie=tie), used


def years_of(ties: pd.DataFrame, system: pd.DataFrame, cinc: pd.DataFrame | None,
             years: Sequence[int]) -> Iterator[Year]:
    """Each year's portfolios over the system members of that year."""
    # The columns as arrays once, not once per year.
    tie_years = ties["year"].to_numpy()
    tie_c1, tie_c2 = ties["ccode1"].to_numpy(np.int64), ties["ccode2"].to_numpy(np.int64)
    tie_values = ties["tie"].to_numpy(np.int8)
    system_years = system["year"].to_numpy()
    system_codes = system["ccode"].to_numpy(np.int64)
    cinc_by_year = {} if cinc is None else dict(tuple(cinc.groupby("year")))
    for year in years:
        lo, hi = np.searchsorted(system_years, [year, year + 1])
        states = np.sort(system_codes[lo:hi])
        n = len(states)
        matrix = np.zeros((n, n), dtype=np.int8)
        lo, hi = np.searchsorted(tie_years, [year, year + 1])
        c1, c2 = tie_c1[lo:hi], tie_c2[lo:hi]
        i, j = np.searchsorted(states, c1), np.searchsorted(states, c2)
        known = (i < n) & (j < n)
        known[known] &= (states[i[known]] == c1[known]) & (states[j[known]] == c2[known])
        matrix[i[known], j[known]] = tie_values[lo:hi][known]
        np.fill_diagonal(matrix, 3)
        weights = None
        if cinc is not None:
            here = cinc_by_year.get(year, cinc.iloc[:0])
            w = pd.Series(here["cinc"].to_numpy(), index=here["ccode"].to_numpy())
            values = w.reindex(states).to_numpy(np.float64)
            if np.isfinite(values).any():
                weights = np.nan_to_num(values, nan=0.0)
        yield Year(year, states, matrix, weights)


def year_measures(year: Year, measures: list[str], scope: str,
                  members: np.ndarray | None) -> dict[str, np.ndarray]:
    """Every measure for every ordered pair of the year's states (n x n matrices)."""
    n = len(year.states)
    everyone = np.arange(n)
    out = {name: np.full((n, n), np.nan) for name in measures}
    weighted = any(MEASURES[m][3] == "weighted" for m in measures)
    weights = year.weights if weighted else None
    blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    if scope == "global":
        blocks.append((everyone, everyone, everyone))
    elif scope == "region":
        regions = region_of(year.states)
        for r1 in np.unique(regions):
            for r2 in np.unique(regions):
                rows1, rows2 = everyone[regions == r1], everyone[regions == r2]
                blocks.append((rows1, rows2, everyone[(regions == r1) | (regions == r2)]))
    else:
        assert members is not None
        blocks.append((everyone, everyone, everyone[members]))
    for rows1, rows2, columns in blocks:
        tables = contingency(year.ties, weights, rows1, rows2, columns)
        if members is not None and scope not in ("global", "region"):
            tables = _add_outsiders(tables, year.ties, weights, members)
        # Tables collapsed to binary once per year, not once per measure.
        prepared: dict[tuple[str, str], np.ndarray] = {}
        for name in measures:
            _, ties, _, weighting = MEASURES[name]
            if weighting == "weighted" and year.weights is None:
                continue
            if (ties, weighting) not in prepared:
                source = tables.weighted if weighting == "weighted" else tables.counts
                if source is None:
                    raise UsageError(f"{name} needs capability weights")
                prepared[ties, weighting] = source if ties == "valued" else to_binary(source)
            values = measure_of_table(name, prepared[ties, weighting])
            if rows1 is rows2 and len(rows1) == n:
                out[name] = values  # the whole year at once
            else:
                out[name][np.ix_(rows1, rows2)] = values
    return out


def _add_outsiders(tables: Tables, ties: np.ndarray, weights: np.ndarray | None,
                   members: np.ndarray) -> Tables:
    """A group's scope for the pair (i, j) is the group plus i and j: add the column of i
    (where i is not a member: x_ii = 3, x_ji) and of j (x_ij, x_jj = 3)."""
    outside_i = ~members[:, None]
    outside_j = ~members[None, :]
    counts = tables.counts.copy()
    weighted = None if tables.weighted is None else tables.weighted.copy()
    for value in range(4):
        from_i = outside_i & (value == ties.T)
        from_j = outside_j & (ties == value)
        counts[3, value] += from_i
        counts[value, 3] += from_j
        if weighted is not None and weights is not None:
            weighted[3, value] += from_i * weights[:, None]
            weighted[value, 3] += from_j * weights[None, :]
    return Tables(counts, weighted)


def _scope_suffix(scope: str) -> str:
    return "" if scope == "global" else f"_{scope}"


def add_similarity(
    frame: pd.DataFrame,
    *,
    measures: Sequence[str] | None = None,
    scope: str = "global",
    sources: Sequence[str] = ("atop",),
    records: Path | None = None,
    carry_forward: bool = True,
    certainty: str = "any",
    data_dir: Path | str | None = None,
) -> pd.DataFrame:
    """Add alliance-portfolio similarity measures to a COW dyad-year panel.

    ``measures`` are names such as ``s_valued_absolute_unweighted``, ``s_binary_squared_weighted``,
    ``pi_valued``, ``kappa_binary``, ``taub_valued`` (default: all 14; see
    :data:`alliancekit.measures.similarity.MEASURES`). ``scope`` sets the third states each
    portfolio runs over: ``"global"`` (every system member that year), ``"region"`` (the COW
    regions of the two states), or a curated group's name (``"oic"``: its members that year plus
    the two states); column names get ``_region`` or ``_<group>`` appended outside the global
    scope. ``sources``, ``carry_forward`` and ``certainty`` choose the ties as for
    :func:`add_atop_alliance`: with ATOP and the curated records, ATOP's pledges in force at the
    end of 2018 are carried on into later portfolios until a curated record ends them.

    Portfolios run over the COW system members of the year (extended past 2016 to the last full
    year, as peacesciencer's ``mry``); a year no tie source covers (after 2018 with ATOP alone)
    is missing, as are weighted measures in years without CINC scores (NMC 7.0 ends in 2022).
    A state without a CINC score in a covered year weighs 0.

    Worked example (three states): see :mod:`alliancekit.measures.similarity`.
    """
    kind = require(frame, "add_similarity", units=("dyad-year",), systems=("cow",))
    names = check_measures(measures)
    if not isinstance(scope, str) or not scope:
        raise UsageError("scope: give 'global', 'region' or a group name such as 'oic'")
    group = None if scope in ("global", "region") else get_group(scope)
    c1, c2, year = (key_array(frame, k) for k in kind.keys)
    ties, used = tie_table(sources, records, data_dir, carry_forward=carry_forward,
                           certainty=certainty, until=int(year.max(initial=ATOP_DDYR.coverage[1])))
    c1, c2, year = (key_array(frame, k) for k in kind.keys)
    last_tie_year = ATOP_DDYR.coverage[1] if "curated" not in used else int(year.max(initial=0))
    wanted_years = sorted(int(y) for y in np.unique(year)
                          if ATOP_DDYR.coverage[0] <= y <= last_tie_year)
    columns = {f"{name}{_scope_suffix(scope)}": np.full(len(frame), np.nan) for name in names}
    if wanted_years:
        system = create_stateyears("cow", (wanted_years[0], wanted_years[-1]),
                                   mry=wanted_years[-1] > 2016, data_dir=data_dir)
        system = system.sort_values(["year", "ccode"], ignore_index=True)
        weighted = any(MEASURES[m][3] == "weighted" for m in names)
        cinc = load_nmc("7.0", data_dir)[["ccode", "year", "cinc"]] if weighted else None
        if weighted:
            used.append("cow_nmc")
        group_years = member_years(group, 9999) if group is not None else None
        order = np.argsort(year, kind="stable")
        bounds = np.searchsorted(year[order], [*wanted_years, wanted_years[-1] + 1])
        for k, portfolios in enumerate(years_of(ties, system, cinc, wanted_years)):
            rows = order[bounds[k]:bounds[k + 1]]
            if len(rows) == 0:
                continue
            members = None
            if group_years is not None:
                here = group_years[group_years["year"] == portfolios.year]["state"].to_numpy()
                members = np.isin(portfolios.states, here)
            values = year_measures(portfolios, names, scope, members)
            n = len(portfolios.states)
            i = np.searchsorted(portfolios.states, c1[rows])
            j = np.searchsorted(portfolios.states, c2[rows])
            ok = (i < n) & (j < n)
            ok[ok] &= (portfolios.states[i[ok]] == c1[rows][ok]) & \
                (portfolios.states[j[ok]] == c2[rows][ok])
            for name in names:
                columns[f"{name}{_scope_suffix(scope)}"][rows[ok]] = values[name][i[ok], j[ok]]
    # The new columns are handed over, not copied (they are millions of rows each).
    out = frame.assign(**{k: pd.Series(v, index=frame.index, copy=False)
                          for k, v in columns.items()})
    return add_sources(out, *used)
