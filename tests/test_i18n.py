"""The explorer in Arabic (issue 16): right to left, the interface's words and state names in
Arabic, the language chosen by ?lang=, a cookie or the browser, and search in both languages."""

from __future__ import annotations

import csv
import datetime
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from alliancekit.locations import curated_dir
from alliancekit.names_ar import state_name_ar
from alliancekit.web.app import create_app
from alliancekit.web.i18n import catalogue

WEB = Path(__file__).resolve().parents[1] / "src" / "alliancekit" / "web"
ENGINE = WEB.parent / "obligations" / "engine.py"


@pytest.fixture
def client(tiny: Path) -> TestClient:
    return TestClient(create_app())


def _messages() -> set[str]:
    """Every ``_("...")`` message of the templates and the pages, and every ``words("...")``
    template of the engine's explanations, with the terms and verdicts they insert."""
    found = {"met", "not met", "unknown", "applies", "does not apply",
             "may apply: a condition cannot be checked", "defence", "offence", "neutrality",
             "consultation", "non aggression"}
    for path in [*(WEB / "templates").glob("*.html"), WEB / "pages.py", ENGINE]:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r'(?<![\w.])(?:_|words)\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+|'
                                 r'\'(?:[^\'\\]|\\.)*\')', text):
            raw = match.group(1).strip()
            parts = re.findall(r'"((?:[^"\\]|\\.)*)"', raw) if raw.startswith('"') \
                else [raw[1:-1]]
            found.add("".join(parts))
    return found - {""}


def test_every_message_has_an_arabic_translation() -> None:
    arabic = catalogue("ar")
    missing = sorted(_messages() - set(arabic))
    assert not missing, f"untranslated: {missing}"
    # placeholders survive translation
    for english, translated in arabic.items():
        assert set(re.findall(r"{\w+}", english)) == set(re.findall(r"{\w+}", translated)), \
            english


def test_state_names_in_arabic() -> None:
    assert state_name_ar(770) == "باكستان"
    assert state_name_ar(365, datetime.date(1980, 1, 1)) == "الاتحاد السوفيتي"
    assert state_name_ar(365, datetime.date(2000, 1, 1)) == "روسيا"
    assert state_name_ar(245) == "مملكة بافاريا"
    assert state_name_ar(630, datetime.date(1900, 1, 1)) == "بلاد فارس"
    with (curated_dir() / "state_names_ar.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            assert row["source_url"].startswith("http") or "NOT VERIFIED" in row["note"], row


def test_the_arabic_home_page_is_right_to_left_with_arabic_names(client: TestClient) -> None:
    page = client.get("/", params={"lang": "ar"})
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page.text
    assert "الخريطة" in page.text and "بلجيكا" in page.text  # Belgium, in the state list
    assert page.cookies.get("lang") == "ar"
    switch = re.search(r'<a class="lang-switch" id="lang-switch" href="([^"]+)"', page.text)
    assert switch and "lang=en" in switch.group(1)
    english = client.get("/", params={"lang": "en"})
    assert '<html lang="en" dir="ltr">' in english.text and "Belgium" in english.text


def test_the_browser_language_and_the_cookie_choose(tiny: Path) -> None:
    fresh = TestClient(create_app())
    page = fresh.get("/", headers={"accept-language": "ar-SA,ar;q=0.9,en;q=0.5"})
    assert 'dir="rtl"' in page.text
    other = TestClient(create_app())
    assert 'dir="ltr"' in other.get("/", headers={"accept-language": "fr, en;q=0.5"}).text
    other.cookies.set("lang", "ar")
    assert 'dir="rtl"' in other.get("/").text


def test_search_finds_states_in_both_languages_and_agreements(client: TestClient) -> None:
    for query in ("باكستان", "Pakistan", "PAK", "770"):
        page = client.get("/search", params={"q": query, "lang": "en"})
        assert page.status_code == 200
        assert 'href="/states/770?lang=en">Pakistan</a>' in page.text, query
    arabic = client.get("/search", params={"q": "Pakistan", "lang": "ar"})
    assert 'href="/states/770?lang=ar">باكستان</a>' in arabic.text
    assert "/agreements/saudi_pakistan_smda" in client.get(
        "/search", params={"q": "pakistan"}).text
    assert "No state matches." in client.get("/search", params={"q": "Atlantis",
                                                               "lang": "en"}).text
    assert client.get("/search", params={"q": "x" * 101}).status_code == 422


def test_errors_are_translated_and_name_the_sources(client: TestClient) -> None:
    page = client.get("/states/Atlantis", params={"lang": "ar"},
                      headers={"accept": "text/html"})
    assert page.status_code in (404, 422) and 'dir="rtl"' in page.text
    assert "العودة إلى الخريطة" in page.text
    assert "cow_states" in page.text  # the footer names what this server has


def test_the_engine_explains_in_arabic_on_arabic_pages(client: TestClient) -> None:
    english = client.get("/states/FRN", params={"year": 1832, "lang": "en"}).text
    assert "pledged defence to Belgium" in english
    arabic = client.get("/states/FRN", params={"year": 1832, "lang": "ar"}).text
    assert "pledged" not in arabic and "No conditions are recorded" not in arabic
    assert "التزمت فرنسا تجاه بلجيكا بتعهّد من نوع «دفاع»" in arabic
    scenario = client.get("/scenario", params={"attacker": "NTH", "target": "BEL",
                                               "date": "1850-01-01", "lang": "ar"}).text
    assert "بتعهّد من نوع" in scenario and "pledged" not in scenario
    # an agreement the records name in Arabic is named in Arabic
    gulf = client.get("/scenario", params={"attacker": "IRN", "target": "SAU",
                                           "date": "2025-10-01", "lang": "ar"}).text
    assert "بموجب اتفاقية الدفاع الاستراتيجي المشترك (saudi_pakistan_smda" in gulf


def test_the_catalogue_names_each_message_once() -> None:
    path = WEB / "locale" / "ar" / "LC_MESSAGES" / "messages.po"
    ids = re.findall(r'^msgid "(.*)"$', path.read_text(encoding="utf-8"), re.M)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_arabic_agreement_names_follow_a_publish(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import shutil

    from alliancekit.web.i18n import wording

    records = tmp_path / "records"
    shutil.copytree(curated_dir(), records)
    monkeypatch.setenv("ALLIANCEKIT_RECORDS", str(records))
    path = records / "agreements" / "saudi_pakistan_smda.toml"
    stamp = records / ".published"
    stamp.write_text("1")
    os.utime(stamp, ns=(1, 1))
    before = wording("ar").agreements["saudi_pakistan_smda"]
    path.write_text(path.read_text(encoding="utf-8").replace(before, "اسم جديد"),
                    encoding="utf-8")
    os.utime(stamp, ns=(2, 2))  # published anew
    assert wording("ar").agreements["saudi_pakistan_smda"] == "اسم جديد"
