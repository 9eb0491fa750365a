"""Who is pledged to defend whom on a day, under which conditions, with an explanation.

``Obligations(sources=("curated",)).defenders_of("SAU", "2025-10-01")`` answers from the curated
records alone; the default ``("atop", "curated")`` adds ATOP when its files are found.

Each answer lists one row per pledge in force that day: the state, the agreement, the obligation
and every condition the pledge carries, checked as ``met``, ``not met`` or ``unknown``. A pledge
*applies* when all its conditions are met (or it has none), is *conditional* when one is
unknown, and *does not apply* when one is not met. Where a state pledged under several
agreements each is a row; the state counts as a defender when at least one of its pledges
applies or is conditional (``defenders`` gives one row per state with how its pledges combine).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alliancekit.curated.pledges import ATOP_END, pledge_table
from alliancekit.curated.query import parse_day
from alliancekit.names import name_era, resolve_state, state_name
from alliancekit.obligations.wording import ENGLISH, Wording

ANSWER_COLUMNS = ("state", "state_name", "counterpart", "counterpart_name", "agreement", "name",
                  "obligation", "source", "start", "end", "carried", "certainty", "status",
                  "conditions", "explanation", "citation")
_FOREVER = np.iinfo(np.int64).max


class Answer:
    """An answer: the pledge rows, the question and notes on the sources used.

    ``rows`` are dictionaries with the keys :data:`ANSWER_COLUMNS` (``start`` and ``end`` as
    Timestamps, NaT for an open end); ``frame`` is the same as a DataFrame, built on first use
    (the API and the command line work from the rows, which is quicker). The rows are shared
    with the engine's store of answer rows: read them, copy before changing them."""

    def __init__(self, question: str, rows: list[dict[str, Any]],
                 notes: list[str] | None = None, *,
                 records: list[dict[str, Any]] | None = None) -> None:
        self.question = question
        self.rows = rows
        self.notes = notes or []
        self._records = records

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame with the columns :data:`ANSWER_COLUMNS`."""
        columns: dict[str, Any] = {c: [r[c] for r in self.rows] for c in ANSWER_COLUMNS}
        for c in ("start", "end"):
            columns[c] = pd.DatetimeIndex(columns[c], dtype="datetime64[ns]")
        return pd.DataFrame(columns, columns=list(ANSWER_COLUMNS))

    def defender_rows(self) -> list[dict[str, Any]]:
        """One record per state: whether it counts, and how its pledges combine."""
        order = {"applies": 0, "conditional": 1, "does not apply": 2}
        states: dict[object, dict[str, Any]] = {}
        for row in self.rows:
            entry = states.setdefault(row["state"], {"name": row["state_name"], "statuses": [],
                                                     "agreements": {}})
            entry["statuses"].append(row["status"])
            entry["agreements"][row["agreement"]] = None
        out = []
        for state, entry in states.items():
            statuses: list[str] = entry["statuses"]
            best = min(statuses, key=lambda s: order[s])
            count = len(statuses)
            out.append({"state": state, "state_name": entry["name"],
                        "counts": best != "does not apply", "status": best,
                        "agreements": ", ".join(entry["agreements"]),
                        "how_combined": (
                            "one pledge" if count == 1 else
                            f"{count} pledges; the state counts if any applies or is "
                            "conditional, and its status is the strongest of them")})
        return out

    def defenders(self) -> pd.DataFrame:
        """One row per state: whether it counts, and how its pledges combine."""
        return pd.DataFrame(self.defender_rows(), columns=["state", "state_name", "counts",
                                                           "status", "agreements",
                                                           "how_combined"])

    def pledge_records(self) -> list[dict[str, Any]]:
        """The rows ready for JSON: days as ``YYYY-MM-DD`` (None when open), missing as None."""
        if self._records is not None:
            return self._records
        return [{**row, "start": _day_text(row["start"]), "end": _day_text(row["end"])}
                for row in self.rows]

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form."""
        return {"question": self.question, "notes": self.notes,
                "defenders": self.defender_rows(), "pledges": self.pledge_records()}


def _day_text(value: Any) -> str | None:
    return None if value is pd.NaT or value is None else str(value.date())


class Obligations:
    """The pledge table of ``sources``, loaded once, and the questions asked of it.

    ``givers``, ``receivers``, ``types`` (obligation), ``starts`` and ``ends`` (day numbers,
    open ends as the largest int64) and ``carried`` (carried past 2018) are the table's
    columns as arrays, for vectorised use;
    :meth:`in_force` is the mask of the pledges in force on a day."""

    def __init__(self, sources: Sequence[str] = ("atop", "curated"), *,
                 data_dir: Path | str | None = None, records: Path | None = None,
                 carry_forward: bool = True, certainty: str = "any") -> None:
        self.table, self.sources = pledge_table(sources, data_dir=data_dir, records=records,
                                                carry=carry_forward, certainty=certainty)
        self.requested = tuple(sources)
        self.carry_forward = carry_forward and {"atop", "curated"} <= set(self.sources)
        self.certainty = certainty
        self.givers = self.table["giver"].to_numpy()
        self.receivers = self.table["receiver"].to_numpy()
        self.types = self.table["obligation"].to_numpy()
        self.starts = self.table["start"].to_numpy("datetime64[D]").astype(np.int64)
        end = self.table["end"].to_numpy("datetime64[D]")
        self.ends = np.where(np.isnat(end), _FOREVER, end.astype(np.int64))
        self.carried = self.table["carried"].to_numpy(bool)
        # Each column as an array of Python objects (None for missing; NaT for an open end),
        # so an answer's rows are read without pandas' per-row machinery: made on the
        # second question (a one-off question reads only its own rows).
        self._columns: dict[str, np.ndarray] | None = None
        self._questions = 0
        # The pledges by receiver and by giver, so a question about one state looks only at
        # that state's pledges.
        self._by_receiver = _positions(self.receivers)
        self._by_giver = _positions(self.givers)
        self._defence = self.types == "defence"
        self._rows: dict[tuple[Any, ...], tuple[dict[str, Any], dict[str, Any]]] = {}

    # -- questions -------------------------------------------------------------------------
    def defenders_of(self, target: str | int, on: str | datetime.date, *,
                     attacker: str | int | None = None, location: str | None = None,
                     words: Wording = ENGLISH) -> Answer:
        """The states pledged to defend ``target`` on day ``on``, each pledge's conditions
        checked against ``attacker`` and ``location`` when given."""
        x = resolve_state(target, "target")
        y = None if attacker is None else resolve_state(attacker, "attacker")
        day = parse_day(on)
        chosen = self._by_receiver.get(x, _NONE)
        chosen = chosen[self._defence[chosen] & self._live(chosen, day)]
        question = (f"Who is pledged to defend {state_name(x, day)} on {day}"
                    + (f" against {state_name(y, day)}" if y is not None else "")
                    + (f" in {location}" if location else "") + "?")
        return self._answer(question, chosen, day, attacker=y, location=location, target=x,
                            side="giver", words=words)

    def pledges_by(self, state: str | int, on: str | datetime.date, *,
                   words: Wording = ENGLISH) -> Answer:
        """Every pledge ``state`` had made and had in force on day ``on``."""
        x = resolve_state(state)
        day = parse_day(on)
        chosen = self._by_giver.get(x, _NONE)
        return self._answer(f"What had {state_name(x, day)} pledged, and to whom, on {day}?",
                            chosen[self._live(chosen, day)], day, side="giver", words=words)

    def pledges_to(self, state: str | int, on: str | datetime.date, *,
                   words: Wording = ENGLISH) -> Answer:
        """Every pledge made to ``state`` and in force on day ``on``, of any type."""
        x = resolve_state(state)
        day = parse_day(on)
        chosen = self._by_receiver.get(x, _NONE)
        return self._answer(f"What had others pledged to {state_name(x, day)} on {day}?",
                            chosen[self._live(chosen, day)], day, side="giver", words=words)

    def obligations_between(self, a: str | int, b: str | int,
                            on: str | datetime.date, *, words: Wording = ENGLISH) -> Answer:
        """The obligations in force between ``a`` and ``b`` on day ``on``, both directions."""
        x, y = resolve_state(a, "a"), resolve_state(b, "b")
        day = parse_day(on)
        chosen = np.union1d(self._by_giver.get(x, _NONE), self._by_giver.get(y, _NONE))
        chosen = chosen[((self.givers[chosen] == x) & (self.receivers[chosen] == y))
                        | ((self.givers[chosen] == y) & (self.receivers[chosen] == x))]
        return self._answer(f"What did {state_name(x, day)} and {state_name(y, day)} owe each "
                            f"other on {day}?", chosen[self._live(chosen, day)], day, side="giver",
                            words=words)

    # -- machinery -------------------------------------------------------------------------
    def positions_to(self, receiver: object) -> np.ndarray:
        """The positions in the table of the pledges owed to ``receiver`` (sorted)."""
        return self._by_receiver.get(receiver, _NONE)

    def in_force(self, day: datetime.date) -> np.ndarray:
        """Which pledges of the table are in force on ``day``."""
        number = np.datetime64(day, "D").astype(np.int64)
        return (self.starts <= number) & (number <= self.ends)

    def _live(self, positions: np.ndarray, day: datetime.date) -> np.ndarray:
        """Which of the pledges at ``positions`` are in force on ``day``."""
        number = np.datetime64(day, "D").astype(np.int64)
        live: np.ndarray = (self.starts[positions] <= number) & (number <= self.ends[positions])
        return live

    def notes(self, day: datetime.date) -> list[str]:
        """What an answer for ``day`` should say about the sources used."""
        notes = [f"sources: {', '.join(self.sources) or 'none'}"]
        if "atop" in self.requested and "atop" not in self.sources:
            notes.append("ATOP's files were not found, so the curated records answer alone "
                         "(alliancekit data list shows how to get ATOP)")
        if "atop" in self.sources and day > ATOP_END:
            if self.carry_forward:
                notes.append("ATOP codes alliances to 31 December 2018; its pledges in force "
                             "that day are carried on (marked carried) until a curated record "
                             "ends them; the curated records speak for the rest")
            else:
                notes.append("ATOP codes alliances to 31 December 2018; this day is later, so "
                             "only the curated records speak for it (carrying ATOP's pledges "
                             "forward is switched off)")
        if self.certainty == "certain":
            notes.append("only pledges a source states outright are kept (inferred ones are "
                         "left out)")
        if "curated" in self.sources and "atop" in self.sources and day <= ATOP_END:
            notes.append("to 2018 ATOP's coding stands for the treaties it codes; the curated "
                         "records add those it does not")
        return notes

    def _answer(self, question: str, positions: np.ndarray, day: datetime.date, *, side: str,
                attacker: int | None = None, location: str | None = None,
                target: int | None = None, words: Wording = ENGLISH) -> Answer:
        era = name_era(day)
        carried_day = day > ATOP_END
        self._questions += 1
        if self._columns is None and self._questions > 1:
            self._columns = {c: _objects(self.table[c]) for c in self.table.columns}
        columns = self._columns
        if columns is None:  # the first question: only its rows
            subset = self.table.take(positions)
            local = {c: _objects(subset[c]) for c in subset.columns}
            where = {int(index): k for k, index in enumerate(positions)}
        pairs = [self._row(int(index), side, attacker, location, carried_day, era, day,
                           None if columns is not None else
                           {c: v[where[int(index)]] for c, v in local.items()}, words)
                 for index in positions]
        order = {"applies": 0, "conditional": 1, "does not apply": 2}
        pairs.sort(key=lambda p: (order[p[0]["status"]], str(p[0]["state"]), p[0]["agreement"]))
        return Answer(question, [row for row, _ in pairs], self.notes(day),
                      records=[record for _, record in pairs])

    def _row(self, index: int, side: str, attacker: int | None, location: str | None,
             carried_day: bool, era: int, day: datetime.date,
             pledge: dict[str, Any] | None = None, words: Wording = ENGLISH
             ) -> tuple[dict[str, Any], dict[str, Any]]:
        """One pledge of an answer and its JSON-ready record. A row depends on the day only
        through whether it is after 2018 and which names states had (``era``), so rows are
        kept and reused: a server asked about many days builds each row once."""
        key = (index, side, attacker, location, carried_day, era, words.language)
        found = self._rows.get(key)
        if found is not None:
            return found
        pledge = pledge or self.pledge(index)
        conditions = check_conditions(pledge, attacker=attacker, location=location, on=day,
                                      words=words)
        status = ("does not apply" if any(c["status"] == "not met" for c in conditions)
                  else "conditional" if any(c["status"] == "unknown" for c in conditions)
                  else "applies")
        state = pledge[side]
        other = pledge["receiver" if side == "giver" else "giver"]
        carried = bool(pledge["carried"]) and carried_day
        row = {
            "state": state, "state_name": ENGLISH.name(state, day),
            "counterpart": other, "counterpart_name": ENGLISH.name(other, day),
            "agreement": pledge["agreement"], "name": pledge["name"],
            "obligation": pledge["obligation"], "source": pledge["source"],
            "start": pledge["start"], "end": pledge["end"], "carried": carried,
            "certainty": pledge["certainty"], "status": status, "conditions": conditions,
            "explanation": explain(pledge, conditions, status, carried=carried, on=day,
                                   words=words),
            "citation": pledge["citation"],
        }
        record = {**row, "start": _day_text(row["start"]), "end": _day_text(row["end"])}
        if len(self._rows) >= _ROWS_KEPT:
            self._rows.clear()
        self._rows[key] = (row, record)
        return row, record

    def pledge(self, index: int) -> dict[str, Any]:
        """Row ``index`` of the table as a dictionary (None for missing; NaT for an open
        end)."""
        if self._columns is None:
            self._columns = {c: _objects(self.table[c]) for c in self.table.columns}
        return {c: values[index] for c, values in self._columns.items()}


_NONE = np.array([], dtype=np.int64)
_ROWS_KEPT = 50_000  # answer rows kept for reuse (about 1 KB each); all dropped when full


def _positions(states: np.ndarray) -> dict[Any, np.ndarray]:
    """For each state, the (sorted) positions where it appears in ``states``."""
    if len(states) == 0:
        return {}
    keys = states if states.dtype != object else np.array([str(s) for s in states])
    order = np.argsort(keys, kind="stable")
    unique, first = np.unique(keys[order], return_index=True)
    groups = np.split(order.astype(np.int64), first[1:])
    if states.dtype != object:
        return {state.item(): group for state, group in zip(unique, groups, strict=True)}
    return {states[group[0]]: group for group in groups}


def _objects(column: pd.Series) -> np.ndarray:
    """``column`` as Python objects: None for missing, except dates (NaT stays)."""
    values = np.array(column.to_numpy(dtype=object), dtype=object)
    if column.dtype.kind != "M":
        values[column.isna().to_numpy()] = None
    return values


def check_conditions(pledge: Mapping[Any, Any], *, attacker: int | None,
                     location: str | None, on: datetime.date | None = None,
                     words: Wording = ENGLISH) -> list[dict[str, str]]:
    """Each condition of ``pledge`` as ``{condition, status, explanation}``, states named as
    on day ``on``, the explanation worded by ``words``."""
    out = []
    adversary = pledge.get("adversary")
    if isinstance(adversary, tuple) and pledge.get("adversary_named"):
        # (an adversary ATOP does not name as a state is described under "other")
        named = words(", ").join(words.name(s, on) for s in adversary)
        foe = words.name(attacker, on) if attacker is not None else ""
        if attacker is None:
            text = (words("applies only against {named}; no attacker given", named=named)
                    if pledge.get("adversary_exclusive") else
                    words("conditional on a specific adversary; ATOP names {named}; no "
                          "attacker given", named=named))
            out.append({"condition": "specific adversary", "status": "unknown",
                        "explanation": text})
        elif attacker in adversary:
            out.append({"condition": "specific adversary", "status": "met",
                        "explanation": words("applies against {named}, and the attacker is "
                                             "{attacker}", named=named, attacker=foe)})
        elif pledge.get("adversary_exclusive"):
            out.append({"condition": "specific adversary", "status": "not met",
                        "explanation": words("applies only against {named}, not against "
                                             "{attacker}", named=named, attacker=foe)})
        else:
            out.append({"condition": "specific adversary", "status": "unknown",
                        "explanation": words("conditional on a specific adversary; ATOP names "
                                             "{named} as the alliance's threat but not whether "
                                             "a war with {attacker} is covered",
                                             named=named, attacker=foe)})
    place = pledge.get("location")
    if isinstance(place, str) and place:
        out.append({"condition": "location", "status": "unknown",
                    "explanation": words("limited to {place}; whether {location} falls there "
                                         "is not decided here", place=place, location=location)
                    if location else words("limited to {place}; no location given",
                                           place=place)})
    if pledge.get("non_provocation") is True:
        out.append({"condition": "non-provocation", "status": "unknown",
                    "explanation": words("applies only if the ally did not provoke the "
                                         "attack")})
    other = pledge.get("other")
    if isinstance(other, str) and other:
        for part in other.split("; "):
            out.append({"condition": "other", "status": "unknown",
                        "explanation": words("conditional on {condition}", condition=part)})
    return out


def explain(pledge: Mapping[Any, Any], conditions: list[dict[str, str]],
            status: str, *, carried: bool = False, on: datetime.date | None = None,
            words: Wording = ENGLISH) -> str:
    """The plain-language account of one pledge and its conditions; ``carried`` when the day
    asked is after ATOP's last coding day and the pledge is carried past it; worded by
    ``words`` (English unless told)."""
    start, end = pledge["start"], pledge["end"]
    first = start.date() if isinstance(start, pd.Timestamp) else start
    last = end.date() if isinstance(end, pd.Timestamp) else None
    since = words.day(first) if isinstance(first, datetime.date) else first
    if carried:
        until = (words("and carried past 2018 until {end}", end=words.day(last)) if last
                 else words("and carried past 2018 with no end recorded"))
    else:
        until = (words("until {end}", end=words.day(last)) if last
                 else words("with no end recorded"))
    takes_over = (words(" (ATOP codes this treaty to 2018; the curated record carries it on "
                        "from 1 January 2019)") if pledge["source"] == "curated"
                  and isinstance(pledge.get("atopid"), int | np.integer)
                  and first == datetime.date(2019, 1, 1) else "")
    text = words("{giver} pledged {obligation} to {receiver} under {name} ({agreement}, per "
                 "{source}), in force from {start} {until}{takes_over}. ",
                 giver=words.name(pledge["giver"], on), obligation=words.term(
                     str(pledge["obligation"])), receiver=words.name(pledge["receiver"], on),
                 name=words.agreements.get(str(pledge["agreement"]), pledge["name"]),
                 agreement=pledge["agreement"],
                 source=words("the curated record") if pledge["source"] == "curated"
                 else "ATOP 5.1", start=since, until=until, takes_over=takes_over)
    if carried:
        text += words("Carried: {note}. ", note=str(pledge["carried_note"]).rstrip("."))
    if not conditions:
        text += words("No conditions are recorded, so the pledge applies.")
    else:
        text += words("Conditions: {conditions}. So it {verdict}.",
                      conditions=words("; ").join(
                          f"{c['explanation']} ({words.term(c['status'])})"
                          for c in conditions),
                      verdict=words(status_verb(status)))
    if pledge.get("kind") == "unilateral_commitment":
        text += words(" It is a unilateral commitment made by executive act, not a treaty: the "
                      "other state pledged nothing, and the executive may revoke it.")
    if pledge.get("certainty") == "inferred":
        text += words(" The obligation itself is inferred, not stated outright by a source.")
    return text


def status_verb(status: str) -> str:
    """``applies`` -> ``applies``; ``conditional`` -> ``applies only if ...``."""
    return {"applies": "applies", "conditional": "may apply: a condition cannot be checked",
            "does not apply": "does not apply"}[status]


def pledge_status(conditions: list[dict[str, str]]) -> str:
    """What checked conditions make of a pledge: ``"does not apply"`` when one is not met,
    ``"conditional"`` when one cannot be checked, else ``"applies"``."""
    if any(c["status"] == "not met" for c in conditions):
        return "does not apply"
    return "conditional" if any(c["status"] == "unknown" for c in conditions) else "applies"


def status_rank(conditions: list[dict[str, str]]) -> int:
    """:func:`pledge_status` as a rank, the strongest first: 0 applies, 1 conditional, 2 does
    not apply."""
    return {"applies": 0, "conditional": 1, "does not apply": 2}[pledge_status(conditions)]
