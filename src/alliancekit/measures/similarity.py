"""Foreign-policy similarity of alliance portfolios: S, Scott's pi, Cohen's kappa, Kendall's tau-b.

A state's *portfolio* in a year is its row of ties to every state of the scope (itself included):
the valued tie of ``i`` to ``k`` is 3 when ``i`` pledged defence or offence to ``k``, 2 when it
pledged neutrality or consultation only, 1 non-aggression only, 0 nothing (Chiba, Johnson and
Leeds's ordering as used by fpsim); the binary tie is 1 when the valued tie is at least 1. A
state's tie to itself is the maximum (3, or 1). Ties are directed, as in ATOP's directed
dyad-years: the row says what ``i`` pledged.

All measures of a pair (i, j) come from the *contingency table* ``C[a, b]`` = the (weighted)
number of states k with ``x_ik = a`` and ``x_jk = b``. With four tie values, the tables of all
pairs at once are 16 products of indicator matrices, ``C_ab = I_a W I_b'``, one set per year:

* **S** (Signorino and Ritter 1999): ``1 - 2 D / (sum(w) d_max^p)`` with
  ``D = sum_ab C_ab |a - b|^p``, ``p`` = 1 (absolute) or 2 (squared), ``d_max`` = 3 (valued)
  or 1 (binary), ``w`` = 1 (unweighted) or each third state's CINC (weighted). Range [-1, 1].
* **Scott's pi** and **Cohen's kappa** (Häge 2011): ``1 - D_o / D_e`` with squared distances,
  ``D_o = sum_ab C_ab (a - b)^2 / n``; kappa's expected disagreement uses each state's own
  distribution of ties, ``D_e = sum_ab p_i(a) p_j(b) (a - b)^2``, pi's the pooled one,
  ``m = (p_i + p_j) / 2``. Unweighted. Undefined (missing) when ``D_e`` is 0: both portfolios
  put every tie in one and the same value, so chance agreement is perfect.
* **Kendall's tau-b** (Bueno de Mesquita 1975): ``(n_c - n_d) / sqrt((n_0 - n_1)(n_0 - n_2))``
  over pairs of third states, concordant and discordant counts from ``C``. Unweighted.
  Missing when either portfolio has a single value.

Worked example with three states A, B, C where A and B pledge defence to each other and C is
alone; valued portfolios (over A, B, C) are A = (3, 3, 0), B = (3, 3, 0), C = (0, 0, 3).
S(A, B) = 1 for every variant. S(A, C), valued, absolute, unweighted: D = 3 + 3 + 3 = 9, so
S = 1 - 2 * 9 / (3 * 3) = -1. Kappa(A, C): p_A = p_C... A has two 3s and one 0, C one 3 and two
0s; D_o = 27 / 3 = 9; D_e = (2/3 * 2/3 + 1/3 * 1/3) * 9 = 5, so kappa = 1 - 9/5 = -0.8.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from alliancekit.errors import UsageError

VALUES = 4  # valued ties: 0, 1, 2, 3

# measure name -> (family, ties, distance, weighting)
MEASURES: dict[str, tuple[str, str, str, str]] = {
    f"s_{ties}_{distance}_{weighting}": ("s", ties, distance, weighting)
    for ties in ("valued", "binary")
    for distance in ("absolute", "squared")
    for weighting in ("unweighted", "weighted")
}
MEASURES.update({f"{family}_{ties}": (family, ties, "squared", "unweighted")
                 for family in ("pi", "kappa", "taub") for ties in ("valued", "binary")})
DEFAULT_MEASURES = tuple(MEASURES)


def check_measures(measures: Sequence[str] | None) -> list[str]:
    """The measures asked for, all of them when ``None``; an unknown name lists the known ones."""
    if measures is None:
        return list(DEFAULT_MEASURES)
    names = [measures] if isinstance(measures, str) else list(measures)
    unknown = [m for m in names if m not in MEASURES]
    if unknown or not names:
        raise UsageError(f"measures: unknown {', '.join(map(repr, unknown)) or 'none given'}; "
                         "choose from " + ", ".join(MEASURES))
    return list(dict.fromkeys(names))


def valued_ties(defense: np.ndarray, offense: np.ndarray, neutral: np.ndarray,
                nonagg: np.ndarray, consul: np.ndarray) -> np.ndarray:
    """The 0-3 valued tie from the five obligation indicators (int8)."""
    return np.where((defense == 1) | (offense == 1), 3,
                    np.where((neutral == 1) | (consul == 1), 2,
                             np.where(nonagg == 1, 1, 0))).astype(np.int8)


@dataclass(frozen=True)
class Tables:
    """Contingency tables of every pair of one year's states: ``counts[a, b]`` is an n x n
    matrix of how many scope states k have ``x_ik = a, x_jk = b``; ``weighted`` the same summed
    with each k's weight (None when there are no weights)."""

    counts: np.ndarray
    weighted: np.ndarray | None


def contingency(ties: np.ndarray, weights: np.ndarray | None,
                rows1: np.ndarray, rows2: np.ndarray, columns: np.ndarray) -> Tables:
    """The tables of every pair (one state of ``rows1``, one of ``rows2``) over ``columns``
    (index arrays into the year's n x n ``ties``, values 0-3)."""
    block = ties[:, columns]
    # Indicator matrices of every value stacked, so one matrix product gives all the tables:
    # first is (values x rows1) x columns, second columns x (values x rows2).
    first = np.concatenate([(block[rows1] == a) for a in range(VALUES)]).astype(np.float64)
    second = np.concatenate([(block[rows2] == b) for b in range(VALUES)]).astype(np.float64).T
    n1, n2 = len(rows1), len(rows2)

    def tables(product: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(
            product.reshape(VALUES, n1, VALUES, n2).transpose(0, 2, 1, 3))

    counts = tables(first @ second)
    weighted = None if weights is None else tables((first * weights[columns]) @ second)
    return Tables(counts, weighted)


def to_binary(tables: np.ndarray) -> np.ndarray:
    """Valued tables (4 x 4 x ...) collapsed to binary ones (2 x 2 x ...): 0 stays, 1-3 is 1."""
    rows = np.stack([tables[0], tables[1:].sum(axis=0)])
    return np.stack([rows[:, 0], rows[:, 1:].sum(axis=1)], axis=1)


def _distances(levels: int, power: int) -> np.ndarray:
    grid = np.arange(levels, dtype=np.float64)
    return np.abs(grid[:, None] - grid[None, :]) ** power


def _contract(tables: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    return np.tensordot(matrix, tables, axes=([0, 1], [0, 1]))


def s_score(tables: np.ndarray, power: int) -> np.ndarray:
    """Signorino and Ritter's S from contingency tables (levels x levels x ...)."""
    levels = tables.shape[0]
    total = tables.sum(axis=(0, 1))
    distance = _contract(tables, _distances(levels, power))
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1 - 2 * distance / (total * (levels - 1) ** power)  # type: ignore[no-any-return]


def chance_corrected(tables: np.ndarray, pooled: bool) -> np.ndarray:
    """Scott's pi (``pooled``) or Cohen's kappa, squared distances, from contingency tables."""
    levels = tables.shape[0]
    d = _distances(levels, 2)
    n = tables.sum(axis=(0, 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        first = tables.sum(axis=1) / n  # p_i(a)
        second = tables.sum(axis=0) / n  # p_j(b)
        observed = _contract(tables, d) / n
        if pooled:
            first = second = (first + second) / 2
        expected = np.einsum("a...,ab,b...->...", first, d, second)
        out = 1 - observed / expected
    return np.where(expected > 1e-12, out, np.nan)


def _running_sum(tables: np.ndarray, axis: int, reverse: bool = False) -> np.ndarray:
    """Cumulative sum over one of the two small level axes (``reverse``: from the top), as a
    few whole-matrix additions: numpy's cumsum along a leading axis of a large array is
    several times slower."""
    out = np.empty_like(tables)
    levels = range(tables.shape[axis] - 1, -1, -1) if reverse else range(tables.shape[axis])
    previous = None
    for level in levels:
        here = (level,) if axis == 0 else (slice(None), level)
        if previous is None:
            out[here] = tables[here]
        else:
            np.add(out[previous], tables[here], out=out[here])
        previous = here
    return out


def tau_b(tables: np.ndarray) -> np.ndarray:
    """Kendall's tau-b from (unweighted) contingency tables."""
    # below[a, b]: number of k with x_ik <= a and x_jk = b.
    below = _running_sum(tables, axis=0)
    # A pair of k is concordant when one is lower on both portfolios: k at (a, b) with the
    # other at (< a, < b); discordant when lower on x_i and higher on x_j: (< a, > b).
    lower_both = _running_sum(below, axis=1)
    lower_higher = _running_sum(below, axis=1, reverse=True)
    concordant = (tables[1:, 1:] * lower_both[:-1, :-1]).sum(axis=(0, 1))
    discordant = (tables[1:, :-1] * lower_higher[:-1, 1:]).sum(axis=(0, 1))
    n = tables.sum(axis=(0, 1))
    n0 = n * (n - 1) / 2
    rows = tables.sum(axis=1)
    cols = tables.sum(axis=0)
    n1 = (rows * (rows - 1) / 2).sum(axis=0)
    n2 = (cols * (cols - 1) / 2).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        denominator = np.sqrt((n0 - n1) * (n0 - n2))
        out = (concordant - discordant) / denominator
    return np.where(denominator > 0, out, np.nan)


def measure_from_tables(name: str, tables: Tables) -> np.ndarray:
    """One measure for every pair, from the year's contingency tables."""
    _, ties, _, weighting = MEASURES[name]
    if weighting == "weighted":
        if tables.weighted is None:
            raise UsageError(f"{name} needs capability weights")
        source = tables.weighted
    else:
        source = tables.counts
    return measure_of_table(name, source if ties == "valued" else to_binary(source))


def measure_of_table(name: str, table: np.ndarray) -> np.ndarray:
    """One measure from the contingency tables it reads (valued or binary, counted or
    weighted, as the measure's name says)."""
    family, _, distance, _ = MEASURES[name]
    if family == "s":
        return s_score(table, 1 if distance == "absolute" else 2)
    if family == "pi":
        return chance_corrected(table, pooled=True)
    if family == "kappa":
        return chance_corrected(table, pooled=False)
    return tau_b(table)


def portfolio_measure(name: str, x: Sequence[float], y: Sequence[float],
                      weights: Sequence[float] | None = None) -> float:
    """One measure for two portfolios given as vectors: the plain per-pair definition.

    >>> portfolio_measure("s_valued_absolute_weighted", [3, 3, 2, 2], [2, 2, 3, 3],
    ...                   [0.5, 0.3, 0.1, 0.1])
    0.333...
    """
    family, ties, distance, weighting = MEASURES[name]
    a = np.asarray(x, dtype=np.int64)
    b = np.asarray(y, dtype=np.int64)
    if ties == "binary":
        a, b = (a >= 1).astype(np.int64), (b >= 1).astype(np.int64)
    levels = VALUES if ties == "valued" else 2
    w = np.ones(len(a)) if weighting == "unweighted" or weights is None \
        else np.asarray(weights, dtype=np.float64)
    if family == "s":
        power = 1 if distance == "absolute" else 2
        d = float(np.sum(w * np.abs(a - b) ** power))
        return float(1 - 2 * d / (float(w.sum()) * (levels - 1) ** power))
    if family in ("pi", "kappa"):
        n = len(a)
        observed = float(np.sum((a - b) ** 2)) / n
        pa = np.bincount(a, minlength=levels) / n
        pb = np.bincount(b, minlength=levels) / n
        if family == "pi":
            pa = pb = (pa + pb) / 2
        grid = np.arange(levels)
        expected = float(pa @ ((grid[:, None] - grid[None, :]) ** 2) @ pb)
        return math.nan if expected <= 1e-12 else 1 - observed / expected
    concordant = discordant = ties_a = ties_b = 0
    for k in range(len(a)):
        for m in range(k + 1, len(a)):
            da, db = a[k] - a[m], b[k] - b[m]
            if da == 0 and db == 0:
                continue
            if da == 0:
                ties_a += 1
            elif db == 0:
                ties_b += 1
            elif da * db > 0:
                concordant += 1
            else:
                discordant += 1
    denominator = math.sqrt((concordant + discordant + ties_a)
                            * (concordant + discordant + ties_b))
    return math.nan if denominator == 0 else (concordant - discordant) / denominator

