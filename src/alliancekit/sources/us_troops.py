"""US overseas troop deployments (troopdata rebuild, 1950-2024) and US bases.

Allen, Flynn and Martinez Machain's country-year counts of active-duty US troops by host.
Hosts that are not states carry made-up codes of 1000 and above in the file (Guam 1008, Aden
1029); they are left out of state panels and listed in ``attrs["not_states"]``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from alliancekit.sources._table import Column, read_table
from alliancekit.sources.memo import cached_by_file
from alliancekit.sources.registry import Source, SourceFile, register, source_path

US_TROOPS = register(Source(
    name="us_troops",
    title="Global US military deployments (troopdata) and US bases",
    version="troopdata rebuild (1950-2024)",
    unit="host country-year (troops); base (sites)",
    coverage=(1950, 2024),
    distributor="Michael A. Allen, Michael E. Flynn and Carla Martinez Machain (troopdata)",
    homepage="https://github.com/meflynn/troopdata",
    citation="""@article{allen_flynn_martinezmachain_2022,
  author = {Allen, Michael A. and Flynn, Michael E. and Martinez Machain, Carla},
  title = {Global {U.S.} Military Deployment Data: 1950--2020},
  journal = {Conflict Management and Peace Science},
  year = {2022},
  volume = {39},
  number = {3},
  pages = {351--370},
  doi = {10.1177/07388942211030885}
}""",
    files=(
        SourceFile("us_troops/troopdata_rebuild_country_year.csv",
                   "875aa5c712506950786d791feb2a01b030c61e9afbc6df37baee5f453ce5fe5e"),
        SourceFile("us_troops/basedata.csv",
                   "8cc2dd3cd35a619c9aa7f202c291d7a51b7b397e0eda1fa158b3853488b9299e"),
    ),
    notes="Active-duty troops by host; bases from Vine (2015) via troopdata (no dates).",
))


def load_us_troops(data_dir: Path | str | None = None) -> pd.DataFrame:
    """``ccode, year, us_troops`` (active duty) for hosts that are states."""
    path = source_path("us_troops", "troopdata_rebuild_country_year.csv", data_dir)
    return _load_troops(path).copy(deep=False)


@cached_by_file
def _load_troops(path: Path) -> pd.DataFrame:
    table = read_table(path, [Column("countryname", "str"),
                              Column("ccode", "int", low=1, high=99999),
                              Column("year", "int", low=1950, high=2100),
                              Column("troops_ad", "int", nullable=True, low=0)])
    states = table["ccode"] < 1000
    rows = pd.DataFrame({"ccode": table.loc[states, "ccode"].astype("int64"),
                         "year": table.loc[states, "year"].astype("int64"),
                         "us_troops": table.loc[states, "troops_ad"].astype("Int64")})
    out = pd.DataFrame(rows.groupby(["ccode", "year"], as_index=False)["us_troops"]
                       .sum(min_count=1))
    out.attrs["not_states"] = sorted(set(table.loc[~states, "countryname"]))
    return out


def load_us_bases(data_dir: Path | str | None = None) -> pd.DataFrame:
    """``ccode, bases, sites`` per host state: counts of rows coded as a base (``base``) and of
    all US sites (bases, lily pads, funded sites). Undated."""
    path = source_path("us_troops", "basedata.csv", data_dir)
    table = read_table(path, [Column("ccode", "int", low=1, high=99999),
                              Column("base", "int", nullable=True, low=0, high=1)])
    table = table[table["ccode"] < 1000]
    grouped = table.groupby("ccode")
    return pd.DataFrame({"bases": grouped["base"].sum(), "sites": grouped.size()}).reset_index()
