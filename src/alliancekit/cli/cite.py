"""``alliancekit cite``: the BibTeX of sources, or of the sources a panel file used."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from alliancekit.errors import UsageError


def cite(
    sources: Annotated[
        list[str] | None,
        typer.Argument(help="Source names, as `alliancekit data list` shows, or curated."),
    ] = None,
    panel: Annotated[
        Path | None,
        typer.Option(help="A Parquet panel written by `alliancekit panel`: cite what it used."),
    ] = None,
) -> None:
    """Print the BibTeX for sources, or for the sources a panel was built from.

    Example: alliancekit cite atop_ddyr cow_states
    Example: alliancekit cite --panel dyads.parquet
    """
    from alliancekit.sources.citations import bibtex

    names = list(sources or [])
    if panel is not None:
        from alliancekit.io import read_panel
        from alliancekit.panels.frame import sources_of

        if panel.suffix.lower() != ".parquet":
            raise UsageError(f"--panel {panel}: only Parquet panels record their sources")
        names += sources_of(read_panel(panel))
    if not names:
        raise UsageError("name at least one source, or give --panel FILE")
    typer.echo(bibtex(names))
