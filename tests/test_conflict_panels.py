"""Conflict variables on panels (issue 14): UCDP armed conflicts, secondary-party support, peace
years and the event model, on small fixtures and on the research data."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import alliancekit as ak
from alliancekit.panels.peace_years import peace_spells

HEADER = ("conflict_id,year,gwno_a,gwno_a_2nd,gwno_b,gwno_b_2nd,incompatibility,"
          "intensity_level,type_of_conflict,start_date,start_prec,start_date2,start_prec2,"
          "ep_end,ep_end_date\n")
UCDP = HEADER + (
    # conflict 1: the UK against rebels, 1950-1951, then again in 1955 after a pause
    "1,1950,200,,,,government,1,intrastate,1950-03-01,1,1950-03-01,1,0,\n"
    "1,1951,200,,,,government,2,intrastate,1950-03-01,1,1950-03-01,1,1,1951-10-01\n"
    "1,1955,200,,,,government,1,intrastate,1950-03-01,1,1955-06-01,2,1,1955-12-01\n"
    # conflict 2: the UK against Belgium in 1951; the US fights on the UK's side, France on
    # Belgium's
    "2,1951,200,2,211,220,territory,1,interstate,1951-02-01,1,1951-02-01,1,1,1951-09-01\n"
)


@pytest.fixture
def ucdp(tiny: Path) -> Path:
    (tiny / "ucdp_acd").mkdir(exist_ok=True)
    (tiny / "ucdp_acd" / "ucdp_acd.csv.gz").write_bytes(gzip.compress(UCDP.encode()))
    return tiny


def _by(frame: pd.DataFrame, *keys: str) -> pd.DataFrame:
    return frame.set_index(list(keys))


def test_ucdp_conflicts_on_gw_state_years_as_peacesciencer_adds_them(ucdp: Path) -> None:
    states = ak.create_stateyears("gw", years=(1945, 1956))
    rows = _by(ak.add_ucdp_acd(states), "gwcode", "year")
    uk = rows.loc[200]
    assert (uk.loc[1950, "ucdpongoing"], uk.loc[1950, "ucdponset"]) == (1, 1)
    assert (uk.loc[1951, "ucdponset"], uk.loc[1951, "maxintensity"]) == (1, 2)  # conflict 2
    assert uk.loc[1951, "conflict_ids"] == "1; 2"
    assert (uk.loc[1955, "ucdpongoing"], uk.loc[1955, "ucdponset"]) == (1, 0)  # not a new onset
    assert (uk.loc[1952, "ucdpongoing"], uk.loc[1952, "ucdponset"]) == (0, 0)
    assert pd.isna(uk.loc[1952, "maxintensity"]) and pd.isna(uk.loc[1952, "conflict_ids"])
    assert pd.isna(uk.loc[1945, "ucdpongoing"])  # before UCDP's data
    assert rows.loc[(211, 1951), "ucdpongoing"] == 0  # side B's state does not get it
    interstate = _by(ak.add_ucdp_acd(states, type="interstate"), "gwcode", "year")
    assert (interstate.loc[(200, 1950), "ucdpongoing"],
            interstate.loc[(200, 1951), "conflict_ids"]) == (0, "2")
    wars = _by(ak.add_ucdp_acd(states, only_wars=True), "gwcode", "year")
    assert (wars.loc[(200, 1950), "ucdpongoing"], wars.loc[(200, 1951), "ucdponset"]) == (0, 1)
    with pytest.raises(ak.UsageError, match="type="):
        ak.add_ucdp_acd(states, type="civil")
    with pytest.raises(ak.PanelKindError, match="system=.gw."):
        ak.add_ucdp_acd(ak.create_stateyears("cow", years=(1950, 1951)))


def test_peace_years_count_and_reset(ucdp: Path) -> None:
    states = ak.add_peace_years(ak.add_ucdp_acd(ak.create_stateyears("gw", years=(1945, 1956))))
    uk = _by(states, "gwcode", "year").loc[200, "ucdpspell"]
    assert uk.loc[1946:1956].tolist() == [0, 1, 2, 3, 4, 0, 0, 1, 2, 3, 0]
    assert pd.isna(uk.loc[1945])
    with pytest.raises(ak.PanelKindError, match="no conflict variables"):
        ak.add_peace_years(ak.create_stateyears("gw", years=(1950, 1951)))


def test_secondary_parties_on_each_side(ucdp: Path) -> None:
    dyads = _by(ak.add_ucdp_support(ak.create_dyadyears("cow", years=(1940, 1951))),
                "ccode1", "ccode2", "year")
    assert dyads.loc[(2, 200, 1951), ["ucdp_support_for", "ucdp_support_against"]].tolist() \
        == [1, 0]
    assert dyads.loc[(2, 211, 1951), ["ucdp_support_for", "ucdp_support_against"]].tolist() \
        == [0, 1]
    assert dyads.loc[(220, 211, 1951), "ucdp_support_for"] == 1  # France on side B
    assert dyads.loc[(220, 200, 1951), "ucdp_support_against"] == 1
    assert dyads.loc[(2, 200, 1951), "ucdp_support_conflicts"] == "2"
    assert dyads.loc[(200, 2, 1951), "ucdp_support_for"] == 0  # the UK was not a supporter
    assert pd.isna(dyads.loc[(2, 200, 1940), "ucdp_support_for"])  # before UCDP's data
    states = _by(ak.add_ucdp_support(ak.create_stateyears("cow", years=(1950, 1951))),
                 "ccode", "year")
    assert states.loc[(2, 1951), "ucdp_support_sent"] == 1
    assert states.loc[(200, 1951), "ucdp_support_received"] == 1
    assert states.loc[(211, 1951), "ucdp_support_received"] == 1
    assert states.loc[(200, 1950), "ucdp_support_received"] == 0


def test_the_event_model_reads_ucdp_episodes(ucdp: Path) -> None:
    events = ak.conflict_events("ucdp")
    assert set(events.columns) >= {"event_id", "side", "role", "start", "start_precision"}
    first = events[events["event_id"] == "ucdp-1-1950-03-01"]
    assert first[["ccode", "side", "role"]].values.tolist() == [[200, "A", "primary"]]
    assert first["end"].tolist() == [pd.Timestamp("1951-10-01")]
    war = events[events["event_id"] == "ucdp-2-1951-02-01"].set_index("ccode")
    assert war.loc[2, ["side", "role"]].tolist() == ["A", "secondary"]
    assert war.loc[220, ["side", "role"]].tolist() == ["B", "secondary"]
    assert war.loc[211, ["side", "role"]].tolist() == ["B", "primary"]
    assert len(ak.conflict_events("ucdp", years=(1955, 1960))) == 1


def test_gml_is_refused_with_the_reason(ucdp: Path) -> None:
    with pytest.raises(ak.UsageError, match="maintainers asked"):
        ak.conflict_events("gml")
    with pytest.raises(ak.UsageError, match="maintainers asked"):
        ak.add_gml_mids(ak.create_dyadyears("cow", years=(1950, 1951)), keep=None)


def _spells_by_recurrence(events: list[int]) -> list[int]:
    """peacesciencer's ps_btscs() counting rule, transcribed row by row."""
    out, run = [0] * len(events), 0
    for j in range(1, len(events)):
        if events[j] == 0 and events[j - 1] == 0:
            run += 1
            out[j] = run
        elif events[j] != 0 and events[j - 1] == 0:
            out[j], run = run + 1, 0
        elif events[j] == 0:
            out[j] = run = 0
    return out


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 1)), max_size=40))
def test_peace_spells_follow_the_row_by_row_rule(rows: list[tuple[int, int]]) -> None:
    rows = sorted(rows, key=lambda r: r[0])
    unit = np.array([r[0] for r in rows], dtype=np.int64)
    event = np.array([r[1] for r in rows], dtype=np.int8)
    expected: list[int] = []
    for u in dict.fromkeys(unit.tolist()):
        expected += _spells_by_recurrence(event[unit == u].tolist())
    assert peace_spells(unit, np.arange(len(unit)), event).tolist() == expected


def test_yemen_2015_saudi_arabia_and_the_emirates_fight_as_secondary_parties(
        real_data: Path) -> None:
    events = ak.conflict_events("ucdp", years=(2015, 2015))
    yemen = events[events["event_id"].str.startswith("ucdp-230-")].set_index("ccode")
    for state in (670, 696):
        assert yemen.loc[state, ["side", "role"]].tolist() == ["B", "secondary"]
        assert yemen.loc[state, "start"] == pd.Timestamp("2015-01-01")
    dyads = _by(ak.add_ucdp_support(ak.create_dyadyears("cow", years=(2014, 2015))),
                "ccode1", "ccode2", "year")
    assert dyads.loc[(670, 679, 2015), "ucdp_support_against"] == 1  # as UCDP codes the sides
    assert dyads.loc[(670, 679, 2014), "ucdp_support_against"] == 0


def test_the_gulf_war_participants_and_sides(real_data: Path) -> None:
    war = ak.conflict_events("cow_inter", years=(1991, 1991))
    war = war[war["event_id"] == "cow-211"].set_index("ccode")
    assert war.loc[645, ["side", "role"]].tolist() == ["B", "initiator"]  # Iraq
    assert war.loc[690, ["side", "role"]].tolist() == ["A", "originator"]  # Kuwait
    assert war.loc[2, ["side", "role"]].tolist() == ["A", "joiner"]
    assert {670, 696, 651} <= set(war.index[war["side"] == "A"])
    assert (war["side"] == "B").sum() == 1


def test_gw_state_years_with_ucdp_and_peace_years_on_the_real_data(real_data: Path) -> None:
    states = ak.add_peace_years(ak.add_ucdp_acd(ak.create_stateyears("gw")))
    rows = _by(states, "gwcode", "year")
    assert rows.loc[(2, 2001), "ucdponset"] == 1 and rows.loc[(2, 2001), "conflict_ids"] == "418"
    assert rows.loc[(2, 2003), "conflict_ids"] == "418; 420"
    assert states.loc[states["year"] < 1946, "ucdpongoing"].isna().all()
    assert states.loc[states["year"].between(1946, 2020), "ucdpongoing"].notna().all()
    assert rows.loc[(2, 2002), "ucdpspell"] == 0


def test_the_state_page_lists_combat_support(ucdp: Path) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from alliancekit.web.app import create_app

    page = TestClient(create_app()).get("/states/USA?year=1960").text
    section = page.split("Combat support")[1]
    sent = section.split("Troops sent")[1].split("Troops received")[0]
    assert "<td>2</td>" in sent and "United Kingdom" in sent and "Belgium" in sent
    received = TestClient(create_app()).get("/states/BEL?year=1960").text
    assert "France" in received.split("Troops received")[1]
