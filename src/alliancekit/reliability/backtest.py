"""The crisis simulation tested against history: for every war onset with a pledge in play,
simulate with what was known on the eve and score the predictions against who joined.

For each COW inter-state war (1816-2003) whose attacked states or attackers had a defence or
offence pledge in play at the onset (:class:`~alliancekit.reliability.cases.Timing`), the
scenario is *the attacker side's states of the first year attack the attacked states*; the
pledges are those in play at the onset, without the pledges to an attacked state (or offence
pledges to an attacker) whose named adversaries are not among the real opponents (they were not
invoked). The empirical rates are estimated **without that war** (leave one out), for the war's
era. Each (war, state, side) where the state had a pledge to that side's original belligerents
is scored: the prediction is the simulated probability that the state joins that side, the
outcome whether COW has it fighting on that side at any time in the war.

Settings (:data:`SETTINGS`): the simulation with the empirical rates or the fixed 0.745, each
under the cascade rules ``attacked`` (the stated rule), ``none`` and ``chain``, with a state's
pledges to one partner as one decision (the default) or each pledge alone; and two
baselines: every pledged state joins (probability 1) and nobody joins (0). Scores: the Brier
score (mean squared error; lower is better) and the log loss (probabilities clipped to
[0.001, 0.999] so a certain wrong answer costs log(1000), not infinity).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alliancekit.errors import UsageError
from alliancekit.io import atomic_path
from alliancekit.names import state_name
from alliancekit.obligations.engine import Obligations
from alliancekit.obligations.scenario import Scenario
from alliancekit.obligations.simulation import HONOURED, simulate
from alliancekit.reliability.cases import (
    Case,
    Timing,
    era_of,
    named_adversary_missed,
    onsets,
    reliability_cases,
)
from alliancekit.reliability.rates import beta_parameters
from alliancekit.sources.atop import load_atop_formation
from alliancekit.sources.registry import NOT_SUPPORTED, find_source

# (label, rates, cascade, together); rates "empirical", a fixed probability, or a baseline
# constant; together: a state's pledges to one partner are one decision (the default)
SETTINGS: tuple[tuple[str, str | float, str, bool], ...] = (
    ("empirical, cascade attacked", "empirical", "attacked", True),
    ("empirical, no cascade", "empirical", "none", True),
    ("empirical, cascade chain", "empirical", "chain", True),
    ("empirical, no cascade, each pledge alone", "empirical", "none", False),
    ("fixed 0.745, cascade attacked", HONOURED, "attacked", True),
    ("fixed 0.745, no cascade", HONOURED, "none", True),
    ("fixed 0.745, cascade chain", HONOURED, "chain", True),
    ("fixed 0.745, no cascade, each pledge alone", HONOURED, "none", False),
    ("every pledged state joins", "all", "none", True),
    ("nobody joins", "nobody", "none", True),
)
CLIP = 1e-3
BINS = np.linspace(0.0, 1.0, 11)


@dataclass
class Backtest:
    """Predictions (one row per war, state, side and setting), scores and calibration."""

    predictions: pd.DataFrame
    scores: pd.DataFrame
    calibration: pd.DataFrame
    notes: list[str] = field(default_factory=list)


PREDICTION_COLUMNS = ["event_id", "onset", "era", "state", "state_name", "side", "joined",
                      "setting", "p"]


@dataclass
class Plan:
    """What the backtest simulates: the wars with a pledge in play (``played``), each war's
    pledges in play, every war case (for the leave-one-out rates), the engine, the draws and
    the seed. Each war is simulated on its own (:func:`war_predictions`), so the wars can run
    anywhere (:mod:`alliancekit.sweeps.backtest` runs them on a Dask cluster)."""

    engine: Obligations
    played: list[_War]
    in_play: dict[str, pd.DataFrame]
    cases: pd.DataFrame
    draws: int
    seed: int
    onsets: int


def plan_backtest(events: str = "wars", years: tuple[int, int] | None = None, *,
                  engine: Obligations | None = None, draws: int = 2000, seed: int = 1,
                  data_dir: Path | str | None = None) -> Plan:
    """Everything the backtest of the wars with onsets in ``years`` needs (see the module
    docstring), with the arguments checked."""
    if events == "mids":
        raise UsageError(f"events='mids': {NOT_SUPPORTED['gml_mid']}; the backtest runs on "
                         "events='wars'")
    if events != "wars":
        raise UsageError(f"events={events!r}: the backtest runs on 'wars' (COW inter-state "
                         "wars), which say who attacked; UCDP does not, so its conflicts "
                         "give rates (alliancekit reliability --events ucdp) but no backtest")
    if draws < 10:
        raise UsageError(f"draws={draws}: give at least 10")
    if engine is None:
        engine = Obligations(("atop", "curated"), data_dir=data_dir)
    cases = reliability_cases("wars", engine=engine, data_dir=data_dir)
    formation = (load_atop_formation(data_dir).set_index("atopid")
                 if find_source("atop", data_dir) is not None else None)
    timing = Timing(engine, formation)
    wars = _wars(onsets("wars", years, data_dir=data_dir))
    in_play = {w.attacked.event_id: _pledges(engine, timing, w) for w in wars}
    played = [w for w in wars if _ring(in_play[w.attacked.event_id], w)]
    if not played:
        span = f"{years[0]}-{years[1]}" if years else "the data"
        raise UsageError(f"no war onset in {span} had a defence or offence pledge in play, so "
                         "there is nothing to score")
    return Plan(engine, played, {w.attacked.event_id: in_play[w.attacked.event_id]
                                 for w in played}, cases, draws, seed, len(wars))


def war_predictions(plan: Plan, number: int) -> pd.DataFrame:
    """The predictions for war ``number`` of ``plan.played`` under every setting."""
    war = plan.played[number]
    return pd.DataFrame(_one_war(plan.engine, war, plan.in_play[war.attacked.event_id],
                                 plan.cases, plan.draws, plan.seed), columns=PREDICTION_COLUMNS)


def finish_backtest(plan: Plan, predictions: pd.DataFrame) -> Backtest:
    """Scores, calibration and notes from every war's predictions."""
    scores = score(predictions)
    calibration = calibrate(predictions)
    notes = [f"{len(plan.played)} wars with a pledge in play of {plan.onsets} onsets; "
             f"{predictions[['event_id', 'state', 'side']].drop_duplicates().shape[0]} "
             f"(war, state, side) predictions per setting; {plan.draws:,} draws, seed "
             f"{plan.seed}",
             "empirical rates: each war's era and obligation, estimated without that war "
             "(leave one out), drawn from Beta(honoured + 1/2, broken + 1/2)"]
    return Backtest(predictions, scores, calibration, notes)


def backtest(events: str = "wars", years: tuple[int, int] | None = None, *,
             engine: Obligations | None = None, draws: int = 2000, seed: int = 1,
             data_dir: Path | str | None = None,
             progress: Callable[[int, int], None] | None = None) -> Backtest:
    """Run the backtest (see the module docstring) over the wars with onsets in ``years``,
    in this process."""
    plan = plan_backtest(events, years, engine=engine, draws=draws, seed=seed,
                         data_dir=data_dir)
    frames = []
    for number in range(len(plan.played)):
        if progress is not None:
            progress(number + 1, len(plan.played))
        frames.append(war_predictions(plan, number))
    return finish_backtest(plan, pd.concat(frames, ignore_index=True))


@dataclass(frozen=True)
class _War:
    attacked: Case
    attacking: Case


def _wars(cases: list[Case]) -> list[_War]:
    by_event: dict[str, dict[str, Case]] = {}
    for case in cases:
        by_event.setdefault(case.event_id, {})[case.partner_side] = case
    return [_War(sides["attacked"], sides["attacker"]) for sides in by_event.values()
            if "attacked" in sides and "attacker" in sides]


def _pledges(engine: Obligations, timing: Timing, war: _War) -> pd.DataFrame:
    """The defence and offence pledges in play at the war's onset, without those to the
    original belligerents whose named adversaries were not the real opponents."""
    case = war.attacked
    mask = timing.mask(case) & np.isin(engine.types, ["defence", "offence"])
    table = engine.table[mask]
    table = table[table["giver"] != table["receiver"]]
    targets, attackers = set(case.partners), set(case.opponents)
    keep = []
    for receiver, adversary, named in zip(table["receiver"], table["adversary"],
                                          table["adversary_named"], strict=True):
        pledge = {"adversary": adversary, "adversary_named": named}
        opponents = (case.opponents if receiver in targets else
                     case.partners if receiver in attackers else None)
        keep.append(opponents is None or not named_adversary_missed(pledge, opponents))
    return table[np.array(keep, dtype=bool)] if keep else table


def _ring(pledges: pd.DataFrame, war: _War) -> list[tuple[int, str]]:
    """The (state, side) pairs scored: a state with a defence pledge to an attacked state
    (side ``target``), or an offence or defence pledge to an attacker (side ``attacker``)."""
    targets, attackers = set(war.attacked.partners), set(war.attacked.opponents)
    belligerents = targets | attackers
    pairs = set()
    for giver, receiver, obligation in zip(pledges["giver"], pledges["receiver"],
                                           pledges["obligation"], strict=True):
        if not isinstance(giver, int | np.integer) or giver in belligerents:
            continue
        if receiver in targets and obligation == "defence":
            pairs.add((int(giver), "target"))
        elif receiver in attackers:
            pairs.add((int(giver), "attacker"))
    return sorted(pairs)


def _one_war(engine: Obligations, war: _War, pledges: pd.DataFrame, cases: pd.DataFrame,
             draws: int, seed: int) -> list[dict[str, Any]]:
    case = war.attacked
    ring = _ring(pledges, war)
    era = era_of(case.onset.year)
    scenario = Scenario(tuple(int(a) for a in case.opponents),
                        tuple(int(t) for t in case.partners), case.onset)
    rates = {}
    for unit in ("decision", "pledge"):
        beta = beta_parameters(cases, exclude_event=case.event_id, unit=unit)
        rates[unit] = {obligation: beta[(era, obligation)]
                       for obligation in ("defence", "offence") if (era, obligation) in beta}
    actual = {(s, "target" if side == case.side_of[case.partners[0]] else "attacker")
              for s, side in case.side_of.items()}
    rows = []
    for label, chance, mode, together in SETTINGS:
        if chance in ("all", "nobody"):
            p = {pair: 1.0 if chance == "all" else 0.0 for pair in ring}
        else:
            run = simulate(engine, scenario, draws=draws, seed=seed, cascade=mode,
                           probabilities=(None if chance == "empirical"
                                          else {"defence": float(chance),
                                                "offence": float(chance)}),
                           rates=(rates["decision" if together else "pledge"]
                                  if chance == "empirical" else None),
                           pledges=pledges, capabilities=False, together=together)
            joins = run.joins.set_index("state")
            p = {(s, side): float(joins[f"p_{side}_side"].get(s, 0.0)) for s, side in ring}
        for (state, side), value in p.items():
            rows.append({"event_id": case.event_id, "onset": case.onset, "era": era,
                         "state": state, "state_name": state_name(state, case.onset), "side": side,
                         "joined": (state, side) in actual, "setting": label, "p": value})
    return rows


def score(predictions: pd.DataFrame) -> pd.DataFrame:
    """Brier score and log loss per setting, overall and per era."""
    out = []
    for era in ("all", *sorted(predictions["era"].unique())):
        chosen = predictions if era == "all" else predictions[predictions["era"] == era]
        for label, group in chosen.groupby("setting", sort=False):
            y = group["joined"].to_numpy(float)
            p = group["p"].to_numpy(float)
            clipped = np.clip(p, CLIP, 1 - CLIP)
            out.append({"era": era, "setting": label, "predictions": len(group),
                        "joined": int(y.sum()),
                        "brier": float(np.mean((p - y) ** 2)) if len(y) else math.nan,
                        "log_loss": float(-np.mean(y * np.log(clipped)
                                                   + (1 - y) * np.log(1 - clipped)))
                        if len(y) else math.nan})
    return pd.DataFrame(out, columns=["era", "setting", "predictions", "joined", "brier",
                                      "log_loss"])


def calibrate(predictions: pd.DataFrame) -> pd.DataFrame:
    """Per setting and bin of predicted probability (tenths): predictions, mean predicted
    probability and the share that joined."""
    frame = predictions.assign(bin=np.clip(np.digitize(predictions["p"], BINS[1:-1]), 0, 9))
    table = frame.groupby(["setting", "bin"], sort=False).agg(
        predictions=("p", "size"), mean_predicted=("p", "mean"),
        observed=("joined", "mean")).reset_index()
    table["bin"] = [f"{BINS[b]:.1f}-{BINS[b + 1]:.1f}" for b in table["bin"]]
    return table


def best(scores: pd.DataFrame, era: str = "all") -> Mapping[str, Any]:
    """The setting with the lowest Brier score in ``era`` (ties: the lower log loss)."""
    chosen = scores[scores["era"] == era].sort_values(["brier", "log_loss"])
    return {str(k): v for k, v in chosen.iloc[0].to_dict().items()}


def write_backtest(result: Backtest, out: Path) -> list[Path]:
    """Write ``predictions.csv``, ``scores.csv``, ``calibration.csv``, ``calibration.png``
    and ``report.md`` into the directory ``out``, each file atomically."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in (("predictions.csv", result.predictions), ("scores.csv", result.scores),
                        ("calibration.csv", result.calibration)):
        with atomic_path(out / name) as path:
            frame.to_csv(path, index=False, lineterminator="\n", float_format="%.6g")
        written.append(out / name)
    with atomic_path(out / "calibration.png") as path:
        plot_calibration(result, path)
    written.append(out / "calibration.png")
    with atomic_path(out / "report.md") as path:
        path.write_text(report(result), encoding="utf-8")
    written.append(out / "report.md")
    return written


def plot_calibration(result: Backtest, path: Path) -> None:
    """The calibration plot: observed share joined against mean predicted probability, per
    setting of the simulation, with the diagonal of perfect calibration."""
    try:  # an optional dependency (alliancekit[charts]), imported only to draw
        import matplotlib
    except ImportError:  # pragma: no cover - an optional dependency
        raise UsageError("the calibration plot needs matplotlib: pip install "
                         "'alliancekit[charts]'") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6.4, 5.2), dpi=110)
    axes.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=1,
              label="perfect calibration")
    shown = [label for label, chance, _, _ in SETTINGS if chance not in ("all", "nobody")
             and "chain" not in label and "attacked" not in label]
    for label in shown:
        rows = result.calibration[result.calibration["setting"] == label]
        rows = rows.sort_values("mean_predicted")
        axes.plot(rows["mean_predicted"], rows["observed"], marker="o", linewidth=1.5,
                  label=label)
        for x, y, n in zip(rows["mean_predicted"], rows["observed"], rows["predictions"],
                           strict=True):
            axes.annotate(str(n), (x, y), textcoords="offset points", xytext=(3, 3),
                          fontsize=7, color="#555555")
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.set_xlabel("Predicted probability of joining (mean in bin)")
    axes.set_ylabel("Share that joined")
    axes.set_title("Backtest: COW inter-state wars, leave one out")
    axes.legend(fontsize=8, loc="upper left")
    axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, format="png")
    plt.close(figure)


def report(result: Backtest) -> str:
    """A short Markdown report: the scores per era and the best setting."""
    lines = ["# Backtest of the crisis simulation", ""]
    lines += [f"- {note}" for note in result.notes]
    for era in result.scores["era"].unique():
        chosen = result.scores[result.scores["era"] == era]
        lines += ["", f"## Onsets {'in all eras' if era == 'all' else era}", "",
                  "| setting | predictions | joined | Brier | log loss |",
                  "|---|---:|---:|---:|---:|"]
        for row in chosen.sort_values("brier").itertuples():
            lines.append(f"| {row.setting} | {row.predictions} | {row.joined} | "
                         f"{row.brier:.4f} | {row.log_loss:.4f} |")
        top = best(result.scores, str(era))
        lines += ["", f"Best (lowest Brier): **{top['setting']}**."]
    lines += ["", "Lower is better for both scores. Log loss clips probabilities to "
              f"[{CLIP}, {1 - CLIP}]. The calibration plot is calibration.png; the table "
              "calibration.csv.", ""]
    return "\n".join(lines)
