"""SIPRI Military Expenditure Database (2024 release, data 1949-2023).

SIPRI names countries in English, with no COW codes. ``load_sipri_milex`` maps each name with
the dated crosswalk (:mod:`alliancekit.sources.crosswalk`; ``Germany`` before 1991 is the German
Federal Republic, COW 260). Rows whose name maps to no state (the European Union) are left out
and listed in the frame's ``attrs["crosswalk"]`` report (records of name, kind, rows, years).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from alliancekit.errors import SourceFormatError
from alliancekit.sources._table import Column, cached_by_file, read_table
from alliancekit.sources.registry import Source, SourceFile, source_path

SIPRI_MILEX = Source(
    name="sipri_milex",
    title="SIPRI Military Expenditure Database",
    version="2024 release (1949-2023)",
    unit="country-year",
    coverage=(1949, 2023),
    distributor="Stockholm International Peace Research Institute (SIPRI)",
    homepage="https://www.sipri.org/databases/milex",
    citation="""@misc{sipri_milex_2024,
  author = {{Stockholm International Peace Research Institute}},
  title = {SIPRI Military Expenditure Database},
  year = {2024},
  howpublished = {\\url{https://www.sipri.org/databases/milex}}
}""",
    files=(
        SourceFile(
            "sipri_milex/sipri_milex_1949_2023_long.csv.gz",
            "a7d8764daa1b5d1c18e0264d803df19d0220cbb9e541361f4720eda15126d6e1",
        ),
    ),
    notes="The SIPRI spreadsheet's seven country sheets as one long table (country, measure, "
          "year, value); alliancekit uses constant 2022 US dollars (millions).",
)

def load_sipri_milex(data_dir: Path | str | None = None) -> pd.DataFrame:
    """``ccode, year, milex_usd2022_m`` (constant 2022 US dollars, millions), non-missing."""
    path = source_path("sipri_milex", "sipri_milex_1949_2023_long.csv.gz", data_dir)
    return _load(path).copy()


@cached_by_file
def _load(path: Path) -> pd.DataFrame:
    from alliancekit.sources.crosswalk import crosswalk

    table = read_table(path, [Column("country", "str"), Column("measure", "str"),
                              Column("year", "int", low=1949, high=2100),
                              Column("value", "float", nullable=True)])
    table = table[(table["measure"] == "constant_2022_usd_m") & table["value"].notna()]
    mapped = crosswalk(table["country"], table["year"], source="sipri_milex")
    if len(mapped.unresolved):
        names = ", ".join(mapped.unresolved["name"])
        raise SourceFormatError(path, f"countries with no COW code: {names}", column="country")
    keep = mapped.codes.notna().to_numpy()
    out = pd.DataFrame({"ccode": mapped.codes[keep].astype("int64").to_numpy(),
                        "year": table["year"][keep].astype("int64").to_numpy(),
                        "milex_usd2022_m": table["value"][keep].astype("float64").to_numpy()})
    twice = out.duplicated(["ccode", "year"], keep=False)
    if twice.any():
        first = out[twice].iloc[0]
        raise SourceFormatError(path, f"two SIPRI countries map to COW {int(first['ccode'])} "
                                      f"in {int(first['year'])}", column="country")
    out = out.sort_values(["ccode", "year"], ignore_index=True)
    out.attrs["crosswalk"] = mapped.report.to_dict("records")
    return out
