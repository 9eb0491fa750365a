"""Military cooperation beyond alliances on state-year and dyad-year panels.

``add_dca`` (defence cooperation agreements, DCAD), ``add_arms_transfers`` (SIPRI TIV),
``add_milex`` (SIPRI military expenditure), ``add_us_troops`` (US troops hosted),
``add_exercises`` (multinational exercises, MME) and ``add_peacekeeping`` (UN peacekeeping
contributions, Geo-PKO). Each keeps the rows it is given and marks what it used. Inside a
source's coverage an event count with no event is 0; outside it every value is missing, since
no one recorded those years. Measured quantities (spending, troops) are missing wherever the
source has no figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.errors import UsageError
from alliancekit.panels._lookup import lookup_rows
from alliancekit.panels.frame import PanelKind, add_sources, key_array, require
from alliancekit.panels.states import join_state_years
from alliancekit.sources.dcad import DCAD, dca_years
from alliancekit.sources.exercises import JME, MME, load_jme, load_mme
from alliancekit.sources.geo_pko import GEO_PKO, load_peacekeeping
from alliancekit.sources.sipri import SIPRI_ARMS, load_sipri_arms, load_sipri_milex
from alliancekit.sources.us_troops import load_us_troops


def _counts(frame: pd.DataFrame, kind: PanelKind, table: pd.DataFrame, columns: Sequence[str],
            coverage: tuple[int, int]) -> dict[str, pd.Series]:
    """Values of ``table`` (keys ``a, b, year`` on dyads or ``a, year`` on states) for each row:
    the table's value where it has a row, 0 elsewhere inside ``coverage``, missing outside.
    Dyad tables are read in the panel's own order (state 1 as ``a``)."""
    year = key_array(frame, "year")
    covered = (year >= coverage[0]) & (year <= coverage[1])
    if kind.unit == "state-year":
        frame_keys = [key_array(frame, kind.keys[0]), year]
        table_keys = [table["a"].to_numpy(np.int64), table["year"].to_numpy(np.int64)]
    else:
        frame_keys = [key_array(frame, kind.keys[0]), key_array(frame, kind.keys[1]), year]
        table_keys = [table["a"].to_numpy(np.int64), table["b"].to_numpy(np.int64),
                      table["year"].to_numpy(np.int64)]
    out = {}
    rows = lookup_rows(frame_keys, table_keys)
    found = rows >= 0
    for column in columns:
        values = table[column].to_numpy(np.float64)
        total = np.zeros(len(year))
        total[found] = values[rows[found]]
        total[~covered] = np.nan
        out[column] = pd.Series(total, index=frame.index)
    return out


def add_dca(frame: pd.DataFrame, *, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Add the defence cooperation agreements in force: ``dca_general`` and ``dca_sector``
    (counts; on dyad-years between the two states, on state-years with any partner), from DCAD
    1.0, 1980-2010 (missing outside). Years in force follow DCAD's ``endYearEstimate``: see
    :mod:`alliancekit.sources.dcad`."""
    kind = require(frame, "add_dca", systems=("cow",))
    years = dca_years(data_dir)
    expanded = pd.DataFrame({
        "c1": years["ccode1"], "c2": years["ccode2"], "year": years["year"],
        "dca_general": (years["type"] == "general").astype(int),
        "dca_sector": (years["type"] == "sector").astype(int),
    })
    columns = ["dca_general", "dca_sector"]
    if kind.unit == "state-year":
        both = pd.concat([expanded.rename(columns={"c1": "a"}).drop(columns="c2"),
                          expanded.rename(columns={"c2": "a"}).drop(columns="c1")])
        table = both.groupby(["a", "year"], as_index=False)[columns].sum()
    else:
        both = pd.concat([expanded.rename(columns={"c1": "a", "c2": "b"}),
                          expanded.rename(columns={"c2": "a", "c1": "b"})])
        table = both.groupby(["a", "b", "year"], as_index=False)[columns].sum()
    # DCAD agreements are mutual, so the table holds both orders of every pair.
    values = _counts(frame, kind, table, columns, DCAD.coverage)
    out = frame.assign(**{k: v.astype("Int64") for k, v in values.items()})
    return add_sources(out, "dcad")


def add_arms_transfers(frame: pd.DataFrame, *, data_dir: Path | str | None = None
                       ) -> pd.DataFrame:
    """Add SIPRI arms transfers (trend-indicator values, millions), 1950-2021.

    Dyad-years get ``arms_tiv_1to2`` (state 1 supplied state 2) and ``arms_tiv_2to1``;
    state-years get ``arms_exports_tiv`` and ``arms_imports_tiv``. 0 inside coverage where SIPRI
    lists no transfer; missing outside."""
    kind = require(frame, "add_arms_transfers", systems=("cow",))
    arms = load_sipri_arms(data_dir).rename(columns={"supplier": "a", "recipient": "b"})
    coverage = SIPRI_ARMS.coverage
    if kind.unit == "state-year":
        exports = pd.DataFrame(arms.groupby(["a", "year"], as_index=False)["tiv"].sum())
        imports = pd.DataFrame(arms.groupby(["b", "year"], as_index=False)["tiv"].sum())
        values = {
            "arms_exports_tiv": _counts(frame, kind, exports, ["tiv"], coverage)["tiv"],
            "arms_imports_tiv": _counts(frame, kind, imports.rename(columns={"b": "a"}),
                                        ["tiv"], coverage)["tiv"],
        }
    else:
        forward = _counts(frame, kind, arms, ["tiv"], coverage)["tiv"]
        swapped = arms.rename(columns={"a": "b", "b": "a"})
        backward = _counts(frame, kind, swapped, ["tiv"], coverage)["tiv"]
        values = {"arms_tiv_1to2": forward, "arms_tiv_2to1": backward}
    return add_sources(frame.assign(**values), "sipri_arms_transfers")


def add_milex(frame: pd.DataFrame, *, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Add SIPRI military expenditure, constant 2022 US dollars (millions): ``milex_sipri``
    (suffixed 1 and 2 on dyad-years). Missing where SIPRI has no figure (1949-2023)."""
    kind = require(frame, "add_milex", systems=("cow",))
    table = load_sipri_milex(data_dir).rename(columns={"milex_usd2022_m": "milex_sipri"})
    columns = join_state_years(frame, kind, table, ["milex_sipri"])
    return add_sources(frame.assign(**columns), "sipri_milex")


def add_us_troops(frame: pd.DataFrame, *, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Add active-duty US troops hosted: ``us_troops`` (suffixed 1 and 2 on dyad-years),
    1950-2024 (troopdata); missing where the source has no figure."""
    kind = require(frame, "add_us_troops", systems=("cow",))
    table = load_us_troops(data_dir)
    table["us_troops"] = table["us_troops"].astype("float64")
    columns = join_state_years(frame, kind, table, ["us_troops"])
    return add_sources(frame.assign(**{k: v.round().astype("Int64")
                                       for k, v in columns.items()}), "us_troops")


def _shared(frame: pd.DataFrame, kind: PanelKind, rows: pd.DataFrame, group: str,
            column: str, coverage: tuple[int, int]) -> dict[str, pd.Series]:
    """How many ``group`` events (exercises, missions) each state (state-years) or both states
    (dyad-years) took part in, per year: ``rows`` has ``group, year, ccode``."""
    rows = rows[rows["ccode"].notna()][[group, "year", "ccode"]].drop_duplicates()
    rows = rows.astype({"ccode": "int64", "year": "int64"})
    if kind.unit == "state-year":
        table = rows.groupby(["ccode", "year"], as_index=False).size().rename(
            columns={"ccode": "a", "size": column})
    else:
        together = rows.merge(rows, on=[group, "year"], suffixes=("1", "2"))
        together = together[together["ccode1"] != together["ccode2"]]
        table = together.groupby(["ccode1", "ccode2", "year"], as_index=False).size().rename(
            columns={"ccode1": "a", "ccode2": "b", "size": column})
    return _counts(frame, kind, table, [column], coverage)


def add_exercises(frame: pd.DataFrame, *, dataset: str = "mme",
                  data_dir: Path | str | None = None) -> pd.DataFrame:
    """Add military exercises: ``exercises`` = how many the state took part in that year
    (state-years) or both states took part in (dyad-years), by the exercise's start year.

    ``dataset="mme"`` (default): D'Orazio and Galambos's Multinational Military Exercises v7,
    1980-2010; ``"jme"``: D'Orazio's Joint Military Exercises v3, 1974-2010 (exercises with no
    year are left out). Missing outside the dataset's years."""
    kind = require(frame, "add_exercises", systems=("cow",))
    if dataset not in ("mme", "jme"):
        raise UsageError(f"dataset={dataset!r}: give 'mme' or 'jme'")
    source, rows = (MME, load_mme(data_dir)) if dataset == "mme" else (JME, load_jme(data_dir))
    rows = rows[rows["year"].notna()]
    values = _shared(frame, kind, rows, "exercise_id", "exercises", source.coverage)
    return add_sources(frame.assign(**{k: v.astype("Int64") for k, v in values.items()}),
                       dataset)


def add_peacekeeping(frame: pd.DataFrame, *, data_dir: Path | str | None = None
                     ) -> pd.DataFrame:
    """Add UN peacekeeping contributions (Geo-PKO v2.3). State-years: ``pko_missions`` (missions
    contributed to) and ``pko_troops`` (troops, summed over the missions whose size is given;
    0 with no mission, missing when the state contributed but no size is given); dyad-years:
    ``pko_shared_missions`` (missions both contributed to). Missing outside Geo-PKO's years."""
    kind = require(frame, "add_peacekeeping", systems=("cow",))
    rows = load_peacekeeping(data_dir)
    coverage = GEO_PKO.coverage
    if kind.unit == "state-year":
        values = _shared(frame, kind, rows, "mission", "pko_missions", coverage)
        known = rows[rows["ccode"].notna() & rows["troops"].notna()]
        troops = pd.DataFrame(known.groupby(["ccode", "year"], as_index=False)["troops"].sum())
        troops = troops.rename(columns={"ccode": "a", "troops": "pko_troops"}).astype(
            {"a": "int64", "year": "int64", "pko_troops": "float64"})
        summed = _counts(frame, kind, troops, ["pko_troops"], coverage)
        has_size = lookup_rows([key_array(frame, kind.keys[0]), key_array(frame, "year")],
                               [troops["a"].to_numpy(np.int64),
                                troops["year"].to_numpy(np.int64)]) >= 0
        # 0 where the state contributed to no mission; missing where it did but no size is given
        none = (values["pko_missions"] == 0).to_numpy()
        values["pko_troops"] = summed["pko_troops"].where(has_size | none)
    else:
        values = _shared(frame, kind, rows, "mission", "pko_shared_missions", coverage)
    return add_sources(frame.assign(**{k: v.round().astype("Int64") for k, v in values.items()}),
                       "geo_pko")
