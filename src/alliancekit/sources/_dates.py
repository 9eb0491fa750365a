"""Dates assembled from a source's year, month and day columns."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.errors import SourceFormatError
from alliancekit.sources._table import Column, read_table


def assemble_dates(
    path: Path, frame: pd.DataFrame, year: str, month: str, day: str
) -> pd.Series:
    """The dates in ``frame``'s ``year``/``month``/``day`` columns; an impossible one is an error.

    Rows are numbered as lines of the file (the header is line 1).
    """
    dates = pd.to_datetime(
        pd.DataFrame({"year": frame[year], "month": frame[month], "day": frame[day]}),
        errors="coerce",
    )
    bad = dates.isna().to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        given = f"{frame[year].iloc[row]}-{frame[month].iloc[row]}-{frame[day].iloc[row]}"
        raise SourceFormatError(
            path, f"{given} is not a calendar date", line=row + 2, column=f"{year}/{month}/{day}"
        )
    return dates.astype("datetime64[s]")


def check_spells(path: Path, start: pd.Series, end: pd.Series, start_column: str) -> None:
    """Stop when a spell ends before it starts."""
    bad = (end < start).to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise SourceFormatError(
            path,
            f"the spell ends ({end.iloc[row]:%Y-%m-%d}) before it starts "
            f"({start.iloc[row]:%Y-%m-%d})",
            line=row + 2,
            column=start_column,
        )


def read_cow_spells(path: Path, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """A COW spell file (``ccode, stateabb``, ``extra`` text columns, ``styear/stmonth/stday``
    to ``endyear/endmonth/endday``) as ``ccode, stateabb, *extra, start, end``."""
    columns = [Column("stateabb", "str"), Column("ccode", "int", low=1, high=999)]
    columns += [Column(name, "str") for name in extra]
    for prefix, first in (("st", "styear"), ("end", "endyear")):
        columns += [
            Column(first, "int", low=1816, high=2100),
            Column(f"{prefix}month", "int", low=1, high=12),
            Column(f"{prefix}day", "int", low=1, high=31),
        ]
    raw = read_table(path, columns)
    start = assemble_dates(path, raw, "styear", "stmonth", "stday")
    end = assemble_dates(path, raw, "endyear", "endmonth", "endday")
    check_spells(path, start, end, "styear")
    frame = raw[["ccode", "stateabb", *extra]].copy()
    frame["start"] = start
    frame["end"] = end
    return frame
