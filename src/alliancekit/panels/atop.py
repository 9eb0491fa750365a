"""``add_atop_alliance``: ATOP's alliance obligations on a dyad-year panel."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from alliancekit.curated.dyadyears import curated_dyad_years, keep_certain
from alliancekit.curated.pledges import carried_dyad_years, check_alliance_sources, check_certainty
from alliancekit.curated.records import load_agreements
from alliancekit.errors import UsageError
from alliancekit.panels._lookup import indicator, lookup_rows
from alliancekit.panels.frame import add_sources, key_array, require
from alliancekit.sources.atop import ATOP_DDYR, OBLIGATIONS, load_atop_ddyr
from alliancekit.sources.registry import MissingSourceWarning, find_source

ATOP_COLUMNS = ("atop_alliance", *(f"atop_{o}" for o in OBLIGATIONS))
CARRIED_COLUMN = "atop_carried"


def add_atop_alliance(
    frame: pd.DataFrame,
    *,
    sources: Sequence[str] = ("atop",),
    unmatched: Literal["missing", "zero"] = "missing",
    records: Path | None = None,
    carry_forward: bool = True,
    certainty: str = "any",
    last_year: int | None = None,
    data_dir: Path | str | None = None,
) -> pd.DataFrame:
    """Add alliance obligations: ``atop_alliance, atop_defense, atop_offense, atop_neutral,
    atop_nonagg, atop_consul``, from ATOP 5.1 and/or the curated records.

    On a directed panel the row (a, b, year) says what ``a`` pledged to ``b`` that year, from
    ATOP's directed dyad-year file: France pledged to defend Belgium in 1832, Belgium did not
    pledge back. ``atop_alliance`` is 1 when the two share at least one alliance that year
    (ATOP's ``atopally``), even where neither owes the other anything. On a non-directed panel
    each value is the maximum over both directions. Inside ATOP's coverage (1815-2018) a
    dyad-year without an alliance is 0; outside it, missing.

    ``sources=("atop", "curated")`` adds the curated records: in 1815-2018 they add the
    agreements ATOP does not code (records without an ``atopid``; where a record links to ATOP,
    ATOP's coding stands and :func:`alliancekit.curated.dyadyears.atop_disagreements` lists
    where the two differ); after 2018 they are the only source. Where no source codes a
    dyad-year the value is missing: the curated records are not a census of every alliance,
    so a dyad-year they do not mention is not known to be 0. ``unmatched="zero"`` asserts that
    they are complete for your dyads and writes 0 there instead. When ATOP's files are not
    found, ``("atop", "curated")`` falls back to the curated records alone with a warning.
    The sources used are recorded on the frame (``alliancekit cite --panel``). ``records`` is a
    directory of curated records laid out as the shipped ones (default: those shipped).

    ``carry_forward`` (default on, with ``sources=("atop", "curated")``): ATOP's pledges in force
    on 31 December 2018 are carried past it until a curated record ends them (see
    :mod:`alliancekit.curated.pledges`), so 2019 does not lose every alliance ATOP codes. When
    the panel has years after 2018 the column ``atop_carried`` says which dyad-years rest on a
    carried pledge (1), which do not (0), and is missing where the alliance values are.
    ``carry_forward=False`` lets only the curated records speak after 2018. ATOP alone is ATOP
    as published and is never carried. ``certainty="certain"`` drops curated obligations
    marked inferred. ``last_year``: when ``frame`` is a part of a larger panel, that panel's
    last year, so that the part gets the columns and sources the whole panel would (default:
    the frame's own last year).

    Returns a new frame with the same rows.
    """
    kind = require(frame, "add_atop_alliance", units=("dyad-year",), systems=("cow",))
    wanted = check_alliance_sources(sources)
    check_certainty(certainty)
    if unmatched not in ("missing", "zero"):
        raise UsageError(f"unmatched={unmatched!r}: give 'missing' or 'zero'")
    use_atop = "atop" in wanted
    if use_atop and "curated" in wanted and find_source("atop_ddyr", data_dir) is None:
        warnings.warn("ATOP's dyad-year file was not found; using the curated records alone "
                      f"({ATOP_DDYR.how_to_get()})", MissingSourceWarning, stacklevel=2)
        use_atop = False
    c1, c2, year = (key_array(frame, k) for k in kind.keys)
    low, high = ATOP_DDYR.coverage
    # (table, rows matched forwards, rows matched backwards, years the table covers or None for
    # "only the dyad-years it lists", whether it has an atop_alliance column)
    lookups: list[tuple[pd.DataFrame, list[np.ndarray], np.ndarray | None, bool]] = []
    used: list[str] = []

    def look(table: pd.DataFrame, covered: np.ndarray | None, has_alliance: bool) -> None:
        keys = [table["ccode1"].to_numpy(), table["ccode2"].to_numpy(), table["year"].to_numpy()]
        rows = [lookup_rows([c1, c2, year], keys)]
        if not kind.directed:
            rows.append(lookup_rows([c2, c1, year], keys))
        lookups.append((table, rows, covered, has_alliance))

    if use_atop:
        look(load_atop_ddyr(data_dir), (year >= low) & (year <= high), False)
        used.append("atop_ddyr")
    if "curated" in wanted:
        everywhere = None if unmatched == "missing" else np.ones(len(year), dtype=bool)
        look(curated_alliance_table(records, exclude_atop_years=use_atop, certainty=certainty),
             everywhere, True)
        used.append("curated")
    if last_year is None:
        last_year = int(year.max()) if len(year) else high
    carry = carry_forward and use_atop and "curated" in wanted and last_year > high
    if carry:
        carried = carried_dyad_years(data_dir, records, certainty=certainty, until=last_year)
        look(carried, None, True)
        if len(carried):
            used.append("atop_carried")
    columns: dict[str, pd.Series] = {}
    for name in ATOP_COLUMNS:
        parts = []
        for table, matches, covered, has_alliance in lookups:
            values = (None if name == "atop_alliance" and not has_alliance
                      else table[name].to_numpy(np.int8))
            parts += [indicator(values, rows, rows >= 0 if covered is None else covered)
                      for rows in matches]
        columns[name] = parts[0] if len(parts) == 1 else _max_known(parts)
    if carry:
        table, matches, _, _ = lookups[-1]
        hits = [pd.Series(pd.arrays.IntegerArray((rows >= 0).astype(np.int8),
                                                 np.zeros(len(rows), dtype=bool)))
                for rows in matches]
        on_carried = hits[0] if len(hits) == 1 else _max_known(hits)
        known = ~columns["atop_alliance"].isna().to_numpy()
        columns[CARRIED_COLUMN] = pd.Series(pd.arrays.IntegerArray(
            on_carried.to_numpy(np.int8), ~known))
    out = frame.assign(**{name: column.set_axis(frame.index) for name, column in columns.items()})
    return add_sources(out, *used)


def curated_alliance_table(records: Path | None, *, exclude_atop_years: bool,
                           certainty: str = "any") -> pd.DataFrame:
    """The curated dyad-years to use: all of them, or (next to ATOP) those of records ATOP does
    not code plus every record after ATOP's last year."""
    agreements = load_agreements(records)
    if certainty == "certain":
        agreements = keep_certain(agreements)
    table = curated_dyad_years(agreements)
    if not exclude_atop_years:
        return table
    unlinked = curated_dyad_years([a for a in agreements if a.atopid is None])
    high = ATOP_DDYR.coverage[1]
    return pd.concat([unlinked[unlinked["year"] <= high], table[table["year"] > high]],
                     ignore_index=True)


def _max_known(parts: list[pd.Series]) -> pd.Series:
    """The element-wise maximum of nullable 0/1 columns, ignoring missing values; missing where
    all are."""
    data = np.zeros(len(parts[0]), dtype=np.int8)
    known = np.zeros(len(parts[0]), dtype=bool)
    for part in parts:
        array = part.array
        here = ~array.isna()
        data = np.where(here, np.maximum(data, array.to_numpy(np.int8, na_value=0)), data)
        known |= np.asarray(here)
    return pd.Series(pd.arrays.IntegerArray(data, ~known))
