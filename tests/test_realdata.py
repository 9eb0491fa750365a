"""Acceptance figures on the real research datasets (skipped when ALLIANCEKIT_DATA is unset)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import alliancekit as ak
import alliancekit.measures.similarity
from alliancekit.panels.frame import sources_of
from alliancekit.sources import REGISTRY, find_source, load_cow_system
from alliancekit.sources.registry import UnpinnedVersionWarning, sha256_of

GCC = (670, 690, 692, 694, 696, 698)  # Saudi Arabia, Kuwait, Bahrain, Qatar, UAE, Oman


@pytest.fixture(scope="module")
def directed(real_data: Path) -> pd.DataFrame:
    return ak.add_atop_alliance(ak.create_dyadyears(mry=True))


def test_every_registered_file_matches_its_pinned_checksum(real_data: Path) -> None:
    for name, source in REGISTRY.items():
        assert find_source(name) == real_data, name
        for file in source.files:
            assert sha256_of(real_data / file.path) == file.sha256, file.path


def test_23_states_in_1816_and_195_in_2016(real_data: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnpinnedVersionWarning)
        states = ak.create_stateyears()
    per_year = states.groupby("year").size()
    assert per_year[1816] == 23 and per_year[2016] == 195


def test_state_years_equal_cows_own_system_file(real_data: Path) -> None:
    ours = ak.create_stateyears()
    cow = load_cow_system()
    assert len(ours) == len(cow) == 15_951
    merged = ours.merge(cow, on=["ccode", "year"], how="outer", indicator=True)
    assert (merged["_merge"] == "both").all()


def test_506_directed_dyads_in_1816_and_37830_in_2016(real_data: Path) -> None:
    dyads = ak.create_dyadyears(years=(1816, 2016))
    per_year = dyads.groupby("year").size()
    assert per_year[1816] == 506 and per_year[2016] == 37_830
    assert len(dyads) == 1_912_290


def test_non_directed_defence_pledges_in_1900_and_2000(real_data: Path) -> None:
    dyads = ak.add_atop_alliance(ak.create_dyadyears(directed=False, years=(1900, 2000)))
    defence = dyads[dyads["atop_defense"] == 1].groupby("year").size()
    assert defence[1900] == 8 and defence[2000] == 1_104


def test_all_30_directed_gcc_pairs_pledge_defence_in_2018(directed: pd.DataFrame) -> None:
    gcc = directed[directed["ccode1"].isin(GCC) & directed["ccode2"].isin(GCC)
                   & (directed["year"] == 2018)]
    assert len(gcc) == 30
    assert (gcc["atop_defense"] == 1).all()


def test_18_states_pledge_to_defend_saudi_arabia_in_2018(directed: pd.DataFrame) -> None:
    to_saudi = directed[(directed["ccode2"] == 670) & (directed["year"] == 2018)]
    assert int(to_saudi["atop_defense"].sum()) == 18


def test_france_belgium_1832_is_asymmetric_in_atop(directed: pd.DataFrame) -> None:
    pair = directed[(directed["year"] == 1832) & directed["ccode1"].isin([211, 220])
                    & directed["ccode2"].isin([211, 220])].set_index("ccode1")
    assert pair.loc[220, "atop_defense"] == 1 and pair.loc[211, "atop_defense"] == 0


def test_atop_is_missing_after_2018(directed: pd.DataFrame) -> None:
    assert directed.loc[directed["year"] == 2019, "atop_defense"].isna().all()
    assert directed.loc[directed["year"] == 2018, "atop_defense"].notna().all()


def test_full_panel_has_the_peacesciencer_shape(real_data: Path) -> None:
    panel = ak.create_dyadyears(years=(1816, 2016))
    for add in (ak.add_atop_alliance, ak.add_nmc, ak.add_contiguity, ak.add_majors):
        panel = add(panel)
    assert panel.shape == (1_912_290, 26)
    # Inside every source's coverage nothing is missing but NMC's own gaps.
    assert panel[["atop_defense", "conttype", "cowmaj1"]].notna().all().all()
    land = panel[(panel["ccode1"] == 2) & (panel["ccode2"] == 20) & (panel["year"] == 2016)]
    assert land["conttype"].iloc[0] == 1  # United States - Canada


def test_group_filter_keeps_gcc_dyads_and_oic_states(real_data: Path) -> None:
    dyads = ak.create_dyadyears("cow", (2016, 2016))
    assert len(ak.filter_group(dyads, "gcc")) == 30
    assert len(ak.filter_group(dyads, "gcc", mode="either")) == 30 + 2 * 6 * (195 - 6)
    states = ak.create_stateyears("cow", (1969, 2016))
    oic = ak.filter_group(states, "oic")
    # 57 members less Syria (suspended since 2012) and Palestine (outside the state system).
    assert oic[oic["year"] == 2016]["ccode"].nunique() == 55
    assert 670 in set(oic[oic["year"] == 1969]["ccode"])
    assert "curated" in sources_of(oic)


def test_curated_records_carry_saudi_pakistan_past_atop(real_data: Path) -> None:
    dyads = ak.create_dyadyears("cow", (2017, 2025), mry=True)
    both = ak.add_atop_alliance(dyads, sources=("atop", "curated"))
    pair = both[(both["ccode1"] == 770) & (both["ccode2"] == 670)].set_index("year")
    # ATOP's 1951 treaty of friendship (non-aggression, atop3222) is carried on, so 2024 is
    # known: no defence pledge until the 2025 agreement.
    assert pair.loc[2018, "atop_defense"] == 0 and pair.loc[2024, "atop_defense"] == 0
    assert pair.loc[2024, "atop_nonagg"] == 1 and pair.loc[2024, "atop_carried"] == 1
    assert pair.loc[2025, "atop_defense"] == 1
    plain = ak.add_atop_alliance(dyads, sources=("atop", "curated"), carry_forward=False)
    pair = plain[(plain["ccode1"] == 770) & (plain["ccode2"] == 670)].set_index("year")
    assert pd.isna(pair.loc[2024, "atop_defense"]) and "atop_carried" not in plain
    gcc = both[both["ccode1"].isin(GCC) & both["ccode2"].isin(GCC) & (both["year"] == 2022)]
    assert len(gcc) == 30 and (gcc["atop_defense"] == 1).all()


def test_gcc_pair_is_more_similar_than_gcc_and_an_unpledged_nato_member(real_data: Path) -> None:
    panel = ak.add_similarity(ak.create_dyadyears("cow", (2018, 2018), mry=True))
    both = ak.add_atop_alliance(panel)
    row = both.set_index(["ccode1", "ccode2"])
    # Germany (255) owes Saudi Arabia nothing in ATOP, and the reverse.
    assert row.loc[(670, 255), "atop_alliance"] == 0 and row.loc[(255, 670), "atop_alliance"] == 0
    for name in ak.measures.similarity.MEASURES:
        assert row.loc[(670, 694), name] > row.loc[(670, 255), name], name


def test_panel_command_group_filter_notes_palestine(real_data: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from alliancekit.cli import app

    out = tmp_path / "oic.csv"
    result = CliRunner().invoke(app, ["panel", "state-years", "--years", "2016", "--group",
                                      "oic", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(out)) == 55
    assert "Palestine (PSE): member of oic outside the state system" in result.output


def test_defenders_of_saudi_arabia_in_2018_and_2025(real_data: Path) -> None:
    from alliancekit.obligations.engine import Obligations

    engine = Obligations()
    end_2018 = engine.defenders_of("SAU", "2018-12-31").defenders()
    assert end_2018["counts"].sum() == 18
    # The same 18 states ATOP's directed dyad-years give for 2018.
    ddyr = ak.sources.load_atop_ddyr()
    atop = set(ddyr[(ddyr["ccode2"] == 670) & (ddyr["year"] == 2018)
                    & (ddyr["atop_defense"] == 1)]["ccode1"])
    assert set(end_2018["state"]) == atop
    october_2025 = engine.defenders_of("Saudi Arabia", "2025-10-01", attacker="IRN")
    assert 770 in set(october_2025.defenders()["state"])
    assert any("31 December 2018" in note for note in october_2025.notes)


def test_july_1914_cascade_pulls_in_germany_through_its_pledge_to_austria(
        real_data: Path) -> None:
    from alliancekit.obligations.engine import Obligations
    from alliancekit.obligations.scenario import Scenario
    from alliancekit.obligations.simulation import cascade_path, simulate

    engine = Obligations(("atop",))
    plan = Scenario.from_mapping({"attackers": ["Austria-Hungary"], "targets": [345],
                                  "on": "1914-07-28"})
    path = cascade_path(engine, plan).set_index("state")
    # Serbia's defenders (Montenegro, Greece) and Germany, by its Triple Alliance offence
    # pledge to Austria-Hungary (conditional on an adversary ATOP names as France, so unknown
    # against Serbia), enter first; Germany's entry then calls Italy's and Romania's pledges.
    assert set(path[path["round"] == 1].index) == {255, 341, 350}
    assert path.loc[255, "side"] == "attacker" and path.loc[255, "agreement"] == "atop1350"
    assert "Germany pledged offence to Austria-Hungary" in path.loc[255, "why"]
    assert "whether a war with Serbia is covered" in path.loc[255, "why"]
    assert {325, 360} <= set(path[path["round"] == 2].index)
    result = simulate(engine, plan, draws=2000, seed=1, cascade=True)
    germany = result.joins.set_index("state").loc[255, "p_attacker_side"]
    assert 0.5 < germany < 1.0


def test_sipri_spending_maps_to_cow_codes_and_reaches_scenarios(real_data: Path) -> None:
    from alliancekit.obligations.engine import Obligations
    from alliancekit.obligations.scenario import Scenario, assess

    milex = ak.sources.load_sipri_milex()
    assert [(r["name"], r["kind"]) for r in milex.attrs["crosswalk"]] == [
        ("European Union", "not a state")]
    assert not milex.duplicated(["ccode", "year"]).any()
    germany = milex[milex["ccode"].isin([255, 260])].groupby("ccode")["year"].agg(["min", "max"])
    assert germany.loc[260, "max"] == 1990 and germany.loc[255, "min"] == 1991
    plan = Scenario.from_mapping({"attackers": ["IRN"], "targets": ["SAU"], "on": "2025-10-01"})
    result = assess(Obligations(), plan)
    states = result.states.set_index("state")
    assert states.loc[670, "milex_year"] == 2023 and states.loc[670, "milex_usd2022_m"] > 0
    assert result.capabilities["certain"]["target_side_milex_usd2022_m"] > \
        result.capabilities["certain"]["attacker_side_milex_usd2022_m"]
    assert any(note.startswith("spending: SIPRI constant 2022") for note in result.notes)


def test_cooperation_sources_load_whole_and_report_every_unmapped_name(real_data: Path) -> None:
    from alliancekit.cooperation import cooperation_records

    dcad = ak.sources.load_dcad()
    assert len(dcad) == 1871 and dcad["dca_id"].is_unique
    # An agreement of five years ending before DCAD's end: in force from its signature year
    # to the year before endYearEstimate (here 1989-1993).
    five = dcad[(dcad["sign_year"] == 1989) & (dcad["last_year"] == 1993)]
    assert len(five) >= 1
    pair = five.iloc[0]
    dyads = ak.add_dca(ak.create_dyadyears("cow", (1988, 1995)))
    years = dyads[(dyads["ccode1"] == pair["ccode1"]) & (dyads["ccode2"] == pair["ccode2"])
                  & (dyads["dca_general"] + dyads["dca_sector"] > 0)]["year"]
    assert {1989, 1990, 1991, 1992, 1993} <= set(years)
    arms = ak.sources.load_sipri_arms()
    assert [r for r in arms.attrs["crosswalk"] if r["kind"] == "unresolved"] == []
    records = cooperation_records()
    assert set(records["source"]) == {"dcad", "mme", "geo_pko", "sipri_arms_transfers",
                                      "us_troops", "ucdp_acd", "curated"}
    saudi = records[(records["ccode"] == 670) & (records["type"] == "combat_support")]
    assert saudi["source_id"].str.startswith("230-670-B-2015").any()  # Yemen, as UCDP codes it
    pakistan = records[records["ccode"] == 770].groupby("type").size()
    assert {"peacekeeping", "training_exercise", "arms_transfer",
            "defence_cooperation_agreement"} <= set(pakistan.index)


@pytest.mark.parametrize("name", ["exercises", "peacekeeping", "dca", "arms_transfers",
                                  "milex", "us_troops"])
def test_cooperation_adders_keep_rows_and_leave_uncovered_years_missing(
        real_data: Path, name: str) -> None:
    from alliancekit.panels.catalog import ADDERS

    panel = ak.create_stateyears("cow", (1975, 2016))
    out = ADDERS[name](panel)
    added = [c for c in out.columns if c not in panel.columns]
    assert len(out) == len(panel) and added
    coverage = {"exercises": (1980, 2010), "peacekeeping": (1994, 2024), "dca": (1980, 2010),
                "arms_transfers": (1950, 2021), "milex": (1949, 2023),
                "us_troops": (1950, 2024)}[name]
    outside = ~out["year"].between(*coverage)
    assert out.loc[outside, added].isna().all().all()


def test_cooperation_network_with_exercises(real_data: Path) -> None:
    from alliancekit.measures.network import cooperation_graphs, graph_measures

    [graph] = list(cooperation_graphs((2005, 2005), ["exercises", "dca"]))
    assert graph.graph["sources"] == "mme,dcad"
    _states, year = graph_measures(graph)
    assert year["edges"] > 500 and graph.has_edge(770, 2)


def test_exercises_from_jme_too(real_data: Path) -> None:
    states = ak.add_exercises(ak.create_stateyears("cow", (1970, 2005)), dataset="jme")
    assert states[states["year"] < 1974]["exercises"].isna().all()
    assert states[(states["ccode"] == 2) & (states["year"] == 2005)]["exercises"].iloc[0] > 0
    assert "jme" in sources_of(states)


def _defence_dyads(panel: pd.DataFrame, year: int) -> set[tuple[int, int]]:
    rows = panel[(panel["year"] == year) & (panel["atop_defense"] == 1)]
    return set(zip(rows["ccode1"].astype(int), rows["ccode2"].astype(int), strict=True))


def test_no_cliff_at_2019_only_changes_the_records_make(real_data: Path) -> None:
    """The defence dyads of 2018 and 2019 differ only where a curated record (an agreement, or
    a status record of an ATOP alliance) changes them, or where ATOP itself ends a pledge
    during 2018."""
    from alliancekit.curated.pledges import pledge_table
    from alliancekit.curated.records import load_agreements, load_atop_statuses

    panel = ak.add_atop_alliance(ak.create_dyadyears("cow", (2015, 2025), mry=True),
                                 sources=("atop", "curated"))
    before, after = _defence_dyads(panel, 2018), _defence_dyads(panel, 2019)
    assert len(after) > 0.9 * len(before)  # no cliff
    table, _ = pledge_table()
    defence = table[table["obligation"] == "defence"]
    atop = defence[defence["source"] == "atop"]
    linked = {a.atopid for a in load_agreements() if a.atopid is not None}
    changed = {s.atopid for s in load_atop_statuses().values() if s.ended or s.exits}
    ended_in_2018 = atop[(atop["end"].dt.year == 2018) & (atop["end"] < "2018-12-31")]
    curated_2019 = defence[(defence["source"] == "curated")
                           & (defence["start"] <= "2019-12-31")
                           & (defence["end"].isna() | (defence["end"] >= "2019-01-01"))]

    def pairs(frame: pd.DataFrame) -> set[tuple[int, int]]:
        return set(zip(frame["giver"].astype(int), frame["receiver"].astype(int),
                       strict=True))

    by_record = pairs(atop[atop["atopid"].isin(list(linked | changed))]) | pairs(curated_2019)
    unexplained_gone = before - after - by_record - pairs(ended_in_2018)
    unexplained_new = after - before - pairs(curated_2019)
    assert unexplained_gone == set() and unexplained_new == set()
    assert before - after and after - before  # the records do change some dyads


def test_mali_keeps_its_african_union_defenders_marked_carried(real_data: Path) -> None:
    from alliancekit.obligations.engine import Obligations

    engine = Obligations()
    frame = engine.defenders_of("MLI", "2024-06-01").frame
    pact = frame[frame["agreement"] == "atop5055"]
    assert pact["carried"].all() and {452, 433, 615} <= set(pact["state"])  # Ghana, Senegal...
    assert {436, 439} <= set(frame.loc[frame["agreement"] == "alliance_of_sahel_states",
                                       "state"])
    assert not frame.loc[frame["agreement"] == "alliance_of_sahel_states", "carried"].any()
    plain = Obligations(carry_forward=False).defenders_of("MLI", "2024-06-01").frame
    assert set(plain["agreement"]) == {"alliance_of_sahel_states"}


def test_mali_leaves_the_ecowas_protocol_but_not_the_african_union_pact(
        real_data: Path) -> None:
    from alliancekit.obligations.engine import Obligations

    engine = Obligations()
    during = set(engine.obligations_between("MLI", "GHA", "2024-06-01").frame["agreement"])
    after = set(engine.obligations_between("MLI", "GHA", "2025-06-01").frame["agreement"])
    assert "atop3810" in during and "atop3810" not in after
    assert "atop5055" in during and "atop5055" in after


def test_russia_and_iran_2025_treaty_is_neutrality_not_defence(real_data: Path) -> None:
    from alliancekit.obligations.engine import Obligations

    engine = Obligations()
    treaty = "russia_iran_comprehensive_strategic_partnership_2025"
    later = engine.obligations_between("RUS", "IRN", "2025-10-15").frame
    assert set(later.loc[later["agreement"] == treaty, "obligation"]) == {"neutrality",
                                                                        "consultation"}
    # Signed on 17 January 2025, in force on 2 October 2025: not yet on 1 June.
    early = engine.obligations_between("RUS", "IRN", "2025-06-01").frame
    assert treaty not in set(early["agreement"]) and "atop4968" in set(early["agreement"])
    for day in ("2025-06-01", "2025-10-15"):
        assert 365 not in set(engine.defenders_of("IRN", day).frame["state"])


def test_a_tie_without_a_pledge_shows_as_cooperation(real_data: Path) -> None:
    from alliancekit.cooperation import cooperation_records
    from alliancekit.obligations.engine import Obligations

    records = cooperation_records(["curated"])
    mnna = records[records["source_id"] == "us_major_non_nato_allies"]
    assert set(mnna["type"]) == {"designation"} and 770 in set(mnna["ccode"])
    centre = records[records["source_id"] == "baghdad_information_centre_2015"]
    assert set(centre["type"]) == {"intelligence_sharing"}
    table = Obligations().table
    assert not table["agreement"].isin(["us_major_non_nato_allies", "yemen_coalition",
                                        "baghdad_information_centre_2015"]).any()


def test_every_oic_alliance_in_force_at_the_end_of_2018_is_listed(real_data: Path) -> None:
    from alliancekit.curated.review import NOT_REVIEWED, atop_review

    review = atop_review("oic")
    assert len(review) == 164
    defence = review[review["obligations"].str.contains("defence")]
    assert len(defence) == 29 and not (defence["status"] == NOT_REVIEWED).any()
    ecowas = review.set_index("atopid").loc[3895]
    assert ecowas["status"] == "member left" and "BFO 2025-01-29" in ecowas["exits"]


def test_status_records_describe_alliances_and_members_atop_has_at_its_end(
        real_data: Path) -> None:
    from alliancekit.curated.records import load_atop_statuses
    from alliancekit.sources.atop import load_atop_members

    members = load_atop_members()
    open_ = members[members["yrexit"] == 0].groupby("atopid")["member"].apply(set)
    for atopid, status in load_atop_statuses().items():
        assert atopid in open_.index, f"{status.path}: ATOP {atopid} was not in force in 2018"
        for leaving in status.exits:
            assert leaving.state in open_[atopid], f"{status.path}: {leaving.state} not a member"
            assert leaving.exit.first_day.year >= 2019, f"{status.path}: exit before 2019"


def test_the_docs_list_is_what_the_command_prints(real_data: Path) -> None:
    from alliancekit.curated.review import atop_review, review_markdown

    page = (Path(__file__).parents[1] / "docs" / "atop-since-2018.md").read_text()
    assert page.endswith(review_markdown(atop_review("oic"))), \
        "regenerate docs/atop-since-2018.md: alliancekit records since-2018 --group oic --markdown"
