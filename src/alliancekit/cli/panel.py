"""``alliancekit panel``: build state-year and dyad-year panels and write them to a file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from alliancekit.cli._common import (
    CarryForward,
    CertainOnly,
    DataDir,
    err_console,
    parse_list,
    parse_years,
)

if TYPE_CHECKING:
    import pandas as pd

app = typer.Typer(help="Build state-year and dyad-year panels.", no_args_is_help=True)

System = Annotated[str, typer.Option(help="State system: cow or gw.")]
Years = Annotated[
    str | None, typer.Option(help="Years, e.g. 1816-2016 (default: the whole system).")
]
Add = Annotated[
    str | None,
    typer.Option(help="Comma-separated variables to add: atop, nmc, contiguity, majors, "
                      "capital_distance, dca, exercises, peacekeeping, milex, arms_transfers, "
                      "us_troops, rivalries, cow_wars (inter-state on dyad-years, intra-state "
                      "on state-years), ucdp_acd (G-W state-years), ucdp_support, peace_years "
                      "(after the conflict variables)."),
]
AllianceSources = Annotated[
    str,
    typer.Option(help="Where --add atop takes alliances from: atop, curated, or atop,curated "
                      "(ATOP to 2018, the curated records after it and for what ATOP lacks)."),
]
Group = Annotated[
    str | None,
    typer.Option(help="Keep only members of a curated group in each year: oic, arab_league, gcc, "
                      "imctc, nato (alliancekit groups list).", show_default=False),
]
Mry = Annotated[
    bool,
    typer.Option("--mry", help="Extend states still members at the end of the system data to "
                               "the last full year (peacesciencer's mry)."),
]
Out = Annotated[
    Path, typer.Option(help="Output file; the extension picks the format: .parquet, .csv, .dta.")
]


@app.command("dyad-years")
def dyad_years(
    out: Out,
    system: System = "cow",
    directed: Annotated[
        bool, typer.Option("--directed/--non-directed", help="Directed (a,b and b,a) or not.")
    ] = True,
    years: Years = None,
    add: Add = None,
    filter_: Annotated[
        str | None, typer.Option("--filter", help="Row filters: prd (politically relevant).")
    ] = None,
    mry: Mry = False,
    alliance_sources: AllianceSources = "atop",
    carry_forward: CarryForward = True,
    certain_only: CertainOnly = False,
    group: Group = None,
    group_mode: Annotated[
        str, typer.Option(help="With --group: keep dyads where both or either state is a member.")
    ] = "both",
    data_dir: DataDir = None,
) -> None:
    """Build a dyad-year panel, add variables, write it.

    Example: alliancekit panel dyad-years --system cow --directed --years 1816-2016
    --add atop,nmc,contiguity,majors --out dyads.parquet

    Example: alliancekit panel dyad-years --years 2010-2025 --mry --add atop
    --alliance-sources atop,curated --group oic --out oic.parquet

    Example: alliancekit panel dyad-years --non-directed --add cow_wars,peace_years
    --out wars.parquet
    """
    from alliancekit.panels.create import create_dyadyears

    def create() -> pd.DataFrame:
        return create_dyadyears(system, parse_years(years), directed=directed, mry=mry,
                                data_dir=data_dir)

    _build(create, add, filter_, out, data_dir, parse_list(alliance_sources), group, group_mode,
           {"carry_forward": carry_forward,
            "certainty": "certain" if certain_only else "any"})


@app.command("state-years")
def state_years(
    out: Out,
    system: System = "cow",
    years: Years = None,
    add: Add = None,
    mry: Mry = False,
    group: Group = None,
    data_dir: DataDir = None,
) -> None:
    """Build a state-year panel, add variables, write it.

    Example: alliancekit panel state-years --years 1946-2016 --add nmc,majors --out states.csv

    Example: alliancekit panel state-years --system gw --add ucdp_acd,peace_years
    --out conflicts.csv
    """
    from alliancekit.panels.create import create_stateyears

    def create() -> pd.DataFrame:
        return create_stateyears(system, parse_years(years), mry=mry, data_dir=data_dir)

    _build(create, add, None, out, data_dir, ["atop"], group, "both")


def _build(
    create: Callable[[], pd.DataFrame],
    add: str | None,
    filter_: str | None,
    out: Path,
    data_dir: Path | None,
    alliance_sources: list[str],
    group: str | None,
    group_mode: str,
    alliance_options: dict[str, object] | None = None,
) -> None:
    from alliancekit.io import panel_format, write_panel, write_panel_parts
    from alliancekit.panels.catalog import (
        ADDERS,
        FILTERS,
        PART_ROWS,
        ROW_WISE,
        apply,
        apply_in_parts,
        resolve,
    )
    from alliancekit.panels.frame import kind_of, sources_of

    fmt = panel_format(out)  # a bad extension stops before any work
    named = resolve(parse_list(add), ADDERS, "--add") + resolve(
        parse_list(filter_), FILTERS, "--filter"
    )
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
        console=err_console, transient=True,
    ) as progress:
        task = progress.add_task("creating the panel", total=len(named) + 2)
        frame = create()
        if group is not None:
            from alliancekit.panels.filters import filter_group

            frame = filter_group(frame, group, mode=group_mode)  # type: ignore[arg-type]
        steps = [partial(step, sources=tuple(alliance_sources), **(alliance_options or {}))
                 if name == "atop" else step for name, step in named]
        if fmt == "Parquet" and all(name in ROW_WISE for name, _ in named):
            # built and written a part at a time, the two overlapping
            parts = -(-max(len(frame), 1) // PART_ROWS)
            progress.update(task, total=parts, completed=0,
                            description=f"adding {add or 'nothing'} and writing {out}")
            summary = _Summary()
            write_panel_parts(summary.track(apply_in_parts(frame, steps, data_dir, PART_ROWS),
                                            lambda: progress.advance(task)), out)
        else:
            for (name, _), step in zip(named, steps, strict=True):
                progress.update(task, advance=1, description=f"adding {name}")
                frame = apply(frame, step, data_dir)
            progress.update(task, advance=1, description=f"writing {out}")
            write_panel(frame, out)
            progress.update(task, advance=1)
            summary = _Summary()
            summary.add(frame)
    last = summary.last
    kind = kind_of(last)
    years_text = f"{summary.first_year}-{summary.last_year}" if summary.rows else "no years"
    typer.echo(
        f"wrote {out}: {summary.rows:,} rows x {last.shape[1]} columns, "
        f"{kind.describe() if kind else 'panel'}, {years_text}"
    )
    sources = sources_of(last)
    typer.echo(f"sources: {', '.join(sources)} (BibTeX: alliancekit cite {' '.join(sources)})")
    if group is not None:
        _note_non_system_members(group)


class _Summary:
    """What the command says about the panel it wrote, gathered part by part."""

    def __init__(self) -> None:
        self.rows = 0
        self.first_year: int | None = None
        self.last_year: int | None = None
        self.last: pd.DataFrame

    def add(self, part: pd.DataFrame) -> None:
        self.last = part
        self.rows += len(part)
        if len(part):
            low, high = int(part["year"].min()), int(part["year"].max())
            self.first_year = low if self.first_year is None else min(self.first_year, low)
            self.last_year = high if self.last_year is None else max(self.last_year, high)

    def track(self, parts: Iterator[pd.DataFrame],
              done: Callable[[], None]) -> Iterator[pd.DataFrame]:
        """``parts``, each noted as it passes and ``done`` called after it."""
        for part in parts:
            self.add(part)
            yield part
            done()


def _note_non_system_members(group: str) -> None:
    """Say which members of ``group`` a state-system panel leaves out (Palestine in the OIC)."""
    from alliancekit.curated.query import get_group
    from alliancekit.curated.records import known_states

    states = known_states()
    outside = sorted({str(s.state) for s in get_group(group).members
                      if not states[s.state].in_system})
    if outside:
        names = ", ".join(f"{states[o].name} ({o})" for o in outside)
        typer.echo(f"note: {names}: member of {group} outside the state system, so not in "
                   "this panel")
