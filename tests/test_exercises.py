"""MME and JME exercises: partial dates, unknown participants, codes with stray spaces."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from alliancekit.errors import SourceFormatError
from alliancekit.sources import REGISTRY
from alliancekit.sources.exercises import (
    EXERCISE_COLUMNS,
    JME,
    JME_SLOTS,
    MME,
    MME_SLOTS,
    PartialDate,
    date_from_parts,
    date_from_text,
    load_jme,
    load_mme,
    parse_jme,
    parse_mme,
)
from alliancekit.sources.registry import sha256_of

MME_FLAGS = ("CPX", "Air", "Land", "Sea", "Amphibious", "Cyber", "Warfighting", "Peacekeeping",
             "Humanitarian")
MME_HEADER = ("MMEID", "Ex_Name", "Series_Name", "Location", "lat", "lon", "StartDate", "s.year",
              "s.month", "s.day", "EndDate", "e.year", "e.month", "e.day", *MME_FLAGS,
              "FocusDescription", "AdditionalParticipantInfo", *MME_SLOTS)
JME_HEADER = ("Coder", "Timestamp", "row_id_unnamed", "Exercise Name", "Location1", "Location2",
              "Start Date", "s.year", "s.month", "s.day", "enddate", "e.year", "e.month", "e.day",
              "JME Type", "Part of the Reforger Exercise?", "Trimmed Name",
              "Institution(s) involved", "What is the purpose of the JME?",
              "Anything interesting to note about this exercise?",
              "Which state hosted the exercise?", "Source(s)", *JME_SLOTS, "AUS")
NO_FLAGS = dict.fromkeys(MME_FLAGS, "0")


def write_rows(path: Path, header: tuple[str, ...], slots: tuple[str, ...],
               rows: list[dict[str, object]]) -> Path:
    """A CSV with ``header`` (CRLF, as MME is); a row's ``participants`` fill the slots."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            cells = {k: v for k, v in row.items() if k != "participants"}
            participants = row.get("participants", [])
            assert isinstance(participants, list)
            writer.writerow({**cells, **dict(zip(slots, participants, strict=False))})
    return path


def mme_row(mme_id: str, split: tuple[str, ...], written: tuple[str, str],
            participants: list[str], **cells: str) -> dict[str, object]:
    """An MME row: ``split`` is (s.year, s.month, s.day, e.year, e.month, e.day)."""
    parts = dict(zip(("s.year", "s.month", "s.day", "e.year", "e.month", "e.day"), split,
                     strict=True))
    return {"MMEID": mme_id, "Ex_Name": f"Exercise {mme_id}", "StartDate": written[0],
            "EndDate": written[1], **parts, **NO_FLAGS, "participants": participants, **cells}


READEX = mme_row("mme87", ("1980", "1", "14", "1980", "1", "21"), ("1/14/80", "1/21/80"),
                 ["Netherlands", "United Kingdom  ", "United States", "-9"], Sea="1")
SAUDI_SKIES = mme_row("mme88", ("1980", "1", "xx", "1980", "1", "xx"),
                      ("1980-01-xx", "1980-01-xx"), ["Egypt", "United States"], Air="")
SAFE_PASS = mme_row("mme90", ("",) * 6, ("2/24/80", "1980-03-xx"),
                    ["Belgium", "Federal Republic of Germany"])
NOBODY_KNOWN = mme_row("mme91", ("2007", "5", "xx", "2007", "5", "xx"),
                       ("2007-05-xx", "2007-05-xx"), ["-9", "-9"], Ex_Name="-9")
GERMANY_TWICE = mme_row("mme92", ("1995", "xx", "xx", "", "", ""), ("", ""),
                        ["Germany", "NATO", "Atlantis", "Germany"])
SHARED_ID_1996 = mme_row("mme93", ("1996", "9", "30", "1996", "10", "11"),
                         ("9/30/96", "10/11/96"), ["Denmark", "Estonia"])
SHARED_ID_2007 = mme_row("mme93", ("2007", "5", "xx", "2007", "5", "xx"),
                         ("2007-05-xx", "2007-05-xx"), ["Turkey"])
MME_WORLD = [READEX, SAUDI_SKIES, SAFE_PASS, NOBODY_KNOWN, GERMANY_TWICE, SHARED_ID_1996,
             SHARED_ID_2007]


@pytest.fixture
def mme(tmp_path: Path) -> pd.DataFrame:
    return parse_mme(write_rows(tmp_path / "mme" / "mme_v7.csv", MME_HEADER, MME_SLOTS,
                                MME_WORLD))


def one(frame: pd.DataFrame, exercise_id: str) -> pd.DataFrame:
    return frame[frame["exercise_id"] == exercise_id]


# Partial dates -------------------------------------------------------------------------------

def test_an_xx_day_means_any_day_of_the_month() -> None:
    found, problem = date_from_parts("1980", "2", "xx")
    assert problem is None and found == PartialDate(1980, 2)
    assert found.precision == "month"
    assert (found.first_day(), found.last_day()) == (date(1980, 2, 1), date(1980, 2, 29))


def test_an_unknown_month_means_any_day_of_the_year() -> None:
    found, _ = date_from_parts("1990", "xx", "xx")
    assert found is not None and found.precision == "year"
    assert (found.first_day(), found.last_day()) == (date(1990, 1, 1), date(1990, 12, 31))


def test_the_mixed_written_formats_mean_the_same_day() -> None:
    written = ["1/14/80", "01/14/1980", "1980-01-14", "1980-01-14 00:00:00"]
    assert {date_from_text(w) for w in written} == {(PartialDate(1980, 1, 14), None)}
    assert date_from_text("7/7/05") == (PartialDate(2005, 7, 7), None)
    assert date_from_text("11/xx/1974") == (PartialDate(1974, 11), None)


@pytest.mark.parametrize("written", ["", "-9", None, float("nan"), "xx/xx/xxxx"])
def test_a_missing_date_is_none_and_no_problem(written: object) -> None:
    assert date_from_text(written) == (None, None)


def test_an_impossible_day_keeps_the_month_and_says_why() -> None:
    assert date_from_parts("1985", "2", "30") == (PartialDate(1985, 2),
                                                  "day '30' is outside 1..28")
    assert date_from_text("11/xx2002")[0] is None


# MME -----------------------------------------------------------------------------------------

def test_mme_has_the_documented_columns_and_every_exercise(mme: pd.DataFrame) -> None:
    assert tuple(mme.columns) == EXERCISE_COLUMNS
    assert mme["exercise_id"].nunique() == len(MME_WORLD)
    assert str(mme["start"].dtype) == "datetime64[s]"
    assert str(mme["ccode"].dtype) == "Int64" and str(mme["cpx"].dtype) == "Int8"


def test_readex_day_dates_and_minus_nine_is_counted_not_a_row(mme: pd.DataFrame) -> None:
    readex = one(mme, "mme87")
    assert readex["participant"].tolist() == ["Netherlands", "United Kingdom", "United States"]
    assert readex["ccode"].tolist() == [210, 200, 2]
    assert set(readex["unknown_participants"]) == {1}
    first = readex.iloc[0]
    assert (first["start"], first["end"]) == (pd.Timestamp("1980-01-14"),
                                              pd.Timestamp("1980-01-21"))
    assert (first["start_precision"], first["end_precision"], first["year"]) == ("day", "day",
                                                                                 1980)
    assert (first["sea"], first["air"]) == (1, 0)


def test_saudi_skies_xx_days_span_the_month_and_a_blank_flag_is_missing(
        mme: pd.DataFrame) -> None:
    skies = one(mme, "mme88").iloc[0]
    assert (skies["start"], skies["end"]) == (pd.Timestamp("1980-01-01"),
                                              pd.Timestamp("1980-01-31"))
    assert skies["start_precision"] == "month"
    assert pd.isna(skies["air"]) and skies["land"] == 0


def test_safe_pass_is_dated_from_the_written_dates_when_the_split_cells_are_blank(
        mme: pd.DataFrame) -> None:
    safe_pass = one(mme, "mme90")
    first = safe_pass.iloc[0]
    assert (first["start"], first["start_precision"]) == (pd.Timestamp("1980-02-24"), "day")
    assert (first["end"], first["end_precision"]) == (pd.Timestamp("1980-03-31"), "month")
    assert safe_pass["ccode"].tolist() == [211, 260]  # the Federal Republic in 1980


def test_an_exercise_of_unknown_participants_keeps_one_row_without_a_participant(
        mme: pd.DataFrame) -> None:
    nobody = one(mme, "mme91")
    assert len(nobody) == 1
    assert pd.isna(nobody["participant"].iat[0]) and pd.isna(nobody["ccode"].iat[0])
    assert nobody["unknown_participants"].iat[0] == 2
    assert pd.isna(nobody["name"].iat[0])
    assert mme.attrs["no_named_participants"] == 1


def test_names_that_are_no_state_keep_their_rows_and_are_reported(mme: pd.DataFrame) -> None:
    listed = one(mme, "mme92")
    assert listed["participant"].tolist() == ["Germany", "NATO", "Atlantis"]
    assert listed["ccode"].iat[0] == 255 and listed["ccode"].isna().sum() == 2
    assert pd.isna(listed["end"].iat[0]) and pd.isna(listed["end_precision"].iat[0])
    kinds = {r["name"]: r["kind"] for r in mme.attrs["crosswalk"]}
    assert kinds == {"NATO": "not a state", "Atlantis": "unresolved"}
    assert mme.attrs["duplicate_participants"] == [{"exercise_id": "mme92",
                                                    "participant": "Germany"}]


def test_an_mmeid_given_to_two_exercises_is_numbered(mme: pd.DataFrame) -> None:
    assert set(mme["exercise_id"]) >= {"mme93-1", "mme93-2"}
    assert "mme93" not in set(mme["exercise_id"])
    assert mme.attrs["duplicate_ids"] == ["mme93"]
    assert one(mme, "mme93-2")["ccode"].tolist() == [640]


def test_every_unmapped_participant_row_is_in_the_report(mme: pd.DataFrame) -> None:
    unmapped = mme[mme["ccode"].isna() & mme["participant"].notna()]
    assert set(unmapped["participant"]) <= {r["name"] for r in mme.attrs["crosswalk"]}


def test_a_day_that_is_not_a_number_stops_mme_with_line_and_column(tmp_path: Path) -> None:
    bad = mme_row("mme94", ("1980", "1", "1x", "1980", "1", "2"), ("", ""), ["Egypt"])
    path = write_rows(tmp_path / "mme.csv", MME_HEADER, MME_SLOTS, [READEX, bad])
    with pytest.raises(SourceFormatError) as caught:
        parse_mme(path)
    assert (caught.value.line, caught.value.column) == (3, "s.year/s.month/s.day")
    assert "'1x' is neither a number nor xx" in str(caught.value)


def test_a_type_flag_of_two_stops_mme(tmp_path: Path) -> None:
    bad = mme_row("mme95", ("1980", "1", "1", "1980", "1", "2"), ("", ""), ["Egypt"], Land="2")
    path = write_rows(tmp_path / "mme.csv", MME_HEADER, MME_SLOTS, [bad])
    with pytest.raises(SourceFormatError, match=r"line 2, column 'Land'"):
        parse_mme(path)


def test_load_mme_reads_the_registered_file_and_returns_a_copy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(REGISTRY, MME.name, MME)
    write_rows(tmp_path / "mme" / "mme_v7.csv", MME_HEADER, MME_SLOTS, MME_WORLD)
    first = load_mme(data_dir=tmp_path)
    first.loc[:, "ccode"] = pd.NA
    assert load_mme(data_dir=tmp_path)["ccode"].notna().any()


# JME -----------------------------------------------------------------------------------------

def jme_row(name: str, start: tuple[str, str, str, str], end: tuple[str, str, str, str],
            kind: str, participants: list[str]) -> dict[str, object]:
    """A JME row; ``start`` and ``end`` are (written, year, month, day)."""
    cells = dict(zip(("Start Date", "s.year", "s.month", "s.day"), start, strict=True))
    cells |= dict(zip(("enddate", "e.year", "e.month", "e.day"), end, strict=True))
    return {"Coder": "Eli", "Exercise Name": name, "JME Type": kind, **cells,
            "participants": participants}


MIDLINK = jme_row("Midlink 74", ("11/xx/1974", "1974", "11", "xx"),
                  ("11/30/1974", "1974", "11", "30"), "FTX", ["USA", "TUR", "PAK", "GBR "])
WEST_GERMAN = jme_row("Bold Guard 85", ("9/2/1985", "1985", "9", "2"),
                      ("9/26/1985", "1985", "9", "126"), "Both CPX & FTX",
                      [" uSA", "DEU", "AUS", "BEL "])
UNITED_GERMAN = jme_row("-9", ("5/1/1995", "1995", "5", "1"), ("-9", "-9", "-9", "-9"),
                        "cpx", ["DEU", "8 NATO members", "-9"])
ALBATROSS = jme_row("Albatros Ausindo", ("04/10/2005", "", "", ""), ("04/16/2005", "", "", ""),
                    "Unsure", ["AUS", "IDN"])
DUGONG = jme_row("Dugong 02", ("11/xx2002", "", "", ""), ("11/xx/2002", "", "", ""), "",
                 ["USA", "AUS"])
JME_WORLD = [MIDLINK, WEST_GERMAN, UNITED_GERMAN, ALBATROSS, DUGONG]


@pytest.fixture
def jme(tmp_path: Path) -> pd.DataFrame:
    return parse_jme(write_rows(tmp_path / "jme.csv", JME_HEADER, JME_SLOTS, JME_WORLD))


def test_jme_codes_with_stray_spaces_and_odd_case_resolve(jme: pd.DataFrame) -> None:
    assert one(jme, "jme1")["ccode"].tolist() == [2, 640, 770, 200]
    assert one(jme, "jme1")["participant"].tolist() == ["USA", "TUR", "PAK", "GBR"]
    # DEU is the Federal Republic before 1991; AUS is ISO Australia, not COW Austria.
    assert one(jme, "jme2")["ccode"].tolist() == [2, 260, 900, 211]
    assert one(jme, "jme3")["ccode"].iat[0] == 255


def test_jme_free_text_is_reported_not_guessed(jme: pd.DataFrame) -> None:
    united = one(jme, "jme3")
    assert united["participant"].tolist() == ["DEU", "8 NATO members"]
    assert pd.isna(united["ccode"].iat[1]) and set(united["unknown_participants"]) == {1}
    assert [(r["name"], r["kind"]) for r in jme.attrs["crosswalk"]] == [
        ("8 NATO members", "unresolved")]


def test_jme_blank_split_dates_use_the_written_date_and_are_counted(jme: pd.DataFrame) -> None:
    albatross = one(jme, "jme4").iloc[0]
    assert (albatross["start"], albatross["end"], albatross["year"]) == (
        pd.Timestamp("2005-04-10"), pd.Timestamp("2005-04-16"), 2005)
    assert jme.attrs["undated"] == 2 and jme.attrs["dated_from_text"] == 1
    dugong = one(jme, "jme5").iloc[0]
    assert pd.isna(dugong["year"]) and pd.isna(dugong["start"])
    assert dugong["end"] == pd.Timestamp("2002-11-30")


def test_jme_cells_that_are_not_dates_are_reported_and_lower_the_precision(
        jme: pd.DataFrame) -> None:
    west = one(jme, "jme2").iloc[0]
    assert (west["end"], west["end_precision"]) == (pd.Timestamp("1985-09-30"), "month")
    assert [(p["exercise_id"], p["column"]) for p in jme.attrs["date_problems"]] == [
        ("jme5", "Start Date"), ("jme2", "e.year/e.month/e.day")]


def test_jme_cpx_comes_from_the_type_and_other_flags_are_missing(jme: pd.DataFrame) -> None:
    first = jme.drop_duplicates("exercise_id")
    assert first["cpx"].tolist() == [0, 1, 1, pd.NA, pd.NA]
    assert first["sea"].isna().all() and str(first["sea"].dtype) == "Int8"
    assert pd.isna(one(jme, "jme3")["name"].iat[0])


def test_an_unknown_jme_type_stops_with_line_and_column(tmp_path: Path) -> None:
    odd = jme_row("Odd", ("1/1/1990", "1990", "1", "1"), ("", "", "", ""), "naval", ["USA"])
    path = write_rows(tmp_path / "jme.csv", JME_HEADER, JME_SLOTS, [MIDLINK, odd])
    with pytest.raises(SourceFormatError, match=r"line 3, column 'JME Type'.*'naval'"):
        parse_jme(path)


# Real data -----------------------------------------------------------------------------------

@pytest.fixture
def registered(real_data: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for source in (MME, JME):
        monkeypatch.setitem(REGISTRY, source.name, source)
    return real_data


def test_the_real_files_match_their_pinned_checksums(registered: Path) -> None:
    for source in (MME, JME):
        for file in source.files:
            assert sha256_of(registered / file.path) == file.sha256, file.path


def test_all_3707_mme_exercises_load(registered: Path) -> None:
    frame = load_mme()
    rows_in_file = len(pd.read_csv(registered / "mme" / "mme_v7.csv", dtype=str))
    assert frame["exercise_id"].nunique() == rows_in_file == 3707
    assert frame.attrs["duplicate_ids"] == ["mme3457", "mme3458", "mme3460"]
    assert frame.drop_duplicates("exercise_id")["unknown_participants"].sum() == 208
    assert frame.attrs["no_named_participants"] == 91
    assert len(frame) == 13751 and frame["year"].between(1980, 2010).all()


def test_every_real_mme_participant_row_has_a_code_or_is_reported(registered: Path) -> None:
    frame = load_mme()
    unmapped = frame[frame["ccode"].isna() & frame["participant"].notna()]
    assert set(unmapped["participant"]) <= {r["name"] for r in frame.attrs["crosswalk"]}
    assert not [r for r in frame.attrs["crosswalk"] if r["kind"] == "unresolved"]
    assert len(unmapped) == 8


def test_pakistan_takes_part_in_mme_exercises(registered: Path) -> None:
    frame = load_mme()
    assert frame.loc[frame["ccode"] == 770, "exercise_id"].nunique() == 62


def test_mme_germany_is_the_federal_republic_until_1990(registered: Path) -> None:
    frame = load_mme()
    german = frame[frame["ccode"].isin([255, 260])]
    assert (german.loc[german["ccode"] == 260, "year"] <= 1990).all()
    assert (german.loc[german["ccode"] == 255, "year"] >= 1991).all()


def test_jme_loads_with_its_counts(registered: Path) -> None:
    frame = load_jme()
    assert frame["exercise_id"].nunique() == 1790 and len(frame) == 6335
    assert frame.attrs["undated"] == 310 and frame.attrs["dated_from_text"] == 302
    assert frame.drop_duplicates("exercise_id")["year"].isna().sum() == 8
    kinds = {r["name"]: r["kind"] for r in frame.attrs["crosswalk"]}
    assert kinds == {"8 NATO members": "unresolved", "BMU": "not a state",
                     "NATO": "not a state"}
    unmapped = frame[frame["ccode"].isna() & frame["participant"].notna()]
    assert set(unmapped["participant"]) <= set(kinds)
    assert frame.loc[frame["participant"] == "AUS", "ccode"].eq(900).all()
