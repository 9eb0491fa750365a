"""Issue 13's defects, each with the input as the probe gave it: bad states, seeds and draws,
scenario files that explode or are not text, damaged data files, and the command line's one
error path (no traceback; --debug shows it; SIGTERM leaves no temporary file)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from alliancekit.cli import main
from alliancekit.curated.records import check_records
from alliancekit.errors import UsageError
from alliancekit.names import resolve_state
from alliancekit.obligations.scenario import Scenario
from alliancekit.web.app import create_app
from tests.conftest import (
    NO_REAL_DATA,
    STATES,
    real_data_dir,
    running_server,
    write_data_dir,
)
from tests.records_kit import SOURCE, member, pact, records_dir

BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi",
                                                                 strict=True)
) + "attackers: [IRN]\ntargets: [SAU]\non: 2025-10-01\n"


def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
            *args: str) -> tuple[int, str]:
    """Run ``alliancekit ARGS`` through ``main`` as the shell does: exit code and stderr."""
    monkeypatch.setattr("sys.argv", ["alliancekit", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    code = exited.value.code
    # a progress display may leave a blank line before the error: the error is the last line
    return (code if isinstance(code, int) else 1), capsys.readouterr().err.lstrip("\n")


# -- 1. states given as Unicode digits, huge codes or blanks; negative seeds ----------------

@pytest.mark.parametrize("text", ["²", "٦٧٠", "1" * 5000, "", "   "])
def test_a_state_is_ascii_digits_a_code_or_a_name(text: str) -> None:
    with pytest.raises(UsageError) as refused:
        resolve_state(text, "target")
    assert str(refused.value).startswith("target")
    assert len(str(refused.value)) < 300


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(), raise_server_exceptions=False)


@pytest.mark.parametrize("url", [
    "/api/states/%C2%B2", "/api/defenders/%C2%B2?on=2020-01-01",
    "/api/defenders/SAU?on=2020-01-01&attacker=%C2%B2", "/states/%C2%B2",
    "/api/defenders/" + "1" * 5000 + "?on=2020-01-01",
])
def test_the_server_answers_a_bad_state_with_4xx(client: TestClient, url: str) -> None:
    answer = client.get(url, headers={"accept": "application/json"})
    assert 400 <= answer.status_code < 500, answer.text[:300]
    assert answer.json()["error"]["code"]


def test_a_scenario_body_with_a_bad_state_or_a_negative_seed_is_refused(
        client: TestClient) -> None:
    bad_state = client.post("/api/scenarios", json={"attackers": ["²"], "targets": ["SAU"],
                                                    "on": "2020-01-01"})
    assert 400 <= bad_state.status_code < 500
    negative = client.post("/api/scenarios", json={"attackers": ["IRN"], "targets": ["SAU"],
                                                   "on": "2020-01-01", "seed": -1})
    assert negative.status_code == 422
    assert negative.json()["error"]["field"] == "seed"


def test_simulate_refuses_a_negative_seed_and_too_many_draws(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text("attackers: [IRN]\ntargets: [SAU]\non: 2025-10-01\n")
    code, err = run_cli(monkeypatch, capsys, "simulate", str(scenario), "--seed", "-1",
                        "--sources", "curated")
    assert code == 1 and err.startswith("Error: seed=-1") and "Traceback" not in err
    code, err = run_cli(monkeypatch, capsys, "simulate", str(scenario), "--draws",
                        "1000000000", "--sources", "curated")
    assert code == 1 and "above the limit" in err and "give at most" in err


# -- 4. scenario files: alias bombs, impossible dates, binary, deep nesting ----------------

def test_an_alias_bomb_is_refused_at_once_with_a_short_message(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB)
    assert len(BOMB) < 400
    began = time.perf_counter()
    with pytest.raises(UsageError) as refused:
        Scenario.from_file(bomb)
    assert time.perf_counter() - began < 1
    assert "aliases" in str(refused.value) and len(str(refused.value)) < 400


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("date.yaml", b"attackers: [IRN]\ntargets: [SAU]\non: 2025-02-30\n", "out of range"),
    ("binary.yaml", bytes(range(256)), "not a text file"),
    ("deep.json", b"[" * 30_000 + b"]" * 30_000, "nested too deeply"),
    ("big.yaml", b"#" * 100_000, "a scenario file is at most"),
])
def test_a_broken_scenario_file_is_an_error_naming_it(tmp_path: Path, name: str,
                                                      content: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UsageError, match=expected) as refused:
        Scenario.from_file(path)
    assert str(path) in str(refused.value)


# -- 5. damaged data files and outputs: one error line, file named --------------------------

@pytest.mark.parametrize(("damage", "expected"), [
    ("truncated", "damaged or cut short"),
    ("not_gzip", "damaged or cut short"),
])
def test_a_damaged_compressed_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str], damage: str,
                                            expected: str) -> None:
    root = write_data_dir(tmp_path / "data")
    path = root / "atop_ddyr" / "atop5_1_ddyr_obligations.csv.gz"
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2] if damage == "truncated" else b"plain text\n")
    monkeypatch.setenv("ALLIANCEKIT_DATA", str(root))
    code, err = run_cli(monkeypatch, capsys, "panel", "dyad-years", "--years", "1832",
                        "--add", "atop", "--out", str(tmp_path / "out.csv"))
    assert code == 1, err
    assert err.startswith("Error: ") and expected in err and "atop5_1_ddyr" in err
    assert "Aborted" not in err and "Traceback" not in err
    assert not (tmp_path / "out.csv").exists()


def test_non_utf8_bytes_and_a_header_only_state_file_are_errors(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    root = write_data_dir(tmp_path / "data")
    nmc = root / "cow_nmc" / "nmc_v7_0_peacesciencer.csv"
    nmc.write_bytes(nmc.read_bytes().replace(b"211,1832", b"211\xff,1832"))
    monkeypatch.setenv("ALLIANCEKIT_DATA", str(root))
    code, err = run_cli(monkeypatch, capsys, "panel", "state-years", "--years", "1832",
                        "--add", "nmc", "--out", str(tmp_path / "a.csv"))
    assert code == 1 and "is not UTF-8 text" in err and "nmc_v7_0" in err
    (root / "cow_states" / "states2016.csv").write_text(STATES.splitlines()[0] + "\n")
    code, err = run_cli(monkeypatch, capsys, "panel", "state-years", "--years", "1832",
                        "--out", str(tmp_path / "b.csv"))
    assert code == 1 and "header but no rows" in err and "states2016.csv" in err


def test_an_output_under_a_file_is_one_error_line(
        tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code, err = run_cli(monkeypatch, capsys, "panel", "state-years", "--years", "1832",
                        "--out", str(blocker / "out.csv"))
    assert code == 1 and err.startswith("Error: ") and str(blocker) in err
    assert "Traceback" not in err and "--debug" in err
    monkeypatch.setattr("sys.argv", ["alliancekit", "panel", "state-years", "--years", "1832",
                                     "--out", str(blocker / "out.csv"), "--debug"])
    with pytest.raises(OSError):
        main()


def test_sigterm_during_a_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import os, signal, sys, time
        from alliancekit.cli import _terminated
        from alliancekit.io import atomic_path
        signal.signal(signal.SIGTERM, _terminated)
        with atomic_path({str(tmp_path / "out.parquet")!r}) as temporary:
            temporary.write_bytes(b"half")
            print(temporary, flush=True)
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(10)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, env={**os.environ})
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert Path(done.stdout.strip()).name.endswith(".part")
    assert list(tmp_path.iterdir()) == []


def test_a_scenario_file_error_through_the_cli_is_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB)
    code, err = run_cli(monkeypatch, capsys, "simulate", str(bomb), "--sources", "curated")
    assert code == 1 and err.count("\n") == 1 and "aliases" in err
    deep = tmp_path / "deep.json"
    deep.write_text(json.dumps({"attackers": ["IRN"]})[:-1] + ', "x": ' + "[" * 20_000
                    + "]" * 20_000 + "}")
    code, err = run_cli(monkeypatch, capsys, "simulate", str(deep), "--sources", "curated")
    assert code == 1 and "nested too deeply" in err



# -- 7. the records check: inconsistent dates, duplicates, wrong types ----------------------

_OK = pact("pact", [670, 770], [("defence", '"all"', '"all"')])


@pytest.mark.parametrize(("text", "expected"), [
    (_OK.replace('signed = "2020-01-01"', 'signed = "2020-01-01"\nended = "2019-01-01"'),
     "ended: 2019-01-01 comes before signature"),
    (_OK.replace('signed = "2020-01-01"', 'signed = "2020-01-01"\nin_force = "2019-06"'),
     "in_force: 2019-06 comes before signature"),
    (_OK.replace('state = 670\nentry = "2020-01-01"', 'state = 670\nentry = "2019-12-31"'),
     "members[0].entry: 2019-12-31 comes before signature"),
    (_OK + member(670, "2021-01-01"), "listed twice with overlapping spells"),
    (_OK + SOURCE, "is used by an earlier [[source]]"),
    (_OK.replace("state = 652", "state = [652]").replace("state = 670", "state = [670]"),
     "members[0].state: [670] is a list"),
    ("members = [1, 2]\n" + _OK.split("[[members]]")[0] + SOURCE,
     "members[0]: 1 is a number"),
    ('source = "r1"\n' + _OK.split("[[source]]")[0], "source: is a string"),
    (_OK.replace('text = "test"', 'text = "test"\nconditions = "none"'),
     "obligations[0].conditions: 'none' is a string"),
])
def test_the_records_check_finds_each_inconsistency(tmp_path: Path, text: str,
                                                    expected: str) -> None:
    root = records_dir(tmp_path / "records", {"pact": text})
    problems = check_records(root)
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("pact.toml: ") for p in problems), problems


def test_the_same_id_in_agreements_and_groups_and_a_missing_state_list(tmp_path: Path) -> None:
    root = records_dir(tmp_path / "records", {"pact": _OK})
    (root / "groups" / "pact.toml").write_text(_OK)
    assert any("is also agreements/pact.toml" in p for p in check_records(root))
    (root / "states.csv").unlink()
    assert check_records(root) == [f"{root}: missing states.csv (the states records may name)"]


# -- 2 and 6. requests bounded and answered in one shape -------------------------------------

def test_a_year_outside_the_data_is_one_kind_of_error(client: TestClient) -> None:
    later, earlier = client.get("/api/network/2999"), client.get("/api/network/1815")
    assert later.status_code == earlier.status_code == 404
    for answer in (later, earlier):
        assert answer.json()["error"]["code"] == "unknown_year"
        assert answer.json()["error"]["field"] == "year"


def test_malformed_json_a_wrong_method_and_oversized_requests(client: TestClient) -> None:
    broken = client.post("/api/scenarios", content=b'{"attackers": [',
                         headers={"content-type": "application/json"})
    assert broken.status_code == 422 and broken.json()["error"]["code"] == "invalid_json"
    assert broken.json()["error"]["field"] is None
    wrong = client.delete("/api/states")
    assert wrong.status_code == 405 and wrong.headers["allow"] == "GET"
    assert wrong.json()["error"]["code"] == "method_not_allowed"
    query = client.get("/api/states?junk=" + "x" * 3000)
    assert query.status_code == 414 and query.json()["error"]["code"] == "query_too_long"
    body = client.post("/api/scenarios", content=b" " * 300_000,
                       headers={"content-type": "application/json"})
    assert body.status_code == 413 and body.json()["error"]["code"] == "body_too_large"
    many = client.post("/api/scenarios", json={"attackers": ["IRN"] * 20_000,
                                               "targets": ["SAU"], "on": "2020-01-01"})
    assert many.status_code in (413, 422)


def test_the_answer_cache_is_bounded_in_bytes() -> None:
    app = create_app()
    app.middleware_stack = app.build_middleware_stack()  # the stack the app will use
    cache = app.middleware_stack
    while cache is not None and type(cache).__name__ != "AnswerCache":
        cache = getattr(cache, "app", None)
    assert cache is not None
    cache.budget = 200_000
    with TestClient(app) as local:
        for junk in range(40):
            assert local.get(f"/api/defenders/SAU?on=2025-10-01&junk={junk}").status_code == 200
    assert cache.held <= 200_000
    assert 0 < len(cache.answers) < 40


# -- 3. heavy work queued in bounds ---------------------------------------------------------

def test_heavy_requests_beyond_the_queue_get_503_and_quick_ones_pass() -> None:
    import asyncio

    from alliancekit.web.app import HEAVY_THREADS, HEAVY_WAITING, Queue, heavy

    assert heavy("/states/SAU") and heavy("/api/scenarios") and heavy("/network")
    assert not heavy("/api/defenders/SAU") and not heavy("/static/style.css")
    reached: list[str] = []

    async def inner(scope: dict[str, object], receive: object, send: object) -> None:
        reached.append(str(scope["path"]))

    queue = Queue(inner)
    queue.in_flight = HEAVY_THREADS + HEAVY_WAITING
    sent: list[dict[str, object]] = []

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b""}

    def scope(path: str) -> dict[str, object]:
        return {"type": "http", "path": path, "method": "GET", "headers": [],
                "query_string": b""}

    asyncio.run(queue(scope("/states/SAU"), receive, send))
    assert sent[0]["status"] == 503
    assert (b"retry-after", b"2") in sent[0]["headers"]  # type: ignore[operator]
    asyncio.run(queue(scope("/api/defenders/SAU"), receive, send))
    assert reached == ["/api/defenders/SAU"]


def test_the_csv_export_is_written_a_chunk_at_a_time() -> None:
    import pandas as pd

    from alliancekit.web.api import CSV_CHUNK_ROWS, _csv_chunks

    frame = pd.DataFrame({"ccode1": range(CSV_CHUNK_ROWS * 2 + 7), "year": 2000})
    chunks = list(_csv_chunks(frame))
    assert len(chunks) == 3
    assert b"".join(chunks).decode() == frame.to_csv(index=False)
    assert sum(chunk.count(b"ccode1") for chunk in chunks) == 1


# -- 2. a time budget that stops the work, and a client that goes away ----------------------

def test_a_scenario_past_its_time_budget_is_stopped(client: TestClient,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("alliancekit.web.api.TIME_BUDGET", 0.0)
    answer = client.post("/api/scenarios", json={"attackers": ["IRN"], "targets": ["SAU"],
                                                 "on": "2025-10-01", "draws": 5000})
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "interrupted"


@pytest.mark.skipif(real_data_dir() is None, reason=NO_REAL_DATA)
def test_a_client_that_goes_away_stops_its_scenario() -> None:
    import http.client

    big = json.dumps({"attackers": ["USA"], "targets": ["RUS"], "on": "2018-06-01",
                      "draws": 11_000, "cascade": True})
    small = json.dumps({"attackers": ["IRN"], "targets": ["SAU"], "on": "2025-10-01",
                        "draws": 100})
    with running_server("--workers", "1") as port:
        alone = _timed_post(port, small)
        gone = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        gone.request("POST", "/api/scenarios", body=big,
                     headers={"content-type": "application/json"})
        time.sleep(1.0)
        assert gone.sock is not None
        gone.sock.close()  # the client goes away mid-simulation
        after = _timed_post(port, small)
    # the big one takes about 5 s whole; stopped, it frees its thread within a second
    assert after < alone + 2.5, (alone, after)


def _timed_post(port: int, body: str) -> float:
    import http.client

    began = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("POST", "/api/scenarios", body=body,
                       headers={"content-type": "application/json"})
    response = connection.getresponse()
    response.read()
    assert response.status == 200
    return time.perf_counter() - began


def test_limits_come_from_the_environment_or_a_clear_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from alliancekit.settings import limit, seconds

    assert limit("NOT_SET_HERE", 7) == 7
    monkeypatch.setenv("ALLIANCEKIT_TIME_BUDGET", "2.5")
    assert seconds("TIME_BUDGET", 20.0) == 2.5
    for bad in ("abc", "0", "-3"):
        monkeypatch.setenv("ALLIANCEKIT_MAX_SIDE", bad)
        with pytest.raises(UsageError, match="ALLIANCEKIT_MAX_SIDE"):
            limit("MAX_SIDE", 50)


@pytest.mark.skipif(real_data_dir() is None, reason=NO_REAL_DATA)
def test_a_100000_draw_cascade_is_refused_at_once_naming_draws(client: TestClient) -> None:
    began = time.perf_counter()
    answer = client.post("/api/scenarios", json={"attackers": ["USA"], "targets": ["RUS"],
                                                 "on": "2018-06-01", "draws": 100_000,
                                                 "cascade": True, "cascade_rule": "chain"})
    assert time.perf_counter() - began < 5
    assert answer.status_code == 400 and answer.json()["error"]["field"] == "draws"
    assert "give at most" in answer.json()["error"]["message"]


def test_a_deeply_nested_body_and_a_blank_state_are_4xx(client: TestClient) -> None:
    nested = client.post("/api/scenarios", content=b"[" * 30_000 + b"]" * 30_000,
                         headers={"content-type": "application/json"})
    assert 400 <= nested.status_code < 500
    blank = client.get("/api/states/%20")
    assert blank.status_code == 422 and blank.json()["error"]["field"] == "state"


def test_the_server_layer_answers_malformed_requests_in_json(tmp_path: Path) -> None:
    import socket as sockets

    env = {**os.environ, "ALLIANCEKIT_DATA": str(tmp_path / "none")}
    with running_server("--workers", "1", env=env) as port:
        with sockets.create_connection(("127.0.0.1", port), timeout=5) as connection:
            connection.sendall(b"\x00\x01 not HTTP\r\n\r\n")  # refused by the HTTP layer
            head, _, body = _read_all(connection).partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 400") and b"application/json" in head
        assert json.loads(body)["error"]["code"] == "malformed_request"
        with sockets.create_connection(("127.0.0.1", port), timeout=5) as connection:
            connection.sendall(b"GET /" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n"
                               b"Connection: close\r\n\r\n")
            head, _, body = _read_all(connection).partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 414") and json.loads(body)["error"]["code"] == \
            "path_too_long"


def _read_all(connection: object) -> bytes:
    reply = b""
    while chunk := connection.recv(65536):  # type: ignore[attr-defined]
        reply += chunk
    return reply


def test_a_network_year_without_pledges_of_a_type_is_an_empty_graph(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # found by schemathesis: without the research data, no offence pledge in force in 1949
    monkeypatch.setenv("ALLIANCEKIT_DATA", str(tmp_path / "none"))
    local = TestClient(create_app(), raise_server_exceptions=False)
    answer = local.get("/api/network/1949", params={"obligations": "offence"})
    assert answer.status_code == 200, answer.text[:300]
    assert answer.json()["edges"] == []
