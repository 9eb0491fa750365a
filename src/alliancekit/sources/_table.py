"""Reading a source file into a frame, checking its columns, types and ranges.

A malformed file stops with a :class:`SourceFormatError` that names the file, the line (1 is the
header) and the column of the first bad cell, so the user can open the file at that spot.
"""

from __future__ import annotations

import csv
import gzip
import re
import warnings
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from alliancekit.errors import SourceFormatError
from alliancekit.sources import parsed_cache

Kind = Literal["int", "float", "str", "date"]


@dataclass(frozen=True)
class Column:
    """What a column must hold: a kind, whether blanks are allowed, and an inclusive range."""

    name: str
    kind: Kind
    nullable: bool = False
    low: float | None = None
    high: float | None = None


def code_column(name: str, nullable: bool = False) -> Column:
    """A COW (or Gleditsch-Ward) state code column: a whole number from 2 to 999."""
    return Column(name, "int", nullable=nullable, low=2, high=999)


_PANDAS_DTYPE: dict[Kind, str] = {"int": "float64", "float": "float64", "str": "str", "date": "str"}
_LINE_IN_PARSER_ERROR = re.compile(r"line (\d+)")


def read_table(
    path: Path, columns: Sequence[Column], *, na_values: Sequence[str] = ()
) -> pd.DataFrame:
    """Read the CSV at ``path`` (optionally gzipped), keeping and checking ``columns``.

    Columns the file has beyond ``columns`` are ignored; a missing one is an error. Integer
    columns come back as ``int64`` when they have no blanks, else ``float64`` with NaN; dates as
    ``datetime64[s]``.

    A file that passed the checks once is kept parsed in the user cache (Arrow IPC, keyed by the
    file's path, size and modification time and by the columns asked for), so later processes
    skip parsing it again.
    """
    return parsed_cache.load_or_build(
        path, repr((list(columns), list(na_values))), lambda: _parse(path, columns, na_values)
    )


def _parse(path: Path, columns: Sequence[Column], na_values: Sequence[str]) -> pd.DataFrame:
    """The checked table, or an error naming the file (and line and column where there is
    one): a damaged or cut-short compressed file, bytes that are not UTF-8 text and a file
    with a header but no rows are errors like a bad cell."""
    try:
        table = _parse_csv(path, columns, na_values)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise SourceFormatError(path, "the compressed file is damaged or cut short "
                                      f"({exc or type(exc).__name__})") from exc
    except UnicodeDecodeError as exc:
        raise SourceFormatError(path, f"byte {exc.start} is not UTF-8 text; the file is not "
                                      "the CSV this source ships") from exc
    if table.empty:
        raise SourceFormatError(path, "the file has a header but no rows", line=2)
    return table


def _parse_csv(path: Path, columns: Sequence[Column], na_values: Sequence[str]
               ) -> pd.DataFrame:
    wanted = [c.name for c in columns]
    try:
        header = pd.read_csv(path, nrows=0).columns
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SourceFormatError(path, f"cannot read the header: {exc}", line=1) from exc
    missing = [name for name in wanted if name not in header]
    if missing:
        raise SourceFormatError(
            path, f"missing column(s) {', '.join(missing)}; the header has {', '.join(header)}",
            line=1,
        )
    kwargs: dict[str, Any] = {
        "na_values": list(na_values),
        "keep_default_na": True,
        "skipinitialspace": True,
        # Without index_col=False pandas silently shifts a row with one field too many.
        "index_col": False,
    }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            # Mixed types in columns we do not read are not our concern; ours are typed.
            warnings.simplefilter("ignore", pd.errors.DtypeWarning)
            # Fast path: let the C parser convert numbers. Only when that fails do we read
            # again as text to find the first bad cell.
            raw = pd.read_csv(
                path, dtype={c.name: _fast_dtype(c) for c in columns}, **kwargs
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning) as exc:
        raise _ragged(path, len(header), exc) from exc
    except ValueError:
        raw = _read_text(path, wanted, kwargs)
    return pd.DataFrame({c.name: _convert(path, raw[c.name], c) for c in columns})


def _ragged(path: Path, width: int, exc: Exception) -> SourceFormatError:
    """The error for a row whose number of fields differs from the header's."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", newline="") as handle:
        for number, fields in enumerate(csv.reader(handle), start=1):
            if len(fields) != width:
                return SourceFormatError(
                    path, f"the row has {len(fields)} fields, the header {width}", line=number
                )
    found = _LINE_IN_PARSER_ERROR.search(str(exc))
    return SourceFormatError(
        path, f"the file does not parse as CSV ({exc})",
        line=int(found.group(1)) if found else None,
    )


def _fast_dtype(column: Column) -> str:
    if column.kind == "int" and not column.nullable:
        return "int64"
    return _PANDAS_DTYPE[column.kind]


def _read_text(path: Path, wanted: list[str], kwargs: dict[str, Any]) -> pd.DataFrame:
    frame: pd.DataFrame = pd.read_csv(path, dtype=dict.fromkeys(wanted, "str"), **kwargs)
    return frame


def _first_bad(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def _convert(path: Path, cells: pd.Series, column: Column) -> pd.Series:
    if cells.dtype == "int64":
        _check_range(path, cells, cells.to_numpy(), column)
        return cells
    blank = cells.isna().to_numpy()
    if blank.any() and not column.nullable:
        row = _first_bad(blank)
        raise SourceFormatError(path, "the value is blank", line=row + 2, column=column.name)
    if column.kind == "str":
        return cells
    if column.kind == "date":
        dates = pd.to_datetime(cells, errors="coerce", format="ISO8601")
        bad_date = dates.isna().to_numpy() & ~blank
        if bad_date.any():
            row = _first_bad(bad_date)
            raise SourceFormatError(
                path, f"{cells.iloc[row]!r} is not a date (YYYY-MM-DD)", line=row + 2,
                column=column.name,
            )
        return dates.astype("datetime64[s]")
    numbers = pd.to_numeric(cells, errors="coerce").astype("float64")
    values = numbers.to_numpy()
    bad = np.isnan(values) & ~blank
    if column.kind == "int":
        bad |= ~np.isnan(values) & (values != np.round(values))
    if bad.any():
        row = _first_bad(bad)
        expected = "a whole number" if column.kind == "int" else "a number"
        raise SourceFormatError(
            path, f"{cells.iloc[row]!r} is not {expected}", line=row + 2, column=column.name
        )
    _check_range(path, cells, values, column)
    if column.kind == "int" and not blank.any():
        return numbers.astype("int64")
    return numbers


def _check_range(path: Path, cells: pd.Series, values: np.ndarray, column: Column) -> None:
    with np.errstate(invalid="ignore"):
        out_of_range = np.zeros(len(values), dtype=bool)
        if column.low is not None:
            out_of_range |= values < column.low
        if column.high is not None:
            out_of_range |= values > column.high
    if out_of_range.any():
        row = _first_bad(out_of_range)
        raise SourceFormatError(
            path,
            f"{cells.iloc[row]!r} is outside the allowed range {_range_text(column)}",
            line=row + 2, column=column.name,
        )


def _range_text(column: Column) -> str:
    low = "" if column.low is None else f"{column.low:g}"
    high = "" if column.high is None else f"{column.high:g}"
    return f"{low}..{high}"
