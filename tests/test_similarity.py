"""Similarity of alliance portfolios: published and hand-worked values, properties, the panel."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import alliancekit as ak
from alliancekit.cli import app
from alliancekit.errors import UsageError
from alliancekit.measures.similarity import (
    MEASURES,
    contingency,
    measure_from_tables,
    portfolio_measure,
)
from alliancekit.panels.frame import sources_of
from alliancekit.panels.similarity import Year, year_measures

runner = CliRunner()


def vectorised(name: str, x: list[int], y: list[int], w: list[float] | None = None) -> float:
    """The measure of two portfolios through the all-pairs matrix path."""
    ties = np.array([x, y], dtype=np.int8)
    weights = np.ones(len(x)) if w is None else np.array(w, dtype=np.float64)
    tables = contingency(ties, weights, np.array([0]), np.array([1]), np.arange(len(x)))
    return float(measure_from_tables(name, tables)[0, 0])


def both(name: str, x: list[int], y: list[int], w: list[float] | None = None) -> float:
    """The per-pair definition and the matrix path, checked to agree."""
    plain = portfolio_measure(name, x, y, w)
    fast = vectorised(name, x, y, w)
    assert (math.isnan(plain) and math.isnan(fast)) or plain == pytest.approx(fast), name
    return plain


def test_published_s_with_weights_absolute_and_squared() -> None:
    # Signorino and Ritter's example: (3,3,2,2) vs (2,2,3,3), weights (.5,.3,.1,.1), d_max 3.
    x, y, w = [3, 3, 2, 2], [2, 2, 3, 3], [0.5, 0.3, 0.1, 0.1]
    assert both("s_valued_absolute_weighted", x, y, w) == pytest.approx(1 / 3)
    assert both("s_valued_squared_weighted", x, y, w) == pytest.approx(7 / 9)


def test_three_states_two_allies_and_a_loner() -> None:
    # A and B defend each other, C is alone; portfolios over (A, B, C), self-ties at 3.
    a, b, c = [3, 3, 0], [3, 3, 0], [0, 0, 3]
    for name in MEASURES:
        assert both(name, a, b) == pytest.approx(1.0), name
    assert both("s_valued_absolute_unweighted", a, c) == pytest.approx(-1.0)  # 1 - 2*9/9
    assert both("s_binary_squared_unweighted", a, c) == pytest.approx(-1.0)
    # kappa: D_o = 27/3 = 9; D_e = (2/3*2/3 + 1/3*1/3) * 9 = 5; 1 - 9/5.
    assert both("kappa_valued", a, c) == pytest.approx(-0.8)
    # pi: pooled shares (1/2, 1/2) of 0 and 3, D_e = 2 * 1/4 * 9 = 4.5; 1 - 9/4.5.
    assert both("pi_valued", a, c) == pytest.approx(-1.0)
    # tau-b: (A,B) tied on both, the other two pairs discordant: -2 / sqrt(2 * 2).
    assert both("taub_valued", a, c) == pytest.approx(-1.0)


def test_four_states_by_hand() -> None:
    x, y = [3, 3, 0, 0], [3, 0, 0, 0]
    # D_o = 9/4. kappa: D_e = (.5*.75 + .5*.25) * 9 = 4.5, so 1 - 2.25/4.5 = 0.5.
    assert both("kappa_valued", x, y) == pytest.approx(0.5)
    # pi: pooled (.625, .375), D_e = 2*.625*.375*9 = 4.21875, so 1 - 2.25/4.21875 = 7/15.
    assert both("pi_valued", x, y) == pytest.approx(7 / 15)
    # tau-b: 2 concordant, 0 discordant; 1 pair tied in x only, 2 in y only: 2/sqrt(3*4).
    assert both("taub_valued", x, y) == pytest.approx(2 / math.sqrt(12))
    # S: D = 3 of a maximum 4*3 = 12, so 1 - 2*3/12; squared: 1 - 2*9/36; binary 1 - 2*1/4.
    assert both("s_valued_absolute_unweighted", x, y) == pytest.approx(0.5)
    assert both("s_valued_squared_unweighted", x, y) == pytest.approx(0.5)
    assert both("s_binary_absolute_unweighted", x, y) == pytest.approx(0.5)
    # kappa binary: (1,1,0,0) vs (1,0,0,0): D_o = 1/4, D_e = .5*.75 + .5*.25 = .5; 1 - .5.
    assert both("kappa_binary", x, y) == pytest.approx(0.5)


def test_no_variance_edge_cases() -> None:
    same, other = [0, 0, 0], [1, 1, 1]
    # Identical constant portfolios: S is 1; chance agreement is perfect, so pi, kappa and
    # tau-b are undefined (missing).
    assert both("s_binary_absolute_unweighted", same, same) == 1.0
    for name in ("pi_binary", "kappa_binary", "taub_binary"):
        assert math.isnan(both(name, same, same)), name
    # Two different constant portfolios: kappa 0 (no better than chance), pi -1, tau-b missing.
    assert both("kappa_binary", other, same) == pytest.approx(0.0)
    assert both("pi_binary", other, same) == pytest.approx(-1.0)
    assert math.isnan(both("taub_binary", other, same))


def test_unknown_measure_names_list_the_known_ones(tiny: Path) -> None:
    panel = ak.create_dyadyears("cow", (1900, 1900))
    with pytest.raises(UsageError, match="choose from s_valued_absolute_unweighted"):
        ak.add_similarity(panel, measures=["s_valued"])


portfolio_rows = st.integers(min_value=3, max_value=9).flatmap(
    lambda n: st.lists(st.lists(st.integers(0, 3), min_size=n, max_size=n),
                       min_size=n, max_size=n))


@settings(max_examples=40, deadline=None)
@given(portfolio_rows, st.integers(0, 2**31 - 1))
def test_every_measure_is_symmetric_in_range_and_matches_the_plain_definition(
        rows: list[list[int]], seed: int) -> None:
    ties = np.array(rows, dtype=np.int8)
    np.fill_diagonal(ties, 3)
    n = len(ties)
    weights = np.random.default_rng(seed).random(n) + 0.01
    year = Year(2000, np.arange(n) + 2, ties, weights)
    values = year_measures(year, list(MEASURES), "global", None)
    for name, matrix in values.items():
        assert np.allclose(matrix, matrix.T, equal_nan=True), name
        finite = matrix[np.isfinite(matrix)]
        assert (finite >= -1 - 1e-9).all() and (finite <= 1 + 1e-9).all(), name
        # identical portfolios (a state with itself) score the maximum where defined
        diagonal = np.diag(matrix)
        assert np.allclose(diagonal[np.isfinite(diagonal)], 1.0), name
        i, j = 0, n - 1
        plain = portfolio_measure(name, ties[i], ties[j], weights)
        assert (math.isnan(plain) and math.isnan(matrix[i, j])) or \
            plain == pytest.approx(matrix[i, j]), name


def test_add_similarity_on_the_tiny_world(tiny: Path) -> None:
    panel = ak.create_dyadyears("cow", (1832, 1832))
    out = ak.add_similarity(panel, measures=["s_valued_absolute_unweighted", "kappa_valued"])
    assert sources_of(out)[-1] == "atop_ddyr"
    row = out[(out["ccode1"] == 220) & (out["ccode2"] == 211)].iloc[0]
    # States in 1832: USA, UK, Belgium, France. France pledges defence to Belgium, nothing back.
    # France (3 to Belgium, 3 to itself) vs Belgium (3 to itself): over (USA, UK, BEL, FRA)
    # (0,0,3,3) vs (0,0,3,0): D = 3, S = 1 - 2*3/12.
    assert row["s_valued_absolute_unweighted"] == pytest.approx(0.5)
    assert row["s_valued_absolute_unweighted"] == pytest.approx(
        portfolio_measure("s_valued_absolute_unweighted", [0, 0, 3, 3], [0, 0, 3, 0]))
    # After ATOP's coverage, with ATOP alone: missing.
    late = ak.add_similarity(ak.create_dyadyears("cow", (2019, 2020), mry=True),
                             measures=["pi_binary"])
    assert late["pi_binary"].isna().all()


def test_group_and_region_scopes_name_their_columns(tiny: Path) -> None:
    panel = ak.create_dyadyears("cow", (1832, 1832))
    regional = ak.add_similarity(panel, measures=["s_binary_absolute_unweighted"],
                                 scope="region")
    row = regional[(regional["ccode1"] == 220) & (regional["ccode2"] == 211)].iloc[0]
    # Europe only: (UK, BEL, FRA) -> (0,1,1) vs (0,1,0): 1 - 2/3.
    assert row["s_binary_absolute_unweighted_region"] == pytest.approx(1 / 3)
    gulf = ak.add_similarity(panel, measures=["s_binary_absolute_unweighted"], scope="gcc")
    # No GCC state exists in 1832: the scope is the two states themselves, (BEL, FRA):
    # France (1, 1) vs Belgium (1, 0), so 1 - 2*1/2.
    row = gulf[(gulf["ccode1"] == 220) & (gulf["ccode2"] == 211)].iloc[0]
    assert row["s_binary_absolute_unweighted_gcc"] == pytest.approx(0.0)


def test_similarity_command_writes_the_named_columns(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "sim.csv"
    result = runner.invoke(app, ["similarity", "--years", "1832", "--measures",
                                 "s_valued_squared_unweighted,kappa_binary", "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert list(frame.columns[-2:]) == ["s_valued_squared_unweighted", "kappa_binary"]
    assert len(frame) == 12  # four states, directed
    result = runner.invoke(app, ["similarity", "--years", "1832", "--measures", "s", "--out",
                                 str(out)])
    assert isinstance(result.exception, UsageError) and "choose from" in str(result.exception)
