"""Charts drawn on the server as inline SVG: a world map, lines, bars and a network.

No script and no remote asset is needed to see them. The world map's geometry is the
``worldmap.svg`` that the ``pygal_maps_world`` package installs (countries by ISO alpha-2 code,
today's borders). On a given day each shape stands for the state of that day that held it
(:mod:`alliancekit.curated.territories`): the Soviet Union over its fifteen successors, the two
German states striped over today's Germany.
"""

from __future__ import annotations

import datetime
import html
import math
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from functools import cache
from importlib import resources

import pycountry

from alliancekit.curated.territories import territories_on
from alliancekit.names import state_name, state_names

# One colour per tie kind, far apart (Okabe and Ito's colour-blind-safe hues beside the
# explorer's dark blue and orange): a reader tells defence from consultation at a glance.
TIE_COLOURS = {"self": "#d95f02", "defence": "#1b4f72", "offence": "#cc79a7",
               "neutrality": "#009e73", "consultation": "#56b4e9", "non_aggression": "#e6c229"}
NONE = "#d5d8dc"  # a state with no tie
NOT_STATE = "#f4f6f6"  # not a member of the state system that day
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


def split_pattern(first: str, second: str) -> tuple[str, str]:
    """The id and definition of stripes of two colours: a shape shared by two states."""
    ident = "split-" + first.lstrip("#") + "-" + second.lstrip("#")
    return ident, (f'<pattern id="{ident}" width="10" height="10" patternUnits="userSpaceOnUse" '
                   f'patternTransform="rotate(45)"><rect width="5" height="10" fill="{first}"/>'
                   f'<rect x="5" width="5" height="10" fill="{second}"/></pattern>')


def shapes_on(day: datetime.date | None) -> list[tuple[str, tuple[int, ...]]]:
    """Each shape of the map (alpha-2) with the state(s) it stands for on ``day`` (today's
    state without a day)."""
    _, groups = _world()
    by_alpha2 = {a2: code for code, a2 in _alpha2().items()}
    spells = territories_on(day) if day is not None else {}
    out = []
    for alpha2, _paths in groups:
        own = by_alpha2.get(alpha2)
        out.append((alpha2, spells.get(alpha2) or ((own,) if own is not None else ())))
    return out


def drawable(state: int, day: datetime.date | None) -> bool:
    """Whether ``state`` has a shape on the map on ``day``."""
    return any(state in codes for _, codes in shapes_on(day))


def world_map(fills: Mapping[int, str], titles: Mapping[int, str], *, label: str,
              hatched: Collection[int] = (), day: datetime.date | None = None,
              members: Collection[int] | None = None,
              link: Callable[[int], str] | None = None,
              name: Callable[[int, datetime.date | None], str] = state_name,
              not_state: str = "not a state that day",
              shared: str = "one modern shape for both") -> str:
    """The world on ``day`` with each state (COW code) in ``fills`` coloured and the rest grey
    (paler grey for territories that were not a state that day, when ``members``, the
    system's members that day, are given); states in ``hatched`` are striped in their colour
    instead of filled (ties carried past 2018); a shape shared by two states is striped in
    both colours. With ``link``, each state's shape links to ``link(code)``; ``name``,
    ``not_state`` and ``shared`` give the words of the shapes' titles (another language)."""
    view, groups = _world()
    paths_of = dict(groups)
    parts = [f'<svg class="map" viewBox="{view}" role="img" aria-label="{html.escape(label)}" '
             'xmlns="http://www.w3.org/2000/svg">']
    definitions: dict[str, str] = {}

    def colour_of(code: int) -> str:
        if code in fills:
            return fills[code]
        return NOT_STATE if members is not None and code not in members else NONE

    body = []
    for alpha2, codes in shapes_on(day):
        paths = paths_of[alpha2]
        if not codes:
            body.append(f'<g fill="{NOT_STATE}" stroke="#ffffff" stroke-width="0.6">'
                        f'{paths}</g>')
            continue
        colours = [colour_of(c) for c in codes]
        if len(codes) == 1 and codes[0] in hatched and codes[0] in fills:
            definitions[hatch_id(colours[0])] = hatch_pattern(colours[0])
            fill = f"url(#{hatch_id(colours[0])})"
        elif len(codes) > 1 and colours[0] != colours[1]:
            ident, definition = split_pattern(colours[0], colours[1])
            definitions[ident] = definition
            fill = f"url(#{ident})"
        else:
            fill = colours[0]
        title = " / ".join(titles.get(c) or (name(c, day) + (
            "" if members is None or c in members else f": {not_state}"))
            for c in codes)
        if len(codes) > 1:
            title += f" ({shared})"
        group = (f'<g fill="{fill}" stroke="#ffffff" stroke-width="0.6" '
                 f'data-state="{" ".join(map(str, codes))}" data-territory="{alpha2}">'
                 f'<title>{html.escape(title)}</title>{paths}</g>')
        if link is not None:
            group = f'<a href="{html.escape(link(codes[0]))}">{group}</a>'
        body.append(group)
    if definitions:
        parts.append("<defs>" + "".join(definitions.values()) + "</defs>")
    parts.extend(body)
    parts.append("</svg>")
    return "".join(parts)


def tick(value: float) -> str:
    """A number as an axis or a bar shows it: thousands separated, no exponent, small
    numbers to three significant digits (67,100; 3.5; 0.00857)."""
    size = abs(value)
    if size >= 1000:
        return f"{value:,.0f}"
    if size >= 1 or value == 0:
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:.3g}"


def _text_width(text: str, size: float = 11) -> float:
    """About how wide ``text`` is at font size ``size``."""
    return len(text) * size * 0.6


def line_chart(series: Mapping[str, Sequence[tuple[int, float | None]]], *, title: str,
               width: int = 640, height: int = 220) -> str:
    """Lines over years; a missing value breaks the line."""
    points = [(x, y) for values in series.values() for x, y in values if y is not None]
    if not points:
        return f'<p class="empty">{html.escape(title)}: no data in these years.</p>'
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    y0, y1 = min(0.0, min(ys)), max(ys) if max(ys) > 0 else 1.0
    labels = [tick(v) for v in (y0, (y0 + y1) / 2, y1)]
    left = int(max(40, max(_text_width(t) for t in labels) + 12))
    right, top, bottom = 12, 26 + 14 * (len(series) if len(series) > 1 else 0), 24

    def sx(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    def sy(y: float) -> float:
        return height - bottom - (y - y0) / (y1 - y0) * (height - top - bottom)

    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{html.escape(title)}" xmlns="http://www.w3.org/2000/svg">',
           f'<text x="{left}" y="16" class="title">{html.escape(title)}</text>',
           f'<line x1="{left}" y1="{sy(y0):.1f}" x2="{width - right}" y2="{sy(y0):.1f}" '
           'stroke="#999"/>']
    for value, label in zip((y0, (y0 + y1) / 2, y1), labels, strict=True):
        out.append(f'<text x="{left - 6}" y="{sy(value) + 4:.1f}" text-anchor="end" '
                   f'class="tick">{label}</text>')
    for year in sorted({x0, (x0 + x1) // 2, x1}):
        anchor = "start" if year == x0 else "end" if year == x1 else "middle"
        out.append(f'<text x="{sx(year):.1f}" y="{height - 6}" text-anchor="{anchor}" '
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
        for x, y in values:  # hover: each value with its year
            if y is not None:
                out.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{colour}" '
                           f'fill-opacity="0.01"><title>{html.escape(name)}, {x}: '
                           f'{tick(y)}</title></circle>')
        if len(series) > 1:
            out.append(f'<rect x="{left}" y="{22 + 14 * index}" width="10" height="10" '
                       f'fill="{colour}"/><text x="{left + 14}" y="{31 + 14 * index}" '
                       f'class="legend" style="fill: {colour}">{html.escape(name)}</text>')
    out.append("</svg>")
    return "".join(out)


def bar_chart(bars: Sequence[tuple[str, float]], *, title: str, width: int = 640,
              unit: str = "") -> str:
    """Horizontal bars, one per label."""
    if not bars:
        return f'<p class="empty">{html.escape(title)}: nothing to show.</p>'
    row = 22
    left = int(min(width * 0.42, max(60, max(_text_width(label) for label, _ in bars) + 14)))
    most = int((left - 14) / (11 * 0.6))
    height = 30 + row * len(bars)
    top = max((v for _, v in bars), default=1.0) or 1.0
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{html.escape(title)}" xmlns="http://www.w3.org/2000/svg">',
           f'<text x="0" y="16" class="title">{html.escape(title)}</text>']
    for index, (label, value) in enumerate(bars):
        y = 26 + index * row
        length = max(0.0, value) / top * (width - left - 80)
        shown = label if len(label) <= most else label[:most - 1] + "…"
        out.append(f'<text x="{left - 8}" y="{y + 14}" text-anchor="end" class="tick">'
                   f'<title>{html.escape(label)}</title>{html.escape(shown)}</text>')
        out.append(f'<rect x="{left}" y="{y + 3}" width="{length:.1f}" height="{row - 6}" '
                   f'fill="{PALETTE[index % len(PALETTE)]}"><title>{html.escape(label)}: '
                   f'{tick(value)}{html.escape(unit)}</title></rect>')
        out.append(f'<text x="{left + length + 6:.1f}" y="{y + 14}" class="tick">'
                   f'{tick(value)}{html.escape(unit)}</text>')
    out.append("</svg>")
    return "".join(out)


def timeline_chart(spans: Sequence[tuple[str, datetime.date, datetime.date | None]], *,
                   title: str, today: datetime.date, still: str = "still a member",
                   width: int = 640) -> str:
    """One bar per ``(label, entry, exit)`` on a common axis of years, from the first entry to
    the last exit (or ``today`` for a spell with no exit, drawn with an open end)."""
    if not spans:
        return f'<p class="empty">{html.escape(title)}: nothing to show.</p>'
    row = 22
    left = int(min(width * 0.42, max(60, max(_text_width(s[0]) for s in spans) + 14)))
    most = int((left - 14) / (11 * 0.6))
    first = min(s[1] for s in spans)
    last = max((s[2] or today) for s in spans)
    span_days = max(1, (last - first).days)
    height = 48 + row * len(spans)

    def sx(day: datetime.date) -> float:
        return left + (day - first).days / span_days * (width - left - 16)

    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{html.escape(title)}" xmlns="http://www.w3.org/2000/svg">',
           f'<text x="0" y="16" class="title">{html.escape(title)}</text>']
    years = sorted({first.year, (first.year + last.year) // 2, last.year})
    for year in years:
        x = sx(max(first, min(last, datetime.date(year, 1, 1))))
        out.append(f'<line x1="{x:.1f}" y1="24" x2="{x:.1f}" y2="{height - 18}" '
                   f'stroke="#e5e7e9"/><text x="{x:.1f}" y="{height - 4}" '
                   f'text-anchor="middle" class="tick">{year}</text>')
    for index, (label, entry, exit_) in enumerate(spans):
        y = 26 + index * row
        x0, x1 = sx(entry), sx(exit_ or today)
        shown = label if len(label) <= most else label[:most - 1] + "…"
        colour = PALETTE[index % len(PALETTE)]
        period = f"{entry} to {exit_}" if exit_ else f"{entry}, {still}"
        out.append(f'<text x="{left - 8}" y="{y + 14}" text-anchor="end" class="tick">'
                   f'<title>{html.escape(label)}</title>{html.escape(shown)}</text>')
        out.append(f'<rect x="{x0:.1f}" y="{y + 3}" width="{max(2.0, x1 - x0):.1f}" '
                   f'height="{row - 6}" fill="{colour}"><title>{html.escape(label)}: '
                   f'{html.escape(period)}</title></rect>')
        if exit_ is None:
            out.append(f'<path d="M{x1:.1f},{y + 3} l7,{(row - 6) / 2:.1f} l-7,'
                       f'{(row - 6) / 2:.1f} z" fill="{colour}"/>')
    out.append("</svg>")
    return "".join(out)


NETWORK_WIDTH = 720
_SPACING = 12  # pixels of circumference per state in a bloc's ring (room for its label)
_GAP = 34  # between bloc rings, room for the labels outside them


@cache
def network_layout(blocs: tuple[tuple[int, int | None], ...], width: int = NETWORK_WIDTH
                   ) -> tuple[dict[int, tuple[float, float, float]], float]:
    """Where each state of the network goes, in pixels: each bloc a ring of its members (by
    COW code, which runs by region), the largest first, packed in rows; the states in no
    bloc on a grid below. Returns ``{state: (x, y, angle)}`` (the angle places a ring's
    label outside it; NaN on the grid) and the drawing's height. Kept, so a network drawn
    once is drawn again at once."""
    members: dict[int, list[int]] = {}
    loners = []
    for state, bloc in blocs:
        if bloc:
            members.setdefault(bloc, []).append(state)
        else:
            loners.append(state)
    positions: dict[int, tuple[float, float, float]] = {}
    x = y = row_height = 0.0
    for bloc in sorted(members, key=lambda b: (-len(members[b]), b)):
        ring = sorted(members[bloc])
        radius = max(16.0, len(ring) * _SPACING / (2 * math.pi))
        side = 2 * radius + 2 * _GAP
        if x > 0 and x + side > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + side / 2, y + side / 2
        for k, state in enumerate(ring):
            angle = 2 * math.pi * k / len(ring) - math.pi / 2
            positions[state] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle),
                                angle)
        x += side
        row_height = max(row_height, side)
    y += row_height + 10
    columns = max(1, int(width // 48))
    for k, state in enumerate(sorted(loners)):
        positions[state] = (14 + (k % columns) * 48, y + 10 + (k // columns) * 22, math.nan)
    height = y + (20 + ((len(loners) - 1) // columns + 1) * 22 if loners else 0)
    return positions, max(height, 60.0)


def bloc_colour(bloc: int | None) -> str:
    """The colour of bloc ``bloc`` on the network (grey for no bloc)."""
    return PALETTE[(bloc - 1) % len(PALETTE)] if bloc else "#bfc9ca"


def network_svg(layout: tuple[Mapping[int, tuple[float, float, float]], float],
                edges: Sequence[tuple[int, int]], blocs: Mapping[int, int | None],
                names: Mapping[int, str], codes: Mapping[int, str], *, title: str,
                loners: str = "in no bloc") -> str:
    """The network laid out by :func:`network_layout`: states coloured by bloc, each labelled
    with its code (its name on hover) and linked to its page, with the edges between them;
    ``loners`` heads the states in no bloc."""
    positions, height = layout
    width = NETWORK_WIDTH
    out = [f'<svg class="network" viewBox="0 0 {width} {height:.0f}" role="img" '
           f'aria-label="{html.escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    for a, b in edges:
        (x1, y1, _), (x2, y2, _) = positions[a], positions[b]
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                   'stroke="#909497" stroke-width="0.5" stroke-opacity="0.5"/>')
    grid = [p for p in positions.values() if math.isnan(p[2])]
    if grid:
        top = min(p[1] for p in grid)
        out.append(f'<text x="4" y="{top - 14:.1f}" class="tick">{html.escape(loners)}</text>')
    for node, (x, y, angle) in positions.items():
        bloc = blocs.get(node)
        name = html.escape(names.get(node, str(node)))
        code = html.escape(codes.get(node, str(node)))
        turn = ""
        if math.isnan(angle):
            lx, ly, anchor = x + 7, y + 3.5, "start"
        else:  # outside the ring, along its radius, read left to right
            lx, ly = x + 8 * math.cos(angle), y + 8 * math.sin(angle)
            right = math.cos(angle) >= 0
            anchor = "start" if right else "end"
            degrees = math.degrees(angle) + (0 if right else 180)
            turn = f' transform="rotate({degrees:.1f} {lx:.1f} {ly:.1f})"'
            ly += 3
        out.append(f'<a href="/states/{node}"><title>{name}'
                   f'{f" (bloc {bloc})" if bloc else ""}</title>'
                   f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{bloc_colour(bloc)}"/>'
                   f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}"{turn} '
                   f'class="node-label">{code}</text></a>')
    out.append("</svg>")
    return "".join(out)
