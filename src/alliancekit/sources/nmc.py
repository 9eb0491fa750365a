"""Correlates of War National Material Capabilities, v7.0 (and v6.0)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from alliancekit.errors import UsageError
from alliancekit.sources._table import Column, read_table
from alliancekit.sources.memo import cached_by_file
from alliancekit.sources.registry import Source, SourceFile, register, source_path

NMC_VARIABLES = ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc")

_CITATION = """@incollection{singer_bremer_stuckey_1972,
  author = {Singer, J. David and Bremer, Stuart and Stuckey, John},
  title = {Capability Distribution, Uncertainty, and Major Power War, 1820--1965},
  booktitle = {Peace, War, and Numbers},
  editor = {Russett, Bruce},
  publisher = {Sage},
  address = {Beverly Hills},
  year = {1972},
  pages = {19--48}
}
@article{singer_1987,
  author = {Singer, J. David},
  title = {Reconstructing the Correlates of War Dataset on Material Capabilities of States,
           1816--1985},
  journal = {International Interactions},
  year = {1987},
  volume = {14},
  number = {2},
  pages = {115--132},
  doi = {10.1080/03050628808434695}
}"""

_HOMEPAGE = "https://correlatesofwar.org/data-sets/national-material-capabilities/"
_UNITS = (
    "milex in thousands (British pounds 1816-1913, current US dollars from 1914); milper "
    "thousands; irst thousand tons; pec thousand coal-ton equivalents; tpop, upop thousands."
)

COW_NMC = register(Source(
    name="cow_nmc",
    title="Correlates of War National Material Capabilities",
    version="7.0",
    unit="state-year",
    coverage=(1816, 2022),
    distributor="Correlates of War Project",
    homepage=_HOMEPAGE,
    citation=_CITATION,
    files=(
        SourceFile(
            "cow_nmc/nmc_v7_0_peacesciencer.csv",
            "684646296af189a77374b375c5611ed37c41228e6146ff227b58fa7804a9ba07",
        ),
    ),
    notes="As carried by peacesciencer (COW's -9 already blank). " + _UNITS,
    system="cow",
))

COW_NMC6 = register(Source(
    name="cow_nmc6",
    title="Correlates of War National Material Capabilities (abridged)",
    version="6.0",
    unit="state-year",
    coverage=(1816, 2016),
    distributor="Correlates of War Project",
    homepage=_HOMEPAGE,
    citation=_CITATION,
    files=(
        SourceFile(
            "cow_nmc/NMC-60-abridged.csv",
            "cd8465ea476da51d3e91261e216e96cfaf1fbf309dbe6bfc25a99bfb9fa7cfde",
        ),
    ),
    notes="COW's missing code -9 is read as missing. " + _UNITS,
    system="cow",
))

_FILES = {
    "7.0": ("cow_nmc", "nmc_v7_0_peacesciencer.csv"),
    "6.0": ("cow_nmc6", "NMC-60-abridged.csv"),
}
NmcVersion = Literal["7.0", "6.0"]


def nmc_source(version: str) -> str:
    """The registry name of NMC ``version``; an unknown version is a usage error."""
    if version not in _FILES:
        raise UsageError(f"version={version!r}: NMC versions are {', '.join(_FILES)}")
    return _FILES[version][0]


def load_nmc(version: NmcVersion = "7.0", data_dir: Path | str | None = None) -> pd.DataFrame:
    """NMC state-years: ``ccode, year, milex, milper, irst, pec, tpop, upop, cinc``.

    Missing values (COW's ``-9``) are NaN.
    """
    name = nmc_source(version)
    return _load(source_path(name, _FILES[version][1], data_dir)).copy(deep=False)


@cached_by_file
def _load(path: Path) -> pd.DataFrame:
    columns = [Column("ccode", "int", low=1, high=999), Column("year", "int", low=1816, high=2100)]
    columns += [Column(v, "float", nullable=True, low=-9) for v in NMC_VARIABLES]
    frame = read_table(path, columns, na_values=("-9",))
    # The abridged v6.0 file writes -9 as a number in some columns; it never means a value.
    values = frame[list(NMC_VARIABLES)]
    frame[list(NMC_VARIABLES)] = values.mask(values == -9, np.nan)
    return frame
