"""``alliancekit profile``: one state's military cooperation over time, as a table and chart."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from alliancekit.cli._common import DataDir, parse_years
from alliancekit.cli._output import FormatOption, choose_format, emit


def profile(
    state: Annotated[str, typer.Argument(help="COW code, COW or ISO abbreviation, or name.")],
    years: Annotated[str, typer.Option(help="Years, e.g. 1990-2020.")] = "1980-2020",
    out: Annotated[
        Path | None, typer.Option(help="Also write the table (.parquet, .csv or .dta).")
    ] = None,
    chart: Annotated[Path | None, typer.Option(help="Also draw the profile as a PNG.")] = None,
    fmt: FormatOption = None,
    data_dir: DataDir = None,
) -> None:
    """Show a state's cooperation profile: alliances, DCAs, exercises, peacekeeping, arms,
    spending and US troops, year by year.

    Example: alliancekit profile PAK --years 1990-2020 --chart pakistan.png
    """
    from alliancekit.errors import UsageError
    from alliancekit.io import panel_format, write_panel
    from alliancekit.measures.profile import PROFILE_COLUMNS, cooperation_profile, profile_chart

    chosen = choose_format(fmt)
    if out is not None:
        panel_format(out)
    if chart is not None and chart.suffix.lower() != ".png":
        raise UsageError(f"--chart {chart}: give a .png file name")
    span = parse_years(years) or (1980, 2020)
    frame = cooperation_profile(state, span, data_dir=data_dir)
    if frame.empty:
        raise UsageError(f"{state}: not a state-system member in {span[0]}-{span[1]}")
    shown = frame.rename(columns={c: label for c, (label, _) in PROFILE_COLUMNS.items()})
    notes = [f"sources: {', '.join(frame.attrs['sources'])}"]
    if frame.attrs["skipped"]:
        notes.append(f"not shown (sources not found): {', '.join(frame.attrs['skipped'])}")
    if out is not None:
        write_panel(frame, out)
        notes.append(f"wrote {out}")
    if chart is not None:
        profile_chart(frame, chart)
        notes.append(f"wrote {chart}")
    emit(shown.drop(columns=["ccode", "statenme"]) if chosen == "table" else frame, chosen,
         title=f"{frame['statenme'].iloc[0]} ({frame['ccode'].iloc[0]}): military cooperation",
         notes=notes)
