"""Explorer load test: p95 latency of the main API endpoints at 50 concurrent clients, and the
first view of each page.

Starts ``alliancekit serve`` in a separate process on a free loopback port (the server loads
the pledges before it listens). For each endpoint it times the first request (computed), then
runs ``wrk`` (Debian's package: ``apt-get install wrk``)
against each endpoint for ``--seconds`` with 50 connections on 2 threads and prints its latency
percentiles. Then times one request for each page's first view, in English and Arabic.
Targets: p95 under 50 ms at 50 concurrent clients; each page's first view under 500 ms.

Usage: ALLIANCEKIT_DATA=../shared/data python benchmarks/explorer.py [--seconds 10]
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

# wrk prints p50/p75/p90/p99; this asks it for the 95th percentile too (microseconds -> ms).
P95_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("p95_ms %.3f\\n", latency:percentile(95) / 1000))
end
"""
# Every request a different question (state x day), so each one is computed, not replayed.
VARIED_SCRIPT = """
local states = {"SAU", "PAK", "TUR", "EGY", "IRN", "USA", "FRN", "GMY", "RUS", "CHN", "IND",
                "JPN", "QAT", "UAE", "KUW", "AZE", "JOR", "IRQ", "ISR", "MOR"}
counter = 0
request = function()
  counter = counter + 1
  local state = states[(counter % #states) + 1]
  local year = 1950 + (counter % 76)
  local day = 1 + (math.floor(counter / 76) % 28)
  return wrk.format("GET", string.format("/api/defenders/%s?on=%d-03-%02d", state, year, day))
end
""" + P95_SCRIPT
ENDPOINTS = [
    "/api/states",
    "/api/defenders/SAU?on=2025-10-01",
    "/api/defenders/TUR?on=2018-06-01&attacker=SYR",
    "/api/states/PAK?on=2025-10-01",
    "/api/agreements/nato",
]
PAGES = ["/", "/?state=PAK&year=2025", "/states/PAK?year=2025", "/agreements/nato",
         "/network", "/network?year=2018", "/scenario?attacker=IRN&target=SAU&date=2025-10-01",
         "/?state=RUS&year=1980", "/?state=PAK&year=2025&lang=ar",
         "/states/PAK?year=2025&lang=ar", "/network?year=2018&lang=ar",
         "/scenario?attacker=IRN&target=SAU&date=2025-10-01&cascade=1&lang=ar",
         "/search?q=%D8%A8%D8%A7%D9%83%D8%B3%D8%AA%D8%A7%D9%86", "/alliances/1385",
         "/alliances/3205?lang=ar", "/?state=TUR&year=1900", "/network?year=1980",
         "/agreements?lang=ar", "/?state=PAK&year=2025&download=csv"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def percentile(output: str, label: str) -> float:
    """A latency percentile from ``wrk --latency`` output, in milliseconds."""
    found = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
    if not found:
        raise SystemExit(f"no {label}th percentile in wrk's output:\n{output}")
    value, unit = float(found.group(1)), found.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("needs wrk: apt-get install wrk")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-c", "from alliancekit.cli import main; main()",
                               "serve", "--port", str(port)], stdout=subprocess.DEVNULL)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(P95_SCRIPT)
    try:
        wait_for(base + "/api/states")
        print(f"{args.connections} connections, 2 threads, {args.seconds} s per endpoint")
        for endpoint in ENDPOINTS:
            began = time.perf_counter()
            urllib.request.urlopen(base + endpoint, timeout=60).read()
            first = (time.perf_counter() - began) * 1000
            done = subprocess.run(["wrk", "-t2", f"-c{args.connections}",
                                   f"-d{args.seconds}s", "--latency", "-s", script.name,
                                   base + endpoint],
                                  capture_output=True, text=True, check=True)
            p95 = re.search(r"^p95_ms ([\d.]+)$", done.stdout, re.M)
            rate = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
            print(f"{endpoint}: p50 {percentile(done.stdout, '50'):.1f} ms, "
                  f"p95 {float(p95.group(1)) if p95 else float('nan'):.1f} ms, "
                  f"p99 {percentile(done.stdout, '99'):.1f} ms, "
                  f"{float(rate.group(1)) if rate else 0:,.0f} req/s; first request {first:.0f} ms"
                  + (f", {errors.group(1)} non-2xx" if errors else ""))
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as varied:
            varied.write(VARIED_SCRIPT)
        done = subprocess.run(["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s",
                               "--latency", "-s", varied.name, base],
                              capture_output=True, text=True, check=True)
        p95 = re.search(r"^p95_ms ([\d.]+)$", done.stdout, re.M)
        rate = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
        print(f"/api/defenders, a different state and day each request (computed): p50 "
              f"{percentile(done.stdout, '50'):.1f} ms, p95 "
              f"{float(p95.group(1)) if p95 else float('nan'):.1f} ms, "
              f"{float(rate.group(1)) if rate else 0:,.0f} req/s")
        for page in PAGES:
            began = time.perf_counter()
            body = urllib.request.urlopen(base + page, timeout=60).read()
            took = time.perf_counter() - began
            print(f"page {page}: first view {took * 1000:.0f} ms, {len(body) / 1024:.0f} KB")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
