"""``add_contiguity``: COW direct contiguity on dyad-year panels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.errors import UsageError
from alliancekit.panels._lookup import lookup_rows
from alliancekit.panels.frame import add_sources, key_array, require
from alliancekit.sources.contiguity import (
    COW_CONTIGUITY,
    ContiguityRule,
    contiguity_by_year,
    contiguity_years,
)

__all__ = ["add_contiguity", "contiguity_years"]


def add_contiguity(
    frame: pd.DataFrame,
    *,
    rule: ContiguityRule = "first",
    data_dir: Path | str | None = None,
) -> pd.DataFrame:
    """Add ``conttype``: 0 not contiguous, 1 land, 2-5 separated by at most 12, 24, 150 or 400
    miles of water.

    ``rule="first"`` (the default, as peacesciencer's ``slice = "first"``) takes the type in
    force in January of the year, or, for a dyad whose record starts later in the year, the type
    of its first recorded month; ``"last"`` the type at the end of the year; ``"closest"`` the
    closest type at any time in the year. 0 inside 1816-2016 where the dyad has no record;
    missing outside it (peacesciencer's ``mry`` forward fill is not applied).

    Returns a new frame with the same rows.
    """
    if rule not in ("first", "last", "closest"):
        raise UsageError(f"rule={rule!r}: choose 'first', 'last' or 'closest'")
    kind = require(frame, "add_contiguity", units=("dyad-year",), systems=("cow",))
    table = contiguity_by_year(rule, data_dir)
    c1, c2, year = (key_array(frame, k) for k in kind.keys)
    rows = lookup_rows(
        [c1, c2, year],
        [table["ccode1"].to_numpy(), table["ccode2"].to_numpy(), table["year"].to_numpy()],
    )
    low, high = COW_CONTIGUITY.coverage
    found = rows >= 0
    values = np.zeros(len(rows), dtype=np.int8)
    values[found] = table["conttype"].to_numpy(np.int8)[rows[found]]
    covered = (year >= low) & (year <= high)
    column = pd.Series(pd.arrays.IntegerArray(values, ~covered), index=frame.index)
    return add_sources(frame.assign(conttype=column), "cow_contiguity")
