"""Alliance-portfolio similarity for every scope and group at once, on the sweeps layer: one
partition per year, one table per scope.

``alliancekit sweep similarity --years 1816-2018 --scopes all --out DIR`` writes, for each scope
(``global``, ``region`` and every curated group: ``arab_league``, ``gcc``, ``oic``), the measures
of every directed dyad of the COW system that year, as
:func:`~alliancekit.panels.similarity.add_similarity` computes them for that scope (a test checks
that they are the same numbers). The year's portfolios are built once, on the machine that
starts the run, and shipped to the workers with the group memberships.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.curated.dyadyears import member_years
from alliancekit.curated.query import get_group
from alliancekit.curated.records import load_groups
from alliancekit.errors import UsageError
from alliancekit.measures.similarity import MEASURES, check_measures
from alliancekit.panels.create import create_stateyears, most_recent_year
from alliancekit.panels.similarity import Year, tie_table, year_measures, years_of
from alliancekit.sources.atop import ATOP_DDYR
from alliancekit.sources.nmc import load_nmc
from alliancekit.sweeps.runner import Sweep


@dataclass(frozen=True)
class SimilarityInputs:
    """Each year's portfolios, the members of each group scope by year, and the measures."""

    years: Mapping[int, Year]
    members: Mapping[str, Mapping[int, np.ndarray]]
    scopes: tuple[str, ...]
    measures: tuple[str, ...]


def check_scopes(text: str | Sequence[str]) -> tuple[str, ...]:
    """``all`` (global, region and every curated group) or a list of scopes, each checked."""
    chosen = [p.strip() for p in (text.split(",") if isinstance(text, str) else text)
              if p.strip()]
    if chosen == ["all"]:
        return ("global", "region", *sorted(load_groups()))
    if not chosen or "all" in chosen:
        raise UsageError(f"scopes={text!r}: give all, or scopes such as global,region,oic")
    for scope in chosen:
        if scope not in ("global", "region"):
            get_group(scope)  # an unknown group is named with the known ones
    return tuple(dict.fromkeys(chosen))


def similarity_inputs(years: tuple[int, int], *, scopes: str | Sequence[str] = "all",
                      measures: Sequence[str] | None = None,
                      sources: Sequence[str] = ("atop",), carry_forward: bool = True,
                      certainty: str = "any",
                      data_dir: Path | str | None = None) -> SimilarityInputs:
    """The portfolios of ``years`` and the group memberships every partition reads."""
    chosen = check_scopes(scopes)
    names = tuple(check_measures(measures))
    ties, used = tie_table(sources, None, data_dir, carry_forward=carry_forward,
                           certainty=certainty, until=years[1])
    last = ATOP_DDYR.coverage[1] if "curated" not in used else most_recent_year()
    first, last = max(years[0], ATOP_DDYR.coverage[0]), min(years[1], last)
    if first > last:
        raise UsageError(f"years={years[0]}-{years[1]}: the tie sources ({', '.join(used)}) "
                         f"cover {ATOP_DDYR.coverage[0]}-{last}")
    system = create_stateyears("cow", (first, last), mry=last > 2016, data_dir=data_dir)
    system = system.sort_values(["year", "ccode"], ignore_index=True)
    ties = ties.sort_values(["year", "ccode1", "ccode2"], ignore_index=True)
    weighted = any(MEASURES[m][3] == "weighted" for m in names)
    cinc = load_nmc("7.0", data_dir)[["ccode", "year", "cinc"]] if weighted else None
    portfolios = {p.year: p for p in years_of(ties, system, cinc, range(first, last + 1))}
    members: dict[str, dict[int, np.ndarray]] = {}
    for scope in chosen:
        if scope in ("global", "region"):
            continue
        spells = member_years(get_group(scope), 9999)
        members[scope] = {year: np.isin(p.states, spells.loc[spells["year"] == year,
                                                             "state"].to_numpy())
                          for year, p in portfolios.items()}
    return SimilarityInputs(portfolios, members, chosen, names)


def similarity_year(inputs: SimilarityInputs, year: int, seed: int
                    ) -> dict[str, pd.DataFrame]:
    """Every directed dyad of ``year`` (``ccode1``, ``ccode2``) with each measure, one table per
    scope (the seed is not used: nothing is drawn)."""
    portfolios = inputs.years[year]
    n = len(portfolios.states)
    i, j = np.nonzero(~np.eye(n, dtype=bool))
    out = {}
    for scope in inputs.scopes:
        members = inputs.members[scope][year] if scope in inputs.members else None
        values = year_measures(portfolios, list(inputs.measures), scope, members)
        frame = pd.DataFrame({"ccode1": portfolios.states[i].astype(np.int16),
                              "ccode2": portfolios.states[j].astype(np.int16)})
        for name in inputs.measures:
            frame[name] = values[name][i, j]
        out[scope] = frame
    return out


def similarity_sweep(years: tuple[int, int], *, scopes: str | Sequence[str] = "all",
                     measures: Sequence[str] | None = None, sources: Sequence[str] = ("atop",),
                     carry_forward: bool = True, certainty: str = "any",
                     data_dir: Path | str | None = None) -> Sweep:
    """Similarity for every scope of ``scopes`` over ``years`` as a sweep, one partition per
    year the tie sources cover."""
    inputs = similarity_inputs(years, scopes=scopes, measures=measures, sources=sources,
                               carry_forward=carry_forward, certainty=certainty,
                               data_dir=data_dir)
    return Sweep("similarity", similarity_year, inputs, tuple(sorted(inputs.years)),
                 inputs.scopes, {"years": list(years), "scopes": list(inputs.scopes),
                                 "measures": list(inputs.measures), "sources": list(sources),
                                 "carry_forward": carry_forward, "certainty": certainty})
