"""``add_majors``: COW major-power status on state-year and dyad-year panels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.panels.frame import add_sources, key_array, require
from alliancekit.panels.states import side_keys
from alliancekit.sources.majors import COW_MAJORS, load_majors


def add_majors(frame: pd.DataFrame, *, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Add ``cowmaj`` (``cowmaj1``, ``cowmaj2`` on dyad-years): 1 when the state was a COW major
    power on at least one day of the year, else 0; missing after 2016.

    Returns a new frame with the same rows.
    """
    kind = require(frame, "add_majors", systems=("cow",))
    spells = load_majors(data_dir)
    low, high = COW_MAJORS.coverage
    year = key_array(frame, "year")
    first = spells["start"].dt.year.to_numpy(np.int64)
    last = spells["end"].dt.year.to_numpy(np.int64)
    # A dense (state, year) table of status: at most 1000 codes by the coverage's years.
    status = np.zeros((1000, high - low + 1), dtype=np.int8)
    for code, a, b in zip(spells["ccode"].to_numpy(), first, last, strict=True):
        status[code, a - low : b - low + 1] = 1
    covered = (year >= low) & (year <= high)
    column_year = np.clip(year - low, 0, high - low)
    out: dict[str, pd.Series] = {}
    for suffix, codes in side_keys(frame, kind):
        values = status[np.clip(codes, 0, 999), column_year]
        out[f"cowmaj{suffix}"] = pd.Series(
            pd.arrays.IntegerArray(values, ~covered), index=frame.index
        )
    return add_sources(frame.assign(**out), "cow_majors")
