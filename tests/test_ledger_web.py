"""The ledger in the explorer (issue 18), on SQLite and PostgreSQL: the write API refuses the
anonymous, viewers and self-approval; forms need a session and a CSRF token; sign-ins are
rate-limited; an approval is published to the running explorer; without --ledger there is no
way to write."""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from alliancekit.ledger.auth import create_user, issue_token
from alliancekit.ledger.db import transaction
from alliancekit.web.app import create_app
from alliancekit.web.ledger import open_ledger

PASSWORD = "correct horse battery"


@pytest.fixture
def served(ledger_url: str, tmp_path: Path, tiny: Path, monkeypatch: pytest.MonkeyPatch
           ) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """The explorer with the ledger enabled, and a token per account."""
    monkeypatch.setenv("ALLIANCEKIT_SECRET", "test secret")
    monkeypatch.setenv("ALLIANCEKIT_RECORDS", str(tmp_path / "published"))
    state = open_ledger(ledger_url)
    tokens = {}
    with transaction(state.engine) as session:
        for name, role, scopes in (("vera", "viewer", []), ("carl", "curator", ["propose"]),
                                   ("rita", "reviewer", ["propose", "review"])):
            user = create_user(session, name, role, PASSWORD)
            if scopes:
                tokens[name] = issue_token(session, user, "test", scopes)
    yield TestClient(create_app(ledger=state)), tokens
    state.engine.dispose()


def _smda(client: TestClient, change: str) -> str:
    text = client.get("/api/ledger/records/agreements/saudi_pakistan_smda").json()["text"]
    changed = text.replace('state = 770  # Pakistan\nentry = "2025-09-17"\n',
                           f'state = 770  # Pakistan\nentry = "2025-09-17"\n{change}')
    assert changed != text
    return str(changed)


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_every_write_refuses_the_anonymous_a_viewer_and_self_approval(
        served: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = served
    body: dict[str, Any] = {"folder": "agreements", "key": "saudi_pakistan_smda",
                            "text": _smda(client, 'exit = "2025-12-31"\n'),
                            "why": "Pakistan left (a test)", "sources": ["https://example.org"]}
    assert client.post("/api/ledger/proposals", json=body).status_code == 401
    assert client.post("/api/ledger/proposals", json=body,
                       headers=_auth("akt_not_a_token")).status_code == 403
    made = client.post("/api/ledger/proposals", json=body, headers=_auth(tokens["carl"]))
    assert made.status_code == 201, made.text
    number = made.json()["id"]
    decision = {"approve": True, "comment": "fine"}
    for token in (None, tokens["carl"]):  # anonymous; a curator, its own proposal
        answer = client.post(f"/api/ledger/proposals/{number}/decision", json=decision,
                             headers=_auth(token) if token else {})
        assert answer.status_code in (401, 403), answer.text
    hers = {**body, "why": "rita's own", "text": _smda(client, 'exit = "2025-11-30"\n')}
    own = client.post("/api/ledger/proposals", json=hers,
                      headers=_auth(tokens["rita"])).json()["id"]
    refused = client.post(f"/api/ledger/proposals/{own}/decision", json=decision,
                          headers=_auth(tokens["rita"]))
    assert refused.status_code == 403 and "own proposal" in refused.json()["error"]["message"]
    bad = client.post("/api/ledger/proposals", headers=_auth(tokens["carl"]),
                      json={**body, "text": body["text"].replace('"2025-12-31"',
                                                                 '"2025-12-32"')})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "text"


def test_an_approval_through_the_api_shows_on_the_running_map(
        served: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = served

    def defenders() -> set[int]:
        body = client.get("/api/defenders/SAU", params={"on": "2026-01-01"}).json()
        return {row["state"] for row in body["defenders"]}

    assert 770 in defenders()
    number = client.post("/api/ledger/proposals", headers=_auth(tokens["carl"]), json={
        "folder": "agreements", "key": "saudi_pakistan_smda",
        "text": _smda(client, 'exit = "2025-12-31"\n'), "why": "a test",
        "sources": ["https://example.org"]}).json()["id"]
    approved = client.post(f"/api/ledger/proposals/{number}/decision",
                           headers=_auth(tokens["rita"]), json={"approve": True})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert 770 not in defenders()
    page = client.get("/", params={"state": "SAU", "year": 2026, "lang": "en"}).text
    assert ">Pakistan</a>" not in page


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert found is not None
    return found.group(1)


def test_forms_need_a_session_and_a_csrf_token_and_show_errors_by_field(
        served: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = served
    assert client.get("/ledger", follow_redirects=False).status_code == 303
    assert client.post("/ledger/propose", data={"folder": "agreements", "key": "x",
                                                "text": "x = 1", "csrf": "nope"},
                       headers={"accept": "text/html"}).status_code == 403
    signed = client.post("/ledger/login", data={"name": "carl", "password": PASSWORD},
                         follow_redirects=False)
    assert signed.status_code == 303
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    form = client.get("/ledger/propose", params={"record": "agreements/saudi_pakistan_smda"})
    token = _csrf(form.text)
    group = html.unescape(client.get("/ledger/propose", params={"record": "groups/oic"}).text)
    assert 'id = "oic"' in group and 'value="groups" selected' in group
    text = re.search(r'<textarea id="text"[^>]*>(.*?)</textarea>', form.text, re.S)
    assert text is not None and "saudi_pakistan_smda" in text.group(1)
    fields = {"folder": "agreements", "key": "saudi_pakistan_smda", "why": "a date",
              "sources": "https://example.org"}
    without = client.post("/ledger/propose", data={**fields, "text": "x = 1", "csrf": ""},
                          headers={"accept": "text/html"})
    assert without.status_code == 403
    wrong = client.post("/ledger/propose", data={**fields, "csrf": token,
                                                 "text": _smda(client, 'exit = "2025-13-01"\n')})
    assert wrong.status_code == 422 and 'id="text-error"' in wrong.text
    assert "members[1].exit" in wrong.text
    left = _smda(client, 'exit = "2025-12-31"\n')
    no_source = client.post("/ledger/propose", data={**fields, "sources": "", "csrf": token,
                                                     "text": left})
    assert no_source.status_code == 422 and 'id="sources-error"' in no_source.text
    made = client.post("/ledger/propose", follow_redirects=False,
                       data={**fields, "csrf": token,
                             "text": _smda(client, 'exit = "2025-12-31"\n')})
    assert made.status_code == 303 and made.headers["location"].startswith("/ledger/proposals/")


def test_a_viewer_signed_in_cannot_propose(served: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = served
    client.post("/ledger/login", data={"name": "vera", "password": PASSWORD})
    form = client.get("/ledger/propose", params={"folder": "agreements",
                                                 "key": "saudi_pakistan_smda"})
    refused = client.post("/ledger/propose", data={
        "folder": "agreements", "key": "saudi_pakistan_smda", "why": "w", "sources": "s1",
        "csrf": _csrf(form.text), "text": _smda(client, 'exit = "2025-12-31"\n')})
    assert refused.status_code == 403 and "viewer role may not" in refused.text


def test_sign_ins_are_rate_limited(served: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = served
    for _ in range(5):
        assert client.post("/ledger/login", data={"name": "carl", "password": "wrong one"}
                           ).status_code == 401
    blocked = client.post("/ledger/login", data={"name": "carl", "password": PASSWORD},
                          headers={"accept": "application/json"})
    assert blocked.status_code == 429


def test_without_the_ledger_nothing_writes(tiny: Path) -> None:
    client = TestClient(create_app())
    assert client.post("/api/ledger/proposals", json={}).status_code == 404
    assert client.get("/ledger/login").status_code == 404
    paths = client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if "ledger" in p]


def test_ledger_answers_are_never_replayed_to_others(
        served: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = served
    assert client.get("/api/ledger/proposals", headers=_auth(tokens["carl"])).status_code == 200
    assert client.get("/api/ledger/proposals").status_code == 401
    assert client.get("/api/ledger/proposals",
                      headers=_auth("akt_bogus")).status_code == 403


def test_records_that_cannot_be_kept_are_refused_not_a_server_error(
        served: tuple[TestClient, dict[str, str]]) -> None:
    client, tokens = served
    base = _smda(client, 'exit = "2025-12-31"\n')
    def proposed(extra: str) -> Any:
        return client.post("/api/ledger/proposals", headers=_auth(tokens["carl"]), json={
            "folder": "agreements", "key": "saudi_pakistan_smda", "text": extra + base,
            "why": "w", "sources": ["s1"]})

    dated = proposed("reviewed = 2024-01-01\n")  # a TOML date the records cannot hold
    assert dated.status_code == 422 and dated.json()["error"]["field"] == "text"
    quoted = proposed('"weird key" = 1\n')  # a key that must be quoted: kept, and approvable
    assert quoted.status_code == 201, quoted.text
    approved = client.post(f"/api/ledger/proposals/{quoted.json()['id']}/decision",
                           headers=_auth(tokens["rita"]), json={"approve": True})
    assert approved.status_code == 200, approved.text
    text = client.get("/api/ledger/records/agreements/saudi_pakistan_smda").json()["text"]
    assert '"weird key" = 1' in text


def test_parallel_wrong_passwords_meet_the_limit(
        served: tuple[TestClient, dict[str, str]]) -> None:
    import threading

    client, _ = served
    statuses: list[int] = []

    def guess() -> None:
        statuses.append(client.post("/ledger/login", data={"name": "rita",
                                                           "password": "wrong guess"}
                                    ).status_code)

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses.count(401) <= 5 and statuses.count(429) >= 7
