"""Loaders: malformed files stop with file, line and column; the lookup order; checksums."""

from __future__ import annotations

import importlib
import pkgutil
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import alliancekit as ak
import alliancekit.sources as sources_package
from alliancekit.sources import REGISTRY, Source, load_atop_ddyr, load_cow_states, load_nmc
from alliancekit.sources.registry import (
    UnpinnedVersionWarning,
    data_dirs,
    find_source,
    register,
)
from tests.conftest import NMC, STATES, write_data_dir


def test_a_cell_that_is_not_a_number_names_file_line_and_column(tmp_path: Path) -> None:
    bad = NMC.replace("211,1832,,40", "211,1832,,forty")
    root = write_data_dir(tmp_path, {"cow_nmc/nmc_v7_0_peacesciencer.csv": bad})
    with pytest.raises(ak.SourceFormatError) as caught:
        load_nmc(data_dir=root)
    error = caught.value
    assert error.path.name == "nmc_v7_0_peacesciencer.csv"
    assert (error.line, error.column) == (3, "milper")
    assert "'forty' is not a number" in str(error)
    assert "line 3, column 'milper'" in str(error)


def test_an_impossible_date_names_the_line(tmp_path: Path) -> None:
    bad = STATES.replace("BEL,211,Belgium,1830,10,4", "BEL,211,Belgium,1830,2,30")
    root = write_data_dir(tmp_path, {"cow_states/states2016.csv": bad})
    with pytest.raises(ak.SourceFormatError, match=r"line 4.*1830-2-30 is not a calendar date"):
        load_cow_states(root)


def test_a_spell_that_ends_before_it_starts_is_an_error(tmp_path: Path) -> None:
    bad = STATES.replace("ARI,901,Ariel,1890,1,1,1900", "ARI,901,Ariel,1890,1,1,1880")
    root = write_data_dir(tmp_path, {"cow_states/states2016.csv": bad})
    with pytest.raises(ak.SourceFormatError, match="line 7.*ends"):
        load_cow_states(root)


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    bad = STATES.replace("stateabb,ccode,", "stateabb,code,")
    root = write_data_dir(tmp_path, {"cow_states/states2016.csv": bad})
    with pytest.raises(ak.SourceFormatError, match="missing column.*ccode"):
        load_cow_states(root)


def test_a_value_out_of_range_is_an_error(tmp_path: Path) -> None:
    bad = STATES.replace("USA,2,United States of America,1816,1,1", "USA,2,United States,1816,13,1")
    root = write_data_dir(tmp_path, {"cow_states/states2016.csv": bad})
    with pytest.raises(ak.SourceFormatError, match=r"line 2, column 'stmonth'.*1\.\.12"):
        load_cow_states(root)


def test_a_ragged_row_is_reported(tmp_path: Path) -> None:
    # One field too many on the first data row: pandas alone would shift every column.
    bad = NMC.replace("220,1832,9000,300,250,,33000,1500,0.12", "220,1832,9000,300,250,,3,1,5,0.1")
    root = write_data_dir(tmp_path, {"cow_nmc/nmc_v7_0_peacesciencer.csv": bad})
    with pytest.raises(ak.SourceFormatError, match="line 2: the row has 10 fields, the header 9"):
        load_nmc(data_dir=root)


def test_lookup_order_is_explicit_dir_then_environment_then_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    explicit = write_data_dir(tmp_path / "explicit")
    env = write_data_dir(tmp_path / "env")
    monkeypatch.setenv("ALLIANCEKIT_DATA", str(env))
    assert data_dirs(explicit)[:2] == [explicit, env]
    assert find_source("cow_states", explicit) == explicit
    assert find_source("cow_states") == env
    monkeypatch.delenv("ALLIANCEKIT_DATA")
    assert find_source("cow_states") is None
    cache = data_dirs()[-1]
    write_data_dir(cache)
    assert find_source("cow_states") == cache


def test_a_missing_source_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ALLIANCEKIT_DATA", raising=False)
    with pytest.raises(ak.SourceNotFoundError, match="download from https://correlatesofwar"):
        ak.create_stateyears(data_dir=tmp_path)
    with pytest.raises(ak.SourceNotFoundError, match="alliancekit data fetch cow_majors"):
        from alliancekit.sources import load_majors

        load_majors(tmp_path)


def test_a_file_that_is_not_the_pinned_version_warns(tiny: Path) -> None:
    with pytest.warns(UnpinnedVersionWarning, match="sha256 differs"):
        load_cow_states()


def test_the_cache_notices_a_changed_file(tmp_path: Path) -> None:
    root = write_data_dir(tmp_path)
    assert len(load_cow_states(root)) == 7
    shorter = STATES.rsplit("BOL", 1)[0]
    (root / "cow_states/states2016.csv").write_text(shorter)
    assert len(load_cow_states(root)) == 6


def test_unknown_source_lists_the_known_ones() -> None:
    from alliancekit.sources import get_source

    with pytest.raises(ak.UsageError, match="known sources: atop"):
        get_source("atop_5")
    with pytest.raises(ak.UsageError, match="maintainers asked"):
        get_source("gml_mid")


def test_every_registry_entry_is_complete() -> None:
    for name, source in REGISTRY.items():
        assert source.name == name
        assert source.citation.lstrip().startswith("@"), name
        assert source.coverage[0] <= source.coverage[1]
        assert source.files and all(len(f.sha256) == 64 for f in source.files)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert source.homepage.startswith("http")


def test_a_parsed_table_is_reused_until_the_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alliancekit.sources import _table

    path = tmp_path / "t.csv"
    path.write_text("ccode,year\n2,1816\n")
    columns = [_table.Column("ccode", "int"), _table.Column("year", "int")]
    first = _table.read_table(path, columns)

    def no_parsing(*args: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(_table, "_parse", no_parsing)
    assert _table.read_table(path, columns).equals(first)
    path.write_text("ccode,year\n2,1816\n20,1920\n")
    with pytest.raises(AssertionError, match="parsed again"):
        _table.read_table(path, columns)


@pytest.mark.parametrize("load", [load_nmc, load_cow_states, load_atop_ddyr])
def test_a_caller_that_changes_its_frame_does_not_change_the_next_callers(
        tiny: Path, load: Callable[..., pd.DataFrame]) -> None:
    first = load()
    expected = first.copy()
    column = first.columns[0]
    first.loc[first.index[0], column] = first[column].iloc[-1]  # in place, on shared data
    first.iloc[:, 1] = first.iloc[::-1, 1].to_numpy()
    first["added"] = 1
    pd.testing.assert_frame_equal(load(), expected)


def test_every_source_a_module_declares_is_registered_under_its_name() -> None:
    declared = {}
    for module in pkgutil.iter_modules(sources_package.__path__, "alliancekit.sources."):
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, Source):
                declared[value.name] = value
    assert len(declared) == 19
    assert declared == REGISTRY
    with pytest.raises(ValueError, match="registered twice"):
        register(declared["cow_nmc"])
