"""``add_atop_alliance``: ATOP's alliance obligations on a dyad-year panel."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.panels._lookup import indicator, lookup_rows
from alliancekit.panels.frame import add_sources, key_array, require
from alliancekit.sources.atop import ATOP_DDYR, OBLIGATIONS, load_atop_ddyr

ATOP_COLUMNS = ("atop_alliance", *(f"atop_{o}" for o in OBLIGATIONS))


def add_atop_alliance(frame: pd.DataFrame, *, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Add ATOP 5.1's obligations: ``atop_alliance, atop_defense, atop_offense, atop_neutral,
    atop_nonagg, atop_consul``.

    On a directed panel the row (a, b, year) says what ``a`` pledged to ``b`` that year, from
    ATOP's directed dyad-year file: France pledged to defend Belgium in 1832, Belgium did not
    pledge back. ``atop_alliance`` is 1 when the two share at least one ATOP alliance that year
    (ATOP's ``atopally``), even where neither owes the other anything. On a non-directed panel
    each value is the maximum over both directions. Inside ATOP's coverage (1815-2018) a
    dyad-year without an alliance is 0; outside it, missing.

    Returns a new frame with the same rows.
    """
    kind = require(frame, "add_atop_alliance", units=("dyad-year",), systems=("cow",))
    ddyr = load_atop_ddyr(data_dir)
    c1, c2, year = (key_array(frame, k) for k in kind.keys)
    table_keys = [ddyr["ccode1"].to_numpy(), ddyr["ccode2"].to_numpy(), ddyr["year"].to_numpy()]
    rows = lookup_rows([c1, c2, year], table_keys)
    low, high = ATOP_DDYR.coverage
    covered = (year >= low) & (year <= high)
    columns: dict[str, pd.Series] = {}
    if kind.directed:
        columns["atop_alliance"] = indicator(None, rows, covered)
        for o in OBLIGATIONS:
            columns[f"atop_{o}"] = indicator(ddyr[f"atop_{o}"].to_numpy(np.int8), rows, covered)
    else:
        back = lookup_rows([c2, c1, year], table_keys)
        columns["atop_alliance"] = _either(indicator(None, rows, covered),
                                           indicator(None, back, covered))
        for o in OBLIGATIONS:
            values = ddyr[f"atop_{o}"].to_numpy(np.int8)
            columns[f"atop_{o}"] = _either(indicator(values, rows, covered),
                                           indicator(values, back, covered))
    out = frame.assign(**{name: column.set_axis(frame.index) for name, column in columns.items()})
    return add_sources(out, "atop_ddyr")


def _either(a: pd.Series, b: pd.Series) -> pd.Series:
    return pd.Series(np.maximum(a.array, b.array))

