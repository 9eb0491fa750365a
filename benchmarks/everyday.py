"""Whole-process benchmark of the everyday commands (issue 12): what a user waits for.

Each command runs ``--repeat`` times as a fresh ``alliancekit`` process (imports, loading the
pledge index and writing the output included); the script prints the median wall seconds, every
run, and the peak memory (maximum resident set size, from ``/usr/bin/time -v``). The first run
of the obligation command after a change of inputs builds the pledge index (reported apart as
"cold", with the user cache emptied of it); the others load it.

``serve ready`` is the time from starting ``alliancekit serve`` to its first answer of
``/api/defenders/SAU?on=2025-10-01`` (it loads the pledges before it listens).

Targets: obligations under 1 s; serve ready under 2 s; P3 (the full directed panel written to
Parquet) under 1.2 s; similarity for all dyad-years under 5 s.

Usage: ALLIANCEKIT_DATA=../shared/data python benchmarks/everyday.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import platformdirs
from _run import ALLIANCEKIT, report, run_once

COMMANDS = {
    "obligations defenders SAU --on 2025-10-01 --attacker IRN": [
        "obligations", "defenders", "SAU", "--on", "2025-10-01", "--attacker", "IRN"],
    "P3: panel dyad-years, cow, directed, 1816-2016, atop,nmc,contiguity,majors -> parquet": [
        "panel", "dyad-years", "--system", "cow", "--directed", "--years", "1816-2016", "--add",
        "atop,nmc,contiguity,majors", "--out", "{tmp}/p3.parquet"],
    "similarity --years 1816-2018 -> parquet (all 14 measures)": [
        "similarity", "--years", "1816-2018", "--out", "{tmp}/similarity.parquet"],
}


def serve_ready() -> float:
    """Seconds from starting ``alliancekit serve`` to its first answer."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    start = time.perf_counter()
    server = subprocess.Popen([ALLIANCEKIT, "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/api/defenders/SAU?on=2025-10-01", timeout=5).read()
                return time.perf_counter() - start
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("serve exited before answering") from None
                time.sleep(0.01)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    if not os.environ.get("ALLIANCEKIT_DATA"):
        sys.exit("set ALLIANCEKIT_DATA to the research data (e.g. ../shared/data)")
    parsed = Path(platformdirs.user_cache_dir("alliancekit")) / "parsed"
    for entry in parsed.glob("pledges.*.arrow"):
        entry.unlink()
    first = COMMANDS["obligations defenders SAU --on 2025-10-01 --attacker IRN"]
    wall, peak = run_once(first)
    report("obligations defenders (cold: builds the pledge index)", [wall],
           [peak] if peak else [])
    with tempfile.TemporaryDirectory() as tmp:
        for label, template in COMMANDS.items():
            runs = [run_once([a.replace("{tmp}", tmp) for a in template])
                    for _ in range(options.repeat)]
            report(label, [w for w, _ in runs], [p for _, p in runs if p is not None])
    report("serve ready (first /api/defenders answer)",
           [serve_ready() for _ in range(options.repeat)], [])


if __name__ == "__main__":
    main()
