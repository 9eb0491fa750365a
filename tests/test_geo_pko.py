"""Geo-PKO: parsing the free-text contributor lists, and the real v2.3 dashboard files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from alliancekit.errors import SourceFormatError
from alliancekit.sources import REGISTRY
from alliancekit.sources.geo_pko import (
    GEO_PKO,
    PEACEKEEPING_COLUMNS,
    Contribution,
    load_deployments,
    load_peacekeeping,
    parse_frontmap,
    parse_overview,
    parse_tccmap,
)

TCC_HEADER = "mission,year,location,latitude,longitude,No.TCC,year.overview\n"
# UNMIL 2004: Pakistan at three locations (1,200; 300; size unknown), Bangladesh at one; a
# multinational unit. UNMIH 1995: the United States written two ways, an unnamed contributor.
# UNIFIL 2010: Korea with its qualifier, CARICOM and the UN, stray spaces, an unknown state.
TCCMAP = TCC_HEADER + (
    'UNMIL,2004,Monrovia,6.3,-10.8,3,"Pakistan (1,200), Bangladesh (650),  Nepal (size unknown)"\n'
    'UNMIL,2004,Buchanan,5.9,-10.0,2,"Pakistan (300) ,Multinational (150)"\n'
    "UNMIL,2004,Zwedru,6.1,-8.1,1,Pakistan (size unknown)\n"
    'UNMIH,1995,Port-au-Prince,18.5,-72.3,2,"USA (2,400), Us (150)"\n'
    "UNMIH,1995,Cap-Haitien,19.8,-72.2,1,TCC name unknown (size unknown)\n"
    "UNIFIL,2010,Tyre,33.3,35.2,1,  Korea (ROK)  (650)\n"
    'UNIFIL,2010,Naqoura,33.1,35.1,3,"CARICOM (35), UN (size unknown), Atlantis (35)"\n'
)
FRONTMAP = (
    "mission,year,country,location,latitude,longitude,Infantry,NoTroops,Reserve,hq,UNPOL,Med,Av,"
    "UNMO,ave.no.troops\n"
    "UNMIL,2004,Liberia,Monrovia,6.3,-10.8,650,1200,0,3,1,1,0,1,1150\n"
    "MINUJUSTH,2017,Haiti,Jeremie,18.65,-74.1,0,NA,0,0,1,0,0,0,NA\n"
)
TTMAP = "mission,year,location,latitude,longitude,Infantry,eng,med,sig,av,riv,maint,trans\n"


def write_geo_pko(root: Path, tccmap: str = TCCMAP) -> Path:
    """A data directory holding the three Geo-PKO files (TCCMap as given)."""
    folder = root / "geo_pko"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "TCCMap_v2_3.csv").write_text(tccmap, encoding="utf-8")
    (folder / "FrontMap_v2_3.csv").write_text(FRONTMAP, encoding="utf-8")
    (folder / "TTMap_v2_3.csv").write_text(TTMAP, encoding="utf-8")
    return root


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loaders find their files through the registry, whether or not it lists geo_pko."""
    monkeypatch.setitem(REGISTRY, GEO_PKO.name, GEO_PKO)


@pytest.fixture
def tiny_pko(tmp_path: Path) -> pd.DataFrame:
    """The fixture TCCMap parsed."""
    return parse_tccmap(write_geo_pko(tmp_path) / "geo_pko" / "TCCMap_v2_3.csv")


def _row(frame: pd.DataFrame, mission: str, year: int, ccode: int) -> pd.Series:
    rows = frame[(frame["mission"] == mission) & (frame["year"] == year)
                 & (frame["ccode"] == ccode)]
    assert len(rows) == 1
    return rows.iloc[0]


# --- the year.overview parser ------------------------------------------------------------------

def test_a_size_with_a_thousands_comma_is_one_entry() -> None:
    assert parse_overview("Pakistan (1,200), Finland (300)") == [
        Contribution("Pakistan", 1200), Contribution("Finland", 300)]


def test_size_unknown_has_no_troops() -> None:
    assert parse_overview("Nepal (size unknown)") == [Contribution("Nepal", None)]


def test_a_qualifier_in_parentheses_stays_in_the_name() -> None:
    assert parse_overview("Korea (ROK) (150), Korea (ROK)") == [
        Contribution("Korea (ROK)", 150), Contribution("Korea (ROK)", None)]


def test_stray_spaces_and_empty_entries_are_ignored() -> None:
    assert parse_overview("  Sri   Lanka ( 950 ) ,, Ghana (about 1,100),") == [
        Contribution("Sri Lanka", 950), Contribution("Ghana", 1100)]


def test_a_name_with_no_size_has_no_troops() -> None:
    assert parse_overview("Uruguay") == [Contribution("Uruguay", None)]


@pytest.mark.parametrize("text", ["Chad (150", "Chad 150), Niger (35)", "Chad (300-400)",
                                  "Chad (12,50)", "Chad (-5)"])
def test_unbalanced_parentheses_or_an_unreadable_size_is_an_error(text: str) -> None:
    with pytest.raises(ValueError, match="Chad"):
        parse_overview(text)


# --- TCCMap to mission-year-state rows ---------------------------------------------------------

def test_pakistans_size_is_the_largest_over_its_three_unmil_locations(
        tiny_pko: pd.DataFrame) -> None:
    pakistan = _row(tiny_pko, "UNMIL", 2004, 770)
    assert (pakistan["contributor"], pakistan["troops"], pakistan["locations"]) == (
        "Pakistan", 1200, 3)


def test_a_state_only_of_size_unknown_has_missing_troops(tiny_pko: pd.DataFrame) -> None:
    nepal = _row(tiny_pko, "UNMIL", 2004, 790)
    assert pd.isna(nepal["troops"])
    assert nepal["locations"] == 1


def test_korea_rok_is_the_republic_of_korea(tiny_pko: pd.DataFrame) -> None:
    korea = _row(tiny_pko, "UNIFIL", 2010, 732)
    assert (korea["contributor"], korea["troops"]) == ("Korea (ROK)", 650)


def test_two_spellings_of_the_united_states_are_one_row(tiny_pko: pd.DataFrame) -> None:
    usa = _row(tiny_pko, "UNMIH", 1995, 2)
    assert (usa["contributor"], usa["troops"], usa["locations"]) == ("USA / Us", 2400, 1)
    assert tiny_pko.attrs["merged_spellings"] == [
        {"mission": "UNMIH", "year": 1995, "contributor": "USA / Us", "ccode": 2}]


def test_non_states_are_reported_not_rows(tiny_pko: pd.DataFrame) -> None:
    report = {r["name"]: (r["kind"], r["rows"]) for r in tiny_pko.attrs["crosswalk"]}
    assert report == {"CARICOM": ("not a state", 1), "Multinational": ("not a state", 1),
                      "TCC name unknown": ("not a state", 1), "UN": ("not a state", 1),
                      "Atlantis": ("unresolved", 1)}
    assert not tiny_pko["contributor"].isin(
        ["CARICOM", "Multinational", "TCC name unknown", "UN"]).any()


def test_an_unresolved_name_keeps_its_row_without_a_code(tiny_pko: pd.DataFrame) -> None:
    atlantis = tiny_pko[tiny_pko["contributor"] == "Atlantis"]
    assert len(atlantis) == 1
    assert pd.isna(atlantis["ccode"].iloc[0])
    assert atlantis["troops"].iloc[0] == 35


def test_the_frame_has_the_documented_columns_and_types(tiny_pko: pd.DataFrame) -> None:
    assert tuple(tiny_pko.columns) == PEACEKEEPING_COLUMNS
    assert [str(t) for t in tiny_pko.dtypes[["year", "ccode", "troops", "locations"]]] == [
        "int64", "Int64", "Int64", "int64"]
    assert len(tiny_pko) == 6  # Pakistan, Bangladesh, Nepal; USA; Korea, Atlantis


def test_load_peacekeeping_reads_the_data_directory_and_keeps_the_report(tmp_path: Path) -> None:
    loaded = load_peacekeeping(write_geo_pko(tmp_path))
    assert len(loaded) == 6
    assert {r["name"] for r in loaded.attrs["crosswalk"]} >= {"Multinational", "Atlantis"}


def test_an_unclosed_parenthesis_names_the_line_and_column(tmp_path: Path) -> None:
    bad = TCCMAP.replace("Pakistan (300) ,", "Pakistan (300 ,")
    path = write_geo_pko(tmp_path, bad) / "geo_pko" / "TCCMap_v2_3.csv"
    with pytest.raises(SourceFormatError, match="never closed") as caught:
        parse_tccmap(path)
    assert (caught.value.line, caught.value.column) == (3, "year.overview")


def test_a_list_that_disagrees_with_no_tcc_is_an_error(tmp_path: Path) -> None:
    bad = TCCMAP.replace("UNMIL,2004,Zwedru,6.1,-8.1,1,", "UNMIL,2004,Zwedru,6.1,-8.1,2,")
    path = write_geo_pko(tmp_path, bad) / "geo_pko" / "TCCMap_v2_3.csv"
    with pytest.raises(SourceFormatError, match="1 contributors listed but No.TCC is 2") as caught:
        parse_tccmap(path)
    assert caught.value.line == 4


# --- FrontMap ----------------------------------------------------------------------------------

def test_frontmap_counts_are_nullable_integers(tmp_path: Path) -> None:
    front = parse_frontmap(write_geo_pko(tmp_path) / "geo_pko" / "FrontMap_v2_3.csv")
    assert front["troops"].tolist() == [1200, pd.NA]
    assert str(front["troops"].dtype) == "Int64"
    assert front.loc[0, ["host", "infantry", "troops_average"]].tolist() == ["Liberia", 650, 1150]


# --- the real v2.3 files -----------------------------------------------------------------------

@pytest.fixture
def real_pko(real_data: Path) -> pd.DataFrame:
    """Geo-PKO v2.3 contributions from the shared data directory."""
    return load_peacekeeping(real_data)


def test_real_file_covers_34_missions_from_1994_to_2024(real_pko: pd.DataFrame) -> None:
    assert len(real_pko) == 3054
    assert real_pko["mission"].nunique() == 34
    assert (real_pko["year"].min(), real_pko["year"].max()) == (1994, 2024)
    assert not real_pko.duplicated(["mission", "year", "ccode"]).any()


def test_pakistan_and_bangladesh_served_in_unmil_unamsil_and_monusco(
        real_pko: pd.DataFrame) -> None:
    def years(ccode: int, mission: str) -> list[int]:
        rows = real_pko[(real_pko["ccode"] == ccode) & (real_pko["mission"] == mission)]
        return sorted(rows["year"])

    assert years(770, "UNMIL") == list(range(2003, 2019))
    assert years(771, "UNMIL") == list(range(2003, 2017))
    assert years(770, "UNAMSIL") == list(range(2001, 2006))
    assert years(771, "UNAMSIL") == list(range(2000, 2006))
    assert years(770, "MONUSCO") == years(771, "MONUSCO") == list(range(2010, 2025))


def test_pakistan_and_bangladesh_location_rows_match_the_manifest(real_pko: pd.DataFrame) -> None:
    # MANIFEST: Pakistan appears in 597 TCCMap rows, Bangladesh in 846.
    pakistan = real_pko[real_pko["ccode"] == 770]
    bangladesh = real_pko[real_pko["ccode"] == 771]
    assert (len(pakistan), pakistan["locations"].sum()) == (123, 597)
    assert (len(bangladesh), bangladesh["locations"].sum()) == (175, 846)


def test_real_troops_are_non_negative(real_pko: pd.DataFrame) -> None:
    assert (real_pko["troops"].dropna() >= 0).all()
    assert real_pko["troops"].notna().sum() > 0.9 * len(real_pko)


def test_every_real_contributor_has_a_code_or_is_reported(real_pko: pd.DataFrame) -> None:
    report = pd.DataFrame(real_pko.attrs["crosswalk"])
    uncoded = set(real_pko.loc[real_pko["ccode"].isna(), "contributor"])
    assert uncoded <= set(report["name"])
    assert dict(zip(report["name"], report["kind"], strict=True)) == {
        "CARICOM": "not a state", "Multinational": "not a state",
        "TCC name unknown": "not a state", "Un": "not a state"}


def test_real_frontmap_loads_typed(real_data: Path) -> None:
    front = load_deployments(real_data)
    assert len(front) == 8783
    assert front["mission"].nunique() == 52
    assert (front["troops"].dropna() >= 0).all()
    assert front["troops"].isna().sum() == 250
