"""``add_cow_wars``: Correlates of War inter-state wars on COW dyad-years, as peacesciencer's
``add_cow_wars(type = "inter")`` adds them.

Where a dyad-year has several war rows, as peacesciencer does: when the rows differ in onset,
the rows that are not an onset are dropped; of the rest the deadliest is kept (battle deaths of
the two states summed, one side's alone when the other is unknown; ties and unknowns keep the
first row in the file). Added: ``cowinterongoing``, ``cowinteronset`` (0 in a dyad-year of the
war data's years, 1816-2007, without a war; missing outside), ``sidea1``, ``sidea2``,
``initiator1``, ``initiator2``, ``outcome1``, ``outcome2``, ``batdeath1``, ``batdeath2`` (the
data's ``-9`` read as missing) and ``resume``, the last nine missing without a war.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.errors import UsageError
from alliancekit.panels._lookup import lookup_rows
from alliancekit.panels.frame import add_sources, key_array, require
from alliancekit.sources.cow_wars import load_cow_inter_wars

KEYS = ["ccode1", "ccode2", "year"]
WAR_COLUMNS = ("cowinterongoing", "cowinteronset", "sidea1", "sidea2", "initiator1",
               "initiator2", "outcome1", "outcome2", "batdeath1", "batdeath2", "resume")
FIRST_YEAR, LAST_YEAR = 1816, 2007


def inter_war_dyad_years(data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per directed dyad-year at war (see the module docstring for which row)."""
    wars = load_cow_inter_wars(data_dir).sort_values(KEYS, kind="stable")
    groups = wars.groupby(KEYS)["cowinteronset"]
    differ = (groups.transform("size") > 1) & (groups.transform("std") > 0)
    wars = wars[~(differ & (wars["cowinteronset"] == 0))].copy()
    for column in ("batdeath1", "batdeath2"):
        wars[column] = wars[column].where(wars[column] >= 0)
    deaths = (wars["batdeath1"] + wars["batdeath2"]).fillna(wars["batdeath1"]).fillna(
        wars["batdeath2"])
    wars["_deaths"] = deaths.fillna(-np.inf)
    chosen = wars.loc[wars.groupby(KEYS, sort=False)["_deaths"].idxmax()]
    return chosen[[*KEYS, *WAR_COLUMNS]].reset_index(drop=True)


def add_cow_wars(frame: pd.DataFrame, *, type: str = "inter",
                 data_dir: Path | str | None = None) -> pd.DataFrame:
    """Add COW inter-state wars to a COW dyad-year panel (see the module docstring). Returns
    a new frame with the same rows. Intra-state wars on state-years are not supported yet."""
    if type != "inter":
        raise UsageError(f"type={type!r}: only 'inter' (inter-state wars on dyad-years) is "
                         "supported so far")
    require(frame, "add_cow_wars", units=("dyad-year",), systems=("cow",))
    wars = inter_war_dyad_years(data_dir)
    year = key_array(frame, "year")
    found = lookup_rows([key_array(frame, "ccode1"), key_array(frame, "ccode2"), year],
                        [wars[k].to_numpy(np.int64) for k in KEYS])
    hit = found >= 0
    covered = (year >= FIRST_YEAR) & (year <= LAST_YEAR)
    columns = {}
    for column in WAR_COLUMNS:
        values = wars[column].to_numpy(np.float64)[np.where(hit, found, 0)]
        missing = ~hit | np.isnan(values)
        if column in ("cowinterongoing", "cowinteronset"):
            values = np.where(hit, values, 0.0)
            missing = (~hit & ~covered) | (hit & np.isnan(values))
        columns[column] = pd.Series(pd.arrays.IntegerArray(
            np.nan_to_num(values).astype(np.int64), missing), index=frame.index)
    return add_sources(frame.assign(**columns), "cow_wars")
