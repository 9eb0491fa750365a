"""``alliancekit reliability`` (shares of pledges honoured in past wars) and ``alliancekit
backtest`` (the crisis simulation scored against who joined)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from alliancekit.cli._common import DataDir, err_console, parse_list, parse_years
from alliancekit.cli._output import FormatOption, choose_format, plural
from alliancekit.cli.sweep import Cluster, Workers

Events = Annotated[
    str, typer.Option(help="Events: wars (COW inter-state wars, 1816-2003) or ucdp (UCDP "
                           "interstate and internationalized conflicts, 1946-2024). mids is "
                           "refused: the GML MID data are not read at their maintainer's "
                           "request.")
]


def reliability(
    events: Events = "wars",
    years: Annotated[str | None, typer.Option(help="Onset years, e.g. 1816-2003.")] = None,
    by: Annotated[
        str, typer.Option(help="Split by any of era, obligation, region, certainty, "
                               "bilateral, conditions, at_war, kind, source, event "
                               "(comma-separated; empty for one overall rate).")
    ] = "era,obligation",
    out: Annotated[
        Path | None, typer.Option(help="Also write the rates to this file (.csv, .parquet, .dta).")
    ] = None,
    cases_out: Annotated[
        Path | None, typer.Option(help="Also write every (event, pledge) case with its "
                                       "evidence to this file (.csv, .parquet).")
    ] = None,
    fmt: FormatOption = None,
    data_dir: DataDir = None,
) -> None:
    """Shares of alliance pledges honoured when a partner was at war, with counts and 95%
    Wilson intervals.

    Example: alliancekit reliability --events wars --years 1816-2003 --by era,obligation

    Example: alliancekit reliability --events wars --by era,bilateral --out rates.csv
    --cases-out cases.csv

    Example: alliancekit reliability --events ucdp --by kind,obligation
    """
    from alliancekit.cli._output import emit
    from alliancekit.io import panel_format, write_panel
    from alliancekit.reliability.cases import reliability_cases
    from alliancekit.reliability.rates import check_by, reliability_rates

    chosen = choose_format(fmt)
    groups = check_by(parse_list(by))
    span = parse_years(years)
    for path in (out, cases_out):
        if path is not None:
            panel_format(path)
    with err_console.status(f"finding the pledges in play at each {events} onset"):
        cases = reliability_cases(events, span, data_dir=data_dir)
        rates = reliability_rates(cases, groups)
    if cases_out is not None:
        write_panel(cases, cases_out)
    if out is not None:
        write_panel(rates, out)
    span_text = f"{span[0]}-{span[1]}" if span else "all years"
    notes = [f"{plural(len(cases), 'pledge')} in play at "
             f"{plural(cases['event_id'].nunique(), 'onset')} ({events}, {span_text}); "
             f"{int(cases['honoured'].notna().sum()):,} invoked",
             "share: honoured / invoked cases; low-high: 95% Wilson interval; not_invoked: "
             "pledges whose named adversaries were not the real opponents",
             "rules (who is attacked, timing, joining window): docs/reliability.md"]
    notes += [f"wrote {p}" for p in (out, cases_out) if p is not None]
    emit(rates, chosen, title=f"Pledges honoured, by {', '.join(groups) or 'all'}",
         notes=notes)


def backtest(
    out: Annotated[Path, typer.Option(help="Directory for predictions.csv, scores.csv, "
                                           "calibration.csv, calibration.png and report.md.")],
    events: Events = "wars",
    years: Annotated[str | None, typer.Option(help="Onset years, e.g. 1945-2003.")] = None,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws per war and setting.")] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same result).")] = 1,
    workers: Workers = None,
    cluster: Cluster = None,
    data_dir: DataDir = None,
) -> None:
    """Score the crisis simulation against who joined each war: Brier score, log loss and
    calibration for the empirical and fixed rates and each cascade rule, against baselines.
    With --workers or --cluster the wars run on Dask worker processes (the same result).

    Example: alliancekit backtest --events wars --out backtest/

    Example: alliancekit backtest --events wars --years 1945-2003 --draws 500 --out post1945/

    Example: alliancekit backtest --events wars --years 1914-1945 --workers 2 --out interwar/
    """
    import os

    from alliancekit.reliability.backtest import backtest as run
    from alliancekit.reliability.backtest import best, write_backtest
    from alliancekit.sweeps.backtest import distributed_backtest
    from alliancekit.sweeps.runner import CLUSTER_SETTING

    span = parse_years(years)
    with err_console.status("backtesting") as status:
        def progress(number: int, total: int) -> None:
            status.update(f"backtesting: war {number} of {total}")

        if workers is None and cluster is None and not os.environ.get(CLUSTER_SETTING):
            result = run(events, span, draws=draws, seed=seed, data_dir=data_dir,
                         progress=progress)
        else:
            result, where = distributed_backtest(events, span, draws=draws, seed=seed,
                                                 workers=workers, cluster=cluster,
                                                 data_dir=data_dir, progress=progress)
            result.notes.append(f"the wars ran on {where}")
        written = write_backtest(result, out)
    for note in result.notes:
        typer.echo(note)
    scores = result.scores
    for era in scores["era"].unique():
        top = best(scores, str(era))
        typer.echo(f"{'all onsets' if era == 'all' else era}: best {top['setting']} "
                   f"(Brier {top['brier']:.4f}, log loss {top['log_loss']:.4f})")
    typer.echo("wrote " + ", ".join(str(p) for p in written))
