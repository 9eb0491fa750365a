"""Shares of pledges honoured, by group, with counts and Wilson score intervals.

A rate counts the invoked pledges of :func:`~alliancekit.reliability.cases.reliability_cases`
(``honoured`` not missing): ``cases`` of them, ``honoured`` kept, ``share`` = honoured / cases,
and the 95% Wilson score interval ``low``-``high`` (Wilson 1927), which stays inside 0-1 and
behaves with few cases, unlike the normal approximation. ``not_invoked`` counts the pledges in
play whose conditions the real opponents did not meet.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from alliancekit.errors import UsageError

# The groupings a rate can be split by, and the case column each reads.
BY = {"era": "era", "obligation": "obligation", "region": "region",
      "certainty": "certainty", "bilateral": "bilateral", "conditions": "conditional",
      "kind": "kind", "source": "source", "event": "event_id", "at_war": "pledger_at_war"}
RATE_COLUMNS = ("cases", "honoured", "share", "low", "high", "not_invoked")
Z95 = 1.959963984540054


def wilson(honoured: int, cases: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for ``honoured`` successes in ``cases`` trials (NaN, NaN for
    no cases).

    >>> [round(x, 3) for x in wilson(8, 10)]
    [0.49, 0.943]
    """
    if cases == 0:
        return math.nan, math.nan
    share = honoured / cases
    denominator = 1 + z * z / cases
    centre = (share + z * z / (2 * cases)) / denominator
    half = z * math.sqrt(share * (1 - share) / cases + z * z / (4 * cases * cases)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def check_by(by: Sequence[str]) -> list[str]:
    """``by`` checked against :data:`BY`, each grouping once."""
    unknown = [b for b in by if b not in BY]
    if unknown:
        raise UsageError(f"--by {','.join(unknown)}: choose from {', '.join(BY)}")
    return list(dict.fromkeys(by))


def reliability_rates(cases: pd.DataFrame, by: Sequence[str] = ("era", "obligation")
                      ) -> pd.DataFrame:
    """One row per group of ``by`` (see :data:`BY`) with :data:`RATE_COLUMNS`; with no
    grouping, one row for all cases."""
    by = check_by(by)
    frame = cases.assign(
        bilateral=cases["bilateral"].map({True: "bilateral", False: "multilateral"}),
        conditional=cases["conditional"].map({True: "conditional", False: "unconditional"}),
        pledger_at_war=cases["pledger_at_war"].map({True: "pledger at war from the onset",
                                                    False: "pledger free to choose"}))
    keys = [BY[b] for b in by]
    frame["_invoked"] = frame["honoured"].notna()
    frame["_kept"] = frame["honoured"].fillna(False).astype(bool)
    if keys:
        grouped = frame.groupby(keys, dropna=False, sort=True)
        counts = grouped.agg(cases=("_invoked", "sum"), honoured=("_kept", "sum"),
                             in_play=("_invoked", "size")).reset_index()
    else:
        counts = pd.DataFrame({"cases": [int(frame["_invoked"].sum())],
                               "honoured": [int(frame["_kept"].sum())],
                               "in_play": [len(frame)]})
    counts = counts.rename(columns={BY[b]: b for b in by})
    counts["not_invoked"] = counts["in_play"] - counts["cases"]
    counts["share"] = np.where(counts["cases"] > 0,
                               counts["honoured"] / counts["cases"].where(counts["cases"] > 0),
                               np.nan)
    bounds = [wilson(int(k), int(n)) for k, n in zip(counts["honoured"], counts["cases"],
                                                       strict=True)]
    counts["low"] = [b[0] for b in bounds]
    counts["high"] = [b[1] for b in bounds]
    return counts[[*by, *RATE_COLUMNS]].astype({"cases": "int64", "honoured": "int64",
                                                 "not_invoked": "int64"})


def beta_parameters(cases: pd.DataFrame, obligations: Sequence[str] = ("defence", "offence"),
                    *, exclude_event: str | None = None, unit: str = "decision"
                    ) -> dict[tuple[str, str], tuple[float, float]]:
    """For each (era, obligation): the Beta(honoured + 1/2, broken + 1/2) distribution of its
    honouring probability (Jeffreys' prior), from the invoked ``cases`` whose pledger was free
    to choose (not itself at war from the onset: the simulation predicts only such states),
    without the event ``exclude_event`` (leave one out). A simulation draws a probability from
    it per draw, so the uncertainty of a rate from few cases is carried into the draws.

    ``unit="decision"`` (the default, as the simulation decides once per state and partner)
    counts each (event, partner, pledger, obligation) once, honoured when any of its pledges
    was; ``unit="pledge"`` counts every pledge."""
    chosen = cases[cases["honoured"].notna() & cases["obligation"].isin(obligations)
                   & ~cases["pledger_at_war"].astype(bool)]
    if exclude_event is not None:
        chosen = chosen[chosen["event_id"] != exclude_event]
    if unit == "decision":
        chosen = pd.DataFrame(chosen.assign(honoured=chosen["honoured"].astype(bool)).groupby(
            ["event_id", "partner", "pledger", "obligation", "era"], as_index=False,
            sort=False)["honoured"].max())
    elif unit != "pledge":
        raise UsageError(f"unit={unit!r}: choose decision or pledge")
    out: dict[tuple[str, str], tuple[float, float]] = {}
    for (era, obligation), group in chosen.groupby(["era", "obligation"]):
        kept = int(group["honoured"].astype(bool).sum())
        out[(str(era), str(obligation))] = (kept + 0.5, len(group) - kept + 0.5)
    return out


def describe_beta(parameters: Mapping[tuple[str, str], tuple[float, float]]) -> list[str]:
    """Each distribution in words: mean and the cases behind it."""
    return [f"{obligation} {era}: mean {a / (a + b):.3f} from {int(a + b - 1):,} cases"
            for (era, obligation), (a, b) in sorted(parameters.items())]
