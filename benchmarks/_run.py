"""Running one ``alliancekit`` command as a fresh process, timed, with its peak memory."""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ALLIANCEKIT = str(Path(sys.executable).parent / "alliancekit")


def run_once(args: list[str]) -> tuple[float, float | None]:
    """Wall seconds and peak MB (maximum resident set size, from ``/usr/bin/time -v`` when the
    machine has it) of one fresh ``alliancekit`` process."""
    command = [ALLIANCEKIT, *args]
    if Path("/usr/bin/time").exists():
        command = ["/usr/bin/time", "-v", *command]
    start = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return wall, (int(found.group(1)) / 1024 if found else None)


def report(label: str, walls: list[float], peaks: list[float]) -> None:
    """One line: the median wall time, every run, and the largest peak memory."""
    peak = f"{max(peaks):.0f} MB" if peaks else "n/a"
    print(f"{label}: median {statistics.median(walls):.2f} s "
          f"(runs {', '.join(f'{w:.2f}' for w in walls)}), peak {peak}", flush=True)
