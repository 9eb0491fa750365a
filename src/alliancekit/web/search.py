"""The search page: states by any name they have had, in English or Arabic, or by code;
agreements by name or id."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from alliancekit.curated.records import load_agreements
from alliancekit.names import name_periods, state_names
from alliancekit.names_ar import state_name_ar
from alliancekit.web import i18n
from alliancekit.web.render import lang_of, page

search = APIRouter(include_in_schema=False)

SEARCH_LIMIT = 40


@search.get("/search", response_class=HTMLResponse)
def search_page(request: Request,
                q: Annotated[str | None, Query(max_length=100)] = None) -> Response:
    """States by English or Arabic name (any name they have had), COW code or abbreviation,
    or ISO3 code; agreements by English or Arabic name or id."""
    lang = lang_of(request)
    query = (q or "").strip()
    states: list[dict[str, Any]] = []
    agreements: list[dict[str, Any]] = []
    if query:
        needle = query.casefold()
        for entry in _search_index():
            if (needle in entry["keys"] or any(needle in k for k in entry["words"])) \
                    and len(states) < SEARCH_LIMIT:
                states.append({**entry, "name": i18n.name(entry["ccode"], None, lang),
                               "other": entry["ar"] if lang == "en" else entry["en"]})
        for record in load_agreements():
            words = (record.id, record.name_en.casefold(), record.name_ar)
            if any(needle in w for w in words) and len(agreements) < SEARCH_LIMIT:
                agreements.append({"id": record.id, "name": record.name_en,
                                   "name_ar": record.name_ar})
    return page(request, "search.html", title=i18n.translator(lang)("Search"), query=query,
                states=states, agreements=agreements, cite=("curated",),
                download=[{"kind": "state", "id": s["ccode"], "name": s["name"]} for s in states]
                + [{"kind": "agreement", "id": a["id"], "name": a["name"]} for a in agreements])


@cache
def _search_index() -> tuple[dict[str, Any], ...]:
    """Every state with its codes (matched whole) and its names in English and Arabic,
    present and past (matched as parts)."""
    out = []
    periods = name_periods()
    for state in state_names():
        english = [state.name, *(name for _, _, name in periods.get(state.ccode, ()))]
        arabic = {i18n.name(state.ccode, None, "ar")}
        arabic |= {state_name_ar(state.ccode, first) for first, _, _ in
                   periods.get(state.ccode, ())}
        out.append({"ccode": state.ccode, "abbreviation": state.abbreviation,
                    "iso3": state.iso3, "en": state.name,
                    "ar": i18n.name(state.ccode, None, "ar"),
                    "keys": {str(state.ccode), state.abbreviation.casefold(),
                             state.iso3.casefold()} - {""},
                    "words": {w.casefold() for w in english} | arabic})
    return tuple(out)
