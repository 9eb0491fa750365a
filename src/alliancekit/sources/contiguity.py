"""Correlates of War Direct Contiguity, v3.2 (directed master records)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from alliancekit.sources._dates import check_spells
from alliancekit.sources._table import Column, read_table
from alliancekit.sources.memo import cached_by_file
from alliancekit.sources.registry import Source, SourceFile, register, source_path

COW_CONTIGUITY = register(Source(
    name="cow_contiguity",
    title="Correlates of War Direct Contiguity",
    version="3.2",
    unit="directed dyad contiguity spell",
    coverage=(1816, 2016),
    distributor="Correlates of War Project",
    homepage="https://correlatesofwar.org/data-sets/direct-contiguity/",
    citation="""@article{stinnett_etal_2002,
  author = {Stinnett, Douglas M. and Tir, Jaroslav and Schafer, Philip and Diehl, Paul F. and
            Gochman, Charles},
  title = {The Correlates of War Project Direct Contiguity Data, Version 3},
  journal = {Conflict Management and Peace Science},
  year = {2002},
  volume = {19},
  number = {2},
  pages = {58--66},
  doi = {10.1177/073889420201900203}
}""",
    files=(
        SourceFile(
            "cow_contiguity/cow_contdir_v3_2_peacesciencer.csv",
            "1fbc6601fdb72823da4d0eb260028abc7a1de02c9b444b86175d699554ee2ae9",
        ),
    ),
    notes="conttype 1 land, 2 <=12 mi water, 3 <=24 mi, 4 <=150 mi, 5 <=400 mi; dates are "
    "year-month (the day means nothing). peacesciencer adds explicit conttype 0 spells.",
    system="cow",
))

ContiguityRule = Literal["first", "last", "closest"]


def load_contiguity(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Directed contiguity spells: ``ccode1, ccode2, conttype, stdate, enddate``."""
    path = source_path("cow_contiguity", "cow_contdir_v3_2_peacesciencer.csv", data_dir)
    return _load(path).copy(deep=False)


def contiguity_by_year(rule: ContiguityRule = "first",
                       data_dir: Path | str | None = None) -> pd.DataFrame:
    """:func:`contiguity_years` of the spells, computed once per file and rule."""
    path = source_path("cow_contiguity", "cow_contdir_v3_2_peacesciencer.csv", data_dir)
    return _by_year(path, rule).copy(deep=False)


@cached_by_file
def _by_year(path: Path, rule: ContiguityRule) -> pd.DataFrame:
    return contiguity_years(_load(path), rule)


def contiguity_years(spells: pd.DataFrame, rule: ContiguityRule) -> pd.DataFrame:
    """One row per directed dyad-year with a contiguity spell: ``ccode1, ccode2, year, conttype``.

    Spells are read by month (the source's dates are year-month). ``"first"`` takes the record
    of the earliest month of the year that has one (January for every dyad peacesciencer fills
    with explicit ``conttype = 0`` spells), ``"last"`` the latest, as peacesciencer's
    ``slice``; ties within a month go to the record that starts earlier (``"first"``) or later
    (``"last"``). ``"closest"`` takes the closest type (lowest positive ``conttype``) recorded
    at any time in the year.
    """
    ordered = spells.sort_values(["ccode1", "ccode2", "stdate"], kind="stable")
    start = ordered["stdate"].to_numpy().astype("datetime64[M]").astype(np.int64)
    end = ordered["enddate"].to_numpy().astype("datetime64[M]").astype(np.int64)
    first, last = start // 12, end // 12
    count = np.maximum(last - first + 1, 0)
    row = np.repeat(np.arange(len(ordered)), count)
    year = first[row] + np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    conttype = ordered["conttype"].to_numpy(np.int64)[row]
    if rule == "first":
        # Months since 1970 of the first month this record covers in the year; earlier wins.
        order_key = np.maximum(start[row], year * 12) * 2**20 + row
    elif rule == "last":
        order_key = -(np.minimum(end[row], year * 12 + 11) * 2**20 + row)
    else:
        # 0 ("not contiguous") ranks after every real type, so the minimum is the closest.
        order_key = np.where(conttype == 0, 9, conttype) * 2**20 + row
    table = pd.DataFrame(
        {
            "ccode1": ordered["ccode1"].to_numpy(np.int64)[row],
            "ccode2": ordered["ccode2"].to_numpy(np.int64)[row],
            "year": year + 1970,
            "key": order_key,
            "conttype": conttype,
        }
    )
    table = table.sort_values(["ccode1", "ccode2", "year", "key"], kind="stable")
    table = table.drop_duplicates(["ccode1", "ccode2", "year"], keep="first")
    return table.drop(columns="key").reset_index(drop=True)


@cached_by_file
def _load(path: Path) -> pd.DataFrame:
    frame = read_table(
        path,
        (
            Column("ccode1", "int", low=1, high=999),
            Column("ccode2", "int", low=1, high=999),
            Column("conttype", "int", low=0, high=5),
            Column("stdate", "date"),
            Column("enddate", "date"),
        ),
    )
    check_spells(path, frame["stdate"], frame["enddate"], "stdate")
    return frame
