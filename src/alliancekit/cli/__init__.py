"""The ``alliancekit`` command: one module per command group, errors printed as ``Error: ...``."""

from __future__ import annotations

import gc
import signal
import sys
from typing import Annotated

import typer

from alliancekit._version import __version__
from alliancekit.cli import (
    cite,
    data,
    groups,
    ledger,
    network,
    obligations,
    overview,
    panel,
    profile,
    reliability,
    serve,
    similarity,
    sweep,
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
    debug: Annotated[bool, typer.Option("--debug", help="On a failure, show the traceback "
                                        "(accepted anywhere on the line).")] = False,
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
app.add_typer(sweep.app, name="sweep")
app.add_typer(ledger.app, name="ledger")
app.command("simulate")(obligations.simulate_command)
app.command("profile")(profile.profile)
app.command("serve")(serve.serve)
app.command("cite")(cite.cite)
app.command("overview")(overview.overview)
app.command("similarity")(similarity.similarity)
app.command("reliability")(reliability.reliability)
app.command("backtest")(reliability.backtest)


GC_YOUNG_OBJECTS = 100_000


def main() -> None:
    """Run the command line. Every failure ends in one ``Error: ...`` line on standard error
    and exit status 1 (2 for a malformed option, as the parser reports it); ``--debug``
    anywhere on the line shows the traceback instead. SIGTERM stops a command as Ctrl-C does,
    so a half-written output's temporary file is removed."""
    debug = "--debug" in sys.argv[1:]
    if debug:
        sys.argv.remove("--debug")
    signal.signal(signal.SIGTERM, _terminated)
    try:
        app()
    except AlliancekitError as exc:
        if debug:
            raise
        typer.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except Exception as exc:
        if debug:
            raise
        typer.echo(f"Error: {describe(exc)} (run again with --debug to see where)", err=True)
        sys.exit(1)


def run() -> None:
    """The ``alliancekit`` console script: :func:`main` in a process of its own, with the
    garbage collector set for a process that ends when the command does (not for callers of
    :func:`main` in a longer-lived process, such as a test session)."""
    # Start-up (pandas, pyarrow, typer) makes several hundred thousand long-lived objects and
    # no garbage: with the default threshold of 700 young objects the collector walks them
    # again and again (about 0.05 s of every command). Cycles are still collected, later.
    gc.set_threshold(GC_YOUNG_OBJECTS, 20, 20)
    try:
        main()
    finally:
        # Leave the objects alive at exit out of the interpreter's last garbage collections:
        # walking everything pandas and pyarrow create took 0.1-0.2 s of every command's wait.
        gc.freeze()


def describe(exc: BaseException) -> str:
    """A failure from outside our own errors, in one line: the file and the system's reason
    for an I/O error, else the error's type and message."""
    if isinstance(exc, OSError) and exc.strerror:
        where = exc.filename or ""
        return f"{where}: {exc.strerror}" if where else exc.strerror
    if isinstance(exc, MemoryError):
        return "out of memory; ask for fewer years, states or draws"
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply"
    text = " ".join(str(exc).split())[:300]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _terminated(number: int, frame: object) -> None:
    raise SystemExit(128 + number)
