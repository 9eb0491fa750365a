"""``alliancekit sweep``: sweeps too big for one machine, in-process, on local worker processes
or on a Dask cluster."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from alliancekit.cli._common import DataDir, err_console, parse_years
from alliancekit.cli._output import plural

app = typer.Typer(help="Sweeps over every state, attacker and year, on one machine or a Dask "
                       "cluster.", no_args_is_help=True)

Workers = Annotated[
    int | None, typer.Option(help="Run on this many local worker processes (a Dask "
                                  "LocalCluster started for the run).")
]
Cluster = Annotated[
    str | None, typer.Option(help="Run on the Dask scheduler at this address, e.g. "
                                  "tcp://10.0.0.5:8786 (default: ALLIANCEKIT_CLUSTER).")
]


@app.command("exposure")
def exposure(
    out: Annotated[Path, typer.Option(help="Directory for the atlas (Parquet, one partition "
                                           "per year); a rerun resumes what is missing.")],
    years: Annotated[str, typer.Option(help="Years, e.g. 1816-2025.")] = "1816-2025",
    attackers: Annotated[str, typer.Option(help="Potential attackers: all (every other "
                                                "state) or neighbours, majors, "
                                                "neighbours,majors.")] = "all",
    honoured: Annotated[str, typer.Option(help="empirical (the era's rate from past wars, "
                                               "drawn with its uncertainty) or a fixed "
                                               "probability such as 0.745.")] = "empirical",
    draws: Annotated[int, typer.Option(help="Draws of the honouring rate per year.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same atlas, wherever it "
                                           "runs).")] = 1,
    workers: Workers = None,
    cluster: Cluster = None,
    data_dir: DataDir = None,
) -> None:
    """The exposure atlas: for each state, year and potential attacker, the states pledged to
    defend it, the chance at least one comes, the expected number, and the capability ratio
    with and without them; a summary per state-year names its most dangerous attacker.

    Example: alliancekit sweep exposure --years 2000-2010 --draws 200 --out atlas-2000s/

    Example: alliancekit sweep exposure --years 1990-2025 --attackers neighbours,majors
    --workers 2 --out atlas-near/
    """
    import time

    from alliancekit.sweeps.exposure import exposure_sweep
    from alliancekit.sweeps.runner import run

    span = parse_years(years)
    assert span is not None
    started = time.perf_counter()
    with err_console.status("loading the pledges, the state system and the capabilities"):
        sweep = exposure_sweep(span, attackers=attackers, honoured=honoured, draws=draws,
                               data_dir=data_dir)
    with err_console.status(f"exposure atlas: 0 of {len(sweep.keys)} years") as status:
        def progress(number: int, total: int) -> None:
            status.update(f"exposure atlas: {number} of {total} years")

        report = run(sweep, out, seed=seed, workers=workers, cluster=cluster,
                     progress=progress)
    elapsed = time.perf_counter() - started
    typer.echo(f"{plural(len(report.written), 'year')} written, "
               f"{plural(len(report.skipped), 'year')} already there, on {report.where}, "
               f"in {elapsed:.1f} s")
    typer.echo(f"wrote {out}/atlas/year=*/ and {out}/summary/year=*/ (Parquet; read the "
               f"directory as one dataset, e.g. pandas.read_parquet('{out}/atlas'))")


@app.command("similarity")
def similarity(
    out: Annotated[Path, typer.Option(help="Directory for the measures (Parquet, one table per "
                                           "scope, one partition per year); a rerun resumes "
                                           "what is missing.")],
    years: Annotated[str, typer.Option(help="Years, e.g. 1816-2018 (ATOP's coverage; later "
                                            "years need --sources atop,curated).")
                     ] = "1816-2018",
    scopes: Annotated[str, typer.Option(help="all (global, region and every curated group) "
                                             "or a list such as global,oic.")] = "all",
    measures: Annotated[str | None, typer.Option(help="Comma-separated measures (default: "
                                                      "all 14).")] = None,
    sources: Annotated[str, typer.Option(help="Where ties come from: atop, curated, or "
                                              "atop,curated.")] = "atop",
    workers: Workers = None,
    cluster: Cluster = None,
    data_dir: DataDir = None,
) -> None:
    """Alliance-portfolio similarity of every directed dyad-year for every scope and group
    at once, the same numbers as alliancekit similarity --scope for each.

    Example: alliancekit sweep similarity --years 1990-2018 --scopes global,oic
    --out similarity-sweep/

    Example: alliancekit sweep similarity --years 2010-2025 --sources atop,curated
    --scopes all --workers 2 --out similarity-recent/
    """
    import time

    from alliancekit.cli._common import parse_list
    from alliancekit.sweeps.runner import run
    from alliancekit.sweeps.similarity import similarity_sweep

    span = parse_years(years)
    assert span is not None
    started = time.perf_counter()
    with err_console.status("building each year's portfolios"):
        sweep = similarity_sweep(span, scopes=scopes, measures=parse_list(measures) or None,
                                 sources=tuple(parse_list(sources)), data_dir=data_dir)
    with err_console.status(f"similarity: 0 of {len(sweep.keys)} years") as status:
        def progress(number: int, total: int) -> None:
            status.update(f"similarity: {number} of {total} years")

        report = run(sweep, out, workers=workers, cluster=cluster, progress=progress)
    elapsed = time.perf_counter() - started
    typer.echo(f"{plural(len(report.written), 'year')} written, "
               f"{plural(len(report.skipped), 'year')} already there, on {report.where}, "
               f"in {elapsed:.1f} s")
    typer.echo(f"wrote {', '.join(f'{out}/{s}/' for s in sweep.tables)} (Parquet, one "
               "partition per year)")
