"""The explorer in Debian's headless Chromium: pick a state, move the year, run a scenario.

Screenshots of each page go to ``build/screenshots/`` (``ALLIANCEKIT_SCREENSHOTS`` overrides).
Skipped, with the reason, when Chromium or ChromeDriver is not installed (``.ci/run`` installs
them).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import app_in_thread

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM.exists() and DRIVER.exists()),
                                reason="needs Debian's chromium and chromium-driver")
SHOTS = Path(os.environ.get("ALLIANCEKIT_SCREENSHOTS", "build/screenshots"))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from alliancekit.errors import UsageError
    from alliancekit.sweeps.exposure import exposure_sweep
    from alliancekit.sweeps.runner import run
    from alliancekit.web.app import create_app

    atlas: Path | None = tmp_path_factory.mktemp("atlas") / "atlas"
    try:  # a small exposure atlas for its page, where the state system is found
        run(exposure_sweep((2024, 2025), honoured=0.745, draws=50), atlas)
    except UsageError:
        atlas = None
    app = create_app(atlas=atlas)
    app.state.explorer.engine  # noqa: B018 - loaded before the first page, as `serve` does
    with app_in_thread(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1280,1400",
                 "--disable-dev-shm-usage"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(DRIVER)))
    driver.set_page_load_timeout(60)
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def shoot(browser: Any, name: str) -> Path:
    path = SHOTS / f"{name}.png"
    browser.save_screenshot(str(path))
    assert path.stat().st_size > 20_000  # a real page, not a blank one
    return path


def test_home_pick_a_state_and_move_the_year(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    browser.get(server + "/")
    Select(browser.find_element(By.ID, "state")).select_by_visible_text("Pakistan")
    slider = browser.find_element(By.ID, "year")
    before = int(slider.get_attribute("value"))
    slider.send_keys(Keys.ARROW_LEFT)  # keyboard: the slider moves and its label follows
    assert browser.find_element(By.ID, "year-value").text == str(before - 1)
    slider.send_keys(Keys.ARROW_RIGHT)
    assert browser.find_element(By.ID, "year-value").text == str(before)
    browser.find_element(By.CSS_SELECTOR, "form.controls button").click()
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 30).until(ready.text_to_be_present_in_element(
        (By.TAG_NAME, "h1"), "Pakistan"))
    heading = browser.find_element(By.TAG_NAME, "h1").text
    assert heading.startswith("Pakistan: ties in")
    coloured = browser.find_elements(By.CSS_SELECTOR, "svg.map g[fill='#d95f02']")
    assert coloured, "Pakistan itself is coloured on the map"
    # Saudi Arabia, its partner under the 2025 agreement, in the defence colour
    assert browser.find_elements(By.CSS_SELECTOR, "svg.map g[data-state='670'][fill='#1b4f72']")
    assert "Saudi Arabia" in browser.find_element(By.TAG_NAME, "table").text
    shoot(browser, "home")


def test_state_agreement_and_network_pages(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server + "/states/PAK?year=2025")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Pakistan")
    assert "Saudi Arabia" in browser.find_element(By.TAG_NAME, "table").text
    assert browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    shoot(browser, "state")
    browser.get(server + "/agreements/saudi_pakistan_smda")
    links = browser.find_elements(By.CSS_SELECTOR, "li[id^=source-] a")
    assert links and all(a.get_attribute("href").startswith("http") for a in links)
    shoot(browser, "agreement")
    browser.get(server + "/network")
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.network circle")) > 10
    assert "Bloc 1" in browser.find_element(By.TAG_NAME, "main").text
    shoot(browser, "network")


def test_run_a_scenario(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(server + "/scenario")
    Select(browser.find_element(By.ID, "attacker")).select_by_visible_text("Iran")
    Select(browser.find_element(By.ID, "target")).select_by_visible_text("Saudi Arabia")
    date = browser.find_element(By.ID, "date")
    browser.execute_script("arguments[0].value = '2025-10-01'", date)
    browser.find_element(By.ID, "run").click()
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 60).until(ready.text_to_be_present_in_element(
        (By.TAG_NAME, "main"), "attacks"))
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "Iran attacks Saudi Arabia on 2025-10-01" in main
    assert "Pakistan" in main and "defends target" in main
    assert browser.find_elements(By.CSS_SELECTOR, "svg.chart rect")
    shoot(browser, "scenario")


@contextmanager
def _phone(browser: Any) -> Iterator[None]:
    browser.set_window_size(390, 1400)
    try:
        yield
    finally:
        browser.set_window_size(1280, 1400)


@pytest.mark.skipif(not os.environ.get("ALLIANCEKIT_DATA"), reason="needs the research data")
def test_maps_true_to_their_year(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server + "/?state=RUS&year=1980")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Soviet Union: ties in 1980"
    soviet = browser.execute_script(
        "return [...document.querySelectorAll('svg.map g[data-state=\"365\"]')]"
        ".map(g => [g.dataset.territory, g.getAttribute('fill')])")
    assert len(soviet) == 15 and {fill for _, fill in soviet} == {"#d95f02"}
    assert browser.find_element(By.ID, "map-note").is_displayed()
    shoot(browser, "map-1980-ussr")
    with _phone(browser):
        browser.refresh()
        shoot(browser, "map-1980-ussr-phone")
    browser.get(server + "/?state=BAV&year=1850")
    warning = browser.find_element(By.ID, "undrawn").text
    assert warning.startswith("Bavaria cannot be drawn on this map")
    shoot(browser, "map-1850-bavaria")


PAGES = {"home": "/", "state": "/states/PAK?year=2025", "agreements": "/agreements",
         "agreement": "/agreements/saudi_pakistan_smda", "network": "/network",
         "scenario": "/scenario?attacker=IRN&target=SAU&date=2025-10-01&cascade=1",
         "search": "/search?q=pakistan", "atlas": "/atlas"}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_page_in_both_languages_fits_a_phone(server: str, browser: Any,
                                                   lang: str) -> None:
    """Each page at desktop and at 390 px, screenshots kept; none scrolls sideways."""
    for name, path in PAGES.items():
        url = f"{server}{path}{'&' if '?' in path else '?'}lang={lang}"
        browser.get(url)
        assert browser.execute_script("return document.documentElement.dir") == \
            ("rtl" if lang == "ar" else "ltr")
        shoot(browser, f"{name}-{lang}")
        with _phone(browser):
            browser.get(url)
            width = browser.execute_script("return document.documentElement.scrollWidth")
            assert width <= 390, f"{path} in {lang} is {width} px wide at 390 px"
            shoot(browser, f"{name}-{lang}-phone")


def test_search_in_arabic_from_the_header(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(server + "/?lang=ar")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    assert "باكستان" in browser.find_element(By.ID, "state").text  # names in Arabic
    box = browser.find_element(By.ID, "q")
    box.send_keys("باكستان")
    box.send_keys(Keys.ENTER)
    link = browser.find_element(By.CSS_SELECTOR, "#state-results a")
    assert link.text == "باكستان" and "/states/770" in link.get_attribute("href")
    browser.get(server + "/search?q=Pakistan&lang=en")
    assert browser.find_element(By.CSS_SELECTOR, "#state-results a").text == "Pakistan"


def test_charts_and_maps_download_as_svg_and_png(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server + "/states/PAK?year=2025")
    buttons = browser.find_elements(By.CSS_SELECTOR, ".figure-downloads button")
    figures = browser.find_elements(By.CSS_SELECTOR, "svg.chart, svg.map, svg.network")
    assert figures and len(buttons) == 2 * len(figures)
    svg_text = browser.execute_script(
        "return window.alliancekitDownloads.serialise(document.querySelector('svg.chart'))")
    assert svg_text.startswith("<?xml") and "<svg" in svg_text
    png = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "window.alliancekitDownloads.png(document.querySelector('svg.chart'))"
        ".then(done, () => done('failed'));")
    assert png.startswith("data:image/png;base64,") and len(png) > 2000


@pytest.mark.skipif(not os.environ.get("ALLIANCEKIT_DATA"), reason="needs the research data")
def test_the_map_follows_the_slider_and_plays(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server + "/?state=RUS&year=1990&lang=en")
    slider = browser.find_element(By.ID, "year")
    browser.execute_script("arguments[0].value = '1980';"
                           "arguments[0].dispatchEvent(new Event('change'))", slider)
    def heading(b: Any) -> str:
        return str(b.execute_script("return document.querySelector('h1').textContent"))

    WebDriverWait(browser, 20).until(lambda b: heading(b) == "Soviet Union: ties in 1980")
    assert "year=1980" in browser.current_url  # the address is the permalink of the view
    assert browser.find_elements(By.CSS_SELECTOR, "#map-area .figure-downloads button")
    browser.find_element(By.ID, "play").click()
    WebDriverWait(browser, 20).until(lambda b: heading(b) == "Soviet Union: ties in 1981")
    browser.find_element(By.ID, "play").click()  # pause
