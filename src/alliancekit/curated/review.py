"""What has become of ATOP's alliances since its last coding day: the review, one row each.

ATOP 5.1 codes alliances to 31 December 2018. :func:`atop_review` lists the alliances still in
force that day (optionally those with a member of a curated group, such as the OIC) with the
status the curated records give them since (``atop_status/atopNNNN.toml``, or the agreement
record that links to the alliance), the pledges carried past 2018 and the evidence.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pandas as pd

from alliancekit.curated.pledges import ATOP_END, pledge_table
from alliancekit.curated.query import get_group, members_on
from alliancekit.curated.records import known_states, load_agreements, load_atop_statuses
from alliancekit.sources.atop import OBLIGATIONS, load_atop_alliances, load_atop_members

COLUMNS = ("atopid", "name", "signed", "obligations", "members", "group_members", "status",
           "ended", "exits", "carried_pledges", "evidence", "record")
NOT_FOUND = "no record found since 2018"
NOT_REVIEWED = f"{NOT_FOUND} (not reviewed one by one)"
_WORDS = {"defense": "defence", "offense": "offence", "neutral": "neutrality",
          "nonagg": "non-aggression", "consul": "consultation"}


def atop_review(group: str | None = "oic", *, data_dir: Path | str | None = None,
                records: Path | None = None) -> pd.DataFrame:
    """The ATOP alliances in force on 31 December 2018 (with a member of ``group`` on that day
    when given) and what has become of each since, defence pacts first.

    Columns: ``atopid, name, signed, obligations, members`` (at the end of 2018, as COW
    abbreviations), ``group_members``, ``status`` (in force, a member left, ended, superseded,
    no record found since 2018, or the linked curated record's id), ``ended``, ``exits``
    (``state day`` pairs), ``carried_pledges`` (directed pledges carried past 2018),
    ``evidence`` and ``record`` (the file that says so)."""
    members = load_atop_members(data_dir)
    open_ = members[members["yrexit"] == 0]
    alliances = load_atop_alliances(data_dir).set_index("atopid")
    statuses = load_atop_statuses(records)
    linked = {a.atopid: a for a in load_agreements(records) if a.atopid is not None}
    states = known_states(records)
    chosen = (set(members_on(get_group(group), ATOP_END)) if group else None)
    table, _ = pledge_table(("atop", "curated"), data_dir=data_dir, records=records)
    carried = table[table["carried"].to_numpy(bool)].groupby("atopid").size()
    rows = []
    for _, rows_of in open_.groupby("atopid"):
        atopid = int(rows_of["atopid"].iloc[0])
        codes = sorted(int(c) for c in rows_of["member"].unique())
        in_group = [c for c in codes if chosen is None or c in chosen]
        if not in_group:
            continue
        flags = [o for o in OBLIGATIONS if rows_of[o].max() == 1]
        alliance = alliances.loc[atopid]
        status = statuses.get(atopid)
        record = linked.get(atopid)

        def label(code: int) -> str:
            known = states.get(code)
            return known.abbreviation if known else str(code)

        row = {
            "atopid": atopid,
            "name": (status.name_en if status else record.name_en if record
                     else f"ATOP alliance {atopid}"),
            "signed": _day(alliance["begyr"], alliance["begmo"], alliance["begday"]),
            "obligations": ", ".join(_WORDS[o] for o in flags),
            "members": " ".join(label(c) for c in codes),
            "group_members": " ".join(label(c) for c in in_group),
            "status": NOT_REVIEWED, "ended": "", "exits": "",
            "carried_pledges": int(carried.get(atopid, 0)),
            "evidence": "", "record": "",
        }
        if record is not None:
            row.update(status=f"curated record {record.id}", record=Path(record.path).name,
                       evidence="a curated record links to this alliance and speaks for it "
                                "from 2019", ended=str(record.ended or ""))
        elif status is not None:
            row.update(status=(NOT_FOUND if status.status == "no_record"
                               else status.status.replace("_", " ")),
                       ended=str(status.ended or ""),
                       exits=", ".join(f"{label(int(e.state))} {e.exit}" for e in status.exits),
                       evidence=status.evidence, record=Path(status.path).name)
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    defence_first = ~frame["obligations"].str.contains("defence")
    return (frame.assign(_order=defence_first)
            .sort_values(["_order", "atopid"], ignore_index=True).drop(columns="_order"))


def _day(year: object, month: object, day: object) -> str:
    """``YYYY-MM-DD`` as far as ATOP knows it (``YYYY-MM`` or ``YYYY`` otherwise)."""
    parts = [int(year)]  # type: ignore[call-overload]
    for value in (month, day):
        if pd.isna(value) or int(value) < 1:  # type: ignore[call-overload]
            break
        parts.append(int(value))  # type: ignore[call-overload]
    if len(parts) == 3:
        return datetime.date(*parts).isoformat()
    return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))


def review_markdown(frame: pd.DataFrame) -> str:
    """The review as a Markdown table (the form ``docs/atop-since-2018.md`` is written in)."""
    header = ("| ATOP | alliance | signed | obligations | OIC members | status since 2018 | "
              "ended / exits | carried pledges | evidence |\n|---|---|---|---|---|---|---|---|---|")
    lines = [header]
    for row in frame.itertuples(index=False):
        ended, exits = str(row.ended), str(row.exits)
        change = "; ".join(x for x in (ended and f"ended {ended}", exits and f"left: {exits}")
                           if x)
        cells = [str(row.atopid), row.name, row.signed, row.obligations, row.group_members,
                 row.status, change, str(row.carried_pledges), row.evidence]
        lines.append("| " + " | ".join(str(c).replace("|", "/").replace("\n", " ")
                                       for c in cells) + " |")
    return "\n".join(lines) + "\n"
