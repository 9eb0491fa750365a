"""``alliancekit serve``: the explorer (JSON API and pages) on a local port."""

from __future__ import annotations

from typing import Annotated

import typer

from alliancekit.cli._common import DataDir


def serve(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8000,
    host: Annotated[str, typer.Option(help="Address to listen on (keep 127.0.0.1 unless you "
                                           "mean to share it).")] = "127.0.0.1",
    data_dir: DataDir = None,
) -> None:
    """Serve the explorer: a world map of ties, state, agreement, network and scenario pages,
    and the JSON API under /api (OpenAPI at /openapi.json, browsable at /docs).

    Example: alliancekit serve --port 8000
    """
    import uvicorn

    from alliancekit.web.app import create_app

    app = create_app(data_dir)
    explorer = app.state.explorer
    typer.echo("loading the pledges ...")
    explorer.engine  # noqa: B018 - load once before the first request
    found = [name for name, ok in explorer.available.items() if ok]
    typer.echo(f"sources: curated records{', ' + ', '.join(found) if found else ''}")
    typer.echo(f"alliancekit explorer: open http://{host}:{port}/  (Ctrl-C stops it)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
