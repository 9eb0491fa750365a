"""The JSON API under ``/api``: states, agreements, pledges, defenders, scenarios, similarity,
the network and panel exports.

Every error has one shape, ``{"error": {"status", "code", "message", "field"}}``: invalid input
is a 4xx naming the field (``field`` is the parameter or body field, or null), never a stack
trace.
"""

from __future__ import annotations

import datetime
import json
import math
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Annotated, Any, Literal

import anyio
import anyio.to_thread
import numpy as np
import pandas as pd
from fastapi import APIRouter, Body, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field, field_validator

import alliancekit as ak
from alliancekit.curated.model import OBLIGATION_TYPES
from alliancekit.curated.records import load_agreements, load_groups
from alliancekit.errors import UsageError
from alliancekit.measures.network import (
    check_obligations,
    graph_measures,
    pledge_graph,
    yearly_graphs,
)
from alliancekit.measures.similarity import MEASURES, check_measures
from alliancekit.names import resolve_state, state_name
from alliancekit.obligations.engine import Answer
from alliancekit.obligations.scenario import Scenario, assess
from alliancekit.obligations.simulation import HONOURED, cascade_path, simulate
from alliancekit.obligations.wording import ENGLISH, Wording
from alliancekit.panels.catalog import ADDERS, STEP_SOURCES, apply, resolve
from alliancekit.reliability.empirical import empirical_rates
from alliancekit.reliability.rates import BY as RELIABILITY_BY
from alliancekit.reliability.rates import reliability_rates
from alliancekit.settings import limit, seconds
from alliancekit.sources import REGISTRY
from alliancekit.web.context import Explorer

router = APIRouter(prefix="/api")


class ApiError(Exception):
    """An error the API reports with a status and the field it concerns."""

    def __init__(self, status: int, message: str, field: str | None = None,
                 code: str = "bad_request") -> None:
        super().__init__(message)
        self.status, self.message, self.field, self.code = status, message, field, code


class ErrorBody(BaseModel):
    """The body of every error response."""

    status: int
    code: str
    message: str
    field: str | None = None


class ErrorResponse(BaseModel):
    """``{"error": {...}}``: the one error shape."""

    error: ErrorBody


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Invalid input; names the field"},
    404: {"model": ErrorResponse, "description": "Unknown state, agreement or year"},
    405: {"model": ErrorResponse, "description": "Method not allowed (see the Allow header)"},
    409: {"model": ErrorResponse, "description": "A name that matches several states"},
    413: {"model": ErrorResponse, "description": "Body larger than 256 KB"},
    414: {"model": ErrorResponse, "description": "Query longer than 2 KB or path than 1 KB"},
    422: {"model": ErrorResponse, "description": "Malformed parameter or body"},
    503: {"model": ErrorResponse, "description": "A needed dataset is not available"},
}


def explorer(request: Request) -> Explorer:
    """The app's :class:`Explorer`, up to date with the published records."""
    value: Explorer = request.app.state.explorer
    value.refresh()
    return value


async def _context(request: Request) -> Explorer:
    # async: a plain lookup need not be handed to a worker thread
    return explorer(request)


Context = Annotated[Explorer, Depends(_context)]

# What the parameters accept, in the OpenAPI document too.
STATE_PATTERN = r"^(?:[0-9]{1,4}|[A-Za-z][A-Za-z .'()&-]{0,59})$"
STATE_HELP = "COW code (670), COW or ISO abbreviation (SAU) or English name"
YEARS_PATTERN = r"^[0-9]{4}(?:-[0-9]{4})?$"


def _choices(names: Sequence[str]) -> str:
    """A pattern for a comma-separated list of ``names``."""
    one = "|".join(re.escape(n) for n in names)
    return rf"^(?:{one})(?:,(?:{one}))*$"


StatePath = Annotated[str, Path(pattern=STATE_PATTERN, max_length=60, description=STATE_HELP)]
Day = Annotated[datetime.date | None, Query(description="The day (YYYY-MM-DD); default today")]


class JSONAnswer(JSONResponse):
    """JSON written straight from the answer (compact, UTF-8), skipping FastAPI's generic
    encoder: the quick answers below build only plain values, so the encoder's walk over
    every value is wasted time."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, allow_nan=False,
                          separators=(",", ":")).encode("utf-8")


def _state(text: str, field: str) -> int:
    try:
        return resolve_state(text, field)
    except UsageError as exc:
        text = str(exc)
        status, code = (409, "ambiguous_state") if "ambiguous" in text else \
            (404, "unknown_state") if "no state" in text or "no COW state" in text else \
            (400, "bad_state")
        raise ApiError(status, text, field, code) from None


def _day(text: datetime.date | str | None, field: str = "on") -> datetime.date:
    if text is None:
        return datetime.date.today()
    if isinstance(text, datetime.date):
        return text
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ApiError(400, f"{field} {text!r}: give a day as YYYY-MM-DD", field) from None


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-safe records (dates as ISO text, missing as null)."""
    out = []
    for row in frame.to_dict("records"):
        clean: dict[str, Any] = {}
        for key, value in row.items():
            if isinstance(value, pd.Timestamp):
                clean[str(key)] = value.date().isoformat()
            elif value is None or (isinstance(value, float) and math.isnan(value)) \
                    or value is pd.NaT or value is pd.NA:
                clean[str(key)] = None
            elif hasattr(value, "item"):
                clean[str(key)] = value.item()
            else:
                clean[str(key)] = value
        out.append(clean)
    return out


def _require(context: Explorer, *sources: str) -> None:
    missing = [s for s in sources if not context.available.get(s)]
    if missing:
        raise ApiError(503, f"needs {', '.join(missing)}, not found on this server "
                            "(alliancekit data list shows how to get them)",
                       code="source_missing")


@router.get("/sources", summary="The datasets this server found", responses=ERRORS)
async def list_sources(context: Context) -> dict[str, Any]:
    """Each registered dataset with its version and coverage and whether this server found it
    (the curated records always serve)."""
    return {"sources": [
        {"name": name, "title": source.title, "version": source.version,
         "coverage": list(source.coverage), "found": bool(context.available.get(name)),
         "how_to_get": source.how_to_get()}
        for name, source in sorted(REGISTRY.items())],
        "curated": "the curated records shipped with alliancekit"}


@router.get("/states", summary="Every state the explorer knows", responses=ERRORS)
async def list_states(context: Context) -> dict[str, Any]:
    """COW code, COW abbreviation, ISO3 code and name of every state."""
    return {"states": _records(context.states)}


@router.get("/states/{state}", summary="A state's pledges and partners on a day",
            responses=ERRORS)
async def get_state(context: Context, state: StatePath, on: Day = None) -> dict[str, Any]:
    """The state's pledges given and received on ``on`` and its partners (strongest tie)."""
    code = _state(state, "state")
    day = _day(on)
    given = context.engine.pledges_by(code, day)
    received = context.engine.pledges_to(code, day)
    return {"state": {"ccode": code, "name": _name(code)}, "on": day.isoformat(),
            "partners": _records(context.ties(code, day)),
            "pledges_given": _pledge_rows(given),
            "pledges_received": _pledge_rows(received),
            "notes": given.notes}


_PLEDGE_COLUMNS = ("state", "state_name", "counterpart", "counterpart_name", "agreement", "name",
                   "obligation", "source", "start", "end", "carried", "certainty", "status",
                   "explanation", "citation")


def _pledge_rows(answer: Answer, *, conditions: bool = False) -> list[dict[str, Any]]:
    """An answer's pledges for JSON (with each condition checked when ``conditions``)."""
    columns = (*_PLEDGE_COLUMNS, "conditions") if conditions else _PLEDGE_COLUMNS
    return [{c: row[c] for c in columns} for row in answer.pledge_records()]


def _name(code: int) -> str:
    return state_name(code)


@router.get("/agreements", summary="The curated agreements", responses=ERRORS)
async def list_agreements() -> dict[str, Any]:
    """Id, name, kind, dates, member count and ATOP link of each curated agreement."""
    return agreements_list()


def agreements_list() -> dict[str, Any]:
    """Id, name, kind, dates, member count and ATOP link of each curated agreement."""
    return {"agreements": [
        {"id": a.id, "name": a.name_en, "kind": a.kind,
         "signed": str(a.signed) if a.signed else None,
         "ended": str(a.ended) if a.ended else None, "members": len(a.members),
         "atopid": a.atopid} for a in load_agreements()]}


@router.get("/agreements/{agreement}", summary="An agreement with members, obligations and "
                                               "sources", responses=ERRORS)
async def get_agreement(agreement: str) -> dict[str, Any]:
    """Everything the record says, each fact with its sources."""
    return agreement_record(agreement)


def agreement_record(agreement: str) -> dict[str, Any]:
    """Everything the record says, each fact with its sources."""
    found = {a.id: a for a in [*load_agreements(), *load_groups().values()]}
    if agreement not in found:
        raise ApiError(404, f"agreement {agreement!r} is not a curated record; known: "
                            + ", ".join(sorted(found)), "agreement", "unknown_agreement")
    a = found[agreement]
    return {
        "id": a.id, "name": a.name_en, "name_ar": a.name_ar, "kind": a.kind,
        "signed": str(a.signed) if a.signed else None,
        "in_force": str(a.in_force) if a.in_force else None,
        "ended": str(a.ended) if a.ended else None, "atopid": a.atopid,
        "institutions": list(a.institutions), "notes": a.notes, "gaps": list(a.gaps),
        "members": [{"state": m.state, "name": _name(m.state) if isinstance(m.state, int)
                     else str(m.state), "entry": str(m.entry),
                     "exit": str(m.exit) if m.exit else None, "certainty": m.certainty,
                     "sources": list(m.sources), "note": m.note} for m in a.members],
        "obligations": [{"type": o.type, "pledged_by": o.pledged_by, "pledged_to": o.pledged_to,
                         "conditions": {"adversary": o.conditions.adversary,
                                        "location": o.conditions.location,
                                        "non_provocation": o.conditions.non_provocation},
                         "text": o.text, "certainty": o.certainty, "sources": list(o.sources)}
                        for o in a.obligations],
        "sources": [{"id": s.id, "url": s.url, "published": s.published,
                     "publisher": s.publisher, "supports": s.supports} for s in a.sources],
    }


@router.get("/defenders/{target}", summary="Who is pledged to defend a state on a day",
            responses=ERRORS, response_class=JSONAnswer)
async def defenders(context: Context, target: StatePath, on: Day = None,
                    attacker: Annotated[str | None,
                                        Query(description="The attacking state: " + STATE_HELP,
                                              pattern=STATE_PATTERN, max_length=60)] = None
                    ) -> JSONAnswer:
    """Each pledge with its conditions checked and explained (as the CLI's --json).

    Answered on the server's event loop: the engine looks only at the target's pledges, a
    fraction of a millisecond, less than handing the work to a thread would cost."""
    code = _state(target, "target")
    foe = None if attacker is None else _state(attacker, "attacker")
    answer = context.engine.defenders_of(code, _day(on), attacker=foe)
    return JSONAnswer({"question": answer.question, "notes": answer.notes,
                       "defenders": answer.defender_rows(),
                       "pledges": _pledge_rows(answer, conditions=True)})


MAX_SIDE = limit("MAX_SIDE", 50)  # attackers or targets in one scenario


class ScenarioBody(BaseModel):
    """A crisis scenario to simulate."""

    attackers: list[Annotated[str, Field(pattern=STATE_PATTERN, max_length=60)]] = Field(
        min_length=1, max_length=MAX_SIDE, description="Attacking states: " + STATE_HELP)
    targets: list[Annotated[str, Field(pattern=STATE_PATTERN, max_length=60)]] = Field(
        min_length=1, max_length=MAX_SIDE, description="Attacked states: " + STATE_HELP)
    on: datetime.date = Field(description="The day, YYYY-MM-DD")
    location: str | None = Field(default=None, max_length=200)
    draws: int = Field(default=2000, ge=1, le=100_000)
    seed: int = Field(default=1, ge=0, le=2**32 - 1, description="Random seed, 0 to 2**32 - 1")
    cascade: bool = Field(default=False, description=(
        "Let joining pull in more states: a pledge fires when its partner is attacked; an "
        "attacker becomes attacked once a state joins the target side; a state that joins "
        "is not itself attacked."))
    cascade_rule: Literal["attacked", "chain"] = Field(default="attacked", description=(
        "With cascade: 'attacked' (the stated rule) or 'chain' (every joiner counts as "
        "attacked; the older rule, kept for comparison)"))
    honoured: float | Literal["empirical"] = Field(default="empirical", description=(
        "'empirical' (rates from COW inter-state wars for the day's era, with their "
        "uncertainty; chosen by the backtest) or a fixed probability from 0 to 1 "
        "(0.745: Leeds, Long and Mitchell 2000)"))

    @field_validator("honoured")
    @classmethod
    def _probability(cls, value: float | str) -> float | str:
        if isinstance(value, float | int) and not 0 <= value <= 1:
            raise ValueError("give 'empirical' or a probability from 0 to 1")
        return value


# The longest a computed answer may take before its work is stopped (seconds).
TIME_BUDGET = seconds("TIME_BUDGET", 20.0)


@router.post("/scenarios", summary="Assess and simulate a crisis scenario", responses=ERRORS)
async def scenario_route(request: Request, context: Context,
                         body: Annotated[ScenarioBody, Body()]) -> dict[str, Any]:
    """Sides, cross-pressured states, capabilities and the simulated join probabilities.

    The simulation runs in a worker thread and is stopped (503, ``interrupted``) when it
    passes the time budget (20 s) or the client goes away."""
    cancel = threading.Event()
    deadline = time.monotonic() + TIME_BUDGET

    def stop() -> bool:
        return cancel.is_set() or time.monotonic() > deadline

    async def watch() -> None:
        while not cancel.is_set():
            if await request.is_disconnected():
                cancel.set()
                return
            await anyio.sleep(0.2)

    answer: dict[str, Any] = {}
    failure: Exception | None = None
    async with anyio.create_task_group() as tasks:
        tasks.start_soon(watch)
        try:
            answer = await anyio.to_thread.run_sync(partial(scenario, context, body, stop=stop))
        except Exception as exc:  # raised below, outside the task group (not as a group)
            failure = exc
        finally:
            cancel.set()
            tasks.cancel_scope.cancel()
    if failure is not None:
        raise failure
    return answer


def scenario(context: Explorer, body: ScenarioBody,
             stop: Callable[[], bool] | None = None, words: Wording = ENGLISH
             ) -> dict[str, Any]:
    """The scenario's answer (see :func:`scenario_route`); ``stop`` as for ``simulate``; the
    explanations worded by ``words`` (the pages pass their language's)."""
    attackers = tuple(_state(s, "attackers") for s in body.attackers)
    targets = tuple(_state(s, "targets") for s in body.targets)
    if set(attackers) & set(targets):
        raise ApiError(400, "a state cannot be both attacker and target", "targets")
    plan = Scenario(attackers, targets, body.on, body.location)
    assessment = assess(context.engine, plan, data_dir=context.data_dir, words=words)
    mode = body.cascade_rule if body.cascade else "none"
    found = (empirical_rates(plan.on, context.data_dir) if body.honoured == "empirical"
             else None)
    if body.honoured == "empirical" and found is None:
        assessment.notes.append("honoured: the empirical rates need ATOP and the COW war data, "
                                "which this server does not have; the fixed 0.745 is used")
    chance = body.honoured if isinstance(body.honoured, float | int) else HONOURED
    try:
        result = simulate(context.engine, plan, draws=body.draws, seed=body.seed,
                          probabilities={"defence": chance, "offence": chance},
                          rates=None if found is None else found[0],
                          rates_source="" if found is None else found[1],
                          cascade=mode, data_dir=context.data_dir, stop=stop)
    except UsageError as exc:  # the limits on draws and seed, named by their field
        field = str(exc).partition("=")[0]
        raise ApiError(400, str(exc), field if field in ("draws", "seed") else None) from None
    return {"scenario": plan.describe(), "notes": assessment.notes,
            "states": _records(assessment.states), "pledges": _records(assessment.pledges),
            "capabilities": assessment.capabilities,
            "simulation": {"joins": _records(result.joins), "ratio": result.ratio,
                           "assumptions": result.assumptions},
            "cascade": (_records(cascade_path(context.engine, plan, mode, words=words))
                        if body.cascade
                        else None)}


def _years(text: str, field: str = "years") -> tuple[int, int]:
    """``"1990-2018"`` as ``(1990, 2018)``; a range with no year in it (the last before the
    first) names no data: 404, like a year outside the data."""
    found = re.fullmatch(YEARS_PATTERN, text)
    if not found:
        raise ApiError(422, f"{field} {text!r}: give a year or a range such as 1990-2018", field,
                       "invalid")
    first, _, last = text.partition("-")
    span = int(first), int(last or first)
    if span[1] < span[0]:
        raise ApiError(404, f"{field} {text!r}: no year from {span[0]} to {span[1]}", field,
                       "unknown_year")
    return span


@router.get("/reliability", summary="Shares of alliance pledges honoured in past wars",
            responses=ERRORS)
def reliability(context: Context,
                events: Annotated[Literal["wars", "ucdp"], Query(
                    description="wars: COW inter-state wars 1816-2003; ucdp: UCDP interstate "
                                "and internationalized conflicts 1946-2024")] = "wars",
                by: Annotated[str, Query(description="comma-separated groupings",
                                         pattern=_choices(list(RELIABILITY_BY)))]
                = "era,obligation") -> dict[str, Any]:
    """Pledges honoured when a partner was at war, by group, with counts and 95% Wilson
    intervals (docs/reliability.md gives the rules: who counts as attacked, timing,
    conditions, the joining window)."""
    _require(context, "atop", "atop_ddyr", "cow_wars" if events == "wars" else "ucdp_acd")
    groups = [b.strip() for b in by.split(",") if b.strip()]
    cases = context.reliability_cases(events)
    return {"events": events, "by": groups,
            "rates": _records(reliability_rates(cases, groups)),
            "notes": [f"{len(cases):,} pledges in play at {cases['event_id'].nunique():,} "
                      f"onsets; {int(cases['honoured'].notna().sum()):,} invoked",
                      "share: honoured / invoked; low-high: 95% Wilson interval"]}


@router.get("/similarity/{a}/{b}", summary="Alliance-portfolio similarity of a dyad over time",
            responses=ERRORS)
def similarity(context: Context, a: StatePath, b: StatePath,
               years: Annotated[str, Query(description="e.g. 1990-2018",
                                           pattern=YEARS_PATTERN)] = "1990-2018",
               measures: Annotated[str, Query(description="comma-separated measure names",
                                              pattern=_choices(list(MEASURES)))]
               = "s_valued_absolute_unweighted,kappa_valued") -> dict[str, Any]:
    """The measures for the directed dyad (a, b), year by year (needs ATOP and COW)."""
    _require(context, "atop_ddyr", "cow_states")
    x, y = _state(a, "a"), _state(b, "b")
    first, last = _years(years)
    top = context.panel_last_year()
    if first > top or last < context.first_year():
        raise ApiError(404, f"years {years!r}: no year of it is in the data "
                            f"({context.first_year()}-{top})", "years", "unknown_year")
    first, last = max(first, context.first_year()), min(last, top)
    try:
        names = check_measures(list(dict.fromkeys(
            m.strip() for m in measures.split(",") if m.strip())))
    except UsageError as exc:
        raise ApiError(400, str(exc), "measures") from None
    panel = ak.create_dyadyears("cow", (first, last), mry=last > 2016,
                                data_dir=context.data_dir)
    panel = panel[(panel["ccode1"] == x) & (panel["ccode2"] == y)].reset_index(drop=True)
    out = ak.add_similarity(panel, measures=names, data_dir=context.data_dir)
    return {"a": {"ccode": x, "name": _name(x)}, "b": {"ccode": y, "name": _name(y)},
            "years": _records(out[["year", *names]])}


@router.get("/network/{year}", summary="The alliance network of a year with its blocs",
            responses=ERRORS)
def network(context: Context, year: int,
            obligations: Annotated[str, Query(description="comma-separated types",
                                              pattern=_choices(OBLIGATION_TYPES))] = "defence"
            ) -> dict[str, Any]:
    """Nodes (state, bloc, degree, centrality), edges and the year's measures."""
    try:
        wanted = check_obligations([o.strip() for o in obligations.split(",") if o.strip()])
    except UsageError as exc:
        raise ApiError(400, str(exc), "obligations") from None
    if not context.first_year() <= year <= context.last_year():
        raise ApiError(404, f"year {year}: give a year from {context.first_year()} to "
                            f"{context.last_year()}", "year", "unknown_year")
    sources = ("atop", "curated") if context.available.get("atop_ddyr") else ("curated",)
    if context.available.get("cow_states"):
        graphs = list(yearly_graphs((year, year), obligations=wanted, sources=sources,
                                    data_dir=context.data_dir))
    else:
        graphs = [_pledge_graph_of_day(context, year, wanted)]
    if not graphs:
        raise ApiError(404, f"year {year}: no state system or pledges recorded for it", "year",
                       "unknown_year")
    states, measures = graph_measures(graphs[0])
    states.insert(1, "name", [_name(int(c)) for c in states["ccode"]])
    return {"year": year, "obligations": wanted, "sources": list(sources),
            "measures": measures, "nodes": _records(states),
            "edges": [{"source": int(u), "target": int(v)} for u, v in graphs[0].edges]}


CSV_CHUNK_ROWS = 50_000


def _csv_chunks(frame: pd.DataFrame) -> Iterator[bytes]:
    """``frame`` as CSV, a chunk of rows at a time: the text of the whole panel is never held
    in memory, and the client receives rows as they are written."""
    for start in range(0, max(len(frame), 1), CSV_CHUNK_ROWS):
        yield frame.iloc[start:start + CSV_CHUNK_ROWS].to_csv(
            index=False, header=start == 0).encode("utf-8")


def _pledge_graph_of_day(context: Explorer, year: int, wanted: list[str]) -> Any:
    """Without the COW state system: the states with a pledge of the ``wanted`` types in force
    on the year's day, and those pledges, from the pledge table (non-directed)."""
    if not context.first_year() <= year <= context.last_year():
        raise ApiError(404, f"year {year}: outside {context.first_year()}-"
                            f"{context.last_year()}", "year", "unknown_year")
    engine = context.engine
    pledges = engine.table[engine.in_force(context.day_for(year))
                           & np.isin(engine.types, wanted)]
    states_only = np.array([isinstance(g, int | np.integer) and isinstance(r, int | np.integer)
                            for g, r in zip(pledges["giver"], pledges["receiver"], strict=True)],
                           dtype=bool)  # a boolean array even when no pledge is in force
    pledges = pledges[states_only]
    states = sorted(set(pledges["giver"]) | set(pledges["receiver"]))
    pairs = pledges.rename(columns={"giver": "ccode1", "receiver": "ccode2"})
    return pledge_graph(states, pairs, directed=False, year=year)


@router.get("/panels/dyad-years", summary="A dyad-year panel, paged or as a CSV file",
            responses={**ERRORS, 200: {"description": "JSON pages, or the CSV file with "
                                                      "format=csv",
                                       "content": {"application/json": {},
                                                   "text/csv": {"schema": {"type": "string"}}}}})
def panel_export(context: Context,
                 years: Annotated[str, Query(description="e.g. 2000-2005 (at most 51 years)",
                                             pattern=YEARS_PATTERN)] = "2010-2010",
                 add: Annotated[str, Query(description="e.g. atop,nmc",
                                           pattern=_choices(list(ADDERS)) + "|^$")] = "",
                 page: Annotated[int, Query(ge=1)] = 1,
                 page_size: Annotated[int, Query(ge=1, le=10_000)] = 1000,
                 format: Annotated[str, Query(pattern="^(json|csv)$")] = "json") -> Any:
    """Directed COW dyad-years with the ``add`` steps; JSON pages or the whole CSV."""
    _require(context, "cow_states")
    first, last = _years(years)
    if last - first > 50:
        raise ApiError(400, "years: at most 51 years per request", "years")
    try:
        steps = resolve([s.strip() for s in add.split(",") if s.strip()], ADDERS, "add")
    except UsageError as exc:
        raise ApiError(400, str(exc), "add") from None
    for name, _ in steps:
        _require(context, *STEP_SOURCES[name])
    frame = ak.create_dyadyears("cow", (first, last), mry=last > 2016,
                                data_dir=context.data_dir)
    for _, step in steps:
        frame = apply(frame, step, context.data_dir)
    if format == "csv":
        return StreamingResponse(_csv_chunks(frame), media_type="text/csv", headers={
            "Content-Disposition": f'attachment; filename="dyad_years_{first}_{last}.csv"'})
    start = (page - 1) * page_size
    return {"rows": len(frame), "page": page, "page_size": page_size,
            "pages": max(1, math.ceil(len(frame) / page_size)),
            "columns": list(frame.columns), "data": _records(frame.iloc[start:start + page_size])}
