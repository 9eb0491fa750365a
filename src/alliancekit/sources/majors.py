"""Correlates of War Major Powers, v2016."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from alliancekit.sources._dates import read_cow_spells
from alliancekit.sources.cow_states import COW_STATES
from alliancekit.sources.memo import cached_by_file
from alliancekit.sources.registry import Source, SourceFile, register, source_path

COW_MAJORS = register(Source(
    name="cow_majors",
    title="Correlates of War Major Powers",
    version="2016",
    unit="major-power spell",
    coverage=(1816, 2016),
    distributor="Correlates of War Project",
    homepage="https://correlatesofwar.org/data-sets/state-system-membership/",
    citation=COW_STATES.citation,
    files=(
        SourceFile(
            "cow_majors/majors2016.csv",
            "6ba42de12f2f63401ff5a61e6d0037d17b5dd03ed9aca07d0bc16660e03694eb",
            "https://correlatesofwar.org/wp-content/uploads/majors2016.csv",
        ),
    ),
    notes="Distributed with the State System Membership list and cited as it.",
    system="cow",
))


def load_majors(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Major-power spells: ``ccode, stateabb, start, end``."""
    return _load(source_path("cow_majors", "majors2016.csv", data_dir)).copy(deep=False)


@cached_by_file
def _load(path: Path) -> pd.DataFrame:
    return read_cow_spells(path)
