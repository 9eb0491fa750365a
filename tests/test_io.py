"""write_panel: formats by extension, and nothing partial when writing fails."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import alliancekit as ak
from alliancekit import io


def test_parquet_keeps_the_panel_kind_and_sources(tiny: Path, tmp_path: Path) -> None:
    panel = ak.add_atop_alliance(ak.create_dyadyears(years=(1832, 1832)))
    back = ak.read_panel(ak.write_panel(panel, tmp_path / "p.parquet"))
    pd.testing.assert_frame_equal(back, panel)
    assert back.attrs == panel.attrs


def test_stata_and_csv_keep_missing_values_missing(tiny: Path, tmp_path: Path) -> None:
    panel = ak.add_atop_alliance(ak.create_dyadyears(years=(2018, 2019), mry=True))
    for suffix in (".csv", ".dta"):
        back = ak.read_panel(ak.write_panel(panel, tmp_path / f"p{suffix}"))
        assert back.loc[back["year"] == 2019, "atop_defense"].isna().all()
        assert (back.loc[back["year"] == 2018, "atop_defense"].notna()).all()


def test_a_failed_write_leaves_neither_file_nor_temporary(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def half_then_fail(frame: pd.DataFrame, path: Path) -> None:
        path.write_text("ccode1,ccode2\n1,")
        raise OSError("disk full")

    monkeypatch.setitem(io._WRITERS, "CSV", half_then_fail)
    target = tmp_path / "out" / "p.csv"
    with pytest.raises(OSError, match="disk full"):
        ak.write_panel(ak.create_dyadyears(years=(1832, 1832)), target)
    assert list(target.parent.iterdir()) == []


def test_a_failed_write_keeps_the_previous_file(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "p.csv"
    target.write_text("previous")

    def fail(frame: pd.DataFrame, path: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setitem(io._WRITERS, "CSV", fail)
    with pytest.raises(OSError):
        ak.write_panel(ak.create_dyadyears(years=(1832, 1832)), target)
    assert target.read_text() == "previous"
