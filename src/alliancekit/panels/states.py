"""Joining state-year variables onto state-year panels and onto both sides of dyad-year panels."""

from __future__ import annotations

import numpy as np
import pandas as pd

from alliancekit.panels._lookup import lookup_rows
from alliancekit.panels.frame import PanelKind, key_array


def side_keys(frame: pd.DataFrame, kind: PanelKind) -> list[tuple[str, np.ndarray]]:
    """``(suffix, codes)`` for each state of a row: ``("", ccode)`` on state-years, else
    ``("1", ccode1)`` and ``("2", ccode2)``."""
    if kind.unit == "state-year":
        return [("", key_array(frame, kind.code))]
    return [(side, key_array(frame, f"{kind.code}{side}")) for side in ("1", "2")]


def join_state_years(
    frame: pd.DataFrame,
    kind: PanelKind,
    table: pd.DataFrame,
    columns: list[str],
    *,
    code: str = "ccode",
) -> dict[str, pd.Series]:
    """For each state of each row, ``table``'s ``columns`` in that state-year (NaN if absent).

    On a dyad-year panel the columns are suffixed ``1`` and ``2``.
    """
    year = key_array(frame, "year")
    table_keys = [table[code].to_numpy(np.int64), table["year"].to_numpy(np.int64)]
    # One extra all-missing row stands for "no match", so one gather fills every column.
    values = np.ascontiguousarray(np.hstack(
        [table[columns].to_numpy(np.float64).T, np.full((len(columns), 1), np.nan)]
    ))
    out: dict[str, pd.Series] = {}
    for suffix, codes in side_keys(frame, kind):
        rows = lookup_rows([codes, year], table_keys)
        rows[rows < 0] = values.shape[1] - 1
        for i, column in enumerate(columns):
            # one contiguous gather per column (a 2-D gather along axis 1 is several times
            # slower on millions of rows)
            out[f"{column}{suffix}"] = pd.Series(values[i].take(rows), index=frame.index,
                                                 copy=False)
    return out
