"""Obligation engine benchmark: load time, defenders-query latency, simulation time.

In one fresh process (2-core machine): builds the pledge table from ATOP and the curated records
(whole load, reported separately), then times ``defenders_of`` over a fixed list of targets and
days (median and 95th percentile over all calls) and 10,000 Monte Carlo draws of scenarios with
about 40 and 60 involved states, with and without the cascade. Targets: a defenders query under
5 ms (median); 10,000 draws of a 40-state scenario under 1 s.

Usage: ALLIANCEKIT_DATA=../shared/data python benchmarks/obligations.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

QUERIES = [("SAU", "2018-12-31"), ("TUR", "2018-06-01"), ("USA", "1990-01-01"),
           ("FRN", "1914-07-28"), ("EST", "2018-06-01"), ("PAK", "2025-10-01"),
           ("AZE", "2022-03-01"), ("EGY", "1967-06-05"), ("KUW", "1990-08-02"),
           ("QAT", "2025-09-09")]
SCENARIOS = [
    ({"attackers": ["RUS"], "targets": ["EST"], "on": "2018-06-01"}, False),
    ({"attackers": ["RUS"], "targets": ["EST"], "on": "2018-06-01"}, True),
    ({"attackers": ["IRN"], "targets": ["SAU"], "on": "2025-10-01"}, True),
    ({"attackers": ["AUH"], "targets": [345], "on": "1914-07-28"}, True),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="passes over the query list")
    args = parser.parse_args()
    start = time.perf_counter()
    from alliancekit.obligations.engine import Obligations
    from alliancekit.obligations.scenario import Scenario
    from alliancekit.obligations.simulation import _pledge_network, simulate

    engine = Obligations()
    loaded = time.perf_counter() - start
    print(f"load (imports, ATOP and curated pledges): {loaded:.2f} s, {len(engine.table):,} "
          f"directed pledges, sources {', '.join(engine.sources)}")
    times = []
    for _ in range(args.repeat):
        for target, day in QUERIES:
            began = time.perf_counter()
            engine.defenders_of(target, day)
            times.append(time.perf_counter() - began)
    times.sort()
    print(f"defenders_of: {len(times)} calls, median {statistics.median(times) * 1e3:.2f} ms, "
          f"p95 {times[int(0.95 * len(times))] * 1e3:.2f} ms (target: median < 5 ms)")
    for spec, cascade in SCENARIOS:
        plan = Scenario.from_mapping(spec)
        network = _pledge_network(engine, plan, cascade)
        began = time.perf_counter()
        result = simulate(engine, plan, draws=10_000, seed=1, cascade=cascade)
        took = time.perf_counter() - began
        print(f"simulate {plan.describe()}, cascade={cascade}: {len(network['states'])} "
              f"involved states, {len(network['giver_index'])} pledges, 10,000 draws in "
              f"{took:.3f} s; {len(result.joins)} states may join")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
