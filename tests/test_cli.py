"""The alliancekit command: panels written atomically, errors as one line, cite, data list."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import alliancekit as ak
from alliancekit.cli import app, main
from alliancekit.panels import catalog
from tests.conftest import NMC, write_data_dir

runner = CliRunner()


def test_panel_dyad_years_writes_the_requested_columns(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "dyads.parquet"
    result = runner.invoke(app, [
        "panel", "dyad-years", "--system", "cow", "--directed", "--years", "1830-1832",
        "--add", "atop,nmc,contiguity,majors", "--out", str(out),
    ])
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(out)
    assert {"atop_defense", "cinc1", "cinc2", "conttype", "cowmaj1"} <= set(frame.columns)
    assert frame["year"].between(1830, 1832).all()
    assert "atop_ddyr" in result.output


def test_a_parquet_panel_written_in_parts_is_the_library_panel(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog, "PART_ROWS", 5)  # several parts on the tiny world
    out = tmp_path / "dyads.parquet"
    result = runner.invoke(app, [
        "panel", "dyad-years", "--years", "1830-1840", "--add", "atop,nmc,contiguity,majors",
        "--out", str(out),
    ])
    assert result.exit_code == 0, result.output
    expected = ak.create_dyadyears(years=(1830, 1840))
    for adder in (ak.add_atop_alliance, ak.add_nmc, ak.add_contiguity, ak.add_majors):
        expected = adder(expected)
    assert len(expected) > 10
    written = pd.read_parquet(out)
    assert pq.ParquetFile(out).metadata.num_row_groups == -(-len(expected) // 5)
    pd.testing.assert_frame_equal(written, expected)
    assert written.attrs == expected.attrs
    assert f"wrote {out}: {len(expected):,} rows x {expected.shape[1]} columns" in result.output
    assert "1830-1840" in result.output


@pytest.mark.parametrize("suffix", [".csv", ".dta"])
def test_panel_state_years_in_csv_and_stata(tiny: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"states{suffix}"
    result = runner.invoke(app, ["panel", "state-years", "--years", "1832", "--add", "nmc",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out) if suffix == ".csv" else pd.read_stata(out)
    assert sorted(frame["ccode"]) == [2, 200, 211, 220]


def test_malformed_source_leaves_no_output_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = NMC.replace("211,1832,,40", "211,1832,,forty")
    root = write_data_dir(tmp_path / "data", {"cow_nmc/nmc_v7_0_peacesciencer.csv": bad})
    out = tmp_path / "out" / "dyads.csv"
    monkeypatch.setattr("sys.argv", ["alliancekit", "panel", "dyad-years", "--years", "1832",
                                     "--add", "nmc", "--out", str(out), "--data-dir", str(root)])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert err.strip().startswith("Error: ") and "line 3, column 'milper'" in err
    assert not out.exists()


def test_an_unknown_add_lists_the_choices(tiny: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["panel", "dyad-years", "--add", "atopp",
                                 "--out", str(tmp_path / "x.csv")])
    assert result.exit_code != 0
    assert "choose from atop, nmc" in str(result.exception)


def test_data_whose_maintainers_asked_not_to_be_automated_is_refused_with_the_reason(
        tiny: Path, tmp_path: Path) -> None:
    for name, maintainer in (("cow_alliance", "its maintainer asked"),
                             ("gml_mids", "one of its maintainers asked")):
        result = runner.invoke(app, ["panel", "dyad-years", "--add", name,
                                     "--out", str(tmp_path / "x.csv")])
        assert result.exit_code != 0 and maintainer in str(result.exception)
    assert not (tmp_path / "x.csv").exists()


def test_an_unknown_extension_is_refused_before_work(tiny: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["panel", "dyad-years", "--out", str(tmp_path / "x.xlsx")])
    assert "unknown extension '.xlsx'" in str(result.exception)


def test_cite_prints_bibtex_for_sources_and_for_a_panel(tiny: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["cite", "atop_ddyr"])
    assert result.exit_code == 0
    assert "@article{leeds_etal_2002" in result.output
    out = tmp_path / "dyads.parquet"
    runner.invoke(app, ["panel", "dyad-years", "--years", "1832", "--add", "contiguity",
                        "--out", str(out)])
    cited = runner.invoke(app, ["cite", "--panel", str(out)])
    assert "stinnett_etal_2002" in cited.output and "cow_states_2016" in cited.output
    assert "leeds_etal_2002" not in cited.output


def test_data_list_shows_found_and_missing(tiny: Path, tmp_path: Path) -> None:
    (tiny / "gw_states" / "gw_system_2020.csv").unlink()
    (tiny / "cow_majors" / "majors2016.csv").unlink()
    result = runner.invoke(app, ["data", "list", "--format", "table"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    lines = {line.split("│")[1].strip(): line for line in result.output.splitlines()
             if line.count("│") > 3}
    assert "missing" in lines["gw_states"] and "ksgleditsch.com" in lines["gw_states"]
    assert "alliancekit data fetch cow_majors" in lines["cow_majors"]
    assert "found in" in lines["cow_states"]


def test_overview_without_data_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALLIANCEKIT_DATA", raising=False)
    result = runner.invoke(app, ["overview"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    # The curated records serve on their own.
    assert "saudi_pakistan_smda" in result.output
    assert "curated agreements" in result.output and "linked to ATOP" in result.output
    assert "cow_states: download from https://correlatesofwar.org" in result.output
    assert "cow_majors: alliancekit data fetch cow_majors" in result.output


def test_overview_with_data_builds_the_panel(tiny: Path) -> None:
    result = runner.invoke(app, ["overview"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "rows (directed dyad-years)" in result.output


@pytest.mark.parametrize("command", [
    ["data", "list"], ["data", "fetch"], ["panel", "dyad-years"], ["panel", "state-years"],
    ["cite"], ["overview"], ["data", "check"], ["groups", "show"], ["groups", "list"],
    ["records", "pledges"], ["records", "since-2018"],
])
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example: alliancekit " + command[0] in result.output
