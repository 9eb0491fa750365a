"""The Monte Carlo simulation of a crisis scenario (:mod:`alliancekit.obligations.scenario`):
who joins each side, draw by draw.

**Simulation.** Each pledge is honoured with a probability: 0.745 by default, the share of
commitments honoured in Leeds, Long and Mitchell (2000), settable per obligation type, or drawn
per draw from a Beta distribution per obligation type (``rates``: the empirical rates of
:mod:`alliancekit.reliability` for the scenario's era, so their uncertainty is carried into the
draws); multiplied by ``conditional`` (default 1: an unknown condition is taken as met) when one
of its conditions cannot be checked. A state joins a side when at least one of its pledges to
that side is honoured in a draw; a state that would join both sides stays out.

**Cascade** (:data:`CASCADES`). A pledge fires when its partner is *attacked*. The targets are
attacked; an attacker becomes attacked once a state joins the target side (it is then at war
with that state). A state that joins a war does **not** thereby become attacked for its own
allies' pledges: joining is not being attacked. So with ``cascade="attacked"`` (``True``) the
defence pledges to the targets fire, then, when someone joined the target side, the defence
pledges to the attackers, and offence pledges to the attackers: Iran attacking Saudi Arabia
brings in Saudi Arabia's allies once each, not their allies' allies in a loop.
``cascade="chain"`` is the older alternative kept for comparison: every state that joins counts
as attacked, so pledges to defend it pull in more states round after round (it gives every
Arab League member a probability near 1 in that scenario, and the backtest scores it worse).
``cascade="none"`` (``False``) counts only the pledges to the targets and offence pledges to
the attackers. Draws use numpy's PCG64 generator with the given seed, so the same seed gives
the same result.
"""


from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alliancekit.errors import Interrupted, UsageError
from alliancekit.names import state_name
from alliancekit.obligations.engine import (
    Obligations,
    check_conditions,
    explain,
    pledge_status,
    status_rank,
)
from alliancekit.obligations.scenario import Scenario
from alliancekit.obligations.wording import ENGLISH, Wording
from alliancekit.settings import limit
from alliancekit.sources.nmc import load_nmc
from alliancekit.sources.registry import find_source

HONOURED = 0.745  # Leeds, Long and Mitchell (2000), share of alliance commitments honoured
CASCADES = ("none", "attacked", "chain")
# The most draws x pledges (or states) in play one simulation may hold: about 0.5 GB at its
# peak (a 2018 USA-Russia cascade at the limit: 11,061 draws, 5 s, 546 MB).
MAX_DRAW_CELLS = limit("MAX_DRAW_CELLS", 50_000_000)


@dataclass
class Simulation:
    """Monte Carlo results: each state's probability of joining each side, the capability
    ratio's distribution, and the assumptions used."""

    joins: pd.DataFrame
    ratio: dict[str, float | None]
    assumptions: list[str]


def cascade_mode(cascade: bool | str) -> str:
    """``cascade`` as one of :data:`CASCADES` (``True`` is ``"attacked"``, ``False``
    ``"none"``)."""
    if cascade is True:
        return "attacked"
    if cascade is False or cascade is None:
        return "none"
    if cascade not in CASCADES:
        raise UsageError(f"cascade={cascade!r}: choose from {', '.join(CASCADES)}")
    return str(cascade)


def simulate(engine: Obligations, scenario: Scenario, *, draws: int = 10_000, seed: int = 1,
             probabilities: Mapping[str, float] | None = None, conditional: float = 1.0,
             cascade: bool | str = False,
             rates: Mapping[str, tuple[float, float]] | None = None,
             rates_source: str = "", data_dir: Path | str | None = None,
             stop: Callable[[], bool] | None = None, pledges: pd.DataFrame | None = None,
             capabilities: bool = True, together: bool = True) -> Simulation:
    """Draw who honours which pledge ``draws`` times (see the module docstring).

    ``rates`` maps an obligation type (``defence``, ``offence``) to the Beta(a, b)
    distribution its honouring probability is drawn from, once per draw; ``rates_source``
    says where they come from. Without them, ``probabilities`` (default
    :data:`HONOURED` for both) are used as fixed.

    ``pledges``, when given, are the rows of the engine's table in play (a backtest gives the
    pledges in force at an onset known only to the year); by default those in force on the
    scenario's day. ``capabilities=False`` skips the capability ratio. ``together`` (the
    default, chosen by the backtest) makes a state's pledges to one partner one decision,
    honoured or broken together; without it each pledge is drawn on its own, so a state with
    three pledges to a partner comes with probability 1 - (1 - p)^3.

    ``stop``, when given, is asked between blocks of draws and between cascade rounds; when
    it answers true the work ends with :class:`~alliancekit.errors.Interrupted` (a server
    uses it for a time budget and for a client that went away).

    The work is bounded: ``draws`` times the pledges in play may not exceed
    :data:`MAX_DRAW_CELLS` (memory grows with it), and ``seed`` is a whole number from 0."""
    if draws < 1:
        raise UsageError(f"draws={draws}: give at least 1")
    if not 0 <= seed < 2**63:
        raise UsageError(f"seed={seed}: give a whole number from 0 to 2**63 - 1")
    chances = {"defence": HONOURED, "offence": HONOURED, **(probabilities or {})}
    for key, value in chances.items():
        if not 0 <= value <= 1:
            raise UsageError(f"probability for {key} is {value}: give a number from 0 to 1")
    for key, (alpha, beta) in (rates or {}).items():
        if not (alpha > 0 and beta > 0):
            raise UsageError(f"rates for {key}: Beta({alpha}, {beta}) needs both above 0")
    if not 0 <= conditional <= 1:
        raise UsageError(f"conditional={conditional}: give a number from 0 to 1")
    mode = cascade_mode(cascade)
    network = _pledge_network(engine, scenario, mode == "chain", pledges)
    states = network["states"]
    n, m = len(states), len(network["giver_index"])
    if draws * max(m, n) > MAX_DRAW_CELLS:
        most = max(1, MAX_DRAW_CELLS // max(m, n))
        raise UsageError(f"draws={draws:,}: with {m:,} pledges and {n:,} states in play that is "
                         f"{draws * max(m, n):,} cells, above the limit of {MAX_DRAW_CELLS:,}; "
                         f"give at most {most:,} draws")
    # Pledges sorted by giver (then partner and side), so "any honoured pledge of this giver"
    # is one reduceat and a state's pledges to one partner are neighbours.
    order = np.lexsort((network["joins_side"], network["receiver_index"],
                        network["giver_index"]))
    giver = network["giver_index"][order]
    receiver = network["receiver_index"][order]
    joins_side = network["joins_side"][order]
    limited = network["limited"][order]
    adversary = [network["adversary"][k] for k in order]
    obligation = network["obligation"][order]
    factor = np.where(network["conditional"][order], conditional, 1.0).astype(np.float32)
    rng = np.random.default_rng(seed)
    # One decision per pledge, or (``together``) per state, partner and side: a state's
    # several pledges to one partner are honoured or broken together.
    keys = (np.stack([giver, receiver, joins_side], axis=1) if together
            else np.stack([giver, np.arange(len(giver))], axis=1))
    _, group = np.unique(keys, axis=0, return_inverse=True) if len(giver) else (None, giver)
    group = np.asarray(group).reshape(-1)
    if rates:
        kinds = sorted(set(obligation.tolist()))
        per_draw = np.empty((draws, len(kinds)), dtype=np.float32)
        for k, kind in enumerate(kinds):
            if kind in rates:
                per_draw[:, k] = rng.beta(*rates[kind], size=draws)
            else:
                per_draw[:, k] = chances.get(kind, HONOURED)
        column = np.searchsorted(np.array(kinds, dtype=object), obligation).astype(np.int64)

        def probability(chosen: slice) -> np.ndarray:
            return per_draw[:, column[chosen]] * factor[chosen][None, :]
    else:
        fixed = np.array([chances.get(o, HONOURED) for o in obligation],
                         dtype=np.float32) * factor

        def probability(chosen: slice) -> np.ndarray:
            return fixed[chosen]
    honoured = _draw(rng, draws, probability, group, stop)  # draws x pledges
    side = np.zeros((draws, n), dtype=np.int8)  # 1 attacker side, 2 target side, 0 out
    index = {s: i for i, s in enumerate(states)}
    for a in scenario.attackers:
        side[:, index[a]] = 1
    for t in scenario.targets:
        side[:, index[t]] = 2
    original_target = np.zeros(n, dtype=bool)
    original_target[[index[t] for t in scenario.targets]] = True
    original_attacker = np.zeros(n, dtype=bool)
    original_attacker[[index[a] for a in scenario.attackers]] = True
    is_defence = joins_side == 0
    initial = network["initial"][order]
    for _ in range((1 if mode == "none" else n) if m else 0):
        _stop_if(stop)
        # Only pledges whose receiver is at war and whose giver is out in some draw can act.
        at_war = np.asarray((side > 0).any(axis=0))
        still_out = np.asarray((side == 0).any(axis=0))
        live = np.flatnonzero(at_war[receiver] & still_out[giver])
        if mode != "chain":
            live = live[initial[live]]
        if live.size == 0:
            break
        g, r = giver[live], receiver[live]
        receiver_side = side[:, r]  # draws x live pledges
        # Who is attacked: the targets; an attacker once a state has joined the target side
        # (it is at war with that state). With "chain", every state that joined the target
        # side too (the older rule, kept for comparison).
        intervened = ((side == 2) & ~original_target).any(axis=1)[:, None]
        if mode == "chain":
            attacked = (receiver_side == 2) | ((receiver_side == 1) & intervened)
            attacking = receiver_side == 1
        else:
            attacked = original_target[r][None, :] | (original_attacker[r][None, :]
                                                      & intervened)
            attacking = np.broadcast_to(original_attacker[r][None, :], receiver_side.shape)
        active = honoured[:, live] & (side[:, g] == 0)
        active &= np.where(is_defence[live][None, :], attacked, attacking)
        for j in np.flatnonzero(limited[live]):
            # a curated pledge against named adversaries only: one of them must be at war
            # with its receiver
            foes = side[:, adversary[live[j]]]
            against = np.where(receiver_side[:, j] == 2, foes == 1,
                               (foes == 2) & ~original_target[adversary[live[j]]][None, :])
            active[:, j] &= against.any(axis=1)
        to_attacker = np.where(is_defence[live][None, :], receiver_side == 1, True)
        starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
        givers = g[starts]
        one = np.logical_or.reduceat(active & to_attacker, starts, axis=1)
        two = np.logical_or.reduceat(active & ~to_attacker, starts, axis=1)
        out = side[:, givers] == 0
        fresh_one, fresh_two = one & ~two & out, two & ~one & out
        if not (fresh_one.any() or fresh_two.any()):
            break
        block = side[:, givers]
        block[fresh_one] = 1
        block[fresh_two] = 2
        side[:, givers] = block
    joins = pd.DataFrame({
        "state": states,
        "state_name": [state_name(int(s), scenario.on) for s in states],
        "p_attacker_side": (side == 1).mean(axis=0),
        "p_target_side": (side == 2).mean(axis=0),
    })
    joins = joins[~joins["state"].isin([*scenario.attackers, *scenario.targets])]
    joins = joins[(joins["p_attacker_side"] > 0) | (joins["p_target_side"] > 0)]
    ratio = _ratio_distribution(states, side, scenario, data_dir) if capabilities else {}
    if rates:
        honour = ("each pledge honoured with a probability drawn once per draw from "
                  + ", ".join(f"{k} Beta({a:g}, {b:g}) (mean {a / (a + b):.3f})"
                              for k, (a, b) in sorted(rates.items()))
                  + (f" ({rates_source})" if rates_source else ""))
    else:
        honour = ("each pledge honoured independently with probability "
                  + ", ".join(f"{k} {v}" for k, v in sorted(chances.items()))
                  + " (0.745: Leeds, Long and Mitchell 2000, wars of 1816-1944)")
    assumptions = [
        f"{draws:,} draws, seed {seed} (numpy PCG64)",
        honour + f"; times {conditional} when a condition cannot be checked",
        ("a state's pledges to one partner are honoured or broken together (one decision)"
         if together else "each pledge is honoured or broken on its own"),
        "a state with honoured pledges to both sides stays out",
        {"attacked": "cascade: a pledge fires when its partner is attacked; the targets are "
                     "attacked, and an attacker once a state joins the target side; a state "
                     "that joins is not thereby attacked",
         "chain": "cascade (chain): every state that joins counts as attacked, so pledges "
                  "to defend it pull in more states round by round (the older rule, kept "
                  "for comparison)",
         "none": "no cascade: only pledges to the original attackers and targets count"}[mode],
    ]
    return Simulation(joins.sort_values(["p_target_side", "p_attacker_side"],
                                        ascending=False, ignore_index=True), ratio, assumptions)


def _stop_if(stop: Callable[[], bool] | None) -> None:
    if stop is not None and stop():
        raise Interrupted("the simulation was stopped before it finished (its time budget ran "
                          "out or the request went away); ask for fewer draws")


def _draw(rng: np.random.Generator, draws: int, probability: Callable[[slice], np.ndarray],
          group: np.ndarray, stop: Callable[[], bool] | None = None) -> np.ndarray:
    """``draws x len(group)`` booleans: pledge j is honoured in a draw when its group's
    uniform number is below its probability (``probability(pledges)``: a ``draws x k`` or
    ``k`` array for a slice of pledges). Pledges of one group (``group``: non-decreasing group
    numbers) share one number, so they are honoured or broken together (the strongest
    decides). Generated in blocks of groups to bound memory, in a fixed order so a seed always
    gives the same result."""
    out = np.empty((draws, len(group)), dtype=bool)
    if len(group) == 0:
        return out
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    bounds = np.r_[starts, len(group)]
    for first in range(0, len(starts), 512):
        _stop_if(stop)
        last = min(first + 512, len(starts))
        pledges = slice(int(bounds[first]), int(bounds[last]))
        uniform = rng.random((draws, last - first), dtype=np.float32)
        local = np.repeat(np.arange(last - first), np.diff(bounds[first:last + 1]))
        out[:, pledges] = uniform[:, local] < probability(pledges)
    return out


def _pledge_network(engine: Obligations, scenario: Scenario, cascade: bool,
                    pledges: pd.DataFrame | None = None) -> dict[str, Any]:
    """The pledges that can matter: to the belligerents, and with ``cascade`` to any state
    reachable through defence pledges from them; among ``pledges`` when given, else among
    those in force on the scenario's day."""
    if pledges is None:
        kinds = np.isin(engine.types, ["defence", "offence"])
        table = engine.table[engine.in_force(scenario.on) & kinds]
    else:
        table = pledges[pledges["obligation"].isin(["defence", "offence"])]
    table = table[table["giver"] != table["receiver"]]
    involved = set(scenario.attackers) | set(scenario.targets)
    if cascade:
        frontier = set(involved)
        while frontier:
            reached = set(table[table["receiver"].isin(frontier)]["giver"]) - involved
            involved |= reached
            frontier = reached
    initial_receivers = set(scenario.attackers) | set(scenario.targets)
    table = table[table["receiver"].isin(involved)
                  & (cascade or table["receiver"].isin(initial_receivers))]
    # Offence pledges only to the attackers join the attacker side; defence joins the
    # receiver's side.
    table = table[(table["obligation"] == "defence") | table["receiver"].isin(scenario.attackers)]
    states = sorted(involved | set(table["giver"]) | set(table["receiver"]))
    index = {s: i for i, s in enumerate(states)}
    records = table.to_dict("records")
    adversary = []
    limited = []
    conditional = []
    for pledge in records:
        named = pledge["adversary"] if pledge["adversary_exclusive"] else ()
        adversary.append(np.array([index[s] for s in named if s in index], dtype=np.int64))
        limited.append(bool(named))
        checks = check_conditions(pledge, attacker=None, location=scenario.location,
                                       on=scenario.on)
        conditional.append(any(
            c["status"] == "unknown"
            and (c["condition"] != "specific adversary" or not pledge["adversary_exclusive"])
            for c in checks))
    return {
        "records": records,
        "states": np.array(states, dtype=np.int64),
        "giver": table["giver"].to_numpy(),
        "giver_index": np.array([index[g] for g in table["giver"]], dtype=np.int64),
        "receiver_index": np.array([index[r] for r in table["receiver"]], dtype=np.int64),
        "obligation": table["obligation"].to_numpy(),
        "joins_side": np.where(table["obligation"].to_numpy() == "offence", 1, 0),
        "initial": table["receiver"].isin(initial_receivers).to_numpy(),
        "adversary": adversary,
        "limited": np.array(limited, dtype=bool),
        "conditional": np.array(conditional, dtype=bool),
    }


def _ratio_distribution(states: np.ndarray, side: np.ndarray, scenario: Scenario,
                        data_dir: Path | str | None) -> dict[str, float | None]:
    if find_source("cow_nmc", data_dir) is None:
        return {}
    nmc = load_nmc("7.0", data_dir)
    nmc = nmc[(nmc["year"] <= scenario.on.year) & nmc["cinc"].notna()]
    if nmc.empty:
        return {}
    year = int(nmc["year"].max())
    cinc = nmc[nmc["year"] == year].set_index("ccode")["cinc"]
    weights = np.array([float(cinc.get(int(s), 0.0)) for s in states])
    attack = (side == 1) @ weights
    defend = (side == 2) @ weights
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(attack > 0, defend / attack, np.nan)
    finite = ratio[np.isfinite(ratio)]
    if finite.size == 0:
        return {"cinc_year": year}
    return {"cinc_year": year, "mean": float(finite.mean()),
            "p05": float(np.quantile(finite, 0.05)), "median": float(np.median(finite)),
            "p95": float(np.quantile(finite, 0.95))}


def cascade_path(engine: Obligations, scenario: Scenario, mode: bool | str = "attacked", *,
                 words: Wording = ENGLISH) -> pd.DataFrame:
    """Who the pledges pull in, round by round, under the cascade rule ``mode`` (see
    :data:`CASCADES`), when every pledge is honoured and every condition that cannot be
    checked is taken as met; one row per state that joins, with the pledge that pulled it in
    and why (worded by ``words``)."""
    mode = cascade_mode(mode)
    chain = mode == "chain"
    network = _pledge_network(engine, scenario, cascade=chain)
    original = set(scenario.attackers) | set(scenario.targets)
    side = {a: 1 for a in scenario.attackers} | {t: 2 for t in scenario.targets}
    interveners: set[int] = set()
    rows = []
    for round_number in range(1, (len(network["states"]) if mode != "none" else 1) + 1):
        joining: dict[int, tuple[int, dict[str, Any], tuple[int, ...]]] = {}
        torn: set[int] = set()
        for pledge in network["records"]:
            giver, receiver = int(pledge["giver"]), int(pledge["receiver"])
            if giver in side or receiver not in side:
                continue
            if not chain and receiver not in original:
                continue  # a state that joined is not attacked (the stated rule)
            if pledge["obligation"] == "offence":
                if side[receiver] != 1:
                    continue
                new_side, attackers = 1, [s for s, v in side.items() if v == 2]
            else:
                new_side = side[receiver]
                attackers = ([s for s, v in side.items() if v == 1] if new_side == 2
                             else [s for s in interveners if side[s] == 2])
                if not attackers:
                    continue
            named = pledge["adversary"] if pledge["adversary_exclusive"] else None
            if named and not set(named) & set(attackers):
                continue
            if giver in joining and joining[giver][0] != new_side:
                torn.add(giver)
            joining.setdefault(giver, (new_side, pledge, tuple(attackers)))
        fresh = {g: v for g, v in joining.items() if g not in torn}
        if not fresh:
            break
        for giver, (new_side, pledge, opponents) in sorted(fresh.items()):
            side[giver] = new_side
            if new_side == 2:
                interveners.add(giver)
            checks = min((check_conditions(pledge, attacker=o, location=scenario.location,
                                           on=scenario.on, words=words)
                          for o in opponents), key=status_rank)
            rows.append({
                "round": round_number, "state": giver, "state_name": state_name(giver, scenario.on),
                "side": "attacker" if new_side == 1 else "target",
                "pledged_to": state_name(int(pledge["receiver"]), scenario.on),
                "agreement": pledge["agreement"],
                "why": explain(pledge, checks, pledge_status(checks), on=scenario.on, words=words),
            })
    return pd.DataFrame(rows, columns=["round", "state", "state_name", "side", "pledged_to",
                                       "agreement", "why"])
