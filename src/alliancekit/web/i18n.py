"""The explorer in English and Arabic: the language of a request, the interface's words, state
names, numbers and dates for the locale.

The language is ``?lang=ar`` (or ``en``) when given, else the ``lang`` cookie a switch left,
else the browser's ``Accept-Language``, else English. The interface's words are the gettext
catalogue ``locale/ar/LC_MESSAGES/messages.po`` (read with Babel, so translators work with the
usual tools); a word not in it stays English. Arabic pages are right to left. State names come
from :func:`alliancekit.names.state_name_ar`; numbers and dates from Babel's CLDR
data for the locale.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from babel import Locale
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from fastapi import Request

from alliancekit.curated.records import load_agreements
from alliancekit.locations import records_stamp
from alliancekit.names import state_name
from alliancekit.names_ar import state_name_ar
from alliancekit.obligations.wording import ENGLISH, Wording

LANGUAGES = {"en": "English", "ar": "العربية"}
DEFAULT = "en"


def language(request: Request) -> str:
    """The language of ``request`` (see the module docstring)."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    kept = request.cookies.get("lang")
    if kept in LANGUAGES:
        return kept
    header = request.headers.get("accept-language", "")
    weighted = []
    for part in header.split(","):
        tag, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            continue
        weighted.append((weight, tag.split("-")[0].lower()))
    for _, tag in sorted(weighted, key=lambda w: -w[0]):
        if tag in LANGUAGES:
            return tag
    return DEFAULT


@cache
def catalogue(lang: str) -> dict[str, str]:
    """English message -> translation for ``lang`` (empty for English)."""
    if lang == DEFAULT:
        return {}
    path = resources.files("alliancekit.web") / "locale" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        messages = read_po(handle, locale=lang)
    return {str(m.id): str(m.string) for m in messages if m.id and m.string}


def translator(lang: str) -> Callable[..., str]:
    """``_(message, **values)``: the message in ``lang``, with ``{name}`` placeholders
    filled."""
    table = catalogue(lang)

    def translate(message: str, **values: Any) -> str:
        text = table.get(message, message)
        return text.format(**values) if values else text

    return translate


def wording(lang: str) -> Wording:
    """The engine's explanations in ``lang``: its catalogue, state names, long dates and the
    records' Arabic agreement names (read again when the records are published anew)."""
    return _wording(lang, records_stamp())


@cache
def _wording(lang: str, stamp: int) -> Wording:
    if lang == DEFAULT:
        return ENGLISH
    return Wording(lang, catalogue(lang), lambda code, day: name(code, day, lang),
                   lambda day: date_text(day, lang),
                   {a.id: a.name_ar for a in load_agreements() if a.name_ar}
                   if lang == "ar" else {})


def direction(lang: str) -> str:
    """``rtl`` or ``ltr``."""
    return str(Locale.parse(lang).text_direction)


def name(code: int, day: datetime.date | None, lang: str) -> str:
    """State ``code``'s name on ``day`` in ``lang``."""
    return state_name_ar(code, day) if lang == "ar" else state_name(code, day)


def number(value: float | int | None, lang: str, digits: int = 4) -> str:
    """``value`` formatted for ``lang`` (empty for missing)."""
    if value is None or value != value:
        return ""
    return format_decimal(value, format=f"#,##0.{'#' * digits}" if digits else "#,##0",
                          locale=lang)


def percent(value: float | None, lang: str) -> str:
    """``value`` (a share) as a whole percentage for ``lang`` (empty for missing)."""
    if value is None or value != value:
        return ""
    return format_percent(value, locale=lang)


def date_text(day: datetime.date, lang: str) -> str:
    """``day`` as a long date in ``lang``."""
    return format_date(day, format="long", locale=lang)


def switch_url(request: Request, lang: str) -> str:
    """This page in ``lang``: the same path and query with ``lang`` replaced."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    query.append(("lang", lang))
    return f"{request.url.path}?{urlencode(query)}"
