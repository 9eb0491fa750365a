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
from alliancekit.cli._output import FormatOption, plural
from alliancekit.errors import UsageError

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
    states_out: Annotated[
        Path | None, typer.Option(help="Write the state-year measures here (.parquet/.csv/.dta).",
                                  show_default=False)] = None,
    years_out: Annotated[
        Path | None, typer.Option(help="Write the year measures here (.parquet/.csv/.dta); "
                                       "without it they are printed.", show_default=False)
    ] = None,
    years: Annotated[str, typer.Option(help="Years, e.g. 1816-2018.")] = "1816-2018",
    obligations: Obligations = "defence",
    directed: Directed = False,
    sources: Sources = "atop",
    layers: Layers = None,
    carry_forward: CarryForward = True,
    certain_only: CertainOnly = False,
    fmt: FormatOption = None,
    data_dir: DataDir = None,
) -> None:
    """Build the state-year and year panels of network measures: the year measures are printed
    (or written with --years-out), the state-year measures written with --states-out.

    Example: alliancekit network panels --years 1946-2018 --obligations defence
    --states-out network_states.parquet --years-out network_years.csv

    Example: alliancekit network panels --layers alliance,dca,exercises,arms_transfers

    With --layers the network exists only in the years every layer's source covers; the command
    says which years each layer covers and which years it used.
    """
    from alliancekit.cli._output import choose_format, emit, plural
    from alliancekit.io import panel_format, write_panel
    from alliancekit.measures.network import check_obligations, layer_span, network_panels

    chosen = choose_format(fmt)
    for out in (states_out, years_out):
        if out is not None:
            panel_format(out)
    first, last = parse_years(years) or (1816, 2018)
    wanted = check_obligations(parse_list(obligations))
    layer_list = parse_list(layers)
    span = (first, last)
    if layer_list:
        shared, each = layer_span((first, last), layer_list)
        for layer, (source, (low, high)) in each.items():
            err_console.print(f"layer {layer}: {source} covers {low}-{high}", highlight=False)
        if shared is None:
            raise UsageError(f"--years {years}: the layers {', '.join(layer_list)} share no "
                             "year inside it (see the coverage of each above)")
        span = shared
        err_console.print(f"the {len(layer_list)}-layer network covers {span[0]}-{span[1]}, "
                          "the years every layer has data"
                          + ("" if span == (first, last) else f" (of {first}-{last} asked)"),
                          highlight=False)
    what = "cooperation" if layer_list else "alliance"
    with err_console.status(f"building {span[0]}-{span[1]} {what} networks"):
        state_years, year_panel = network_panels(
            span, obligations=wanted, directed=directed,
            sources=tuple(parse_list(sources)), layers=layer_list or None,
            carry_forward=carry_forward, certainty="certain" if certain_only else "any",
            data_dir=data_dir)
        if states_out is not None:
            write_panel(state_years, states_out)
        if years_out is not None:
            write_panel(year_panel, years_out)
    if states_out is not None:
        err_console.print(f"wrote {states_out} ({plural(len(state_years), 'state-year')})",
                          highlight=False)
    else:
        err_console.print(f"{plural(len(state_years), 'state-year')} of state measures: "
                          "--states-out FILE writes them", highlight=False)
    if years_out is not None:
        err_console.print(f"wrote {years_out} ({plural(len(year_panel), 'year')})",
                          highlight=False)
    else:
        emit(year_panel, chosen, title=f"{what.capitalize()} network measures by year, "
                                       f"{span[0]}-{span[1]}")


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
    typer.echo(f"wrote {out}: {plural(graphs[0].number_of_nodes(), 'state')}, "
               f"{plural(graphs[0].number_of_edges(), 'edge')}")
