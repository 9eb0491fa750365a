"""``alliancekit serve``: the explorer (JSON API and pages) on a local port."""

from __future__ import annotations

import errno
import os
import socket
from pathlib import Path
from typing import Annotated

import typer

from alliancekit.cli._common import DataDir
from alliancekit.errors import UsageError
from alliancekit.locations import RECORDS_SETTING


def check_port(host: str, port: int) -> None:
    """Refuse, before anything is announced or loaded, a port another program listens on."""
    if not 0 < port < 65536:
        raise UsageError(f"--port {port}: give a port between 1 and 65535")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(f"--port {port}: another program is listening on {host}:{port};"
                                 " stop it or give another port, e.g. --port "
                                 f"{port + 1}") from None
            raise UsageError(f"--host {host} --port {port}: cannot listen there "
                             f"({exc.strerror})") from None


def serve(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8000,
    host: Annotated[str, typer.Option(help="Address to listen on (keep 127.0.0.1 unless you "
                                           "mean to share it).")] = "127.0.0.1",
    workers: Annotated[
        int | None,
        typer.Option(help="Worker processes answering requests, each with the pledge index "
                          "loaded (default: one per CPU core, at most 4).",
                     show_default=False, min=1, max=64),
    ] = None,
    atlas: Annotated[
        Path | None,
        typer.Option(help="An exposure atlas (the --out of alliancekit sweep exposure) to show "
                          "as a map layer and on the state pages (default: ALLIANCEKIT_ATLAS).",
                     envvar="ALLIANCEKIT_ATLAS", show_default=False),
    ] = None,
    ledger: Annotated[
        bool, typer.Option("--ledger", help="Let signed-in curators and reviewers propose and "
                                            "approve changes to the records (the ledger at "
                                            "ALLIANCEKIT_DB); read-only without it.")
    ] = False,
    db: Annotated[str | None, typer.Option("--db", help="With --ledger: the ledger's "
                                                       "SQLAlchemy URL (default: "
                                                       "ALLIANCEKIT_DB, else a SQLite file in "
                                                       "the user data directory).",
                                           show_default=False)] = None,
    records: Annotated[Path | None, typer.Option(help="With --ledger: where approved records "
                                                      "are published and read from (default: "
                                                      "ALLIANCEKIT_RECORDS, else the user data "
                                                      "directory).", show_default=False)] = None,
    data_dir: DataDir = None,
) -> None:
    """Serve the explorer: a world map of ties, state, agreement, network and scenario pages,
    and the JSON API under /api (OpenAPI at /openapi.json, browsable at /docs).

    Example: alliancekit serve --port 8000

    Example: alliancekit serve --port 8080 --workers 2

    Example: alliancekit serve --port 8081 --atlas atlas/

    Example: alliancekit serve --port 8082 --ledger --db sqlite:///ledger.db
    --records published/
    """
    check_port(host, port)
    count = workers or max(1, min(os.cpu_count() or 1, 4))
    from alliancekit.web.app import ready_app
    from alliancekit.web.server import run

    if atlas is not None and not (atlas / "summary").is_dir():
        raise UsageError(f"--atlas {atlas}: no exposure atlas there (make one with alliancekit "
                         "sweep exposure --out DIR)")
    if (db or records) and not ledger:
        raise UsageError("--db and --records go with --ledger")
    state = None
    if ledger:
        from alliancekit.web.ledger import open_ledger

        state = open_ledger(db, records)
        os.environ[RECORDS_SETTING] = str(state.publish_to)  # what this server reads
        typer.echo(f"ledger: writing enabled; approved changes are published to "
                   f"{state.publish_to}")
    app = ready_app(data_dir, atlas, state)
    found = [name for name, ok in app.state.explorer.available.items() if ok]
    typer.echo(f"sources: curated records{', ' + ', '.join(found) if found else ''}")
    plural = "process" if count == 1 else "processes"
    typer.echo(f"alliancekit explorer: open http://{host}:{port}/ ({count} worker {plural}; "
               "Ctrl-C stops it)")
    run(app, host, port, workers=count)
