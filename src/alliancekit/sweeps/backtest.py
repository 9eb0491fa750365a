"""The reliability backtest on the sweeps layer: one partition per war onset, so the wars run
on local worker processes or a Dask cluster; scored as in :mod:`alliancekit.reliability.backtest`.

Each war is simulated with the run's seed, as the in-process backtest does, so the predictions
and scores are the same wherever the wars run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from alliancekit.reliability.backtest import (
    Backtest,
    Plan,
    finish_backtest,
    plan_backtest,
    war_predictions,
)
from alliancekit.sweeps.runner import Sweep, gather


def _war(plan: Plan, number: int, seed: int) -> dict[str, pd.DataFrame]:
    """Partition ``number``: that war's predictions (the partition seed is not used; the plan
    carries the run's seed)."""
    predictions = war_predictions(plan, number)
    # dates as ISO text, so a partition's Parquet bytes read back exactly as they were made
    return {"predictions": predictions.assign(onset=predictions["onset"].astype(str))}


def backtest_sweep(plan: Plan) -> Sweep:
    """The backtest of ``plan`` as a sweep, one partition per war with a pledge in play."""
    return Sweep("backtest", _war, plan, tuple(range(len(plan.played))), ("predictions",),
                 {"draws": plan.draws, "seed": plan.seed})


def distributed_backtest(events: str = "wars", years: tuple[int, int] | None = None, *,
                         draws: int = 2000, seed: int = 1, workers: int | None = None,
                         cluster: str | None = None, data_dir: Path | str | None = None,
                         progress: Callable[[int, int], None] | None = None
                         ) -> tuple[Backtest, str]:
    """:func:`~alliancekit.reliability.backtest.backtest` with the wars run where asked
    (``workers`` local processes or the Dask scheduler at ``cluster``); returns the result and
    where it ran."""
    plan = plan_backtest(events, years, draws=draws, seed=seed, data_dir=data_dir)
    tables, where = gather(backtest_sweep(plan), seed=seed, workers=workers, cluster=cluster,
                           progress=progress)
    predictions = tables["predictions"].drop(columns="key")
    predictions["onset"] = pd.to_datetime(predictions["onset"]).dt.date
    return finish_backtest(plan, predictions), where
