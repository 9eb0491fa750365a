"""``add_strategic_rivalries``: Thompson, Sakuwa and Suhas's (2022) strategic rivalries on COW
dyad-years and state-years, as peacesciencer's ``add_strategic_rivalries()`` adds them.

Rivalry-years run from a rivalry's first to its last year, in both directions, from 1816. As
peacesciencer does, the Austria-Serbia rivalry's years from 1919 belong to Austria (305) rather
than Austria-Hungary (300), and a kind the data leave blank is 0.

Dyad-years get ``tssr_id`` (the rivalry, missing without one), ``positional``, ``spatial``,
``ideological``, ``interventionary`` and ``ongoingrivalry`` (0/1); state-years get the number
of the state's ongoing rivalries of each kind (``n_ideological``, ``n_interventionary``,
``n_positional``, ``n_spatial``). Years after 2020, where the data end, are missing. (Here we
depart from peacesciencer 1.2.9, which gives ``ongoingrivalry = 1`` for every dyad-year after
2020; see ``docs/conventions.md``.)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.panels._lookup import lookup_rows
from alliancekit.panels.frame import add_sources, key_array, require
from alliancekit.sources.rivalries import load_tss_rivalries

KINDS = ("positional", "spatial", "ideological", "interventionary")
LAST_YEAR = 2020  # the right bound of Thompson, Sakuwa and Suhas (2022)


def rivalry_years(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Directed rivalry-years from 1816: ``tssr_id, ccode1, ccode2, year`` and the kinds (0/1)."""
    rivalries = load_tss_rivalries(data_dir)
    both = pd.concat([rivalries, rivalries.rename(columns={"ccode1": "ccode2",
                                                          "ccode2": "ccode1"})],
                     ignore_index=True)
    spans = (both["end"] - both["start"] + 1).to_numpy(np.int64)
    rows = np.repeat(np.arange(len(both)), spans)
    offsets = np.arange(len(rows)) - np.repeat(np.cumsum(spans) - spans, spans)
    years = both["start"].to_numpy(np.int64)[rows] + offsets
    out = pd.DataFrame({
        "tssr_id": both["tssr_id"].to_numpy(np.int64)[rows],
        "ccode1": both["ccode1"].to_numpy(np.int64)[rows],
        "ccode2": both["ccode2"].to_numpy(np.int64)[rows],
        "year": years,
        **{kind: both[kind].fillna(0).to_numpy(np.int64)[rows] for kind in KINDS},
    })
    for column in ("ccode1", "ccode2"):  # Austria-Serbia: Austria from 1919
        out[column] = np.where((out[column] == 300) & (out["year"] >= 1919), 305, out[column])
    out = out[out["year"] >= 1816]
    return out.sort_values(["tssr_id", "ccode1", "year"], ignore_index=True)


def add_strategic_rivalries(frame: pd.DataFrame, *,
                            data_dir: Path | str | None = None) -> pd.DataFrame:
    """Add strategic rivalries (see the module docstring). Returns a new frame with the same
    rows."""
    kind = require(frame, "add_strategic_rivalries", systems=("cow",))
    years = rivalry_years(data_dir)
    year = key_array(frame, "year")
    covered = year <= LAST_YEAR
    if kind.unit == "state-year":
        counts = years.groupby(["ccode1", "year"], as_index=False)[list(KINDS)].sum()
        found = lookup_rows([key_array(frame, "ccode"), year],
                            [counts["ccode1"].to_numpy(np.int64),
                             counts["year"].to_numpy(np.int64)])
        out = {}
        for name in ("ideological", "interventionary", "positional", "spatial"):
            values = np.where(found >= 0, counts[name].to_numpy(np.int64)[found], 0)
            out[f"n_{name}"] = pd.Series(pd.arrays.IntegerArray(values, ~covered),
                                         index=frame.index)
        return add_sources(frame.assign(**out), "rivalries")
    found = lookup_rows([key_array(frame, "ccode1"), key_array(frame, "ccode2"), year],
                        [years["ccode1"].to_numpy(np.int64), years["ccode2"].to_numpy(np.int64),
                         years["year"].to_numpy(np.int64)])
    hit = found >= 0
    columns = {"tssr_id": pd.Series(pd.arrays.IntegerArray(
        np.where(hit, years["tssr_id"].to_numpy(np.int64)[found], 0), ~hit),
        index=frame.index)}
    for name in KINDS:
        values = np.where(hit, years[name].to_numpy(np.int64)[found], 0)
        columns[name] = pd.Series(pd.arrays.IntegerArray(values, ~(hit | covered)),
                                  index=frame.index)
    columns["ongoingrivalry"] = pd.Series(pd.arrays.IntegerArray(
        hit.astype(np.int64), ~(hit | covered)), index=frame.index)
    return add_sources(frame.assign(**columns), "rivalries")
