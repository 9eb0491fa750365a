"""Whole-process benchmark: the full directed COW dyad-year panel, 1816-2016.

Builds ``create_dyadyears(system="cow", directed=True, years=(1816, 2016))`` with ATOP, NMC,
contiguity and major powers in a fresh Python process (imports and data loading included) and
prints its rows, columns, wall seconds and peak memory (maximum resident set size). Runs the job
``--repeat`` times and reports each run and the median.

The reference: the same job in peacesciencer (R) takes 11.6 s whole process with a 1.76 GB peak
on the 2-core machine (1,912,290 rows, 26 columns). Target: under 1.2 s and under 900 MB.

Usage: ALLIANCEKIT_DATA=../shared/data python benchmarks/dyadyear_panel.py [--repeat 5] [--cold]
       [--out F]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

JOB = """
import json, sys
import alliancekit as ak
panel = ak.create_dyadyears(system="cow", directed=True, years=(1816, 2016))
panel = ak.add_atop_alliance(panel)
panel = ak.add_nmc(panel)
panel = ak.add_contiguity(panel)
panel = ak.add_majors(panel)
out = sys.argv[1] if len(sys.argv) > 1 else ""
if out:
    ak.write_panel(panel, out)
print(json.dumps({"rows": len(panel), "columns": panel.shape[1]}))
"""


def run_once(out: str, cold: bool) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    env = dict(os.environ)
    if cold:
        env["ALLIANCEKIT_NO_PARSED_CACHE"] = "1"
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", JOB, out], check=True, capture_output=True, text=True, env=env
    )
    wall = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # ru_maxrss of children is the maximum over all children so far; each run is reported only
    # when it raises that maximum, so the first run's figure is exact and later ones are bounds.
    result.update(wall_s=wall, peak_mb=max(peak_kb, before) / 1024)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", default="", help="also write the panel to this file")
    parser.add_argument("--cold", action="store_true",
                        help="parse every CSV afresh (no parsed-table cache)")
    args = parser.parse_args()
    print("cold: every source parsed from CSV" if args.cold
          else "warm: parsed tables from the user cache (after the first run)")
    runs = [run_once(args.out, args.cold) for _ in range(args.repeat)]
    for i, r in enumerate(runs, 1):
        print(f"run {i}: {r['rows']:,} rows x {r['columns']} columns, "
              f"{r['wall_s']:.3f} s wall, peak {r['peak_mb']:.0f} MB")
    print(f"median wall {statistics.median(r['wall_s'] for r in runs):.3f} s; "
          f"peak memory {max(r['peak_mb'] for r in runs):.0f} MB "
          f"(target < 1.2 s and < 900 MB; peacesciencer 11.6 s and 1,760 MB)")


if __name__ == "__main__":
    main()
