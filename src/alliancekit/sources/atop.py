"""Alliance Treaty Obligations and Provisions (ATOP), version 5.1.

Two registry entries: ``atop`` (the member-, alliance- and phase-level files and Leeds and Anac's
institutionalization file) and ``atop_ddyr`` (ATOP's directed dyad-year obligations). Who pledges
what to whom comes from ``atop_ddyr``: in asymmetric multilateral alliances the member file does
not say to whom a member's pledge is owed. The member file gives dates to the day, phases,
conditions and institutions.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from alliancekit.sources._table import Column, read_table
from alliancekit.sources.memo import cached_by_file
from alliancekit.sources.registry import Source, SourceFile, register, source_path

OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")

ATOP_CITATION = """@article{leeds_etal_2002,
  author = {Leeds, Brett Ashley and Ritter, Jeffrey M. and Mitchell, Sara McLaughlin and
            Long, Andrew G.},
  title = {Alliance Treaty Obligations and Provisions, 1815--1944},
  journal = {International Interactions},
  year = {2002},
  volume = {28},
  number = {3},
  pages = {237--260},
  doi = {10.1080/03050620213653}
}"""

_INSTITUTIONS_CITATION = """@article{leeds_anac_2005,
  author = {Leeds, Brett Ashley and Anac, Sezi},
  title = {Alliance Institutionalization and Alliance Performance},
  journal = {International Interactions},
  year = {2005},
  volume = {31},
  number = {3},
  pages = {183--202},
  doi = {10.1080/03050620500294135}
}"""

_HOMEPAGE = "http://www.atopdata.org/data.html"
_ZIP = "http://www.atopdata.org/uploads/6/9/1/3/69134503/atop_5.1__.csv_.zip"

ATOP = register(Source(
    name="atop",
    title="Alliance Treaty Obligations and Provisions (member, alliance, phase files)",
    version="5.1",
    unit="member-phase (m), alliance (a), phase (aph, inst)",
    coverage=(1815, 2018),
    distributor="ATOP project (Brett Ashley Leeds, Rice University)",
    homepage=_HOMEPAGE,
    citation=ATOP_CITATION + "\n" + _INSTITUTIONS_CITATION,
    files=(
        SourceFile(
            "atop/atop5_1m.csv",
            "0e3c803f65275c3cb9309d08c04710416dff16aee936c8b4f887c7b67ee5b55b",
            _ZIP,
            "atop5_1m.csv",
        ),
        SourceFile(
            "atop/atop5_1a.csv",
            "eafd146fa5c5bc2737ae829288c87d01c990a55fbc82dcc2dc08b94c0d7b5b7d",
            _ZIP,
            "atop5_1a.csv",
        ),
        SourceFile(
            "atop/atop5_1aph.csv",
            "828ed77daf341ea377f75e042c2e51e4e6ccb0515e058db6355a89f8aebb0fcf",
        ),
        SourceFile(
            "atop/atopinst5_1.csv",
            "31b60ed11434d96c5a228a728beb8ca55cc54e224882b994e13c11b302ca9990",
        ),
    ),
    notes="Exit year 0 = still in effect on 31 Dec 2018. Blank day = day unknown.",
    system="cow",
))

ATOP_DDYR = register(Source(
    name="atop_ddyr",
    title="ATOP directed dyad-year obligations",
    version="5.1",
    unit="directed dyad-year with an alliance",
    coverage=(1815, 2018),
    distributor="ATOP project (Brett Ashley Leeds, Rice University)",
    homepage=_HOMEPAGE,
    citation=ATOP_CITATION,
    files=(
        SourceFile(
            "atop_ddyr/atop5_1_ddyr_obligations.csv.gz",
            "36b9659c7cc1440f2acec4e45733fbbd5b4d999332ef18c90c27e0625b9e789c",
        ),
    ),
    notes="Obligation columns of ATOP's atop5_1ddyr as carried by peacesciencer; ccode1 pledges "
    "to ccode2. A dyad-year absent from the file shares no ATOP alliance.",
    system="cow",
))


def load_atop_ddyr(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Directed dyad-years: ``ccode1, ccode2, year`` and ``atop_defense`` ... ``atop_consul``."""
    path = source_path("atop_ddyr", "atop5_1_ddyr_obligations.csv.gz", data_dir)
    return _load_ddyr(path).copy(deep=False)


@cached_by_file
def _load_ddyr(path: Path) -> pd.DataFrame:
    columns = [
        Column("ccode1", "int", low=1, high=999),
        Column("ccode2", "int", low=1, high=999),
        Column("year", "int", low=1815, high=2018),
    ]
    columns += [Column(f"atop_{o}", "int", low=0, high=1) for o in OBLIGATIONS]
    return read_table(path, columns)


_MEMBER_COLUMNS = [
    Column("atopid", "int", low=1000, high=9999),
    Column("member", "int", low=1, high=9999),
    Column("cowsys", "int", low=0, high=1),
    Column("yrent", "int", low=1815, high=2018),
    Column("moent", "int", low=1, high=12),
    Column("dayent", "int", nullable=True, low=1, high=31),
    Column("yrexit", "int", low=0, high=2018),
    Column("moexit", "int", low=0, high=12),
    Column("dayexit", "int", nullable=True, low=0, high=31),
    Column("phase", "int", low=0, high=99),
    Column("bilat", "int", low=0, high=1),
    Column("asymm", "int", low=0, high=1),
    Column("obvary", "int", low=0, high=1),
    *(Column(o, "int", low=0, high=1) for o in OBLIGATIONS),
]


def load_atop_members(data_dir: Path | str | None = None, *, conditions: bool = False
                      ) -> pd.DataFrame:
    """ATOP member-level rows (one per member, alliance and phase), core columns.

    ``dayent``/``dayexit`` are NaN when the day is unknown; ``yrexit == 0`` means the membership
    was still in effect at the end of 2018. With ``conditions`` also the condition flags of each
    obligation (``defcoadv``, ``defcoloc``, ...) and the threatening states ``specthrt``,
    ``statthr1``, ``statthr2`` (COW codes, 0 for none).
    """
    path = source_path("atop", "atop5_1m.csv", data_dir)
    if conditions:
        return _load_member_conditions(path).copy(deep=False)
    return _load_members(path).copy(deep=False)


CONDITION_FLAGS = (
    "conditio", "defcon", "offcon", "neucon", "concon",
    "defcoadv", "defcoloc", "defcocon", "defconum", "defcodem", "defconpr",
    "offcoadv", "offcoloc", "offcocon", "offconum", "offcodem",
    "neucoadv", "neucoloc", "neucocon", "neuconum", "neucodem", "neuconpr",
    "concoadv", "concoloc", "concocon",
)


@cached_by_file
def _load_member_conditions(path: Path) -> pd.DataFrame:
    columns = [*_MEMBER_COLUMNS,
               *(Column(c, "int", low=0, high=1) for c in CONDITION_FLAGS),
               Column("specthrt", "int", nullable=True, low=0, high=9),
               Column("statthr1", "int", nullable=True, low=0, high=9999),
               Column("statthr2", "int", nullable=True, low=0, high=9999)]
    return read_table(path, columns)


@cached_by_file
def _load_members(path: Path) -> pd.DataFrame:
    return read_table(path, _MEMBER_COLUMNS)




def load_atop_formation(data_dir: Path | str | None = None) -> pd.DataFrame:
    """How each ATOP alliance was formed: ``atopid``, ``bilat`` (1: two members),
    ``wartime`` (1: formed during a war in which a member fought) and ``cowwar`` (that war's
    COW number; 0 when ATOP does not give it), one row per alliance."""
    path = source_path("atop", "atop5_1m.csv", data_dir)
    return _load_formation(path).copy(deep=False)


@cached_by_file
def _load_formation(path: Path) -> pd.DataFrame:
    columns = [Column("atopid", "int", low=1000, high=9999), Column("bilat", "int", low=0, high=1),
               Column("wartime", "int", low=0, high=1), Column("cowwar", "int", low=0, high=999)]
    rows = read_table(path, columns)
    return rows.groupby("atopid", as_index=False, sort=True).max()


PROVISIONS = ("pubsecr", "milcon", "milaid", "intcom", "subord", "organ1", "base", "contrib",
              "armred", "conwtin", "specthrt", "nomicoop", "ecaid", "interv")


def load_atop_provisions(data_dir: Path | str | None = None) -> pd.DataFrame:
    """ATOP's alliance-level provision codes (:data:`PROVISIONS`: secrecy, military contact and
    aid, integrated command, subordination, organisations, bases, contributions, arms
    reduction, conflict within, specific threat, non-military cooperation, economic aid,
    intervention), one row per alliance; the codebook gives each value's meaning."""
    path = source_path("atop", "atop5_1a.csv", data_dir)
    return _load_provisions(path).copy(deep=False)


@cached_by_file
def _load_provisions(path: Path) -> pd.DataFrame:
    columns = [Column("atopid", "int", low=1000, high=9999),
               *(Column(c, "int", nullable=True, low=0, high=99) for c in PROVISIONS)]
    return read_table(path, columns)


def load_atop_alliances(data_dir: Path | str | None = None) -> pd.DataFrame:
    """ATOP alliance-level rows: ``atopid``, begin and end dates, obligations."""
    path = source_path("atop", "atop5_1a.csv", data_dir)
    columns = [
        Column("atopid", "int", low=1000, high=9999),
        Column("begyr", "int", low=1815, high=2018),
        Column("begmo", "int", nullable=True, low=1, high=12),
        Column("begday", "int", nullable=True, low=1, high=31),
        Column("endyr", "int", low=0, high=2018),
        Column("endmo", "int", nullable=True, low=0, high=12),
        Column("endday", "int", nullable=True, low=0, high=31),
    ]
    columns += [Column(o, "int", low=0, high=1) for o in OBLIGATIONS]
    return read_table(path, columns)
