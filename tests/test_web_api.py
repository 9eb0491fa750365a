"""The explorer's JSON API and pages on the tiny world and the curated records."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from alliancekit.web.app import create_app


@pytest.fixture
def client(tiny: Path) -> TestClient:
    return TestClient(create_app())


def assert_error(body: dict[str, Any], status: int, field: str | None) -> None:
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "field"}
    assert body["error"]["status"] == status and body["error"]["field"] == field
    assert "Traceback" not in body["error"]["message"]


def test_states_and_a_state_on_a_day(client: TestClient) -> None:
    states = client.get("/api/states").json()["states"]
    assert {"ccode": 670, "abbreviation": "SAU", "iso3": "SAU",
            "name": "Saudi Arabia"} in states
    body = client.get("/api/states/PAK", params={"on": "2025-10-01"}).json()
    assert body["state"] == {"ccode": 770, "name": "Pakistan"}
    assert 670 in {p["ccode"] for p in body["partners"]}
    assert any(p["counterpart"] == 670 and p["obligation"] == "defence"
               for p in body["pledges_given"])


def test_agreements_and_one_agreement_with_its_sources(client: TestClient) -> None:
    ids = {a["id"] for a in client.get("/api/agreements").json()["agreements"]}
    assert {"saudi_pakistan_smda", "nato", "imctc"} <= ids
    smda = client.get("/api/agreements/saudi_pakistan_smda").json()
    assert {m["state"] for m in smda["members"]} == {670, 770}
    assert smda["sources"] and all(s["url"].startswith("http") for s in smda["sources"])
    assert_error(client.get("/api/agreements/atlantis_pact").json(), 404, "agreement")


def test_defenders_scenario_and_bad_input(client: TestClient) -> None:
    body = client.get("/api/defenders/SAU", params={"on": "2025-10-01"}).json()
    assert 770 in {d["state"] for d in body["defenders"]}
    assert_error(client.get("/api/defenders/Atlantis").json(), 404, "target")
    assert_error(client.get("/api/defenders/SAU", params={"on": "2025-13-01"}).json(), 422,
                 "on")
    assert_error(client.get("/api/defenders/AUS").json(), 409, "target")  # ambiguous
    result = client.post("/api/scenarios", json={"attackers": ["IRN"], "targets": ["SAU"],
                                                 "on": "2025-10-01", "draws": 300})
    assert result.status_code == 200
    roles = {s["state"]: s["role"] for s in result.json()["states"]}
    assert roles[670] == "target" and roles[770] == "defends target"
    bad = client.post("/api/scenarios", json={"attackers": [], "targets": ["SAU"],
                                              "on": "2025-10-01"})
    assert bad.status_code == 422
    assert_error(bad.json(), 422, "attackers")
    same = client.post("/api/scenarios", json={"attackers": ["SAU"], "targets": ["SAU"],
                                               "on": "2025-10-01"})
    assert_error(same.json(), 400, "targets")


def test_similarity_network_and_panels_on_the_tiny_world(client: TestClient) -> None:
    body = client.get("/api/similarity/FRN/BEL", params={"years": "1832-1832"}).json()
    assert body["years"][0]["s_valued_absolute_unweighted"] == pytest.approx(0.5)
    assert_error(client.get("/api/similarity/FRN/BEL", params={"measures": "s"}).json(), 422,
                 "measures")
    network = client.get("/api/network/1832").json()
    assert network["measures"]["edges"] == 1
    assert_error(client.get("/api/network/abc").json(), 422, "year")
    page = client.get("/api/panels/dyad-years", params={"years": "1832", "add": "atop",
                                                        "page_size": 5}).json()
    assert page["rows"] == 12 and page["pages"] == 3 and len(page["data"]) == 5
    csv = client.get("/api/panels/dyad-years", params={"years": "1832", "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "ccode1,ccode2,year"
    assert_error(client.get("/api/panels/dyad-years", params={"add": "weather"}).json(), 422,
                 "add")
    assert_error(client.get("/api/panels/dyad-years", params={"years": "1800-1900"}).json(),
                 400, "years")


def test_every_api_route_is_documented_with_the_common_error_shape(tiny: Path) -> None:
    from alliancekit.web.api import router

    client = TestClient(create_app())
    document = client.get("/openapi.json").json()
    routes = {str(getattr(route, "path", "")) for route in router.routes}
    assert routes and routes == set(document["paths"])
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), (method, path)
            for status in ("400", "404", "422"):
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                assert schema["$ref"].endswith("/ErrorResponse"), (method, path, status)
    assert_error(client.get("/api/no/such/route").json(), 404, None)


@pytest.mark.parametrize("url", ["/", "/?state=BEL&year=1832", "/states/FRN?year=1832",
                                 "/agreements", "/agreements/nato", "/network?year=1832",
                                 "/scenario?attacker=NTH&target=BEL&date=1850-01-01"])
def test_pages_render_real_content(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.text[:300]
    assert "<main" in response.text and "Traceback" not in response.text
    assert "http://" not in response.text.split("<main")[0]  # no remote assets in the head


def test_page_errors_are_pages_not_json(client: TestClient) -> None:
    response = client.get("/states/Atlantis", headers={"accept": "text/html"})
    assert response.status_code == 404 and "<h1>Error 404</h1>" in response.text


def test_repeated_answers_are_replayed_and_errors_are_not_kept(client: TestClient) -> None:
    first = client.get("/api/defenders/SAU", params={"on": "2025-10-01"})
    again = client.get("/api/defenders/SAU", params={"on": "2025-10-01"})
    assert first.content == again.content and again.status_code == 200
    other = client.get("/api/defenders/SAU", params={"on": "2025-09-01"})
    assert 770 not in {d["state"] for d in other.json()["defenders"]}  # SMDA signed 17 Sept
    for _ in range(2):
        assert_error(client.get("/api/defenders/SAU", params={"on": "x"}).json(), 422, "on")


def test_partners_are_those_of_the_day_asked(client: TestClient) -> None:
    before = client.get("/api/states/PAK", params={"on": "2025-09-16"}).json()
    after = client.get("/api/states/PAK", params={"on": "2025-09-17"}).json()
    assert 670 not in {p["ccode"] for p in before["partners"]}
    assert 670 in {p["ccode"] for p in after["partners"]}


def test_partners_come_strongest_tie_first(client: TestClient) -> None:
    partners = client.get("/api/states/SAU", params={"on": "2025-10-01"}).json()["partners"]
    ranks = [("non_aggression", "consultation", "neutrality", "offence", "defence").index(
        p["strongest"]) for p in partners]
    assert len(partners) > 5 and ranks == sorted(ranks, reverse=True)


def test_carried_ties_are_marked_in_json_map_and_tables(client: TestClient) -> None:
    # The tiny ATOP's France-Belgium alliance (1160) is in force at its end and no shipped
    # record links to it, so it is carried past 2018.
    body = client.get("/api/states/BEL", params={"on": "2020-06-01"}).json()
    assert any(p["carried"] and p["agreement"] == "atop1160" for p in body["pledges_received"])
    # France's strongest tie with Belgium also rests on NATO's record, so it is not "carried".
    france = [p for p in body["partners"] if p["ccode"] == 220]
    assert france and france[0]["carried"] is False
    old = client.get("/api/states/BEL", params={"on": "2018-06-01"}).json()
    assert not any(p["carried"] for p in old["pledges_received"])
    page = client.get("/", params={"state": "BEL", "year": 2020}).text
    assert 'class="carried-note"' in page
    assert 'class="carried-note"' not in client.get("/", params={"state": "BEL",
                                                                "year": 2018}).text
    state = client.get("/states/BEL", params={"year": 2020}).text
    assert '<span class="tag">carried</span>' in state and "carried past 2018" in state


def test_the_map_stripes_carried_ties() -> None:
    from alliancekit.web import svg

    picture = svg.world_map({220: "#1b4f72", 211: "#1b4f72"}, {}, label="test", hatched={220})
    assert picture.count('<pattern id="hatch-1b4f72"') == 1
    assert 'fill="url(#hatch-1b4f72)" stroke="#ffffff" stroke-width="0.6" data-state="220"' \
        in picture
    assert 'fill="#1b4f72" stroke="#ffffff" stroke-width="0.6" data-state="211"' in picture


def test_api_docs_page_needs_no_other_host(client: TestClient) -> None:
    page = client.get("/docs").text
    assert "/static/swagger/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/style.css").status_code == 200


def test_an_adder_that_does_not_fit_the_panel_is_a_bad_request(real_data: Path) -> None:
    client = TestClient(create_app(data_dir=real_data))
    answer = client.get("/api/panels/dyad-years",
                        params={"years": "1900", "add": "ucdp_acd", "format": "json"})
    assert answer.status_code == 400
    assert answer.json()["error"]["field"] == "add"
    assert "state-year" in answer.json()["error"]["message"]


def test_validation_errors_are_in_plain_words(client: TestClient) -> None:
    page = client.get("/", params={"year": "abc"}, headers={"accept": "text/html"})
    assert page.status_code == 422
    assert "year: give a whole number (got &#39;abc&#39;)" in page.text
    assert "unable to parse" not in page.text and "Input should" not in page.text
    answer = client.get("/api/defenders/SAU", params={"on": "2025-13-01"})
    assert answer.status_code in (400, 422)
    assert "Input should" not in answer.json()["error"]["message"]


def test_every_page_has_one_year_range_and_one_default(client: TestClient) -> None:
    import datetime
    import re

    this_year = datetime.date.today().year
    for url in ("/", "/states/FRN", "/network"):
        page = client.get(url).text
        year = re.search(r'<input id="year"[^>]*>', page)
        assert year is not None, url
        assert f'max="{this_year}"' in year.group(0), url
        assert f'value="{this_year}"' in year.group(0), url
    # the current year's network: the pledges in force so far this year among the last full
    # year's members
    network = client.get(f"/api/network/{this_year}")
    assert network.status_code == 200, network.text
    assert network.json()["nodes"]
    assert_error(client.get(f"/api/network/{this_year + 1}").json(), 404, "year")
