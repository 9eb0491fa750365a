"""One event model for the conflict sources: :func:`conflict_events` returns one row per event
and participant, whichever source it comes from.

Columns (:data:`EVENT_COLUMNS`): ``source``; ``event_id``; ``ccode`` and ``gwcode`` (the
participant in both state systems); ``side`` (``"A"`` or ``"B"``); ``role``; ``start`` and
``end`` with ``start_precision`` and ``end_precision``; ``intensity`` (UCDP's 1 = 25-999
battle deaths in a year, 2 = 1,000 or more; the highest of the participant's years);
``battle_deaths`` (COW, the state's own; missing when unknown); ``outcome`` (COW's code);
``kind`` (the type of conflict).

- ``source="cow_inter"``: COW inter-state wars 4.0 (1823-2003). An event is a war
  (``event_id`` ``cow-<warnum>``). The data are directed dyad-years, so days are not known:
  ``start`` is 1 January of the first year the state was at war and ``end`` 31 December of the
  last (precision ``"year"``). ``side`` is COW's side 1 (``"A"``) or 2 (``"B"``), labels
  only, in the state's first year (a state that changed sides, as France did in 1940, keeps
  the side it entered on); ``role`` is ``"initiator"`` for a state COW codes as initiator,
  else ``"originator"`` when it was at war in the war's first year and ``"joiner"`` when it
  entered in a later year.
- ``source="ucdp"``: UCDP/PRIO armed conflicts 25.1 (1946-2024). An event is a conflict
  episode (``event_id`` ``ucdp-<conflict_id>-<episode start>``; an episode is the run of a
  conflict's years that share UCDP's episode start date). ``role`` is ``"primary"`` for the
  states of sides A and B and ``"secondary"`` for the states UCDP codes as fighting in support
  of a side (``gwno_a_2nd``, ``gwno_b_2nd``; the side is the column UCDP put it in). A
  participant there from the episode's first year starts on UCDP's episode start day, with
  UCDP's own precision code (``"ucdp-1"`` ... ``"ucdp-7"``, as UCDP's codebook defines them);
  one that came later starts on 1 January of its first year (``"year"``). An episode UCDP ends
  ends on its end day for those still in it (``"ucdp"``); for others on 31 December of their
  last year (``"year"``); an episode still going at the end of the data has no end.
- ``source="gml"``: refused. The GML MID data's maintainer asked software not to automate its
  use (peacesciencer withdrew ``add_gml_mids()`` for that reason), as the COW alliance data's
  maintainer did.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.errors import UsageError
from alliancekit.sources.cow_wars import load_cow_inter_wars
from alliancekit.sources.crosswalk import cow_to_gw, gw_to_cow
from alliancekit.sources.registry import NOT_SUPPORTED
from alliancekit.sources.ucdp_acd import load_ucdp_acd

SOURCES = ("cow_inter", "ucdp")
EVENT_COLUMNS = ("source", "event_id", "ccode", "gwcode", "side", "role", "start",
                 "start_precision", "end", "end_precision", "intensity", "battle_deaths",
                 "outcome", "kind")
def _cow_inter(data_dir: Path | str | None) -> pd.DataFrame:
    # sorted by year, so a state's side is the one it fought on first (France in 1939, not
    # the Vichy side of 1940-41; Italy in 1940, not the co-belligerent of 1943)
    wars = load_cow_inter_wars(data_dir).sort_values(["warnum", "ccode1", "year"],
                                                     kind="stable")
    by_state = wars.groupby(["warnum", "ccode1"], sort=True)
    rows = by_state.agg(first=("year", "min"), last=("year", "max"), side=("sidea1", "first"),
                        initiator=("initiator1", "max"), deaths=("batdeath1", "max"),
                        outcome=("outcome1", "first")).reset_index()
    war_start = rows.groupby("warnum")["first"].transform("min")
    role = np.where(rows["initiator"] == 1, "initiator",
                    np.where(rows["first"] == war_start, "originator", "joiner"))
    ccode = rows["ccode1"].to_numpy(np.int64)
    return pd.DataFrame({
        "source": "cow_inter", "event_id": "cow-" + rows["warnum"].astype(str),
        "ccode": ccode, "gwcode": cow_to_gw(ccode, rows["first"].to_numpy(np.int64)),
        "side": np.where(rows["side"] == 1, "A", "B"), "role": role,
        "start": pd.to_datetime(dict(year=rows["first"], month=1, day=1)),
        "start_precision": "year",
        "end": pd.to_datetime(dict(year=rows["last"], month=12, day=31)),
        "end_precision": "year", "intensity": pd.NA,
        "battle_deaths": rows["deaths"].where(rows["deaths"] >= 0).astype("Int64"),
        "outcome": rows["outcome"].astype("Int64"), "kind": "inter-state war",
        "_first": rows["first"], "_last": rows["last"]})


def _ucdp(data_dir: Path | str | None) -> pd.DataFrame:
    acd = load_ucdp_acd(data_dir)
    parts = []
    for column, side, role in (("gwno_a", "A", "primary"), ("gwno_b", "B", "primary"),
                               ("gwno_a_2nd", "A", "secondary"),
                               ("gwno_b_2nd", "B", "secondary")):
        part = acd.dropna(subset=[column])
        parts.append(part.assign(gwcode=part[column].astype(np.int64), side=side, role=role))
    rows = pd.concat(parts, ignore_index=True)
    # a state coded on a side as primary is not also that side's supporter
    rows["rank"] = np.where(rows["role"] == "primary", 0, 1)
    rows = rows.sort_values(["conflict_id", "start_date2", "gwcode", "side", "rank", "year"])
    keys = ["conflict_id", "start_date2"]
    episode = acd.groupby(keys).agg(ep_first=("year", "min"), ep_last=("year", "max"),
                                    ep_ended=("ep_end", "max"),
                                    ep_end_date=("ep_end_date", "max"))
    per = rows.groupby([*keys, "gwcode", "side"], sort=False).agg(
        role=("role", "first"), first=("year", "min"), last=("year", "max"),
        intensity=("intensity_level", "max"), prec=("start_prec2", "first"),
        kind=("type_of_conflict", "last")).reset_index().join(episode, on=keys)
    from_start = per["first"] == per["ep_first"]
    to_end = (per["last"] == per["ep_last"]) & (per["ep_ended"] == 1)
    still = (per["last"] == per["ep_last"]) & (per["ep_ended"] == 0) & \
        (per["ep_last"] == acd["year"].max())
    year_start = pd.to_datetime(dict(year=per["first"], month=1, day=1))
    year_end = pd.to_datetime(dict(year=per["last"], month=12, day=31))
    gwcode = per["gwcode"].to_numpy(np.int64)
    return pd.DataFrame({
        "source": "ucdp",
        "event_id": "ucdp-" + per["conflict_id"].astype(str) + "-"
        + per["start_date2"].dt.strftime("%Y-%m-%d"),
        "ccode": gw_to_cow(gwcode, per["first"].to_numpy(np.int64)), "gwcode": gwcode,
        "side": per["side"], "role": per["role"],
        "start": per["start_date2"].where(from_start, year_start),
        "start_precision": np.where(from_start, "ucdp-" + per["prec"].astype(str), "year"),
        "end": per["ep_end_date"].where(to_end, year_end).where(~still),
        "end_precision": pd.Series(np.where(to_end, "ucdp", "year"), dtype=object).where(
            ~still.to_numpy(), None),
        "intensity": per["intensity"].astype("Int64"), "battle_deaths": pd.NA,
        "outcome": pd.NA, "kind": per["kind"], "_first": per["first"], "_last": per["last"]})


def conflict_events(source: str = "ucdp", years: tuple[int, int] | None = None, *,
                    data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per event and participant from ``source`` (``"cow_inter"`` or ``"ucdp"``; see
    the module docstring), keeping the participants at war in some year of ``years``."""
    if source == "gml":
        raise UsageError(f"source='gml': {NOT_SUPPORTED['gml_mid']}")
    if source not in SOURCES:
        raise UsageError(f"source={source!r}: choose from {', '.join(map(repr, SOURCES))}")
    rows = _cow_inter(data_dir) if source == "cow_inter" else _ucdp(data_dir)
    if years is not None:
        first, last = years
        if first > last:
            raise UsageError(f"years={years!r}: the first year comes after the last")
        rows = rows[(rows["_last"] >= first) & (rows["_first"] <= last)]
    rows = rows.sort_values(["start", "event_id", "side", "role", "ccode"], kind="stable")
    out = rows[list(EVENT_COLUMNS)].reset_index(drop=True)
    for column in ("intensity", "battle_deaths", "outcome"):
        out[column] = out[column].astype("Int64")
    return out
