"""Property tests: no add_* changes the row count, and values do not depend on row order."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import alliancekit as ak
from alliancekit.panels._lookup import lookup_rows
from alliancekit.panels.frame import kind_of, mark

DYAD_ADDERS: list[Callable[[pd.DataFrame], pd.DataFrame]] = [
    ak.add_atop_alliance, ak.add_nmc, ak.add_contiguity, ak.add_majors, ak.add_capital_distance,
]
STATE_ADDERS: list[Callable[[pd.DataFrame], pd.DataFrame]] = [ak.add_nmc, ak.add_majors]

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def reorder(panel: pd.DataFrame, seed: int, keep: float) -> pd.DataFrame:
    """A random subset of the rows in a random order, still marked as the same panel."""
    rng = np.random.default_rng(seed)
    chosen = rng.permutation(len(panel))[: max(1, int(len(panel) * keep))]
    out = panel.iloc[chosen].reset_index(drop=True)
    kind = kind_of(panel)
    assert kind is not None
    return mark(out, kind, ["cow_states"])


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), keep=st.floats(0.05, 1.0),
       directed=st.booleans(), mry=st.booleans())
def test_dyad_adders_keep_rows_and_agree_with_the_sorted_panel(
    tiny: Path, seed: int, keep: float, directed: bool, mry: bool
) -> None:
    full = ak.create_dyadyears(years=(1816, 2016 if not mry else 2019), directed=directed, mry=mry)
    shuffled = reorder(full, seed, keep)
    for add in DYAD_ADDERS:
        on_full = add(full)
        on_shuffled = add(shuffled)
        assert len(on_full) == len(full) and len(on_shuffled) == len(shuffled)
        expected = shuffled.merge(on_full, on=["ccode1", "ccode2", "year"], how="left")
        pd.testing.assert_frame_equal(on_shuffled, expected[on_shuffled.columns],
                                      check_dtype=True, obj=add.__name__)


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), keep=st.floats(0.05, 1.0))
def test_state_adders_keep_rows(tiny: Path, seed: int, keep: float) -> None:
    states = reorder(ak.create_stateyears(), seed, keep)
    for add in STATE_ADDERS:
        assert len(add(states)) == len(states)


@settings(max_examples=200, deadline=None)
@given(
    table=st.sets(st.tuples(st.integers(0, 30), st.integers(1900, 1920)), max_size=60),
    frame=st.lists(st.tuples(st.integers(0, 40), st.integers(1890, 1925)), min_size=1,
                   max_size=80),
    sort=st.booleans(),
)
def test_lookup_rows_matches_a_dictionary(
    table: set[tuple[int, int]], frame: list[tuple[int, int]], sort: bool
) -> None:
    keys = sorted(set(frame)) if sort else frame
    table_list = list(table)
    where = {key: i for i, key in enumerate(table_list)}
    rows = lookup_rows(
        [np.array([k[0] for k in keys]), np.array([k[1] for k in keys])],
        [np.array([k[0] for k in table_list], dtype=np.int64),
         np.array([k[1] for k in table_list], dtype=np.int64)],
    )
    assert rows.tolist() == [where.get(k, -1) for k in keys]


def test_add_on_an_empty_panel_returns_an_empty_panel(tiny: Path) -> None:
    empty = reorder(ak.create_dyadyears(years=(1832, 1832)), 0, 0.0).iloc[:0]
    empty = mark(empty.reset_index(drop=True), kind_of(ak.create_dyadyears(years=(1832, 1832))),
                 ["cow_states"])  # type: ignore[arg-type]
    for add in DYAD_ADDERS:
        assert len(add(empty)) == 0


@pytest.mark.parametrize("add", DYAD_ADDERS)
def test_adders_do_not_modify_their_input(tiny: Path, add: Callable[[pd.DataFrame],
                                                                    pd.DataFrame]) -> None:
    panel = ak.create_dyadyears(years=(1830, 1840))
    before = panel.copy()
    add(panel)
    pd.testing.assert_frame_equal(panel, before)
