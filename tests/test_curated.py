"""Curated records: the validator, groups on a date, pledges from the records alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import alliancekit as ak
from alliancekit.cli import app
from alliancekit.curated.query import group_members, pledges_on
from alliancekit.curated.records import check_records, load_agreements, load_groups
from alliancekit.locations import curated_dir

runner = CliRunner()

GOOD = '''
id = "tiny_pact"
name_en = "Tiny Pact"
kind = "alliance_treaty"
signed = "2020-01-01"
sources = ["s1"]

[[members]]
state = 670
entry = "2020-01-01"
certainty = "certain"
sources = ["s1"]

[[members]]
state = 770
entry = "2020-01-01"
certainty = "certain"
sources = ["s1"]

[[obligations]]
type = "defence"
pledged_by = [670]
pledged_to = [770]
text = "Saudi Arabia defends Pakistan"
certainty = "certain"
sources = ["s1"]

[[source]]
id = "s1"
url = "https://example.org/tiny"
published = "2020-01-01"
publisher = "Example"
supports = "Everything in this test record"
'''


def records_dir(tmp_path: Path, text: str) -> Path:
    root = tmp_path / "curated"
    shutil.copytree(curated_dir(), root)
    (root / "agreements" / "tiny_pact.toml").write_text(text)
    return root


def test_the_shipped_records_pass_the_check() -> None:
    assert check_records() == []
    result = runner.invoke(app, ["data", "check"])
    assert result.exit_code == 0 and result.output.startswith("ok: ")


def test_a_valid_record_loads_with_its_one_way_pledge(tmp_path: Path) -> None:
    root = records_dir(tmp_path, GOOD)
    assert check_records(root) == []
    [tiny] = [a for a in load_agreements(root) if a.id == "tiny_pact"]
    pledges = pledges_on("2021-01-01", [tiny])
    assert pledges[["ccode1", "ccode2"]].values.tolist() == [[670, 770]]


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (GOOD.replace("state = 770", "state = 7777"),
         "tiny_pact.toml: members[1].state: unknown state 7777"),
        (GOOD.replace('entry = "2020-01-01"\ncertainty = "certain"\nsources = ["s1"]\n\n'
                      '[[obligations]]', 'entry = "2020-01-01"\nexit = "2019-05-01"\n'
                      'certainty = "certain"\nsources = ["s1"]\n\n[[obligations]]'),
         "tiny_pact.toml: members[1].exit: exit 2019-05-01 comes before entry 2020-01-01"),
        (GOOD.replace('state = 770\nentry = "2020-01-01"\ncertainty = "certain"\nsources = ["s1"]',
                      'state = 770\nentry = "2020-01-01"\ncertainty = "certain"\nsources = []'),
         "tiny_pact.toml: members[1].sources: no source"),
        (GOOD.replace('sources = ["s1"]\n\n[[members]]', 'sources = ["s9"]\n\n[[members]]', 1),
         "tiny_pact.toml: sources: source 's9' is not in this file's [[source]] list"),
        (GOOD.replace('signed = "2020-01-01"', 'signed = "2020-02-30"'),
         "tiny_pact.toml: signed: '2020-02-30' is not a calendar date"),
    ],
    ids=["unknown_state_code", "exit_before_entry", "missing_source", "unlisted_source",
         "impossible_date"],
)
def test_each_broken_record_gives_one_clear_error(tmp_path: Path, broken: str,
                                                  expected: str) -> None:
    root = records_dir(tmp_path, broken)
    problems = check_records(root)
    assert len(problems) == 1 and problems[0].startswith(expected)
    result = runner.invoke(app, ["data", "check", "--dir", str(root)])
    assert result.exit_code != 0
    assert isinstance(result.exception, ak.AlliancekitError)


def test_pakistan_and_saudi_arabia_pledge_to_defend_each_other_on_1_october_2025() -> None:
    pledges = pledges_on("2025-10-01")
    defence = pledges[pledges["obligation"] == "defence"]
    pairs = set(zip(defence["ccode1"], defence["ccode2"], strict=True))
    assert (770, 670) in pairs and (670, 770) in pairs
    smda = defence[defence["agreement"] == "saudi_pakistan_smda"]
    assert len(smda) == 2


def test_no_smda_pledge_the_day_before_signature() -> None:
    pledges = pledges_on("2025-09-16")
    assert not (pledges["agreement"] == "saudi_pakistan_smda").any()


def test_imctc_on_its_founding_day_has_the_34_states_of_the_founding_statement() -> None:
    members = group_members("imctc", "2015-12-15")
    assert len(members) == 34
    assert {670, 770, 640, 651, "PSE", 694} <= set(members["state"])
    assert 698 not in set(members["state"])  # Oman joined in December 2016
    assert len(group_members("imctc", "2017-06-01")) == 35
    palestine = members[members["state"] == "PSE"].iloc[0]
    assert not palestine["in_system"]


def test_group_membership_follows_suspensions() -> None:
    def syria_in(group: str, day: str) -> bool:
        return 652 in set(group_members(group, day)["state"])

    assert syria_in("arab_league", "2011-11-15") and not syria_in("arab_league", "2015-01-01")
    assert syria_in("arab_league", "2023-06-01")
    assert not syria_in("oic", "2020-01-01") and syria_in("oic", "2025-04-01")
    assert len(group_members("gcc", "2020-01-01")) == 6


def test_groups_show_prints_json() -> None:
    result = runner.invoke(app, ["groups", "show", "imctc", "--on", "2017-06-01", "--json"])
    assert result.exit_code == 0
    assert '"count": 35' in result.output


def test_every_record_and_fact_has_a_source() -> None:
    for record in [*load_agreements(), *load_groups().values()]:
        assert record.sources and record.fact_sources, record.id
        known = {s.id for s in record.sources}
        assert all(s.url.startswith("http") for s in record.sources)
        for spell in record.members:
            assert spell.sources and set(spell.sources) <= known, (record.id, spell.state)
        for obligation in record.obligations:
            assert obligation.sources and set(obligation.sources) <= known


def test_members_exist_in_the_state_system_when_used(real_data: Path) -> None:
    """Each member is a COW system member on its entry day (or on 31 Dec 2016 for later
    entries), or a declared non-system member."""
    from alliancekit.sources import load_cow_states

    spells = load_cow_states()
    end_of_data = pd.Timestamp(2016, 12, 31)
    problems = []
    for record in [*load_agreements(), *load_groups().values()]:
        for spell in record.members:
            if isinstance(spell.state, str):
                continue
            # A membership may start before COW counts the state as a system member (the Arab
            # League's Transjordan, 1945; COW from 1946): panels use it from system entry on.
            # It must overlap the state's system membership somewhere, or start after 2016
            # while the state was a member at the end of the data.
            first = pd.Timestamp(min(spell.entry.last_day, end_of_data.date()))
            last = pd.Timestamp(spell.exit.first_day) if spell.exit else end_of_data
            state = spells[spells["ccode"] == spell.state]
            covered = ((state["start"] <= max(last, first)) & (state["end"] >= first)).any()
            if not covered:
                problems.append((record.id, spell.state, str(spell.entry)))
    assert problems == []


def test_every_record_file_is_in_the_canonical_form_the_ledger_writes() -> None:
    import tomllib

    from alliancekit.curated.records import known_states
    from alliancekit.curated.writer import leading_comment, record_toml, state_labels
    from alliancekit.locations import curated_dir

    names = {k: v.name for k, v in known_states().items()}
    files = sorted(curated_dir().glob("*/*.toml"))
    assert len(files) > 90
    for path in files:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
        written = record_toml(data, comment=leading_comment(text), labels=state_labels(text),
                              names=names)
        assert written == text, f"{path.name} is not in canonical form"


def test_the_writer_round_trips_awkward_strings() -> None:
    import tomllib

    from alliancekit.curated.writer import record_toml

    data = {"id": "x", "weird key": 1, "a.b": "dotted", "ключ": "unicode",
            "notes": 'A "quoted" word, a back\\slash, a\nnew line, a tab\t, two  '
                                 "spaces " + "and a long tail of words " * 8 + "é ش",
            "gaps": ["short", "y" * 120],
            "members": [{"state": 2, "entry": "1950", "sources": ["s1"]}],
            "obligations": [{"type": "defence", "pledged_by": [2], "pledged_to": "all",
                             "conditions": {"location": "Europe", "adversary": [365]}}]}
    text = record_toml(data, comment="Line one\nLine two", names={2: "United States"})
    assert tomllib.loads(text) == data
    assert text.startswith("# Line one\n# Line two\nid = ")
    assert "state = 2  # United States" in text
    assert all(len(line) <= 100 for line in text.splitlines() if not line.startswith("  \""))
