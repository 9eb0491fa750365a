"""``add_contiguity``: COW direct contiguity on dyad-year panels."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from alliancekit.errors import UsageError
from alliancekit.panels._lookup import lookup_rows
from alliancekit.panels.frame import add_sources, key_array, require
from alliancekit.sources.contiguity import COW_CONTIGUITY, load_contiguity

ContiguityRule = Literal["first", "last", "closest"]


def contiguity_years(spells: pd.DataFrame, rule: ContiguityRule) -> pd.DataFrame:
    """One row per directed dyad-year with a contiguity spell: ``ccode1, ccode2, year, conttype``.

    Spells are read by month (the source's dates are year-month). ``"first"`` takes the record
    of the earliest month of the year that has one (January for every dyad peacesciencer fills
    with explicit ``conttype = 0`` spells), ``"last"`` the latest, as peacesciencer's
    ``slice``; ties within a month go to the record that starts earlier (``"first"``) or later
    (``"last"``). ``"closest"`` takes the closest type (lowest positive ``conttype``) recorded
    at any time in the year.
    """
    ordered = spells.sort_values(["ccode1", "ccode2", "stdate"], kind="stable")
    start = ordered["stdate"].to_numpy().astype("datetime64[M]").astype(np.int64)
    end = ordered["enddate"].to_numpy().astype("datetime64[M]").astype(np.int64)
    first, last = start // 12, end // 12
    count = np.maximum(last - first + 1, 0)
    row = np.repeat(np.arange(len(ordered)), count)
    year = first[row] + np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    conttype = ordered["conttype"].to_numpy(np.int64)[row]
    if rule == "first":
        # Months since 1970 of the first month this record covers in the year; earlier wins.
        order_key = np.maximum(start[row], year * 12) * 2**20 + row
    elif rule == "last":
        order_key = -(np.minimum(end[row], year * 12 + 11) * 2**20 + row)
    else:
        # 0 ("not contiguous") ranks after every real type, so the minimum is the closest.
        order_key = np.where(conttype == 0, 9, conttype) * 2**20 + row
    table = pd.DataFrame(
        {
            "ccode1": ordered["ccode1"].to_numpy(np.int64)[row],
            "ccode2": ordered["ccode2"].to_numpy(np.int64)[row],
            "year": year + 1970,
            "key": order_key,
            "conttype": conttype,
        }
    )
    table = table.sort_values(["ccode1", "ccode2", "year", "key"], kind="stable")
    table = table.drop_duplicates(["ccode1", "ccode2", "year"], keep="first")
    return table.drop(columns="key").reset_index(drop=True)


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
    table = contiguity_years(load_contiguity(data_dir), rule)
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
