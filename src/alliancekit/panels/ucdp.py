"""UCDP/PRIO armed conflicts on panels: ``add_ucdp_acd`` as peacesciencer adds them to
Gleditsch-Ward state-years, and ``add_ucdp_support``, who sent troops to whose side.

``add_ucdp_acd(frame, type=None, issue=None, only_wars=False)``, as peacesciencer's
``add_ucdp_acd()``: the conflicts are first kept by ``type`` (``"extrasystemic"``,
``"interstate"``, ``"intrastate"``, ``"II"`` = internationalized intrastate), by ``issue``
(``incompatibility``: ``"territory"``, ``"government"``, ``"both"``) and, with ``only_wars``,
to war years (``intensity_level`` 2). A conflict counts for the states of its side A (the
government side; as in peacesciencer, side B's states and the supporters do not get it).
Added: ``ucdpongoing`` (1 in a year the state fought one), ``ucdponset`` (1 in the first year a
conflict appears for that state among the kept conflict-years: a conflict that flares up again
after a pause is not a new onset, as in peacesciencer), both 0 in 1946-2024 without one and
missing outside; ``maxintensity`` (the highest intensity that year) and ``conflict_ids`` (the
conflicts, ``"; "``-joined in id order), missing without a conflict.

``add_ucdp_support(frame)``: the states UCDP codes as secondary parties, the states that sent
troops to fight for a side (``gwno_a_2nd``, ``gwno_b_2nd``). Each supporter's side is the
column UCDP put it in. On dyad-years (COW or G-W, read as directed: ccode1 is the supporter):
``ucdp_support_for`` (1 when state 1 fought as a secondary party on the side where state 2 was
a primary party), ``ucdp_support_against`` (on the other side from state 2) and
``ucdp_support_conflicts`` (the conflicts, ``"; "``-joined). On state-years:
``ucdp_support_sent`` (the number of conflicts the state fought in as a secondary party) and
``ucdp_support_received`` (the number in which it was a primary party and another state fought
on its side). 0 in 1946-2024 without support, missing outside. UCDP's G-W codes are read as COW
codes on COW panels through :func:`alliancekit.sources.crosswalk.gw_to_cow`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.errors import UsageError
from alliancekit.panels._lookup import gather, lookup_rows
from alliancekit.panels.frame import add_sources, key_array, require
from alliancekit.sources.crosswalk import gw_to_cow
from alliancekit.sources.memo import cached_by_file
from alliancekit.sources.registry import source_path
from alliancekit.sources.ucdp_acd import ACD_FILE, UCDP_ACD, load_ucdp_acd

TYPES = ("extrasystemic", "interstate", "intrastate", "II")
ISSUES = ("territory", "government", "both")
FIRST_YEAR, LAST_YEAR = UCDP_ACD.coverage
ACD_COLUMNS = ("ucdpongoing", "ucdponset", "maxintensity", "conflict_ids")


def _choices(value: str | Sequence[str] | None, allowed: tuple[str, ...],
             argument: str) -> list[str] | None:
    if value is None:
        return None
    chosen = [value] if isinstance(value, str) else list(value)
    wrong = [v for v in chosen if v not in allowed]
    if wrong or not chosen:
        raise UsageError(f"{argument}={value!r}: choose from {', '.join(map(repr, allowed))}")
    return chosen


def ucdp_state_years(type: str | Sequence[str] | None = None,
                     issue: str | Sequence[str] | None = None, only_wars: bool = False,
                     data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per G-W state and year with a conflict on side A: ``gwcode, year`` and the
    columns ``add_ucdp_acd`` adds (see the module docstring)."""
    types = _choices(type, TYPES, "type")
    issues = _choices(issue, ISSUES, "issue")
    acd = load_ucdp_acd(data_dir)
    if issues is not None:
        acd = acd[acd["incompatibility"].isin(issues)]
    if types is not None:
        acd = acd[acd["type_of_conflict"].isin(types)]
    if only_wars:
        acd = acd[acd["intensity_level"] == 2]
    years = acd.drop_duplicates(["conflict_id", "gwno_a", "year"])
    years = years.sort_values(["conflict_id", "gwno_a", "year"], kind="stable")
    first = ~years.duplicated(["conflict_id", "gwno_a"])
    years = years.assign(ucdponset=first.astype(np.int64))
    grouped = years.groupby(["gwno_a", "year"], sort=True)
    out = pd.DataFrame({
        "ucdpongoing": 1,
        "ucdponset": grouped["ucdponset"].max(),
        "maxintensity": grouped["intensity_level"].max(),
        "conflict_ids": grouped["conflict_id"].agg(lambda c: "; ".join(map(str, sorted(c)))),
    }).reset_index().rename(columns={"gwno_a": "gwcode"})
    return out


def add_ucdp_acd(frame: pd.DataFrame, *, type: str | Sequence[str] | None = None,
                 issue: str | Sequence[str] | None = None, only_wars: bool = False,
                 data_dir: Path | str | None = None) -> pd.DataFrame:
    """Add UCDP armed conflicts to a Gleditsch-Ward state-year panel (see the module
    docstring). Returns a new frame with the same rows."""
    require(frame, "add_ucdp_acd", units=("state-year",), systems=("gw",))
    table = ucdp_state_years(type, issue, only_wars, data_dir)
    year = key_array(frame, "year")
    found = lookup_rows([key_array(frame, "gwcode"), year],
                        [table["gwcode"].to_numpy(np.int64), table["year"].to_numpy(np.int64)])
    covered = (year >= FIRST_YEAR) & (year <= LAST_YEAR)
    added = {}
    for column in ACD_COLUMNS:
        values = gather(table, column, found, frame.index)
        if column in ("ucdpongoing", "ucdponset"):
            values = values.mask((found < 0) & covered, 0)
        added[column] = values
    return add_sources(frame.assign(**added), "ucdp_acd")


def support_rows(data_dir: Path | str | None = None, system: str = "gw") -> pd.DataFrame:
    """Every (conflict-year, supporter, primary party) of UCDP's secondary-party coding:
    ``conflict_id, year, supporter, side`` (``"A"`` or ``"B"``, the side it fought on),
    ``primary`` (a state that was a primary party), ``relation`` (``"for"`` when the primary
    party was on the supporter's side, else ``"against"``), with codes of ``system`` (UCDP's
    G-W codes, or COW codes with ``"cow"``), and the conflict's ``type_of_conflict``,
    ``incompatibility`` and ``intensity_level``."""
    acd = load_ucdp_acd(data_dir)
    info = ["conflict_id", "year", "type_of_conflict", "incompatibility", "intensity_level"]
    parts = []
    for supporters, side in (("gwno_a_2nd", "A"), ("gwno_b_2nd", "B")):
        backers = acd[[*info, supporters]].dropna().drop_duplicates()
        backers = backers.rename(columns={supporters: "supporter"})
        for primaries, own in (("gwno_a", "A"), ("gwno_b", "B")):
            primary = acd[["conflict_id", "year", primaries]].dropna().drop_duplicates()
            primary = primary.rename(columns={primaries: "primary"})
            pairs = backers.merge(primary, on=["conflict_id", "year"])
            parts.append(pairs.assign(side=side,
                                      relation="for" if own == side else "against"))
    rows = pd.concat(parts, ignore_index=True)
    rows = rows[rows["supporter"] != rows["primary"]]
    for column in ("supporter", "primary"):
        rows[column] = rows[column].astype(np.int64)
    if system == "cow":
        year = rows["year"].to_numpy()
        rows = rows.assign(supporter=gw_to_cow(rows["supporter"].to_numpy(), year),
                           primary=gw_to_cow(rows["primary"].to_numpy(), year))
    columns = ["conflict_id", "year", "supporter", "side", "primary", "relation", *info[2:]]
    return rows[columns].sort_values(["year", "conflict_id", "supporter", "primary"],
                                     ignore_index=True)


def add_ucdp_support(frame: pd.DataFrame, *,
                     data_dir: Path | str | None = None) -> pd.DataFrame:
    """Add who fought as a secondary party for or against whom (see the module docstring).
    Returns a new frame with the same rows."""
    kind = require(frame, "add_ucdp_support")
    path = source_path("ucdp_acd", ACD_FILE, data_dir)
    year = key_array(frame, "year")
    covered = (year >= FIRST_YEAR) & (year <= LAST_YEAR)
    code = kind.code
    added = {}
    if kind.unit == "dyad-year":
        table = _dyad_support(path, kind.system, data_dir)
        found = lookup_rows([key_array(frame, f"{code}1"), key_array(frame, f"{code}2"), year],
                            [table[k].to_numpy(np.int64) for k in SUPPORT_KEYS])
        for column in ("ucdp_support_for", "ucdp_support_against", "ucdp_support_conflicts"):
            values = gather(table, column, found, frame.index)
            if column != "ucdp_support_conflicts":
                values = values.mask((found < 0) & covered, 0)
            added[column] = values
    else:
        for column, count in _state_support(path, kind.system, data_dir).items():
            index = pd.MultiIndex.from_arrays([key_array(frame, code), year])
            counted = np.nan_to_num(count.reindex(index).to_numpy(np.float64)).astype(np.int64)
            added[column] = pd.Series(pd.arrays.IntegerArray(counted, ~covered),
                                      index=frame.index)
    return add_sources(frame.assign(**added), "ucdp_acd")


SUPPORT_KEYS = ["supporter", "primary", "year"]


@cached_by_file
def _dyad_support(path: Path, system: str, data_dir: Path | str | None) -> pd.DataFrame:
    """One row per (supporter, primary, year) with support, for each version of the file."""
    rows = support_rows(data_dir, system)
    return rows.groupby(SUPPORT_KEYS).agg(
        ucdp_support_for=("relation", lambda r: int((r == "for").any())),
        ucdp_support_against=("relation", lambda r: int((r == "against").any())),
        ucdp_support_conflicts=("conflict_id",
                                lambda c: "; ".join(map(str, sorted(set(c)))))).reset_index()


@cached_by_file
def _state_support(path: Path, system: str,
                   data_dir: Path | str | None) -> dict[str, pd.Series]:
    """The conflicts each state sent and received support in, by (state, year)."""
    rows = support_rows(data_dir, system)
    backed = rows[rows["relation"] == "for"]
    return {
        "ucdp_support_sent": rows.drop_duplicates(["supporter", "year", "conflict_id"])
        .groupby(["supporter", "year"]).size(),
        "ucdp_support_received": backed.drop_duplicates(["primary", "year", "conflict_id"])
        .groupby(["primary", "year"]).size(),
    }
