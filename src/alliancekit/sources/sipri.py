"""SIPRI Military Expenditure Database (2024 release, data 1949-2023).

SIPRI names countries in English, with no COW codes. ``load_sipri_milex`` maps each name to a
COW code with the same resolver the command line uses (code, abbreviation, ISO3, name) plus the
SIPRI spellings below, and ``Germany`` before 1991 to the German Federal Republic (COW 260), as
COW codes Germany's division. Names with no COW state (the European Union) are dropped and
listed in the frame's ``attrs["unmapped"]``.
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

# SIPRI's spellings that the name resolver does not know.
SIPRI_NAMES = {
    "Congo, DR": 490, "Congo, Republic": 484, "Gambia, The": 420, "Korea, North": 731,
    "Korea, South": 732, "Kyrgyz Republic": 703, "Timor Leste": 860, "Viet Nam": 816,
    "Yemen, North": 678,
}
NOT_STATES = ("European Union",)


def load_sipri_milex(data_dir: Path | str | None = None) -> pd.DataFrame:
    """``ccode, year, milex_usd2022_m`` (constant 2022 US dollars, millions), non-missing."""
    path = source_path("sipri_milex", "sipri_milex_1949_2023_long.csv.gz", data_dir)
    return _load(path).copy()


@cached_by_file
def _load(path: Path) -> pd.DataFrame:
    from alliancekit.errors import UsageError
    from alliancekit.obligations.names import resolve_state

    table = read_table(path, [Column("country", "str"), Column("measure", "str"),
                              Column("year", "int", low=1949, high=2100),
                              Column("value", "float", nullable=True)])
    table = table[(table["measure"] == "constant_2022_usd_m") & table["value"].notna()]
    codes: dict[str, int] = {}
    unmapped = []
    for country in sorted(set(table["country"])):
        if country in NOT_STATES:
            unmapped.append(country)
            continue
        try:
            codes[country] = SIPRI_NAMES.get(country) or resolve_state(country)
        except UsageError as exc:
            raise SourceFormatError(path, f"country {country!r} has no COW code: {exc}",
                                    column="country") from None
    table = table[table["country"].isin(list(codes))]
    ccode = table["country"].map(codes)
    ccode = ccode.where(~((table["country"] == "Germany") & (table["year"] <= 1990)), 260)
    out = pd.DataFrame({"ccode": ccode.astype("int64"), "year": table["year"].astype("int64"),
                        "milex_usd2022_m": table["value"].astype("float64")})
    twice = out.duplicated(["ccode", "year"], keep=False)
    if twice.any():
        first = out[twice].iloc[0]
        raise SourceFormatError(path, f"two SIPRI countries map to COW {int(first['ccode'])} "
                                      f"in {int(first['year'])}", column="country")
    out = out.sort_values(["ccode", "year"], ignore_index=True)
    out.attrs["unmapped"] = unmapped
    return out
