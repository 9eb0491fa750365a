"""Geo-PKO v2.3 dashboard aggregates: who contributed troops to which UN mission, and where.

The Geo-PKO team's own aggregates for their dashboard (not the full map-level dataset) give one
row per mission, year and deployment location. ``TCCMap`` names the troop-contributing
countries in free text (``year.overview``: ``"Pakistan (650), Korea (ROK) (150), Nepal (size
unknown)"``); :func:`load_peacekeeping` parses it into one row per mission, year and
contributing state::

    mission, year, contributor, ccode, troops, locations

The sizes are the dashboard's, mostly binned (35, 150, 300, 650, ...), and a state's size in a
mission-year is the largest it has at any location, as the dashboard computes it. They are not
the UN's monthly contribution statistics. :func:`load_deployments` gives ``FrontMap``'s rows
(mission, year, host, location: troops and units there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from alliancekit.errors import SourceFormatError
from alliancekit.sources._table import Column, read_table
from alliancekit.sources.crosswalk import crosswalk
from alliancekit.sources.memo import cached_by_file
from alliancekit.sources.registry import Source, SourceFile, register, source_path

GEO_PKO = register(Source(
    name="geo_pko",
    title="Geocoded Peacekeeping Operations (Geo-PKO), dashboard aggregates",
    version="2.3 (Geo-PKO Shiny dashboard data)",
    unit="mission-year-location",
    coverage=(1994, 2024),
    distributor="Department of Peace and Conflict Research, Uppsala University (Geo-PKO team)",
    homepage="https://www.pcr.uu.se/data/geo-pko/",
    citation="""@article{cil_fjelde_hultman_nilsson_2020,
  author = {Cil, Deniz and Fjelde, Hanne and Hultman, Lisa and Nilsson, Desir{\\'e}e},
  title = {Mapping Blue Helmets: Introducing the Geocoded Peacekeeping Operations
           ({Geo-PKO}) Dataset},
  journal = {Journal of Peace Research},
  year = {2020},
  volume = {57},
  number = {2},
  pages = {360--370},
  doi = {10.1177/0022343319871978}
}""",
    files=(
        SourceFile("geo_pko/TCCMap_v2_3.csv",
                   "acda82786bebb3c49aef46917401869a6fa35a94968f3b3f0367232a57c68837"),
        SourceFile("geo_pko/FrontMap_v2_3.csv",
                   "497b78430a64213c1c677fcd582583ebdfa1dc01f826909b7eea441e8d5874e3"),
        SourceFile("geo_pko/TTMap_v2_3.csv",
                   "5ecba80dfbecefbb8379c44ca666fee65d8dfe6979b91ba501f7e22e8ee678d8"),
    ),
    notes="The dashboard's data files (geopko/Geo-PKO-Shiny-Dashboard, data/*_v.2.3.csv at "
          "b6ba64e9) renamed to *_v2_3.csv. Troop-contributing countries are free-text names "
          "with binned sizes; a mission-year appears once per deployment map, so locations "
          "repeat within a year.",
))

PEACEKEEPING_COLUMNS = ("mission", "year", "contributor", "ccode", "troops", "locations")

# FrontMap's count columns and the names load_deployments gives them.
_FRONT_COUNTS = {"Infantry": "infantry", "NoTroops": "troops", "Reserve": "reserve",
                 "hq": "hq", "UNPOL": "unpol", "Med": "medical", "Av": "aviation",
                 "UNMO": "unmo", "ave.no.troops": "troops_average"}

_SIZE_UNKNOWN = "size unknown"
# A size: 1200, or with thousands separators 1,200; never a sign or a range.
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+")


@dataclass(frozen=True)
class Contribution:
    """One entry of a ``year.overview`` list: a contributor as written and its size, if given."""

    name: str
    troops: int | None


def parse_overview(text: str) -> list[Contribution]:
    """The contributors listed in one ``year.overview`` cell, in order.

    Entries are separated by commas outside parentheses. An entry is a name followed by its size
    in parentheses: a whole number (thousands may be separated by commas, and words around it
    are ignored: ``(1,200)``, ``(about 300)``), or ``(size unknown)``; without one the size is
    missing. Any other parenthesis belongs to the name (``Korea (ROK) (150)`` is
    ``Korea (ROK)`` with 150; ``Korea (ROK)`` alone has no size).
    Spaces are trimmed and runs of spaces made single; empty entries (``"A (1),, B (2)"``) are
    skipped. Unbalanced parentheses, or a size with a sign or with more than one number, raise
    :class:`ValueError` naming the entry.

    >>> parse_overview("Pakistan (1,200),  Korea (ROK) (150), Nepal (size unknown)")
    ... # doctest: +NORMALIZE_WHITESPACE
    [Contribution(name='Pakistan', troops=1200), Contribution(name='Korea (ROK)', troops=150),
     Contribution(name='Nepal', troops=None)]
    """
    found = []
    for entry in _split_top_level(text):
        entry = " ".join(entry.split())
        if entry:
            found.append(_contribution(entry))
    return found


def _split_top_level(text: str) -> list[str]:
    """``text`` split at the commas outside parentheses."""
    parts, depth, start = [], 0, 0
    for at, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise ValueError(f"a ')' with no '(' at character {at + 1} of {text!r}")
        elif char == "," and depth == 0:
            parts.append(text[start:at])
            start = at + 1
    if depth:
        raise ValueError(f"a '(' that is never closed in {text!r}")
    parts.append(text[start:])
    return parts


def _contribution(entry: str) -> Contribution:
    """One trimmed, non-empty entry: the name and the size in its last parentheses."""
    if not entry.endswith(")"):
        return Contribution(entry, None)
    opening = _opening_of_last_group(entry)
    inside = " ".join(entry[opening + 1:-1].split())
    name = entry[:opening].strip()
    if inside.casefold() == _SIZE_UNKNOWN:
        return Contribution(name, None)
    if not any(char.isdigit() for char in inside):
        return Contribution(entry, None)
    numbers = _NUMBER.findall(inside)
    if len(numbers) != 1 or "-" in inside or "+" in inside:
        raise ValueError(f"{entry!r}: the size {inside!r} is not one whole number")
    return Contribution(name, int(numbers[0].replace(",", "")))


def _opening_of_last_group(entry: str) -> int:
    """The index of the ``(`` that the final ``)`` of ``entry`` closes."""
    depth = 0
    for at in range(len(entry) - 1, -1, -1):
        if entry[at] == ")":
            depth += 1
        elif entry[at] == "(":
            depth -= 1
            if depth == 0:
                return at
    raise ValueError(f"unbalanced parentheses in {entry!r}")  # _split_top_level checked


def parse_tccmap(path: Path) -> pd.DataFrame:
    """The mission-year-contributor frame from the ``TCCMap`` file at ``path``.

    See :func:`load_peacekeeping` for the columns and ``attrs``. Each cell's number of entries
    must equal its ``No.TCC``; a cell that does not parse, or disagrees, raises
    :class:`SourceFormatError` naming the line and column.
    """
    table = read_table(path, [Column("mission", "str"),
                              Column("year", "int", low=1945, high=2100),
                              Column("location", "str"),
                              Column("No.TCC", "int", low=0),
                              Column("year.overview", "str")])
    lines, missions, years, names, troops = [], [], [], [], []
    for row, (mission, year, count, text) in enumerate(zip(
            table["mission"], table["year"], table["No.TCC"], table["year.overview"],
            strict=True)):
        line = row + 2
        try:
            entries = parse_overview(str(text))
        except ValueError as exc:
            raise SourceFormatError(path, str(exc), line=line, column="year.overview") from exc
        if len(entries) != count:
            raise SourceFormatError(path, f"{len(entries)} contributors listed but No.TCC is "
                                          f"{count}", line=line, column="year.overview")
        for entry in entries:
            lines.append(line)
            missions.append(" ".join(str(mission).split()))
            years.append(int(year))
            names.append(entry.name)
            troops.append(entry.troops)
    entries_frame = pd.DataFrame({"line": lines, "mission": missions, "year": years,
                                  "contributor": names,
                                  "troops": pd.array(troops, dtype="Int64")})
    return _by_state(entries_frame)


def _by_state(entries: pd.DataFrame) -> pd.DataFrame:
    """One row per mission, year and state from one row per listed entry (with attrs)."""
    mapped = crosswalk(entries["contributor"], entries["year"], source="geo_pko")
    not_states = set(mapped.report.loc[mapped.report["kind"] == "not a state", "name"])
    entries = entries.assign(ccode=mapped.codes)
    entries = entries[~entries["contributor"].isin(not_states)]
    # A state written two ways in one mission-year ("UK", "Britain") is one contributor; a name
    # that maps to no state stands for itself.
    key = entries["ccode"].astype("string").fillna("name:" + entries["contributor"])
    groups = entries.groupby([entries["mission"], entries["year"], key], sort=False)
    out = pd.DataFrame({
        "mission": groups["mission"].first(),
        "year": groups["year"].first().astype("int64"),
        "contributor": groups["contributor"].agg(lambda names: " / ".join(dict.fromkeys(names))),
        "ccode": groups["ccode"].first().astype("Int64"),
        "troops": groups["troops"].max().astype("Int64"),
        "locations": groups["line"].nunique().astype("int64"),
    }).reset_index(drop=True)
    out = out.sort_values(["mission", "year", "contributor"], ignore_index=True)
    out = out[list(PEACEKEEPING_COLUMNS)]
    out.attrs["crosswalk"] = mapped.report.to_dict("records")
    merged = out[out["contributor"].str.contains(" / ", regex=False)]
    out.attrs["merged_spellings"] = merged[["mission", "year", "contributor", "ccode"]].to_dict(
        "records")
    return out


def parse_frontmap(path: Path) -> pd.DataFrame:
    """The mission-year-host-location rows of the ``FrontMap`` file at ``path``.

    See :func:`load_deployments` for the columns.
    """
    columns = [Column("mission", "str"), Column("year", "int", low=1945, high=2100),
               Column("country", "str"), Column("location", "str"),
               Column("latitude", "float", low=-90, high=90),
               Column("longitude", "float", low=-180, high=180)]
    columns += [Column(name, "int", nullable=True, low=0) for name in _FRONT_COUNTS]
    table = read_table(path, columns, na_values=("NA",))
    out = pd.DataFrame({"mission": table["mission"], "year": table["year"].astype("int64"),
                        "host": table["country"], "location": table["location"],
                        "latitude": table["latitude"].astype("float64"),
                        "longitude": table["longitude"].astype("float64")})
    for name, renamed in _FRONT_COUNTS.items():
        out[renamed] = table[name].astype("Int64")
    return out


_load_tccmap = cached_by_file(parse_tccmap)
_load_frontmap = cached_by_file(parse_frontmap)


def load_peacekeeping(data_dir: Path | str | None = None) -> pd.DataFrame:
    """UN peacekeeping troop contributions, one row per mission, year and contributing state.

    Columns: ``mission`` (acronym, e.g. ``UNMIL``), ``year``, ``contributor`` (the name as
    Geo-PKO writes it; a state written two ways in one mission-year, ``UK / Britain``, is one
    row), ``ccode`` (COW code in that year, ``Int64``; missing for a name the crosswalk cannot
    place), ``troops`` (``Int64``: the largest size given at any of the mission-year's
    locations; missing when every mention is ``(size unknown)`` or has no size) and
    ``locations`` (how many location rows of the mission-year name the contributor).

    Entries that are not states (``Multinational``, ``TCC name unknown``, ``UN``, ``CARICOM``)
    have no row; they and any unresolved name are listed, with the number of entries they
    account for, in ``attrs["crosswalk"]``. ``attrs["merged_spellings"]`` lists the rows that
    joined two spellings. Cite Cil, Fjelde, Hultman and Nilsson (2020).
    """
    return _load_tccmap(source_path("geo_pko", "TCCMap_v2_3.csv", data_dir)).copy(deep=False)


def load_deployments(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Geo-PKO ``FrontMap`` rows: mission, year, host country and location, as given.

    Columns: ``mission, year, host`` (FrontMap's ``country``, as written: ``DRC``,
    ``Ethiopia/Eritrea``, ``Kosovo``), ``location, latitude, longitude`` and the counts, all
    ``Int64`` with ``NA`` missing: ``infantry`` (``Infantry``), ``troops`` (``NoTroops``),
    ``reserve`` (``Reserve``), ``hq``, ``unpol`` (``UNPOL``), ``medical`` (``Med``),
    ``aviation`` (``Av``), ``unmo`` (``UNMO``) and ``troops_average`` (``ave.no.troops``).
    A mission-year has one row per deployment map and location, so a location can appear
    several times in a year with different counts; aggregate with care.
    """
    return _load_frontmap(source_path("geo_pko", "FrontMap_v2_3.csv", data_dir)).copy(deep=False)
