"""Build the unit of analysis: state-years and dyad-years of a state system.

Membership is day-accurate. A state is in the state-year panel for every year in which it was a
system member on at least one day; a dyad-year exists only when both states were members on at
least one common day of that year (two states that share a year but never a day, one leaving in
March and the other entering in May, make no dyad-year). This is the rule peacesciencer's
``create_dyadyears()`` applies.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.errors import UsageError
from alliancekit.panels.frame import SYSTEM_SOURCE, PanelKind, System, check_system, mark
from alliancekit.sources.cow_states import load_cow_states
from alliancekit.sources.gw_states import load_gw_states
from alliancekit.sources.registry import get_source

YearsArg = Iterable[int] | tuple[int, int] | None


def membership_spells(
    system: System, *, mry: bool = False, data_dir: Path | str | None = None
) -> pd.DataFrame:
    """Membership spells of ``system``: ``code, start, end`` (``datetime64``, inclusive).

    With ``mry``, spells still open at the end of the system data are extended to the end of
    the most recently completed year.
    """
    frame = load_cow_states(data_dir) if system == "cow" else load_gw_states(data_dir)
    code = "ccode" if system == "cow" else "gwcode"
    spells = pd.DataFrame({"code": frame[code], "start": frame["start"], "end": frame["end"]})
    if mry:
        last_year = get_source(SYSTEM_SOURCE[system]).coverage[1]
        open_at_end = spells["end"] == pd.Timestamp(last_year, 12, 31)
        extended = pd.Timestamp(most_recent_year(), 12, 31)
        spells.loc[open_at_end, "end"] = max(extended, pd.Timestamp(last_year, 12, 31))
    return spells


def most_recent_year() -> int:
    """The most recently completed calendar year (what ``mry`` extends to)."""
    return datetime.date.today().year - 1


def _year_bounds(system: System, years: YearsArg, mry: bool) -> tuple[int, int] | None:
    if years is None:
        return None
    chosen = list(years) if not isinstance(years, tuple) else list(range(years[0], years[1] + 1))
    if not chosen:
        raise UsageError("years: the range is empty (give first and last year, e.g. 1816-2016)")
    low, high = min(chosen), max(chosen)
    if sorted(chosen) != list(range(low, high + 1)):
        raise UsageError(f"years: give a contiguous range, not {years!r}")
    first, last = get_source(SYSTEM_SOURCE[system]).coverage
    if mry:
        last = max(last, most_recent_year())
    if high < first or low > last:
        raise UsageError(
            f"years={low}-{high}: the {system.upper()} system covers {first}-{last}"
            + ("" if mry else " (mry=True extends states still members to the last full year)")
        )
    return low, high


def _spell_years(spells: pd.DataFrame, bounds: tuple[int, int] | None) -> pd.DataFrame:
    """One row per spell and year it touches, with the spell clipped to that year (day numbers)."""
    start = spells["start"].to_numpy().astype("datetime64[D]")
    end = spells["end"].to_numpy().astype("datetime64[D]")
    first = start.astype("datetime64[Y]").astype(np.int64) + 1970
    last = end.astype("datetime64[Y]").astype(np.int64) + 1970
    if bounds is not None:
        first = np.maximum(first, bounds[0])
        last = np.minimum(last, bounds[1])
    count = np.maximum(last - first + 1, 0)
    row = np.repeat(np.arange(len(spells)), count)
    offset = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    year = first[row] + offset
    year_start = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    next_year = (year - 1969).astype("datetime64[Y]").astype("datetime64[D]")
    year_end = next_year - np.timedelta64(1, "D")
    return pd.DataFrame(
        {
            "code": spells["code"].to_numpy()[row],
            "year": year,
            "from": np.maximum(start[row], year_start).astype(np.int64),
            "to": np.minimum(end[row], year_end).astype(np.int64),
        }
    )


def create_stateyears(
    system: str = "cow",
    years: YearsArg = None,
    *,
    mry: bool = False,
    data_dir: Path | str | None = None,
) -> pd.DataFrame:
    """Every state-year of the ``system``'s members: columns ``ccode`` (or ``gwcode``), ``year``.

    Parameters
    ----------
    system : ``"cow"`` (Correlates of War, 1816-2016) or ``"gw"`` (Gleditsch-Ward, 1816-2020).
    years : restrict to these years, ``(first, last)`` or any iterable of contiguous years.
    mry : extend the states still members at the end of the system data to the most recently
        completed year, as peacesciencer's ``mry = TRUE`` does. Covariates stay missing past
        their own coverage.
    data_dir : a directory holding the sources (else ``ALLIANCEKIT_DATA``, then the cache).

    Returns
    -------
    A frame sorted by state and year, marked as a state-year panel.
    """
    system = check_system(system)
    bounds = _year_bounds(system, years, mry)
    rows = _spell_years(membership_spells(system, mry=mry, data_dir=data_dir), bounds)
    rows = rows.drop_duplicates(["code", "year"]).sort_values(["code", "year"], kind="stable")
    kind = PanelKind("state-year", system)
    code = rows["code"].to_numpy(np.int32)
    columns: dict[str, np.ndarray] = {kind.code: code}
    # peacesciencer's columns: ccode, statenme, year (COW); gwcode, gw_name, microstate, year.
    for name, values in _state_attributes(system, code, data_dir).items():
        columns[name] = values
    columns["year"] = rows["year"].to_numpy(np.int32)
    return mark(pd.DataFrame(columns), kind, [SYSTEM_SOURCE[system]])


def _state_attributes(
    system: System, code: np.ndarray, data_dir: Path | str | None, suffix: str = ""
) -> dict[str, np.ndarray]:
    """Per-state columns (names; G-W microstate flags) for each code in ``code``."""
    if system == "cow":
        states = load_cow_states(data_dir).drop_duplicates("ccode", keep="last")
        names = pd.Series(states["statenme"].to_numpy(), index=states["ccode"].to_numpy())
        return {} if suffix else {"statenme": names.reindex(code).to_numpy()}
    states = load_gw_states(data_dir).drop_duplicates("gwcode", keep="last")
    by_code = states.set_index("gwcode")
    flags = by_code["microstate"].reindex(code).to_numpy(np.int8)
    if suffix:
        return {f"microstate{suffix}": flags}
    return {"gw_name": by_code["gw_name"].reindex(code).to_numpy(), "microstate": flags}


def create_dyadyears(
    system: str = "cow",
    years: YearsArg = None,
    *,
    directed: bool = True,
    mry: bool = False,
    data_dir: Path | str | None = None,
) -> pd.DataFrame:
    """Every dyad-year of the ``system``: ``ccode1, ccode2, year`` (or ``gwcode1, gwcode2``).

    A dyad-year exists when both states were members on at least one common day of the year.
    Directed panels hold both (a, b) and (b, a); non-directed ones only ``ccode1 < ccode2``.
    Parameters are those of :func:`create_stateyears`, plus ``directed``.

    Returns
    -------
    A frame sorted by ``ccode1, ccode2, year``, marked as a dyad-year panel.
    """
    system = check_system(system)
    bounds = _year_bounds(system, years, mry)
    spells = membership_spells(system, mry=mry, data_dir=data_dir)
    first, second, year = _overlapping_pairs(spells, bounds, directed)
    kind = PanelKind("dyad-year", system, directed)
    columns = {f"{kind.code}1": first, f"{kind.code}2": second, "year": year}
    if system == "gw":
        # peacesciencer's G-W dyad-years carry both states' microstate flags.
        for side, codes in (("1", first), ("2", second)):
            columns.update(_state_attributes(system, codes, data_dir, suffix=side))
    return mark(pd.DataFrame(columns), kind, [SYSTEM_SOURCE[system]])


def _overlapping_pairs(
    spells: pd.DataFrame, bounds: tuple[int, int] | None, directed: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every dyad-year in which two states were members on a common day, sorted by dyad, year.

    Two membership spells share a day in year y exactly when their intersection, itself an
    interval of days, touches year y. So each pair of spells contributes the run of years from
    the year its intersection starts to the year it ends; there are only ~60,000 pairs of
    spells, and expanding their runs writes the panel directly in dyad-then-year order.
    """
    spells = spells.sort_values(["code", "start"], kind="stable")
    code = spells["code"].to_numpy(np.int64)
    start = spells["start"].to_numpy().astype("datetime64[D]")
    end = spells["end"].to_numpy().astype("datetime64[D]")
    i, j = np.nonzero(code[:, None] < code[None, :] if not directed
                      else code[:, None] != code[None, :])
    # np.nonzero walks row-major, so pairs come ordered by (code_i, start_i, code_j, start_j).
    low = np.maximum(start[i], start[j])
    high = np.minimum(end[i], end[j])
    first_year = low.astype("datetime64[Y]").astype(np.int64) + 1970
    last_year = high.astype("datetime64[Y]").astype(np.int64) + 1970
    if bounds is not None:
        first_year = np.maximum(first_year, bounds[0])
        last_year = np.minimum(last_year, bounds[1])
    keep = (low <= high) & (first_year <= last_year)
    i, j, first_year, last_year = i[keep], j[keep], first_year[keep], last_year[keep]
    # Runs of one dyad must follow each other in year order: sort by (code_i, code_j, year).
    order = np.lexsort((first_year, code[j], code[i]))
    i, j, first_year, last_year = i[order], j[order], first_year[order], last_year[order]
    count = last_year - first_year + 1
    run = np.repeat(np.arange(len(count)), count)
    offset = np.arange(len(run)) - np.repeat(np.cumsum(count) - count, count)
    c1 = code[i][run].astype(np.int32)
    c2 = code[j][run].astype(np.int32)
    year = (first_year[run] + offset).astype(np.int32)
    # A state that leaves and re-enters within one year can give the same dyad-year twice.
    repeat = np.zeros(len(year), dtype=bool)
    repeat[1:] = (c1[1:] == c1[:-1]) & (c2[1:] == c2[:-1]) & (year[1:] == year[:-1])
    if repeat.any():
        c1, c2, year = c1[~repeat], c2[~repeat], year[~repeat]
    return c1, c2, year
