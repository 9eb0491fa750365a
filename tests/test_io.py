"""write_panel: formats by extension, and nothing partial when writing fails."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
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


def _parts(frame: pd.DataFrame, rows: int) -> list[pd.DataFrame]:
    return [frame.iloc[start:start + rows] for start in range(0, len(frame), rows)]


def test_a_panel_written_in_parts_reads_back_as_the_whole(tiny: Path, tmp_path: Path) -> None:
    panel = ak.add_atop_alliance(ak.create_dyadyears(years=(1832, 1840)))
    assert len(panel) > 7
    for suffix in (".parquet", ".csv"):
        whole = ak.read_panel(ak.write_panel(panel, tmp_path / f"whole{suffix}"))
        parts = ak.read_panel(io.write_panel_parts(_parts(panel, 7), tmp_path / f"parts{suffix}"))
        pd.testing.assert_frame_equal(parts, whole)
        assert parts.attrs == whole.attrs
    assert pq.ParquetFile(tmp_path / "parts.parquet").metadata.num_row_groups == -(-len(panel) // 7)


def test_a_part_with_other_types_is_converted_to_the_first_parts(tmp_path: Path) -> None:
    first = pd.DataFrame({"year": [1990, 1991], "value": [1.5, 2.5]})
    second = pd.DataFrame({"year": [1992], "value": [3]})  # integers where the first had floats
    back = pd.read_parquet(io.write_panel_parts([first, second], tmp_path / "p.parquet"))
    assert back["value"].dtype == "float64"
    assert back["value"].tolist() == [1.5, 2.5, 3.0]


@pytest.mark.parametrize("failing", ["producer", "writer"])
def test_a_failure_while_writing_parts_leaves_nothing_behind(tmp_path: Path,
                                                            failing: str) -> None:
    target = tmp_path / "out" / "p.parquet"
    first = pd.DataFrame({"year": [1990], "value": [1.5]})

    def parts() -> Iterator[pd.DataFrame]:
        yield first
        if failing == "producer":
            raise ValueError("an adder failed")
        yield pd.DataFrame({"year": [1991], "value": ["not a number"]})  # cannot be converted
        yield first

    with pytest.raises((ValueError, pa.ArrowInvalid)):
        io.write_panel_parts(parts(), target)
    assert list(target.parent.iterdir()) == []


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_no_parts_at_all_is_an_error_naming_the_file(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"p{suffix}"
    with pytest.raises(ValueError, match=f"p{suffix}: no parts to write"):
        io.write_panel_parts([], target)
    assert list(tmp_path.iterdir()) == []
