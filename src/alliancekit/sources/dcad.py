"""Kinne's Defense Cooperation Agreement Dataset (DCAD) 1.0, main (agreement-level) file.

One row per bilateral defence cooperation agreement signed 1980-2010. Years in force: from the
year of signature to the year before ``endYearEstimate``, which the file gives as the first year
the agreement is no longer in force: for every agreement with a known ``durationActual`` it
equals ``signYear + durationActual`` (capped at 2010), so an agreement signed in 1995 and in
force for five years is in force in 1995-1999. ``endYearEstimate`` 2010 is also the end of
coverage: such agreements count through 2010 unless ``durationActual`` says they ended in 2010.
The codebook (not distributed with our copy) was not available to confirm the rule; this is
derived from the file and documented in ``docs/sources.md``. Special codes (-44 ... -99) in
``span``, ``renewType``, ``renewYears`` and ``terminated`` are kept as they are.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.sources._table import Column, read_table
from alliancekit.sources.memo import cached_by_file
from alliancekit.sources.registry import Source, SourceFile, register, source_path

DCAD = register(Source(
    name="dcad",
    title="Defense Cooperation Agreement Dataset (main file)",
    version="1.0",
    unit="agreement (bilateral)",
    coverage=(1980, 2010),
    distributor="Brandon J. Kinne, via the Correlates of War Project",
    homepage="https://correlatesofwar.org/data-sets/defense-cooperation-agreement-dataset/",
    citation="""@article{kinne_2020,
  author = {Kinne, Brandon J.},
  title = {The Defense Cooperation Agreement Dataset ({DCAD})},
  journal = {Journal of Conflict Resolution},
  year = {2020},
  volume = {64},
  number = {4},
  pages = {729--755},
  doi = {10.1177/0022002719857796}
}""",
    files=(
        SourceFile(
            "dcad/DCAD-v1.0-main.csv",
            "f7d56e1703ae7cd7395b636210fa5d33a5fc3feafe5686734c212ffd5af7405a",
        ),
    ),
    notes="Agreements signed 1980-2010; outside those years DCAs are unknown, not absent.",
))


def load_dcad(data_dir: Path | str | None = None) -> pd.DataFrame:
    """DCAD agreements: ``dca_id, ccode1, ccode2, sign_year, eif_year, type (general|sector),
    category1, category2, category3, first_year, last_year`` (years in force, inclusive)."""
    return _load(source_path("dcad", "DCAD-v1.0-main.csv", data_dir)).copy(deep=False)


@cached_by_file
def _load(path: Path) -> pd.DataFrame:
    low, high = DCAD.coverage
    table = read_table(path, [
        Column("DCAid", "str"),
        Column("ccode1", "int", low=1, high=999),
        Column("ccode2", "int", low=1, high=999),
        Column("signYear", "int", low=low, high=high),
        Column("EIFYear", "int", nullable=True, low=low, high=high + 5),
        Column("type", "str"),
        Column("category1", "str", nullable=True),
        Column("category2", "str", nullable=True),
        Column("category3", "str", nullable=True),
        Column("durationActual", "int", nullable=True, low=0, high=100),
        Column("endYearEstimate", "int", low=low, high=high),
    ])
    end = table["endYearEstimate"].to_numpy(np.int64)
    sign = table["signYear"].to_numpy(np.int64)
    duration = table["durationActual"].to_numpy(np.float64)
    ended_in_2010 = (end == high) & (sign + duration == high)
    last = np.where((end < high) | ended_in_2010, end - 1, high)
    last = np.maximum(last, sign)  # an agreement ending in its signature year counts that year
    return pd.DataFrame({
        "dca_id": table["DCAid"], "ccode1": table["ccode1"].astype("int64"),
        "ccode2": table["ccode2"].astype("int64"), "sign_year": sign,
        "eif_year": table["EIFYear"].astype("Int64"), "type": table["type"],
        "category1": table["category1"], "category2": table["category2"],
        "category3": table["category3"], "first_year": sign, "last_year": last,
    })


def dca_years(data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per agreement and year in force: ``dca_id, ccode1, ccode2, year, type``."""
    dcad = load_dcad(data_dir)
    spans = (dcad["last_year"] - dcad["first_year"] + 1).to_numpy()
    years = np.concatenate([np.arange(first, last + 1) for first, last in
                            zip(dcad["first_year"], dcad["last_year"], strict=True)])
    return pd.DataFrame({column: np.repeat(dcad[column].to_numpy(), spans)
                         for column in ("dca_id", "ccode1", "ccode2", "type")}).assign(
        year=years)[["dca_id", "ccode1", "ccode2", "year", "type"]]
