"""Options and parsing shared by the commands."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from alliancekit.errors import UsageError

if TYPE_CHECKING:
    pass

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Directory holding the datasets (searched before ALLIANCEKIT_DATA and the cache).",
        show_default=False,
    ),
]

err_console = Console(stderr=True)
_YEARS = re.compile(r"^\s*(\d{4})\s*(?:[-:]\s*(\d{4}))?\s*$")


def parse_years(text: str | None, option: str = "--years") -> tuple[int, int] | None:
    """``"1816-2016"`` as ``(1816, 2016)``; ``"1990"`` as ``(1990, 1990)``; None stays None."""
    if text is None:
        return None
    found = _YEARS.match(text)
    if not found:
        raise UsageError(f"{option} {text!r}: give a year or a range such as 1816-2016")
    first = int(found.group(1))
    last = int(found.group(2) or first)
    if last < first:
        raise UsageError(f"{option} {text!r}: the last year comes before the first")
    return first, last


def parse_list(text: str | None) -> list[str]:
    """``"atop, nmc"`` as ``["atop", "nmc"]``."""
    if not text:
        return []
    return [item.strip() for item in text.split(",") if item.strip()]


CarryForward = Annotated[
    bool,
    typer.Option(
        "--carry-forward/--no-carry-forward",
        help="Carry ATOP's pledges in force on 31 December 2018 past it until a curated record "
             "ends them (with ATOP and the curated records together; default on). "
             "--no-carry-forward lets only the curated records speak after 2018.",
    ),
]
CertainOnly = Annotated[
    bool,
    typer.Option("--certain-only",
                 help="Keep only pledges a source states outright (drop inferred ones)."),
]
