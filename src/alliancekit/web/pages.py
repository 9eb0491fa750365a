"""The explorer's pages, rendered on the server (Jinja2) with inline SVG charts."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from alliancekit.curated.pledges import ATOP_END
from alliancekit.curated.records import load_agreements
from alliancekit.measures.profile import PROFILE_COLUMNS, cooperation_profile
from alliancekit.obligations.simulation import HONOURED
from alliancekit.panels.ucdp import support_rows
from alliancekit.sources.nmc import load_nmc
from alliancekit.sources.sipri import load_sipri_milex
from alliancekit.web import i18n, svg
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
from alliancekit.web.render import (
    agreement_links,
    agreement_names,
    day_text,
    lang_of,
    localise,
    page,
    page_year,
    state_choices,
    with_links,
)

pages = APIRouter(include_in_schema=False)
CARRIED_SWATCH = ("background: repeating-linear-gradient(45deg, #1b4f72 0 3px, #ffffff 3px 6px); "
                  "border: 1px solid #1b4f72")


@pages.get("/", response_class=HTMLResponse)
def home(request: Request, state: str = "SAU",
         year: Annotated[int | None, Query()] = None) -> Response:
    """A world map coloured by the chosen state's ties in the chosen year."""
    context = explorer(request)
    lang = lang_of(request)
    _ = i18n.translator(lang)
    code = _state(state, "state")
    chosen = page_year(context, year)
    day = context.day_for(chosen)
    ties = context.ties(code, day)
    partners = with_links(localise(_records(ties), lang, day), context, lang)
    here = i18n.name(code, day, lang)
    fills = {int(c): svg.TIE_COLOURS.get(str(k), svg.NONE)
             for c, k in zip(ties["ccode"], ties["strongest"], strict=True)}
    fills[code] = svg.TIE_COLOURS["self"]
    titles = {int(p["ccode"]): f"{p['name']}: {_(str(p['strongest']).replace('_', ' '))}"
              + (f" ({_('carried')})" if p["carried"] else "") for p in partners}
    titles[code] = here
    hatched = {int(c) for c, carried in zip(ties["ccode"], ties["carried"], strict=True)
               if carried}
    members = context.members_on(day)
    picture = svg.world_map(fills, titles, label=_("Ties of {state} in {year}", state=here,
                                                   year=chosen),
                            hatched=hatched, day=day, members=members,
                            link=lambda c: f"/?state={c}&year={chosen}&lang={lang}",
                            name=lambda c, on: i18n.name(c, on, lang),
                            not_state=_("not a state that day"),
                            shared=_("one modern shape for both"))
    legend = [(_(name.replace("_", " ")), f"background: {colour}")
              for name, colour in svg.TIE_COLOURS.items()]
    legend.append((_("no tie"), f"background: {svg.NONE}"))
    if members is not None:
        legend.append((_("not a state that year"), f"background: {svg.NOT_STATE}; "
                                                     "border: 1px solid #ccc"))
    if hatched:
        legend.append((_("carried"), CARRIED_SWATCH))
    undrawn = None if svg.drawable(code, day) else _(
        "{state} cannot be drawn on this map: the map has today's borders, and no modern "
        "country stands for its territory on {day}. Its ties are listed below.", state=here,
        day=day_text(day, lang))
    return page(request, "home.html", title=_("Map"), state=code, state_name=here,
                year=chosen, first_year=context.first_year(), last_year=context.last_year(),
                states=state_choices(context, lang, day), map=picture, legend=legend,
                partners=partners, day=day.isoformat(), day_text=day_text(day, lang),
                carried=len(hatched), carry_on=context.engine.carry_forward and day > ATOP_END,
                undrawn=undrawn, on=day, notes=context.engine.notes(day),
                cite=("atop", "atop_ddyr", "cow_states"),
                download=[{"state": here, "ccode": code, "year": chosen, "day": day.isoformat(),
                            "partner": p["name"], "partner_ccode": p["ccode"],
                            "strongest_tie": p["strongest"], "carried": p["carried"],
                            "pledged_by_state": p["given"], "pledged_to_state": p["received"],
                            "agreements": p["agreements"]} for p in partners])


@pages.get("/states/{state}", response_class=HTMLResponse)
def state_page(request: Request, state: str,
               year: Annotated[int | None, Query()] = None) -> Response:
    """Partners now and over time, pledges, capabilities, spending and cooperation."""
    context = explorer(request)
    lang = lang_of(request)
    _ = i18n.translator(lang)
    code = _state(state, "state")
    chosen = page_year(context, year)
    day = context.day_for(chosen)
    here = i18n.name(code, day, lang)
    given = context.engine.pledges_by(code, day, words=i18n.wording(lang))
    received = context.engine.pledges_to(code, day, words=i18n.wording(lang))
    first = max(context.first_year(), chosen - 40)
    counts = context.defence_partners(code, first, chosen)
    partners_chart = svg.line_chart({_("defence partners"): counts},
                                    title=_("States tied by a defence pledge, {first}-{last}",
                                            first=first, last=chosen))
    capability_chart, spending_chart, cooperation_chart = _capabilities(context, code, first,
                                                                        chosen, lang)
    exposure_chart, exposure_now = _exposure(context, code, chosen, lang)
    return page(request, "state.html", title=here, state=code, state_name=here,
                year=chosen, day=day.isoformat(), day_text=day_text(day, lang), on=day,
                first_year=context.first_year(), last_year=context.last_year(),
                partners=(partners := with_links(
                     localise(_records(context.ties(code, day)), lang, day), context, lang)),
                 given=_by_agreement(given.frame, context, lang, day),
                 received=_by_agreement(received.frame, context, lang, day),
                 carry_on=context.engine.carry_forward and day > ATOP_END,
                 partners_chart=partners_chart, capability_chart=capability_chart,
                 spending_chart=spending_chart, cooperation_chart=cooperation_chart,
                 exposure_chart=exposure_chart, exposure_now=exposure_now,
                 support=_combat_support(context, code, first, chosen), notes=given.notes,
                 cite=("atop", "atop_ddyr", "cow_nmc", "sipri_milex", "dcad", "mme", "jme",
                       "geo_pko", "ucdp_acd", "cow_states"),
                 download=[{"state": here, "ccode": code, "day": day.isoformat(),
                            "partner": p["name"], "partner_ccode": p["ccode"],
                            "strongest_tie": p["strongest"], "carried": p["carried"],
                            "given": p["given"], "received": p["received"],
                            "agreements": p["agreements"]} for p in partners])


def _exposure(context: Explorer, code: int, year: int, lang: str
              ) -> tuple[str, dict[str, Any] | None]:
    """The state's line in the exposure atlas, when the server has one: the chance at least
    one defender comes against its most dangerous attacker, year by year, and that year's
    figures in words (the last computed year at or before ``year``)."""
    atlas = context.atlas
    if atlas is None:
        return "", None
    _ = i18n.translator(lang)
    rows = atlas[atlas["ccode"] == code].sort_values("year")
    if rows.empty:
        return "", None
    chart = svg.line_chart(
        {_("chance at least one defender comes"): [
            (int(y), None if pd.isna(p) else float(p))
            for y, p in zip(rows["year"], rows["md_p_any"], strict=True)]},
        title=_("Against its most dangerous attacker, {first}-{last}",
                first=int(rows["year"].min()), last=int(rows["year"].max())))
    before = rows[(rows["year"] <= year) & rows["most_dangerous"].notna()]
    if before.empty:
        return chart, None
    last = before.iloc[-1]
    day = context.day_for(int(last["year"]))
    return chart, {"year": int(last["year"]),
                   "attacker": i18n.name(int(last["most_dangerous"]), day, lang),
                   "defenders": int(last["md_defenders"]),
                   "chance": i18n.percent(float(last["md_p_any"]), lang)}


EXPOSURE_BINS = (0.2, 0.4, 0.6, 0.8)
EXPOSURE_COLOURS = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")


@pages.get("/atlas", response_class=HTMLResponse)
def atlas_page(request: Request, year: Annotated[int | None, Query()] = None) -> Response:
    """The exposure atlas of a year: each state coloured by the chance that at least one of
    its pledged defenders comes against its most dangerous attacker, most exposed first."""
    context = explorer(request)
    lang = lang_of(request)
    _ = i18n.translator(lang)
    atlas = context.atlas
    if atlas is None:
        return page(request, "atlas.html", title=_("Exposure atlas"), years=[], year=None)
    years = sorted(int(y) for y in atlas["year"].unique())
    chosen = years[-1] if year is None else year
    if chosen not in years:
        raise ApiError(404, f"year {chosen}: the atlas on this server covers {years[0]}-"
                            f"{years[-1]} ({len(years)} years computed)", "year", "unknown_year")
    day = context.day_for(chosen)
    ordered = atlas[atlas["year"] == chosen].sort_values(["md_ratio_expected", "ccode"],
                                                          na_position="last")
    records = ordered.to_dict("records")
    fills, titles, table = {}, {}, []
    for row in records:
        code = int(row["ccode"])
        name = i18n.name(code, day, lang)
        chance = None if pd.isna(row["md_p_any"]) else float(row["md_p_any"])
        attacker = None if pd.isna(row["most_dangerous"]) else int(row["most_dangerous"])
        foe = i18n.name(attacker, day, lang) if attacker is not None else ""
        defenders = None if pd.isna(row["md_defenders"]) else int(row["md_defenders"])
        if chance is not None:
            fills[code] = EXPOSURE_COLOURS[int(np.searchsorted(EXPOSURE_BINS, chance,
                                                               side="right"))]
            titles[code] = _("{state}: {chance} chance that at least one of {count} pledged "
                             "defenders comes against {attacker}", state=name,
                             chance=i18n.percent(chance, lang), count=defenders, attacker=foe)
        table.append({"ccode": code, "name": name, "attacker": attacker, "attacker_name": foe,
                      "ratio_alone": _ratio(_float(row["md_ratio_alone"]), lang),
                      "ratio_expected": _ratio(_float(row["md_ratio_expected"]), lang),
                      "defenders": "" if defenders is None else defenders,
                      "p_any": i18n.percent(chance, lang),
                      "expected": i18n.number(_float(row["md_expected_joiners"]), lang, 2)})
    picture = svg.world_map(fills, titles, label=_("Exposure atlas {year}", year=chosen),
                            day=day, members=context.members_on(day),
                            link=lambda c: f"/states/{c}?year={chosen}&lang={lang}",
                            name=lambda c, on: i18n.name(c, on, lang),
                            not_state=_("not a state that day"),
                            shared=_("one modern shape for both"))
    edges = (0.0, *EXPOSURE_BINS, 1.0)
    legend = [(f"{i18n.percent(low, lang)} - {i18n.percent(high, lang)}",
               f"background: {colour}" + ("; border: 1px solid #ccc" if k == 0 else ""))
              for k, (low, high, colour) in enumerate(zip(edges, edges[1:], EXPOSURE_COLOURS,
                                                          strict=False))]
    legend.append((_("not computed"), f"background: {svg.NONE}"))
    settings = context.atlas_settings
    figures = ("md_ratio_alone", "md_ratio_expected", "md_defenders", "md_p_any",
               "md_expected_joiners")
    return page(request, "atlas.html", title=_("Exposure atlas"), years=years, year=chosen,
                map=picture, legend=legend, rows=table,
                honoured=str(settings.get("honoured", "")),
                attackers=str(settings.get("attackers", "")),
                cite=("atop", "atop_ddyr", "cow_states", "cow_nmc", "cow_wars",
                       "cow_contiguity", "cow_majors"),
                 download=[{"year": chosen, "ccode": r["ccode"], "state": r["name"],
                            "most_dangerous": r["attacker"],
                            "most_dangerous_name": r["attacker_name"],
                            **{k: _float(row[k]) for k in figures}}
                           for r, row in zip(table, records, strict=True)])


def _ratio(value: float | None, lang: str) -> str:
    """A capability ratio for people: three decimals, and "< 0.001" below that."""
    if value is not None and 0 < value < 0.001:
        return "< " + i18n.number(0.001, lang, 3)
    return i18n.number(value, lang, 3)


def _float(value: Any) -> float | None:
    """A number, or None for missing."""
    return None if value is None or pd.isna(value) else float(value)


def _by_agreement(frame: pd.DataFrame, context: Explorer, lang: str, day: datetime.date
                  ) -> list[dict[str, Any]]:
    """An answer's pledges condensed to one row per agreement (its obligations, how many
    states, whether carried), each with its pledges' explanations to unfold."""
    if frame.empty:
        return []
    names = agreement_names(context, lang)
    order = {"applies": 0, "conditional": 1, "does not apply": 2}
    out = []
    for agreement, group in frame.groupby("agreement", sort=False):
        states = {int(c) for c in group["counterpart"] if isinstance(c, int | np.integer)}
        link = agreement_links(str(agreement), names, lang)[0]
        out.append({"label": link["label"], "href": link["href"],
                    "obligations": ", ".join(sorted(set(group["obligation"]))),
                    "count": len(states), "carried": bool(group["carried"].all()),
                    "status": min(group["status"], key=lambda v: order[v]),
                    "partners": ", ".join(sorted(i18n.name(c, day, lang) for c in states)),
                    "pledges": _records(group[["explanation", "status", "carried"]])})
    return sorted(out, key=lambda g: (order[g["status"]], -g["count"], g["label"]))


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


def _capabilities(context: Explorer, code: int, first: int, last: int, lang: str = "en"
                  ) -> tuple[str, str, str]:
    """CINC, SIPRI spending and the cooperation profile as charts (or a note when the source
    is not on this server)."""
    _ = i18n.translator(lang)
    missing = '<p class="empty">{}: ' + _("not available on this server.") + '</p>'
    cinc = spending = cooperation = ""
    if context.available.get("cow_nmc"):
        nmc = load_nmc("7.0", context.data_dir)
        rows = nmc[(nmc["ccode"] == code) & nmc["year"].between(first, last)]
        cinc = svg.line_chart({"CINC": list(zip(rows["year"], rows["cinc"], strict=True))},
                              title=_("Composite index of national capability (COW NMC 7.0)"))
    else:
        cinc = missing.format(_("Capabilities (COW NMC)"))
    if context.available.get("sipri_milex"):
        milex = load_sipri_milex(context.data_dir)
        rows = milex[(milex["ccode"] == code) & milex["year"].between(first, last)]
        spending = svg.line_chart(
            {_("spending"): list(zip(rows["year"], rows["milex_usd2022_m"], strict=True))},
            title=_("Military spending, constant 2022 US$ millions (SIPRI)"))
    else:
        spending = missing.format(_("Spending (SIPRI)"))
    if context.available.get("cow_states") and last >= 1980:
        profile = cooperation_profile(code, (max(first, 1980), last), data_dir=context.data_dir)
        series = {}
        for column in ("dca_general", "exercises", "pko_missions"):
            if column in profile:
                values = [(int(y), None if pd.isna(v) else float(v))
                          for y, v in zip(profile["year"], profile[column], strict=True)]
                series[_(PROFILE_COLUMNS[column][0])] = values
        cooperation = svg.line_chart(series, title=_("Cooperation: DCAs in force, exercises, "
                                                     "UN missions"))
    elif last < 1980:
        cooperation = '<p class="empty">' + _("The cooperation sources start in 1980.") + '</p>'
    else:
        cooperation = missing.format(_("Cooperation timeline (needs the COW state system)"))
    return cinc, spending, cooperation


@pages.get("/agreements", response_class=HTMLResponse)
def agreements_page(request: Request) -> Response:
    """Every curated agreement."""
    lang = lang_of(request)
    names_ar = {a.id: a.name_ar for a in load_agreements()}
    rows = [{**a, "name_ar": names_ar.get(a["id"], "")} for a in agreements_list()["agreements"]]
    return page(request, "agreements.html", title=i18n.translator(lang)("Agreements"),
                agreements=rows, cite=("curated",), download=rows)


@pages.get("/agreements/{agreement}", response_class=HTMLResponse)
def agreement_page(request: Request, agreement: str) -> Response:
    """Members over time, obligations and conditions, sources with links."""
    record = agreement_record(agreement)
    lang = lang_of(request)
    spans = []
    for member in record["members"]:
        label = (i18n.name(int(member["state"]), None, lang) if isinstance(member["state"], int)
                 else member["name"])
        spans.append((label, datetime.date.fromisoformat(member["entry"]),
                       datetime.date.fromisoformat(member["exit"]) if member["exit"] else None))
    _ = i18n.translator(lang)
    timeline = svg.timeline_chart(spans, title=_("Membership, from entry to exit (an arrow: "
                                                 "still a member)"),
                                  today=datetime.date.today(), still=_("still a member"))
    return page(request, "agreement.html", title=record["name"], a=record, timeline=timeline,
                cite=("curated",),
                download=[{"agreement": record["id"], "state": m["name"],
                            "ccode": m["state"], "entry": m["entry"], "exit": m["exit"],
                            "certainty": m["certainty"], "sources": ", ".join(m["sources"])}
                           for m in record["members"]])


@pages.get("/network", response_class=HTMLResponse)
def network_page(request: Request, year: Annotated[int | None, Query()] = None,
                 obligations: str = "defence") -> Response:
    """The alliance network of a year, laid out, coloured by bloc."""
    context = explorer(request)
    lang = lang_of(request)
    _ = i18n.translator(lang)
    last = context.last_year()
    chosen = last if year is None else year
    if not context.first_year() <= chosen <= last:
        raise ApiError(400, f"year {chosen}: the network can be drawn for "
                            f"{context.first_year()} to {last}", "year")
    data = network(context, chosen, obligations)
    data["nodes"] = localise(data["nodes"], lang, context.day_for(chosen))
    blocs_of = {n["ccode"]: n["bloc"] for n in data["nodes"]}
    layout = svg.network_layout(tuple(blocs_of.items()))
    names = {n["ccode"]: n["name"] for n in data["nodes"]}
    codes = dict(zip(context.states["ccode"], context.states["abbreviation"], strict=True))
    picture = svg.network_svg(layout, [(e["source"], e["target"]) for e in data["edges"]],
                              blocs_of, names, codes,
                              title=_("Alliance network {year}", year=chosen),
                              loners=_("In no bloc"))
    blocs: dict[int, list[dict[str, Any]]] = {}
    for node in data["nodes"]:
        if node["bloc"]:
            blocs.setdefault(node["bloc"], []).append(node)
    return page(request, "network.html", title=_("Network {year}", year=chosen), year=chosen,
                first_year=context.first_year(), last_year=last,
                obligations=obligations,
                obligation_choices=["defence", "offence", "neutrality", "consultation",
                                     "non_aggression"],
                 measures=data["measures"], picture=picture,
                 blocs=[{"number": k, "members": v, "colour": svg.bloc_colour(k)}
                        for k, v in sorted(blocs.items())],
                 cite=("atop", "atop_ddyr", "cow_states"),
                 download=[{"year": chosen, "obligations": obligations, "ccode": n["ccode"],
                            "state": n["name"], "bloc": n["bloc"]} for n in data["nodes"]])


@pages.get("/scenario", response_class=HTMLResponse)
def scenario_page(request: Request, attacker: str | None = None, target: str | None = None,
                  date: str | None = None, cascade: str | None = None,
                  rates: Literal["empirical", "fixed"] = "empirical") -> Response:
    """Choose attacker, target and date; see the sides, the reasons and the simulation."""
    context = explorer(request)
    lang = lang_of(request)
    _ = i18n.translator(lang)
    result = None
    capability_bars = join_bars = ""
    warnings: list[str] = []
    chosen_day = _day(date, "date") if date else datetime.date.today()
    if attacker and target:
        body = ScenarioBody(attackers=[attacker], targets=[target], on=chosen_day,
                            cascade=bool(cascade), draws=2000,
                            honoured="empirical" if rates == "empirical" else HONOURED)
        result = scenario(context, body, words=i18n.wording(lang))
        members = context.members_on(chosen_day)
        for code in (_state(attacker, "attacker"), _state(target, "target")):
            if members is not None and code not in members:
                warnings.append(_("{state} was not a member of the state system on {day} (COW); "
                                  "the pledges and capabilities of that day may be empty.",
                                  state=i18n.name(code, chosen_day, lang),
                                  day=day_text(chosen_day, lang)))
        certain = result["capabilities"].get("possible", {})
        capability_bars = svg.bar_chart(
            [(_("attacker side"), float(certain.get("attacker_side") or 0.0)),
             (_("target side"), float(certain.get("target_side") or 0.0))],
            title=_("Capabilities (CINC) of each side, pledges that apply or may apply")) \
            if certain else ('<p class="empty">' + _("No CINC score for these states on that "
                                                     "day (COW NMC 7.0 ends in 2022).") + "</p>")
        joins = result["simulation"]["joins"]
        bars = []
        for j in joins:
            side = "target" if j["p_target_side"] >= j["p_attacker_side"] else "attacker"
            bars.append((f"{i18n.name(int(j['state']), chosen_day, lang)} ({_(side)})",
                         max(j["p_target_side"], j["p_attacker_side"])))
        join_bars = svg.bar_chart(bars, title=_("Simulated probability of joining, every state "
                                                "with a pledge in play (2,000 draws, seed 1)"))
    joins_by = {j["state"]: j for j in (result["simulation"]["joins"] if result else [])}
    cascade_only: list[dict[str, Any]] = []
    if result is not None and result.get("cascade"):
        for step in result["cascade"]:
            step["state_name"] = i18n.name(int(step["state"]), chosen_day, lang)
        listed = {s["state"] for s in result["states"]}
        cascade_only = [{"state": c["state"], "round": c["round"], "side": c["side"]}
                        for c in result["cascade"] if c["state"] not in listed]
    return page(request, "scenario.html", title=_("Scenario"),
                states=state_choices(context, lang, chosen_day),
                attacker=_state(attacker, "attacker") if attacker else 630,
                target=_state(target, "target") if target else 670,
                date=chosen_day.isoformat(), day_text=day_text(chosen_day, lang),
                on=chosen_day, cascade=bool(cascade), rates=rates, result=result,
                warnings=warnings, capability_bars=capability_bars, join_bars=join_bars,
                cascade_only=cascade_only,
                cite=("atop", "cow_nmc", "sipri_milex", "cow_wars"),
                download=None if result is None else [
                     {"state": i18n.name(int(s["state"]), chosen_day, lang),
                      "ccode": s["state"], "role": s["role"], "certain": s["certain"],
                      "cinc": s.get("cinc"),
                      "p_target_side": joins_by.get(s["state"], {}).get("p_target_side"),
                      "p_attacker_side": joins_by.get(s["state"], {}).get("p_attacker_side")}
                     for s in result["states"]])


