"""Charts drawn on the server as inline SVG: a world map, lines, bars and a network.

No script and no remote asset is needed to see them. The world map's geometry is the
``worldmap.svg`` that the ``pygal_maps_world`` package installs (countries by ISO alpha-2 code).
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Mapping, Sequence
from functools import cache
from importlib import resources

import pycountry

from alliancekit.obligations.names import state_names

TIE_COLOURS = {"self": "#d95f02", "defence": "#1b4f72", "offence": "#2e86c1",
               "neutrality": "#5dade2", "consultation": "#85c1e9", "non_aggression": "#aed6f1"}
NONE = "#e5e7e9"
PALETTE = ("#1b4f72", "#d95f02", "#117a65", "#7d3c98", "#b7950b", "#c0392b", "#5d6d7e",
           "#196f3d", "#a04000", "#2874a6")


@cache
def _world() -> tuple[str, tuple[tuple[str, str], ...]]:
    text = (resources.files("pygal_maps_world") / "worldmap.svg").read_text(encoding="utf-8")
    view = re.search(r'viewBox="([^"]+)"', text)
    groups = re.findall(r'<g class="([a-z]{2}) country map-element">(.*?)</g>', text, re.S)
    return (view.group(1) if view else "0 0 2475 1388"), tuple(groups)


@cache
def _alpha2() -> dict[int, str]:
    """COW code -> ISO alpha-2, through the ISO3 codes in the curated ``states.csv``."""
    out = {}
    for state in state_names():
        if state.iso3:
            country = pycountry.countries.get(alpha_3=state.iso3)
            if country is not None:
                out[state.ccode] = country.alpha_2.lower()
    return out


def hatch_id(colour: str) -> str:
    """The id of the striped pattern drawn in ``colour`` (a carried tie)."""
    return "hatch-" + colour.lstrip("#")


def hatch_pattern(colour: str) -> str:
    """A pattern of ``colour`` stripes on white: the map's mark for a carried tie."""
    return (f'<pattern id="{hatch_id(colour)}" width="8" height="8" '
            'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            f'<rect width="8" height="8" fill="#ffffff"/><rect width="4" height="8" '
            f'fill="{colour}"/></pattern>')


def world_map(fills: Mapping[int, str], titles: Mapping[int, str], *, label: str,
              hatched: Collection[int] = ()) -> str:
    """The world with each state (COW code) in ``fills`` coloured, the rest grey; states in
    ``hatched`` are striped in their colour instead of filled (ties carried past 2018)."""
    view, groups = _world()
    by_alpha2 = {a2: code for code, a2 in _alpha2().items()}
    parts = [f'<svg class="map" viewBox="{view}" role="img" aria-label="{html.escape(label)}" '
             'xmlns="http://www.w3.org/2000/svg">']
    striped = sorted({fills[c] for c in hatched if c in fills})
    if striped:
        parts.append("<defs>" + "".join(hatch_pattern(c) for c in striped) + "</defs>")
    for alpha2, paths in groups:
        code = by_alpha2.get(alpha2)
        colour = fills.get(code, NONE) if code is not None else NONE
        if code is not None and code in hatched and code in fills:
            colour = f"url(#{hatch_id(colour)})"
        title = html.escape(titles.get(code, "")) if code is not None else ""
        parts.append(f'<g fill="{colour}" stroke="#ffffff" stroke-width="0.6" '
                     f'data-state="{code or ""}"><title>{title}</title>{paths}</g>')
    parts.append("</svg>")
    return "".join(parts)


def line_chart(series: Mapping[str, Sequence[tuple[int, float | None]]], *, title: str,
               width: int = 640, height: int = 220) -> str:
    """Lines over years; a missing value breaks the line."""
    points = [(x, y) for values in series.values() for x, y in values if y is not None]
    if not points:
        return f'<p class="empty">{html.escape(title)}: no data in these years.</p>'
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    y0, y1 = min(0.0, min(ys)), max(ys) if max(ys) > 0 else 1.0
    left, right, top, bottom = 56, 12, 26, 24

    def sx(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    def sy(y: float) -> float:
        return height - bottom - (y - y0) / (y1 - y0) * (height - top - bottom)

    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{html.escape(title)}" xmlns="http://www.w3.org/2000/svg">',
           f'<text x="{left}" y="16" class="title">{html.escape(title)}</text>',
           f'<line x1="{left}" y1="{sy(y0):.1f}" x2="{width - right}" y2="{sy(y0):.1f}" '
           'stroke="#999"/>']
    for value in (y0, (y0 + y1) / 2, y1):
        out.append(f'<text x="{left - 6}" y="{sy(value) + 4:.1f}" text-anchor="end" '
                   f'class="tick">{value:,.4g}</text>')
    for year in sorted({x0, (x0 + x1) // 2, x1}):
        out.append(f'<text x="{sx(year):.1f}" y="{height - 6}" text-anchor="middle" '
                   f'class="tick">{year}</text>')
    for index, (name, values) in enumerate(series.items()):
        colour = PALETTE[index % len(PALETTE)]
        segment: list[str] = []
        for x, y in [*list(values), (x1 + 1, None)]:
            if y is None:
                if len(segment) > 1:
                    out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                               f'points="{" ".join(segment)}"/>')
                elif segment:
                    cx, cy = segment[0].split(",")
                    out.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{colour}"/>')
                segment = []
            else:
                segment.append(f"{sx(x):.1f},{sy(y):.1f}")
        if len(series) > 1:
            out.append(f'<text x="{width - right}" y="{16 + 14 * index}" text-anchor="end" '
                       f'fill="{colour}" class="legend">{html.escape(name)}</text>')
    out.append("</svg>")
    return "".join(out)


def bar_chart(bars: Sequence[tuple[str, float]], *, title: str, width: int = 640,
              unit: str = "") -> str:
    """Horizontal bars, one per label."""
    if not bars:
        return f'<p class="empty">{html.escape(title)}: nothing to show.</p>'
    row, left = 22, 180
    height = 30 + row * len(bars)
    top = max((v for _, v in bars), default=1.0) or 1.0
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{html.escape(title)}" xmlns="http://www.w3.org/2000/svg">',
           f'<text x="0" y="16" class="title">{html.escape(title)}</text>']
    for index, (label, value) in enumerate(bars):
        y = 26 + index * row
        length = max(0.0, value) / top * (width - left - 80)
        out.append(f'<text x="{left - 8}" y="{y + 14}" text-anchor="end" class="tick">'
                   f'{html.escape(label)}</text>')
        out.append(f'<rect x="{left}" y="{y + 3}" width="{length:.1f}" height="{row - 6}" '
                   f'fill="{PALETTE[index % len(PALETTE)]}"/>')
        out.append(f'<text x="{left + length + 6:.1f}" y="{y + 14}" class="tick">'
                   f'{value:,.3g}{html.escape(unit)}</text>')
    out.append("</svg>")
    return "".join(out)


def network_svg(positions: Mapping[int, tuple[float, float]], edges: Sequence[tuple[int, int]],
                blocs: Mapping[int, int | None], names: Mapping[int, str], *, title: str,
                size: int = 720) -> str:
    """Nodes at ``positions`` (in [-1, 1]) coloured by bloc, with the edges between them."""
    def at(point: tuple[float, float]) -> tuple[float, float]:
        return (size / 2 + point[0] * (size / 2 - 30), size / 2 + point[1] * (size / 2 - 30))

    out = [f'<svg class="network" viewBox="0 0 {size} {size}" role="img" '
           f'aria-label="{html.escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    for a, b in edges:
        (x1, y1), (x2, y2) = at(positions[a]), at(positions[b])
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                   'stroke="#b3b6b7" stroke-width="0.6"/>')
    for node, point in positions.items():
        x, y = at(point)
        bloc = blocs.get(node)
        colour = PALETTE[(bloc - 1) % len(PALETTE)] if bloc else "#bfc9ca"
        out.append(f'<a href="/states/{node}"><circle cx="{x:.1f}" cy="{y:.1f}" r="5" '
                   f'fill="{colour}"><title>{html.escape(names.get(node, str(node)))}'
                   f'{f" (bloc {bloc})" if bloc else ""}</title></circle></a>')
    out.append("</svg>")
    return "".join(out)
