"""Whole-process benchmark: the commands a user runs about today's alliances, with and without
carrying ATOP's pledges past 2018.

Each command runs ``--repeat`` times as a fresh process (``alliancekit ...``, imports and data
loading included); the script prints each command's median wall seconds and its peak memory
(maximum resident set size, measured per run through ``/usr/bin/time`` when present, else the
children's maximum so far).

Usage: ALLIANCEKIT_DATA=../shared/data python benchmarks/carry_forward.py [--repeat 5]
"""

from __future__ import annotations

from _run import run_commands

COMMANDS = {
    "defenders MLI 2024 (carried)": ["obligations", "defenders", "MLI", "--on", "2024-06-01"],
    "defenders MLI 2024 (--no-carry-forward)": ["obligations", "defenders", "MLI", "--on",
                                                "2024-06-01", "--no-carry-forward"],
    "panel 2015-2025 atop,curated (carried)": ["panel", "dyad-years", "--years", "2015-2025",
                                               "--mry", "--add", "atop", "--alliance-sources",
                                               "atop,curated", "--out", "{tmp}/p.parquet"],
    "panel 2015-2025 atop,curated (--no-carry-forward)": [
        "panel", "dyad-years", "--years", "2015-2025", "--mry", "--add", "atop",
        "--alliance-sources", "atop,curated", "--no-carry-forward", "--out", "{tmp}/q.parquet"],
    "records since-2018": ["records", "since-2018", "--json"],
}


def main() -> None:
    run_commands(COMMANDS, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
