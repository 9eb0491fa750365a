"""The add_* functions on the tiny world: values, directions, coverage and kind checks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import alliancekit as ak
from alliancekit.panels.frame import sources_of


def row(frame: pd.DataFrame, c1: int, c2: int, year: int) -> pd.Series:
    match = frame[(frame["ccode1"] == c1) & (frame["ccode2"] == c2) & (frame["year"] == year)]
    assert len(match) == 1, (c1, c2, year)
    return match.iloc[0]


def test_france_pledges_to_belgium_but_not_back_in_1832(tiny: Path) -> None:
    dyads = ak.add_atop_alliance(ak.create_dyadyears(years=(1832, 1832)))
    france_to_belgium = row(dyads, 220, 211, 1832)
    belgium_to_france = row(dyads, 211, 220, 1832)
    assert france_to_belgium["atop_defense"] == 1
    assert france_to_belgium["atop_consul"] == 1
    assert belgium_to_france["atop_defense"] == 0
    # They share the alliance even though Belgium owes nothing.
    assert belgium_to_france["atop_alliance"] == 1
    assert sources_of(dyads) == ["cow_states", "atop_ddyr"]


def test_non_directed_takes_the_maximum_over_both_directions(tiny: Path) -> None:
    dyads = ak.add_atop_alliance(ak.create_dyadyears(years=(1832, 1832), directed=False))
    pair = row(dyads, 211, 220, 1832)
    assert pair["atop_defense"] == 1 and pair["atop_consul"] == 1 and pair["atop_alliance"] == 1
    neutral = ak.add_atop_alliance(ak.create_dyadyears(years=(1900, 1900), directed=False))
    uk_france = row(neutral, 200, 220, 1900)
    assert uk_france["atop_neutral"] == 1 and uk_france["atop_nonagg"] == 1


def test_atop_is_zero_inside_coverage_and_missing_after_2018(tiny: Path) -> None:
    dyads = ak.add_atop_alliance(ak.create_dyadyears(years=(2018, 2019), mry=True))
    assert row(dyads, 2, 211, 2018)["atop_defense"] == 0
    assert row(dyads, 2, 200, 2018)["atop_defense"] == 1
    after = dyads[dyads["year"] == 2019]
    assert len(after) > 0
    for column in ("atop_alliance", "atop_defense", "atop_consul"):
        assert after[column].isna().all()
        assert dyads.loc[dyads["year"] == 2018, column].notna().all()


def test_atop_on_state_years_names_the_call_to_make(tiny: Path) -> None:
    with pytest.raises(ak.PanelKindError, match=r"create_dyadyears\(system='cow'\)"):
        ak.add_atop_alliance(ak.create_stateyears(years=(1832, 1832)))


def test_atop_needs_a_cow_panel(tiny: Path) -> None:
    with pytest.raises(ak.PanelKindError, match="COW panel"):
        ak.add_atop_alliance(ak.create_dyadyears("gw", years=(2000, 2000)))


def test_a_plain_frame_is_refused_with_the_way_out(tiny: Path) -> None:
    plain = pd.DataFrame({"ccode1": [2], "ccode2": [200], "year": [1900]})
    with pytest.raises(ak.PanelKindError, match="create_stateyears"):
        ak.add_nmc(plain)


def test_nmc_on_state_years_and_suffixed_on_dyads(tiny: Path) -> None:
    states = ak.add_nmc(ak.create_stateyears(years=(1832, 1832)))
    france = states[states["ccode"] == 220].iloc[0]
    assert france["milex"] == 9000 and np.isnan(france["pec"])
    dyads = ak.add_nmc(ak.create_dyadyears(years=(1832, 1832)))
    pair = row(dyads, 220, 211, 1832)
    assert pair["cinc1"] == pytest.approx(0.12) and pair["cinc2"] == pytest.approx(0.01)
    assert np.isnan(pair["milex2"])
    # A state-year NMC does not list is missing, never 0.
    assert np.isnan(row(dyads, 2, 200, 1832)["cinc1"])


def test_nmc6_reads_minus_nine_as_missing(tiny: Path) -> None:
    states = ak.add_nmc(ak.create_stateyears(years=(1832, 1832)), version="6.0")
    france = states[states["ccode"] == 220].iloc[0]
    assert np.isnan(france["pec"]) and france["milex"] == 9000
    with pytest.raises(ak.UsageError, match=r"version='5\.0'"):
        ak.add_nmc(states, version="5.0")  # type: ignore[arg-type]


def test_contiguity_first_last_and_closest_in_the_year(tiny: Path) -> None:
    dyads = ak.create_dyadyears(years=(1816, 1831))
    first = ak.add_contiguity(dyads)
    last = ak.add_contiguity(dyads, rule="last")
    closest = ak.add_contiguity(dyads, rule="closest")
    # UK-France: type 5 from January to June 1816, type 4 from July 1816.
    assert row(first, 200, 220, 1816)["conttype"] == 5
    assert row(last, 200, 220, 1816)["conttype"] == 4
    assert row(closest, 200, 220, 1816)["conttype"] == 4
    assert row(first, 200, 220, 1817)["conttype"] == 4
    # Belgium-France: the only record starts in October 1830; "first" takes its first month.
    assert row(first, 211, 220, 1830)["conttype"] == 1
    assert row(first, 211, 220, 1831)["conttype"] == 1
    # No record at all inside the coverage is 0, not missing.
    assert row(first, 2, 200, 1820)["conttype"] == 0


def test_contiguity_is_missing_after_2016(tiny: Path) -> None:
    dyads = ak.add_contiguity(ak.create_dyadyears(years=(2016, 2017), mry=True))
    assert dyads.loc[dyads["year"] == 2017, "conttype"].isna().all()
    assert dyads.loc[dyads["year"] == 2016, "conttype"].notna().all()


def test_majors_by_any_day_of_the_year(tiny: Path) -> None:
    states = ak.add_majors(ak.create_stateyears(years=(1897, 1898)))
    usa = states[states["ccode"] == 2].set_index("year")["cowmaj"]
    assert usa[1897] == 0 and usa[1898] == 1
    dyads = ak.add_majors(ak.create_dyadyears(years=(1898, 1898)))
    pair = row(dyads, 2, 211, 1898)
    assert pair["cowmaj1"] == 1 and pair["cowmaj2"] == 0


def test_capital_distance_paris_brussels(tiny: Path) -> None:
    dyads = ak.add_capital_distance(ak.create_dyadyears(years=(1832, 1832)))
    assert row(dyads, 220, 211, 1832)["capdist"] == pytest.approx(264, abs=3)
    back = row(dyads, 211, 220, 1832)["capdist"]
    assert row(dyads, 220, 211, 1832)["capdist"] == pytest.approx(back, rel=1e-12)


def test_capital_that_moves_mid_year_counts_from_the_next_year(tiny: Path) -> None:
    dyads = ak.add_capital_distance(ak.create_dyadyears(years=(1950, 1951)))
    old = ak.panels.capitals.great_circle_km(
        np.array([10.0]), np.array([10.0]), np.array([51.5073219]), np.array([-0.1276474])
    )[0]
    assert row(dyads, 902, 200, 1950)["capdist"] == pytest.approx(old)
    assert row(dyads, 902, 200, 1951)["capdist"] != pytest.approx(old)


def test_filter_prd_keeps_contiguous_or_major_power_dyads(tiny: Path) -> None:
    dyads = ak.add_majors(ak.add_contiguity(ak.create_dyadyears(years=(1900, 1900))))
    prd = ak.filter_prd(dyads)
    pairs = set(zip(prd["ccode1"], prd["ccode2"], strict=True))
    assert (211, 220) in pairs  # land contiguity
    assert (901, 2) in pairs  # a major power
    assert (211, 901) not in pairs  # neither
    assert (prd["prd"] == 1).all()
    # Without the columns, filter_prd adds them itself, as peacesciencer does.
    bare = ak.filter_prd(ak.create_dyadyears(years=(1900, 1900)))
    pd.testing.assert_frame_equal(bare[prd.columns], prd)
