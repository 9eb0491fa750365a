"""The ledger in Debian's headless Chromium (issue 18), on SQLite and PostgreSQL: a curator
proposes Mali's withdrawal
from the Alliance of Sahel States with a source, a reviewer approves it, and the running
explorer's map of Burkina Faso loses Mali as a defence partner. Screenshots of the ledger's
pages (English and Arabic, desktop and phone) go beside the explorer's.

The withdrawal is a test's change to a throwaway ledger, not a fact: the shipped records are
untouched."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import app_in_thread
from tests.test_web_browser import CHROMIUM, DRIVER, _phone, browser, shoot

__all__ = ["browser"]  # the fixture, shared with the explorer's browser tests
pytestmark = pytest.mark.skipif(not (CHROMIUM.exists() and DRIVER.exists()),
                                reason="needs Debian's chromium and chromium-driver")
PASSWORD = "correct horse battery"
AES = "Liptako-Gourma Charter"  # how the map names the agreement (the start of its name)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def ledger_server(request: pytest.FixtureRequest,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from alliancekit.ledger.auth import create_user
    from alliancekit.ledger.db import transaction
    from alliancekit.web.app import create_app
    from alliancekit.web.ledger import open_ledger

    root = tmp_path_factory.mktemp("ledger")
    saved = {k: os.environ.get(k) for k in ("ALLIANCEKIT_RECORDS", "ALLIANCEKIT_SECRET")}
    os.environ["ALLIANCEKIT_RECORDS"] = str(root / "published")
    os.environ["ALLIANCEKIT_SECRET"] = "browser test"
    if request.param == "sqlite":
        url = f"sqlite:///{root / 'ledger.db'}"
    else:  # a database of its own on the tests' PostgreSQL server
        import sqlalchemy as sa

        server = request.getfixturevalue("postgres_server")
        admin = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text('CREATE DATABASE "ledger_browser"'))
        admin.dispose()
        url = f"{server}/ledger_browser"
    state = open_ledger(url)
    with transaction(state.engine) as session:
        create_user(session, "carl", "curator", PASSWORD)
        create_user(session, "rita", "reviewer", PASSWORD)
    app = create_app(ledger=state)
    try:
        with app_in_thread(app) as url:
            yield url
    finally:
        state.engine.dispose()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _sign_in(browser: Any, server: str, name: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    browser.delete_all_cookies()
    browser.get(server + "/ledger/login?lang=en")
    browser.find_element(By.ID, "name").send_keys(name)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.ledger-form button").click()
    WebDriverWait(browser, 30).until(ready.text_to_be_present_in_element(
        (By.TAG_NAME, "main"), f"Signed in as {name}"))  # the session cookie is set


def _mali_on_the_map(browser: Any, server: str) -> str:
    """Mali's row among Burkina Faso's partners on the map page ("" when not a partner)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server + "/?state=439&year=2026&lang=en")  # Burkina Faso, today
    WebDriverWait(browser, 30).until(ready.presence_of_element_located((By.ID, "partners")))
    for row in browser.find_elements(By.CSS_SELECTOR, "#partners tbody tr"):
        if row.find_element(By.CSS_SELECTOR, "td a").text == "Mali":
            return str(row.text)
    return ""


def test_a_curator_proposes_a_reviewer_approves_the_map_changes(ledger_server: str,
                                                                browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    server = ledger_server
    before = _mali_on_the_map(browser, server)
    assert AES in before, browser.find_element(By.TAG_NAME, "main").text[:2000]
    _sign_in(browser, server, "carl")
    assert "Signed in as carl" in browser.find_element(By.TAG_NAME, "main").text
    shoot(browser, "ledger-home-en")
    browser.get(server + "/ledger/propose?folder=agreements&key=alliance_of_sahel_states"
                "&lang=en")
    text = browser.find_element(By.ID, "text")
    record = text.get_attribute("value")
    assert 'state = 432  # Mali\nentry = "2023-09-16"\n' in record
    changed = record.replace('state = 432  # Mali\nentry = "2023-09-16"\n',
                             'state = 432  # Mali\nentry = "2023-09-16"\nexit = "2026-03-01"\n')
    browser.execute_script("arguments[0].value = arguments[1]", text, changed)
    browser.find_element(By.ID, "why").send_keys("Mali's withdrawal (a test of the ledger)")
    browser.find_element(By.ID, "sources").send_keys("https://example.org/mali-withdrawal")
    shoot(browser, "ledger-propose-en")
    browser.find_element(By.CSS_SELECTOR, "form.ledger-form button[type=submit]").click()
    WebDriverWait(browser, 30).until(ready.url_contains("/ledger/proposals/"))
    number = browser.current_url.rsplit("/", 1)[-1].split("?")[0]
    assert browser.find_element(By.ID, "status").text == "open"
    # the proposer cannot approve it: the page says why
    browser.find_element(By.ID, "approve").click()
    WebDriverWait(browser, 30).until(ready.presence_of_element_located(
        (By.ID, "decision-error")))
    assert "may not" in browser.find_element(By.ID, "decision-error").text
    assert AES in _mali_on_the_map(browser, server)  # nothing published yet
    _sign_in(browser, server, "rita")
    browser.get(f"{server}/ledger/proposals/{number}?lang=en")
    shoot(browser, "ledger-proposal-en")
    browser.find_element(By.ID, "comment").send_keys("source checked")
    browser.find_element(By.ID, "approve").click()
    WebDriverWait(browser, 30).until(ready.text_to_be_present_in_element(
        (By.ID, "status"), "approved"))
    # the running explorer, no restart: the alliance no longer ties Mali to Burkina Faso
    assert AES not in _mali_on_the_map(browser, server)
    for lang in ("en", "ar"):
        for path, name in ((f"/ledger/proposals/{number}", "proposal"), ("/ledger", "home"),
                           ("/ledger/propose?folder=agreements&key=imctc", "propose")):
            url = f"{server}{path}{'&' if '?' in path else '?'}lang={lang}"
            browser.get(url)
            shoot(browser, f"ledger-{name}-{lang}")
            with _phone(browser):
                browser.get(url)
                width = browser.execute_script("return document.documentElement.scrollWidth")
                wide = browser.execute_script(
                    "return [...document.querySelectorAll('body *')].filter(e => "
                    "e.getBoundingClientRect().right > 391 || "
                    "e.scrollWidth > e.clientWidth + 1).slice(0, 4).map(e => "
                    "e.tagName + '#' + e.id + '.' + e.className + ':' + e.scrollWidth)")
                assert width <= 390, f"{path} in {lang} is {width} px wide at 390 px: {wide}"
                shoot(browser, f"ledger-{name}-{lang}-phone")
    browser.delete_all_cookies()
    browser.get(server + "/ledger/login?lang=ar")
    shoot(browser, "ledger-login-ar")

