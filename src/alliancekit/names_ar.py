"""State names in Arabic, for the explorer's Arabic interface (kept apart from
:mod:`alliancekit.names` so the command line does not load the locale data).

A state's Arabic name on a day is, in order:
1. the curated ``state_names_ar.csv`` entry for the English name it had that day (historical
   states and names: the Soviet Union, Prussia, Persia, Bavaria, ...), each with its source;
2. for a state under its present name, the Arabic name of its ISO 3166 territory in the Unicode
   CLDR (through Babel), the maintained source for country names;
3. else the English name.
"""

from __future__ import annotations

import csv
import datetime
from functools import cache

import pycountry
from babel import Locale

from alliancekit.locations import curated_dir
from alliancekit.names import state_name, state_names


@cache
def curated_arabic() -> dict[tuple[int, str], str]:
    """(COW code, English name) -> Arabic name, from ``state_names_ar.csv``."""
    with (curated_dir() / "state_names_ar.csv").open(newline="", encoding="utf-8") as handle:
        return {(int(r["ccode"]), r["name_en"]): r["name_ar"] for r in csv.DictReader(handle)
                if r["name_ar"]}


@cache
def _cldr() -> dict[int, str]:
    """COW code -> CLDR's Arabic territory name, through the ISO3 codes of ``states.csv``."""
    territories = Locale("ar").territories
    out = {}
    for state in state_names():
        country = pycountry.countries.get(alpha_3=state.iso3) if state.iso3 else None
        if country is not None and country.alpha_2 in territories:
            out[state.ccode] = str(territories[country.alpha_2])
    if "XK" in territories:
        out[347] = str(territories["XK"])
    return out


def state_name_ar(ccode: int, on: datetime.date | None = None) -> str:
    """The Arabic name of COW state ``ccode`` on day ``on`` (see the module docstring)."""
    english = state_name(ccode, on)
    found = curated_arabic().get((ccode, english))
    if found:
        return found
    if english == state_name(ccode):
        return _cldr().get(ccode, english)
    return english
