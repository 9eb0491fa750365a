"""What every explorer page shares: the templates, the page frame (its language, "cite this"
box, permalink and table download) and the helpers that put names and days in the page's
language."""

from __future__ import annotations

import datetime
import weakref
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import pandas as pd
from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from alliancekit.curated.records import load_agreements
from alliancekit.obligations.engine import Obligations
from alliancekit.sources.citations import bibtex
from alliancekit.web import i18n
from alliancekit.web.api import ApiError, _records, explorer
from alliancekit.web.context import Explorer


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("alliancekit.web", "templates"),
                       autoescape=select_autoescape(["html"]))


def render(template: str, request: Request | None = None, **context: Any) -> str:
    """A page from ``template`` with ``context``, in the request's language (English without
    a request), naming the sources this server found."""
    lang = i18n.language(request) if request is not None else i18n.DEFAULT
    translate = i18n.translator(lang)
    other = "ar" if lang == "en" else "en"
    sources = ["curated records"]
    if request is not None:
        sources += [n for n, ok in explorer(request).available.items() if ok]
    context.setdefault("sources", ", ".join(sources))
    context.update(
        lang=lang, dir=i18n.direction(lang), _=translate, other_lang=other,
        other_lang_name=i18n.LANGUAGES[other],
        switch_url=i18n.switch_url(request, other) if request is not None else f"/?lang={other}",
        tie=lambda kind: translate(str(kind).replace("_", " ")),
        ties=lambda kinds: translate(", ").join(
            translate(k.strip().replace("_", " ")) for k in str(kinds).split(",") if k.strip()),
        num=lambda value, digits=4: i18n.number(value, lang, digits),
        state_label=lambda code, english: (i18n.name(int(code), context.get("on"), lang)
                                           if str(code).isdigit() else english))
    return _environment().get_template(template).render(**context)


def page(request: Request, template: str, *, cite: Sequence[str] = (),
          download: Sequence[Mapping[str, Any]] | None = None, **context: Any) -> Response:
    """The page, or with ``?download=csv|json`` the rows of its table (``download``: exactly
    the rows the page shows). ``cite`` names the sources the page reads; the "cite this" box
    gives the BibTeX of those this server has."""
    asked_download = request.query_params.get("download")
    if asked_download is not None:
        if download is None or asked_download not in ("csv", "json"):
            raise ApiError(400, f"download={asked_download!r}: this page offers "
                                + ("csv or json" if download is not None else "no table"),
                           "download")
        return download_rows(request, [dict(row) for row in download], asked_download)
    available = explorer(request).available
    used = ["curated", *(name for name in cite if name != "curated" and available.get(name))]
    context.update(citation=bibtex(used), cited=used, has_download=download is not None,
                   permalink=str(request.url.include_query_params(
                       lang=i18n.language(request))))
    response: Response = HTMLResponse(render(template, request, **context))
    asked = request.query_params.get("lang")
    if asked in i18n.LANGUAGES:
        response.set_cookie("lang", asked, max_age=365 * 24 * 3600, samesite="lax")
    return response


def download_rows(request: Request, rows: list[dict[str, Any]], fmt: str) -> Response:
    """``rows`` as a CSV or JSON file named after the page."""
    name = (request.url.path.strip("/").replace("/", "-") or "map") + "." + fmt
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    if fmt == "json":
        return JSONResponse(rows, headers=headers)
    frame = pd.DataFrame(rows)
    return Response(frame.to_csv(index=False, lineterminator="\n"), headers=headers,
                    media_type="text/csv; charset=utf-8")


def lang_of(request: Request) -> str:
    return i18n.language(request)


def day_text(day: datetime.date, lang: str) -> str:
    """A day as the pages show it: ISO in English, a long date in Arabic."""
    return day.isoformat() if lang == "en" else i18n.date_text(day, lang)


def localise(rows: list[dict[str, Any]], lang: str, day: datetime.date | None,
              key: str = "ccode", field: str = "name") -> list[dict[str, Any]]:
    """``rows`` with each state's name in ``lang`` (as on ``day``)."""
    if lang == "en":
        return rows
    return [{**row, field: i18n.name(int(row[key]), day, lang)} for row in rows]


def page_year(context: Explorer, year: int | None) -> int:
    value = context.last_year() if year is None else year
    if not context.first_year() <= value <= context.last_year():
        raise ApiError(400, f"year {value}: give a year from {context.first_year()} to "
                            f"{context.last_year()}", "year")
    return value


def state_choices(context: Explorer, lang: str = "en", day: datetime.date | None = None
                   ) -> list[dict[str, Any]]:
    """Every state for a chooser, by its name on ``day`` (today's name without one)."""
    rows = localise(_records(context.states[["ccode", "name"]]), lang, day)
    return sorted(rows, key=lambda r: str(r["name"]))


# per pledge engine (dropped with it) and language
_NAMES: weakref.WeakKeyDictionary[Obligations, dict[str, dict[str, str]]] = \
    weakref.WeakKeyDictionary()


def agreement_names(context: Explorer, lang: str) -> dict[str, str]:
    """Agreement id -> name as the pledge table gives it (Arabic for curated records that
    have one), kept per pledge engine and language."""
    kept = _NAMES.setdefault(context.engine, {})
    if lang not in kept:
        kept[lang] = _names_of(context, lang)
    return kept[lang]


def _names_of(context: Explorer, lang: str) -> dict[str, str]:
    table = context.engine.table[["agreement", "name"]].drop_duplicates("agreement")
    names = dict(zip(table["agreement"].astype(str), table["name"].astype(str), strict=True))
    if lang == "ar":
        names |= {a.id: a.name_ar for a in load_agreements() if a.name_ar}
    return names


def with_links(rows: list[dict[str, Any]], context: Explorer, lang: str
                ) -> list[dict[str, Any]]:
    names = agreement_names(context, lang)
    return [{**row, "agreement_links": agreement_links(str(row["agreements"]), names, lang)}
            for row in rows]


def agreement_links(ids: str, names: Mapping[str, str], lang: str
                    ) -> list[dict[str, str]]:
    """Each agreement id of a comma-separated list with its name and its page."""
    out = []
    for ident in (part.strip() for part in ids.split(",") if part.strip()):
        if ident.startswith("atop") and ident[4:].isdigit():
            href = f"/alliances/{ident[4:]}?lang={lang}"
        else:
            href = f"/agreements/{ident}?lang={lang}"
        out.append({"id": ident, "label": names.get(ident, ident), "href": href})
    return out
