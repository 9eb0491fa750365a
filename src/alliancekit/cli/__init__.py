"""The ``alliancekit`` command: one module per command group, errors printed as ``Error: ...``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from alliancekit._version import __version__
from alliancekit.cli import (
    cite,
    data,
    groups,
    network,
    obligations,
    overview,
    panel,
    profile,
    serve,
    similarity,
)
from alliancekit.errors import AlliancekitError

app = typer.Typer(
    name="alliancekit",
    help="Alliance and military-cooperation panels, the way peace science expects them.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"alliancekit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Alliance and military-cooperation panels, the way peace science expects them.

    Example: alliancekit obligations defenders SAU --on 2025-10-01 --attacker IRN
    """


app.add_typer(data.app, name="data")
app.add_typer(panel.app, name="panel")
app.add_typer(groups.groups_app, name="groups")
app.add_typer(groups.records_app, name="records")
app.add_typer(network.app, name="network")
app.add_typer(obligations.app, name="obligations")
app.command("simulate")(obligations.simulate_command)
app.command("profile")(profile.profile)
app.command("serve")(serve.serve)
app.command("cite")(cite.cite)
app.command("overview")(overview.overview)
app.command("similarity")(similarity.similarity)


def main() -> None:
    """Run the command line; our own errors become one ``Error:`` line and exit status 1."""
    try:
        app()
    except AlliancekitError as exc:
        typer.echo(f"Error: {exc}", err=True)
        sys.exit(1)
