"""Military exercises: MME v7 (D'Orazio and Galambos) and JME v3 (D'Orazio).

Both files give one exercise a row, its participants spread over columns (``StateA`` ...
``StateAM`` in MME, names; ``State A`` ... ``State AD`` in JME, ISO 3166 alpha-3 codes).
:func:`load_mme` and :func:`load_jme` return one row per exercise and participant, with the COW
code the participant has in the exercise's start year (the dated crosswalk,
:mod:`alliancekit.sources.crosswalk`)::

    exercise_id, name, start, start_precision, end, end_precision, year, cpx, air, land, sea,
    amphibious, cyber, warfighting, peacekeeping, humanitarian, participant, ccode,
    unknown_participants

Dates are often known only to the month (day ``xx``) or the year. ``start`` is the first day the
start date can mean and ``end`` the last day the end date can mean, so ``start`` to ``end`` holds
every day the exercise may have run; ``start_precision`` and ``end_precision`` say what was
known (``day``, ``month``, ``year``). The split ``s.year/s.month/s.day`` cells are read; the
written date (``1/14/80``, ``1980-01-xx``) only when all three are blank.

Nothing is dropped silently. A participant coded ``-9`` (unknown) has no row of its own and is
counted in ``unknown_participants`` on every row of its exercise; an exercise with no named
participant keeps one row whose ``participant`` and ``ccode`` are missing. A name that maps to no
state keeps its row (``ccode`` missing) and is listed in ``attrs["crosswalk"]``; a state listed
twice in one exercise is kept once and listed in ``attrs["duplicate_participants"]``; exercises
whose end lies before their start are kept as written and listed in ``attrs["end_before_start"]``.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from alliancekit.errors import SourceFormatError
from alliancekit.sources._table import Column, read_table
from alliancekit.sources.crosswalk import crosswalk
from alliancekit.sources.memo import cached_by_file
from alliancekit.sources.registry import Source, SourceFile, register, source_path

Precision = Literal["day", "month", "year"]

TYPE_FLAGS = ("cpx", "air", "land", "sea", "amphibious", "cyber", "warfighting", "peacekeeping",
              "humanitarian")
EXERCISE_COLUMNS = ("exercise_id", "name", "start", "start_precision", "end", "end_precision",
                    "year", *TYPE_FLAGS, "participant", "ccode", "unknown_participants")

MME = register(Source(
    name="mme",
    title="Multinational Military Exercises, 1980-2010",
    version="7 (Harvard Dataverse V1)",
    unit="exercise-participant",
    coverage=(1980, 2010),
    distributor="Vito D'Orazio and Kevin Galambos, via Harvard Dataverse",
    homepage="https://doi.org/10.7910/DVN/KHFODX",
    citation="""@misc{dorazio_galambos_2021,
  author = {D'Orazio, Vito and Galambos, Kevin},
  title = {Multinational Military Exercises, 1980--2010},
  year = {2021},
  publisher = {Harvard Dataverse},
  version = {V1},
  doi = {10.7910/DVN/KHFODX}
}""",
    files=(SourceFile("mme/mme_v7.csv",
                      "e6356ed4b8569133841723ad4bc6fe436b49b28570dd721940d61edb771d8719"),),
    notes="Our copy is troopdata's data-raw/mme_v7.csv (meflynn/troopdata). Three MMEIDs "
          "(mme3457, mme3458, mme3460) each name two different exercises; they become "
          "mme3457-1 and mme3457-2 (file order). Participants are names; -9 is unknown.",
))

JME = register(Source(
    name="jme",
    title="Joint Military Exercises",
    version="3",
    unit="exercise-participant",
    coverage=(1974, 2010),
    distributor="Vito D'Orazio; our copy converted from jme_v3.xls in meflynn/troopdata",
    homepage="https://github.com/meflynn/troopdata",
    citation="""@misc{dorazio_jme_v3,
  author = {D'Orazio, Vito},
  title = {Joint Military Exercises dataset, version 3},
  note = {Coder-sheet export distributed with the troopdata R package}
}""",
    files=(SourceFile("jme/jme_v3.csv",
                      "de5a1d4e926e3f06c171db2a8135f924277c9e55d05a9c15b6bff12f837c4768"),),
    notes="The citation was not verified against the JME codebook (not available here); check "
          "it before publishing. A coder sheet: no exercise identifier (rows become jme1, "
          "jme2, ... in file order), participants as ISO alpha-3 codes with stray spaces and "
          "free text, only cpx among the type flags (from 'JME Type'). 310 rows have blank "
          "split dates; their written 'Start Date' is used.",
))

_UNKNOWN_PARTICIPANT = "-9"
_UNKNOWN_PARTS = frozenset({"xx", "xxxx", "-9"})
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2}|xx)-(\d{1,2}|xx)(?:[ T][\d:.]+)?", re.IGNORECASE)
_US_DATE = re.compile(r"(\d{1,2}|xx)/(\d{1,2}|xx)/(\d{4}|\d{2}|xxxx)", re.IGNORECASE)
_JME_TYPE_CPX = {"cpx": 1, "both cpx & ftx": 1, "cpx/ftx": 1, "ftx/cpx": 1, "ftx": 0,
                 "unsure": None}


def _letters(count: int) -> list[str]:
    alphabet = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    return (alphabet + ["A" + c for c in alphabet])[:count]


MME_SLOTS = tuple(f"State{x}" for x in _letters(39))
JME_SLOTS = tuple(f"State {x}" for x in _letters(30))
_MME_FLAGS = ("CPX", "Air", "Land", "Sea", "Amphibious", "Cyber", "Warfighting", "Peacekeeping",
              "Humanitarian")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, to the month or only to the year.

    >>> known_to_month = PartialDate(1980, 2)
    >>> known_to_month.precision, known_to_month.first_day(), known_to_month.last_day()
    ('month', datetime.date(1980, 2, 1), datetime.date(1980, 2, 29))
    """

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        """``day``, ``month`` or ``year``: the finest part known."""
        if self.month is None:
            return "year"
        return "month" if self.day is None else "day"

    def first_day(self) -> date:
        """The first day the date can mean."""
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        """The last day the date can mean."""
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])


def _is_blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, float) and np.isnan(cell)) or not str(cell).strip()


def _part(cell: object, what: str, low: int, high: int) -> tuple[int | None, str | None]:
    """A date part and the problem with it; unknown (blank, ``xx``, ``-9``) is None, no problem."""
    if _is_blank(cell) or str(cell).strip().casefold() in _UNKNOWN_PARTS:
        return None, None
    text = str(cell).strip()
    if not text.isdigit():
        return None, f"{what} {text!r} is neither a number nor xx"
    if not low <= int(text) <= high:
        return None, f"{what} {text!r} is outside {low}..{high}"
    return int(text), None


def date_from_parts(year: object, month: object, day: object
                    ) -> tuple[PartialDate | None, str | None]:
    """The date in split year, month and day cells, and what was wrong with them (or None).

    Unknown parts (blank, ``xx``, ``-9``) lower the precision; a part that is not a number or
    not on the calendar is dropped with the parts after it, and named as the problem. The date
    is None when the year is unknown.

    >>> date_from_parts("1980", "1", "xx")
    (PartialDate(year=1980, month=1, day=None), None)
    >>> date_from_parts("1985", "2", "30")
    (PartialDate(year=1985, month=2, day=None), "day '30' is outside 1..28")
    >>> date_from_parts("-9", "-9", "-9")
    (None, None)
    """
    found_year, problem = _part(year, "year", 1900, 2100)
    if found_year is None:
        return None, problem
    found_month, problem = _part(month, "month", 1, 12)
    if found_month is None:
        return PartialDate(found_year), problem
    days = calendar.monthrange(found_year, found_month)[1]
    found_day, problem = _part(day, "day", 1, days)
    return PartialDate(found_year, found_month, found_day), problem


def date_from_text(text: object) -> tuple[PartialDate | None, str | None]:
    """The date written in one cell, and what was wrong with it (or None).

    Reads ``M/D/YY``, ``M/D/YYYY`` and ``YYYY-MM-DD`` (with or without a time), ``xx`` for an
    unknown part; two-digit years are 1950-2049. Blank and ``-9`` are unknown (None).

    >>> date_from_text("1/14/80")
    (PartialDate(year=1980, month=1, day=14), None)
    >>> date_from_text("1980-01-xx")
    (PartialDate(year=1980, month=1, day=None), None)
    >>> date_from_text("11/xx2007")
    (None, "'11/xx2007' is not a date (M/D/YYYY or YYYY-MM-DD, xx for unknown parts)")
    """
    if _is_blank(text) or str(text).strip() == "-9":
        return None, None
    written = str(text).strip()
    if found := _ISO_DATE.fullmatch(written):
        year, month, day = found.groups()
    elif found := _US_DATE.fullmatch(written):
        month, day, year = found.groups()
        if len(year) == 2 and year.isdigit():
            year = str((1900 if int(year) >= 50 else 2000) + int(year))
    else:
        return None, f"{written!r} is not a date (M/D/YYYY or YYYY-MM-DD, xx for unknown parts)"
    return date_from_parts(year, month, day)


def _dates(path: Path, table: pd.DataFrame, ids: Sequence[str], parts: tuple[str, str, str],
           written: str, problems: list[dict[str, Any]] | None
           ) -> tuple[list[PartialDate | None], int]:
    """One date per row and how many came from the ``written`` column.

    A problem stops with :class:`SourceFormatError` when ``problems`` is None, else is added to
    it (the date keeps the parts read before the problem).
    """
    dates: list[PartialDate | None] = []
    from_text = 0
    cells = zip(table[parts[0]], table[parts[1]], table[parts[2]], table[written], strict=True)
    for row, (year, month, day, text) in enumerate(cells):
        use_text = _is_blank(year) and _is_blank(month) and _is_blank(day)
        found, problem = date_from_text(text) if use_text else date_from_parts(year, month, day)
        from_text += use_text and found is not None
        if problem is not None:
            column = written if use_text else "/".join(parts)
            if problems is None:
                raise SourceFormatError(path, problem, line=row + 2, column=column)
            problems.append({"exercise_id": ids[row], "column": column, "problem": problem})
        dates.append(found)
    return dates, from_text


def _day_column(days: list[date | None]) -> pd.Series:
    return pd.Series(pd.to_datetime(pd.Series(days, dtype=object))).astype("datetime64[s]")


def _exercises(ids: Sequence[str], names: pd.Series, starts: list[PartialDate | None],
               ends: list[PartialDate | None], flags: dict[str, pd.Series]) -> pd.DataFrame:
    """The exercise-level columns, one row per exercise in file order."""
    frame = pd.DataFrame({
        "exercise_id": list(ids),
        "name": names.str.strip().where(names.str.strip() != "-9").to_numpy(),
        "start": _day_column([d.first_day() if d else None for d in starts]),
        "start_precision": pd.Series([d.precision if d else None for d in starts], dtype="str"),
        "end": _day_column([d.last_day() if d else None for d in ends]),
        "end_precision": pd.Series([d.precision if d else None for d in ends], dtype="str"),
        "year": pd.array([d.year if d else None for d in starts], dtype="Int64"),
    })
    for flag in TYPE_FLAGS:
        frame[flag] = (flags[flag].astype("Int8").array if flag in flags
                       else pd.array([None] * len(frame), dtype="Int8"))
    return frame


def _participants(table: pd.DataFrame, slots: Sequence[str], exercises: pd.DataFrame,
                  source: str) -> pd.DataFrame:
    """One row per exercise and named participant (see the module docstring), with attrs."""
    cells = table[list(slots)].to_numpy(dtype=object)
    row, slot = np.nonzero(~pd.isna(cells))
    names = np.array([str(cells[r, s]).strip() for r, s in zip(row, slot, strict=True)],
                     dtype=object)
    written = names != ""
    row, names = row[written], names[written]
    unknown = names == _UNKNOWN_PARTICIPANT
    unknown_counts = np.bincount(row[unknown], minlength=len(exercises))
    row, names = row[~unknown], names[~unknown]
    years = exercises["year"].fillna(-1).astype("int64").to_numpy()[row]
    mapped = crosswalk(pd.Series(names, dtype=object), pd.Series(years), source=source)
    named = pd.DataFrame({"row": row, "participant": names,
                          "ccode": mapped.codes.to_numpy()})
    key = named["ccode"].astype("str").where(named["ccode"].notna(),
                                             "name " + named["participant"].str.casefold())
    twice = pd.DataFrame({"row": row, "key": key}).duplicated()
    duplicates = [{"exercise_id": exercises["exercise_id"].iat[r], "participant": p}
                  for r, p in zip(named["row"][twice], named["participant"][twice], strict=True)]
    named = named[~twice.to_numpy()]
    nobody = np.setdiff1d(np.arange(len(exercises)), named["row"].to_numpy())
    placeholders = pd.DataFrame({"row": nobody, "participant": pd.Series([None] * len(nobody),
                                                                         dtype=object),
                                 "ccode": pd.array([None] * len(nobody), dtype="Int64")})
    rows = pd.concat([named, placeholders], ignore_index=True).sort_values("row", kind="stable")
    out = exercises.iloc[rows["row"].to_numpy()].reset_index(drop=True)
    out["participant"] = pd.Series(rows["participant"].to_numpy(), dtype="str")
    out["ccode"] = pd.array(rows["ccode"].to_numpy(), dtype="Int64")
    out["unknown_participants"] = unknown_counts[rows["row"].to_numpy()].astype("int64")
    backwards = exercises["end"] < exercises["start"]
    out.attrs["crosswalk"] = mapped.report.to_dict("records")
    out.attrs["duplicate_participants"] = duplicates
    out.attrs["end_before_start"] = exercises.loc[backwards, "exercise_id"].tolist()
    out.attrs["no_named_participants"] = len(nobody)
    return out[list(EXERCISE_COLUMNS)]


def _unique_ids(raw: pd.Series) -> tuple[list[str], list[str]]:
    """``raw`` with ids used for several exercises numbered ``-1``, ``-2`` in file order."""
    ids = [str(v).strip() for v in raw]
    shared = sorted(i for i, n in Counter(ids).items() if n > 1)
    seen: Counter[str] = Counter()
    unique = []
    for i in ids:
        seen[i] += 1
        unique.append(f"{i}-{seen[i]}" if i in shared else i)
    return unique, shared


def _text(*names: str) -> list[Column]:
    return [Column(name, "str", nullable=True) for name in names]


def parse_mme(path: Path) -> pd.DataFrame:
    """The MME exercise-participant frame from the file at ``path`` (see :func:`load_mme`)."""
    columns = [Column("MMEID", "str"), *_text("Ex_Name", "StartDate", "s.year", "s.month",
                                                "s.day", "EndDate", "e.year", "e.month", "e.day")]
    columns += [Column(flag, "int", nullable=True, low=0, high=1) for flag in _MME_FLAGS]
    table = read_table(path, [*columns, *_text(*MME_SLOTS)])
    ids, shared = _unique_ids(table["MMEID"])
    starts, _ = _dates(path, table, ids, ("s.year", "s.month", "s.day"), "StartDate", None)
    ends, _ = _dates(path, table, ids, ("e.year", "e.month", "e.day"), "EndDate", None)
    flags = {flag.lower(): table[flag] for flag in _MME_FLAGS}
    exercises = _exercises(ids, table["Ex_Name"], starts, ends, flags)
    out = _participants(table, MME_SLOTS, exercises, "mme")
    out.attrs["duplicate_ids"] = shared
    return out


def parse_jme(path: Path) -> pd.DataFrame:
    """The JME exercise-participant frame from the file at ``path`` (see :func:`load_jme`)."""
    table = read_table(path, _text("Exercise Name", "Start Date", "s.year", "s.month", "s.day",
                                   "enddate", "e.year", "e.month", "e.day", "JME Type",
                                   *JME_SLOTS))
    ids = [f"jme{n}" for n in range(1, len(table) + 1)]
    problems: list[dict[str, Any]] = []
    starts, from_text = _dates(path, table, ids, ("s.year", "s.month", "s.day"), "Start Date",
                               problems)
    ends, _ = _dates(path, table, ids, ("e.year", "e.month", "e.day"), "enddate", problems)
    kinds = table["JME Type"].str.strip().str.casefold()
    strange = kinds.notna() & ~kinds.isin(list(_JME_TYPE_CPX))
    if strange.any():
        row = int(np.flatnonzero(strange.to_numpy())[0])
        raise SourceFormatError(path, f"{table['JME Type'].iat[row]!r} is not a JME type "
                                      f"({', '.join(_JME_TYPE_CPX)})", line=row + 2,
                                column="JME Type")
    cpx = pd.Series(pd.array([None if pd.isna(k) else _JME_TYPE_CPX[k] for k in kinds],
                             dtype="Int8"))
    exercises = _exercises(ids, table["Exercise Name"], starts, ends, {"cpx": cpx})
    out = _participants(table, JME_SLOTS, exercises, "jme")
    out.attrs["undated"] = int(table["s.year"].isna().sum())
    out.attrs["dated_from_text"] = from_text
    out.attrs["date_problems"] = problems
    return out


_load_mme = cached_by_file(parse_mme)
_load_jme = cached_by_file(parse_jme)


def load_mme(data_dir: Path | str | None = None) -> pd.DataFrame:
    """MME exercises, one row per exercise and participant (columns: the module docstring).

    ``exercise_id`` is the MMEID; ``year`` the start year; the type flags are 0/1 (``Int8``).
    ``attrs`` holds ``crosswalk`` (names with no COW code), ``duplicate_ids`` (MMEIDs the file
    gives to two exercises, numbered ``-1``, ``-2``), ``duplicate_participants``,
    ``end_before_start`` and ``no_named_participants`` (exercises with only ``-9``).
    """
    return _load_mme(source_path("mme", "mme_v7.csv", data_dir)).copy(deep=False)


def load_jme(data_dir: Path | str | None = None) -> pd.DataFrame:
    """JME exercises, one row per exercise and participant (columns: the module docstring).

    ``exercise_id`` is ``jme`` and the row's number in the file; only ``cpx`` is known among the
    type flags (from ``JME Type``; ``Unsure`` is missing). Participant codes are trimmed and
    mapped with the crosswalk; free text (``8 NATO members``) is reported, never guessed.
    ``attrs`` holds what :func:`load_mme` gives, plus ``undated`` (rows with a blank ``s.year``),
    ``dated_from_text`` (of those, dated from the written ``Start Date``) and
    ``date_problems`` (cells that are not dates: exercise, column, problem).
    """
    return _load_jme(source_path("jme", "jme_v3.csv", data_dir)).copy(deep=False)
