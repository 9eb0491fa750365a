"""ATOP's pledges carried past 31 December 2018, and the status records that end them.

The tiny world's ATOP has France pledging defence and consultation to Belgium (atopid 1160)
from 1831, still in force at ATOP's end. No curated agreement links to 1160 here, so the pledge
is carried on after 2018 unless a status record (``atop_status/atop1160.toml``) ends it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from alliancekit import add_atop_alliance, create_dyadyears
from alliancekit.cli import app
from alliancekit.curated.pledges import carried_dyad_years, pledge_table
from alliancekit.curated.records import check_records
from alliancekit.errors import UsageError
from alliancekit.obligations.engine import Obligations
from alliancekit.panels.frame import sources_of
from tests.records_kit import SOURCE, pact, records_dir

runner = CliRunner()


def status(text: str) -> str:
    """A status record of ATOP 1160 whose body is ``text``, sourced to ``s1``."""
    return ('atopid = 1160\nname_en = "France-Belgium guarantee"\n'
            f'evidence = "A test says so."\nsources = ["s1"]\n{text}\n\n' + SOURCE)


@pytest.fixture
def records(tmp_path: Path) -> Path:
    return records_dir(tmp_path / "records",
                       {"usa_bel": pact("usa_bel", [2, 211], [("defence", '"all"', '"all"')],
                                        signed="2010-03-01")})


def with_status(records: Path, text: str) -> Path:
    (records / "atop_status").mkdir(exist_ok=True)
    (records / "atop_status" / "atop1160.toml").write_text(status(text))
    return records


def france_to_belgium(engine: Obligations, day: str) -> pd.DataFrame:
    frame = engine.defenders_of(211, day).frame
    return frame[(frame["state"] == 220) & (frame["agreement"] == "atop1160")]


def test_france_still_defends_belgium_in_2020_marked_carried(tiny: Path, records: Path) -> None:
    engine = Obligations(("atop", "curated"), records=records)
    row = france_to_belgium(engine, "2020-01-01")
    assert len(row) == 1 and bool(row["carried"].iloc[0])
    assert "in force at ATOP's last coding, 31 December 2018" in row["explanation"].iloc[0]
    assert "no later record found" in row["explanation"].iloc[0]
    # The same pledge asked about inside ATOP's years is ATOP's own coding, not carried.
    assert not france_to_belgium(engine, "2018-06-01")["carried"].iloc[0]
    assert any("carried on" in note for note in engine.notes(pd.Timestamp("2020-01-01").date()))


def test_no_carry_forward_gives_the_cliff_back(tiny: Path, records: Path) -> None:
    engine = Obligations(("atop", "curated"), records=records, carry_forward=False)
    assert france_to_belgium(engine, "2020-01-01").empty
    assert len(france_to_belgium(engine, "2018-12-31")) == 1


def test_atop_alone_is_atop_as_published(tiny: Path, records: Path) -> None:
    table, _ = pledge_table(("atop",), records=records)
    assert not table["carried"].any()
    assert table["end"].max() == pd.Timestamp("2018-12-31")


def test_a_member_exit_ends_the_carried_pledge_on_its_day(tiny: Path, records: Path) -> None:
    with_status(records, 'status = "member_left"\n\n[[exits]]\nstate = 211\n'
                          'exit = "2020-06-30"\ncertainty = "certain"\nsources = ["s1"]\n')
    engine = Obligations(("atop", "curated"), records=records)
    assert len(france_to_belgium(engine, "2020-06-30")) == 1
    assert france_to_belgium(engine, "2020-07-01").empty
    row = france_to_belgium(engine, "2020-06-30")
    assert "carried until Belgium left on 2020-06-30" in row["explanation"].iloc[0]
    assert "A test says so." in row["explanation"].iloc[0]


def test_an_alliance_ended_before_2019_is_not_carried(tiny: Path, records: Path) -> None:
    with_status(records, 'status = "superseded"\nended = "2014-06-01"\n'
                          'superseded_by = "a partnership treaty"')
    engine = Obligations(("atop", "curated"), records=records)
    assert france_to_belgium(engine, "2019-01-01").empty
    assert len(france_to_belgium(engine, "2018-12-31")) == 1  # ATOP's coding stands


def test_a_curated_record_linked_to_the_alliance_speaks_instead(tiny: Path,
                                                                records: Path) -> None:
    linked = pact("fra_bel", [220, 211], [("consultation", '"all"', '"all"')],
                  signed="1831-11-15").replace('kind = "alliance_treaty"',
                                               'kind = "alliance_treaty"\natopid = 1160')
    (records / "agreements" / "fra_bel.toml").write_text(linked)
    engine = Obligations(("atop", "curated"), records=records)
    assert france_to_belgium(engine, "2020-01-01").empty  # the record pledges no defence


def test_panel_marks_carried_dyad_years_and_keeps_the_cliff_when_asked(
        tiny: Path, records: Path) -> None:
    panel = create_dyadyears("cow", (2017, 2021), mry=True)
    both = add_atop_alliance(panel, sources=("atop", "curated"), records=records)
    row = both.set_index(["ccode1", "ccode2", "year"])
    assert row.loc[(220, 211, 2019), "atop_defense"] == 1
    assert row.loc[(220, 211, 2019), "atop_carried"] == 1
    assert row.loc[(211, 220, 2019), "atop_alliance"] == 1  # the pair shares the alliance
    assert row.loc[(211, 220, 2019), "atop_defense"] == 0  # but Belgium owes nothing
    assert row.loc[(220, 211, 2018), "atop_carried"] == 0  # ATOP's own year
    assert pd.isna(row.loc[(2, 200, 2019), "atop_carried"])  # no source codes it
    assert "atop_carried" in sources_of(both)
    plain = add_atop_alliance(panel, sources=("atop", "curated"), records=records,
                              carry_forward=False)
    assert pd.isna(plain.set_index(["ccode1", "ccode2", "year"]).loc[(220, 211, 2019),
                                                                     "atop_defense"])
    assert "atop_carried" not in plain
    assert len(both) == len(panel) == len(plain)


def test_panel_inside_atop_years_gets_no_carried_column(tiny: Path, records: Path) -> None:
    panel = create_dyadyears("cow", (2015, 2016))
    assert "atop_carried" not in add_atop_alliance(panel, sources=("atop", "curated"),
                                                   records=records)


def test_carried_dyad_years_stop_at_the_exit_year(tiny: Path, records: Path) -> None:
    with_status(records, 'status = "member_left"\n\n[[exits]]\nstate = 211\n'
                          'exit = "2021-03"\ncertainty = "certain"\nsources = ["s1"]\n')
    years = carried_dyad_years(records=records, until=2024)
    pair = years[(years["ccode1"] == 220) & (years["ccode2"] == 211)]
    assert pair["year"].tolist() == [2019, 2020, 2021]


def test_certain_only_drops_inferred_pledges(tiny: Path, records: Path) -> None:
    text = pact("usa_bel", [2, 211], [("defence", '"all"', '"all"')], signed="2010-03-01")
    head, tail = text.rsplit('certainty = "certain"', 1)  # the obligation comes last
    (records / "agreements" / "usa_bel.toml").write_text(head + 'certainty = "inferred"' + tail)
    everything = Obligations(("curated",), records=records)
    certain = Obligations(("curated",), records=records, certainty="certain")
    assert len(everything.defenders_of(211, "2015-01-01").frame) == 1
    assert certain.defenders_of(211, "2015-01-01").frame.empty
    panel = create_dyadyears("cow", (2015, 2015))
    kept = add_atop_alliance(panel, sources=("curated",), records=records, certainty="certain")
    every = add_atop_alliance(panel, sources=("curated",), records=records)
    assert every.set_index(["ccode1", "ccode2"]).loc[(2, 211), "atop_defense"] == 1
    # With its only pledge dropped, nothing codes the pair: missing, not 0.
    assert pd.isna(kept.set_index(["ccode1", "ccode2"]).loc[(2, 211), "atop_defense"])
    with pytest.raises(UsageError, match="certainty='sure'"):
        Obligations(("curated",), records=records, certainty="sure")


def test_cli_marks_carried_rows_and_switches_off(tiny: Path, records: Path) -> None:
    args = ["obligations", "defenders", "BEL", "--on", "2020-01-01"]
    shown = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    # (the command reads the shipped records: NATO's pledges are there too)
    assert "atop1160" in shown.output and "carried" in shown.output
    off = runner.invoke(app, [*args, "--no-carry-forward"], env={"COLUMNS": "200"})
    assert off.exit_code == 0 and "atop1160" not in off.output


@pytest.mark.parametrize(("body", "message"), [
    ('status = "gone"', "status: 'gone': choose from"),
    ('status = "member_left"', "status 'member_left' needs at least one [[exits]]"),
    ('status = "ended"', "ended: missing"),
    ('status = "in_force"\nended = "2020"', "only an alliance that ended or was superseded"),
    ('status = "member_left"\n\n[[exits]]\nstate = 9999\nexit = "2020"\n'
     'certainty = "certain"\nsources = ["s1"]', "exits[0].state: unknown state 9999"),
])
def test_broken_status_records_name_file_and_field(tiny: Path, records: Path, body: str,
                                                   message: str) -> None:
    with_status(records, body)
    problems = check_records(records)
    assert len(problems) == 1 and problems[0].startswith("atop1160.toml: ")
    assert message in problems[0]


def test_a_tie_without_a_pledge_cannot_carry_one(tiny: Path, records: Path) -> None:
    text = pact("club", [2, 211], [("defence", '"all"', '"all"')]).replace(
        'kind = "alliance_treaty"', 'kind = "designation"')
    (records / "agreements" / "club.toml").write_text(text)
    problems = check_records(records)
    assert problems == ["club.toml: obligations: a designation carries no pledge: record its "
                        "ties as members only, or choose another kind"]


def test_an_arrangement_never_concluded_may_have_no_members(tiny: Path, records: Path) -> None:
    text = ('id = "force"\nname_en = "A force agreed in principle"\n'
            'kind = "cooperation_arrangement"\nsources = ["s1"]\n' + SOURCE)
    (records / "agreements" / "force.toml").write_text(text)
    assert check_records(records) == ["force.toml: members: the agreement has no members (an "
                                      "arrangement agreed in principle but never concluded "
                                      "says concluded = false)"]
    (records / "agreements" / "force.toml").write_text(
        text.replace("sources = [", "concluded = false\nsources = [", 1))
    assert check_records(records) == []
