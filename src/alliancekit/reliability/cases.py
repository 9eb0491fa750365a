"""Did pledges hold? One row per (event, pledge): a pledge in force to a state at war at the
event's onset, its conditions checked against the real opponents, and what the pledger did.

**Who is attacked.** For COW inter-state wars the attacked states are the side without the
initiator: its states at war in the war's first year (COW codes an initiator on exactly one
side of every war). The data give years, not days, so every state of that side that entered in
the first year counts as attacked (in 1914: Serbia, Russia, France, Britain, Belgium and Japan;
in 1939: Poland, Britain, France and the Dominions). The opponents are the initiator's side in
that year. For UCDP interstate conflicts, which do not say who attacked, each side's primary
states are cases with the other side as opponents; in internationalized intrastate conflicts
the government (side A) is the case and its opponent is not a state.

**Pledges in play.** Defence, neutrality and non-aggression pledges to an attacked state;
offence pledges to a state of the initiator's side. A pledge is in play when it is in force on
the onset day (UCDP: the episode's first day). For COW wars the day is known to the year only:
a pledge counts when it was in force on 1 January of the onset year, or began during that year
and ATOP does not code its alliance as formed during that war (``wartime`` with this war's
number, or with no number): the wartime alliances of August 1914 are not pledges the war
tested; ATOP's Anglo-Polish alliance, from 6 April 1939, is.

**Conditions.** Each pledge's conditions are checked against each opponent, and the most
favourable result is kept (as the engine does). One stricter rule, after Leeds, Long and
Mitchell (2000): a pledge that names the adversaries it is about (ATOP's ``statthr1``/``statthr2``
with a specific-adversary condition, or a curated record's named adversary) is *not invoked*
when none of the opponents is named; it is neither honoured nor broken.

**Outcomes.** For defence and offence pledges: ``joined partner`` (the pledger fought on the
partner's side, entering while the partner was still at war: honoured), ``fought partner`` (on
the other side, entering while the partner was at war: broken) or ``stayed out`` (broken; a
state that entered only after the partner had left the war stayed out of the partner's war,
as Romania did of Poland's in 1939). For neutrality and non-aggression pledges: ``fought
partner`` (broken) or ``did not fight partner`` (kept). ``honoured`` is missing for pledges
not invoked. ``pledger_at_war`` marks a pledger that was itself a belligerent from the onset
(attacked beside its partner, or among the attackers): it fought, but not because it chose to
come; the simulation's rates leave these out
(:func:`~alliancekit.reliability.rates.beta_parameters`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alliancekit.errors import UsageError
from alliancekit.names import state_name
from alliancekit.obligations.engine import Obligations, check_conditions
from alliancekit.panels.similarity import REGIONS, region_of
from alliancekit.reliability.events import conflict_events
from alliancekit.sources.atop import load_atop_formation
from alliancekit.sources.registry import NOT_SUPPORTED, find_source

EVENTS = ("wars", "ucdp")
# Eras as the literature splits them: Leeds, Long and Mitchell's cases end in 1944.
ERAS = ((1816, 1944, "1816-1944"), (1945, 9999, "1945-"))
# Which pledges each kind of case reads, and to which side's states they are owed.
PLEDGED_TO = {"defence": "attacked", "neutrality": "attacked", "non_aggression": "attacked",
              "offence": "attacker"}
CASE_COLUMNS = (
    "event_source", "event_id", "onset", "onset_precision", "kind", "partner", "partner_name",
    "partner_side", "opponents", "pledger", "pledger_name", "obligation", "agreement", "atopid",
    "name", "source", "pledge_start", "pledge_end", "timing", "condition_status",
    "condition_checks", "invoked", "pledger_side", "pledger_role", "pledger_entry", "outcome",
    "honoured", "pledger_at_war", "era", "region", "bilateral", "certainty", "conditional")


@dataclass(frozen=True)
class Case:
    """One event's onset seen from one side: the states attacked (``partners``) and their
    opponents, with who fought on which side."""

    source: str
    event_id: str
    onset: datetime.date
    precision: str
    kind: str
    partners: tuple[int, ...]
    opponents: tuple[int, ...]
    partner_side: str  # "attacked" or "attacker"
    side_of: dict[int, str]  # every participant's side ("A"/"B")
    role_of: dict[int, str]
    entry_of: dict[int, datetime.date]
    exit_of: dict[int, datetime.date | None]  # None: still at war at the end of the data
    warnum: int | None  # COW war number, for ATOP's wartime coding


def era_of(year: int) -> str:
    """The era label (:data:`ERAS`) of ``year``."""
    for first, last, label in ERAS:
        if first <= year <= last:
            return label
    return ERAS[0][2]


def _region_label(code: int) -> str:
    return REGIONS[int(region_of(np.array([code]))[0])][2]


def onsets(events: str = "wars", years: tuple[int, int] | None = None, *,
           data_dir: Path | str | None = None) -> list[Case]:
    """The cases of ``events`` whose onset falls in ``years``: for each event the attacked
    states and their opponents (and, for offence pledges, the attacking side)."""
    if events == "mids":
        raise UsageError(f"events='mids': {NOT_SUPPORTED['gml_mid']}; use events='wars' "
                         "(COW inter-state wars) or events='ucdp' (UCDP interstate and "
                         "internationalized conflicts)")
    if events not in EVENTS:
        raise UsageError(f"events={events!r}: choose from {', '.join(map(repr, EVENTS))}")
    source = "cow_inter" if events == "wars" else "ucdp"
    rows = conflict_events(source, data_dir=data_dir)
    if events == "ucdp":
        rows = rows[rows["kind"].isin(["interstate", "II"])]
    cases: list[Case] = []
    for event_id, group in rows.groupby("event_id", sort=False):
        onset = group["start"].min().date()
        if years is not None and not years[0] <= onset.year <= years[1]:
            continue
        first = group[group["start"] == group["start"].min()]
        side_of = dict(zip(group["ccode"].astype(int), group["side"], strict=True))
        role_of = dict(zip(group["ccode"].astype(int), group["role"], strict=True))
        entry_of = {int(c): s.date() for c, s in zip(group["ccode"], group["start"],
                                                     strict=True)}
        exit_of = {int(c): (None if pd.isna(e) else e.date())
                   for c, e in zip(group["ccode"], group["end"], strict=True)}
        precision = str(first["start_precision"].iloc[0])
        kind = str(group["kind"].iloc[0])
        common = {"source": events, "event_id": str(event_id), "onset": onset,
                  "precision": precision, "side_of": side_of, "role_of": role_of,
                  "entry_of": entry_of, "exit_of": exit_of}
        if events == "wars":
            warnum = int(str(event_id).removeprefix("cow-"))
            attacker_side = first.loc[first["role"] == "initiator", "side"].iloc[0]
            attacking = tuple(sorted(first.loc[first["side"] == attacker_side, "ccode"]))
            attacked = tuple(sorted(first.loc[first["side"] != attacker_side, "ccode"]))
            cases.append(Case(**common, kind="inter-state war", partners=attacked,
                              opponents=attacking, partner_side="attacked", warnum=warnum))
            cases.append(Case(**common, kind="inter-state war", partners=attacking,
                              opponents=attacked, partner_side="attacker", warnum=warnum))
            continue
        primary = first[first["role"] == "primary"]
        a = tuple(sorted(primary.loc[primary["side"] == "A", "ccode"]))
        b = tuple(sorted(primary.loc[primary["side"] == "B", "ccode"]))
        label = "interstate" if kind == "interstate" else "internationalized intrastate"
        for partners, opponents in ((a, b), (b, a)) if kind == "interstate" else ((a, ()),):
            if partners:
                cases.append(Case(**common, kind=label, partners=partners, opponents=opponents,
                                  partner_side="attacked", warnum=None))
    return cases


def reliability_cases(events: str = "wars", years: tuple[int, int] | None = None, *,
                      engine: Obligations | None = None,
                      data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per (event, pledge in play) with its evidence and outcome (see the module
    docstring), columns :data:`CASE_COLUMNS`. ``events``: ``"wars"`` (COW inter-state wars
    1816-2003) or ``"ucdp"`` (UCDP interstate and internationalized conflicts 1946-2024);
    ``"mids"`` is refused, as the GML MID data are not read. ``engine`` is the obligation
    engine to read pledges from (default: ATOP and the curated records)."""
    if years is not None and years[0] > years[1]:
        raise UsageError(f"years={years!r}: the first year comes after the last")
    cases = onsets(events, years, data_dir=data_dir)
    if engine is None:
        engine = Obligations(("atop", "curated"), data_dir=data_dir)
    formation = (load_atop_formation(data_dir).set_index("atopid")
                 if find_source("atop", data_dir) is not None else None)
    parties = _party_counts(engine)
    timing = Timing(engine, formation)
    rows = [row for case in cases for row in _case_rows(case, engine, timing, formation, parties)]
    frame = pd.DataFrame(rows, columns=list(CASE_COLUMNS))
    frame = frame.drop_duplicates(["event_id", "partner", "partner_side", "pledger",
                                   "agreement", "obligation"], ignore_index=True)
    for column in ("onset", "pledge_start", "pledge_end", "pledger_entry"):
        frame[column] = pd.to_datetime(frame[column])
    frame["honoured"] = frame["honoured"].astype("boolean")
    frame["atopid"] = frame["atopid"].astype("Int64")
    frame["bilateral"] = frame["bilateral"].astype("boolean")
    return frame


class Timing:
    """Which pledges of an engine's table were in play at an onset (see the module
    docstring), with ATOP's wartime coding of each pledge's alliance at hand."""

    def __init__(self, engine: Obligations, formation: pd.DataFrame | None) -> None:
        self.engine = engine
        atopid = engine.table["atopid"]
        known = atopid.notna().to_numpy()
        ids = atopid.fillna(0).astype("int64").to_numpy()
        self.wartime = np.zeros(len(ids), dtype=bool)
        self.cowwar = np.full(len(ids), -1, dtype=np.int64)
        self.coded = np.zeros(len(ids), dtype=bool)
        if formation is not None:
            made = formation.reindex(ids)
            found = known & made["wartime"].notna().to_numpy()
            self.coded = found
            self.wartime = found & (made["wartime"].fillna(0).to_numpy() == 1)
            self.cowwar = np.asarray(made["cowwar"].fillna(-1).to_numpy(), dtype=np.int64)

    def mask(self, case: Case) -> np.ndarray:
        """The pledges in play at ``case``'s onset."""
        engine = self.engine
        onset = np.datetime64(case.onset, "D").astype(np.int64)
        if case.precision != "year":
            on_day: np.ndarray = (engine.starts <= onset) & (onset <= engine.ends)
            return on_day
        year_end = np.datetime64(datetime.date(case.onset.year, 12, 31), "D").astype(np.int64)
        during = (engine.starts > onset) & self.wartime & (
            (self.cowwar == 0) | (self.cowwar == (case.warnum or -2)))
        in_year: np.ndarray = (engine.starts <= year_end) & (onset <= engine.ends) & ~during
        return in_year

    def label(self, position: int, case: Case) -> str:
        """How the timing of pledge ``position`` was judged."""
        if case.precision != "year":
            return "in force on the onset day"
        onset = np.datetime64(case.onset, "D").astype(np.int64)
        if self.engine.starts[position] <= onset:
            return "in force on 1 January of the onset year"
        if self.coded[position]:
            return "began in the onset year; ATOP: not formed during this war"
        return "began in the onset year; no wartime coding"


def _party_counts(engine: Obligations) -> dict[str, int]:
    """How many states take part in each agreement of the pledge table."""
    table = engine.table
    both = pd.concat([table[["agreement", "giver"]].rename(columns={"giver": "state"}),
                      table[["agreement", "receiver"]].rename(columns={"receiver": "state"})])
    both["state"] = both["state"].astype(str)
    return {str(k): int(v) for k, v in both.groupby("agreement")["state"].nunique().items()}


def _case_rows(case: Case, engine: Obligations, timing: Timing,
               formation: pd.DataFrame | None, parties: dict[str, int]
               ) -> Iterable[dict[str, Any]]:
    obligations = [o for o, side in PLEDGED_TO.items() if side == case.partner_side]
    opponents_text = ", ".join(f"{state_name(o, case.onset)} ({o})" for o in case.opponents)
    in_play = timing.mask(case)
    for partner in case.partners:
        partner_side = case.side_of[partner]
        for obligation in obligations:
            positions = engine.positions_to(partner)
            positions = positions[(engine.types[positions] == obligation) & in_play[positions]]
            for position in positions.tolist():
                pledge = engine.pledge(position)
                giver = pledge["giver"]
                if not isinstance(giver, int | np.integer) or int(giver) == partner:
                    continue
                giver = int(giver)
                status, checks = _conditions(pledge, case.opponents, case.onset)
                invoked = status != "does not apply"
                side = case.side_of.get(giver)
                partner_exit = case.exit_of[partner]
                entry = case.entry_of.get(giver)
                if side is not None and entry is not None and partner_exit is not None \
                        and entry > partner_exit:
                    side = None  # entered after the partner had left the war
                pledger_side = ("none" if side is None else
                                "partner" if side == partner_side else "other")
                outcome, honoured = _outcome(obligation, pledger_side, invoked)
                bilateral = _bilateral(pledge, formation, parties)
                yield {
                    "event_source": case.source, "event_id": case.event_id,
                    "onset": case.onset, "onset_precision": case.precision, "kind": case.kind,
                    "partner": partner, "partner_name": state_name(partner, case.onset),
                    "partner_side": case.partner_side, "opponents": opponents_text,
                    "pledger": giver, "pledger_name": state_name(giver, case.onset),
                    "obligation": obligation, "agreement": pledge["agreement"],
                    "atopid": pledge["atopid"], "name": pledge["name"],
                    "source": pledge["source"], "pledge_start": pledge["start"],
                    "pledge_end": pledge["end"], "timing": timing.label(position, case),
                    "condition_status": status, "condition_checks": checks,
                    "invoked": invoked, "pledger_side": pledger_side,
                    "pledger_role": case.role_of.get(giver),
                    "pledger_entry": case.entry_of.get(giver), "outcome": outcome,
                    "honoured": honoured,
                    "pledger_at_war": giver in case.partners or giver in case.opponents,
                    "era": era_of(case.onset.year),
                    "region": _region_label(partner), "bilateral": bilateral,
                    "certainty": pledge["certainty"],
                    "conditional": status == "conditional",
                }


def named_adversary_missed(pledge: dict[str, Any], opponents: Sequence[int]) -> bool:
    """Whether ``pledge`` names the adversaries it is about and none is among ``opponents``."""
    adversary = pledge.get("adversary")
    return bool(isinstance(adversary, tuple) and adversary and pledge.get("adversary_named")
                and not set(adversary) & set(opponents))


def _conditions(pledge: dict[str, Any], opponents: Sequence[int], day: datetime.date
                ) -> tuple[str, str]:
    """The pledge's status against the real opponents (the most favourable opponent's) and
    the checks in words."""
    if named_adversary_missed(pledge, opponents):
        named = ", ".join(state_name(int(s), day) for s in pledge["adversary"])
        against = ", ".join(state_name(int(s), day) for s in opponents) or "no state"
        return "does not apply", (f"specific adversary: names {named}; the opponents were "
                                  f"{against} (not met)")
    if not opponents:
        checks = check_conditions(pledge, attacker=None, location=None, on=day)
    else:
        checks = min((check_conditions(pledge, attacker=int(o), location=None, on=day)
                      for o in opponents), key=_severity)
    text = "; ".join(f"{c['condition']}: {c['explanation']} ({c['status']})" for c in checks)
    return _status(checks), text or "no conditions"


def _severity(checks: list[dict[str, str]]) -> int:
    return {"applies": 0, "conditional": 1, "does not apply": 2}[_status(checks)]


def _status(checks: list[dict[str, str]]) -> str:
    if any(c["status"] == "not met" for c in checks):
        return "does not apply"
    return "conditional" if any(c["status"] == "unknown" for c in checks) else "applies"


def _outcome(obligation: str, pledger_side: str, invoked: bool) -> tuple[str, bool | None]:
    if obligation in ("defence", "offence"):
        outcome = {"partner": "joined partner", "other": "fought partner",
                   "none": "stayed out"}[pledger_side]
        honoured = pledger_side == "partner"
    else:
        outcome = "fought partner" if pledger_side == "other" else "did not fight partner"
        honoured = pledger_side != "other"
    return (outcome if invoked else "not invoked"), (honoured if invoked else None)


def _bilateral(pledge: dict[str, Any], formation: pd.DataFrame | None,
               parties: dict[str, int]) -> bool | None:
    """ATOP's ``bilat`` for ATOP's pledges; two parties or fewer for a curated agreement."""
    atopid = pledge.get("atopid")
    if pledge["source"] == "atop" and formation is not None and atopid is not None \
            and int(atopid) in formation.index:
        return bool(formation.loc[int(atopid), "bilat"] == 1)
    count = parties.get(str(pledge["agreement"]))
    return None if count is None else count <= 2
