"""Correlates of War Direct Contiguity, v3.2 (directed master records)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from alliancekit.sources._dates import check_spells
from alliancekit.sources._table import Column, cached_by_file, read_table
from alliancekit.sources.registry import Source, SourceFile, source_path

COW_CONTIGUITY = Source(
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
)


def load_contiguity(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Directed contiguity spells: ``ccode1, ccode2, conttype, stdate, enddate``."""
    path = source_path("cow_contiguity", "cow_contdir_v3_2_peacesciencer.csv", data_dir)
    return _load(path).copy()


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
