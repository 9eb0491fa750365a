"""A panel built part by part is the panel built whole, for every step the command line builds
in parts (``ROW_WISE``): the claim that lets ``alliancekit panel ... --out FILE.parquet`` write
while it builds."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from alliancekit.cli import app
from alliancekit.errors import PanelKindError
from alliancekit.panels import catalog
from alliancekit.panels.atop import add_atop_alliance
from alliancekit.panels.catalog import ADDERS, FILTERS, ROW_WISE, apply, apply_in_parts
from alliancekit.panels.create import create_dyadyears, create_stateyears

STEPS = {**ADDERS, **FILTERS}


def _panels(data: Path) -> list[pd.DataFrame]:
    years = (1988, 2001)
    return [
        create_dyadyears("cow", years, directed=True, data_dir=data),
        create_dyadyears("cow", years, directed=False, data_dir=data),
        create_dyadyears("gw", years, directed=True, data_dir=data),
        create_stateyears("cow", years, data_dir=data),
        create_stateyears("gw", years, data_dir=data),
    ]


@pytest.mark.parametrize("name", sorted(ROW_WISE))
def test_a_row_wise_step_gives_the_same_panel_in_parts(name: str, real_data: Path) -> None:
    checked = 0
    for panel in _panels(real_data):
        try:
            whole = apply(panel, STEPS[name], real_data)
        except PanelKindError:
            continue  # a panel this step does not take
        rows = len(panel) // 3 + 7  # 3 parts, cut at odd places
        parts = list(apply_in_parts(panel, [STEPS[name]], real_data, rows=rows))
        assert len(parts) == 3
        together = pd.concat(parts, ignore_index=True)  # a filter renumbers its rows
        pd.testing.assert_frame_equal(together, whole.reset_index(drop=True))
        assert all(part.attrs == whole.attrs for part in parts)
        checked += 1
    assert checked, f"{name}: no panel kind took it"


def test_an_empty_panel_is_one_empty_part(real_data: Path) -> None:
    panel = create_dyadyears("cow", (1990, 1990), data_dir=real_data).iloc[:0]
    parts = list(apply_in_parts(panel, [ADDERS["nmc"]], real_data))
    assert [len(part) for part in parts] == [0]
    assert "cinc1" in parts[0]


def test_atop_with_carried_pledges_gives_every_part_the_whole_panels_columns(
        real_data: Path) -> None:
    # Sorted by year, the first part holds only years before 2019 and the last only later ones.
    panel = create_dyadyears("cow", (2015, 2022), mry=True, data_dir=real_data)
    panel = panel.sort_values(["year", "ccode1", "ccode2"], ignore_index=True)
    sources = ("atop", "curated")
    whole = add_atop_alliance(panel, sources=sources, data_dir=real_data)
    assert whole["atop_carried"].eq(1).any()
    step = partial(add_atop_alliance, sources=sources)  # apply_in_parts gives it the last year
    parts = list(apply_in_parts(panel, [step], real_data, rows=len(panel) // 3 + 7))
    assert parts[0]["year"].max() <= 2018 < parts[-1]["year"].min()
    pd.testing.assert_frame_equal(pd.concat(parts), whole)
    assert all(part.attrs == whole.attrs for part in parts)


def test_the_panel_command_writes_carried_pledges_in_parts(
        real_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog, "PART_ROWS", 5)  # parts that hold a year or two each
    out = tmp_path / "gcc.parquet"
    result = CliRunner().invoke(app, [
        "panel", "dyad-years", "--years", "2017-2020", "--mry", "--add", "atop",
        "--alliance-sources", "atop,curated", "--group", "gcc", "--out", str(out),
        "--data-dir", str(real_data)])
    assert result.exit_code == 0, result.output
    written = pd.read_parquet(out)
    assert set(written["year"]) == {2017, 2018, 2019, 2020}
    assert written.loc[written["year"] <= 2018, "atop_carried"].eq(0).all()
    assert "atop_carried" in written.attrs["alliancekit"]["sources"]
