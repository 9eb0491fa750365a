"""create_stateyears and create_dyadyears on the tiny world."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import alliancekit as ak
from alliancekit.panels.create import most_recent_year
from alliancekit.panels.frame import kind_of


def dyads_in(frame: pd.DataFrame, year: int) -> set[tuple[int, int]]:
    rows = frame[frame["year"] == year]
    return set(zip(rows["ccode1"], rows["ccode2"], strict=True))


def test_states_are_listed_for_every_year_they_were_members_on_some_day(tiny: Path) -> None:
    states = ak.create_stateyears(years=(1830, 1830))
    assert list(states.columns) == ["ccode", "statenme", "year"]
    assert sorted(states["ccode"]) == [2, 200, 211, 220]
    assert states.set_index("ccode").loc[211, "statenme"] == "Belgium"
    assert kind_of(states) == ak.panels.frame.PanelKind("state-year", "cow")


def test_france_is_absent_between_its_two_spells(tiny: Path) -> None:
    states = ak.create_stateyears(years=(1939, 1946))
    france_years = states.loc[states["ccode"] == 220, "year"].tolist()
    assert france_years == [1939, 1940, 1945, 1946]


def test_belgium_entering_in_october_1830_has_dyads_in_1830(tiny: Path) -> None:
    dyads = ak.create_dyadyears(years=(1829, 1830))
    assert (211, 220) in dyads_in(dyads, 1830)
    assert (220, 211) in dyads_in(dyads, 1830)
    assert all(211 not in pair for pair in dyads_in(dyads, 1829))


def test_pair_sharing_a_year_but_never_a_day_makes_no_dyad(tiny: Path) -> None:
    dyads = ak.create_dyadyears(years=(1900, 1900))
    pairs = dyads_in(dyads, 1900)
    assert (901, 902) not in pairs and (902, 901) not in pairs
    # Both still pair with states they did overlap with.
    assert (901, 2) in pairs and (902, 2) in pairs


def test_directed_holds_both_orders_and_non_directed_keeps_ccode1_below_ccode2(tiny: Path) -> None:
    directed = ak.create_dyadyears(years=(1832, 1832))
    non_directed = ak.create_dyadyears(years=(1832, 1832), directed=False)
    assert len(directed) == 2 * len(non_directed)
    assert (non_directed["ccode1"] < non_directed["ccode2"]).all()
    assert kind_of(non_directed) == ak.panels.frame.PanelKind("dyad-year", "cow", False)


def test_dyads_are_sorted_by_dyad_then_year_and_unique(tiny: Path) -> None:
    dyads = ak.create_dyadyears()
    assert not dyads.duplicated(["ccode1", "ccode2", "year"]).any()
    assert dyads.equals(dyads.sort_values(["ccode1", "ccode2", "year"], ignore_index=True))


def test_mry_extends_members_at_the_end_of_the_data_to_the_last_full_year(tiny: Path) -> None:
    plain = ak.create_stateyears()
    extended = ak.create_stateyears(mry=True)
    assert plain["year"].max() == 2016
    assert extended["year"].max() == most_recent_year()
    # Ariel left in 1900 and is not extended.
    assert extended.loc[extended["ccode"] == 901, "year"].max() == 1900


def test_years_outside_the_system_are_a_usage_error(tiny: Path) -> None:
    with pytest.raises(ak.UsageError, match="covers 1816-2016"):
        ak.create_dyadyears(years=(2030, 2031))


def test_unknown_system_names_the_argument(tiny: Path) -> None:
    with pytest.raises(ak.UsageError, match="system='cowz'"):
        ak.create_stateyears("cowz")


def test_gleditsch_ward_panels_use_gwcodes(tiny: Path) -> None:
    states = ak.create_stateyears("gw", years=(2020, 2020))
    assert list(states.columns) == ["gwcode", "gw_name", "microstate", "year"]
    dyads = ak.create_dyadyears("gw", years=(2020, 2020))
    assert list(dyads.columns) == ["gwcode1", "gwcode2", "year", "microstate1", "microstate2"]
    assert len(dyads) == 6 and (dyads["microstate1"] == 0).all()
