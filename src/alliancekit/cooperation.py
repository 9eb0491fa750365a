"""One model for military cooperation beyond alliances.

A cooperation record is one agreement, exercise, deployment or transfer: a ``type`` (see
:data:`TYPES`), the states involved with their ``role``, dates with their precision, and its
provenance (``source`` and the source's own identifier). :func:`cooperation_records` returns
one row per record and state::

    record_id, type, source, source_id, start, start_precision, end, end_precision,
    ccode, role, detail

Every source maps into it: DCAD agreements (parties), MME exercises (participants), Geo-PKO
contributions (contributors to a mission), SIPRI arms transfers (supplier and recipient, by
year), US troop deployments (host and deployer, by year), UCDP's secondary parties
(``combat_support``: a state that fought in a conflict to support a side, as ``supporter``, and
the primary parties of that side as ``supported``, by conflict-year) and the curated records of kind
``defence_cooperation_agreement``, ``coalition``, ``designation`` and
``cooperation_arrangement`` (members, typed by the record's ``cooperation_type`` when it has
one, such as ``intelligence_sharing``, else by its kind): a tie that carries no pledge shows
here, never as an alliance. The MME humanitarian flag makes an exercise a
``humanitarian_disaster_response`` record too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from alliancekit.curated.records import load_agreements
from alliancekit.errors import UsageError
from alliancekit.panels.ucdp import support_rows
from alliancekit.sources.dcad import load_dcad
from alliancekit.sources.exercises import load_mme
from alliancekit.sources.geo_pko import load_peacekeeping
from alliancekit.sources.registry import find_source
from alliancekit.sources.sipri import load_sipri_arms
from alliancekit.sources.us_troops import load_us_troops

TYPES = ("defence_cooperation_agreement", "training_exercise", "peacekeeping",
         "defence_industry_procurement", "arms_transfer", "humanitarian_disaster_response",
         "intelligence_sharing", "troop_deployment", "coalition", "designation",
         "cooperation_arrangement", "combat_support")
# Curated kinds that are cooperation, not alliances: ties without a pledge show here, by kind.
CURATED_KINDS = ("defence_cooperation_agreement", "coalition", "designation",
                 "cooperation_arrangement")
COLUMNS = ("record_id", "type", "source", "source_id", "start", "start_precision", "end",
           "end_precision", "ccode", "role", "detail")


def _years(first: pd.Series, last: pd.Series) -> tuple[pd.Series, pd.Series]:
    start = pd.to_datetime(dict(year=first, month=1, day=1))
    end = pd.to_datetime(dict(year=last, month=12, day=31))
    return start, end


def _dcad(data_dir: Path | str | None) -> pd.DataFrame:
    dcad = load_dcad(data_dir)
    start, end = _years(dcad["first_year"], dcad["last_year"])
    procurement = dcad[["category1", "category2", "category3"]].isin(
        ["PROCUREMENT", "DIC", "RESEARCH"]).any(axis=1)
    kinds = ["defence_industry_procurement" if p else "defence_cooperation_agreement"
             for p in procurement]
    base = pd.DataFrame({"source_id": dcad["dca_id"], "type": kinds, "start": start,
                         "start_precision": "year", "end": end, "end_precision": "year",
                         "detail": dcad["type"] + ": " + dcad["category1"].fillna("")})
    parts = [base.assign(ccode=dcad[c].to_numpy(), role="party") for c in ("ccode1", "ccode2")]
    return pd.concat(parts, ignore_index=True).assign(source="dcad")


def _mme(data_dir: Path | str | None) -> pd.DataFrame:
    rows = load_mme(data_dir)
    rows = rows[rows["ccode"].notna()]
    base = pd.DataFrame({
        "source_id": rows["exercise_id"].astype(str), "type": "training_exercise",
        "start": rows["start"], "start_precision": rows["start_precision"],
        "end": rows["end"], "end_precision": rows["end_precision"],
        "ccode": rows["ccode"].astype("int64"), "role": "participant",
        "detail": rows["name"].astype(str)})
    humanitarian = base[(rows["humanitarian"] == 1).fillna(False).to_numpy()]
    return pd.concat([base, humanitarian.assign(type="humanitarian_disaster_response")],
                     ignore_index=True).assign(source="mme")


def _peacekeeping(data_dir: Path | str | None) -> pd.DataFrame:
    rows = load_peacekeeping(data_dir)
    rows = rows[rows["ccode"].notna()]
    start, end = _years(rows["year"], rows["year"])
    troops = rows["troops"].astype("string").fillna("size unknown")
    return pd.DataFrame({
        "source_id": rows["mission"].astype(str) + " " + rows["year"].astype(str),
        "type": "peacekeeping", "start": start, "start_precision": "year", "end": end,
        "end_precision": "year", "ccode": rows["ccode"].astype("int64"), "role": "contributor",
        "detail": rows["mission"].astype(str) + ": " + troops + " troops",
    }).assign(source="geo_pko")


def _arms(data_dir: Path | str | None) -> pd.DataFrame:
    arms = load_sipri_arms(data_dir)
    start, end = _years(arms["year"], arms["year"])
    ident = (arms["supplier"].astype(str) + "-" + arms["recipient"].astype(str) + "-"
             + arms["year"].astype(str))
    base = pd.DataFrame({"source_id": ident, "type": "arms_transfer", "start": start,
                         "start_precision": "year", "end": end, "end_precision": "year",
                         "detail": "TIV " + arms["tiv"].round(1).astype(str)})
    parts = [base.assign(ccode=arms["supplier"].to_numpy(), role="supplier"),
             base.assign(ccode=arms["recipient"].to_numpy(), role="recipient")]
    return pd.concat(parts, ignore_index=True).assign(source="sipri_arms_transfers")


def _us_troops(data_dir: Path | str | None) -> pd.DataFrame:
    troops = load_us_troops(data_dir)
    troops = troops[(troops["us_troops"].fillna(0) > 0) & (troops["ccode"] != 2)]
    start, end = _years(troops["year"], troops["year"])
    ident = "2-" + troops["ccode"].astype(str) + "-" + troops["year"].astype(str)
    base = pd.DataFrame({"source_id": ident, "type": "troop_deployment", "start": start,
                         "start_precision": "year", "end": end, "end_precision": "year",
                         "detail": troops["us_troops"].astype(str) + " US troops"})
    parts = [base.assign(ccode=troops["ccode"].to_numpy(), role="host"),
             base.assign(ccode=2, role="deployer")]
    return pd.concat(parts, ignore_index=True).assign(source="us_troops")


def _curated(records: Path | None) -> pd.DataFrame:
    rows = []
    for agreement in load_agreements(records):
        if agreement.kind not in CURATED_KINDS:
            continue
        kind = agreement.cooperation_type or agreement.kind
        for spell in agreement.members:
            if isinstance(spell.state, str):
                continue
            exit_ = spell.exit or agreement.ended
            rows.append({
                "source_id": agreement.id, "type": kind,
                "start": pd.Timestamp(spell.entry.first_day),
                "start_precision": spell.entry.precision,
                "end": pd.Timestamp(exit_.last_day) if exit_ else pd.NaT,
                "end_precision": exit_.precision if exit_ else None,
                "ccode": spell.state,
                "role": "member" if agreement.kind == "coalition" else "party",
                "detail": f"{agreement.name_en} ({agreement.kind.replace('_', ' ')})"})
    return pd.DataFrame(rows).assign(source="curated")


def _combat_support(data_dir: Path | str | None) -> pd.DataFrame:
    rows = support_rows(data_dir, "cow")
    start, end = _years(rows["year"], rows["year"])
    ident = (rows["conflict_id"].astype(str) + "-" + rows["supporter"].astype(str) + "-"
             + rows["side"] + "-" + rows["year"].astype(str))
    base = pd.DataFrame({"source_id": ident, "type": "combat_support", "start": start,
                         "start_precision": "year", "end": end, "end_precision": "year",
                         "detail": "UCDP conflict " + rows["conflict_id"].astype(str) + " ("
                         + rows["type_of_conflict"] + "), side " + rows["side"]})
    backers = base.assign(ccode=rows["supporter"].to_numpy(), role="supporter")
    backers = backers.drop_duplicates(["source_id", "ccode"])
    backed = base[(rows["relation"] == "for").to_numpy()]
    backed = backed.assign(ccode=rows.loc[rows["relation"] == "for", "primary"].to_numpy(),
                           role="supported")
    return pd.concat([backers, backed], ignore_index=True).assign(source="ucdp_acd")


BUILDERS: dict[str, Callable[[Path | str | None], pd.DataFrame]] = {
    "dcad": _dcad, "mme": _mme, "geo_pko": _peacekeeping, "sipri_arms_transfers": _arms,
    "us_troops": _us_troops, "ucdp_acd": _combat_support,
}


def cooperation_records(sources: Sequence[str] | None = None, *,
                        data_dir: Path | str | None = None,
                        records: Path | None = None) -> pd.DataFrame:
    """Cooperation records from ``sources`` (default: every source found, and the curated
    records), one row per record and state (see the module docstring)."""
    names = [*BUILDERS, "curated"] if sources is None else list(sources)
    unknown = [n for n in names if n not in BUILDERS and n != "curated"]
    if unknown:
        raise UsageError(f"sources {unknown}: choose from {', '.join([*BUILDERS, 'curated'])}")
    parts = []
    for name in names:
        if name == "curated":
            parts.append(_curated(records))
        elif sources is not None or find_source(name, data_dir) is not None:
            parts.append(BUILDERS[name](data_dir))
    frame = pd.concat([p for p in parts if len(p)], ignore_index=True) if parts else \
        pd.DataFrame(columns=list(COLUMNS))
    frame["record_id"] = frame["source"] + ":" + frame["source_id"].astype(str) + ":" + \
        frame["type"]
    return frame[list(COLUMNS)].reset_index(drop=True)
