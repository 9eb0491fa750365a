"""The conflict sources (issue 14, first part): registry entries and loaders for COW wars,
UCDP/PRIO armed conflicts and strategic rivalries, checked like every source."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from alliancekit.errors import SourceFormatError
from alliancekit.panels.frame import sources_of
from alliancekit.sources import (
    REGISTRY,
    load_cow_inter_wars,
    load_cow_intra_wars,
    load_td_rivalries,
    load_tss_rivalries,
    load_ucdp_acd,
)
from alliancekit.sources.ucdp_acd import _load as read_ucdp

UCDP_HEADER = ("conflict_id,year,gwno_a,gwno_a_2nd,gwno_b,gwno_b_2nd,incompatibility,"
               "intensity_level,type_of_conflict,start_date,start_prec,start_date2,start_prec2,"
               "ep_end,ep_end_date\n")


def test_the_four_sources_are_registered_with_citations_and_checksums() -> None:
    for name in ("cow_wars", "ucdp_acd", "rivalries"):
        source = REGISTRY[name]
        assert source.citation.startswith("@") and source.files
        assert all(len(f.sha256) == 64 for f in source.files)
        assert "alliancekit data fetch" not in source.how_to_get()  # no direct download


def test_a_bad_cell_in_ucdp_is_named_by_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "ucdp_acd.csv.gz"
    path.write_bytes(gzip.compress((
        UCDP_HEADER
        + "230,2015,678,,,670,government,1,internationalized intrastate,2009-08-11,1,"
          "2015-03-26,1,0,\n"
        + "230,1900,678,,,696,government,1,internationalized intrastate,2009-08-11,1,"
          "2015-03-26,1,0,\n").encode()))
    with pytest.raises(SourceFormatError) as bad:
        read_ucdp(path)
    assert "line 3" in str(bad.value) and "'year'" in str(bad.value)


def test_row_counts_as_the_manifest_gives_them(real_data: Path) -> None:
    assert len(load_cow_inter_wars()) == 1932
    assert len(load_cow_intra_wars()) == 1361
    assert len(load_ucdp_acd()) == 5652
    assert len(load_tss_rivalries()) == 264
    assert len(load_td_rivalries()) == 197
    assert load_ucdp_acd()["year"].between(1946, 2024).all()


def test_saudi_arabia_and_the_emirates_support_a_side_in_yemen_from_2015(
        real_data: Path) -> None:
    acd = load_ucdp_acd()
    yemen = acd[acd["conflict_id"] == 230]
    supporters = {year: set(group["gwno_b_2nd"].dropna().astype(int))
                  for year, group in yemen.groupby("year")}
    assert {670, 696} <= supporters[2015]  # coded by UCDP under side B's supporters
    assert not ({670, 696} & supporters.get(2014, set()))


def test_the_1991_gulf_war_pits_the_coalition_against_iraq(real_data: Path) -> None:
    wars = load_cow_inter_wars()
    gulf = wars[(wars["warnum"] == 211) & (wars["year"] == 1991) & (wars["ccode2"] == 645)]
    against_iraq = set(gulf["ccode1"])
    assert {2, 200, 220, 670, 651, 690} <= against_iraq
    assert (gulf["sidea1"] != gulf["sidea2"]).all()  # opposite sides


TSS = ("tssr_id,rivalry,ccode1,ccode2,start,end,positional,spatial,ideological,interventionary,"
       "principal,aprin\n"
       "7,UK-France,200,220,1790,1831,1,,1,,1,\n")
TD = ("rivalryno,rivalryname,ccode1,ccode2,styear,endyear,region,type1,type2,type3\n"
      "7,UK-France,200,220,1790,1831,European GPs,positional,,\n")


def test_strategic_rivalries_on_dyad_and_state_years(tiny: Path) -> None:
    import alliancekit as ak

    for name, text in (("tss_rivalries.csv.gz", TSS), ("td_rivalries.csv.gz", TD)):
        (tiny / "rivalries").mkdir(exist_ok=True)
        (tiny / "rivalries" / name).write_bytes(gzip.compress(text.encode()))
    dyads = ak.add_strategic_rivalries(ak.create_dyadyears("cow", directed=True,
                                                           years=(1831, 1832)))
    pair = dyads.set_index(["ccode1", "ccode2", "year"])
    assert pair.loc[(220, 200, 1831), "tssr_id"] == 7  # both directions
    assert pair.loc[(200, 220, 1831), "ongoingrivalry"] == 1
    assert pair.loc[(200, 220, 1831), "positional"] == 1
    assert pair.loc[(200, 220, 1831), "spatial"] == 0  # blank kind is 0, as in peacesciencer
    assert pair.loc[(200, 220, 1832), "ongoingrivalry"] == 0  # the rivalry ended in 1831
    assert pd.isna(pair.loc[(200, 220, 1832), "tssr_id"])
    states = ak.add_strategic_rivalries(ak.create_stateyears("cow", (1831, 1831)))
    uk = states.set_index("ccode").loc[200]
    assert (uk["n_positional"], uk["n_ideological"], uk["n_spatial"]) == (1, 1, 0)
    assert "rivalries" in sources_of(dyads)


def test_rivalries_after_2020_are_missing_not_zero(real_data: Path) -> None:
    import alliancekit as ak

    dyads = ak.add_strategic_rivalries(ak.create_dyadyears("cow", years=(2019, 2022),
                                                           mry=True))
    assert dyads.loc[dyads["year"] > 2020, "ongoingrivalry"].isna().all()
    assert dyads.loc[dyads["year"] <= 2020, "ongoingrivalry"].notna().all()
    india_pakistan = dyads[(dyads["ccode1"] == 750) & (dyads["ccode2"] == 770)
                           & (dyads["year"] == 2019)]
    assert india_pakistan["ongoingrivalry"].tolist() == [1]


INTER = ("warnum,ccode1,ccode2,year,cowinterongoing,cowinteronset,sidea1,sidea2,initiator1,"
         "initiator2,outcome1,outcome2,batdeath1,batdeath2,resume\n"
         # 200-220 in 1831: an ongoing war and a new one; the onset is kept
         "1,200,220,1831,1,0,1,2,1,0,1,2,100,100,0\n"
         "2,200,220,1831,1,1,2,1,0,1,2,1,5,5,0\n"
         # 2-200 in 1831: two onsets; the deadlier is kept, one side's deaths when the other
         # is unknown (-9)
         "3,2,200,1831,1,1,1,2,1,0,1,2,-9,700,0\n"
         "4,2,200,1831,1,1,1,2,0,1,2,1,300,300,0\n")
INTRA = ("warnum,warname,wartype,year,cowintraonset,cowintraongoing,resume_combat,"
         "primary_state,ccodea,sidea,ccodeb,sideb,intnl,outcome,sideadeaths,sidebdeaths,"
         "ongo2007\n"
         # the UK in 1831: a war going on and a new one (the onset is kept, both are listed);
         # a war in which the UK was not the primary state does not count for it
         "500,Old,local issues,1831,0,1,0,1,200,UK,-8,Rebels,0,1,900,900,0\n"
         "501,New,central control,1831,1,1,0,1,200,UK,-8,Rebels,1,2,-9,40,0\n"
         "502,Other,central control,1831,1,1,0,0,200,UK,-8,Rebels,0,1,5000,5000,0\n"
         "500,Old,local issues,1832,0,1,0,1,200,UK,-8,Rebels,0,1,900,900,0\n")


def test_cow_wars_keep_one_row_per_dyad_year_as_peacesciencer_does(tiny: Path) -> None:
    import alliancekit as ak

    (tiny / "cow_wars").mkdir(exist_ok=True)
    for name, text in (("cow_war_inter.csv.gz", INTER), ("cow_war_intra.csv.gz", INTRA)):
        (tiny / "cow_wars" / name).write_bytes(gzip.compress(text.encode()))
    dyads = ak.add_cow_wars(ak.create_dyadyears("cow", directed=True, years=(1831, 1832)))
    rows = dyads.set_index(["ccode1", "ccode2", "year"])
    onset = rows.loc[(200, 220, 1831)]
    assert (onset["cowinteronset"], onset["sidea1"], onset["batdeath1"]) == (1, 2, 5)
    deadliest = rows.loc[(2, 200, 1831)]
    assert deadliest["initiator1"] == 1 and pd.isna(deadliest["batdeath1"])  # 700 > 600
    quiet = rows.loc[(200, 220, 1832)]
    assert (quiet["cowinteronset"], quiet["cowinterongoing"]) == (0, 0)
    assert pd.isna(quiet["sidea1"])
    assert "cow_wars" in sources_of(dyads)
    with pytest.raises(Exception, match="intra-state wars on state-years"):
        ak.add_cow_wars(dyads, type="intra")


def test_intra_state_wars_on_state_years_as_peacesciencer_adds_them(tiny: Path) -> None:
    import alliancekit as ak

    (tiny / "cow_wars").mkdir(exist_ok=True)
    for name, text in (("cow_war_inter.csv.gz", INTER), ("cow_war_intra.csv.gz", INTRA)):
        (tiny / "cow_wars" / name).write_bytes(gzip.compress(text.encode()))
    states = ak.create_stateyears("cow", years=(1830, 1832))
    rows = ak.add_cow_wars(states, type="intra").set_index(["ccode", "year"])
    uk = rows.loc[(200, 1831)]
    assert (uk["warnum"], uk["cowintraonset"], uk["intnl"]) == (501, 1, 1)
    assert uk["sideadeaths"] == -9 and uk["intrawarnums"] == "500; 501"
    assert (rows.loc[(200, 1832), "warnum"], rows.loc[(200, 1832), "cowintraonset"]) == (500, 0)
    assert (rows.loc[(200, 1830), "cowintraongoing"], rows.loc[(2, 1831), "cowintraonset"]) \
        == (0, 0)
    assert pd.isna(rows.loc[(200, 1830), "warnum"])
    local = ak.add_cow_wars(states, type="intra", intratype="local issues")
    local = local.set_index(["ccode", "year"])
    assert local.loc[(200, 1831), "warnum"] == 500
    with pytest.raises(Exception, match="intratype"):
        ak.add_cow_wars(states, type="intra", intratype="colonial")


def test_the_gulf_war_on_the_dyad_year_panel(real_data: Path) -> None:
    import alliancekit as ak

    dyads = ak.add_cow_wars(ak.create_dyadyears("cow", directed=True, years=(1990, 2010)))
    rows = dyads.set_index(["ccode1", "ccode2", "year"])
    assert rows.loc[(2, 645, 1991), "cowinteronset"] == 1
    assert rows.loc[(2, 645, 1991), "initiator2"] == 1  # Iraq started the war
    assert rows.loc[(2, 645, 1990), "cowinterongoing"] == 0
    assert pd.isna(rows.loc[(2, 645, 2010), "cowinterongoing"])  # after the data's 2007
