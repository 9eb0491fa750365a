"""The obligation engine on fixtures: conditions, dates to the day, names, answers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alliancekit.cli import app
from alliancekit.errors import UsageError
from alliancekit.names import resolve_state
from alliancekit.obligations.engine import Obligations
from tests.records_kit import SOURCE, pact, records_dir

runner = CliRunner()

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
    return records_dir(tmp_path / "records", {"tiny_pact": CONDITIONAL})


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
    # ATOP's threat states do not exclude other attackers: unknown, not "not met".
    other = engine.defenders_of(211, "1850-01-01", attacker=200).frame
    assert other["status"].tolist() == ["conditional"]
    assert "ATOP names Netherlands as the alliance's threat" in other["explanation"].iloc[0]
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


@pytest.fixture
def crisis(records: Path) -> Path:
    """The United Kingdom (200) attacks Belgium (211). France (220) pledged to defend Belgium
    but has a non-aggression pact with the UK; the USA (2) pledged neutrality to the UK; Spain
    (230) pledged to join a UK offensive; Portugal (235) pledged to defend the UK."""
    (records / "agreements" / "tiny_pact.toml").unlink()
    pacts = {
        "fra_bel": pact("fra_bel", [220, 211], [("defence", [220], [211])]),
        "fra_ukg": pact("fra_ukg", [220, 200], [("non_aggression", [220], [200])]),
        "usa_ukg": pact("usa_ukg", [2, 200], [("neutrality", [2], [200])]),
        "spn_ukg": pact("spn_ukg", [230, 200], [("offence", [230], [200])]),
        "por_ukg": pact("por_ukg", [235, 200], [("defence", [235], [200])]),
    }
    for name, text in pacts.items():
        (records / "agreements" / f"{name}.toml").write_text(text)
    return records


def test_scenario_sides_neutrality_and_cross_pressure(crisis: Path) -> None:
    from alliancekit.obligations.scenario import Scenario, assess

    engine = Obligations(("curated",), records=crisis)
    plan = Scenario.from_mapping({"attackers": ["UKG"], "targets": ["Belgium"],
                                  "on": "2021-01-01"})
    roles = assess(engine, plan).states.set_index("state")["role"].to_dict()
    assert roles == {200: "attacker", 211: "target", 220: "cross-pressured", 2: "neutral",
                     230: "joins attacker"}


def test_simulation_is_reproducible_and_cascades(crisis: Path, tmp_path: Path) -> None:
    from alliancekit.obligations.scenario import Scenario
    from alliancekit.obligations.simulation import cascade_path, simulate

    engine = Obligations(("curated",), records=crisis)
    plan = Scenario.from_mapping({"attackers": [200], "targets": [211], "on": "2021-01-01"})
    first = simulate(engine, plan, draws=4000, seed=7)
    again = simulate(engine, plan, draws=4000, seed=7)
    other = simulate(engine, plan, draws=4000, seed=8)
    assert first.joins.equals(again.joins)
    assert not first.joins.equals(other.joins)
    p = first.joins.set_index("state")
    assert p.loc[220, "p_target_side"] == pytest.approx(0.745, abs=0.03)
    assert p.loc[230, "p_attacker_side"] == pytest.approx(0.745, abs=0.03)
    # Without a cascade Portugal's pledge to defend the attacker never triggers.
    assert 235 not in p.index
    # With it, France's entry attacks the UK, so Portugal may defend it: 0.745 * 0.745.
    chained = simulate(engine, plan, draws=4000, seed=7, cascade=True).joins.set_index("state")
    assert chained.loc[235, "p_attacker_side"] == pytest.approx(0.745**2, abs=0.03)
    path = cascade_path(engine, plan)
    assert path[["round", "state", "side"]].values.tolist() == [
        [1, 220, "target"], [1, 230, "attacker"], [2, 235, "attacker"]]
    assert "Portugal pledged defence to United Kingdom" in path["why"].iloc[2]
    scenario = tmp_path / "crisis.yaml"
    scenario.write_text("attackers: [UKG]\ntargets: [BEL]\non: 2021-01-01\n")
    result = runner.invoke(app, ["simulate", str(scenario), "--draws", "500", "--seed", "3",
                                 "--sources", "curated", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["scenario"] == "United Kingdom attacks Belgium on 2021-01-01"
    assert payload["simulation"]["assumptions"][0] == "500 draws, seed 3 (numpy PCG64)"


def test_bad_scenarios_name_the_field(tmp_path: Path) -> None:
    from alliancekit.obligations.scenario import Scenario

    broken = tmp_path / "broken.yaml"
    broken.write_text("attackers: [UKG]\non: 2021-01-01\n")
    with pytest.raises(UsageError, match="broken.yaml: missing targets"):
        Scenario.from_file(broken)
    broken.write_text("attackers: [UKG]\ntargets: [Atlantis]\non: 2021-01-01\n")
    with pytest.raises(UsageError, match="targets 'Atlantis': no state"):
        Scenario.from_file(broken)
    broken.write_text("attackers: [UKG\n")
    with pytest.raises(UsageError, match="not valid YAML"):
        Scenario.from_file(broken)
