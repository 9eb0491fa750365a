"""The ``add_*`` and ``filter_*`` steps by the short names the command line takes."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pandas as pd

from alliancekit.errors import UsageError
from alliancekit.panels.atop import add_atop_alliance
from alliancekit.panels.capitals import add_capital_distance
from alliancekit.panels.contiguity import add_contiguity
from alliancekit.panels.cooperation import (
    add_arms_transfers,
    add_dca,
    add_exercises,
    add_milex,
    add_peacekeeping,
    add_us_troops,
)
from alliancekit.panels.filters import filter_prd
from alliancekit.panels.majors import add_majors
from alliancekit.panels.nmc import add_nmc
from alliancekit.panels.peace_years import add_peace_years
from alliancekit.panels.rivalries import add_strategic_rivalries
from alliancekit.panels.ucdp import add_ucdp_acd, add_ucdp_support
from alliancekit.panels.wars import add_cow_wars
from alliancekit.sources.registry import NOT_SUPPORTED

Step = Callable[..., pd.DataFrame]

ADDERS: dict[str, Step] = {
    "atop": add_atop_alliance,
    "nmc": add_nmc,
    "contiguity": add_contiguity,
    "majors": add_majors,
    "capital_distance": add_capital_distance,
    "dca": add_dca,
    "milex": add_milex,
    "arms_transfers": add_arms_transfers,
    "us_troops": add_us_troops,
    "exercises": add_exercises,
    "peacekeeping": add_peacekeeping,
    "rivalries": add_strategic_rivalries,
    "cow_wars": add_cow_wars,
    "ucdp_acd": add_ucdp_acd,
    "ucdp_support": add_ucdp_support,
    "peace_years": add_peace_years,
}
# Step names other tools use for data alliancekit does not read, with the reason.
REFUSED: dict[str, str] = {"gml_mids": NOT_SUPPORTED["gml_mid"],
                           "cow_alliance": NOT_SUPPORTED["cow_alliance"]}
FILTERS: dict[str, Step] = {"prd": filter_prd}
# Steps whose result on a row depends only on that row's states and year (and the data the step
# reads), so a panel can be built part by part: every step but peace_years, which counts along
# each dyad's or state's years. tests/test_panel_parts.py holds each to it.
ROW_WISE: frozenset[str] = (frozenset(ADDERS) | frozenset(FILTERS)) - {"peace_years"}
# Rows per part: small enough that a part's new columns (8 bytes x 30 columns) reuse freed
# memory instead of touching new pages, large enough that a step's fixed cost stays small.
PART_ROWS = 262_144

# Which registry sources each step reads, so a caller can check them before starting.
STEP_SOURCES: dict[str, tuple[str, ...]] = {
    "atop": ("atop_ddyr",),
    "nmc": ("cow_nmc",),
    "contiguity": ("cow_contiguity",),
    "majors": ("cow_majors",),
    "capital_distance": ("capitals",),
    "dca": ("dcad",),
    "milex": ("sipri_milex",),
    "arms_transfers": ("sipri_arms_transfers",),
    "us_troops": ("us_troops",),
    "exercises": ("mme",),
    "peacekeeping": ("geo_pko",),
    "rivalries": ("rivalries",),
    "cow_wars": ("cow_wars",),
    "ucdp_acd": ("ucdp_acd",),
    "ucdp_support": ("ucdp_acd",),
    "peace_years": (),
    "prd": ("cow_contiguity", "cow_majors"),
}


def resolve(names: list[str], table: dict[str, Step], option: str) -> list[tuple[str, Step]]:
    """The steps called ``names``; an unknown name lists the known ones."""
    refused = [n for n in names if n in REFUSED]
    if refused:
        raise UsageError(f"{option}: {refused[0]!r}: {REFUSED[refused[0]]}")
    unknown = [n for n in names if n not in table]
    if unknown:
        raise UsageError(
            f"{option}: unknown {', '.join(map(repr, unknown))}; choose from "
            + ", ".join(table)
        )
    return [(n, table[n]) for n in names]


def apply(frame: pd.DataFrame, step: Step, data_dir: Path | str | None) -> pd.DataFrame:
    """Run one step, passing ``data_dir`` to the steps that take it (those that read data)."""
    if "data_dir" not in inspect.signature(step).parameters:  # reads no dataset
        return step(frame)
    return step(frame, data_dir=data_dir)


def apply_in_parts(
    frame: pd.DataFrame,
    steps: list[Step],
    data_dir: Path | str | None,
    rows: int = PART_ROWS,
) -> Iterator[pd.DataFrame]:
    """``frame`` with ``steps`` applied, part by part: each part is ``rows`` consecutive rows.

    Only for steps in :data:`ROW_WISE`; together the parts are the frame the steps would make of
    the whole (at least one part, which may be empty). A step that takes ``last_year`` (what
    ATOP's carried pledges depend on) is given the whole frame's, so every part gets the columns
    the whole would.
    """
    if rows < 1:
        raise ValueError(f"rows={rows}: give at least 1")
    if len(frame):
        last_year = int(frame["year"].max())
        steps = [partial(step, last_year=last_year)
                 if "last_year" in inspect.signature(step).parameters else step
                 for step in steps]
    for start in range(0, max(len(frame), 1), rows):
        part = frame.iloc[start:start + rows]
        for step in steps:
            part = apply(part, step, data_dir)
        yield part
