"""Cooperation beyond alliances on the tiny world: DCAs, arms, spending, US troops."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import alliancekit as ak
from alliancekit.panels.catalog import ADDERS
from alliancekit.sources import load_sipri_arms, load_sipri_milex, load_us_troops

COOPERATION = {"dca": (1980, 2010), "arms_transfers": (1950, 2021), "milex": (1949, 2023),
               "us_troops": (1950, 2024)}


def cell(frame: pd.DataFrame, key: tuple[int, ...], column: str) -> object:
    names = ["ccode", "year"] if len(key) == 2 else ["ccode1", "ccode2", "year"]
    return frame.set_index(names).loc[key, column]


def test_a_dca_signed_in_1995_for_five_years_is_in_force_1995_to_1999(tiny: Path) -> None:
    dyads = ak.add_dca(ak.create_dyadyears("cow", (1979, 2011)))
    for year in range(1995, 2000):
        assert cell(dyads, (211, 220, year), "dca_general") == 1
        assert cell(dyads, (220, 211, year), "dca_general") == 1
    assert cell(dyads, (211, 220, 2000), "dca_general") == 0
    assert pd.isna(cell(dyads, (211, 220, 1979), "dca_general"))
    assert pd.isna(cell(dyads, (211, 220, 2011), "dca_general"))
    # Still in force at DCAD's end (2010) vs ended in 2010 (durationActual 9 from 2001).
    assert cell(dyads, (2, 200, 2010), "dca_sector") == 1
    assert cell(dyads, (2, 211, 2009), "dca_general") == 1
    assert cell(dyads, (2, 211, 2010), "dca_general") == 0
    states = ak.add_dca(ak.create_stateyears("cow", (2001, 2001)))
    assert cell(states, (2, 2001), "dca_general") == 1
    assert cell(states, (2, 2001), "dca_sector") == 0
    undirected = ak.add_dca(ak.create_dyadyears("cow", (1996, 1996), directed=False))
    assert cell(undirected, (211, 220, 1996), "dca_general") == 1


def test_arms_transfers_are_directed_and_non_states_are_reported(tiny: Path) -> None:
    dyads = ak.add_arms_transfers(ak.create_dyadyears("cow", (1949, 2001)))
    assert cell(dyads, (220, 211, 2000), "arms_tiv_1to2") == 12
    assert cell(dyads, (211, 220, 2000), "arms_tiv_2to1") == 12
    assert cell(dyads, (211, 220, 2000), "arms_tiv_1to2") == 0
    assert pd.isna(cell(dyads, (220, 211, 1949), "arms_tiv_1to2"))
    report = load_sipri_arms().attrs["crosswalk"]
    assert [(r["name"], r["kind"]) for r in report] == [("NATO**", "not a state")]
    states = ak.add_arms_transfers(ak.create_stateyears("cow", (2000, 2001)))
    assert cell(states, (211, 2000), "arms_imports_tiv") == 12
    assert cell(states, (211, 2001), "arms_imports_tiv") == 0  # NATO is not a state


def test_spending_and_troops_are_missing_where_the_source_has_no_figure(tiny: Path) -> None:
    states = ak.add_us_troops(ak.add_milex(ak.create_stateyears("cow", (2000, 2001))))
    assert cell(states, (211, 2000), "milex_sipri") == 4000
    assert pd.isna(cell(states, (211, 2001), "milex_sipri"))
    assert cell(states, (211, 2000), "us_troops") == 1500
    assert pd.isna(cell(states, (220, 2000), "us_troops"))
    assert load_us_troops().attrs["not_states"] == ["Guam"]
    assert [r["name"] for r in load_sipri_milex().attrs["crosswalk"]] == ["European Union"]


@settings(max_examples=12, deadline=None)
@given(st.integers(1940, 2030), st.integers(0, 12), st.sampled_from(["state", "dyad"]),
       st.sampled_from(sorted(COOPERATION)))
def test_no_adder_changes_the_rows_and_outside_coverage_is_missing(
        first: int, length: int, unit: str, name: str) -> None:
    import tempfile

    from tests.conftest import write_data_dir

    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setenv("ALLIANCEKIT_DATA", str(write_data_dir(Path(folder))))
        patch.setenv("XDG_CACHE_HOME", str(Path(folder) / "cache"))
        years = (first, min(first + length, 2016))
        if years[1] < years[0]:
            return
        panel = (ak.create_stateyears("cow", years) if unit == "state"
                 else ak.create_dyadyears("cow", years))
        out = ADDERS[name](panel)
        assert len(out) == len(panel)
        assert (out[panel.columns].to_numpy() == panel.to_numpy()).all()
        low, high = COOPERATION[name]
        outside = (out["year"] < low) | (out["year"] > high)
        added = [c for c in out.columns if c not in panel.columns]
        assert added and out.loc[outside, added].isna().all().all()


def test_profile_table_and_chart(tiny: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from alliancekit.cli import app
    from alliancekit.measures.profile import cooperation_profile

    profile = cooperation_profile("Belgium", (1999, 2001))
    assert profile["year"].tolist() == [1999, 2000, 2001]
    assert profile["dca_general"].tolist() == [1, 0, 1]  # France to 1999; the USA from 2001
    assert profile["arms_imports_tiv"].tolist() == [0, 12, 0]
    chart = tmp_path / "belgium.png"
    result = CliRunner().invoke(app, ["profile", "BEL", "--years", "1999-2001", "--chart",
                                      str(chart), "--out", str(tmp_path / "belgium.csv")])
    assert result.exit_code == 0, result.output
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 10_000
    assert pd.read_csv(tmp_path / "belgium.csv")["milex_sipri"].tolist()[1] == 4000
