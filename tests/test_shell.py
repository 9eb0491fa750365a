"""The command line as a user meets it: --format, piped tables, --version, arguments checked
before loading, names true to their day, example scenarios, network panels on stdout, the
port check and the forked server."""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import json
import os
import socket
import time
import urllib.request
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from alliancekit.cli import app
from alliancekit.cli._output import human, plural
from alliancekit.cli.serve import check_port
from alliancekit.errors import UsageError
from alliancekit.names import name_periods, state_name
from alliancekit.obligations.scenario import Scenario
from tests.conftest import NO_REAL_DATA, real_data_dir, running_server

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()
needs_data = pytest.mark.skipif(real_data_dir() is None, reason=NO_REAL_DATA)


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == "alliancekit 0.1.0"


def test_format_json_parses() -> None:
    result = runner.invoke(app, ["obligations", "defenders", "SAU", "--on", "2025-10-01",
                                 "--sources", "curated", "--format", "json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert "saudi_pakistan_smda" in {p["agreement"] for p in answer["pledges"]}
    assert {"state", "counts", "status"} <= set(answer["defenders"][0])
    assert all(p["end"] is None or len(p["end"]) == 10 for p in answer["pledges"])


def test_piped_output_is_csv_by_default_with_notes_on_stderr() -> None:
    result = runner.invoke(app, ["obligations", "defenders", "SAU", "--on", "2025-10-01",
                                 "--sources", "curated"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and rows[0]["state_name"] and "pledged defence" in rows[0]["explanation"]
    assert "Who is pledged to defend Saudi Arabia" in result.stderr


def test_a_piped_table_is_not_cut() -> None:
    result = runner.invoke(app, ["obligations", "defenders", "SAU", "--on", "2025-10-01",
                                 "--sources", "curated", "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "arab_league_joint_defence_treaty" in result.stdout
    assert "Saudi Arabia (670)" in result.stdout
    assert "…" not in result.stdout
    assert "states count as defenders" in result.stdout  # distinct states are counted


def test_a_bad_day_or_state_is_refused_before_anything_loads(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the pledges were loaded before the arguments were checked")

    monkeypatch.setattr("alliancekit.curated.pledges.pledge_index", never)
    bad_day = runner.invoke(app, ["obligations", "defenders", "SAU", "--on", "2025-13-01"])
    assert isinstance(bad_day.exception, UsageError), bad_day.exception
    assert "2025-13-01" in str(bad_day.exception)
    ambiguous = runner.invoke(app, ["obligations", "defenders", "AUS", "--on", "2020-01-01"])
    assert isinstance(ambiguous.exception, UsageError)
    assert "ambiguous" in str(ambiguous.exception)
    unknown = runner.invoke(app, ["obligations", "between", "SAU", "Atlantis",
                                  "--on", "2020-01-01"])
    assert isinstance(unknown.exception, UsageError)


def test_a_bad_format_is_named() -> None:
    result = runner.invoke(app, ["obligations", "defenders", "SAU", "--on", "2025-10-01",
                                 "--format", "xml"])
    assert isinstance(result.exception, UsageError)
    assert "--format 'xml'" in str(result.exception)


def test_numbers_and_plurals_for_people() -> None:
    assert plural(1, "partner") == "1 partner"
    assert plural(2, "partner") == "2 partners"
    assert plural(1204, "dyad-year") == "1,204 dyad-years"
    assert human(float("nan")) == human(None) == "NA"
    assert human(126473.25) == "126,473"
    assert human(0.0163612) == "0.01636"
    assert human(True) == "yes"
    assert human({"mean": 0.5}) == "mean: 0.5"


def test_names_are_true_to_their_day() -> None:
    assert state_name(345, datetime.date(1914, 7, 28)) == "Serbia"
    assert state_name(345, datetime.date(1950, 1, 1)) == "Yugoslavia"
    assert state_name(345) == "Serbia"
    assert state_name(365, datetime.date(1960, 1, 1)) == "Soviet Union"
    assert state_name(365, datetime.date(1991, 12, 26)) == "Russia"
    assert state_name(640, datetime.date(1914, 7, 28)) == "Ottoman Empire"
    assert state_name(670, datetime.date(1950, 1, 1)) == "Saudi Arabia"
    plan = Scenario.from_file(ROOT / "examples" / "scenarios" / "july1914.yaml")
    assert plan.describe() == "Austria-Hungary attacks Serbia on 1914-07-28 in Balkans"


def test_dated_names_neither_overlap_nor_leave_gaps() -> None:
    for code, periods in name_periods().items():
        for (_, last, _), (first, _, _) in itertools.pairwise(periods):
            assert last is not None, code
            assert first == last + datetime.timedelta(days=1), code


@pytest.mark.parametrize("path", sorted((ROOT / "examples" / "scenarios").glob("*.yaml")),
                         ids=lambda p: p.name)
def test_example_scenarios_run_on_the_curated_records(path: Path) -> None:
    result = runner.invoke(app, ["simulate", str(path), "--draws", "200", "--sources",
                                 "curated", "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    plan = Scenario.from_file(path)
    assert payload["scenario"] == plan.describe()
    assert str(plan.on) in payload["scenario"]
    assert "joins" in payload["simulation"]


@needs_data
def test_simulate_says_missing_spending_is_missing_not_zero() -> None:
    result = runner.invoke(app, ["simulate", str(ROOT / "examples/scenarios/july1914.yaml"),
                                 "--draws", "200", "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    certain = payload["capabilities"]["certain"]
    assert certain["attacker_side_milex_usd2022_m"] is None  # SIPRI starts in 1949
    assert certain["attacker_side"] > 0
    assert "Serbia" in payload["scenario"]
    table = runner.invoke(app, ["simulate", str(ROOT / "examples/scenarios/july1914.yaml"),
                                "--draws", "200", "--format", "table"])
    assert "{" not in table.stdout.split("Capabilities")[1].split("\n")[0]
    assert "nan" not in table.stdout and "<NA>" not in table.stdout


@needs_data
def test_network_panels_prints_and_says_which_years_each_layer_covers() -> None:
    result = runner.invoke(app, ["network", "panels", "--years", "2000-2001", "--layers",
                                 "alliance,dca", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["year"] for r in rows] == [2000, 2001]
    assert "layer dca: dcad covers 1980-2010" in result.stderr
    later = runner.invoke(app, ["network", "panels", "--years", "2015-2016", "--layers",
                                "alliance,dca"])
    assert isinstance(later.exception, UsageError)
    assert "share no year" in str(later.exception)


def test_a_busy_port_is_refused_before_it_is_announced() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        with pytest.raises(UsageError, match=f"--port {port}: another program is listening"):
            check_port("127.0.0.1", port)
        result = runner.invoke(app, ["serve", "--port", str(port)])
        assert isinstance(result.exception, UsageError)
        assert "http://" not in result.stdout


def test_the_forked_server_answers_and_stops_whole(tmp_path: Path) -> None:
    env = {**os.environ, "ALLIANCEKIT_DATA": str(tmp_path / "none")}
    with running_server("--workers", "2", env=env) as port:
        body = urllib.request.urlopen(
            f"http://127.0.0.1:{port}/api/defenders/SAU?on=2025-10-01", timeout=5).read()
        answer = json.loads(body)
        assert "saudi_pakistan_smda" in {p["agreement"] for p in answer["pledges"]}
    time.sleep(0.5)
    check_port("127.0.0.1", port)  # no worker is left holding the socket


def test_every_command_has_help_with_an_example() -> None:
    def leaves(command: object, path: list[str]) -> list[tuple[list[str], object]]:
        subs = getattr(command, "commands", None)
        if not subs:
            return [(path, command)]
        return [leaf for name, sub in subs.items() for leaf in leaves(sub, [*path, name])]

    found = leaves(typer.main.get_command(app), [])
    assert len(found) >= 20
    for path, _ in found:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Example: alliancekit " + path[0] in result.stdout, path


def test_data_list_as_json_and_csv(tmp_path: Path) -> None:
    as_json = runner.invoke(app, ["data", "list", "--data-dir", str(tmp_path), "--format",
                                  "json"], env={"ALLIANCEKIT_DATA": ""})
    assert as_json.exit_code == 0, as_json.output
    sources = {row["source"]: row for row in json.loads(as_json.stdout)}
    assert sources["atop"]["found_in"] is None and "atopdata.org" in sources["atop"]["get_it"]
    as_csv = runner.invoke(app, ["data", "list", "--data-dir", str(tmp_path)],
                           env={"ALLIANCEKIT_DATA": ""})
    assert next(csv.DictReader(io.StringIO(as_csv.stdout)))["source"] == "atop"
