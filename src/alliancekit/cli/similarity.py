"""``alliancekit similarity``: alliance-portfolio similarity for every directed dyad-year."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from alliancekit.cli._common import (
    CarryForward,
    CertainOnly,
    DataDir,
    err_console,
    parse_list,
    parse_years,
)
from alliancekit.cli._output import plural


def similarity(
    out: Annotated[
        Path, typer.Option(help="Output file; the extension picks the format: .parquet, .csv, "
                                ".dta.")
    ],
    years: Annotated[
        str, typer.Option(help="Years, e.g. 1816-2018 (ATOP's coverage; later years need "
                               "--sources atop,curated).")
    ] = "1816-2018",
    measures: Annotated[
        str | None,
        typer.Option(help="Comma-separated measures (default: all), e.g. "
                          "s_valued_absolute_unweighted,pi_valued,kappa_binary,taub_valued."),
    ] = None,
    scope: Annotated[
        str, typer.Option(help="Third states of each portfolio: global, region, or a group "
                               "such as oic.")
    ] = "global",
    sources: Annotated[
        str, typer.Option(help="Where ties come from: atop, curated, or atop,curated.")
    ] = "atop",
    carry_forward: CarryForward = True,
    certain_only: CertainOnly = False,
    data_dir: DataDir = None,
) -> None:
    """Compute similarity measures for all directed COW dyad-years and write them.

    Example: alliancekit similarity --years 1816-2018 --out similarity.parquet
    --measures s_valued_absolute_unweighted,kappa_valued

    Example: alliancekit similarity --years 2019-2025 --sources atop,curated --scope oic
    --out oic.parquet
    """
    from alliancekit.io import panel_format, write_panel
    from alliancekit.measures.similarity import check_measures
    from alliancekit.panels.create import create_dyadyears
    from alliancekit.panels.frame import sources_of
    from alliancekit.panels.similarity import add_similarity

    panel_format(out)
    names = check_measures(parse_list(measures) or None)
    first, last = parse_years(years) or (1816, 2018)
    with err_console.status(f"computing {plural(len(names), 'measure')} for {first}-{last}"):
        panel = create_dyadyears("cow", (first, last), mry=last > 2016, data_dir=data_dir)
        panel = add_similarity(panel, measures=names, scope=scope,
                               sources=tuple(parse_list(sources)), carry_forward=carry_forward,
                               certainty="certain" if certain_only else "any",
                               data_dir=data_dir)
        write_panel(panel, out)
    typer.echo(f"wrote {out}: {len(panel):,} directed dyad-years x "
               f"{plural(len(names), 'measure')}, {first}-{last}, scope {scope}")
    typer.echo(f"sources: {', '.join(sources_of(panel))}")
