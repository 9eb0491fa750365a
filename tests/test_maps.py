"""Maps true to their year (issue 16): each modern shape stands for the state that held it on
the day, from the curated territory spells; a state without a shape says so."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from alliancekit.curated.territories import territories_on, territory_spells
from alliancekit.web import svg

SOVIET = ("ru", "ua", "by", "md", "ee", "lv", "lt", "ge", "am", "az", "kz", "uz", "tm", "kg",
          "tj")


def test_every_spell_is_sourced_and_well_formed() -> None:
    spells = territory_spells()
    assert len(spells) >= 25
    shapes = {alpha2 for alpha2, _ in svg.shapes_on(None)}
    for spell in spells:
        assert spell.source_url.startswith("http"), spell
        assert spell.territory in shapes, f"{spell.territory}: no such shape on the map"
    # a shared shape has two states in each of its spells' days
    for spell in spells:
        if spell.mode == "shared":
            assert len(territories_on(spell.start)[spell.territory]) == 2, spell


def test_the_soviet_union_over_its_successors_only_while_it_lasted() -> None:
    day = datetime.date(1980, 12, 31)
    shapes = dict(svg.shapes_on(day))
    assert all(shapes[t] == (365,) for t in SOVIET)
    later = dict(svg.shapes_on(datetime.date(2000, 1, 1)))
    assert later["ua"] == (369,) and later["ee"] == (366,) and later["ru"] == (365,)
    # the Baltic states were independent between the wars
    assert dict(svg.shapes_on(datetime.date(1930, 1, 1)))["ee"] == (366,)
    assert svg.drawable(365, day) and not svg.drawable(369, day)


def test_shared_shapes_are_striped_in_both_colours() -> None:
    day = datetime.date(1980, 12, 31)
    assert dict(svg.shapes_on(day))["de"] == (260, 265)
    picture = svg.world_map({260: "#d95f02", 265: "#1b4f72"}, {}, label="test", day=day)
    group = re.search(r'<g fill="([^"]+)"[^>]*data-state="260 265"', picture)
    assert group and group.group(1).startswith("url(#split-d95f02-1b4f72")
    assert 'id="split-d95f02-1b4f72"' in picture


def test_a_state_with_no_modern_shape_cannot_be_drawn() -> None:
    assert not svg.drawable(245, datetime.date(1850, 12, 31))  # Bavaria
    assert svg.drawable(255, datetime.date(1850, 12, 31))  # Prussia, on today's Germany


def test_links_and_not_a_state_shading() -> None:
    day = datetime.date(1950, 12, 31)
    picture = svg.world_map({}, {}, label="t", day=day, members={2, 200},
                            link=lambda c: f"/?state={c}&year=1950")
    assert '<a href="/?state=2&amp;year=1950"><g fill="' + svg.NONE in picture
    # Nigeria (475) was not a state in 1950: paler, and its title says so
    nigeria = re.search(r'<g fill="([^"]+)"[^>]*data-state="475"[^>]*><title>([^<]*)',
                        picture)
    assert nigeria and nigeria.group(1) == svg.NOT_STATE
    assert "not a state that day" in nigeria.group(2)


@pytest.fixture(scope="module")
def client(real_data: Path):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from alliancekit.web.app import create_app

    return TestClient(create_app(data_dir=real_data))


def test_the_home_page_in_1980_and_1850(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/", params={"state": "RUS", "year": 1980})
    assert page.status_code == 200
    for territory in SOVIET:
        group = re.search(rf'<g fill="([^"]+)"[^>]*data-state="365" '
                          rf'data-territory="{territory}"', page.text)
        assert group and group.group(1) == svg.TIE_COLOURS["self"], territory
    # East Germany and Czechoslovakia, Warsaw Pact partners, are drawn in the defence colour
    assert re.search(r'data-state="260 265" data-territory="de"', page.text)
    czech = re.search(r'<g fill="([^"]+)"[^>]*data-state="315" data-territory="cz"',
                      page.text)
    assert czech and czech.group(1) == svg.TIE_COLOURS["defence"]
    assert "Shapes are today" in page.text and "no tie" in page.text
    bavaria = client.get("/", params={"state": "BAV", "year": 1850})
    assert bavaria.status_code == 200
    assert "Bavaria cannot be drawn on this map" in bavaria.text


def test_charts_have_people_friendly_numbers_hover_values_and_coloured_legends() -> None:
    assert [svg.tick(v) for v in (67_100, 0.008573, 3.5, 0)] == ["67,100", "0.00857", "3.5", "0"]
    chart = svg.line_chart({"a": [(2000, 67_100.0), (2001, 70_000.0)],
                            "b": [(2000, 1.0), (2001, None)]}, title="t")
    assert "e+" not in chart and "70,000" in chart
    assert "<title>a, 2001: 70,000</title>" in chart
    assert 'class="legend" style="fill: #d95f02">b</text>' in chart
    bars = svg.bar_chart([("a very long label " * 5, 0.5)], title="t")
    assert "…" in bars and "<title>" + "a very long label " * 5 in bars


def test_every_network_node_is_labelled_and_blocs_are_rings() -> None:
    blocs = {1: 1, 2: 1, 3: 1, 4: 2, 5: 2, 6: None, 7: None}
    layout = svg.network_layout(tuple(blocs.items()))
    positions, height = layout
    assert set(positions) == set(blocs) and height > 0
    # a bloc's members sit on one ring: equally far from its centre
    ring = [positions[n][:2] for n in (1, 2, 3)]
    centre = (sum(p[0] for p in ring) / 3, sum(p[1] for p in ring) / 3)
    radii = {round(((x - centre[0]) ** 2 + (y - centre[1]) ** 2) ** 0.5, 6) for x, y in ring}
    assert len(radii) == 1
    # the states in no bloc are on the grid below every ring
    assert min(positions[6][1], positions[7][1]) > max(positions[n][1] for n in range(1, 6))
    picture = svg.network_svg(layout, [(1, 2), (2, 3), (4, 5)], blocs,
                              {n: f"State {n}" for n in blocs},
                              {n: f"S{n}" for n in blocs}, title="t")
    labels = re.findall(r'class="node-label">([^<]+)</text>', picture)
    assert sorted(labels) == sorted(f"S{n}" for n in blocs)
    assert len(re.findall(r'<a href="/states/\d+"><title>State \d+', picture)) == len(blocs)
    assert picture.count("<line ") == 3


def test_the_russian_and_ottoman_empires_over_their_later_states() -> None:
    day = datetime.date(1900, 6, 1)
    shapes = dict(svg.shapes_on(day))
    for russian in ("fi", "ee", "lv", "lt", "by", "ua", "md", "ge", "am", "az", "kz"):
        assert shapes[russian] == (365,), russian
    for ottoman in ("iq", "sy", "lb", "jo", "il", "al", "mk"):
        assert shapes[ottoman] == (640,), ottoman
    assert shapes["pl"] == (365, 255)  # Congress Poland beside Prussia's lands
    assert shapes["bg"] == (640,) and shapes["ba"] == (300,)
    # each successor is itself once it entered the system
    later = dict(svg.shapes_on(datetime.date(1930, 1, 1)))
    assert later["fi"] == (375,) and later["bg"] == (355,) and later["iq"] == (645,)
    assert later["md"] == (360,)  # Bessarabia in Romania between the wars
    assert dict(svg.shapes_on(datetime.date(1910, 1, 1)))["bg"] == (355,)
