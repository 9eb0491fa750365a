"""``add_peace_years``: years since the last conflict, for the conflict variables on a panel, as
peacesciencer's ``add_peace_years()`` computes them (its ``ps_btscs()``, after Armstrong's
``btscs()`` in DAMisc).

For each pair of ongoing/onset columns found on the frame, one spell column, counted on the
*ongoing* column within each unit (a dyad or a state) over its rows in year order:

- dyad-years (COW): ``cowinterongoing`` gives ``cowinterspell``;
- state-years: ``ucdpongoing`` gives ``ucdpspell`` (per ``gwcode``), ``cowintraongoing``
  gives ``cowintraspell`` (per ``ccode``).

A row without conflict counts the rows of peace before it (0 in the first row of a unit and in
the first row after a conflict); the row a conflict starts in carries the length of the peace
it ends; a row of a conflict that goes on is 0. Rows where the ongoing column is missing are
left out of the count and get a missing spell. As in peacesciencer, gaps in a unit's years are
not counted unless ``pad=True``, which fills the years missing inside a unit that had a conflict
as conflict years (peacesciencer's rule) before counting.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alliancekit.errors import PanelKindError
from alliancekit.panels.frame import key_array, require

# (ongoing column, onset column, spell column, unit of the count)
DYADIC = (("cowinterongoing", "cowinteronset", "cowinterspell"),)
MONADIC = (("ucdpongoing", "ucdponset", "ucdpspell", "gwcode"),
           ("cowintraongoing", "cowintraonset", "cowintraspell", "ccode"))


def peace_spells(unit: np.ndarray, year: np.ndarray, event: np.ndarray) -> np.ndarray:
    """The spell of each row (see the module docstring), for rows sorted by unit and year;
    ``event`` holds 0 or 1, no missing values."""
    n = len(event)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    first = np.ones(n, dtype=bool)
    first[1:] = unit[1:] != unit[:-1]
    quiet = event == 0
    previous_quiet = np.zeros(n, dtype=bool)
    previous_quiet[1:] = quiet[:-1]
    previous_quiet &= ~first
    # position of each row within its run of quiet rows
    run_start = quiet & ~previous_quiet
    start_index = np.maximum.accumulate(np.where(run_start, np.arange(n), 0))
    position = np.arange(n) - start_index
    spells = np.where(quiet, position, 0)
    onset_after_peace = ~quiet & previous_quiet
    spells[onset_after_peace] = position[np.flatnonzero(onset_after_peace) - 1] + 1
    return spells.astype(np.int64)


def _spell_column(frame: pd.DataFrame, unit_columns: list[str], ongoing: str,
                  pad: bool) -> pd.Series:
    event = frame[ongoing]
    known = event.notna().to_numpy()
    units = [key_array(frame, c) for c in unit_columns]
    unit = units[0].astype(np.int64)
    if len(units) == 2:
        unit = unit * 100_000 + units[1]
    year = key_array(frame, "year").astype(np.int64)
    values = event.to_numpy(np.float64, na_value=np.nan)
    rows = np.flatnonzero(known)
    order = rows[np.lexsort((year[rows], unit[rows]))]
    u, y, x = unit[order], year[order], (values[order] != 0).astype(np.int8)
    result = np.full(len(frame), -1, dtype=np.int64)
    if not pad:
        result[order] = peace_spells(u, y, x)
    else:
        result = _padded(u, y, x, unit, year, result, order)
    return pd.Series(pd.arrays.IntegerArray(np.maximum(result, 0), result < 0),
                     index=frame.index)


def _padded(u: np.ndarray, y: np.ndarray, x: np.ndarray, unit: np.ndarray, year: np.ndarray,
            result: np.ndarray, order: np.ndarray) -> np.ndarray:
    """peacesciencer's ``pad = TRUE``: inside each unit with a conflict, the missing years
    between its first and last known year count as conflict years; the spell of every frame
    row in that span (known or not) is read from the padded series."""
    if not len(u):
        return result
    starts = np.flatnonzero(np.r_[True, u[1:] != u[:-1]])
    ends = np.r_[starts[1:], len(u)]
    with_events = np.add.reduceat(x, starts) > 0
    # units without a conflict: counted on their rows, gaps and all
    plain = np.repeat(~with_events, ends - starts)
    result[order[plain]] = peace_spells(u[plain], y[plain], x[plain])
    spans = (y[ends - 1] - y[starts] + 1)[with_events]
    if not len(spans):
        return result
    full_unit = np.repeat(u[starts][with_events], spans)
    offsets = np.arange(spans.sum()) - np.repeat(np.cumsum(spans) - spans, spans)
    full_year = np.repeat(y[starts][with_events], spans) + offsets
    full_event = np.ones(len(full_unit), dtype=np.int8)
    keep = np.repeat(with_events, ends - starts)
    known = pd.MultiIndex.from_arrays([u[keep], y[keep]])
    padded = pd.MultiIndex.from_arrays([full_unit, full_year])
    full_event[padded.get_indexer(known)] = x[keep]
    spells = peace_spells(full_unit, full_year, full_event)
    at = padded.get_indexer(pd.MultiIndex.from_arrays([unit, year]))
    hit = at >= 0
    result[hit] = spells[at[hit]]
    return result


def add_peace_years(frame: pd.DataFrame, *, pad: bool = False) -> pd.DataFrame:
    """Add a peace-years spell for each conflict variable on ``frame`` (see the module
    docstring). Returns a new frame with the same rows."""
    kind = require(frame, "add_peace_years")
    added = {}
    if kind.unit == "dyad-year":
        if kind.system != "cow":
            raise PanelKindError("add_peace_years() counts dyadic conflicts on COW dyad-years "
                                 "(ccode1, ccode2), as peacesciencer does; build the panel "
                                 "with system='cow'")
        for ongoing, onset, spell in DYADIC:
            if {ongoing, onset} <= set(frame.columns):
                added[spell] = _spell_column(frame, ["ccode1", "ccode2"], ongoing, pad)
    else:
        for ongoing, onset, spell, unit in MONADIC:
            if {ongoing, onset} <= set(frame.columns) and unit in frame.columns:
                added[spell] = _spell_column(frame, [unit], ongoing, pad)
    if not added:
        wanted = ("cowinterongoing and cowinteronset (add_cow_wars)" if kind.unit == "dyad-year"
                  else "ucdpongoing and ucdponset (add_ucdp_acd) or cowintraongoing and "
                       "cowintraonset (add_cow_wars(type='intra'))")
        raise PanelKindError(f"add_peace_years() found no conflict variables on this "
                             f"{kind.describe()} panel: it needs {wanted}; add them first")
    out = frame.assign(**added)
    out.attrs = dict(frame.attrs)
    return out
