"""``add_nmc``: COW National Material Capabilities on state-year and dyad-year panels."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from alliancekit.panels.frame import add_sources, require
from alliancekit.panels.states import join_state_years
from alliancekit.sources.nmc import NMC_VARIABLES, NmcVersion, load_nmc, nmc_source


def add_nmc(
    frame: pd.DataFrame, *, version: NmcVersion = "7.0", data_dir: Path | str | None = None
) -> pd.DataFrame:
    """Add ``milex, milper, irst, pec, tpop, upop, cinc`` (suffixed 1 and 2 on dyad-years).

    Values are missing where NMC has no value (its ``-9``) and for years outside the version's
    coverage (v7.0: 1816-2022; v6.0: 1816-2016). Units: see ``alliancekit data list``.

    Returns a new frame with the same rows.
    """
    kind = require(frame, "add_nmc", systems=("cow",))
    name = nmc_source(version)
    table = load_nmc(version, data_dir)
    columns = join_state_years(frame, kind, table, list(NMC_VARIABLES))
    return add_sources(frame.assign(**columns), name)
