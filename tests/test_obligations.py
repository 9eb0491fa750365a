"""The obligation engine on fixtures: conditions, dates to the day, names, answers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alliancekit.cli import app
from alliancekit.curated.records import curated_dir
from alliancekit.errors import UsageError
from alliancekit.obligations.engine import Obligations
from alliancekit.obligations.names import resolve_state

runner = CliRunner()

SOURCE = '''
[[source]]
id = "s1"
url = "https://example.org/pact"
published = "2020-01-01"
publisher = "Example"
supports = "Everything in this test record"
'''

# Saudi Arabia pledges to defend Pakistan only against India (750); Pakistan pledges to defend
# Saudi Arabia with no condition; Pakistan's membership ends on 30 June 2020.
CONDITIONAL = '''
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
exit = "2020-06-30"
certainty = "certain"
sources = ["s1"]

[[obligations]]
type = "defence"
pledged_by = [670]
pledged_to = [770]
text = "Saudi Arabia defends Pakistan against India"
certainty = "certain"
sources = ["s1"]

[obligations.conditions]
adversary = [750]

[[obligations]]
type = "defence"
pledged_by = [770]
pledged_to = [670]
text = "Pakistan defends Saudi Arabia"
certainty = "certain"
sources = ["s1"]
''' + SOURCE


@pytest.fixture
def records(tmp_path: Path) -> Path:
    root = tmp_path / "records"
    (root / "agreements").mkdir(parents=True)
    (root / "groups").mkdir()
    for name in ("states.csv", "non_system.csv"):
        shutil.copy(curated_dir() / name, root / name)
    (root / "agreements" / "tiny_pact.toml").write_text(CONDITIONAL)
    return root


def test_names_codes_and_ambiguity() -> None:
    assert resolve_state("SAU") == resolve_state("saudi arabia") == resolve_state(670) == 670
    assert resolve_state("GBR") == resolve_state("UKG") == resolve_state("uk") == 200
    with pytest.raises(UsageError, match="ambiguous: Austria .* Australia"):
        resolve_state("AUS")
    with pytest.raises(UsageError, match="ambiguous: .*German Democratic Republic"):
        resolve_state("german")
    with pytest.raises(UsageError, match="no state by this code or name"):
        resolve_state("Atlantis")


def test_a_pledge_against_a_named_adversary_counts_only_against_it(records: Path) -> None:
    engine = Obligations(("curated",), records=records)
    against_india = engine.defenders_of(770, "2020-03-01", attacker="IND")
    assert against_india.frame["status"].tolist() == ["applies"]
    assert "applies against India, and the attacker is India" in \
        against_india.frame["explanation"].iloc[0]
    against_china = engine.defenders_of(770, "2020-03-01", attacker="CHN")
    assert against_china.frame["status"].tolist() == ["does not apply"]
    assert against_china.defenders()["counts"].tolist() == [False]
    unknown = engine.defenders_of(770, "2020-03-01")
    assert unknown.frame["status"].tolist() == ["conditional"]


def test_a_pledge_that_ended_the_day_before_does_not_count(records: Path) -> None:
    engine = Obligations(("curated",), records=records)
    assert engine.defenders_of(670, "2020-06-30").frame["state"].tolist() == [770]
    assert engine.defenders_of(670, "2020-07-01").frame.empty
    assert engine.defenders_of(670, "2019-12-31").frame.empty


def test_atop_pledges_keep_direction_dates_and_conditions(tiny: Path) -> None:
    engine = Obligations(("atop",))
    # France -> Belgium from 15 November 1831, only against the Netherlands (statthr1 210).
    assert engine.defenders_of(211, "1831-11-14").frame.empty
    answer = engine.defenders_of(211, "1831-11-15", attacker=210)
    assert answer.frame[["state", "status"]].values.tolist() == [[220, "applies"]]
    assert engine.defenders_of(211, "1850-01-01", attacker=200).frame["status"].tolist() == [
        "does not apply"]
    # Belgium owes France nothing (asymmetric); ATOP ends on 31 December 2018.
    assert engine.defenders_of(220, "1850-01-01").frame.empty
    assert engine.defenders_of(211, "2019-01-01").frame.empty
    assert any("31 December 2018" in note
               for note in engine.defenders_of(211, "2019-01-01").notes)
    between = engine.obligations_between("UKG", "USA", "1900-01-01").frame
    assert sorted(between["obligation"]) == ["neutrality", "neutrality"]
    assert engine.obligations_between("UKG", "USA", "1903-06-01").frame.empty
    assert engine.pledges_by(220, "1900-01-01").frame["counterpart"].tolist() == [211, 211]


def test_defenders_command_prints_tables_and_json(tiny: Path) -> None:
    result = runner.invoke(app, ["obligations", "defenders", "BEL", "--on", "1900-01-01",
                                 "--attacker", "NTH", "--sources", "atop"])
    assert result.exit_code == 0, result.output
    assert "France" in result.output and "applies" in result.output
    result = runner.invoke(app, ["obligations", "defenders", "BEL", "--on", "1900-01-01",
                                 "--sources", "atop", "--json"])
    payload = json.loads(result.output)
    assert payload["defenders"][0]["state_name"] == "France"
    assert payload["pledges"][0]["conditions"][0]["status"] == "unknown"
    result = runner.invoke(app, ["obligations", "defenders", "AUS", "--on", "1900-01-01"])
    assert isinstance(result.exception, UsageError)
