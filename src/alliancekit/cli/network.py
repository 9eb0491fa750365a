"""``alliancekit network``: yearly alliance graphs, their state and year measures, and exports."""

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

app = typer.Typer(help="Alliance networks: graphs of pledges, blocs, centrality, polarization.",
                  no_args_is_help=True)

Obligations = Annotated[
    str, typer.Option(help="Which pledges make an edge: defence, offence, neutrality, "
                           "non_aggression, consultation (comma-separated).")
]
Directed = Annotated[
    bool, typer.Option("--directed/--non-directed",
                       help="Edges from the pledging state, or one edge per allied pair.")
]
Sources = Annotated[str, typer.Option(help="Where pledges come from: atop, curated, or both.")]
Layers = Annotated[
    str | None,
    typer.Option(help="A cooperation network across layers instead of pledges alone: "
                      "alliance, dca, exercises, arms_transfers (comma-separated).",
                 show_default=False),
]


@app.command("panels")
def panels(
    states_out: Annotated[Path, typer.Option(help="State-year measures (.parquet/.csv/.dta).")],
    years_out: Annotated[Path, typer.Option(help="Year measures (.parquet/.csv/.dta).")],
    years: Annotated[str, typer.Option(help="Years, e.g. 1816-2018.")] = "1816-2018",
    obligations: Obligations = "defence",
    directed: Directed = False,
    sources: Sources = "atop",
    layers: Layers = None,
    carry_forward: CarryForward = True,
    certain_only: CertainOnly = False,
    data_dir: DataDir = None,
) -> None:
    """Write the state-year and year panels of network measures.

    Example: alliancekit network panels --years 1946-2018 --obligations defence
    --states-out network_states.parquet --years-out network_years.csv
    """
    from alliancekit.io import panel_format, write_panel
    from alliancekit.measures.network import check_obligations, network_panels

    panel_format(states_out)
    panel_format(years_out)
    first, last = parse_years(years) or (1816, 2018)
    wanted = check_obligations(parse_list(obligations))
    with err_console.status(f"building {first}-{last} alliance networks"):
        state_years, year_panel = network_panels(
            (first, last), obligations=wanted, directed=directed,
            sources=tuple(parse_list(sources)), layers=parse_list(layers) or None,
            carry_forward=carry_forward, certainty="certain" if certain_only else "any",
            data_dir=data_dir)
        write_panel(state_years, states_out)
        write_panel(year_panel, years_out)
    typer.echo(f"wrote {states_out} ({len(state_years):,} state-years) and {years_out} "
               f"({len(year_panel):,} years)")


@app.command("graph")
def graph(
    year: Annotated[int, typer.Option(help="The year.")],
    out: Annotated[Path, typer.Option(help="A .graphml or .gexf file (Gephi reads both).")],
    obligations: Obligations = "defence",
    directed: Directed = False,
    sources: Sources = "atop",
    layers: Layers = None,
    carry_forward: CarryForward = True,
    certain_only: CertainOnly = False,
    data_dir: DataDir = None,
) -> None:
    """Write one year's alliance graph (or cooperation graph, with --layers) for Gephi and other
    graph tools.

    Example: alliancekit network graph --year 2018 --obligations defence --out nato2018.gexf

    Example: alliancekit network graph --year 2025 --sources atop,curated --out world2025.gexf

    Example: alliancekit network graph --year 2005 --layers alliance,dca,arms_transfers
    --out cooperation2005.graphml
    """
    from alliancekit.errors import UsageError
    from alliancekit.measures.network import (
        check_obligations,
        cooperation_graphs,
        write_graph,
        yearly_graphs,
    )

    wanted = check_obligations(parse_list(obligations))
    if layers:
        graphs = list(cooperation_graphs((year, year), parse_list(layers), data_dir=data_dir))
    else:
        graphs = list(yearly_graphs((year, year), obligations=wanted, directed=directed,
                                    sources=tuple(parse_list(sources)),
                                    carry_forward=carry_forward,
                                    certainty="certain" if certain_only else "any",
                                    data_dir=data_dir))
    if not graphs:
        raise UsageError(f"--year {year}: no tie source covers it (ATOP ends in 2018; "
                         "--sources atop,curated reaches later years; each --layers source "
                         "has its own years)")
    write_graph(graphs[0], out)
    typer.echo(f"wrote {out}: {graphs[0].number_of_nodes()} states, "
               f"{graphs[0].number_of_edges()} edges")
