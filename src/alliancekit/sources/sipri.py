"""SIPRI Military Expenditure Database (2024 release, data 1949-2023).

SIPRI names countries in English, with no COW codes. ``load_sipri_milex`` maps each name with
the dated crosswalk (:mod:`alliancekit.sources.crosswalk`; ``Germany`` before 1991 is the German
Federal Republic, COW 260). Rows whose name maps to no state (the European Union) are left out
and listed in the frame's ``attrs["crosswalk"]`` report (records of name, kind, rows, years).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.errors import SourceFormatError
from alliancekit.sources._table import Column, read_table
from alliancekit.sources.crosswalk import combine_reports, crosswalk
from alliancekit.sources.memo import cached_by_file
from alliancekit.sources.registry import Source, SourceFile, register, source_path

SIPRI_MILEX = register(Source(
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
))

def load_sipri_milex(data_dir: Path | str | None = None) -> pd.DataFrame:
    """``ccode, year, milex_usd2022_m`` (constant 2022 US dollars, millions), non-missing."""
    path = source_path("sipri_milex", "sipri_milex_1949_2023_long.csv.gz", data_dir)
    return _load(path).copy(deep=False)


@cached_by_file
def _load(path: Path) -> pd.DataFrame:
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


SIPRI_ARMS = register(Source(
    name="sipri_arms_transfers",
    title="SIPRI Arms Transfers Database, trend-indicator values by supplier-recipient-year",
    version="2022 extraction (1950-2021), processed by 360info",
    unit="directed dyad-year (non-zero transfers only)",
    coverage=(1950, 2021),
    distributor="Stockholm International Peace Research Institute (SIPRI); 360info processing",
    homepage="https://www.sipri.org/databases/armstransfers",
    citation="""@misc{sipri_arms_2022,
  author = {{Stockholm International Peace Research Institute}},
  title = {SIPRI Arms Transfers Database},
  year = {2022},
  howpublished = {\\url{https://www.sipri.org/databases/armstransfers}},
  note = {Trend-indicator values; supplier-recipient-year table processed by 360info (CC BY 4.0)}
}""",
    files=(
        SourceFile(
            "sipri_arms_transfers/sipri_tiv_dyad_year_1950_2021_360info.csv",
            "07bb55395106ab6bda65d6379bef8ffbfbc036a8ce8e607f0759baf5496f1958",
        ),
    ),
    notes="TIV is SIPRI's volume index of military capability transferred (millions), not "
          "money. Only non-zero dyad-years are listed, so inside 1950-2021 an absent dyad-year "
          "is a zero transfer.",
))


def load_sipri_arms(data_dir: Path | str | None = None) -> pd.DataFrame:
    """``supplier, recipient, year, tiv`` with COW codes (directed: supplier to recipient).

    Rows the file gives without a COW code are checked with the crosswalk: non-state parties
    (rebel groups, NATO, the UN) are left out and listed in ``attrs["crosswalk"]``; a state that
    lacks a code but resolves by name is kept with that code.
    """
    path = source_path("sipri_arms_transfers", "sipri_tiv_dyad_year_1950_2021_360info.csv",
                       data_dir)
    return _load_arms(path).copy(deep=False)


@cached_by_file
def _load_arms(path: Path) -> pd.DataFrame:
    table = read_table(path, [Column("supplier", "str"), Column("recipient", "str"),
                              Column("year", "int", low=1950, high=2021),
                              Column("value", "float", low=0),
                              Column("supplier_cown", "int", nullable=True, low=1, high=999),
                              Column("recipient_cown", "int", nullable=True, low=1, high=999)])
    codes, reports = {}, []
    for side in ("supplier", "recipient"):
        given = table[f"{side}_cown"].astype("Int64")
        blank = given.isna()
        mapped = crosswalk(table.loc[blank, side], table.loc[blank, "year"],
                           source=f"sipri_arms_transfers ({side}s without a COW code)")
        codes[side] = given.where(~blank, mapped.codes.reindex(table.index))
        reports.append(mapped.report)
    keep = (codes["supplier"].notna() & codes["recipient"].notna()).to_numpy()
    rows = pd.DataFrame({"supplier": codes["supplier"][keep].astype("int64").to_numpy(),
                         "recipient": codes["recipient"][keep].astype("int64").to_numpy(),
                         "year": table["year"][keep].astype("int64").to_numpy(),
                         "tiv": table["value"][keep].to_numpy(np.float64)})
    out = pd.DataFrame(rows.groupby(["supplier", "recipient", "year"], as_index=False)["tiv"]
                       .sum())
    out.attrs["crosswalk"] = combine_reports(reports).to_dict("records")
    return out
