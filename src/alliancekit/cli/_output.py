"""How commands print tables: ``--format table|csv|json``, never cut when piped.

``table`` is for people: a rich table with state names beside codes, thousands separators, one
missing marker (``NA``, as R and Stata users read it) and ``yes``/``no``; in a terminal long
cells wrap instead of being cut, and a table printed into a pipe or a file gets the width it
needs. ``csv`` is for programs (blank for missing, ISO dates) and is the default when the output
is not a terminal; ``json`` is a list of records (``null`` for missing). Notes and titles go to
standard error under ``csv`` and ``json``, so standard output holds the data alone.
"""

from __future__ import annotations

import datetime
import json
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from alliancekit.errors import UsageError
from alliancekit.names import state_name

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("table", "csv", "json")
MISSING = "NA"

FormatOption = Annotated[
    str | None,
    typer.Option("--format", "-f", metavar="table|csv|json",
                 help="How to print: table (for people), csv or json. Default: table in a "
                      "terminal, csv when the output is piped or redirected.",
                 show_default=False),
]


def choose_format(fmt: str | None, *, as_json: bool = False) -> str:
    """The format asked for (``--json`` is ``--format json``), else the default for where the
    output goes."""
    if as_json:
        if fmt not in (None, "json"):
            raise UsageError(f"--json and --format {fmt} ask for two formats; give one")
        return "json"
    if fmt is None:
        return "table" if sys.stdout.isatty() else "csv"
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt!r}: choose table, csv or json")
    return fmt


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 partner``, ``2 partners``, ``1,204 dyad-years``."""
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def human(value: object) -> str:
    """One cell for people: ``NA`` for missing, thousands separators, at most 4 decimals."""
    if value is None or value is MISSING:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return MISSING
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
        return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    if isinstance(value, datetime.date):
        return _iso(value)
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {human(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(human(v) for v in value)
    text = str(value)
    return MISSING if text in ("nan", "NaT", "<NA>", "None") else text


def _iso(day: datetime.date) -> str:
    """``2025-10-01``; a time of day only when it is not midnight."""
    if isinstance(day, datetime.datetime) and day != day.replace(hour=0, minute=0, second=0,
                                                                 microsecond=0):
        return day.isoformat()
    return (day.date() if isinstance(day, datetime.datetime) else day).isoformat()


def plain(value: object) -> object:
    """One cell for CSV and JSON: ``None`` for missing, dates as ISO text, numbers as numbers."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, datetime.date):
        return _iso(value)
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return plain(value.item())  # numpy scalars
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """The frame's rows as plain records (see :func:`plain`)."""
    columns = [str(c) for c in frame.columns]
    return [{c: plain(v) for c, v in zip(columns, row, strict=True)}
            for row in frame.itertuples(index=False, name=None)]


def print_json(payload: object) -> None:
    """``payload`` as indented JSON on standard output, missing values as ``null``."""
    typer.echo(json.dumps(plain(payload), ensure_ascii=False, indent=2))


def print_table(rows: Iterable[Sequence[object]], columns: Sequence[str], *, title: str = "",
                caption: str = "") -> None:
    """A table for people on standard output, never cut: cells wrap in a terminal; into a pipe
    or a file the table is as wide as its content."""
    table = Table(title=title or None, caption=caption or None, title_justify="left")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(human(v) for v in row))
    print_rich(table)


def print_rich(table: Table) -> None:
    """Print a rich table: in a terminal as wide as the terminal (cells wrap); into a pipe or a
    file as wide as its content, so no cell is cut."""
    console = Console(highlight=False)
    if not console.is_terminal:
        wide = Console(width=100_000, highlight=False)
        width = Measurement.get(wide, wide.options, table).maximum
        console = Console(width=max(width, 40), highlight=False, soft_wrap=False)
    console.print(table)


def emit(frame: pd.DataFrame, fmt: str, *, title: str = "", notes: Sequence[str] = (),
         payload: Mapping[str, Any] | None = None) -> None:
    """Print ``frame`` in format ``fmt``: a titled table with its notes, CSV, or JSON (the
    records, or ``payload`` with them under ``rows`` when given)."""
    if fmt == "json":
        body = records(frame)
        print_json(body if payload is None else {**payload, "rows": body})
        return
    if fmt == "csv":
        for note in ([title] if title else []) + list(notes):
            typer.echo(note, err=True)
        text = frame.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\n")
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    print_table(frame.itertuples(index=False, name=None), [str(c) for c in frame.columns],
                title=title)
    for note in notes:
        typer.echo(note)


def with_names(codes: Iterable[object]) -> list[str]:
    """``Saudi Arabia (670)`` for each COW code (other ids as they are)."""
    return [f"{state_name(int(str(c)))} ({c})" if str(c).isdigit() else str(c) for c in codes]
