"""Starvation benchmark: does heavy page traffic slow the quick API down?

Starts ``alliancekit serve`` (default workers) on a free port and waits for its background
warm-up. Then measures computed ``/api/defenders`` answers (a different state and day each
request, 10 connections, ``--seconds``) twice with ``wrk``: alone, and while 50 more
connections load state pages (``/states/SAU?year=...``, the heaviest page, a different year
each request). Prints both p50/p95, the page rate and how many pages were refused with 503
(the server's bounded queue). Target: the API's p95 under load within 2x of its p95 alone.

Usage: ALLIANCEKIT_DATA=../shared/data python benchmarks/starvation.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time

from explorer import P95_SCRIPT, VARIED_SCRIPT, free_port, wait_for

PAGES_SCRIPT = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", string.format("/states/SAU?year=%d", 1950 + (counter % 76)))
end
""" + P95_SCRIPT


def wrk(base: str, script: str, connections: int, seconds: int) -> subprocess.Popen[str]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    return subprocess.Popen(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
                             "-s", handle.name, base], stdout=subprocess.PIPE, text=True)


def summary(output: str) -> str:
    p95 = re.search(r"^p95_ms ([\d.]+)$", output, re.M)
    p50 = re.search(r"^\s*50%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    refused = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    p50_ms = float("nan")
    if p50:
        value, unit = float(p50.group(1)), p50.group(2)
        p50_ms = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    return (f"p50 {p50_ms:.1f} ms, p95 {float(p95.group(1)) if p95 else float('nan'):.1f} ms, "
            f"{float(rate.group(1)) if rate else 0:,.0f} req/s"
            + (f", {refused.group(1)} non-2xx" if refused else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("needs wrk: apt-get install wrk")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-c", "from alliancekit.cli import main; main()",
                               "serve", "--port", str(port)], stdout=subprocess.DEVNULL)
    try:
        wait_for(base + "/api/states")
        time.sleep(8)  # the background warm-up of the pages' sources
        alone = wrk(base, VARIED_SCRIPT, 10, args.seconds).communicate()[0]
        print(f"/api/defenders (computed), alone: {summary(alone)}", flush=True)
        pages = wrk(base, PAGES_SCRIPT, 50, args.seconds + 4)
        time.sleep(2)
        loaded = wrk(base, VARIED_SCRIPT, 10, args.seconds).communicate()[0]
        page_output = pages.communicate()[0]
        print(f"/api/defenders (computed), while 50 connections load state pages: "
              f"{summary(loaded)}")
        print(f"/states/SAU?year=... (50 connections): {summary(page_output)}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
