"""The ``alliancekit`` command: one module per command group, errors printed as ``Error: ...``."""

from __future__ import annotations

import sys

import typer

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
