"""Correlates of War State System Membership, v2016."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from alliancekit.sources._dates import read_cow_spells
from alliancekit.sources._table import Column, read_table
from alliancekit.sources.memo import cached_by_file
from alliancekit.sources.registry import Source, SourceFile, register, source_path

COW_STATES = register(Source(
    name="cow_states",
    title="Correlates of War State System Membership",
    version="2016",
    unit="membership spell; state-year",
    coverage=(1816, 2016),
    distributor="Correlates of War Project",
    homepage="https://correlatesofwar.org/data-sets/state-system-membership/",
    citation="""@misc{cow_states_2016,
  author = {{Correlates of War Project}},
  title = {State System Membership List, v2016},
  year = {2017},
  howpublished = {\\url{https://correlatesofwar.org/data-sets/state-system-membership/}}
}""",
    files=(
        SourceFile(
            "cow_states/states2016.csv",
            "76733bacf602007038b72e2ebec24d37a34ba6dc36793eb7c894af82e952f735",
        ),
        SourceFile(
            "cow_states/system2016.csv",
            "280e10b408c0aefb3b452e1d35d59a54d78935c08ac3a6039c47cb982cdc9f17",
            "https://correlatesofwar.org/wp-content/uploads/system2016.csv",
        ),
    ),
    notes="states2016.csv is COW's file less 11 empty trailing columns, so it has no direct "
    "download with this checksum. A state may have several spells (Egypt, Germany). "
    "endyear 2016 means still a member.",
    system="cow",
))

def load_cow_states(data_dir: Path | str | None = None) -> pd.DataFrame:
    """COW membership spells: ``ccode, stateabb, statenme, start, end`` (dates, inclusive)."""
    return _load_spells(source_path("cow_states", "states2016.csv", data_dir)).copy(deep=False)


@cached_by_file
def _load_spells(path: Path) -> pd.DataFrame:
    return read_cow_spells(path, extra=("statenme",))


def load_cow_system(data_dir: Path | str | None = None) -> pd.DataFrame:
    """COW's own state-year list: ``ccode, stateabb, year``."""
    path = source_path("cow_states", "system2016.csv", data_dir)
    return read_table(
        path,
        (
            Column("stateabb", "str"),
            Column("ccode", "int", low=1, high=999),
            Column("year", "int", low=1816, high=2100),
        ),
    )[["ccode", "stateabb", "year"]]
