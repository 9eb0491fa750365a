"""The page of one ATOP alliance: members by phase, directed pledges with their conditions,
provisions and source."""

from __future__ import annotations

from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from alliancekit.curated.records import load_agreements
from alliancekit.errors import AlliancekitError
from alliancekit.obligations.engine import check_conditions
from alliancekit.sources.atop import load_atop_members, load_atop_provisions
from alliancekit.web import i18n
from alliancekit.web.api import (
    ApiError,
    explorer,
)
from alliancekit.web.render import lang_of, page

alliances = APIRouter(include_in_schema=False)


@alliances.get("/alliances/{atopid}", response_class=HTMLResponse)
def alliance_page(request: Request, atopid: Annotated[int, Path(ge=1000, le=9999)]
                  ) -> Response:
    """An ATOP alliance: members by phase, its directed pledges with their conditions, the
    provisions ATOP codes, and the source."""
    context = explorer(request)
    lang = lang_of(request)
    if not context.available.get("atop"):
        raise ApiError(503, "ATOP's files are not on this server (alliancekit data list shows "
                            "how to get them)", None, "source_missing")
    members = load_atop_members(context.data_dir)
    rows = members[members["atopid"] == atopid]
    if rows.empty:
        raise ApiError(404, f"ATOP alliance {atopid} is not in ATOP 5.1", "atopid",
                       "unknown_alliance")
    member_rows = []
    for row in rows.sort_values(["phase", "member"]).to_dict("records"):
        kinds = [kind for kind, column in (("defence", "defense"), ("offence", "offense"),
                                            ("neutrality", "neutral"),
                                            ("non_aggression", "nonagg"),
                                            ("consultation", "consul")) if row[column] == 1]
        member_rows.append({
            "phase": row["phase"], "ccode": int(row["member"]),
            "name": i18n.name(int(row["member"]), None, lang),
            "entry": _atop_day(row["yrent"], row["moent"], row["dayent"]),
            "exit": None if row["yrexit"] == 0 else _atop_day(row["yrexit"], row["moexit"],
                                                               row["dayexit"]),
            "obligations": ", ".join(kinds)})
    engine = context.engine
    table = engine.table[engine.table["agreement"] == f"atop{atopid}"]
    pledges = []
    for index in table.index[:400]:
        pledge = engine.pledge(int(index))
        checks = check_conditions(pledge, attacker=None, location=None,
                                  words=i18n.wording(lang))
        pledges.append({
            "giver": i18n.name(int(pledge["giver"]), None, lang),
            "receiver": i18n.name(int(pledge["receiver"]), None, lang),
            "obligation": pledge["obligation"], "start": str(pledge["start"].date()),
            "end": None if pledge["end"] is pd.NaT else str(pledge["end"].date()),
            "conditions": "; ".join(c["explanation"] for c in checks)})
    provisions: list[tuple[str, Any]] = []
    try:
        found = load_atop_provisions(context.data_dir)
        chosen = found[found["atopid"] == atopid]
        if not chosen.empty:
            missing = i18n.translator(lang)("missing")
            provisions = [(str(column), missing if pd.isna(value) else int(value))
                          for column, value in chosen.iloc[0].items() if column != "atopid"]
    except AlliancekitError:
        provisions = []
    record = next((a for a in load_agreements() if a.atopid == atopid), None)
    curated = record.id if record else None
    name = (record.name_ar if lang == "ar" and record and record.name_ar
            else str(table["name"].iloc[0]) if len(table) else f"ATOP alliance {atopid}")
    return page(request, "alliance.html", title=name, name=name, atopid=atopid,
                members=member_rows, pledges=pledges, provisions=provisions,
                curated=curated, cite=("atop", "atop_ddyr"), download=member_rows)


def _atop_day(year: Any, month: Any, day: Any) -> str:
    """An ATOP date as text, to the precision ATOP gives it."""
    if pd.isna(month) or int(month) == 0:
        return str(int(year))
    if pd.isna(day) or int(day) == 0:
        return f"{int(year)}-{int(month):02d}"
    return f"{int(year)}-{int(month):02d}-{int(day):02d}"


