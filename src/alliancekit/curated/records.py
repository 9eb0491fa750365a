"""Reading and checking the curated records: agreements, groups and what has become of ATOP's
alliances since 2018 (``atop_status/``), one TOML file each.

``check_records`` reports every problem it finds, each naming the file and the field
(``members[3].exit``), so a curator can fix them all in one pass; ``load_agreements`` and
``load_groups`` stop with all of them at once when any record is broken.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from alliancekit.curated.model import (
    INSTITUTIONS,
    KINDS,
    NO_PLEDGE_KINDS,
    OBLIGATION_TYPES,
    STATUSES,
    Agreement,
    AtopStatus,
    Conditions,
    FuzzyDate,
    MemberExit,
    MemberSpell,
    Obligation,
    SourceRef,
    StateId,
)
from alliancekit.errors import CurationError
from alliancekit.locations import curated_dir, records_stamp

# The cooperation record types a curated arrangement may map to (alliancekit.cooperation.TYPES).
COOPERATION_TYPES = ("defence_cooperation_agreement", "training_exercise", "peacekeeping",
                     "intelligence_sharing", "troop_deployment")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ID = re.compile(r"^[a-z0-9_]+$")


@dataclass(frozen=True)
class KnownState:
    """A state the records may name: its COW code (or non-system id), abbreviation and name."""

    id: StateId
    abbreviation: str
    name: str
    in_system: bool


@cache
def known_states(directory: Path | None = None) -> dict[StateId, KnownState]:
    """The states records may name: ``states.csv`` (COW codes) and ``non_system.csv``."""
    root = directory or curated_dir()
    states: dict[StateId, KnownState] = {}
    with (root / "states.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = int(row["ccode"])
            states[code] = KnownState(code, row["stateabb"], row["name"], True)
    with (root / "non_system.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            states[row["id"]] = KnownState(row["id"], row["id"], row["name"], False)
    return states


@dataclass
class Problems:
    """Problems found in one file, each as ``file: field: message``."""

    path: Path
    found: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.found.append(f"{self.path.name}: {where}: {message}")


def _date(value: Any, where: str, problems: Problems, required: bool = False) -> FuzzyDate | None:
    if value in (None, ""):
        if required:
            problems.add(where, "missing (give YYYY, YYYY-MM or YYYY-MM-DD)")
        return None
    text = str(value)
    if not _DATE.match(text):
        problems.add(where, f"{text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        return None
    precision = {4: "year", 7: "month", 10: "day"}[len(text)]
    date = FuzzyDate(text, precision)  # type: ignore[arg-type]
    try:
        date.last_day  # noqa: B018 - checks the calendar
    except ValueError:
        problems.add(where, f"{text!r} is not a calendar date")
        return None
    return date


def _state(value: Any, where: str, problems: Problems, states: dict[StateId, KnownState]
           ) -> StateId | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        problems.add(where, f"{value!r} is a {_kind(value)}; give one COW code or id")
        return None
    if value not in states:
        problems.add(where, f"unknown state {value!r}: use a COW code listed in states.csv or "
                            "an id declared in non_system.csv")
        return None
    return value


def _kind(value: Any) -> str:
    """The TOML word for ``value``'s type, for messages."""
    return {dict: "table", list: "list", str: "string", int: "number", float: "number",
            bool: "boolean"}.get(type(value), type(value).__name__)


def _tables(data: dict[str, Any], key: str, problems: Problems) -> list[dict[str, Any]]:
    """``data[key]`` as a list of tables (``[[key]]`` entries); anything else is a problem."""
    value = data.get(key, [])
    if not isinstance(value, list):
        problems.add(key, f"is a {_kind(value)}; give [[{key}]] tables")
        return []
    tables = []
    for i, item in enumerate(value):
        if isinstance(item, dict):
            tables.append(item)
        else:
            problems.add(f"{key}[{i}]", f"{item!r} is a {_kind(item)}; give a [[{key}]] table")
    return tables


def _table(data: dict[str, Any], key: str, where: str, problems: Problems) -> dict[str, Any]:
    """``data[key]`` as a table (empty when absent); anything else is a problem."""
    value = data.get(key, {})
    if not isinstance(value, dict):
        problems.add(where, f"{value!r} is a {_kind(value)}; give a table")
        return {}
    return value


def _sources(value: Any, where: str, problems: Problems, known: set[str]) -> tuple[str, ...]:
    if value is not None and not isinstance(value, list):
        problems.add(where, f"{value!r} is a {_kind(value)}; give a list of source ids")
        return ()
    ids = tuple(str(v) for v in value or ())
    if not ids:
        problems.add(where, "no source: every fact needs at least one source id")
    for source_id in ids:
        if source_id not in known:
            problems.add(where, f"source {source_id!r} is not in this file's [[source]] list")
    return ids


def _certainty(value: Any, where: str, problems: Problems) -> Any:
    if value not in ("certain", "inferred"):
        problems.add(where, f"certainty must be 'certain' or 'inferred', not {value!r}")
    return value


def _parse_sources(data: dict[str, Any], problems: Problems) -> tuple[SourceRef, ...]:
    refs: list[SourceRef] = []
    for i, raw in enumerate(_tables(data, "source", problems)):
        where = f"source[{i}]"
        missing = [k for k in ("id", "url", "published", "publisher", "supports") if not raw.get(k)]
        if missing:
            problems.add(where, f"missing {', '.join(missing)}")
            continue
        if not str(raw["url"]).startswith(("http://", "https://")):
            problems.add(f"{where}.url", f"{raw['url']!r} is not a web address")
        if any(r.id == str(raw["id"]) for r in refs):
            problems.add(f"{where}.id", f"{raw['id']!r} is used by an earlier [[source]]")
        refs.append(SourceRef(str(raw["id"]), str(raw["url"]), str(raw["published"]),
                              str(raw["publisher"]), str(raw["supports"])))
    if not refs:
        problems.add("source", "the record lists no sources")
    return tuple(refs)


def _parse_members(
    data: dict[str, Any], problems: Problems, states: dict[StateId, KnownState], known: set[str]
) -> tuple[MemberSpell, ...]:
    spells: list[MemberSpell] = []
    for i, raw in enumerate(_tables(data, "members", problems)):
        where = f"members[{i}]"
        state = _state(raw.get("state"), f"{where}.state", problems, states)
        entry = _date(raw.get("entry"), f"{where}.entry", problems, required=True)
        exit_ = _date(raw.get("exit"), f"{where}.exit", problems)
        if entry and exit_ and exit_.last_day < entry.first_day:
            problems.add(f"{where}.exit", f"exit {exit_} comes before entry {entry}")
        certainty = _certainty(raw.get("certainty"), f"{where}.certainty", problems)
        ids = _sources(raw.get("sources"), f"{where}.sources", problems, known)
        if state is not None and entry is not None:
            for other in spells:
                if other.state == state and _overlap(other.entry, other.exit, entry, exit_):
                    problems.add(where, f"state {state!r} is listed twice with overlapping "
                                        f"spells ({other.entry} and {entry}); one spell per "
                                        "stretch of membership")
            spells.append(MemberSpell(state, entry, exit_, certainty, ids,
                                      str(raw.get("note", ""))))
    return tuple(spells)


def _overlap(first_entry: FuzzyDate, first_exit: FuzzyDate | None, entry: FuzzyDate,
             exit_: FuzzyDate | None) -> bool:
    """Whether two membership spells share a day (as read conservatively)."""
    first_end = first_exit.first_day if first_exit else None
    end = exit_.first_day if exit_ else None
    return (end is None or first_entry.last_day <= end) and \
        (first_end is None or entry.last_day <= first_end)


def _check_order(signed: FuzzyDate | None, in_force: FuzzyDate | None,
                 ended: FuzzyDate | None, members: tuple[MemberSpell, ...],
                 problems: Problems) -> None:
    """Dates in their order: signed, then in force, then ended; no member before signature."""
    if signed is not None:
        if in_force is not None and in_force.last_day < signed.first_day:
            problems.add("in_force", f"{in_force} comes before signature ({signed})")
        if ended is not None and ended.last_day < signed.first_day:
            problems.add("ended", f"{ended} comes before signature ({signed})")
        for i, member in enumerate(members):
            if member.entry.last_day < signed.first_day:
                problems.add(f"members[{i}].entry", f"{member.entry} comes before signature "
                                                    f"({signed})")
    if in_force is not None and ended is not None and ended.last_day < in_force.first_day:
        problems.add("ended", f"{ended} comes before entry into force ({in_force})")


def _parties(value: Any, where: str, problems: Problems, states: dict[StateId, KnownState]
             ) -> tuple[StateId, ...] | str:
    if value == "all":
        return "all"
    if not isinstance(value, list) or not value:
        problems.add(where, "give 'all' or a list of states")
        return ()
    return tuple(s for i, v in enumerate(value)
                 if (s := _state(v, f"{where}[{i}]", problems, states)) is not None)


def _parse_obligations(
    data: dict[str, Any], problems: Problems, states: dict[StateId, KnownState], known: set[str]
) -> tuple[Obligation, ...]:
    obligations = []
    for i, raw in enumerate(_tables(data, "obligations", problems)):
        where = f"obligations[{i}]"
        if raw.get("type") not in OBLIGATION_TYPES:
            problems.add(f"{where}.type", f"{raw.get('type')!r}: choose from "
                                          + ", ".join(OBLIGATION_TYPES))
        by = _parties(raw.get("pledged_by", "all"), f"{where}.pledged_by", problems, states)
        to = _parties(raw.get("pledged_to", "all"), f"{where}.pledged_to", problems, states)
        cond = _table(raw, "conditions", f"{where}.conditions", problems)
        adversary = cond.get("adversary")
        if adversary is not None and not isinstance(adversary, list):
            problems.add(f"{where}.conditions.adversary",
                         f"{adversary!r} is a {_kind(adversary)}; give a list of states")
            adversary = []
        conditions = Conditions(
            adversary=None if adversary is None else tuple(
                s for j, v in enumerate(adversary)
                if (s := _state(v, f"{where}.conditions.adversary[{j}]", problems, states))
                is not None),
            location=cond.get("location"),
            non_provocation=cond.get("non_provocation"),
        )
        certainty = _certainty(raw.get("certainty"), f"{where}.certainty", problems)
        ids = _sources(raw.get("sources"), f"{where}.sources", problems, known)
        obligations.append(Obligation(str(raw.get("type")), by, to, conditions,  # type: ignore[arg-type]
                                      str(raw.get("text", "")), certainty, ids))
    return tuple(obligations)


def _read(path: Path, problems: Problems) -> dict[str, Any] | None:
    """The TOML table in ``path``, or None with the problem noted."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.add("file", f"not valid TOML ({exc})")
        return None


def parse_agreement(
    path: Path, states: dict[StateId, KnownState]
) -> tuple[Agreement | None, list[str]]:
    """The agreement in the TOML file at ``path`` and the problems found in it."""
    problems = Problems(path)
    data = _read(path, problems)
    if data is None:
        return None, problems.found
    for key in ("id", "name_en", "kind"):
        if not data.get(key):
            problems.add(key, "missing")
    if data.get("id") and (not _ID.match(str(data["id"])) or data["id"] != path.stem):
        problems.add("id", f"{data['id']!r} must be snake_case and equal the file name "
                           f"({path.stem!r})")
    if data.get("kind") and data["kind"] not in KINDS:
        problems.add("kind", f"{data['kind']!r}: choose from {', '.join(KINDS)}")
    refs = _parse_sources(data, problems)
    known = {r.id for r in refs}
    signed = _date(data.get("signed"), "signed", problems)
    in_force = _date(data.get("in_force"), "in_force", problems)
    ended = _date(data.get("ended"), "ended", problems)
    fact_sources = _sources(data.get("sources"), "sources", problems, known)
    members = _parse_members(data, problems, states, known)
    _check_order(signed, in_force, ended, members, problems)
    concluded = data.get("concluded", True)
    if not isinstance(concluded, bool):
        problems.add("concluded", f"{concluded!r}: give true or false")
    if not members and concluded is not False:
        problems.add("members", "the agreement has no members (an arrangement agreed in "
                                "principle but never concluded says concluded = false)")
    obligations = _parse_obligations(data, problems, states, known)
    if obligations and data.get("kind") in NO_PLEDGE_KINDS:
        problems.add("obligations", f"a {data['kind']} carries no pledge: record its ties as "
                                    "members only, or choose another kind")
    cooperation_type = str(data.get("cooperation_type", ""))
    if cooperation_type and cooperation_type not in COOPERATION_TYPES:
        problems.add("cooperation_type", f"{cooperation_type!r}: choose from "
                                         + ", ".join(COOPERATION_TYPES))
    institutions = tuple(data.get("institutions", ()))
    for i, name in enumerate(institutions):
        if name not in INSTITUTIONS:
            problems.add(f"institutions[{i}]", f"{name!r}: choose from {', '.join(INSTITUTIONS)}")
    atopid = data.get("atopid")
    if atopid is not None and not (isinstance(atopid, int) and 1000 <= atopid <= 9999):
        problems.add("atopid", f"{atopid!r} is not an ATOP alliance id (1000-9999)")
    if problems.found:
        return None, problems.found
    return Agreement(
        id=data["id"], name_en=data["name_en"], kind=data["kind"], signed=signed,
        in_force=in_force, ended=ended, members=members, obligations=obligations,
        sources=refs, fact_sources=fact_sources, name_ar=data.get("name_ar", ""),
        atopid=atopid, institutions=institutions, notes=data.get("notes", ""),
        gaps=tuple(data.get("gaps", ())), cooperation_type=cooperation_type,
        concluded=concluded is not False, path=str(path),
    ), []


def parse_atop_status(
    path: Path, states: dict[StateId, KnownState]
) -> tuple[AtopStatus | None, list[str]]:
    """The status record of one ATOP alliance in the TOML file at ``path`` and its problems."""
    problems = Problems(path)
    data = _read(path, problems)
    if data is None:
        return None, problems.found
    atopid = data.get("atopid")
    if not (isinstance(atopid, int) and 1000 <= atopid <= 9999):
        problems.add("atopid", f"{atopid!r} is not an ATOP alliance id (1000-9999)")
    elif path.stem != f"atop{atopid}":
        problems.add("atopid", f"{atopid} must match the file name ({path.stem!r})")
    for key in ("name_en", "evidence"):
        if not data.get(key):
            problems.add(key, "missing")
    status = data.get("status")
    if status not in STATUSES:
        problems.add("status", f"{status!r}: choose from {', '.join(STATUSES)}")
    refs = _parse_sources(data, problems)
    known = {r.id for r in refs}
    fact_sources = _sources(data.get("sources"), "sources", problems, known)
    ended = _date(data.get("ended"), "ended", problems,
                  required=status in ("ended", "superseded"))
    if ended is not None and status not in ("ended", "superseded"):
        problems.add("ended", f"only an alliance that ended or was superseded has an end, "
                              f"not one whose status is {status!r}")
    exits = []
    for i, raw in enumerate(_tables(data, "exits", problems)):
        where = f"exits[{i}]"
        state = _state(raw.get("state"), f"{where}.state", problems, states)
        day = _date(raw.get("exit"), f"{where}.exit", problems, required=True)
        certainty = _certainty(raw.get("certainty"), f"{where}.certainty", problems)
        ids = _sources(raw.get("sources"), f"{where}.sources", problems, known)
        if state is not None and day is not None:
            exits.append(MemberExit(state, day, certainty, ids, str(raw.get("note", ""))))
    if status == "member_left" and not data.get("exits"):
        problems.add("exits", "status 'member_left' needs at least one [[exits]] entry")
    if problems.found:
        return None, problems.found
    return AtopStatus(
        atopid=int(str(atopid)), name_en=data["name_en"], status=str(status),
        evidence=data["evidence"],
        sources=refs, fact_sources=fact_sources, ended=ended,
        superseded_by=str(data.get("superseded_by", "")), exits=tuple(exits),
        notes=str(data.get("notes", "")), gaps=tuple(data.get("gaps", ())), path=str(path),
    ), []


def _files(directory: Path, folder: str) -> Iterator[Path]:
    yield from sorted((directory / folder).glob("*.toml"))


def check_records(directory: Path | None = None) -> list[str]:
    """Every problem in the agreements and groups under ``directory`` (default: shipped)."""
    root = directory or curated_dir()
    missing = [name for name in ("states.csv", "non_system.csv") if not (root / name).is_file()]
    if missing:
        return [f"{root}: missing {', '.join(missing)} (the states records may name)"]
    states = known_states(root)
    problems: list[str] = []
    seen: dict[str, str] = {}
    for folder in ("agreements", "groups"):
        for path in _files(root, folder):
            problems += parse_agreement(path, states)[1]
            if path.stem in seen:
                problems.append(f"{path.name}: id: {path.stem!r} is also {seen[path.stem]}; an id "
                                "names one record")
            seen[path.stem] = f"{folder}/{path.name}"
    for path in _files(root, "atop_status"):
        problems += parse_atop_status(path, states)[1]
    return problems


def _load(root: Path, folder: str) -> tuple[Agreement, ...]:
    states = known_states(root)
    records, problems = [], []
    for path in _files(root, folder):
        record, found = parse_agreement(path, states)
        problems += found
        if record is not None:
            records.append(record)
    if problems:
        raise CurationError(problems)
    return tuple(records)


def load_agreements(directory: Path | None = None) -> tuple[Agreement, ...]:
    """The curated agreements (default: those of :func:`curated_dir`), read again when they
    are published anew."""
    root = directory or curated_dir()
    return _agreements(root, records_stamp(root))


@cache
def _agreements(root: Path, stamp: int) -> tuple[Agreement, ...]:
    return _load(root, "agreements")


def load_groups(directory: Path | None = None) -> dict[str, Agreement]:
    """The curated groups (OIC, Arab League, GCC, IMCTC, NATO), by id."""
    root = directory or curated_dir()
    return _groups(root, records_stamp(root))


@cache
def _groups(root: Path, stamp: int) -> dict[str, Agreement]:
    return {g.id: g for g in _load(root, "groups")}


def load_atop_statuses(directory: Path | None = None) -> dict[int, AtopStatus]:
    """What has become of ATOP's alliances since 2018, by ``atopid`` (those reviewed)."""
    root = directory or curated_dir()
    return _statuses(root, records_stamp(root))


@cache
def _statuses(root: Path, stamp: int) -> dict[int, AtopStatus]:
    states = known_states(root)
    records, problems = {}, []
    for path in _files(root, "atop_status"):
        record, found = parse_atop_status(path, states)
        problems += found
        if record is not None:
            records[record.atopid] = record
    if problems:
        raise CurationError(problems)
    return records
