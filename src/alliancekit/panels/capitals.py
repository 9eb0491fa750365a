"""``add_capital_distance``: great-circle distance between capitals on dyad-year panels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alliancekit.panels._lookup import lookup_rows
from alliancekit.panels.frame import add_sources, key_array, require
from alliancekit.sources.capitals import CAPITALS, load_capitals

EARTH_RADIUS_KM = 6378.137
"""The sphere's radius: WGS84's equatorial radius, the default of R's ``geosphere``, which
peacesciencer's ``add_capital_distance()`` uses (``distVincentySphere``)."""


def great_circle_km(
    lat1: np.ndarray, lng1: np.ndarray, lat2: np.ndarray, lng2: np.ndarray
) -> np.ndarray:
    """Great-circle distance in km between points given in degrees (Vincenty's formula on a
    sphere, accurate for antipodal and very close points alike).

    >>> round(float(great_circle_km(np.array([0.0]), np.array([0.0]),
    ...                              np.array([0.0]), np.array([1.0]))[0]), 3)
    111.319
    """
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dlambda = np.radians(lng1) - np.radians(lng2)
    x = np.hypot(
        np.cos(phi2) * np.sin(dlambda),
        np.cos(phi1) * np.sin(phi2) - np.sin(phi1) * np.cos(phi2) * np.cos(dlambda),
    )
    y = np.sin(phi1) * np.sin(phi2) + np.cos(phi1) * np.cos(phi2) * np.cos(dlambda)
    return np.asarray(EARTH_RADIUS_KM * np.arctan2(x, y))


def capital_years(capitals: pd.DataFrame, code: str) -> pd.DataFrame:
    """The capital of each state in each year: ``code, year, lat, lng``.

    A state that moved its capital during a year is placed at the capital it had on
    1 January of that year (or, if its first capital spell starts later in the year, that one).
    """
    start = capitals["stdate"].dt.year.to_numpy(np.int64)
    end = capitals["enddate"].dt.year.to_numpy(np.int64)
    count = end - start + 1
    row = np.repeat(np.arange(len(capitals)), count)
    year = start[row] + np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    expanded = pd.DataFrame(
        {
            code: capitals[code].to_numpy()[row],
            "year": year,
            "start": capitals["stdate"].to_numpy()[row],
            "lat": capitals["lat"].to_numpy()[row],
            "lng": capitals["lng"].to_numpy()[row],
        }
    )
    # The earliest-starting spell touching the year is the one in force on 1 January.
    expanded = expanded.sort_values([code, "year", "start"], kind="stable")
    return expanded.drop_duplicates([code, "year"], keep="first").drop(columns="start")


def add_capital_distance(
    frame: pd.DataFrame, *, data_dir: Path | str | None = None
) -> pd.DataFrame:
    """Add ``capdist``: the great-circle distance in km between the two capitals.

    Missing where either capital is unknown for the year. Returns a new frame with the same
    rows.
    """
    kind = require(frame, "add_capital_distance", units=("dyad-year",))
    table = capital_years(load_capitals(kind.system, data_dir), kind.code)
    year = key_array(frame, "year")
    table_keys = [table[kind.code].to_numpy(), table["year"].to_numpy()]
    points = []
    for side in ("1", "2"):
        rows = lookup_rows([key_array(frame, kind.code + side), year], table_keys)
        lat = np.append(table["lat"].to_numpy(np.float64), np.nan)[rows]
        lng = np.append(table["lng"].to_numpy(np.float64), np.nan)[rows]
        points.append((lat, lng))
    distance = great_circle_km(points[0][0], points[0][1], points[1][0], points[1][1])
    low, high = CAPITALS.coverage
    distance[(year < low) | (year > high)] = np.nan
    return add_sources(
        frame.assign(capdist=pd.Series(distance, index=frame.index, copy=False)), "capitals"
    )
