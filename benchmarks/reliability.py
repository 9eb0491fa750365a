"""Whole-process benchmark of the reliability work (issue 15): what a user waits for.

Each command runs ``--repeat`` times as a fresh ``alliancekit`` process (imports, loading ATOP,
the curated records and the COW wars, and writing the outputs included); the script prints the
median wall seconds, every run, and the peak memory (maximum resident set size).

The issue's target: all war cases and the full backtest in under 60 s. ``backtest`` builds every
war case itself (for the leave-one-out rates) and then simulates every war onset with a pledge in
play under ten settings, 2,000 draws each, and writes the table, the plot and the report.

Usage: ALLIANCEKIT_DATA=../shared/data python benchmarks/reliability.py [--repeat 5]
"""

from __future__ import annotations

from _run import run_commands

COMMANDS = {
    "reliability --events wars --years 1816-2003 --by era,obligation (all war cases, written)": [
        "reliability", "--events", "wars", "--years", "1816-2003", "--by", "era,obligation",
        "--cases-out", "{tmp}/cases.parquet", "--format", "csv"],
    "backtest --events wars (all cases, 10 settings x 2,000 draws, table, plot, report)": [
        "backtest", "--events", "wars", "--out", "{tmp}/backtest"],
    "simulate iran_saudi_2025.yaml --cascade (empirical rates, 10,000 draws)": [
        "simulate", "examples/scenarios/iran_saudi_2025.yaml", "--cascade", "--format", "json"],
}


def main() -> None:
    run_commands(COMMANDS, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
