"""Gleditsch and Ward's list of independent states (with microstates), through 2020."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from alliancekit.sources._dates import check_spells
from alliancekit.sources._table import Column, read_table
from alliancekit.sources.memo import cached_by_file
from alliancekit.sources.registry import Source, SourceFile, register, source_path

GW_STATES = register(Source(
    name="gw_states",
    title="Gleditsch-Ward list of independent states (with microstates)",
    version="2020",
    unit="state membership spell",
    coverage=(1816, 2020),
    distributor="Kristian Skrede Gleditsch",
    homepage="http://ksgleditsch.com/data-4.html",
    citation="""@article{gleditsch_ward_1999,
  author = {Gleditsch, Kristian S. and Ward, Michael D.},
  title = {A Revised List of Independent States since the Congress of Vienna},
  journal = {International Interactions},
  year = {1999},
  volume = {25},
  number = {4},
  pages = {393--413},
  doi = {10.1080/03050629908434958}
}""",
    files=(
        SourceFile(
            "gw_states/gw_system_2020.csv",
            "f0d01c94b61c4c1466ce82fe83136910c1f5db04b3d2944b185b0e18cb26b2c5",
        ),
    ),
    notes="As tidied by the R package isard (UTF-8 names, ISO dates); end 2020-12-31 = still a "
    "member.",
    system="gw",
))


def load_gw_states(data_dir: Path | str | None = None) -> pd.DataFrame:
    """G-W membership spells: ``gwcode, gw_abb, gw_name, microstate, start, end``."""
    return _load(source_path("gw_states", "gw_system_2020.csv", data_dir)).copy(deep=False)


@cached_by_file
def _load(path: Path) -> pd.DataFrame:
    frame = read_table(
        path,
        (
            Column("gwcode", "int", low=1, high=999),
            Column("gw_abb", "str"),
            Column("gw_name", "str"),
            Column("microstate", "int", low=0, high=1),
            Column("start", "date"),
            Column("end", "date"),
        ),
    )
    check_spells(path, frame["start"], frame["end"], "start")
    return frame
