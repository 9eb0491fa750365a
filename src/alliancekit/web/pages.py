"""The explorer's pages, rendered on the server (Jinja2) with inline SVG charts."""

from __future__ import annotations

import datetime
from functools import cache
from typing import Annotated, Any, Literal

import networkx as nx
import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from alliancekit.curated.pledges import ATOP_END
from alliancekit.measures.profile import PROFILE_COLUMNS, cooperation_profile
from alliancekit.obligations.names import state_name
from alliancekit.obligations.scenario import HONOURED
from alliancekit.panels.ucdp import support_rows
from alliancekit.sources.nmc import load_nmc
from alliancekit.sources.sipri import load_sipri_milex
from alliancekit.web import svg
from alliancekit.web.api import (
    ApiError,
    ScenarioBody,
    _day,
    _name,
    _records,
    _state,
    agreement_record,
    agreements_list,
    explorer,
    network,
    scenario,
)
from alliancekit.web.context import Explorer

pages = APIRouter(include_in_schema=False)
CARRIED_SWATCH = ("background: repeating-linear-gradient(45deg, #1b4f72 0 3px, #ffffff 3px 6px); "
                  "border: 1px solid #1b4f72")


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("alliancekit.web", "templates"),
                       autoescape=select_autoescape(["html"]))


def render(template: str, **context: Any) -> str:
    """A page from ``template`` with ``context``."""
    context.setdefault("sources", "the curated records")
    return _environment().get_template(template).render(**context)


def _page(request: Request, template: str, **context: Any) -> HTMLResponse:
    found = explorer(request).available
    context["sources"] = ", ".join(["curated records", *(n for n, ok in found.items() if ok)])
    return HTMLResponse(render(template, **context))


def _year(context: Explorer, year: int | None) -> int:
    value = context.last_year() if year is None else year
    if not context.first_year() <= value <= context.last_year():
        raise ApiError(400, f"year {value}: give a year from {context.first_year()} to "
                            f"{context.last_year()}", "year")
    return value


def _state_choices(context: Explorer) -> list[dict[str, Any]]:
    return _records(context.states.sort_values("name")[["ccode", "name"]])


@pages.get("/", response_class=HTMLResponse)
def home(request: Request, state: str = "SAU",
         year: Annotated[int | None, Query()] = None) -> HTMLResponse:
    """A world map coloured by the chosen state's ties in the chosen year."""
    context = explorer(request)
    code = _state(state, "state")
    chosen = _year(context, year)
    ties = context.ties(code, context.day_for(chosen))
    fills = {int(c): svg.TIE_COLOURS.get(str(k), svg.NONE)
             for c, k in zip(ties["ccode"], ties["strongest"], strict=True)}
    fills[code] = svg.TIE_COLOURS["self"]
    titles = {int(c): f"{n}: {k}" + (" (carried)" if carried else "")
              for c, n, k, carried in zip(ties["ccode"], ties["name"], ties["strongest"],
                                          ties["carried"], strict=True)}
    titles[code] = state_name(code, context.day_for(chosen))
    hatched = {int(c) for c, carried in zip(ties["ccode"], ties["carried"], strict=True)
               if carried}
    day = context.day_for(chosen)
    members = context.members_on(day)
    picture = svg.world_map(fills, titles, label=f"Ties of {state_name(code, day)} in {chosen}",
                            hatched=hatched, day=day, members=members,
                            link=lambda c: f"/?state={c}&year={chosen}")
    legend = [(name.replace("_", " "), f"background: {colour}")
              for name, colour in svg.TIE_COLOURS.items()]
    legend.append(("no tie", f"background: {svg.NONE}"))
    if members is not None:
        legend.append(("not a state that year", f"background: {svg.NOT_STATE}; "
                                                  "border: 1px solid #ccc"))
    if hatched:
        legend.append(("carried", CARRIED_SWATCH))
    undrawn = None if svg.drawable(code, day) else (
        f"{state_name(code, day)} cannot be drawn on this map: the map has today's borders, and "
        f"no modern country stands for its territory on {day}. Its ties are listed below.")
    return _page(request, "home.html", title="Map", state=code,
                 state_name=state_name(code, day),
                 year=chosen, first_year=context.first_year(), last_year=context.last_year(),
                 states=_state_choices(context), map=picture, legend=legend,
                 partners=_records(ties), day=day.isoformat(),
                 carried=len(hatched), carry_on=context.engine.carry_forward and day > ATOP_END,
                 undrawn=undrawn,
                 notes=context.engine.notes(day))


@pages.get("/states/{state}", response_class=HTMLResponse)
def state_page(request: Request, state: str,
               year: Annotated[int | None, Query()] = None) -> HTMLResponse:
    """Partners now and over time, pledges, capabilities, spending and cooperation."""
    context = explorer(request)
    code = _state(state, "state")
    chosen = _year(context, year)
    day = context.day_for(chosen)
    given = context.engine.pledges_by(code, day)
    received = context.engine.pledges_to(code, day)
    first = max(context.first_year(), chosen - 40)
    counts = context.defence_partners(code, first, chosen)
    partners_chart = svg.line_chart({"defence partners": counts},
                                    title=f"States tied by a defence pledge, {first}-{chosen}")
    capability_chart, spending_chart, cooperation_chart = _capabilities(context, code, first,
                                                                        chosen)
    return _page(request, "state.html", title=_name(code), state=code, state_name=_name(code),
                 year=chosen, day=day.isoformat(), first_year=context.first_year(),
                 last_year=context.last_year(), partners=_records(context.ties(code, day)),
                 given=_records(given.frame[["explanation", "status", "carried"]])
                 if len(given.frame) else [],
                 received=_records(received.frame[["explanation", "status", "carried"]])
                 if len(received.frame) else [],
                 carry_on=context.engine.carry_forward and day > ATOP_END,
                 partners_chart=partners_chart, capability_chart=capability_chart,
                 spending_chart=spending_chart, cooperation_chart=cooperation_chart,
                 support=_combat_support(context, code, first, chosen), notes=given.notes)


def _combat_support(context: Explorer, code: int, first: int, last: int
                    ) -> dict[str, Any] | None:
    """The UCDP conflicts in which the state fought to support a side, and those in which
    others fought on its side, ``first``-``last`` (``None`` without UCDP's data)."""
    if not context.available.get("ucdp_acd"):
        return None
    rows = support_rows(context.data_dir, "cow")
    rows = rows[rows["year"].between(first, last)]

    def names(codes: pd.Series) -> str:
        return ", ".join(sorted({_name(int(c)) for c in codes})) or "non-state groups only"

    def span(years: pd.Series) -> str:
        low, high = int(years.min()), int(years.max())
        return str(low) if low == high else f"{low}-{high}"

    kinds = {"II": "internationalized intrastate"}
    sent, received = [], []
    for conflict, group in rows[rows["supporter"] == code].groupby("conflict_id"):
        sent.append({"conflict": conflict, "years": span(group["year"]),
                     "kind": kinds.get(group["type_of_conflict"].iloc[-1],
                                      group["type_of_conflict"].iloc[-1]),
                     "beside": names(group.loc[group["relation"] == "for", "primary"]),
                     "against": names(group.loc[group["relation"] == "against", "primary"])})
    backed = rows[(rows["primary"] == code) & (rows["relation"] == "for")]
    for conflict, group in backed.groupby("conflict_id"):
        received.append({"conflict": conflict, "years": span(group["year"]),
                         "kind": kinds.get(group["type_of_conflict"].iloc[-1],
                                           group["type_of_conflict"].iloc[-1]),
                         "from": names(group["supporter"])})
    return {"sent": sent, "received": received, "first": first, "last": last}


def _capabilities(context: Explorer, code: int, first: int, last: int) -> tuple[str, str, str]:
    """CINC, SIPRI spending and the cooperation profile as charts (or a note when the source
    is not on this server)."""
    missing = '<p class="empty">{}: not available on this server.</p>'
    cinc = spending = cooperation = ""
    if context.available.get("cow_nmc"):
        nmc = load_nmc("7.0", context.data_dir)
        rows = nmc[(nmc["ccode"] == code) & nmc["year"].between(first, last)]
        cinc = svg.line_chart({"CINC": list(zip(rows["year"], rows["cinc"], strict=True))},
                              title="Composite index of national capability (COW NMC 7.0)")
    else:
        cinc = missing.format("Capabilities (COW NMC)")
    if context.available.get("sipri_milex"):
        milex = load_sipri_milex(context.data_dir)
        rows = milex[(milex["ccode"] == code) & milex["year"].between(first, last)]
        spending = svg.line_chart(
            {"spending": list(zip(rows["year"], rows["milex_usd2022_m"], strict=True))},
            title="Military spending, constant 2022 US$ millions (SIPRI)")
    else:
        spending = missing.format("Spending (SIPRI)")
    if context.available.get("cow_states") and last >= 1980:
        profile = cooperation_profile(code, (max(first, 1980), last), data_dir=context.data_dir)
        series = {}
        for column in ("dca_general", "exercises", "pko_missions"):
            if column in profile:
                values = [(int(y), None if pd.isna(v) else float(v))
                          for y, v in zip(profile["year"], profile[column], strict=True)]
                series[PROFILE_COLUMNS[column][0]] = values
        cooperation = svg.line_chart(series, title="Cooperation: DCAs in force, exercises, "
                                                   "UN missions")
    elif last < 1980:
        cooperation = '<p class="empty">The cooperation sources start in 1980.</p>'
    else:
        cooperation = missing.format("Cooperation timeline (needs the COW state system)")
    return cinc, spending, cooperation


@pages.get("/agreements", response_class=HTMLResponse)
def agreements_page(request: Request) -> HTMLResponse:
    """Every curated agreement."""
    return _page(request, "agreements.html", title="Agreements",
                 agreements=agreements_list()["agreements"])


@pages.get("/agreements/{agreement}", response_class=HTMLResponse)
def agreement_page(request: Request, agreement: str) -> HTMLResponse:
    """Members over time, obligations and conditions, sources with links."""
    record = agreement_record(agreement)
    today = datetime.date.today().year
    bars = []
    for member in record["members"]:
        start = int(member["entry"][:4])
        end = int(member["exit"][:4]) if member["exit"] else today
        bars.append((f"{member['name']} {start}-{member['exit'][:4] if member['exit'] else ''}",
                     float(end - start + 1)))
    timeline = svg.bar_chart(bars, title="Years of membership (entry to exit or today)",
                             unit=" yrs")
    return _page(request, "agreement.html", title=record["name"], a=record, timeline=timeline)


@pages.get("/network", response_class=HTMLResponse)
def network_page(request: Request, year: Annotated[int | None, Query()] = None,
                 obligations: str = "defence") -> HTMLResponse:
    """The alliance network of a year, laid out, coloured by bloc."""
    context = explorer(request)
    chosen = _year(context, year if year is not None else min(context.last_year(), 2018)
                   if context.available.get("atop_ddyr") else context.last_year())
    data = network(context, chosen, obligations)
    positions = _layout(tuple(n["ccode"] for n in data["nodes"]),
                        tuple((e["source"], e["target"]) for e in data["edges"]))
    names = {n["ccode"]: n["name"] for n in data["nodes"]}
    blocs_of = {n["ccode"]: n["bloc"] for n in data["nodes"]}
    picture = svg.network_svg(positions, [(e["source"], e["target"]) for e in data["edges"]],
                              blocs_of, names, title=f"Alliance network {chosen}")
    blocs: dict[int, list[dict[str, Any]]] = {}
    for node in data["nodes"]:
        if node["bloc"]:
            blocs.setdefault(node["bloc"], []).append(node)
    return _page(request, "network.html", title=f"Network {chosen}", year=chosen,
                 first_year=context.first_year(), last_year=context.last_year(),
                 obligations=obligations,
                 obligation_choices=["defence", "offence", "neutrality", "consultation",
                                     "non_aggression"],
                 measures=data["measures"], picture=picture,
                 blocs=[{"number": k, "members": v} for k, v in sorted(blocs.items())])


@cache
def _layout(nodes: tuple[int, ...], edges: tuple[tuple[int, int], ...]
            ) -> dict[int, tuple[float, float]]:
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    positions = nx.spring_layout(graph, seed=0, k=1.6 / max(1, len(nodes)) ** 0.5)
    return {int(n): (float(p[0]), float(p[1])) for n, p in positions.items()}


@pages.get("/scenario", response_class=HTMLResponse)
def scenario_page(request: Request, attacker: str | None = None, target: str | None = None,
                  date: str | None = None, cascade: str | None = None,
                  rates: Literal["empirical", "fixed"] = "empirical") -> HTMLResponse:
    """Choose attacker, target and date; see the sides, the reasons and the simulation."""
    context = explorer(request)
    result = None
    capability_bars = join_bars = ""
    chosen_day = _day(date, "date") if date else datetime.date.today()
    if attacker and target:
        body = ScenarioBody(attackers=[attacker], targets=[target], on=chosen_day,
                            cascade=bool(cascade), draws=2000,
                            honoured="empirical" if rates == "empirical" else HONOURED)
        result = scenario(context, body)
        certain = result["capabilities"].get("possible", {})
        capability_bars = svg.bar_chart(
            [("attacker side", float(certain.get("attacker_side") or 0.0)),
             ("target side", float(certain.get("target_side") or 0.0))],
            title="Capabilities (CINC) of each side, pledges that apply or may apply") \
            if certain else '<p class="empty">CINC scores are not available on this server.</p>'
        joins = result["simulation"]["joins"]
        bars = []
        for j in joins[:15]:
            side = "target" if j["p_target_side"] >= j["p_attacker_side"] else "attacker"
            bars.append((f"{j['state_name']} ({side})",
                         max(j["p_target_side"], j["p_attacker_side"])))
        join_bars = svg.bar_chart(bars, title="Simulated probability of joining "
                                              "(2,000 draws, seed 1)")
    return _page(request, "scenario.html", title="Scenario", states=_state_choices(context),
                 attacker=_state(attacker, "attacker") if attacker else 630,
                 target=_state(target, "target") if target else 670,
                 date=chosen_day.isoformat(), cascade=bool(cascade), rates=rates,
                 result=result,
                 capability_bars=capability_bars, join_bars=join_bars)
