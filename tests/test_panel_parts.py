"""A panel built part by part is the panel built whole, for every step the command line builds
in parts (``ROW_WISE``): the claim that lets ``alliancekit panel ... --out FILE.parquet`` write
while it builds."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from alliancekit.errors import PanelKindError
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


def test_only_peace_years_needs_the_whole_panel() -> None:
    assert set(STEPS) - ROW_WISE == {"peace_years"}


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
