"""Whole-process benchmark of the conflict panels (issue 14): what a user waits for.

Each command runs ``--repeat`` times as a fresh ``alliancekit`` process (imports, loading the
sources and writing the output included); the script prints the median wall seconds, every run,
and the peak memory (maximum resident set size, from ``/usr/bin/time -v``).

The issue's target was the non-directed COW dyad-years 1816-2016 with ``gml_mids,peace_years``
under 2 s. alliancekit does not read the GML MID data (its maintainer asked software not to
automate it; see docs/sources.md), so the same panel is measured with the COW inter-state wars
and their peace years, the dyadic conflict variables alliancekit has, and the G-W state-years
with UCDP's conflicts and their peace years.

Usage: ALLIANCEKIT_DATA=../shared/data python benchmarks/conflict.py [--repeat 5]
"""

from __future__ import annotations

from _run import run_commands

COMMANDS = {
    "panel dyad-years, cow, non-directed, 1816-2016, cow_wars,peace_years -> parquet": [
        "panel", "dyad-years", "--system", "cow", "--non-directed", "--years", "1816-2016",
        "--add", "cow_wars,peace_years", "--out", "{tmp}/wars.parquet"],
    "panel dyad-years, cow, directed, 1816-2016, cow_wars,peace_years -> parquet": [
        "panel", "dyad-years", "--system", "cow", "--directed", "--years", "1816-2016",
        "--add", "cow_wars,peace_years", "--out", "{tmp}/wars_directed.parquet"],
    "panel state-years, gw, ucdp_acd,peace_years -> csv": [
        "panel", "state-years", "--system", "gw", "--add", "ucdp_acd,peace_years", "--out",
        "{tmp}/ucdp.csv"],
}


def main() -> None:
    run_commands(COMMANDS, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
