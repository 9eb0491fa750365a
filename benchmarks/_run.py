"""Running one ``alliancekit`` command as a fresh process, timed, with its peak memory.

Before the first run the package's bytecode is compiled, as Python does by itself on a user's
first run. Where ``PYTHONDONTWRITEBYTECODE`` is set (this sandbox sets it) an editable install
would otherwise compile its 120 modules again in every process, about 0.1 s that no user with an
ordinary install waits for.
"""

from __future__ import annotations

import compileall
import importlib.util
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ALLIANCEKIT = str(Path(sys.executable).parent / "alliancekit")
_compiled: list[bool] = []


def compile_package() -> None:
    """Write the installed package's bytecode once (see the module docstring)."""
    if not _compiled:
        spec = importlib.util.find_spec("alliancekit")
        if spec is None or not spec.submodule_search_locations:
            sys.exit("alliancekit is not installed in this Python")
        compileall.compile_dir(spec.submodule_search_locations[0], quiet=1)
        _compiled.append(True)


def run_once(args: list[str]) -> tuple[float, float | None]:
    """Wall seconds and peak MB (maximum resident set size, from ``/usr/bin/time -v`` when the
    machine has it) of one fresh ``alliancekit`` process."""
    compile_package()
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


def run_commands(commands: dict[str, list[str]], description: str) -> None:
    """The usual benchmark main: ``--repeat`` fresh runs of each command (``{tmp}`` in an
    argument becomes a temporary directory), one :func:`report` line each."""
    import argparse
    import os
    import tempfile

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    if not os.environ.get("ALLIANCEKIT_DATA"):
        sys.exit("set ALLIANCEKIT_DATA to the research data (e.g. ../shared/data)")
    with tempfile.TemporaryDirectory() as tmp:
        for label, template in commands.items():
            args = [a.replace("{tmp}", tmp) for a in template]
            runs = [run_once(args) for _ in range(options.repeat)]
            report(label, [w for w, _ in runs], [p for _, p in runs if p is not None])
