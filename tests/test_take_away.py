"""Take it away (issue 16): every table as CSV and JSON with exactly the rows shown, a
permalink that restores the view, and a "cite this" box with the BibTeX of the sources used."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from alliancekit.web.app import create_app


@pytest.fixture(scope="module")
def client(real_data: Path) -> TestClient:
    return TestClient(create_app(data_dir=real_data))


def _table_rows(html: str) -> int:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    return 0 if body is None else body.group(1).count("<tr")


@pytest.mark.parametrize("path", ["/?state=PAK&year=2025", "/states/PAK?year=2025",
                                  "/agreements", "/agreements/saudi_pakistan_smda",
                                  "/scenario?attacker=IRN&target=SAU&date=2025-10-01"])
def test_each_download_returns_the_rows_shown(client: TestClient, path: str) -> None:
    joiner = "&" if "?" in path else "?"
    page = client.get(f"{path}{joiner}lang=en")
    shown = _table_rows(page.text)
    assert shown > 0
    as_csv = client.get(f"{path}{joiner}lang=en&download=csv")
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in as_csv.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert len(rows) == shown
    as_json = client.get(f"{path}{joiner}lang=en&download=json").json()
    assert len(as_json) == shown
    # the first row of the table is the first row of the file
    first = re.search(r"<tbody><tr[^>]*><td>(?:<a [^>]*>)?([^<]+)", page.text)
    assert first and first.group(1) in rows[0].values()


def test_downloads_follow_the_language_and_refuse_other_formats(client: TestClient) -> None:
    arabic = client.get("/", params={"state": "PAK", "lang": "ar", "download": "json"}).json()
    assert arabic[0]["state"] == "باكستان"
    bad = client.get("/", params={"download": "xlsx"})
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "download"


def test_permalink_and_citations(client: TestClient) -> None:
    page = client.get("/", params={"state": "PAK", "year": 1990, "lang": "en"})
    link = re.search(r'<a id="permalink" href="([^"]+)"', page.text)
    assert link and "state=PAK" in link.group(1) and "year=1990" in link.group(1)
    again = client.get(link.group(1).replace("&amp;", "&"))
    assert "Pakistan: ties in 1990" in again.text
    cite = re.search(r'<details class="cite" id="cite">.*?<pre[^>]*>(.*?)</pre>', page.text, re.S)
    assert cite and "leeds_etal_2002" in cite.group(1) and "alliancekit_curated" in cite.group(1)
    scenario = client.get("/scenario", params={"attacker": "IRN", "target": "SAU",
                                               "date": "2025-10-01", "lang": "en"})
    assert "sarkees_wayman_2010" in scenario.text  # the wars behind the empirical rates


def test_agreements_are_named_and_linked_and_atop_alliances_have_pages(
        client: TestClient) -> None:
    page = client.get("/", params={"state": "PAK", "year": 2025, "lang": "en"})
    assert ('<a href="/alliances/3222?lang=en" title="atop3222">Treaty of Friendship between '
            'the Kingdom of Saudi Arabia and Pakistan</a>') in page.text
    assert '<a href="/agreements/saudi_pakistan_smda?lang=en"' in page.text
    alliance = client.get("/alliances/1385", params={"lang": "en"})
    assert alliance.status_code == 200
    members = dict(re.findall(r'<a href="/states/(\d+)\?lang=en">([^<]+)</a>', alliance.text))
    assert members == {"220": "France", "365": "Russia"}
    assert "defence" in alliance.text and "milcon" in alliance.text
    rows = client.get("/alliances/1385", params={"download": "json", "lang": "en"}).json()
    assert {r["ccode"] for r in rows} == {220, 365} and rows[0]["entry"].startswith("1893")
    assert client.get("/alliances/9999").status_code == 404


def test_pages_condense_and_tell_the_truth(client: TestClient) -> None:
    state = client.get("/states/SAU", params={"year": 2025, "lang": "en"})
    folded = state.text.count('<details class="pledges')
    assert 5 <= folded < state.text.count('<li class="status-')  # one row per agreement
    nato = client.get("/agreements/nato", params={"lang": "en"})
    assert "still a member" in nato.text and " yrs" not in nato.text
    assert "German Federal Republic" in nato.text  # whole names, not cut
    scenario = client.get("/scenario", params={"attacker": 300, "target": 345, "lang": "en",
                                               "date": "1914-07-28", "cascade": 1,
                                               "rates": "fixed"})
    assert "joins the attacker side in the cascade (round 2)" in scenario.text
