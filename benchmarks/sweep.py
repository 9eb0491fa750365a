"""Whole-process benchmark of the exposure atlas (issue 17): scenarios per second in-process and
on 1 and 2 local worker processes, peak memory per worker, and the projected time of the full
atlas on 100 workers.

1. ``alliancekit sweep exposure --years 1816-2025 --draws 1000 --out DIR`` runs ``--repeat``
   times as a fresh process for each of: in-process, ``--workers 1``, ``--workers 2`` (a new
   output directory each time, so nothing is resumed). A scenario is one (target, attacker,
   year) row of the atlas; scenarios per second is rows / median wall time.
2. The same sweep on a Dask ``LocalCluster`` of 2 workers started here: each worker's
   resident memory idle and after the run and its peak (``/proc/self/status``), beside the
   inputs' size, to show the memory is bounded by a partition and the inputs, not by the run.
3. Every partition timed in this process: the cost per partition (median, largest, total),
   from which the full atlas on N workers takes about start-up + the largest of (total / N,
   the largest partition) plus the scheduler's per-task overhead (~1 ms a task).

Usage: ALLIANCEKIT_DATA=../shared/data python benchmarks/sweep.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _run import report, run_once

YEARS = (1816, 2025)


def _memory_mb() -> dict[str, float]:
    """This process's resident memory now (VmRSS) and at its peak (VmHWM), in MB (Linux)."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--draws", type=int, default=1000)
    options = parser.parse_args()
    if not os.environ.get("ALLIANCEKIT_DATA"):
        sys.exit("set ALLIANCEKIT_DATA to the research data (e.g. ../shared/data)")
    import pandas as pd
    from distributed import Client, LocalCluster

    from alliancekit.sweeps.exposure import exposure_sweep
    from alliancekit.sweeps.runner import partition_seed, run

    span = f"{YEARS[0]}-{YEARS[1]}"
    rows = None
    medians = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, extra in (("in-process", []), ("--workers 1", ["--workers", "1"]),
                             ("--workers 2", ["--workers", "2"])):
            walls, peaks = [], []
            for k in range(options.repeat):
                out = Path(tmp) / f"{label.replace(' ', '')}-{k}"
                wall, peak = run_once(["sweep", "exposure", "--years", span, "--draws",
                                       str(options.draws), "--out", str(out), *extra])
                walls.append(wall)
                if peak is not None:
                    peaks.append(peak)
                if rows is None:
                    rows = len(pd.read_parquet(out / "atlas", columns=["ccode"]))
            report(f"sweep exposure --years {span} --draws {options.draws} ({label})", walls,
                   peaks)
            medians[label] = statistics.median(walls)
        assert rows is not None
        print(f"scenarios (target x attacker x year rows): {rows:,}")
        for label, wall in medians.items():
            print(f"  {label}: {rows / wall:,.0f} scenarios/s (whole process)")

        sweep = exposure_sweep(YEARS, draws=options.draws)
        print(f"inputs shipped to each worker: {sweep.inputs.nbytes / 1e6:.1f} MB")
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            idle = client.run(_memory_mb)
            run(sweep, Path(tmp) / "measured", seed=1, cluster=cluster.scheduler_address)
            busy = client.run(_memory_mb)
        for worker in sorted(busy):
            print(f"  worker {worker}: resident {idle[worker]['VmRSS']:.0f} MB idle, "
                  f"{busy[worker]['VmRSS']:.0f} MB after the run, peak "
                  f"{busy[worker]['VmHWM']:.0f} MB")

        costs = []
        for year in sweep.keys:
            start = time.perf_counter()
            sweep.compute(sweep.inputs, year, partition_seed(1, year))
            costs.append(time.perf_counter() - start)
        total = sum(costs)
        print(f"cost per partition (year): median {statistics.median(costs) * 1000:.0f} ms, "
              f"largest {max(costs) * 1000:.0f} ms, all {len(costs)} {total:.1f} s")
        startup = medians["in-process"] - total
        for workers in (1, 2, 100):
            projected = max(startup, 0) + max(total / workers, max(costs)) + \
                len(costs) * 0.001
            print(f"  projected full atlas on {workers} workers: {projected:.1f} s")


if __name__ == "__main__":
    main()
