"""``alliancekit obligations``: who is pledged to defend whom, with conditions and reasons."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from alliancekit.cli._common import DataDir, parse_list

if TYPE_CHECKING:
    from alliancekit.obligations.engine import Answer, Obligations

app = typer.Typer(help="Who has pledged what to whom on a day, under which conditions.",
                  no_args_is_help=True)

On = Annotated[str, typer.Option("--on", help="The day, YYYY-MM-DD.")]
Sources = Annotated[
    str, typer.Option(help="atop, curated or both (default: both; ATOP is skipped with a note "
                           "when its files are not found).")
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
State = Annotated[str, typer.Argument(help="COW code, COW or ISO abbreviation, or name.")]


def _engine(sources: str, data_dir: DataDir) -> Obligations:
    from alliancekit.obligations.engine import Obligations

    return Obligations(tuple(parse_list(sources)), data_dir=data_dir)


def _show(answer: Answer, as_json: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    if as_json:
        typer.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2, default=str))
        return
    console = Console()
    console.print(f"[bold]{answer.question}[/bold]")
    for note in answer.notes:
        console.print(f"note: {note}")
    if answer.frame.empty:
        console.print("No pledge in force.")
        return
    table = Table(title=f"{len(answer.frame)} pledges")
    for column in ("state", "counterpart", "obligation", "agreement", "status"):
        table.add_column(column)
    for row in answer.frame.itertuples(index=False):
        table.add_row(f"{row.state_name} ({row.state})",
                      f"{row.counterpart_name} ({row.counterpart})", str(row.obligation),
                      str(row.agreement), str(row.status))
    console.print(table)
    console.print("[bold]Why[/bold]")
    for row in answer.frame.itertuples(index=False):
        console.print(f"- {row.explanation} Source: {row.citation}", highlight=False)


@app.command("defenders")
def defenders(
    target: State,
    on: On,
    attacker: Annotated[str | None, typer.Option(help="The attacking state.")] = None,
    location: Annotated[str | None, typer.Option(help="Where the attack happens.")] = None,
    sources: Sources = "atop,curated",
    as_json: Json = False,
    data_dir: DataDir = None,
) -> None:
    """The states pledged to defend TARGET on a day, each condition checked.

    Example: alliancekit obligations defenders SAU --on 2025-10-01 --attacker IRN
    """
    _show(_engine(sources, data_dir).defenders_of(target, on, attacker=attacker,
                                                  location=location), as_json)


@app.command("pledges-by")
def pledges_by(state: State, on: On, sources: Sources = "atop,curated", as_json: Json = False,
               data_dir: DataDir = None) -> None:
    """Every pledge STATE had in force on a day.

    Example: alliancekit obligations pledges-by TUR --on 2018-06-01
    """
    _show(_engine(sources, data_dir).pledges_by(state, on), as_json)


@app.command("between")
def between(a: State, b: State, on: On, sources: Sources = "atop,curated",
            as_json: Json = False, data_dir: DataDir = None) -> None:
    """The obligations between two states on a day, both directions.

    Example: alliancekit obligations between TUR AZE --on 2022-03-01
    """
    _show(_engine(sources, data_dir).obligations_between(a, b, on), as_json)
