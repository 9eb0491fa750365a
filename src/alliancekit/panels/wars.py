"""``add_cow_wars``: Correlates of War wars, as peacesciencer's ``add_cow_wars()`` adds them.

**Inter-state wars on COW dyad-years** (``type="inter"``). Where a dyad-year has several war
rows, as peacesciencer does: when the rows differ in onset, the rows that are not an onset are
dropped; of the rest the deadliest is kept (battle deaths of the two states summed, one side's
alone when the other is unknown; ties and unknowns keep the first row in the file). Added:
``cowinterongoing``, ``cowinteronset`` (0 in a dyad-year of the war data's years, 1816-2007,
without a war; missing outside), ``sidea1``, ``sidea2``, ``initiator1``, ``initiator2``,
``outcome1``, ``outcome2``, ``batdeath1``, ``batdeath2`` (the data's ``-9`` read as missing)
and ``resume``, the last nine missing without a war.

**Intra-state wars on COW state-years** (``type="intra"``). A war counts for the state that is
its primary state (the government fighting the war; states that intervened do not get it), and
``intratype`` keeps ``"central control"`` or ``"local issues"`` wars only. A state-year with
several wars keeps one by the same rules (an onset over an ongoing war, then the deadliest, the
two sides' deaths summed). Added: ``warnum``, ``warname``, ``wartype``, ``cowintraonset``,
``cowintraongoing`` (0 in 1816-2007 without a war, missing outside), ``intnl``
(internationalized), ``outcome``, ``sideadeaths``, ``sidebdeaths`` (``-9`` unknown, as in the
data and in peacesciencer) and ``intrawarnums``, every war of the state-year (``"; "``-joined).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.errors import PanelKindError, UsageError
from alliancekit.panels._lookup import gather, lookup_rows
from alliancekit.panels.frame import Unit, add_sources, key_array, kind_of, require
from alliancekit.sources.cow_wars import load_cow_inter_wars, load_cow_intra_wars

KEYS = ["ccode1", "ccode2", "year"]
WAR_COLUMNS = ("cowinterongoing", "cowinteronset", "sidea1", "sidea2", "initiator1",
               "initiator2", "outcome1", "outcome2", "batdeath1", "batdeath2", "resume")
INTRA_KEYS = ["ccode", "year"]
INTRA_COLUMNS = ("warnum", "warname", "wartype", "cowintraonset", "cowintraongoing", "intnl",
                 "outcome", "sideadeaths", "sidebdeaths", "intrawarnums")
INTRA_TYPES = ("all", "central control", "local issues")
FIRST_YEAR, LAST_YEAR = 1816, 2007


def _one_per_key(rows: pd.DataFrame, keys: list[str], onset: str,
                 deaths: tuple[str, str]) -> pd.DataFrame:
    """peacesciencer's whittling of war rows to one per key: where the rows of a key differ in
    onset, drop those that are not an onset; then keep the deadliest (the two death counts
    summed, one alone when the other is unknown, below 0 = unknown), the first on ties."""
    rows = rows.sort_values(keys, kind="stable")
    groups = rows.groupby(keys)[onset]
    differ = (groups.transform("size") > 1) & (groups.transform("std") > 0)
    rows = rows[~(differ & (rows[onset] == 0))]
    first, second = (rows[c].where(rows[c] >= 0) for c in deaths)
    total = (first + second).fillna(first).fillna(second)
    ranked = rows.assign(_deaths=total.fillna(-np.inf))
    return rows.loc[ranked.groupby(keys, sort=False)["_deaths"].idxmax()]


def inter_war_dyad_years(data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per directed dyad-year at war (see the module docstring for which row)."""
    wars = _one_per_key(load_cow_inter_wars(data_dir), KEYS, "cowinteronset",
                        ("batdeath1", "batdeath2")).copy()
    for column in ("batdeath1", "batdeath2"):
        wars[column] = wars[column].where(wars[column] >= 0)
    wars = wars[[*KEYS, *WAR_COLUMNS]].reset_index(drop=True)
    return wars.astype({c: "Int64" for c in WAR_COLUMNS})


def intra_war_state_years(intratype: str = "all",
                          data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per state-year of an intra-state war the state fought as its primary state (see
    the module docstring for which war)."""
    if intratype not in INTRA_TYPES:
        raise UsageError(f"intratype={intratype!r}: choose from "
                         + ", ".join(map(repr, INTRA_TYPES)))
    wars = load_cow_intra_wars(data_dir)
    wars = wars[wars["primary_state"] == 1].rename(columns={"ccodea": "ccode"})
    if intratype != "all":
        wars = wars[wars["wartype"] == intratype]
    numbers = wars.groupby(INTRA_KEYS, sort=False)["warnum"].agg(
        lambda w: "; ".join(map(str, w))).rename("intrawarnums")
    wars = _one_per_key(wars, INTRA_KEYS, "cowintraonset", ("sideadeaths", "sidebdeaths"))
    wars = wars.join(numbers, on=INTRA_KEYS)
    return wars[[*INTRA_KEYS, *INTRA_COLUMNS]].reset_index(drop=True)


def add_cow_wars(frame: pd.DataFrame, *, type: str | None = None, intratype: str = "all",
                 data_dir: Path | str | None = None) -> pd.DataFrame:
    """Add COW wars (see the module docstring): inter-state wars to a COW dyad-year panel,
    intra-state wars to a COW state-year panel. ``type`` defaults to the one the panel takes
    (peacesciencer asks for it). Returns a new frame with the same rows."""
    if type is None:
        kind = kind_of(frame)
        type = "intra" if kind is not None and kind.unit == "state-year" else "inter"
    if type not in ("inter", "intra"):
        raise UsageError(f"type={type!r}: choose 'inter' (inter-state wars, dyad-years) or "
                         "'intra' (intra-state wars, state-years)")
    unit: Unit = "dyad-year" if type == "inter" else "state-year"
    kind = kind_of(frame)
    if kind is not None and kind.unit != unit:
        raise PanelKindError(
            f"add_cow_wars(type={type!r}) works on COW {unit} panels, not on a "
            f"{kind.describe()} panel: inter-state wars go on dyad-years (type='inter'), "
            "intra-state wars on state-years (type='intra')")
    require(frame, "add_cow_wars", units=(unit,), systems=("cow",))
    columns: tuple[str, ...]
    if type == "inter":
        keys, table, columns = KEYS, inter_war_dyad_years(data_dir), WAR_COLUMNS
        flags = ("cowinterongoing", "cowinteronset")
    else:
        keys, table = INTRA_KEYS, intra_war_state_years(intratype, data_dir)
        columns, flags = INTRA_COLUMNS, ("cowintraonset", "cowintraongoing")
    year = key_array(frame, "year")
    found = lookup_rows([key_array(frame, k) for k in keys],
                        [table[k].to_numpy(np.int64) for k in keys])
    covered = (year >= FIRST_YEAR) & (year <= LAST_YEAR)
    added = {}
    for column in columns:
        values = gather(table, column, found, frame.index)
        if column in flags:  # 0 inside the data's years where no war matched
            values = values.mask((found < 0) & covered, 0)
        added[column] = values
    return add_sources(frame.assign(**added), "cow_wars")
