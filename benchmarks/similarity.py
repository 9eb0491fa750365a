"""Whole-process benchmark: every similarity measure for all directed dyad-years, 1816-2018.

Runs ``alliancekit.add_similarity`` (all 14 measures, global scope, ATOP ties, CINC weights) on
``create_dyadyears(years=(1816, 2018), mry=True)`` in a fresh Python process, imports and data
loading included, and reports wall seconds and peak memory (maximum resident set size).
Target: under 10 s on the 2-core machine.

The baseline is the naive loop: every pair of states compared portfolio by portfolio with
``portfolio_measure`` (the plain per-pair definition). It is far too slow to run in full, so it
runs on a sample of years and its full-period time is extrapolated from its time per dyad-year;
the sample's values are also compared with the fast path (match = equal within 1e-9, or both
missing).

Usage: ALLIANCEKIT_DATA=../shared/data python benchmarks/similarity.py [--repeat 3]
       [--sample-years 1816,1900,1990] [--sample-pairs 300]
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import statistics
import subprocess
import sys
import time

JOB = """
import json
import alliancekit as ak
panel = ak.create_dyadyears("cow", (1816, 2018), mry=True)
panel = ak.add_similarity(panel)
print(json.dumps({"rows": len(panel), "columns": panel.shape[1]}))
"""


def run_once() -> dict[str, float]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", JOB], check=True, capture_output=True,
                          text=True)
    wall = time.perf_counter() - start
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result.update(wall_s=wall,
                  peak_mb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    return result


def naive_sample(years: list[int], pairs: int) -> tuple[float, int, int]:
    """Seconds per dyad-year of the naive loop, and matches / comparisons against the fast path."""
    import numpy as np

    import alliancekit as ak
    from alliancekit.measures.similarity import MEASURES, portfolio_measure
    from alliancekit.panels.similarity import tie_table, years_of
    from alliancekit.sources.nmc import load_nmc

    ties, _ = tie_table(("atop",), None, None)
    system = ak.create_stateyears("cow", (min(years), max(years)), mry=True)
    system = system[system["year"].isin(years)].sort_values(["year", "ccode"],
                                                            ignore_index=True)
    cinc = load_nmc("7.0")[["ccode", "year", "cinc"]]
    rng = np.random.default_rng(2026)
    seconds = 0.0
    compared = matched = done = 0
    for year in years_of(ties, system, cinc, years):
        panel = ak.create_dyadyears("cow", (year.year, year.year), mry=True)
        fast = ak.add_similarity(panel)
        sample = fast.iloc[rng.choice(len(fast), size=min(pairs, len(fast)), replace=False)]
        index = {int(c): k for k, c in enumerate(year.states)}
        weights = year.weights if year.weights is not None else np.ones(len(year.states))
        start = time.perf_counter()
        plain = [
            {name: portfolio_measure(name, year.ties[index[a]], year.ties[index[b]], weights)
             for name in MEASURES}
            for a, b in zip(sample["ccode1"], sample["ccode2"], strict=True)
        ]
        seconds += time.perf_counter() - start
        done += len(sample)
        for values, (_, row) in zip(plain, sample.iterrows(), strict=True):
            for name, value in values.items():
                compared += 1
                other = float(row[name])
                matched += (math.isnan(value) and math.isnan(other)) or abs(value - other) < 1e-9
    return seconds / done, matched, compared


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample-years", default="1816,1900,1950,1990,2018")
    parser.add_argument("--sample-pairs", type=int, default=300)
    args = parser.parse_args()
    runs = [run_once() for _ in range(args.repeat)]
    for i, r in enumerate(runs, 1):
        print(f"run {i}: {r['rows']:,} dyad-years x {r['columns']} columns, "
              f"{r['wall_s']:.2f} s wall, peak {r['peak_mb']:.0f} MB")
    median = statistics.median(r["wall_s"] for r in runs)
    print(f"median wall {median:.2f} s (target < 10 s); peak memory "
          f"{max(r['peak_mb'] for r in runs):.0f} MB")
    years = [int(y) for y in args.sample_years.split(",")]
    per_pair, matched, compared = naive_sample(years, args.sample_pairs)
    rows = runs[0]["rows"]
    naive_total = per_pair * rows
    print(f"naive loop: {per_pair * 1e3:.2f} ms per dyad-year (14 measures), so about "
          f"{naive_total / 3600:.1f} h for {rows:,} dyad-years: {naive_total / median:,.0f} "
          "times slower than the whole fast process")
    print(f"sample check against the naive loop: {matched:,} of {compared:,} values match "
          f"({100 * matched / compared:.2f}%)")


if __name__ == "__main__":
    main()
