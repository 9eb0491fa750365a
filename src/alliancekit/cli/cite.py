"""``alliancekit cite``: the BibTeX of sources, or of the sources a panel file used."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from alliancekit.errors import UsageError

CURATED_CITATION = """@misc{alliancekit_curated,
  title = {alliancekit curated records of alliances, coalitions and defence pacts},
  note = {Each record cites its public sources; see the record files and
          docs/curation-gaps.md},
  howpublished = {alliancekit, src/alliancekit/data/curated}
}"""


def bibtex(names: list[str]) -> str:
    """The BibTeX entries for the sources ``names``, each entry once, in order."""
    from alliancekit.sources.registry import get_source

    seen: dict[str, None] = {}
    # ATOP's pledges carried past 2018 rest on ATOP and the curated status records.
    expanded = [part for name in names
                for part in (("atop", "curated") if name == "atop_carried" else (name,))]
    for name in expanded:
        if name == "curated":
            seen.setdefault(CURATED_CITATION, None)
            continue
        for entry in get_source(name).citation.split("\n@"):
            seen.setdefault(entry if entry.startswith("@") else "@" + entry, None)
    return "\n\n".join(seen)


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
