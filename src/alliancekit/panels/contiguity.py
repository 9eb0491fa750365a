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

ContiguityRule = Literal["january", "closest"]


def contiguity_years(spells: pd.DataFrame, rule: ContiguityRule) -> pd.DataFrame:
    """One row per directed dyad-year with a contiguity spell: ``ccode1, ccode2, year, conttype``.

    ``rule="january"`` takes the type in force in January of the year; ``"closest"`` the
    closest type (lowest positive ``conttype``) in force at any time in the year.
    """
    start = spells["stdate"].to_numpy().astype("datetime64[M]").astype(np.int64)
    end = spells["enddate"].to_numpy().astype("datetime64[M]").astype(np.int64)
    # "january": the first year whose January falls in the spell.
    first = -(-start // 12) if rule == "january" else start // 12
    last = end // 12
    count = np.maximum(last - first + 1, 0)
    row = np.repeat(np.arange(len(spells)), count)
    year = first[row] + np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    conttype = spells["conttype"].to_numpy(np.int64)[row]
    table = pd.DataFrame(
        {
            "ccode1": spells["ccode1"].to_numpy(np.int64)[row],
            "ccode2": spells["ccode2"].to_numpy(np.int64)[row],
            "year": year + 1970,
            # 0 ("not contiguous") sorts after every real type, so the minimum is the closest.
            "rank": np.where(conttype == 0, 9, conttype),
        }
    )
    closest = table.groupby(["ccode1", "ccode2", "year"], sort=False)["rank"].min().reset_index()
    closest["conttype"] = np.where(closest["rank"] == 9, 0, closest["rank"])
    return closest.drop(columns="rank")


def add_contiguity(
    frame: pd.DataFrame,
    *,
    rule: ContiguityRule = "january",
    data_dir: Path | str | None = None,
) -> pd.DataFrame:
    """Add ``conttype``: 0 not contiguous, 1 land, 2-5 separated by at most 12, 24, 150 or 400
    miles of water.

    By default the type in force in January of the year, as peacesciencer does; ``rule="closest"``
    takes the closest type at any time in the year. Missing outside 1816-2016.

    Returns a new frame with the same rows.
    """
    if rule not in ("january", "closest"):
        raise UsageError(f"rule={rule!r}: choose 'january' or 'closest'")
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
