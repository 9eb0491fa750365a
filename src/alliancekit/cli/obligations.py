"""``alliancekit obligations``: who is pledged to defend whom, with conditions and reasons."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from alliancekit.cli._common import CarryForward, CertainOnly, DataDir, parse_list
from alliancekit.cli._output import FormatOption, choose_format
from alliancekit.errors import UsageError

if TYPE_CHECKING:
    from alliancekit.obligations.engine import Answer, Obligations

app = typer.Typer(help="Who has pledged what to whom on a day, under which conditions.",
                  no_args_is_help=True)

On = Annotated[str, typer.Option("--on", help="The day, YYYY-MM-DD.")]
Sources = Annotated[
    str, typer.Option(help="atop, curated or both (default: both; ATOP is skipped with a note "
                           "when its files are not found).")
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON (the same as --format json).")]
State = Annotated[str, typer.Argument(help="COW code, COW or ISO abbreviation, or name.")]


def _engine(sources: str, data_dir: DataDir, carry_forward: bool = True,
            certain_only: bool = False) -> Obligations:
    from alliancekit.obligations.engine import Obligations

    return Obligations(tuple(parse_list(sources)), data_dir=data_dir,
                       carry_forward=carry_forward,
                       certainty="certain" if certain_only else "any")


def _check(sources: str, on: str, *states: str | None) -> None:
    """Every argument checked before anything is loaded, so a typo is reported at once."""
    from alliancekit.curated.pledges import check_alliance_sources
    from alliancekit.curated.query import parse_day
    from alliancekit.names import resolve_state

    check_alliance_sources(parse_list(sources))
    parse_day(on)
    for state in states:
        if state is not None:
            resolve_state(state)


_SHOWN = ("state", "state_name", "counterpart", "counterpart_name", "obligation", "agreement",
          "name", "source", "start", "end", "carried", "certainty", "status", "explanation",
          "citation")


def _show(answer: Answer, fmt: str, *, defenders: bool = False) -> None:
    from alliancekit.cli._output import emit, plural, print_json, print_table, records

    frame = answer.frame
    if fmt == "json":
        print_json(answer.to_dict())
        return
    if fmt == "csv":
        emit(frame[list(_SHOWN)], "csv", title=answer.question, notes=answer.notes)
        return
    typer.echo(answer.question)
    for note in answer.notes:
        typer.echo(f"note: {note}")
    if frame.empty:
        typer.echo("No pledge in force.")
        return
    states = frame["state"].nunique()
    title = plural(len(frame), "pledge") + (
        f" from {plural(states, 'state')}" if defenders else "")
    if defenders:
        counting = answer.defenders()
        title += f"; {plural(int(counting['counts'].sum()), 'state')} count as defenders"
    rows = [(f"{r['state_name']} ({r['state']})", f"{r['counterpart_name']} ({r['counterpart']})",
             r["obligation"], r["agreement"], r["status"], "carried" if r["carried"] else "")
            for r in records(frame[["state", "state_name", "counterpart", "counterpart_name",
                                    "obligation", "agreement", "status", "carried"]])]
    print_table(rows, ("state", "counterpart", "obligation", "agreement", "status", "carried"),
                title=title)
    if frame["carried"].any():
        typer.echo("carried: in force at ATOP's last coding (31 December 2018) and carried on "
                   "because no later record ends it (--no-carry-forward to leave out)")
    typer.echo("Why")
    for explanation, citation in zip(frame["explanation"], frame["citation"], strict=True):
        typer.echo(f"- {explanation} Source: {citation}")


@app.command("defenders")
def defenders(
    target: State,
    on: On,
    attacker: Annotated[str | None, typer.Option(help="The attacking state.")] = None,
    location: Annotated[str | None, typer.Option(help="Where the attack happens.")] = None,
    sources: Sources = "atop,curated",
    carry_forward: CarryForward = True,
    certain_only: CertainOnly = False,
    fmt: FormatOption = None,
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """The states pledged to defend TARGET on a day, each condition checked.

    Example: alliancekit obligations defenders SAU --on 2025-10-01 --attacker IRN

    Example: alliancekit obligations defenders MLI --on 2024-06-01 --no-carry-forward

    Example: alliancekit obligations defenders 2 --on 1962-10-22 --format json
    """
    chosen = choose_format(fmt, as_json=as_json)
    _check(sources, on, target, attacker)
    engine = _engine(sources, data_dir, carry_forward, certain_only)
    _show(engine.defenders_of(target, on, attacker=attacker, location=location), chosen,
          defenders=True)


@app.command("pledges-by")
def pledges_by(state: State, on: On, sources: Sources = "atop,curated",
               carry_forward: CarryForward = True, certain_only: CertainOnly = False,
               fmt: FormatOption = None, as_json: Json = False,
               data_dir: DataDir = None) -> None:
    """Every pledge STATE had in force on a day.

    Example: alliancekit obligations pledges-by TUR --on 2018-06-01
    """
    chosen = choose_format(fmt, as_json=as_json)
    _check(sources, on, state)
    engine = _engine(sources, data_dir, carry_forward, certain_only)
    _show(engine.pledges_by(state, on), chosen)


@app.command("between")
def between(a: State, b: State, on: On, sources: Sources = "atop,curated",
            carry_forward: CarryForward = True, certain_only: CertainOnly = False,
            fmt: FormatOption = None, as_json: Json = False,
            data_dir: DataDir = None) -> None:
    """The obligations between two states on a day, both directions.

    Example: alliancekit obligations between MLI GHA --on 2025-06-01
    """
    chosen = choose_format(fmt, as_json=as_json)
    _check(sources, on, a, b)
    engine = _engine(sources, data_dir, carry_forward, certain_only)
    _show(engine.obligations_between(a, b, on), chosen)


def _cascade_rule(cascade: bool, rule: str) -> str:
    if rule not in ("attacked", "chain"):
        raise UsageError(f"--cascade-rule {rule!r}: choose attacked or chain")
    return rule if cascade else "none"


def simulate_command(
    scenario: Annotated[Path, typer.Argument(help="A .yaml or .json scenario file.")],
    draws: Annotated[int, typer.Option(help="Monte Carlo draws.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same result).")] = 1,
    honoured: Annotated[
        str, typer.Option(help="How likely a defence or offence pledge is honoured: "
                               "'empirical' (rates from COW wars for the day's era, with their "
                               "uncertainty; chosen by the backtest) or a fixed probability "
                               "such as 0.745 (Leeds, Long and Mitchell 2000).")
    ] = "empirical",
    conditional: Annotated[
        float, typer.Option(help="Multiplier when a pledge's condition cannot be checked.")
    ] = 1.0,
    cascade: Annotated[
        bool, typer.Option("--cascade/--no-cascade",
                           help="Let joining pull in more states: an attacker becomes "
                                "attacked once a state joins the target side, so its allies' "
                                "pledges fire (a state that joins is not itself attacked).")
    ] = False,
    cascade_rule: Annotated[
        str, typer.Option(help="With --cascade: 'attacked' (the stated rule) or 'chain' (every "
                               "joiner counts as attacked; the older rule, for comparison).")
    ] = "attacked",
    sources: Sources = "atop,curated",
    carry_forward: CarryForward = True,
    certain_only: CertainOnly = False,
    fmt: FormatOption = None,
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """Assess a crisis scenario and simulate who joins each side.

    Example: alliancekit simulate examples/scenarios/july1914.yaml --draws 10000 --seed 1 --cascade

    Example: alliancekit simulate examples/scenarios/iran_saudi_2025.yaml --format json

    Example: alliancekit simulate examples/scenarios/iran_saudi_2025.yaml --cascade
    --honoured 0.745

    A scenario file names attackers, targets and the day, e.g.
    attackers: [AUH] / targets: [345] / on: 1914-07-28 (see examples/scenarios/).
    """
    from alliancekit.cli._output import emit, human, print_json, print_table, records
    from alliancekit.obligations.scenario import Scenario, assess
    from alliancekit.obligations.simulation import cascade_path, simulate
    from alliancekit.reliability.empirical import empirical_rates, parse_honoured

    chosen = choose_format(fmt, as_json=as_json)
    fixed = parse_honoured(honoured, "--honoured")
    mode = _cascade_rule(cascade, cascade_rule)
    plan = Scenario.from_file(scenario)
    _check(sources, plan.on.isoformat())
    engine = _engine(sources, data_dir, carry_forward, certain_only)
    assessment = assess(engine, plan, data_dir=data_dir)
    found = empirical_rates(plan.on, data_dir) if fixed is None else None
    if fixed is None and found is None:
        assessment.notes.append("honoured: the empirical rates need ATOP and the COW war data, "
                                "which were not found; the fixed 0.745 is used")
    chance = 0.745 if fixed is None else fixed
    result = simulate(engine, plan, draws=draws, seed=seed,
                      probabilities={"defence": chance, "offence": chance},
                      rates=None if found is None else found[0],
                      rates_source="" if found is None else found[1],
                      conditional=conditional, cascade=mode, data_dir=data_dir)
    path = cascade_path(engine, plan, mode) if mode != "none" else None
    notes = [f"sources: {', '.join(engine.sources)}", *assessment.notes]
    if chosen == "json":
        print_json({
            "scenario": plan.describe(), "notes": notes,
            "states": records(assessment.states), "pledges": records(assessment.pledges),
            "capabilities": assessment.capabilities,
            "cascade": None if path is None else records(path),
            "simulation": {"joins": records(result.joins), "ratio": result.ratio,
                           "assumptions": result.assumptions},
        })
        return
    if chosen == "csv":
        emit(result.joins, "csv", title=plan.describe(), notes=notes)
        return
    typer.echo(plan.describe())
    for note in notes:
        typer.echo(f"note: {note}")
    states = assessment.states
    columns = [c for c in ("role", "certain", "possible", "cinc", "milex_usd2022_m",
                           "milex_year") if c in states]
    print_table(([f"{r['state_name']} ({r['state']})", *(r[c] for c in columns)]
                 for r in records(states)), ["state", *columns],
                title="Who stands where (pledges as of the day)")
    typer.echo("Why")
    for row in assessment.pledges.itertuples(index=False):
        if row.status != "does not apply":
            typer.echo(f"- {row.explanation}")
    capabilities = assessment.capabilities
    if capabilities:
        year = capabilities.get("cinc_year")
        print_table(
            ([level, *(capabilities[level].get(k) for k in (
                "attacker_side", "target_side", "ratio_target_to_attacker",
                "attacker_side_milex_usd2022_m", "target_side_milex_usd2022_m"))]
             for level in ("certain", "possible")),
            ["pledges counted", "attacker side CINC", "target side CINC",
             "ratio (target/attacker)", "attacker side spending (2022 US$ m)",
             "target side spending (2022 US$ m)"],
            title=f"Capabilities (CINC {year}): certain counts pledges that apply, possible "
                  "also conditional ones")
    if path is not None:
        typer.echo(f"Cascade ({mode} rule) with every pledge honoured")
        if path.empty:
            typer.echo("No state is pulled in.")
        for row in path.itertuples(index=False):
            typer.echo(f"round {row.round}: {row.state_name} joins the {row.side} side: "
                       f"{row.why}")
    joins = result.joins
    print_table(([f"{r['state_name']} ({r['state']})", r["p_target_side"],
                  r["p_attacker_side"], *(r[c] for c in joins.columns
                                          if c not in ("state", "state_name", "p_target_side",
                                                       "p_attacker_side"))]
                 for r in records(joins)),
                ["state", "P(joins target side)", "P(joins attacker side)",
                 *(c for c in joins.columns if c not in ("state", "state_name", "p_target_side",
                                                         "p_attacker_side"))],
                title=f"Simulated probability of joining each side ({draws:,} draws, "
                      f"seed {seed})")
    typer.echo("capability ratio (target side / attacker side): "
               + "; ".join(f"{k}: {human(v)}" for k, v in result.ratio.items()))
    for line in result.assumptions:
        typer.echo(f"assumption: {line}")
